"""The query page: YASGUI, served from the package (works offline), pre-filled with the query cookbook."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...vocabulary.prefixes import PREDECLARED
from ..public import public_base
from ..state import state
from .cookbook import recipes
from .handler import PATH, TRUNCATED_HEADER

blueprint = Blueprint("query_page", __name__)


@blueprint.route("/query")
def page():
    app_state = state()
    cookbook = [{"name": r.name, "title": r.title, "description": r.description, "query": r.query}
                for r in recipes()]
    endpoint = public_base(app_state.settings, request.environ) + PATH.lstrip("/")
    return render_template("sparql/query.html", cookbook=cookbook, public_endpoint=endpoint,
                           row_cap=app_state.store.row_cap, timeout=app_state.settings.query_timeout,
                           truncated_header=TRUNCATED_HEADER, prefixes=PREDECLARED,
                           version=app_state.store.snapshot.version)
