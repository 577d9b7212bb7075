"""Loading items: every item folder's files → a validated IncidentRecord or MaintenanceRecord.

An item is assembled only when all its files are valid, so cross-file checks never report
problems that one file's own mistake caused. A `ContentStore` keeps what it loaded between
calls (`serve` keeps one), so that after a change only the item folders it touched are read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from ..incremental.hooks import ItemStore
from ..model import IncidentRecord, MaintenanceRecord
from ..problems import Problem
from .discovery import INCIDENTS_DIR, MAINTENANCE_DIR, item_files, list_items
from .files import SiteFiles, body_of, source_text, split_front_matter
from .incidents import assemble_incident, read_incident_fields
from .postmortems import is_postmortem_file, read_postmortem
from .maintenance import assemble_maintenance, read_maintenance_fields
from .theme import Theme, load_theme

Record = IncidentRecord | MaintenanceRecord

FOLDERS = (INCIDENTS_DIR, MAINTENANCE_DIR)


def load_item(site: SiteFiles, folder: str, item_id: str, files: list[tuple[str, str]], component_ids: list[str],
              problems: list[Problem], cache: ItemStore | None) -> Record | None:
    """One incident or maintenance from its files, or None after recording its problems.

    With a `cache`, an item whose files have exactly the bytes of an earlier valid build is not
    parsed again.
    """
    before = len(problems)
    raw = [(shown, read_item_file(site, path, shown, problems, cache)) for path, shown in files]
    key = None
    if cache is not None:
        readable = len(problems) == before
        key, item = cache.lookup(folder, item_id, component_ids, raw if readable else None,  # type: ignore[arg-type]
                                 checked_body)
        if item is not None:
            return item
    item = parse_item(folder, item_id, raw, component_ids, problems)
    if item is not None and key is not None and len(problems) == before:
        item = cache.keep(key, item, raw, checked_body)  # type: ignore[union-attr, arg-type]
    return item


def parse_item(folder: str, item_id: str, raw: list[tuple[str, bytes | None]], component_ids: list[str],
               problems: list[Problem]) -> Record | None:
    """An item from its files' bytes (None for a file that could not be read): each file's
    fields, then the item as a whole; None after recording its problems."""
    read_fields, assemble = ((read_incident_fields, assemble_incident) if folder == INCIDENTS_DIR
                             else (read_maintenance_fields, assemble_maintenance))
    parsed = []
    reports = []
    for shown, data in raw:
        text = source_text(data, shown, problems) if data is not None else None
        document = split_front_matter(text, shown, problems) if text is not None else None
        if document is not None and folder == INCIDENTS_DIR and is_postmortem_file(shown):
            reports.append(read_postmortem(item_id, document, problems))
        elif document is not None:
            parsed.append(read_fields(document, component_ids, problems))
    complete = [p for p in parsed if p is not None]
    if len(complete) + len(reports) != len(raw) or None in reports:
        return None
    if not complete:
        problems.append(Problem(raw[0][0], None, None, (
            f"a postmortem needs the incident's updates beside it in {folder}/{item_id}/; "
            f"there are none")))
        return None
    if reports:
        return assemble_incident(item_id, complete, problems, reports[0])  # type: ignore[arg-type]
    return assemble(item_id, complete, problems)  # type: ignore[arg-type]


def item_text_problems(folder: str, item_id: str, texts: Mapping[str, str],
                       component_ids: list[str]) -> list[Problem]:
    """What a build would say about an item whose update files held `texts` ({file name: text}),
    checked in memory (the importers check what they are about to write)."""
    problems: list[Problem] = []
    raw = [(f"{folder}/{item_id}/{name}", text.encode("utf-8")) for name, text in texts.items()]
    if raw:
        parse_item(folder, item_id, raw, component_ids, problems)  # type: ignore[arg-type]
    return problems


def read_item_file(site: SiteFiles, path: str, shown: str, problems: list[Problem],
                   cache: ItemStore | None) -> bytes | None:
    """A file's bytes: the cache's copy when it is sure to be current, else read (and copied);
    the copy too only of a file the site's reading rule accepts as it is now."""
    if cache is None:
        return site.read_bytes(path, shown, problems)
    if path not in site.listed_files:  # a link, say: ask the rule before the cache's copy is used
        kind, why = site.kind(path)
        if kind != "file":
            problems.append(Problem(shown, None, None, why or "cannot be read: No such file or directory"))
            return None
    return cache.read(path, shown, lambda: site.read_bytes(path, shown, problems))


def checked_body(data: bytes) -> str | None:
    """The body of an update file whose bytes passed source_text's checks before (they are part
    of the cache's key), so only its conversions are needed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return body_of(text.replace("\r\n", "\n").replace("\r", "\n"))


class ContentStore:
    """A site's items (and theme) as last loaded: after a change, only the item folders it
    touched are read again (everything, after `forget_all`). A new store reads everything."""

    def __init__(self, source_dir: Path):
        self.source_dir = source_dir
        self._listings: dict[str, tuple[list[tuple[str, str]], list[Problem]]] = {}
        self._items: dict[tuple[str, str], tuple[Record | None, list[Problem]]] = {}
        self._component_ids: list[str] | None = None
        self._theme: tuple[str | None, Theme, list[Problem]] | None = None

    def forget_all(self) -> None:
        self._listings.clear()
        self._items.clear()
        self._theme = None

    def forget(self, path: Path) -> None:
        """Read again whatever `path` (a changed file or folder) may have changed."""
        located = Path(os.path.realpath(path.parent)) / path.name  # not resolving a link that may loop
        try:
            parts = located.relative_to(self.source_dir.resolve()).parts
        except (ValueError, OSError):
            return
        for folder in FOLDERS:
            depth = len(folder.split("/"))
            if tuple(folder.split("/")[:len(parts)]) == parts[:depth]:
                if len(parts) <= depth + 1:  # the folder itself, or an entry of it: the listing
                    self._listings.pop(folder, None)
                if len(parts) <= depth:
                    self._items = {k: v for k, v in self._items.items() if k[0] != folder}
                else:
                    self._items.pop((folder, parts[depth]), None)

    def load(self, component_ids: list[str], problems: list[Problem],
             cache: ItemStore | None = None) -> tuple[list[IncidentRecord], list[MaintenanceRecord]]:
        """Every item, reading only those forgotten since the last load (through `cache`, if given)."""
        incidents = self.load_folder(INCIDENTS_DIR, component_ids, problems, cache)
        maintenances = self.load_folder(MAINTENANCE_DIR, component_ids, problems, cache)
        return incidents, maintenances  # type: ignore[return-value]

    def load_folder(self, folder: str, component_ids: list[str], problems: list[Problem],
                    cache: ItemStore | None = None) -> list[Record]:
        """Every item of `folder` (INCIDENTS_DIR or MAINTENANCE_DIR), as `load` reads them."""
        if component_ids != self._component_ids:
            self.forget_all()
            self._component_ids = list(component_ids)
        site = SiteFiles(self.source_dir)  # one per load: the links and folders as they are now
        if folder not in self._listings:
            listing_problems: list[Problem] = []
            self._listings[folder] = (list_items(site, folder, listing_problems), listing_problems)
        listing, listing_problems = self._listings[folder]
        problems.extend(listing_problems)
        items = []
        for item_id, item_path in listing:
            if (folder, item_id) not in self._items:
                item_problems: list[Problem] = []
                files = item_files(site, folder, item_id, item_path, item_problems)
                item = load_item(site, folder, item_id, files, component_ids, item_problems, cache) if files else None
                self._items[(folder, item_id)] = (item, item_problems)
            item, item_problems = self._items[(folder, item_id)]
            problems.extend(item_problems)
            if item is not None:
                items.append(item)
        return items

    def theme(self, setting: str | None, problems: list[Problem]) -> Theme:
        """The theme statusgen.yml's `theme` setting names, read again after `forget_all`."""
        if self._theme is None or self._theme[0] != setting:
            theme_problems: list[Problem] = []
            self._theme = (setting, load_theme(self.source_dir, setting, theme_problems), theme_problems)
        problems.extend(self._theme[2])
        return self._theme[1]
