"""The embedded store: Oxigraph in killable query processes, forked from one query server.

``store`` is the web side (EmbeddedStore), ``query_processes`` the processes
(``python -m icc_graph.store.embedded.query_processes``), ``disk`` the on-disk
Oxigraph store prepared once per release.
"""
