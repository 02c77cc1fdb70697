"""Progress of a harvest: one redrawn line on a terminal, plain lines otherwise, and a summary at the end."""

from __future__ import annotations

import sys
import time
from collections import Counter

PLAIN_EVERY = 25     # practice pages between two plain progress lines


class Display:
    def __init__(self, stream=None, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.started = time.monotonic()
        self.pages = 0
        self.practices = 0
        self.expected = 0
        self.language = ""
        self.how: Counter[str] = Counter()

    # -- during the fetch --------------------------------------------------------------------------------------
    def listing_page(self, language: str, fetched) -> None:
        self.language = language
        self.pages += 1
        self.how[fetched.how] += 1
        if self.live:
            self._redraw()
        else:
            self._line(f"[{language}] listing page {self.pages} ({fetched.how}): {fetched.url}")

    def expect(self, count: int) -> None:
        self.expected += count

    def practice_page(self, language: str, slug: str, fetched) -> None:
        self.practices += 1
        self.how[fetched.how] += 1
        if fetched.how in ("failed", "disallowed") or (fetched.stored is not None and fetched.stored.status != 200):
            self.note(f"[{language}] {slug}: not read ({fetched.note or fetched.stored.status}); listing data kept")
        elif self.live:
            self._redraw()
        elif self.practices % PLAIN_EVERY == 0 or self.practices == self.expected:
            self._line(f"[{language}] practice pages {self.practices}/{self.expected} ({self._how()})")

    def note(self, text: str) -> None:
        if self.live:
            self.stream.write("\r\033[K")
        self._line(text)
        if self.live:
            self._redraw()

    # -- at the end --------------------------------------------------------------------------------------------
    def summary(self, lines: list[str]) -> None:
        if self.live:
            self.stream.write("\r\033[K")
        for line in lines:
            self._line(line)

    def _how(self) -> str:
        return ", ".join(f"{count} {how}" for how, count in sorted(self.how.items()))

    def _redraw(self) -> None:
        width = 30
        done = int(width * self.practices / self.expected) if self.expected else 0
        bar = "#" * done + "." * (width - done)
        self.stream.write(f"\r\033[K[{self.language}] listing pages {self.pages}  practices [{bar}] "
                          f"{self.practices}/{self.expected or '?'}  {self._how()}")
        self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()
