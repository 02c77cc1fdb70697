"""``icc-graph harvest``: fetch the ICC good-practice database, politely, and merge it into data/.

``site`` knows the URL layout, ``robots`` the site's robots.txt, the shared
``icc_graph.polite_http`` client the manners (User-Agent, delay, retries,
Retry-After, redirects within the site), ``cache`` the responses kept with
their headers (conditional requests, ``--offline``, resuming), ``walk`` the
order of the fetches, ``display`` the progress, and ``run`` ties them to the
importers.
"""

from __future__ import annotations

from .run import HarvestResult, harvest

__all__ = ["HarvestResult", "harvest"]
