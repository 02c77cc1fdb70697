"""The build: data/ -> records -> graph -> links -> SHACL gate -> release folder.

- ``datadir`` reads data/ into ``records`` (plain dataclasses; ``period`` reads printed periods);
- ``mapping`` turns records into the named graphs, ``links`` (with ``citylinks``
  and ``similarity``) derives the cross-city links;
- ``gate`` is the SHACL gate (``union_view`` lets pyshacl read the named graphs
  as one, ``data_locations`` names the file and field behind a result);
- ``chunks`` runs mapping, links and gate chunk by chunk; ``release`` writes the
  release folder: ``dumps``, the DCAT/VoID/Service ``description``, SHA256SUMS;
- ``network`` exports the city network (GraphML, CSV).

Only ``release`` (and the cli) knows the whole pipeline. The web never imports this package.
"""
