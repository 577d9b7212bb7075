"""`statusgen init`: scaffold a new status site (statusgen.yml, content folders, .gitignore and a
GitHub Actions workflow that publishes to GitHub Pages) from the files in `scaffold/`."""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from ..problems import AuthoringError, cannot_write

SCAFFOLD_DIR = Path(__file__).resolve().parent.parent / "scaffold"
VERSION_PLACEHOLDER = "@STATUSGEN_VERSION@"

SCAFFOLD = (
    ("statusgen.yml", "statusgen.yml"),
    ("content/incidents/.gitkeep", None),
    ("content/maintenance/.gitkeep", None),
    (".gitignore", "gitignore"),
    (".github/workflows/statusgen.yml", "workflow.yml"),
)
"""What `statusgen init` writes: (path in the new site, file in scaffold/ or None for empty)."""


def init(directory: Path, force: bool) -> None:
    """Scaffold a site in `directory` and print each file written, then what to do next."""
    try:
        written = init_site(directory, force)
    except OSError as error:
        raise cannot_write(error)
    for path in written:
        click.echo(f"Created {path}")
    click.echo("Next: set title, base_url and components in statusgen.yml, then run `statusgen build`.")


def init_site(target_dir: Path, force: bool = False) -> list[Path]:
    """Scaffold a new status site in `target_dir`; returns the files written.

    Refuses, naming every one, when any of the files exists already, unless `force`.
    """
    existing = [path for path, _ in SCAFFOLD if (target_dir / path).exists()]
    if existing and not force:
        raise AuthoringError([f"{target_dir / path} already exists" for path in existing] +
                             ["nothing was written; pass --force to overwrite these files"])
    written = []
    for path, source in SCAFFOLD:
        target = target_dir / path
        if target.is_dir():
            raise AuthoringError([f"{target} is a folder; statusgen init needs to write a file there"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(scaffold_text(source) if source else "", encoding="utf-8")
        written.append(target)
    return written


def scaffold_text(name: str) -> str:
    """A scaffold file as `statusgen init` writes it (the workflow pins this statusgen version)."""
    text = (SCAFFOLD_DIR / name).read_text(encoding="utf-8")
    return text.replace(VERSION_PLACEHOLDER, __version__)
