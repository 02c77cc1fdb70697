"""The shapes of derived links checked in Python, straight on the triples, without rdflib's store or pyshacl.

Two thirds of a release's triples are derived links (city links and practice
similarities, chunks 3 and 4 of chunks.py), and putting them in rdflib's store
(about 35 us a triple) and through pyshacl cost most of the build. Their shapes
(shapes/links.ttl) are simple per-node property shapes: sh:minCount, sh:maxCount,
sh:class, sh:datatype, sh:minInclusive, sh:maxInclusive and sh:or of sh:class,
on nodes found by sh:targetClass. ``DirectShapes`` evaluates exactly those, with
pyshacl's own rules for each (value by value, literal comparison by pyshacl's
``compare_literal``), and gives the results pyshacl would give as (shape, focus,
value, component) tuples. A shape it does not know how to check makes
``DirectShapes.for_classes`` answer None, and the build sends those chunks through
pyshacl as before. tests/test_direct_shapes.py proves both agree, broken links included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

_CLASS = URIRef(str(SH) + "class")   # SH's attribute names would be Python keywords
_OR = URIRef(str(SH) + "or")
# Shape parameters that name the shape, its targets and its result, not a constraint.
_DESCRIPTIVE = {RDF.type, SH.path, SH.targetClass, SH.severity, SH.message, SH.name, SH.description,
                RDFS.label, RDFS.comment}
_CHECKED = {SH.minCount, SH.maxCount, _CLASS, SH.datatype, SH.minInclusive, SH.maxInclusive, _OR}
_COMPONENT = {SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
              _CLASS: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
              SH.minInclusive: SH.MinInclusiveConstraintComponent,
              SH.maxInclusive: SH.MaxInclusiveConstraintComponent, _OR: SH.OrConstraintComponent}
# What pyshacl's DatatypeConstraintComponent accepts as the value of a literal of these datatypes.
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}


@dataclass(frozen=True)
class Result:
    shape: URIRef
    focus: URIRef
    path: URIRef
    value: object | None
    component: URIRef
    severity: URIRef
    message: Literal
    seen: tuple = ()        # for a failed count: the first values the node holds, as the gate reports them


@dataclass(frozen=True)
class PropertyShape:
    shape: URIRef
    targets: frozenset
    path: URIRef
    severity: URIRef
    message: Literal
    constraints: tuple     # (parameter, value): sh:or's value is the tuple of its classes


class DirectShapes:
    """The property shapes that target ``classes``, when every one of them can be checked here."""

    def __init__(self, shapes: list[PropertyShape], subclasses: Graph):
        self.shapes = shapes
        self._supers: dict = {}
        self._subclasses = subclasses

    @classmethod
    def for_classes(cls, shapes: Graph, classes: set, subclasses: Graph) -> DirectShapes | None:
        """None when a shape that can select a node of ``classes`` is of a kind this module does not check."""
        found = []
        for shape in set(shapes.subjects(SH.targetClass, None)):
            targets = frozenset(shapes.objects(shape, SH.targetClass))
            if not targets & classes:
                continue
            parsed = _parse(shapes, shape, targets)
            if parsed is None:
                return None
            found.append(parsed)
        # Any other kind of target could select these nodes too: only sh:targetClass is handled.
        for kind in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            for shape, _, _ in shapes.triples((None, kind, None)):
                if set(shapes.objects(shape, SH.targetClass)) & classes:
                    return None
        return cls(sorted(found, key=lambda s: str(s.shape)), subclasses)

    def check(self, triples: list[tuple], context_types: dict) -> tuple[list[Result], set]:
        """The results for the nodes of ``triples`` (a whole chunk) and the focus nodes checked."""
        index: dict = defaultdict(lambda: defaultdict(dict))
        for s, p, o in triples:
            index[s][p][o] = None   # a graph holds a triple once: a dict is an ordered set

        def types(node) -> tuple:
            held = index.get(node)
            return tuple(held[RDF.type]) if held and RDF.type in held else context_types.get(node, ())

        by_class = defaultdict(list)
        for s, properties in index.items():
            for t in properties.get(RDF.type, ()):
                by_class[t].append(s)
        self._known: dict = {}      # (value, class) -> instance or not, for this chunk
        results, focus_nodes = [], set()
        for shape in self.shapes:
            for target in shape.targets:
                for focus in by_class.get(target, ()):
                    focus_nodes.add(focus)
                    values = list(index[focus].get(shape.path, ()))
                    for parameter, expected in shape.constraints:
                        for value in self._failures(parameter, expected, values, types):
                            seen = tuple(sorted(values))[:3] if value is None else ()
                            results.append(Result(shape.shape, focus, shape.path, value, _COMPONENT[parameter],
                                                  shape.severity, shape.message, seen))
        return results, focus_nodes

    def _failures(self, parameter, expected, values: list, types) -> list:
        """The failing values (a [None] for a failed count), as pyshacl finds them."""
        if parameter == SH.minCount:
            return [None] if len(values) < int(expected) else []
        if parameter == SH.maxCount:
            return [None] if len(values) > int(expected) else []
        if parameter == _CLASS:
            return [v for v in values if not self._instance(v, expected, types)]
        if parameter == _OR:
            return [v for v in values if not any(self._instance(v, c, types) for c in expected)]
        if parameter == SH.datatype:
            return [v for v in values if not _has_datatype(v, expected)]
        if parameter == SH.minInclusive:
            return [v for v in values if not _compares(v, expected, lambda c: c >= 0)]
        return [v for v in values if not _compares(v, expected, lambda c: c <= 0)]    # sh:maxInclusive

    def _instance(self, value, cls, types) -> bool:
        key = (value, cls)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = not isinstance(value, Literal) and \
                any(t == cls or cls in self._superclasses(t) for t in types(value))
        return known

    def _superclasses(self, cls) -> tuple:
        supers = self._supers.get(cls)
        if supers is None:
            supers = self._supers[cls] = tuple(self._subclasses.transitive_objects(cls, RDFS.subClassOf))
        return supers


def _parse(shapes: Graph, shape, targets) -> PropertyShape | None:
    path = shapes.value(shape, SH.path)
    messages = list(shapes.objects(shape, SH.message))
    if not isinstance(shape, URIRef) or not isinstance(path, URIRef) or len(messages) != 1:
        return None
    constraints: list[tuple[object, object]] = []
    for parameter, value in shapes.predicate_objects(shape):
        if parameter in _DESCRIPTIVE:
            continue
        if parameter not in _CHECKED:
            return None
        if parameter == _OR:
            classes = []
            for member in shapes.items(value):
                kinds = set(shapes.predicate_objects(member))
                if not isinstance(member, BNode) or len(kinds) != 1 or next(iter(kinds))[0] != _CLASS:
                    return None
                classes.append(next(iter(kinds))[1])
            constraints.append((parameter, tuple(classes)))
        else:
            constraints.append((parameter, value))
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef) or not isinstance(messages[0], Literal):
        return None
    return PropertyShape(shape, targets, path, severity, messages[0], tuple(sorted(constraints, key=str)))


def _has_datatype(v, datatype) -> bool:
    """pyshacl's DatatypeConstraintComponent for one value."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        return getattr(v, "ill_typed", None) is not True and _python_value_fits(v, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype:
        return v.datatype is not None
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return _python_value_fits(v, datatype)
    if datatype == RDF.langString and v.language:
        return _python_value_fits(v, datatype)
    return False


def _python_value_fits(v: Literal, datatype) -> bool:
    kind = _PYTHON_TYPES.get(datatype)
    return kind is None or isinstance(v.value, kind)


def _compares(v, bound: Literal, accept) -> bool:
    """pyshacl's sh:minInclusive / sh:maxInclusive for one value."""
    if not isinstance(v, Literal) or isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        return accept(compare_literal(v, bound))
    except (TypeError, NotImplementedError):
        return False
