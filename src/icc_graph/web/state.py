"""What one web app holds for its requests: the settings, the store and the answer cache.

Its own module, below the app factory and every blueprint, so that the pages and
the query page read it without importing the app (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..config import Settings
from ..store import Store
from .answer_cache import AnswerCache


@dataclass
class AppState:
    settings: Settings
    store: Store
    answers: AnswerCache


def state() -> AppState:
    """The app's settings, store and answer cache, inside a request."""
    return current_app.extensions["icc_graph"]
