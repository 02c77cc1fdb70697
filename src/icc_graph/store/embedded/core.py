"""The in-memory core of an on-disk release: what it holds, and which queries it may answer alone.

On disk, Oxigraph sorts by reading every compared string back from RocksDB:
70 % of the benchmark's uncached listing at 100k practices (bench/RESULTS.md,
"Where the uncached listing goes on disk"). Holding the whole release in
memory takes 2.1 GB there, and a copy per query process. The core is the
merged default graph without the triples that make most of it and that
listings, joins and counts seldom ask for: the template's long texts, the
provenance of every statement and the cross-city links' evidence. One core
server (core_server.py) holds it for every query process.

A query is answered from the core only when the answer cannot differ from the
whole store's: every triple pattern (in EXISTS, sub-selects and property paths
too) has a fixed predicate that the core holds in full, no pattern reads a named
graph (GRAPH, FROM, FROM NAMED, a protocol dataset), the query is no DESCRIBE
(which returns everything about a resource), and no path may have zero length
(``p*``, ``p?`` match every node of the graph, and the core has fewer). Only
queries that sort or group are asked (ORDER BY, GROUP BY): where the core is
faster than the disk, and worth the 10 to 20 ms rdflib takes to parse a query.
Anything rdflib cannot parse goes to the disk, which reports its own errors.
"""

from __future__ import annotations

from pathlib import Path

from ...vocabulary.prefixes import ICC, NAMESPACES, PREDECLARED
from ...vocabulary.sections import SECTION_IRIS
from ...vocabulary.sparql_text import keywords

CORE_FILE = "core.nt"   # beside the store folder's release.json

DCTERMS, PROV, PAV = NAMESPACES["dcterms"], NAMESPACES["prov"], NAMESPACES["pav"]

# The predicates the core leaves out: 4.84 of the 6.47 million triples at 100k practices (the core keeps 1.63).
LEFT_OUT = frozenset({
    *SECTION_IRIS.values(), DCTERMS + "abstract",                                   # long texts
    PROV + "wasDerivedFrom", PROV + "wasGeneratedBy", DCTERMS + "source", PAV + "retrievedOn",   # provenance
    *(ICC + name for name in ("sharedTheme", "similarPractice", "evidence", "linkEnd", "method", "score",
                              "weight", "linkScore")),                              # the links' evidence
})

_ASKED = {"ORDER", "GROUP"}
_NEVER = {"GRAPH", "FROM", "NAMED", "SERVICE", "DESCRIBE"}


def write_core(store, path: Path) -> None:
    """Write the core of ``store`` (a pyoxigraph Store holding the merge as its default graph) to ``path`` as
    N-Triples, all inside Oxigraph: no Python object per triple (100k practices: 6.47 million of them)."""
    from pyoxigraph import RdfFormat

    left_out = ", ".join(f"<{iri}>" for iri in sorted(LEFT_OUT))
    store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?p NOT IN ({left_out})) }}").serialize(
        str(path), RdfFormat.N_TRIPLES)


def core_may_answer(query: str, base_iri: str | None = None) -> bool:
    """Whether the core's answer to ``query`` (over its default graph) is the whole store's (see the docstring)."""
    words = keywords(query)
    if not words & _ASKED or words & _NEVER:
        return False
    try:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        return _held_throughout(translateQuery(parseQuery(query), base=base_iri or None, initNs=PREDECLARED).algebra)
    except Exception:  # noqa: BLE001 - whatever rdflib cannot read, the engine reads on disk
        return False


def warm_parser() -> None:
    """Import rdflib's SPARQL parser and build its grammar once, in the query server before it forks: each query
    process would otherwise pay about half a second for it on its first sorting query."""
    core_may_answer("SELECT ?s WHERE { ?s a ?t } ORDER BY ?s")


_REFUSED_PARTS = {"Graph", "GraphGraphPattern", "ServiceGraphPattern", "DescribeQuery"}


def _held_throughout(node) -> bool:
    from rdflib.plugins.sparql.algebra import triples
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        # dict.get: CompValue.get answers a missing key with the key itself
        if node.name in _REFUSED_PARTS or dict.get(node, "datasetClause"):
            return False
        if node.name == "BGP":
            patterns = node["triples"]
        elif node.name == "TriplesBlock":   # inside EXISTS rdflib keeps the parser's flat lists
            patterns = triples(node["triples"])
        else:
            patterns = ()
        return all(_held_predicate(p) for _, p, _ in patterns) and all(_held_throughout(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return all(_held_throughout(item) for item in node)
    return True


def _held_predicate(predicate) -> bool:
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, OneOrMore, SequencePath

    if isinstance(predicate, (SequencePath, AlternativePath)):
        return all(_held_predicate(part) for part in predicate.args)
    if isinstance(predicate, InvPath):
        return _held_predicate(predicate.arg)
    if isinstance(predicate, MulPath):   # p+ only: p* and p? also match every node with itself
        return predicate.mod == OneOrMore and _held_predicate(predicate.path)
    return isinstance(predicate, URIRef) and str(predicate) not in LEFT_OUT   # not a variable, nor a negated set
