"""The deployment's public URL: the setting when there is one, else the URL each request came in on.

A release is built once and served anywhere (a laptop, a test server, the w3id.org
deployment), so the URLs the web app writes (download links, sd:endpoint, the
sitemap) follow where it is reached, unless ``ICC_GRAPH_PUBLIC_URL`` pins them.
X-Forwarded-Proto/Host are read only when ``ICC_GRAPH_TRUST_PROXY`` says a proxy sets
them (app.create_app mounts Werkzeug's ProxyFix); otherwise any client could choose them.
"""

from __future__ import annotations

from werkzeug.wsgi import get_current_url

from ..config import Settings


def public_base(settings: Settings, environ: dict) -> str:
    """Absolute URL of the site's root, ending in '/'."""
    if settings.public_url:
        return settings.public_base
    return get_current_url(environ, root_only=True)
