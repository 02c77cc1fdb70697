"""A remote SPARQL 1.1 store (any; known products in endpoints.PRODUCTS): reading it, and pushing releases.

``store`` (RemoteStore) serves the release the control graph's ``pointer`` names,
after the ``query_screen``; ``client`` speaks the SPARQL Protocol over ``transport``
(HTTP with ``credentials``); ``endpoints`` finds the update and Graph Store
endpoints and holds every product's quirks; ``push`` loads a release and switches the pointer atomically.
"""
