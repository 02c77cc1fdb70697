"""Every setting and every command is documented in the README (a Datasette habit)."""

from __future__ import annotations

import pytest

from icc_graph.cli import main
from icc_graph.config import setting_help

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("variable", [env for env, _, _ in setting_help()])
def test_every_setting_is_documented(variable):
    assert f"`{variable}`" in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command):
    assert f"`icc-graph {command}" in README


def test_readme_opens_with_the_two_commands():
    opening = README[:400]
    assert "make run" in opening and "make test" in opening
