"""The ``source`` block of a practice file: built from a practice's entries, updated over the old one.

Rules, for the fields of one language (the record's own language at the top
level, any other under ``translations.<lang>``):

- title, country, cities and period come from the pages read now (a detail
  page's over a listing's);
- ``page`` is the practice's own page once it has been read (``detail_page``),
  else the listing that printed it;
- ``summary`` and ``sections``: a detail page's text (its subtitle, or the
  whole text of a page without headings, and its sections) replaces the
  listing's excerpt; the excerpt fills them only while no detail page has been
  read (``detail_page`` unset), so a re-read listing never cuts the full text
  back to its excerpt;
- keys the importer does not know are kept; ``read_on`` changes only when
  something else does.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from ..vocabulary.sections import SECTIONS
from .entry import Entry
from .reader import detail_url, listing_url_in

HEADER = ("# One ICC good practice. `source` is what the ICC page prints (the importer rewrites it);\n"
          "# `curation` is ours (themes, labels, corrections) and no importer touches it.\n")
TRANSLATED = ("page", "title", "period", "summary", "sections", "detail_page")


def _fields(entries: list[Entry], old: dict, slug: str, listing_url: str, country_name, translated: bool) -> dict:
    new = dict(old)
    listings = [e for e in entries if e.kind == "listing"]
    details = [e for e in entries if e.kind == "detail"]
    latest = (details or listings)[-1]
    if listings and not old.get("detail_page"):
        new["page"] = listings[-1].page
    if details:
        new["detail_page"] = details[-1].page or detail_url(listing_url_in(latest.language, listing_url), slug)
        new["page"] = new["detail_page"]
    if not translated:
        new["read_on"] = old.get("read_on")
        new["language"] = latest.language
    new["title"] = latest.title
    if not translated:
        new["country"] = country_name(latest.country)
        new["cities"] = list(latest.cities)
    new["period"] = latest.period.text
    if not translated:
        new["start_year"] = latest.period.start_year
        new["end_year"] = latest.period.end_year
        new["ongoing"] = latest.period.ongoing
    if details:
        new["summary"] = details[-1].summary
        new["sections"] = _in_template_order(details[-1].sections)
    elif not old.get("detail_page"):
        new["summary"] = listings[-1].summary
        new["sections"] = _in_template_order(listings[-1].sections)
    new.setdefault("summary", None)
    return _ordered(new, translated)


def _in_template_order(sections) -> dict:
    return dict(sorted(sections, key=lambda pair: SECTIONS.index(pair[0])))


def _ordered(fields: dict, translated: bool) -> dict:
    """Known keys in the order the files print them (an existing file's order is kept by the caller)."""
    order = TRANSLATED if translated else (
        "page", "read_on", "language", "title", "country", "cities", "period", "start_year", "end_year",
        "ongoing", "summary", "sections", "detail_page", "translations")
    known = {k: fields[k] for k in order if k in fields}
    return known | {k: v for k, v in fields.items() if k not in known}


def build_source(slug: str, entries: list[Entry], old: dict | None, listing_url: str, country_name,
                 read_on: dt.date) -> dict:
    """The new ``source`` block; equal to ``old`` when the pages say nothing new."""
    old = dict(old or {})
    languages = list(dict.fromkeys(e.language for e in entries))
    main = old.get("language") or ("en" if "en" in languages else languages[0])
    new = dict(old)
    if main in languages:
        fields = _fields([e for e in entries if e.language == main], old, slug, listing_url, country_name, False)
        new = {k: fields[k] for k in old if k in fields} | fields      # an existing file keeps its key order
    translations = dict(old.get("translations") or {})
    for language in languages:
        if language != main:
            translations[language] = _fields([e for e in entries if e.language == language],
                                              translations.get(language) or {}, slug, listing_url, country_name,
                                              True)
    if translations:
        new["translations"] = dict(sorted(translations.items()))
    if new != old or not old.get("read_on"):
        new["read_on"] = read_on.isoformat()
    return new


def changed_fields(old: dict | None, new: dict) -> list[str]:
    old = old or {}
    return sorted(k for k in set(old) | set(new) if k != "read_on" and old.get(k) != new.get(k))


def dump(doc: dict, flow: bool = False) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=float("inf"), default_flow_style=flow)


def new_file(slug: str, source: dict, label: str | None) -> str:
    curation: dict = {"themes": []}
    if label:
        curation["label"] = label
    return HEADER + dump({"slug": slug}) + dump({"source": source}) + dump({"curation": curation})


def replace_source(text: str, source: dict) -> str | None:
    """The file's text with only its ``source`` block rewritten (curation, comments and order untouched).

    None when the file has no block-style ``source:`` key to replace.
    """
    start = re.search(r"^source:[ \t]*(#.*)?$", text, re.MULTILINE)
    if start is None:
        return None
    following = [m.start() for m in re.finditer(r"^[^\s]", text[start.end():], re.MULTILINE)]
    end = start.end() + following[0] if following else len(text)
    return text[: start.start()] + dump({"source": source}) + text[end:]
