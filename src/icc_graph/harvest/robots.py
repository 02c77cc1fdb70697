"""The site's robots.txt, read with the standard library's parser (RFC 9309).

A robots.txt that is missing (4xx) allows everything; one the site cannot
serve (5xx after the client's retries) allows nothing, as the RFC asks. A
``Crawl-delay`` for our agent longer than the configured delay is honoured.
"""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


class Robots:
    def __init__(self, status: int, text: str, agent: str):
        self.agent = agent
        self._parser = RobotFileParser()
        if status >= 500:
            text = "User-agent: *\nDisallow: /\n"
        elif status >= 400:
            text = ""
        self._parser.parse(text.splitlines())

    def allows(self, url: str) -> bool:
        return self._parser.can_fetch(self.agent, url)

    def crawl_delay(self) -> float | None:
        delay = self._parser.crawl_delay(self.agent)
        return float(delay) if delay is not None else None
