"""What the resource pages share within one app: IRIs, the store, and facts about the vocabulary read once.

The vocabulary (schema.org superclasses, term labels) is read from the store on
first use, not at start-up, so a forking server makes no query before it forks.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from ...config import Settings
from ...store import Answer, GraphSelection, Store, Turn
from ...store.base import FIRST
from ...vocabulary.iris import ONTOLOGY, SINGLETONS, Minter
from ...vocabulary.release_folder import DESCRIPTION_FILES
from ...vocabulary.reused import REUSED
from ..answer_cache import AnswerCache
from ..public import public_base
from .catalog import relocated
from .describe import is_safe_iri, schema_superclasses

LINKABLE_SCHEMES = ("http://", "https://", "mailto:")
TERM_LABELS_QUERY = f"""PREFIX rdfs: <{RDFS}>
PREFIX owl: <{OWL}>
SELECT ?term ?label WHERE {{
  VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
  ?term a ?kind ; rdfs:label ?label FILTER(isIRI(?term))
}}"""


ALL_GRAPHS = GraphSelection()


class CachedStore(Store):
    """A store whose answers are kept in the app's answer cache: a release never changes, nor do its answers."""

    def __init__(self, store: Store, answers: AnswerCache):
        self.store, self.answers = store, answers
        self.row_cap = store.row_cap

    @property
    def snapshot(self):
        return self.store.snapshot   # read each time: a remote store's release changes on `icc-graph push`

    def execute(self, query: str, media_type: str, timeout: float | None = None,
                graphs: GraphSelection = ALL_GRAPHS, turn: Turn = FIRST) -> Answer:
        key = ("pages", self.snapshot.checksum, query, media_type, graphs.default_graphs, graphs.named_graphs)
        answer = self.answers.get(key)
        if answer is None:
            started = time.monotonic()
            answer = self.store.execute(query, media_type, timeout, graphs, turn)
            self.answers.put(key, answer, time.monotonic() - started)
        return answer


@dataclass
class Site:
    store: CachedStore    # answers cached: the browsing pages ask the same questions again and again
    mint: Minter
    release: Path
    timeout: float
    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _superclasses: dict | None = None
    _term_labels: dict | None = None
    _vocabulary_of: str | None = None
    _release_description: Graph | None = None
    _record: tuple[str, Graph] | None = None    # (public base, the description relocated under it)

    def _vocabulary(self) -> tuple[dict, dict]:
        """(schema.org superclasses, term labels) of the release being served, read once per release."""
        checksum = self.store.snapshot.checksum
        with self._lock:
            if self._vocabulary_of != checksum:
                labels: dict[URIRef, list[Literal]] = {}
                for term, label in self.store.select(TERM_LABELS_QUERY, self.timeout)[1]:
                    labels.setdefault(term, []).append(label)
                for term, reused in REUSED.items():   # the ontology labels only its own terms
                    labels.setdefault(term, [Literal(reused.label, lang="en")])
                self._superclasses = schema_superclasses(self.store, self.timeout)
                self._term_labels, self._vocabulary_of = labels, checksum
            return self._superclasses, self._term_labels

    @property
    def superclasses(self) -> dict[URIRef, frozenset[URIRef]]:
        return self._vocabulary()[0]

    @property
    def term_labels(self) -> dict[URIRef, list[Literal]]:
        """Labels of the vocabulary's classes and properties: headings for what a page shows."""
        return self._vocabulary()[1]

    @property
    def release_description(self) -> Graph:
        """The release's own description (DCAT-AP, VoID, Service Description): it mints IRIs the store lacks."""
        with self._lock:
            if self._release_description is None:
                found = self.release / DESCRIPTION_FILES[0]
                self._release_description = Graph().parse(found, format="turtle") if found.is_file() else Graph()
            return self._release_description

    def release_record(self) -> Graph:
        """The release's description with its locations under this request's public URL (catalog.relocated).

        Kept for the last public URL only: a deployment is reached at one, and a Host header a client chooses
        must not grow a cache.
        """
        public = self.public_base
        kept = self._record
        if kept is not None and kept[0] == public:
            return kept[1]
        record = relocated(self.release_description, public)
        self._record = (public, record)   # one tuple assigned at once: no lock needed to read it whole
        return record

    @property
    def direct(self) -> Store:
        """The store without the answer cache, for descriptions (the pages cache their rendering instead)."""
        return self.store.store

    def iri_for_path(self, path: str) -> str:
        """The IRI a local path names: under the base, except the ontology, whose IRI never moves."""
        if path == "ontology" or path.startswith("ontology/"):
            return ONTOLOGY + path[len("ontology"):]
        return self.mint.base + path

    def is_ontology_version(self, iri: str) -> bool:
        """Whether ``iri`` is the owl:versionIRI of the ontology the store holds."""
        query = f"ASK {{ <{ONTOLOGY}> <{OWL.versionIRI}> <{iri}> }}" if is_safe_iri(iri) else ""
        return bool(query) and self.store.ask(query, self.timeout)

    def href(self, iri) -> str | None:
        """Where the site shows ``iri``: a local path for ours, the IRI itself for the rest of the web.

        None for an IRI a browser should not follow from our page (``javascript:``, ``data:``, ...):
        escaping makes text safe, not a link's scheme.
        """
        text = str(iri)
        if text == ONTOLOGY or text.startswith((ONTOLOGY + "#", ONTOLOGY + "/")):
            return "/ontology" + text[len(ONTOLOGY):]
        local = self.mint.local_path(text)
        if local is not None and local.split("/", 1)[0] in LOCAL_ROOTS:
            return "/" + local
        return text if text.lower().startswith(LINKABLE_SCHEMES) else None

    @property
    def public_base(self) -> str:
        """The site's public root for the current request (the setting, else the URL it came in on)."""
        return public_base(self.settings, request.environ)

    def public_url(self, path: str) -> str:
        return self.public_base + path.lstrip("/")


def _roots() -> frozenset[str]:
    from ...vocabulary.iris import PATTERNS

    roots = {t.split("/", 1)[0] for t in PATTERNS.values()}
    roots |= {t.split("/", 1)[0] for t in SINGLETONS.values()}
    return frozenset(roots)


LOCAL_ROOTS = _roots()
