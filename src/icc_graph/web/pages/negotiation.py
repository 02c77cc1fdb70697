"""Content negotiation for resource pages, driven by one table: HTML for people, RDF for machines.

A representation is chosen by a URL suffix (``/practice/x.ttl``) when there is
one, else by the request's ``Accept`` header, parsed by Werkzeug. The first row
is the default, so a client that sends no ``Accept`` (or ``*/*``) gets HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept

from ...vocabulary.formats import BY_SUFFIX
from ..errors import NotAcceptable


@dataclass(frozen=True)
class Representation:
    suffix: str
    media_type: str
    rdflib_format: str | None      # None for the HTML page
    aliases: tuple[str, ...] = ()  # other media types that ask for the same thing

    @property
    def is_html(self) -> bool:
        return self.rdflib_format is None


def _rdf(suffix: str) -> Representation:
    fmt = BY_SUFFIX[suffix]
    return Representation(fmt.suffix, fmt.media_type, fmt.rdflib)


REPRESENTATIONS = (
    Representation("html", "text/html", None, ("application/xhtml+xml",)),
    _rdf("ttl"),
    _rdf("jsonld"),
    _rdf("nt"),
    _rdf("rdf"),
)
BY_SUFFIX_NAME = {r.suffix: r for r in REPRESENTATIONS}
RDF_REPRESENTATIONS = tuple(r for r in REPRESENTATIONS if not r.is_html)
_BY_MEDIA_TYPE = {t: r for r in REPRESENTATIONS for t in (r.media_type, *r.aliases)}




def split_suffix(path: str) -> tuple[str, Representation | None]:
    """("practice/x", Turtle) for "practice/x.ttl"; (path, None) when it carries no known suffix."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and suffix in BY_SUFFIX_NAME:
        return stem, BY_SUFFIX_NAME[suffix]
    return path, None


def choose(accept: MIMEAccept) -> Representation:
    """The representation the Accept header prefers; HTML when it names none (or anything)."""
    if not accept:
        return REPRESENTATIONS[0]
    best = accept.best_match(list(_BY_MEDIA_TYPE))
    if best is None:
        asked = accept.to_header()
        raise NotAcceptable(asked, tuple(_BY_MEDIA_TYPE), f"no representation matches Accept: {asked}")
    return _BY_MEDIA_TYPE[best]


def alternate_links(path: str) -> str:
    """The ``Link`` header value naming every representation of the resource at ``path``."""
    return ", ".join(f'<{path}.{r.suffix}>; rel="alternate"; type="{r.media_type}"' for r in REPRESENTATIONS)


def supported_text() -> str:
    """The body of a 406: what can be asked for, by media type and by suffix."""
    lines = ["406 Not Acceptable: this resource is available as"]
    lines += [f"  {r.media_type}  (or the suffix .{r.suffix})" for r in REPRESENTATIONS]
    return "\n".join(lines) + "\n"
