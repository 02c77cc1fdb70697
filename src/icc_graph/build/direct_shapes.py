"""The shapes checked in Python, straight on a chunk's triples, without rdflib's store or pyshacl.

Practices and derived links (chunks 2 to 4 of chunks.py) are almost every triple
of a release, and putting them in rdflib's store (about 35 us a triple) and
through pyshacl cost most of the build. Their shapes are simple: property shapes
(and node shapes without a path) on nodes found by sh:targetClass, sh:targetNode,
sh:targetSubjectsOf or sh:targetObjectsOf, with the constraints of direct_rules.py,
and node shapes with SPARQL constraints (direct_sparql.py). ``DirectShapes``
evaluates exactly those, with pyshacl's own rule for each, and gives the results
pyshacl would give on the same chunk, keeping what the gate keeps: results on the
chunk's own subjects, and every SPARQL result.

A shape of another kind (a qualified value shape, a complex path, a message
with placeholders, ...) is kept aside: when it could select a subject of the
chunk, ``check`` answers None and the build sends the chunk through pyshacl as
before. tests/test_direct_shapes.py proves both agree, broken records included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .direct_rules import COMPONENT, OR, compile_rule
from .direct_sparql import SparqlConstraint, chunk_store, parse_sparql, run

# Shape parameters that name the shape, its targets and its result, not a constraint.
_DESCRIPTIVE = {RDF.type, SH.path, SH.severity, SH.message, SH.name, SH.description, RDFS.label, RDFS.comment}
# Results without a value: pyshacl would give a node shape's its focus node; not used by the shapes, so not here.
_NEED_A_PATH = {SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.lessThanOrEquals}
_TYPE = RDF.type       # rdflib's namespace attributes are Python code on every access: looked up once
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class Result:
    shape: URIRef
    focus: URIRef
    path: URIRef | None
    value: object | None
    component: URIRef
    severity: URIRef
    message: Literal | None
    seen: tuple = ()        # for a failed count: the first values the node holds, as the gate reports them


@dataclass(frozen=True)
class Targets:
    classes: frozenset
    nodes: frozenset
    subjects_of: frozenset
    objects_of: frozenset


@dataclass(frozen=True)
class DirectShape:
    shape: URIRef
    targets: Targets
    path: URIRef | None     # None: a node shape, whose value node is the focus node itself
    severity: URIRef
    message: Literal | None
    constraints: tuple      # (its component, its rule compiled by direct_rules.compile_rule)
    sparql: tuple[SparqlConstraint, ...] = ()

    @property
    def path_is_type(self) -> bool:
        return self.path is not None and str.__eq__(self.path, str(RDF.type))


class DirectShapes:
    """Every shape of the shapes graph, those it can check parsed, the others kept by their targets."""

    def __init__(self, shapes: Graph, subclasses: Graph):
        self._subclasses = subclasses
        self._supers: dict = {}
        self.shapes: list[DirectShape] = []
        self.unknown: list[Targets] = []
        for shape in sorted({s for kind in _TARGETS for s in shapes.subjects(kind, None)}, key=str):
            targets = Targets(*(frozenset(shapes.objects(shape, kind)) for kind in _TARGETS))
            parsed = _parse(shapes, shape, targets)
            if parsed is None:
                self.unknown.append(targets)
            else:
                self.shapes.append(parsed)
        every = [s.targets for s in self.shapes] + self.unknown
        self._selecting = frozenset().union(*(t.subjects_of | t.objects_of for t in every))
        named = [c.predicates for s in self.shapes for c in s.sparql]
        self._sparql_predicates: frozenset | None = None if None in named else \
            frozenset().union(*(n for n in named if n is not None))
        self._with_subclasses = {c: self._subclasses_of(c) for t in every for c in t.classes}
        self._context: dict = {}    # predicate -> the context chunk's triples with it (keep_context)

    def keep_context(self, triples) -> None:
        """Keep the context chunk's triples that a SPARQL constraint names (places' containment, the rules'
        plans): a chunk of links cannot be judged against its city's districts or its rule's threshold without them."""
        if self._sparql_predicates is None:
            return
        for s, p, o in triples:
            if p in self._sparql_predicates and p != _TYPE:     # types come with context_types
                self._context.setdefault(p, []).append((s, p, o))

    def _context_for(self, index: dict) -> list:
        """The kept context triples of every predicate a SPARQL constraint names beside one the chunk holds:
        those constraints are about this chunk's data (``icc:linkScore`` against ``icc:threshold``). A
        constraint wholly about the context (``icc:linkedCity``) was checked with the context chunk."""
        held = {p for properties in index.values() for p in properties} - {_TYPE}
        needed: set = set()
        for shape in self.shapes:
            for constraint in shape.sparql:
                if constraint.predicates and constraint.predicates & held:
                    needed |= constraint.predicates - held
        return [t for p in sorted(needed) for t in self._context.get(p, ())]

    def check(self, triples, context_types: dict, target_classes: set) -> tuple[list[Result], int] | None:
        """The results on the chunk ``triples`` (all its subjects' triples) and its number of focus nodes
        (subjects typed with a ``target_classes``, as the gate counts them); None: pyshacl must check it."""
        index: dict = defaultdict(lambda: defaultdict(dict))
        for s, p, o in triples:
            index[s][p][o] = None   # a graph holds a triple once: a dict is an ordered set
        by_class: dict = defaultdict(list)
        subjects_with: dict = defaultdict(list)
        objects_of: dict = defaultdict(dict)
        for s, properties in index.items():
            for t in properties.get(_TYPE, ()):
                by_class[t].append(s)
            for p in self._selecting.intersection(properties):
                subjects_with[p].append(s)
                objects_of[p].update(properties[p])
        chunk = (index, by_class, subjects_with, objects_of)
        if any(self._focus_nodes(targets, *chunk) for targets in self.unknown):
            return None

        def types(node) -> tuple:
            held = index.get(node)
            return tuple(held[_TYPE]) if held and _TYPE in held else context_types.get(node, ())

        self._known: dict = {}      # (value, class) -> instance or not, for this chunk

        def instance(value, cls) -> bool:
            return self._instance(value, cls, types)

        results = []
        store = None
        for shape in self.shapes:
            if shape.sparql:    # kept from every chunk: a SPARQL constraint looks at the whole chunk
                if store is None:
                    store = chunk_store([*triples, *self._context_for(index)], index, context_types,
                                        self._subclasses, self._sparql_predicates)
                for focus in sorted(shape.targets.nodes):
                    for constraint in shape.sparql:
                        results += [Result(shape.shape, this, None, value, SH.SPARQLConstraintComponent,
                                           shape.severity, constraint.message) for this, value in
                                    run(constraint, store, focus)]
                continue
            for focus in self._focus_nodes(shape.targets, *chunk):
                held = index[focus]
                if shape.path is None:
                    values = [focus]
                elif shape.path_is_type:
                    values = list(types(focus))     # the gate's view completes types from the context
                else:
                    values = list(held.get(shape.path, ()))
                for component, rule in shape.constraints:
                    for value in rule(values, instance, held):
                        seen = tuple(sorted(values))[:3] if value is None else ()
                        results.append(Result(shape.shape, focus, shape.path, value, component,
                                              shape.severity, shape.message, seen))
        focus_nodes = sum(1 for properties in index.values() if any(t in target_classes
                                                                     for t in properties.get(_TYPE, ())))
        return results, focus_nodes

    def _focus_nodes(self, targets: Targets, index: dict, by_class: dict, subjects_with: dict,
                     objects_of: dict) -> list:
        """The chunk's own subjects that ``targets`` select (results on other nodes are not the chunk's)."""
        found: dict = {}
        for cls in targets.classes:
            for c in self._with_subclasses[cls]:
                found.update(dict.fromkeys(by_class.get(c, ())))
        for p in targets.subjects_of:
            found.update(dict.fromkeys(subjects_with.get(p, ())))
        for p in targets.objects_of:
            found.update((o, None) for o in objects_of.get(p, ()) if o in index)
        found.update((n, None) for n in targets.nodes if n in index)
        return list(found)

    def _subclasses_of(self, cls) -> tuple:
        """``cls`` and its subclasses: pyshacl's sh:targetClass selects their instances too."""
        return (cls, *(c for c in self._subclasses.transitive_subjects(RDFS.subClassOf, cls) if c != cls))

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


def _parse(shapes: Graph, shape, targets: Targets) -> DirectShape | None:
    if not isinstance(shape, URIRef):
        return None
    path = shapes.value(shape, SH.path)
    messages = list(shapes.objects(shape, SH.message))
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef) or (path is not None and not isinstance(path, URIRef)):
        return None
    sparql = tuple(shapes.objects(shape, SH.sparql))
    if sparql:
        parsed = [parse_sparql(shapes, c) for c in sparql]
        only = set(shapes.predicates(shape)) <= {*_DESCRIPTIVE, SH.targetNode, SH.sparql}
        if path is not None or messages or not only or targets.classes or targets.subjects_of or \
                targets.objects_of:
            return None
        known = tuple(c for c in parsed if c is not None)
        return DirectShape(shape, targets, None, severity, None, (), known) if len(known) == len(parsed) else None
    if len(messages) != 1 or not isinstance(messages[0], Literal) or "{" in messages[0]:
        return None
    constraints: list = []
    parameters: set = set()
    for parameter, value in shapes.predicate_objects(shape):
        if parameter in _DESCRIPTIVE or parameter in _TARGETS:
            continue
        if parameter not in COMPONENT or parameter in parameters or (path is None and parameter in _NEED_A_PATH):
            return None     # a parameter twice would need pyshacl's rules for that too
        expected = _classes_of_or(shapes, value) if parameter == OR else value
        rule = None if expected is None else compile_rule(parameter, expected, shapes.items)
        if rule is None:
            return None
        parameters.add(parameter)
        constraints.append((COMPONENT[parameter], rule))  # type: ignore[index]
    return DirectShape(shape, targets, path, severity, messages[0], tuple(constraints))


def _classes_of_or(shapes: Graph, members) -> tuple | None:
    """sh:or of shapes that each hold one sh:class: the classes, else None."""
    classes = []
    for member in shapes.items(members):
        kinds = set(shapes.predicate_objects(member))
        if not isinstance(member, BNode) or len(kinds) != 1 or next(iter(kinds))[0] != URIRef(str(SH) + "class"):
            return None
        classes.append(next(iter(kinds))[1])
    return tuple(classes) if classes else None
