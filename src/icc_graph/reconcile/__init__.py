"""Linking the places of places.yaml to Wikidata: ``icc-graph places reconcile``.

client.py (queries POSTed through ``icc_graph.polite_http``) and cache.py
(every answer kept) talk to the endpoint; queries.py writes the SPARQL and
reads the answers; matching.py holds the rules; fill.py turns decisions into
edits that never overwrite a curated value; ``build.places_text`` makes those
edits in the file's text; run.py puts them in order.
"""

from .client import QueryFailed
from .run import Outcome, reconcile

__all__ = ["Outcome", "QueryFailed", "reconcile"]
