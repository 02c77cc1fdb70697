"""``icc-graph serve``: the app under gunicorn (several workers, threads; never Flask's development server).

The store is prepared once in the master (the first start of a release loads
its dump), then each forked worker builds its own app over it and starts its
own query processes. ``--port 0`` picks a free port; the URL printed on
readiness is the real one, so scripts can read it.
"""

from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication

from ..config import Settings
from ..store import Store, open_store


class Server(BaseApplication):
    def __init__(self, settings: Settings, store: Store):
        self.settings, self.store = settings, store
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        options = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": settings.threads,
            # A worker's heartbeat runs beside its request threads; this only catches a wedged worker.
            "timeout": int(settings.query_timeout * 3) + 30,
            "graceful_timeout": 5,
            "limit_request_line": 0,     # long GET queries: the app applies max_request_bytes itself
            "limit_request_field_size": 0,
            "when_ready": self._announce,
            "worker_exit": self._close_store,
            "proc_name": "icc-graph",
            # gunicorn's control socket has one fixed path per user: two servers on one machine would fight over it.
            "control_socket_disable": True,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self):
        from .app import create_app

        app = create_app(self.settings, self.store)
        self.store.warm_up()   # in the worker's main thread, before the first request
        return app

    def _announce(self, server) -> None:
        host, port = server.LISTENERS[0].getsockname()[:2]
        base = f"http://{host}:{port}/"
        print(f"icc-graph: serving release {self.store.snapshot.version} with {self.settings.workers} workers\n"
              f"  site             {base}\n  SPARQL endpoint  {base}sparql\n  query page       {base}query",
              flush=True)

    def _close_store(self, server, worker) -> None:
        self.store.close()


def serve(settings: Settings) -> None:
    store = open_store(settings)
    print(f"icc-graph: release {store.snapshot.version} ready ({store.snapshot.checksum[:12]})", file=sys.stderr)
    try:
        Server(settings, store).run()
    finally:
        store.close()
