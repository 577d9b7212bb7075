"""The one loading pipeline: a site's folder → its validated Site and Theme.

Every command that reads a site (build, check, stats, serve, new, import) calls load_site.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..incremental.stores import ItemCache
from ..model import Site, build_site
from ..problems import BuildFailed, Problem
from .config import load_config
from .items import load_incidents, load_maintenances
from .theme import Theme, load_theme


def load_site(source_dir: Path, now: datetime, cache: ItemCache | None = None) -> tuple[Site, Theme]:
    """Read and validate everything in `source_dir`; raises BuildFailed with every problem.

    With a `cache`, items whose files are unchanged since it was filled are not parsed again."""
    problems: list[Problem] = []
    config = load_config(source_dir, problems)
    if config is None:
        raise BuildFailed(problems)
    component_ids = [c.id for c in config.components]
    incidents = load_incidents(source_dir, component_ids, now, problems, cache)
    maintenances = load_maintenances(source_dir, component_ids, now, problems, cache)
    theme = load_theme(source_dir, config.theme, problems)
    if problems:
        raise BuildFailed(problems)
    return build_site(config, incidents, maintenances, now, ZoneInfo(config.timezone)), theme
