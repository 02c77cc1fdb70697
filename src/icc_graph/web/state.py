"""The one state of a web app: the settings, the store, the answer cache, and what the pages share (pages.site).

Its own module, below the app factory and every blueprint, so that the pages and
the query page read it without importing the app (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..config import Settings
from ..store import Store
from .answer_cache import AnswerCache
from .pages.site import Site


@dataclass
class AppState:
    settings: Settings
    store: Store
    answers: AnswerCache
    pages: Site    # the store behind the answer cache, IRIs, the release folder, vocabulary read once


def state() -> AppState:
    """The app's settings, store and answer cache, inside a request."""
    found: AppState = current_app.extensions["icc_graph"]
    return found


def site() -> Site:
    """The pages' part of the app's state, inside a request."""
    return state().pages
