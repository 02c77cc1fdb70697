"""The pages: every minted IRI as HTML or RDF, and browsing (home, practices list, network, downloads).

``resource_pages`` and ``browsing`` register their routes on ``blueprint``;
``describe`` fetches an IRI's description graph, ``negotiation`` picks HTML or
an RDF format, ``views`` turns the graph into what a template shows, ``site``
holds what the pages share within one app.
"""
