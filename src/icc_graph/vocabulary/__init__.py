"""The shared bottom layer: what every stage names the same way, one module per concept.

Prefixes and namespaces, the generated ontology terms and the reused ones, the
IRI patterns, the format table, the release folder's layout, the template
sections, the SPARQL lexer, the Service Description builder, and where the
hand-written files (ontology/, shapes/, queries/) are found. Modules here import
nothing else from icc_graph, so any layer may use them; mypy checks them strictly.
"""
