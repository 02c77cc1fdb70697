"""The SPARQL endpoint: /sparql (a plain WSGI ``handler`` in front of Flask) and the query page /query.

``protocol`` reads the request, ``answer_formats`` picks the media type,
``replay_cache`` replays repeated GETs before Flask, ``service_description``
answers a GET without a query; ``query_page`` serves YASGUI with the ``cookbook``.
"""
