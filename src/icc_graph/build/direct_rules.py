"""pyshacl's rule for each constraint the gate checks directly (direct_shapes.py), one value node at a time.

Each function answers what pyshacl's constraint component of the same name
answers for the value nodes of one focus node: the failing values, or ``[None]``
for a result without sh:value (counts, sh:hasValue, sh:uniqueLang). The rules
are copied from pyshacl 0.40's components, including their quirks: sh:pattern
is searched, not matched; a string and a number never compare; an ill-typed
literal fails sh:datatype.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

CLASS = URIRef(str(SH) + "class")   # SH's attribute names would be Python keywords
OR = URIRef(str(SH) + "or")
IN = URIRef(str(SH) + "in")

# What pyshacl's DatatypeConstraintComponent accepts as the value of a literal of these datatypes.
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}
_NODE_KINDS = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}

COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    CLASS: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    OR: SH.OrConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent, IN: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
}
_COMPARISONS: dict[URIRef, Callable[[int], bool]] = {
    SH.minInclusive: lambda c: c >= 0, SH.maxInclusive: lambda c: c <= 0,
    SH.minExclusive: lambda c: c > 0, SH.maxExclusive: lambda c: c < 0,
}


def compile_rule(parameter, value, items: Callable):
    """The rule of one constraint as a function ``(values, instance, held) -> failing values`` of one focus node
    (``[None]`` for a result without a value); None when the constraint is not one checked here, or its value
    not one pyshacl accepts the way the rule assumes.

    ``instance(value, class)`` answers sh:class; ``held`` is the focus node's values by property
    (sh:lessThanOrEquals compares with another property's); ``items`` reads an RDF list of the shapes.
    Compiled once per shape: comparing rdflib terms to pick the rule cost more than the rules.
    """
    expected = _parameter_value(parameter, value, items)
    if expected is None:
        return None
    if parameter == SH.minCount:
        return lambda values, instance, held: [None] if len(values) < expected else []
    if parameter == SH.maxCount:
        return lambda values, instance, held: [None] if len(values) > expected else []
    if parameter == CLASS:
        return lambda values, instance, held: [v for v in values if not instance(v, expected)]
    if parameter == OR:
        return lambda values, instance, held: [v for v in values if not any(instance(v, c) for c in expected)]
    if parameter == SH.datatype:
        return lambda values, instance, held: [v for v in values if not _has_datatype(v, expected)]
    if parameter in _COMPARISONS:
        accept = _COMPARISONS[parameter]
        return lambda values, instance, held: [v for v in values if not _compares(v, expected, accept)]
    if parameter == SH.pattern:
        return lambda values, instance, held: [v for v in values if isinstance(v, BNode) or
                                                not expected.search(_string(v))]
    if parameter == SH.nodeKind:
        kinds = _NODE_KINDS[expected]
        return lambda values, instance, held: [v for v in values if not isinstance(v, kinds)]
    if parameter == SH.minLength:
        return lambda values, instance, held: [v for v in values if expected != 0 and (
            isinstance(v, BNode) or len(_string(v)) < expected)]
    if parameter == SH.maxLength:
        return lambda values, instance, held: [v for v in values if isinstance(v, BNode) or
                                                len(_string(v)) > expected]
    if parameter == SH.languageIn:
        return lambda values, instance, held: [v for v in values if not _language_in(v, expected)]
    if parameter == SH.uniqueLang:
        return lambda values, instance, held: [None] if value.value and _duplicate_language(values) else []
    if parameter == IN:
        return lambda values, instance, held: [v for v in values if v not in expected]
    if parameter == SH.hasValue:
        return lambda values, instance, held: [] if any(v == expected for v in values) else [None]
    if parameter == SH.lessThanOrEquals:
        return lambda values, instance, held: [v for v in dict.fromkeys(values) if any(
            not _less_or_equal(v, o) for o in held.get(expected, ()))]
    return None


def _parameter_value(parameter, value, items: Callable):
    if parameter == SH.pattern:
        if not isinstance(value, Literal):
            return None
        return re.compile(str(value.value) if value.value is not None and len(value.value) > 1 else str(value))
    if parameter in (SH.minLength, SH.maxLength, SH.minCount, SH.maxCount):
        return int(value) if isinstance(value, Literal) and isinstance(value.value, int) and value.value >= 0 \
            else None
    if parameter == SH.nodeKind:
        return value if value in _NODE_KINDS else None
    if parameter == SH.languageIn:
        languages = list(items(value))
        if not all(isinstance(t, Literal) and isinstance(t.value, str) for t in languages):
            return None
        return frozenset(str(t.value).lower() for t in languages)
    if parameter == SH.uniqueLang:
        return value if isinstance(value, Literal) and isinstance(value.value, bool) else None
    if parameter == IN:
        return tuple(items(value))
    if parameter == SH.lessThanOrEquals:
        return value if isinstance(value, URIRef) else None
    return value


def _string(v) -> str:
    """pyshacl's string of a value node for sh:pattern and the lengths."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _language_in(v, languages: frozenset) -> bool:
    if not isinstance(v, Literal) or not v.language:
        return False
    lang = str(v.language).lower()
    return "*" in languages or lang in languages or lang.split("-")[0] in languages


def _duplicate_language(values: list) -> bool:
    seen = set()
    for v in values:
        if isinstance(v, Literal) and v.language:
            lang = str(v.language).lower()
            if lang in seen:
                return True
            seen.add(lang)
    return False


def _less_or_equal(v, other) -> bool:
    """pyshacl's sh:lessThanOrEquals for one pair: a string (or IRI) never compares with a non-string."""
    if isinstance(v, BNode) or isinstance(other, BNode):
        raise ValueError("sh:lessThanOrEquals cannot compare a blank node")   # pyshacl stops here too
    left, left_is_string = _comparable(v)
    right, right_is_string = _comparable(other)
    if left_is_string != right_is_string:
        return False
    return bool(left <= right)


def _comparable(v):
    if isinstance(v, URIRef):
        return str(v), True
    if isinstance(v, Literal) and isinstance(v.value, str):
        return v.value, True
    return v, False


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
    """pyshacl's sh:minInclusive, sh:maxInclusive, sh:minExclusive and sh:maxExclusive for one value."""
    if not isinstance(v, Literal) or isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        return accept(compare_literal(v, bound))
    except (TypeError, NotImplementedError):
        return False
