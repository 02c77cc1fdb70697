"""The ``icc-graph`` command. Each sub-command reads the settings once and hands them down."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import load_settings, setting_help
from .errors import DataError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="icc-graph")
def main() -> None:
    """Publish the ICC good-practice database as linked open data."""


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder (default data/).")
@click.option("--out", "dist_dir", type=click.Path(path_type=Path), help="Release folder (default dist/).")
@click.option("--base-iri", help="Base of minted IRIs (default https://w3id.org/icc-graph/).")
def build(data_dir: Path | None, dist_dir: Path | None, base_iri: str | None) -> None:
    """Build a release into OUT/<version>/ and print its path."""
    from .build.release import build as build_release

    settings = load_settings(data_dir=data_dir, dist_dir=dist_dir, base_iri=base_iri)
    try:
        folder = build_release(settings)
    except DataError as exc:
        fail(f"{exc}\nnothing was published; the previous release is unchanged")
    click.echo(folder)


@main.command()
@click.option("--check", is_flag=True, help="Only check; exit 1 when a generated file is stale.")
def generate(check: bool) -> None:
    """Regenerate the term constants and the JSON-LD context from ontology/icc.ttl."""
    from .vocabulary.generated import stale_files, write_generated

    if check:
        stale = stale_files()
        if stale:
            fail("stale generated files (run `icc-graph generate`): " + ", ".join(map(str, stale)))
        click.echo("generated files are up to date")
        return
    for path in write_generated():
        click.echo(f"wrote {path}")


@main.command()
def settings() -> None:
    """List every setting, its environment variable, default and meaning."""
    for env, help_text, default in setting_help():
        click.echo(f"{env} (default {default!r})\n    {help_text}")


@main.command("import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder (default data/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per practice; write nothing.")
@click.option("--url", help="URL of the page when the saved file does not name it (default: the dataset's source).")
@click.option("--read-on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date the pages were read (default today).")
def import_(pages: tuple[Path, ...], data_dir: Path | None, as_json: bool, url: str | None, read_on) -> None:
    """Read saved ICC listing or detail PAGES (text or HTML, en/fr) and merge them into data/.

    Entries that cannot be read for sure go to data/review.yaml, the others are merged; the exit status is then 3.
    """
    import json

    from .importers import import_pages
    from .importers.review import NEEDS_REVIEW, ReviewItem, add_to_review

    settings = load_settings(data_dir=data_dir)
    review: list[ReviewItem] = []
    try:
        imported = import_pages(list(pages), settings.data_dir, url=url, read_on=read_on.date() if read_on else None,
                                review=review)
        if as_json:
            for practice in imported.practices():
                click.echo(json.dumps(practice, ensure_ascii=False))
            for item in review:
                click.echo(f"needs review: {item.page}: {item.reason}", err=True)
            sys.exit(NEEDS_REVIEW if review else 0)
        imported.write()
    except DataError as exc:
        fail(f"{exc}\nnothing was written to {settings.data_dir}")
    for line in imported.report.lines():
        click.echo(line)
    if review:
        where = add_to_review(settings.data_dir, review)
        click.echo(f"{len(review)} entries need review (see {where}); the others were imported")
        sys.exit(NEEDS_REVIEW)


@main.command()
@click.option("--site", metavar="URL", help="The ICC site to read (default https://www.coe.int).")
@click.option("--languages", metavar="LIST", help="Languages to read, comma-separated (default en,fr).")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder (default data/).")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of the cached responses (default .harvest-cache/).")
@click.option("--delay", type=float, help="Seconds between two requests (default 1).")
@click.option("--offline", is_flag=True, help="Rebuild data/ from the cache alone; send no request.")
def harvest(site: str | None, languages: str | None, data_dir: Path | None, cache_dir: Path | None,
            delay: float | None, offline: bool) -> None:
    """Fetch the ICC good-practice database (politely, cached, resumable) and merge it into data/.

    Entries that cannot be read for sure go to data/review.yaml; the exit status is then 3.
    """
    from .harvest import harvest as run_harvest
    from .polite_http import FetchError

    settings = load_settings(harvest_site=site, harvest_languages=languages, data_dir=data_dir,
                             harvest_cache_dir=cache_dir, harvest_delay=delay)
    try:
        result = run_harvest(settings, offline=offline)
    except (DataError, FetchError, ValueError) as exc:
        fail(f"{exc}\nnothing was written to {settings.data_dir}")
    sys.exit(result.exit_status)


@main.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8080; 0 picks a free one, printed at start).")
@click.option("--release", "release", type=click.Path(path_type=Path, file_okay=False),
              help="Release folder to serve (default <dist>/latest).")
@click.option("--workers", type=int, help="Web server worker processes (default 2).")
@click.option("--threads", type=int, help="Threads per worker (default 4).")
@click.option("--query-processes", type=int,
              help="SPARQL query processes per worker (default: one per thread; each holds a copy of an "
                   "in-memory release).")
@click.option("--store", "store_url", metavar="URL",
              help="Serve from the SPARQL query endpoint of a remote store (filled by `icc-graph push`) instead of "
                   "an embedded Oxigraph; credentials come from ICC_GRAPH_STORE_* variables.")
def serve(host: str | None, port: int | None, release: Path | None, workers: int | None,
          threads: int | None, query_processes: int | None, store_url: str | None) -> None:
    """Serve the release: /sparql (SPARQL 1.1 Protocol) and the query page, under Granian."""
    from .store import StoreError
    from .web.server import PortInUse
    from .web.server import serve as run_server

    settings = load_settings(host=host, port=port, release=str(release) if release else None, workers=workers,
                             threads=threads, query_processes=query_processes, store=store_url)
    try:
        run_server(settings)
    except (StoreError, PortInUse) as exc:
        fail(exc.strerror if isinstance(exc, PortInUse) else str(exc))


@main.command()
@click.option("--store", "store_url", metavar="URL",
              help="SPARQL query endpoint of the store to load (default ICC_GRAPH_STORE).")
@click.option("--release", "release", type=click.Path(path_type=Path, file_okay=False),
              help="Release folder to push (default <dist>/latest).")
@click.option("--update-url", metavar="URL", help="SPARQL update endpoint, when the store does not describe it.")
@click.option("--gsp-url", metavar="URL", help="Graph Store Protocol endpoint, when the store does not describe it.")
@click.option("--update-only", is_flag=True, help="Load through SPARQL Update even where a Graph Store is known.")
def push(store_url: str | None, release: Path | None, update_url: str | None, gsp_url: str | None,
         update_only: bool) -> None:
    """Load a release into a SPARQL 1.1 store and switch the store to it in one step.

    A failed or interrupted push leaves the store serving the previous release.
    Credentials come from ICC_GRAPH_STORE_USER / _PASSWORD / _TOKEN / _AUTH, never from options.
    """
    from .store import StoreError, release_dir
    from .store.remote.push import push as push_release
    from .store.remote.transport import shown

    settings = load_settings(store=store_url, release=str(release) if release else None)
    if not settings.store:
        fail("no store given: use --store URL (its SPARQL query endpoint) or ICC_GRAPH_STORE")
    folder = release_dir(settings)

    def report_graph(name: str, triples: int) -> None:
        click.echo(f"  loaded {triples} triples of <{name or 'the default graph'}>")

    try:
        report = push_release(settings, folder, settings.store, update_url or "", gsp_url or "",
                              use_gsp=not update_only, on_graph=report_graph)
    except StoreError as exc:
        fail(str(exc))
    where = shown(settings.store)
    if report.unchanged:
        click.echo(f"{where} already serves release {report.tag}: nothing to do")
        return
    click.echo(f"switched {where} to release {report.tag} ({sum(report.counts.values())} triples in "
               f"{len(report.counts)} graphs; previous: {report.previous or 'none'}; "
               f"dropped {len(report.dropped)} old graphs)")


@main.group()
def links() -> None:
    """The cross-city links of a release: export them for networkx, Gephi and spreadsheets."""


@links.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "csv", "json"]), default="graphml", show_default=True,
              help="graphml: one file; csv: a node table and an edge table (Gephi's spreadsheet layout); json: "
                   "networkx's node-link form.")
@click.option("--release", "release", type=click.Path(path_type=Path, file_okay=False),
              help="Release folder to read (default <dist>/latest).")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Compute the links from a curated data folder instead of reading a release.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Folder to write the files into.")
@click.option("--cities", is_flag=True, help="Merge each district into its city (nodes are cities only).")
@click.option("--theme", metavar="SLUG", help="Only the places running practices on this theme, and its links.")
@click.option("--country", metavar="ISO2", help="Only this country's places, their links and the places linked.")
def links_export(fmt: str, release: Path | None, data_dir: Path | None, out_dir: Path, cities: bool,
                 theme: str | None, country: str | None) -> None:
    """Write the city network (places as nodes, links weighted by their score) and print the file paths.

    The same tables as the site's /network.graphml, /network.csv and /network.json.
    """
    from .store.network import filtered, network_from_store, quads_select, release_select
    from .store.network_formats import render
    from .vocabulary.iris import Minter
    from .vocabulary.release_folder import latest

    if release and data_dir:
        fail("give --release or --data, not both")
    settings = load_settings(data_dir=data_dir)
    mint = Minter(settings.base_iri)
    try:
        if data_dir:     # built in memory as `icc-graph build` would, then read like a release
            from .build.progress import Progress
            from .build.release import build_checked

            quads = build_checked(settings, Progress())[1]
            try:
                select = quads_select(quads.runs)
            finally:
                quads.close()
        else:
            select = release_select(release or latest(settings.dist_dir))
        network = network_from_store(select, mint, roll_up=cities)
    except (DataError, FileNotFoundError) as exc:
        fail(str(exc))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in render(filtered(network, theme, country), fmt).items():
        (out_dir / name).write_bytes(data)
        click.echo(out_dir / name)


@main.group()
def stores() -> None:
    """The on-disk Oxigraph stores `icc-graph serve` keeps beside the releases (DIST/.stores)."""


@stores.command("prune")
@click.option("--dist", "dist_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of the releases (default dist/).")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
def stores_prune(dist_dir: Path | None, dry_run: bool) -> None:
    """Remove the stores no release published in DIST needs (an older release's, an older layout's), except
    those a running server or a load holds."""
    from .store.embedded.prune import prune

    settings = load_settings(dist_dir=dist_dir)
    freed = 0
    for entry in prune(settings.dist_dir, dry_run):
        state = "in use, kept" if entry.in_use else "would remove" if dry_run else "removed"
        click.echo(f"{state:13} {entry.folder}  {entry.size / 1e6:,.0f} MB")
        freed += 0 if entry.in_use else entry.size
    click.echo(f"{'would free' if dry_run else 'freed'} {freed / 1e6:,.0f} MB")


@main.group()
def places() -> None:
    """The countries, cities and districts of places.yaml."""


@places.command("reconcile")
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint to ask (default https://query.wikidata.org/sparql).")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of cached answers (default .cache/wikidata).")
@click.option("--offline", is_flag=True, help="Send nothing: answer every query from the cache, or fail.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder (default data/).")
def places_reconcile(endpoint: str | None, cache_dir: Path | None, offline: bool, data_dir: Path | None) -> None:
    """Link every place of places.yaml to Wikidata: ids, statuses, candidates, coordinates, ISO codes, labels.

    Curated values are never overwritten; candidates listed in wikidata_rejected are never proposed again.
    """
    from .build.datadir import PLACES
    from .reconcile import QueryFailed, reconcile

    settings = load_settings(data_dir=data_dir, wikidata_endpoint=endpoint, wikidata_cache=cache_dir)
    try:
        outcome = reconcile(settings, offline=offline)
    except (DataError, QueryFailed) as exc:
        fail(f"{exc}\nplaces.yaml was not changed")
    for line in outcome.lines:
        click.echo(line)
    click.echo(f"{'updated' if outcome.changed else 'no change to'} {settings.data_dir / PLACES}; "
               f"{outcome.sent} request(s) sent, "
               f"{outcome.from_cache} answer(s) from the cache")


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder (default data/).")
@click.option("--base-iri", help="Base of minted IRIs (default https://w3id.org/icc-graph/).")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the sh:ValidationReport as Turtle to this file.")
def validate(data_dir: Path | None, base_iri: str | None, report_file: Path | None) -> None:
    """Check the data against shapes/ and say which file and field to fix; exit 1 on any Violation."""
    from .build.gate import render_report
    from .build.progress import Progress
    from .build.release import build_checked

    settings = load_settings(data_dir=data_dir, base_iri=base_iri)
    progress = Progress()
    try:
        _, quads = build_checked(settings, progress)     # validated chunk by chunk while it is built
        result = quads.validation
    except DataError as exc:
        fail(str(exc))
    click.echo(render_report(result))
    if report_file is not None:
        report_file.write_bytes(result.report.serialize(format="turtle").encode("utf-8"))
    if not result.conforms:
        sys.exit(1)


@main.group()
def themes() -> None:
    """The practices' themes: suggestions for those curation leaves without any."""


@themes.command("suggest")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Curated data folder (default data/).")
@click.option("--practice", "slugs", multiple=True, metavar="SLUG",
              help="Suggest for this practice even when it has curated themes (repeatable); default: every "
                   "practice without one.")
def themes_suggest(data_dir: Path | None, slugs: tuple[str, ...]) -> None:
    """Print suggested themes as curation.themes blocks a curator can check and paste into each practice's file."""
    from rdflib.namespace import SKOS

    from .build.datadir import read_records
    from .build.mapping import theme_slugs, vocabulary_graph
    from .build.suggest import ThemeModel, theme_texts
    from .vocabulary.iris import Minter

    settings = load_settings(data_dir=data_dir)
    mint = Minter(settings.base_iri)
    vocabulary = vocabulary_graph(mint)
    try:
        records = read_records(settings.data_dir, theme_slugs(vocabulary, mint))
    except DataError as exc:
        fail(str(exc))
    by_slug = {p.slug: p for p in records.practices}
    unknown = sorted(set(slugs) - by_slug.keys())
    if unknown:
        fail(f"no practice {', '.join(unknown)} in {settings.data_dir}")
    model = ThemeModel.learn(records.practices, theme_texts(vocabulary, mint))
    wanted = [by_slug[s] for s in slugs] if slugs else None
    labels = {str(c): str(label) for c, label in vocabulary.subject_objects(SKOS.prefLabel) if label.language == "en"}
    suggestions = model.suggest(wanted)
    click.echo(f"# {model.version}: {len({s.practice for s in suggestions})} practices; keep the themes that fit")
    for slug in dict.fromkeys(s.practice for s in suggestions):
        practice = by_slug[slug]
        curated = f" (curated: {', '.join(practice.themes)})" if practice.themes else ""
        click.echo(f"\n# {practice.path or slug}: {practice.label}{curated}\ncuration:\n  themes:")
        for s in (s for s in suggestions if s.practice == slug):
            click.echo(f"  - {s.theme}    # {s.confidence} {labels.get(str(mint.theme(s.theme)), s.theme)}")
