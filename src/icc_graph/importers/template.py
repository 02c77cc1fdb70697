"""The words of the ICC pages, in English and French: template section labels and page furniture.

Section labels map to ``vocabulary.sections.SECTIONS``. A label counts inline only when it
starts with a capital and ends with a colon ("Process: ..."), so that "the
following process: ..." in running text is not taken for a heading; on a line
of its own the colon is optional.
"""

from __future__ import annotations

import re
import unicodedata

from ..vocabulary.sections import SECTIONS

SECTION_LABELS: dict[str, tuple[str, ...]] = {
    "purpose": ("Purpose", "Objectif", "Objectifs"),
    "stimulus": ("Stimulus/Rationale", "Stimulus/Justification", "Stimulus/Motivation", "Rationale",
                 "Justification", "Stimulus"),
    "process": ("Process", "Processus"),
    "outcomes": ("Outcomes/Impact", "Outcomes", "Impact", "Résultats/Impact", "Résultats"),
    "evaluation": ("Evaluation", "Évaluation"),
    "key_success_factors": ("Key success factors", "Facteurs clés de succès", "Facteurs clés de réussite",
                            "Facteurs de succès"),
    "transferability": ("Transferability", "Transférabilité"),
    "key_reference_documents": ("Key reference documents", "Key reference document", "Reference documents",
                                "Documents de référence clés", "Documents de référence"),
}
assert set(SECTION_LABELS) == set(SECTIONS)

READ_MORE = {"read more": "en", "lire la suite": "fr", "en savoir plus": "fr"}
BACK = {"back": "en", "back to list": "en", "back to the list": "en", "retour": "fr", "retour à la liste": "fr"}
FACET_HEADINGS = {"topic", "topics", "year", "years", "country", "city", "thème", "thèmes", "sujet", "année",
                  "années", "pays", "ville"}
TEMPLATE_LINK = re.compile(r"^(template for (the )?collection of good practices?|mod[eè]le (pour la|de) collecte"
                           r" (des|de) bonnes pratiques)", re.IGNORECASE)
ICC_MARKER = re.compile(r"intercultural cit|cit[ée]s? interculturelles?|villes? interculturelles?", re.IGNORECASE)
# Words that only one of the two languages prints, to tell an undeclared page's language.
LANGUAGE_WORDS = {
    "fr": re.compile(r"\b(lire la suite|retour|depuis|en cours|objectifs?|processus|résultats|transférabilité"
                     r"|bonnes pratiques|villes interculturelles)\b", re.IGNORECASE),
    "en": re.compile(r"\b(read more|back|since|ongoing|onwards|purpose|process|outcomes|transferability"
                     r"|good practice|intercultural cities)\b", re.IGNORECASE),
}


def _label_pattern(label: str) -> str:
    """A label as a regex: capital first letter, the rest in any case, flexible spaces around '/'."""
    head, tail = re.escape(label[0]), label[1:]
    tail = re.escape(tail).replace("/", r"\s*/\s*").replace(r"\ ", r"\s+")
    return f"{head}(?i:{tail})"


_BY_LABEL = sorted(((lab, key) for key, labels in SECTION_LABELS.items() for lab in labels),
                   key=lambda pair: -len(pair[0]))
_ALTERNATION = "|".join(_label_pattern(lab) for lab, _ in _BY_LABEL)
# Either a label alone on its line (colon optional) or a label inline followed by a colon.
SECTION_HEADING = re.compile(
    rf"(?m)(?:^[ \t]*(?P<own>{_ALTERNATION})[ \t]*:?[ \t]*$|(?<![\w/])(?P<inline>{_ALTERNATION})[ \t]*:)")


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Royaume-Uni" and "royaume-uni", "Etats" and "États" match."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


_LABEL_KEY = {fold(lab): key for lab, key in _BY_LABEL}


def section_key(label: str) -> str:
    return _LABEL_KEY[fold(re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", label)))]


def split_sections(text: str) -> tuple[str | None, list[tuple[str, str]]]:
    """Text before the first label, and (section, text) pairs in page order; empty sections are dropped.

    A section printed twice ("Process: ... Process: ...") keeps both texts, joined.
    """
    matches = list(SECTION_HEADING.finditer(text))
    lead = (text[: matches[0].start()] if matches else text).strip() or None
    found: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=False):
        body = text[match.end(): following.start() if following else len(text)].strip()
        key = section_key(match.group("own") or match.group("inline"))
        if body:
            found[key] = f"{found[key]}\n{body}" if key in found else body
    return lead, list(found.items())


def is_read_more(text: str) -> bool:
    return fold(text.strip(" »>›→.")) in READ_MORE


def is_back(text: str) -> bool:
    return fold(text.strip(" «<‹←")) in {fold(b) for b in BACK}


def is_furniture(text: str) -> bool:
    """Lines that are never a title: links, facet headings, the template link."""
    return (is_read_more(text) or is_back(text) or fold(text) in FACET_HEADINGS
            or bool(TEMPLATE_LINK.match(text)))


def guess_language(texts: list[str]) -> str:
    """The language whose page words occur more often ("en" on a tie)."""
    scores = {lang: sum(len(rx.findall(t)) for t in texts) for lang, rx in LANGUAGE_WORDS.items()}
    return "fr" if scores["fr"] > scores["en"] else "en"
