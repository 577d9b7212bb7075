"""`statusgen build` as the CLI runs it: checks the folders, picks the cache, builds, reports.

The build itself (the pipeline and the incremental machinery) is `pipeline.build`; this
is only what stands between it and the command line.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from ..incremental.stores import site_cache_dir
from ..problems import StatusgenError
from ..pipeline import build


def build_site(source_dir: Path, output_dir: Path | None, now: datetime, cache_dir: Path | None,
               no_cache: bool) -> None:
    """Build the site in `source_dir` into `output_dir` (default: SOURCE/site) as of `now` and
    print what was built; raises StatusgenError (BuildFailed, OutputError) when it cannot."""
    output_dir = output_dir if output_dir is not None else source_dir / "site"
    if not source_dir.is_dir():
        raise StatusgenError(f"source folder {source_dir} does not exist")
    if Path(os.path.realpath(source_dir)).is_relative_to(os.path.realpath(output_dir)):  # (a link loop is no error here)
        raise StatusgenError(f"the output folder {output_dir} must not contain the source folder")
    report = build(source_dir, output_dir, now, None if no_cache else site_cache_dir(source_dir, cache_dir))
    click.echo(report.summary(output_dir))
