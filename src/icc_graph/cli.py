"""The ``icc-graph`` command. Each sub-command reads the settings once and hands them down."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import load_settings, setting_help
from .errors import DataError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="icc-graph")
def main() -> None:
    """Publish the ICC good-practice database as linked open data."""


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Curated data folder (default data/).")
@click.option("--out", "dist_dir", type=click.Path(path_type=Path), help="Release folder (default dist/).")
@click.option("--base-iri", help="Base of minted IRIs (default https://w3id.org/icc-graph/).")
def build(data_dir: Path | None, dist_dir: Path | None, base_iri: str | None) -> None:
    """Build a release into OUT/<version>/ and print its path."""
    from .release import build as build_release

    settings = load_settings(data_dir=data_dir, dist_dir=dist_dir, base_iri=base_iri)
    try:
        folder = build_release(settings)
    except DataError as exc:
        fail(f"{exc}\nnothing was published; the previous release is unchanged")
    click.echo(folder)


@main.command()
@click.option("--check", is_flag=True, help="Only check; exit 1 when a generated file is stale.")
def generate(check: bool) -> None:
    """Regenerate the term constants and the JSON-LD context from ontology/icc.ttl."""
    from .generated import stale_files, write_generated

    if check:
        stale = stale_files()
        if stale:
            fail("stale generated files (run `icc-graph generate`): " + ", ".join(map(str, stale)))
        click.echo("generated files are up to date")
        return
    for path in write_generated():
        click.echo(f"wrote {path}")


@main.command()
def settings() -> None:
    """List every setting, its environment variable, default and meaning."""
    for env, help_text, default in setting_help():
        click.echo(f"{env} (default {default!r})\n    {help_text}")
