"""The shared tables at the bottom of the package agree with the ontology, rdflib and the writers."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from icc_graph.build.dumps import WRITERS
from icc_graph.vocabulary import handwritten
from icc_graph.vocabulary.formats import DUMPS, GRAPH_TYPES, RDF_FORMATS, RESULT_FORMATS, SOLUTION_TYPES
from icc_graph.vocabulary.namespaces import PREFIXES
from icc_graph.vocabulary.prefixes import NAMESPACES, sparql_prologue
from icc_graph.vocabulary.release_folder import dump_name, dump_suffix
from icc_graph.vocabulary.sections import SECTION_IRIS, SECTIONS
from icc_graph.vocabulary.terms import ICC


def test_the_sections_are_the_ontologys_template_sections():
    ontology = Graph().parse(handwritten.ontology_file())
    declared = {str(p) for p in ontology.subjects(RDFS.subPropertyOf, DCTERMS.description)
                if str(p).startswith(NAMESPACES["icc"])}
    assert declared == set(SECTION_IRIS.values())
    assert SECTION_IRIS["key_success_factors"] == NAMESPACES["icc"] + "keySuccessFactors"
    assert len(SECTIONS) == 8 and SECTIONS[-1] == "key_reference_documents"


def test_pinned_terms_are_the_namespaces_iris_one_object_each_and_unknown_names_still_fail():
    for namespace, name in ((RDF, "type"), (RDFS, "label"), (XSD, "decimal"), (ICC, "CityLink")):
        term = getattr(namespace, name)
        assert type(term) is URIRef and term == URIRef(str(namespace._NS) + name)
        assert getattr(namespace, name) is term     # held, not built again on each access
    with pytest.raises(AttributeError):
        ICC.noSuchTerm    # noqa: B018 (the access is the test)


def test_rdflib_namespaces_are_the_prefix_table():
    assert {name: str(ns) for name, ns in PREFIXES.items()} == {k: v for k, v in NAMESPACES.items() if k != "icc"}
    assert sparql_prologue("icc", "rdfs") == (f"PREFIX icc: <{NAMESPACES['icc']}>\n"
                                              "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


def test_every_dump_format_has_one_writer_and_a_file_name():
    assert set(WRITERS) == {f.suffix for f in DUMPS}
    assert {dump_suffix(dump_name(f.suffix)) for f in DUMPS} == {f.suffix for f in DUMPS}
    assert dump_suffix(dump_name("nq") + ".gz") == "nq"
    assert dump_suffix("description.ttl") is None and dump_suffix("icc-graph.rdf") is None


def test_the_endpoint_answers_in_the_tables_formats_defaults_first():
    assert tuple(f.media_type for f in RESULT_FORMATS) == SOLUTION_TYPES
    assert GRAPH_TYPES[0] == "text/turtle" and set(GRAPH_TYPES) == {f.media_type for f in RDF_FORMATS if f.answer}
    for table in ([f for f in RDF_FORMATS if f.answer], RESULT_FORMATS):   # a format= name means one format
        names = [name for f in table for name in f.names]
        assert len(names) == len(set(names))
