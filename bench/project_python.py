"""A bench script started by a python that lacks the project starts again under the project's venv."""

from __future__ import annotations

import os
import sys
from pathlib import Path

VENV_PYTHON = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"


def use_project_python(script: str) -> None:
    """Re-run ``script`` with its arguments under the venv's python unless this one can import icc_graph."""
    try:
        import icc_graph  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON:
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), script, *sys.argv[1:]])
        raise
