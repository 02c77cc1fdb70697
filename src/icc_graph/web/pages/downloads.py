"""The release folder as the site offers it: its files with size and checksum, and nothing outside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...vocabulary.release_folder import read_checksums


@dataclass(frozen=True)
class Download:
    name: str
    size: int
    sha256: str | None

    @property
    def human_size(self) -> str:
        size = float(self.size)
        for unit in ("bytes", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{size} bytes"


def list_downloads(release: Path) -> list[Download]:
    """Every regular file at the top of the release folder, with its size and listed checksum."""
    sums = read_checksums(release)
    files = sorted(p for p in release.iterdir() if p.is_file() and not p.name.startswith("."))
    return [Download(p.name, p.stat().st_size, sums.get(p.name)) for p in files]


def resolve_download(release: Path, name: str) -> Path | None:
    """The file ``name`` directly inside ``release``, or None: no sub-folders, no '..', no links out."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    path = release / name
    try:
        inside = path.resolve(strict=True).parent == release.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return path if inside and path.is_file() else None

