"""Step-by-step progress for long commands, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled

    @contextmanager
    def step(self, what: str):
        started = time.perf_counter()
        if self.enabled:
            print(f"  {what} ...", end="", file=self.stream, flush=True)
        try:
            yield
        except BaseException:
            if self.enabled:
                print(" failed", file=self.stream, flush=True)
            raise
        if self.enabled:
            print(f" {time.perf_counter() - started:.1f}s", file=self.stream, flush=True)
