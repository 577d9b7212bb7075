"""The one loading pipeline: a site's folder → its validated records, then its Site and Theme.

Every command that reads a site (build, check, stats, serve, new, import) goes through the
functions here; nothing outside source/ needs its other modules' internals.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo

from ..incremental.stores import ItemCache
from ..model import IncidentRecord, MaintenanceRecord, Site, build_site
from ..problems import BuildFailed, Problem
from .config import CONFIG_FILE, config_from_text, load_config, locate_config_problems, read_config
from .files import SiteFiles
from .discovery import INCIDENTS_DIR, MAINTENANCE_DIR, item_files, list_items
from .items import ContentStore, item_text_problems, load_item
from .placeholders import placeholder_problems, site_placeholders
from ..language import ENGLISH
from .postmortems import cause_problems
from .theme import Theme

__all__ = [
    "CONFIG_FILE", "INCIDENTS_DIR", "MAINTENANCE_DIR", "ContentStore", "config_from_text", "incident_problems",
    "item_problems", "load_config", "load_incidents", "load_maintenances", "load_site",
]


def load_site(source_dir: Path, now: datetime, cache: ItemCache | None = None,
              store: ContentStore | None = None) -> tuple[Site, Theme]:
    """Read and validate everything in `source_dir` and derive the site as of `now`; raises
    BuildFailed with every problem found.

    With a `cache`, items whose files are unchanged since it was filled are not parsed again;
    with a `store`, only what was forgotten since its last load is read again (`serve`).
    """
    problems: list[Problem] = []
    config, config_lines = read_config(source_dir, problems)
    if config is None:
        raise BuildFailed(problems)
    store = store if store is not None else ContentStore(source_dir)
    incidents, maintenances = store.load([c.id for c in config.components], problems, cache)
    problems += cause_problems(incidents, config.postmortem_causes)
    problems += placeholder_problems([*incidents, *maintenances], site_placeholders(source_dir, problems, config.words))
    theme = store.theme(config.theme, problems)
    locate_config_problems(problems, config_lines)
    if problems:
        raise BuildFailed(problems)
    return build_site(config, incidents, maintenances, now, ZoneInfo(config.timezone)), theme


def load_incidents(source_dir: Path, component_ids: Sequence[str],
                   problems: list[Problem]) -> list[IncidentRecord]:
    """Every incident of the site that is valid, recording the problems of the others."""
    return ContentStore(source_dir).load_folder(INCIDENTS_DIR, list(component_ids), problems)  # type: ignore[return-value]


def load_maintenances(source_dir: Path, component_ids: Sequence[str],
                      problems: list[Problem]) -> list[MaintenanceRecord]:
    """Every maintenance of the site that is valid, recording the problems of the others."""
    return ContentStore(source_dir).load_folder(MAINTENANCE_DIR, list(component_ids), problems)  # type: ignore[return-value]


def item_problems(source_dir: Path, folder: str, item_id: str, component_ids: Sequence[str],
                  placeholders: bool = True) -> list[Problem]:
    """What a build would report about the item `<folder>/<item_id>/` alone, sorted; without
    `placeholders`, hints of the authoring templates left in its text are not counted (`new`
    checks the file it has just written from one)."""
    problems: list[Problem] = []
    site = SiteFiles(source_dir)
    for found_id, item_path in list_items(site, folder, []):
        if found_id == item_id:
            files = item_files(site, folder, item_id, item_path, problems)
            item = load_item(site, folder, item_id, files, list(component_ids), problems, None) if files else None
            config = load_config(source_dir, [])
            if item is not None and placeholders:
                words = config.words if config is not None else ENGLISH
                problems += placeholder_problems([item], site_placeholders(source_dir, problems, words))
            if config is not None and isinstance(item, IncidentRecord):
                problems += cause_problems([item], config.postmortem_causes)  # type: ignore[list-item]
    return sorted(set(problems), key=Problem.sort_key)


def incident_problems(incident_id: str, texts: Mapping[str, str], component_ids: Sequence[str]) -> list[Problem]:
    """What a build would say about an incident whose update files held `texts` ({file name:
    text}), checked in memory before anything is written."""
    return item_text_problems(INCIDENTS_DIR, incident_id, texts, list(component_ids))
