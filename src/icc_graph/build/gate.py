"""The SHACL gate: shapes/*.ttl over the graph, each result traced to the data file and field behind it.

What is validated: every named graph of the release. The build never holds
the whole graph in rdflib (chunks.py): it runs the shapes over one chunk at a
time (``Gate``), each chunk holding every triple of the subjects it owns, and
merges the results; ``validate`` runs the same Gate over a whole Dataset (tests,
small data). The data is read in place (union_view.py); the ontology and
metadata graphs ride along, but no shape targets their classes, and their
subclass axioms only make ``sh:class`` follow RDFS. No inference is run: it
would cost time and find nothing the shapes ask about. Every shape is a
property shape with its own ``sh:targetClass``, because pyshacl then checks all
focus nodes of a shape in one pass instead of one pass per focus node (see
bench/RESULTS.md, "Validation").

A Violation stops the release; a Warning is reported and published. The report
written into the release (``validation-report.ttl``) is an ``sh:ValidationReport``
rebuilt from pyshacl's results with sorted, named result nodes, so that the same
data gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as run_pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..errors import DataError
from ..vocabulary import handwritten
from ..vocabulary.iris import Minter
from ..vocabulary.namespaces import PREFIXES
from ..vocabulary.release_folder import REPORT
from .data_locations import Origins
from .direct_shapes import DirectShapes
from .records import Records
from .union_view import data_graph

SHAPES_NS = "https://w3id.org/icc-graph/shapes#"
_SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True)
class Finding:
    """One validation result, with where in data/ (or ontology/) to fix it."""

    severity: URIRef            # sh:Violation, sh:Warning or sh:Info
    focus: URIRef | BNode
    # A complex path (sh:alternativePath) is a blank node, new in every run: the shape says which path it is.
    path: URIRef | BNode | None = dataclasses.field(compare=False)
    value: object | None
    message: str
    shape: URIRef | BNode | None
    component: URIRef
    file: Path | None           # the file to edit; None for what the build derives
    record: str | None          # the record inside a file that holds several ("cities[3]")
    field: str | None           # the YAML field ("source.end_year") or Turtle property
    seen: tuple = ()            # for a result with no sh:value (counts): the values the data holds

    @property
    def severity_name(self) -> str:
        return str(self.severity).rpartition("#")[2]

    def where(self) -> str:
        where = str(self.file) if self.file else f"<{self.focus}> (derived by the build)"
        return where + self.inside("'")

    def inside(self, quote: str) -> str:
        """ " [record] field <quote>name<quote>", as far as they are known."""
        record = f" [{self.record}]" if self.record else ""
        return record + (f" field {quote}{self.field}{quote}" if self.field else "")

    def describe(self) -> str:
        shown = (self.value,) if self.value is not None else self.seen
        value = f" (value: {', '.join(_short(v) for v in shown)})" if shown else ""
        shape = f" [{_short(self.shape)}]" if self.shape is not None else ""
        return f"{self.severity_name.upper():9} {self.where()}: {self.message}{value}{shape}"


@dataclass
class Validation:
    findings: list[Finding]
    report: Graph               # the sh:ValidationReport written into the release
    focus_nodes: int

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == SH.Violation]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == SH.Warning]

    @property
    def conforms(self) -> bool:
        return not self.violations


class ValidationFailed(DataError):
    """The data breaks at least one shape of severity Violation: nothing may be published."""

    def __init__(self, validation: Validation):
        self.validation = validation
        first = validation.violations[0]
        super().__init__(first.file or Path(str(first.focus)), first.message, field=first.field, record=first.record)
        self.args = (f"{len(validation.violations)} SHACL violation(s); the first: {first.where()}: {first.message}",)

    def __str__(self) -> str:
        return self.args[0]


def load_shapes(mint: Minter) -> Graph:
    """Every shapes/*.ttl, with IRIs under the default base (schemes, themes) moved to ``mint``'s base."""
    shapes = Graph()
    for path in sorted(handwritten.resource_dir("shapes").glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:    # rdflib raises several kinds; all mean the same to the reader
            raise DataError(path, f"not valid Turtle: {exc}") from None
    return _rebased(shapes, mint)


def _rebased(shapes: Graph, mint: Minter) -> Graph:
    def move(term):
        return mint.rebase(term) if isinstance(term, URIRef) and not term.startswith(SHAPES_NS) else term

    out = Graph()
    for s, p, o in shapes:
        out.add((move(s), p, move(o)))
    return out


def run_shapes(data: Graph, shapes: Graph) -> Graph:
    """pyshacl's results graph for ``data``: no inference, no SHACL-AF, no copy of the data."""
    _, results, _ = run_pyshacl(data, shacl_graph=shapes, inference="none", advanced=False,
                                allow_warnings=True, inplace=True)
    return results


class Gate:
    """The shapes run over a release one chunk at a time, the results merged into one report.

    A chunk holds every triple of the subjects it owns, so what the shapes find about
    those subjects is what they would find in the whole graph. Nodes it only points at
    get their types from ``context_types`` (for ``sh:class``) and are not checked here.
    The SPARQL constraints look for self links, which are triples of owned subjects,
    so their results (on the rule node every chunk targets) are kept from every chunk.
    """

    def __init__(self, records: Records, mint: Minter, data_dir: Path):
        self.records, self.mint, self.data_dir = records, mint, data_dir
        self.shapes = load_shapes(mint)
        self.targets = set(self.shapes.objects(None, SH.targetClass))
        self.origins = Origins(records, mint.base, data_dir)
        self.results = Graph()
        self.findings: set[Finding] = set()
        self.focus_nodes = 0
        self._direct: DirectShapes | None = None

    def check_direct(self, triples, subclasses: Graph, context_types: dict) -> bool:
        """Validate a chunk given as plain triples (direct_shapes.py): every triple of the subjects it holds.

        False, with nothing checked, when pyshacl must do it: a shape of a kind DirectShapes
        does not check selects one of the chunk's subjects.
        """
        checked = self._direct_shapes(subclasses).check(triples, context_types, self.targets)
        if checked is None:
            return False
        results, focus_nodes = checked
        for r in results:
            file, record, field = self.origins.locate(r.focus, r.path)
            self.findings.add(Finding(severity=r.severity, focus=r.focus, path=r.path, value=r.value,
                                      message=str(r.message), shape=r.shape, component=r.component,
                                      file=file, record=record, field=field, seen=r.seen))
        self.focus_nodes += focus_nodes
        return True

    def keep_context(self, dataset: Dataset, subclasses: Graph) -> None:
        """Give the direct checks of later chunks what their SPARQL constraints need from the context chunk."""
        self._direct_shapes(subclasses).keep_context((s, p, o) for s, p, o, _ in dataset.quads())

    def _direct_shapes(self, subclasses: Graph) -> DirectShapes:
        if self._direct is None:
            self._direct = DirectShapes(self.shapes, subclasses)
        return self._direct

    def check(self, dataset: Dataset, owned: set | None = None, context_types: dict | None = None) -> None:
        """Validate one chunk; ``owned`` None means the dataset is the whole release."""
        data = data_graph(dataset, context_types)
        results = run_shapes(data, self.shapes)
        for node in results.subjects(RDF.type, SH.ValidationResult):
            focus = results.value(node, SH.focusNode)
            if owned is None or focus in owned or \
                    results.value(node, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent:
                self.findings.add(_finding(results, node, self.origins, data))
        self.results += results
        self.focus_nodes += len({s for cls in self.targets for s in data.subjects(RDF.type, cls)
                                 if owned is None or s in owned})

    @property
    def conforms(self) -> bool:
        return not any(f.severity == SH.Violation for f in self.findings)

    def finish(self) -> Validation:
        findings = sorted(self.findings, key=_sort_key)
        return Validation(findings, report_graph(findings, self.results, self.mint, self.records.metadata.version,
                                                 self.data_dir), self.focus_nodes)


def _finding(results: Graph, node, origins: Origins, data: Graph) -> Finding:
    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
    file, record, field = origins.locate(focus, path if isinstance(path, URIRef) else _first_alternative(results, path))
    return Finding(
        severity=results.value(node, SH.resultSeverity), focus=focus, path=path,
        value=results.value(node, SH.value), message=messages[0] if messages else "constraint not met",
        shape=results.value(node, SH.sourceShape), component=results.value(node, SH.sourceConstraintComponent),
        file=file, record=record, field=field,
        # A partly confirmed Wikidata id (sh:maxCount 0) is worth naming: the curator checks that id.
        seen=tuple(sorted(data.objects(focus, path)))[:3] if isinstance(path, URIRef) and
        results.value(node, SH.value) is None else (),
    )


def _first_alternative(results: Graph, path) -> URIRef | None:
    """The first property of an ``sh:alternativePath``: its field is where the curator fills the gap."""
    alternatives = results.value(path, SH.alternativePath) if path is not None else None
    first = results.value(alternatives, RDF.first) if alternatives is not None else None
    return first if isinstance(first, URIRef) else None


def _sort_key(f: Finding):
    # Records in file order: "cities[3]" before "cities[12]".
    record = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", f.record or "")]
    return (_SEVERITY_ORDER.get(f.severity, 9), str(f.file or ""), record, f.field or "", str(f.focus),
            str(f.path) if isinstance(f.path, URIRef) else "", str(f.shape or ""), str(f.value or ""),
            # One value can break several constraints of one shape (a string against sh:minInclusive
            # and sh:maxInclusive): without these the report's order, and its bytes, follow set order.
            str(f.component or ""), f.message, _n3(f.value), tuple(_n3(v) for v in f.seen))


def _n3(term) -> str:
    # "0.5" and "0.5"^^xsd:decimal are different findings with the same str().
    return term.n3() if hasattr(term, "n3") else str(term or "")


def report_graph(findings: list[Finding], results: Graph, mint: Minter, version: str, data_dir: Path) -> Graph:
    """The ``sh:ValidationReport``: one named node per result, in the findings' order."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("icsh", SHAPES_NS)
    report = URIRef(f"{mint.release(version)}/{REPORT}")
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not any(f.severity == SH.Violation for f in findings))))
    for n, f in enumerate(findings, start=1):
        result = URIRef(f"{report}#result-{n}")
        g.add((report, SH.result, result))
        g.add((result, RDF.type, SH.ValidationResult))
        g.add((result, SH.focusNode, f.focus))
        g.add((result, SH.resultSeverity, f.severity))
        g.add((result, SH.sourceConstraintComponent, f.component))
        g.add((result, SH.resultMessage, Literal(f.message, lang="en")))
        if isinstance(f.shape, URIRef):
            g.add((result, SH.sourceShape, f.shape))
        if f.path is not None:
            g.add((result, SH.resultPath, _copy_node(results, f.path, g, f"r{n}p")))
        if f.value is not None and not isinstance(f.value, BNode):
            g.add((result, SH.value, f.value))
        # Where to fix it, relative to the data folder so that the release names no local paths.
        g.add((result, RDFS.comment, Literal(_portable_where(f, data_dir))))
    return g


def _copy_node(source: Graph, node, target: Graph, label: str):
    """Copy a (possibly blank-node) SHACL path into ``target`` with predictable blank-node labels."""
    if not isinstance(node, BNode):
        return node
    counter = Counter()

    def copy(n):
        if not isinstance(n, BNode):
            return n
        counter["n"] += 1
        new = BNode(f"{label}{counter['n']}")
        # A path node has one value per predicate. The merged results of several chunks can hold one
        # equal copy of a list per chunk under the same shape's path node: keep one.
        for p in sorted(set(source.predicates(n))):
            target.add((new, p, copy(min(source.objects(n, p)))))
        return new

    return copy(node)


def _portable_where(f: Finding, data_dir: Path) -> str:
    if f.file is None:
        return f"derived by the build: {f.focus}"
    try:
        where = "data/" + f.file.relative_to(data_dir).as_posix()
    except ValueError:
        where = f"ontology/{f.file.name}" if f.file.suffix == ".ttl" else str(f.file)
    return where + f.inside("")


def _short(term) -> str:
    text = str(term)
    for prefix, ns in (("icsh", SHAPES_NS), *PREFIXES.items()):
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


def render_report(validation: Validation, limit: int | None = None) -> str:
    """The findings for a terminal: violations first, then warnings; ``limit`` caps each severity."""
    lines = [f"validation: {len(validation.violations)} violation(s), {len(validation.warnings)} warning(s) "
             f"over {validation.focus_nodes} resources"]
    shown: Counter = Counter()
    for f in validation.findings:
        shown[f.severity] += 1
        if limit is None or shown[f.severity] <= limit:
            lines.append("  " + f.describe())
    for severity, count in shown.items():
        if limit is not None and count > limit:
            lines.append(f"  ... and {count - limit} more {str(severity).rpartition('#')[2].lower()}(s); "
                         f"see {REPORT} or run `icc-graph validate`")
    return "\n".join(lines)
