"""Errors that point a curator at the file, record and field to fix."""

from __future__ import annotations

from functools import partial
from pathlib import Path


class DataError(Exception):
    """Bad input in data/ or in a page being imported.

    ``path`` is the file, ``record`` the practice or place inside it (when the
    file holds several), ``field`` the key, and ``line`` a line number where known.
    """

    def __init__(self, path: Path | str, message: str, *, field: str | None = None,
                 record: str | None = None, line: int | None = None):
        self.path = Path(path)
        self.field = field
        self.record = record
        self.line = line
        self.message = message
        where = str(self.path) + (f":{line}" if line else "")
        if record:
            where += f" [{record}]"
        if field:
            where += f" field '{field}'"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        """Pickled with its fields, so that one raised in a forked build process is raised again as itself."""
        return partial(DataError, field=self.field, record=self.record, line=self.line), (self.path, self.message)
