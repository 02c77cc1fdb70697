"""The pages' Flask blueprint: the resource pages and the browsing routes both register on it.

Templates and the site's stylesheet live in ``web/templates`` and ``web/static``
(shared with the query page), hence the blueprint's root is the web package.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

WEB_DIR = Path(__file__).resolve().parent.parent

blueprint = Blueprint("pages", __name__, root_path=str(WEB_DIR), template_folder="templates",
                      static_folder="static/site", static_url_path="/assets")
