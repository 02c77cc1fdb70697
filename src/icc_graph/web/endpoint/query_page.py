"""The query page: YASGUI, served from the package (works offline), pre-filled with the query cookbook."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..state import state
from .cookbook import recipes
from .handler import TRUNCATED_HEADER
from .service_description import endpoint_url

blueprint = Blueprint("query_page", __name__)


@blueprint.route("/query")
def page():
    app_state = state()
    cookbook = [{"name": r.name, "title": r.title, "description": r.description, "query": r.query}
                for r in recipes()]
    return render_template("sparql/query.html", cookbook=cookbook, public_endpoint=endpoint_url(app_state.settings),
                           row_cap=app_state.store.row_cap, timeout=app_state.settings.query_timeout,
                           truncated_header=TRUNCATED_HEADER, version=app_state.store.snapshot.version)
