"""`statusgen schema`: the JSON Schema of statusgen.yml, of update front matter or of a
postmortem's front matter, printed."""

from __future__ import annotations

from pathlib import Path

import click

from ..problems import BuildFailed, Problem
from ..source.config import load_config
from ..source.schema import schema_json


def schema(which: str, source_dir: Path | None) -> None:
    """Print the schema `which` ('config', 'incident', 'maintenance' or 'postmortem'); with
    `source_dir`, the update schemas accept only that site's component ids, and the postmortem
    schema only its postmortem_causes."""
    component_ids = None
    causes = None
    if source_dir is not None and which != "config":
        problems: list[Problem] = []
        config = load_config(source_dir, problems)
        if config is None:
            raise BuildFailed(problems)
        component_ids = [c.id for c in config.components]
        causes = list(config.postmortem_causes)
    click.echo(schema_json(which, component_ids, causes), nl=False)
