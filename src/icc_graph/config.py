"""Settings, read once (from ICC_GRAPH_* variables and command-line options) and passed down.

Each setting carries its help text; `icc-graph settings` prints the table and a
test fails when README.md does not document one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path

ENV_PREFIX = "ICC_GRAPH_"


def _setting(default, help: str, secret: bool = False):
    # A secret stays out of repr(settings), hence out of tracebacks and logs.
    return field(default=default, repr=not secret, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    base_iri: str = _setting("https://w3id.org/icc-graph/",
                             "Base of every minted IRI (practice/, city/, country/, theme/, ontology#).")
    data_dir: Path = _setting(Path("data"), "Folder of the curated data (practices/, places.yaml, dataset.yaml).")
    dist_dir: Path = _setting(Path("dist"), "Folder that receives the releases, one sub-folder per version.")
    link_min_score: Decimal = _setting(Decimal("0.25"),
                                       "Lowest score (0 to 1) of a city link the build publishes; weaker links are "
                                       "not materialised. The release states it as the shared-themes rule's "
                                       "icc:threshold.")
    public_url: str = _setting("",
                               "Absolute public URL of the web app (sd:endpoint, download links, sitemap). Empty: "
                               "the server uses the URL each request came in on, and a build writes the base IRI.")
    trust_proxy: bool = _setting(False, "Trust X-Forwarded-Proto and X-Forwarded-Host (one proxy) for the public "
                                        "URL and X-Forwarded-For for the client's address (per-client limits); "
                                        "set it only behind a reverse proxy that sets them.")
    host: str = _setting("127.0.0.1", "Address the web server listens on.")
    port: int = _setting(8080, "Port the web server listens on.")
    workers: int = _setting(2, "Web server worker processes.")
    threads: int = _setting(4, "Threads per web server worker.")
    query_processes: int = _setting(0, "SPARQL query processes per web server worker (workers x this many queries "
                                       "run at once; a query waits for a free one); 0 means one per thread. Each "
                                       "holds a copy of an in-memory release: fewer than threads saves memory.")
    memory_store_mb: int = _setting(4000, "Memory (MB) the embedded store may take to hold the release in memory, "
                                          "3 to 5 times faster to query than on disk: each query process (workers x "
                                          "query processes) and the query server hold a copy, about 1.45 times the "
                                          "N-Quads dump. A release that does not fit is queried on disk; 0 means "
                                          "always.")
    release: str = _setting("", "Release folder the web server serves; empty means <dist_dir>/latest.")
    cache_bytes: int = _setting(64_000_000, "Bytes of SPARQL answers each web worker keeps in memory, keyed by "
                                            "release, query and format (releases never change); 0 turns it off.")
    query_timeout: float = _setting(10.0, "Seconds a SPARQL query may run before it is stopped (503).")
    row_cap: int = _setting(10000, "Most result rows one SPARQL answer carries; more are cut and flagged.")
    max_request_bytes: int = _setting(1_000_000, "Largest request body accepted (413 beyond).")
    queue_wait: float = _setting(0.5, "Seconds a SPARQL query may wait for a free query process (five times as "
                                      "many when the release is queried on disk); beyond, 503 with Retry-After "
                                      "instead of waiting longer.")
    long_query_seconds: float = _setting(1.0, "A query still running after this many seconds (five times as many "
                                              "when the release is queried on disk) is a long one: all query "
                                              "processes of a worker but one may run long queries at once; a "
                                              "further one is stopped then (503 with Retry-After).")
    extra_threads: int = _setting(4, "Web threads per worker beyond --threads: they serve pages, cached answers "
                                     "and refusals while runaway queries hold the query threads.")
    client_queries: int = _setting(2, "SPARQL queries one client (IP address) may run at once in each web worker; "
                                      "more get 503 with Retry-After at once. 0 means no limit.")
    max_query_depth: int = _setting(100, "Deepest nesting of groups, parentheses and brackets a SPARQL query may "
                                         "have (400 beyond, before it runs: thousands of levels overflow the engine).")
    answer_bytes_cap: int = _setting(20_000_000, "Most bytes (about) of one SPARQL answer; the rows beyond are cut "
                                                 "and flagged, like the row cap.")
    disk_core: bool = _setting(True, "Hold an on-disk release's in-memory core (its triples without the long texts, "
                                     "provenance and link evidence; about 1.45 times its core.nt, 100k practices: "
                                     "575 MB) in one core server, which answers the sorting and grouping queries it "
                                     "holds everything for, several times faster than the disk. 0: the disk alone.")
    query_memory_mb: int = _setting(1000, "Memory (MB) one query process may take beyond what it held when it "
                                          "started: a query that needs more fails, and a process that has grown "
                                          "past half of it is replaced after its answer.")
    max_text_bytes: int = _setting(1_000_000, "Longest text one field of data/ may hold, in UTF-8 bytes (a summary, "
                                              "a template section); `build` and `validate` refuse longer ones.")
    store: str = _setting("", "SPARQL query endpoint of a remote store to serve from; empty means embedded Oxigraph.")
    store_refresh: float = _setting(5.0, "Seconds a web worker trusts the remote store's release pointer before "
                                         "reading it again (how soon a push reaches every worker).")
    store_update_url: str = _setting("", "SPARQL update endpoint of the remote store (`icc-graph push`); empty means "
                                         "found from its Service Description or its product's usual layout.")
    store_gsp_url: str = _setting("", "Graph Store Protocol endpoint of the remote store (`icc-graph push`); empty "
                                      "means found like the update endpoint; none known means SPARQL Update.")
    store_auth: str = _setting("", "How to log in to the remote store: basic, digest or bearer; empty answers the "
                                   "store's own challenge (and sends the token as bearer when one is set).")
    store_user: str = _setting("", "User name for the remote store (Basic or Digest).")
    store_password: str = _setting("", "Password for the remote store; never logged, never on the command line.",
                                   secret=True)
    store_token: str = _setting("", "Bearer token for the remote store; never logged, never on the command line.",
                                secret=True)
    harvest_site: str = _setting("https://www.coe.int", "Site `icc-graph harvest` reads the ICC good-practice "
                                                         "database from (scheme and host; the pages' paths follow it).")
    harvest_languages: str = _setting("en,fr", "Languages `icc-graph harvest` reads, comma-separated (the site keeps "
                                               "one listing per language).")
    harvest_cache_dir: Path = _setting(Path(".cache/harvest"), "Folder where `icc-graph harvest` keeps every response "
                                                               "with its headers (conditional requests, --offline, "
                                                               "resuming a killed harvest).")
    harvest_delay: float = _setting(1.0, "Seconds `icc-graph harvest` waits between two requests to the site (one "
                                         "request at a time; a longer robots.txt Crawl-delay wins).")
    harvest_page_size: int = _setting(20, "Practices per listing page `icc-graph harvest` asks for (the listing's "
                                          "`delta`).")
    harvest_retries: int = _setting(5, "Times `icc-graph harvest` retries a request answered 429 or 5xx or timed "
                                       "out, waiting as Retry-After says, else 2, 4, 8, ... seconds.")
    harvest_timeout: float = _setting(30.0, "Seconds `icc-graph harvest` waits for an answer before it retries.")

    contact_url: str = _setting("", "Contact URL sent in the User-Agent of every request to another site "
                                    "(Wikidata's policy); empty means dataset.yaml's contact_page.")
    wikidata_endpoint: str = _setting("https://query.wikidata.org/sparql",
                                      "SPARQL endpoint `icc-graph places reconcile` asks (Wikidata's query service).")
    wikidata_cache: Path = _setting(Path(".cache/wikidata"),
                                    "Folder keeping every Wikidata answer (one file per endpoint and query), so that "
                                    "a re-run asks nothing already answered and --offline works from it alone.")
    wikidata_delay: float = _setting(1.0, "Seconds between two queries sent to Wikidata (requests are never sent "
                                          "in parallel).")
    wikidata_batch: int = _setting(60, "Names one Wikidata query looks up at once (VALUES).")

    @property
    def public_base(self) -> str:
        return (self.public_url or self.base_iri).rstrip("/") + "/"


def setting_help() -> list[tuple[str, str, object]]:
    """(environment variable, help, default) for every setting."""
    return [(ENV_PREFIX + f.name.upper(), f.metadata["help"], f.default) for f in fields(Settings)]


def load_settings(environ: dict[str, str] | None = None, **overrides) -> Settings:
    """Settings from the environment, then explicit overrides (None means not given)."""
    environ = os.environ if environ is None else environ
    values = {}
    for f in fields(Settings):
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is not None:
            values[f.name] = _convert(f.default, raw, f.name)
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = replace(Settings(), **values)
    if not 0 <= settings.link_min_score <= 1:
        raise ValueError(f"{ENV_PREFIX}LINK_MIN_SCORE must be from 0 to 1: {settings.link_min_score}")
    if not settings.base_iri.endswith("/"):
        raise ValueError(f"{ENV_PREFIX}BASE_IRI must end with '/': {settings.base_iri!r}")
    return _absolute_paths(settings)


def _absolute_paths(settings: Settings) -> Settings:
    """Every path setting made absolute once, against the working directory the command started in.

    Later readers (Flask's send_file resolves a relative path against the package) never see a relative one.
    Symbolic links are kept: ``dist/latest`` must stay the link a new build switches.
    """
    paths = {f.name: Path(os.path.abspath(getattr(settings, f.name))) for f in fields(Settings)
             if isinstance(f.default, Path)}
    return replace(settings, **paths, release=os.path.abspath(settings.release) if settings.release else "")


def _convert(default, raw: str, name: str):
    try:
        if isinstance(default, bool):
            return raw.lower() in ("1", "true", "yes", "on")
        if isinstance(default, Path):
            return Path(raw)
        return type(default)(raw)
    except (ValueError, ArithmeticError) as exc:    # decimal.InvalidOperation is an ArithmeticError
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {type(default).__name__}") from exc
