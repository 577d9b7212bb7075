"""`statusgen import cstate|statuspage`: plan an import, write it, say what happened.

The importers (statusgen/importers/) read an export into an `ImportPlan`; `write_plan` writes
it. This runs the two against the site's statusgen.yml and prints the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click

from ..importers.plan import ImportPlan, existing_config
from ..importers.writer import write_plan
from ..model import SiteConfig
from ..problems import cannot_write


def import_into(source_dir: Path, plan_for: Callable[[SiteConfig | None], ImportPlan]) -> int:
    """Plan an import against the site's statusgen.yml (None when there is none yet), write it
    into `source_dir`, print every line of the result; the exit status (1 if anything failed)."""
    try:
        config = existing_config(source_dir)
        plan = plan_for(config)
        result = write_plan(source_dir, plan, config)
    except OSError as error:
        raise cannot_write(error)
    for line in result.lines():
        click.echo(line, err=line.startswith("Error: "))
    return result.exit_status
