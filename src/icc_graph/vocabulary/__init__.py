"""The shared bottom layer: what every stage names the same way.

Namespaces and the generated ontology terms, the IRI patterns, the RDF format
table, and where the hand-written files (ontology/, shapes/, queries/) are
found. Modules here import nothing else from icc_graph, so any layer may use them.
"""
