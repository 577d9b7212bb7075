"""`statusgen init`: scaffold a new status site (statusgen.yml, content folders, .gitignore and a
GitHub Actions workflow that publishes to GitHub Pages) from the files in `scaffold/`."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from .. import __version__
from ..problems import AuthoringError, cannot_write

SCAFFOLD_DIR = Path(__file__).resolve().parent.parent / "scaffold"
INSTALL_PLACEHOLDER = "@STATUSGEN_INSTALL@"
"""In scaffold/workflow.yml: what the workflow's `pip install` installs (`statusgen init --install`)."""

SCAFFOLD = (
    ("statusgen.yml", "statusgen.yml"),
    ("content/incidents/.gitkeep", None),
    ("content/maintenance/.gitkeep", None),
    (".gitignore", "gitignore"),
    (".github/workflows/statusgen.yml", "workflow.yml"),
)
"""What `statusgen init` writes: (path in the new site, file in scaffold/ or None for empty)."""
ALERT_WORKFLOW = (".github/workflows/alert.yml", "alert.yml")
"""What `statusgen init --alerts` adds: the workflow that drafts an update from an alert."""


def init(directory: Path, force: bool, install: str | None = None, alerts: bool = False) -> None:
    """Scaffold a site in `directory` and print each file written, then what to do next.
    `install` is what the site's workflows install with pip (default: default_install());
    `alerts` adds the workflow that drafts updates from monitoring alerts."""
    try:
        written = init_site(directory, force, install, alerts)
    except OSError as error:
        raise cannot_write(error)
    for path in written:
        click.echo(f"Created {path}")
    click.echo("Next: set title, base_url and components in statusgen.yml, then run `statusgen build`.")


def init_site(target_dir: Path, force: bool = False, install: str | None = None,
              alerts: bool = False) -> list[Path]:
    """Scaffold a new status site in `target_dir`; returns the files written.

    `install` is what the workflows install with pip (default: `default_install()`); `alerts`
    adds ALERT_WORKFLOW. Refuses, naming every one, when any of the files exists already,
    unless `force`.
    """
    install = default_install() if install is None else install
    why_not = install_problem(install)
    if why_not:
        raise AuthoringError([why_not])
    files = SCAFFOLD + ((ALERT_WORKFLOW,) if alerts else ())
    existing = [path for path, _ in files if (target_dir / path).exists()]
    if existing and not force:
        raise AuthoringError([f"{target_dir / path} already exists" for path in existing] +
                             ["nothing was written; pass --force to overwrite these files"])
    written = []
    for path, source in files:
        target = target_dir / path
        if target.is_dir():
            raise AuthoringError([f"{target} is a folder; statusgen init needs to write a file there"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(scaffold_text(source, install) if source else "", encoding="utf-8")
        written.append(target)
    return written


def scaffold_text(name: str, install: str | None = None) -> str:
    """A scaffold file as `statusgen init` writes it: the workflow installs `install` (a checked
    requirement or URL, default: `default_install()`), quoted for the shell."""
    text = (SCAFFOLD_DIR / name).read_text(encoding="utf-8")
    return text.replace(INSTALL_PLACEHOLDER, shlex.quote(default_install() if install is None else install))


def default_install(version: str = __version__) -> str:
    """The releases compatible with `version`: the same minor before 1.0 (0.1.0 gives
    `statusgen>=0.1,<0.2`), the same major from 1.0 on (1.4.2 gives `statusgen>=1.4,<2`). A pre-
    or dev release is its own lower bound (`statusgen>=0.2.0rc1,<0.3`), so pip may pick it."""
    major, minor = (int(part) for part in re.match(r"(\d+)\.(\d+)", version).groups())
    lower = f"{major}.{minor}" if re.fullmatch(r"\d+\.\d+(\.\d+)*", version) else version
    upper = f"0.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"statusgen>={lower},<{upper}"


_NAME = r"(?i:statusgen)(\[[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*\])?"


_SPECIFIER = r"(~=|===|==|!=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+"


_URL = r"(git\+)?https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9._~/@+%=#-]*"


_INSTALLABLE = re.compile(
    rf"{_NAME}( *{_SPECIFIER}( *, *{_SPECIFIER})*)?"  # statusgen>=0.2,<0.3 (PEP 508, without markers)
    rf"|{_NAME} *@ *{_URL}"                           # statusgen @ https://… (a PEP 508 direct reference)
    rf"|{_URL}")                                      # git+https://…@v0.2.0 or https://….whl


def install_problem(install: str) -> str | None:
    """Why `install` cannot go into the workflow's `pip install` line, or None.

    Accepted: a requirement for statusgen (PEP 508 without environment markers), a
    `git+https://` URL, or an `https://` URL of a wheel. Nothing else, and none of the
    characters a shell or YAML would read (quotes, `$`, `;`, `|`, newlines, ...), since the text
    goes into a YAML file and then into a shell command line.
    """
    if _INSTALLABLE.fullmatch(install) and not (install.startswith("https://") and not
                                                re.search(r"\.whl(#|$)", install)):
        return None
    return (f"--install {install!r} is not something the workflow can install: give a requirement "
            "for statusgen such as 'statusgen>=0.2,<0.3' or 'statusgen==0.2.1', a Git URL such as "
            "'git+https://github.com/OWNER/statusgen@v0.2.1', or the https:// URL of a wheel "
            "(letters, digits and . _ - ~ / : @ + % = # [ ] , < > ! * only)")
