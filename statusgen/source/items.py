"""Loading items: every item folder's files → a validated Incident or Maintenance.

An item is assembled only when all its files are valid, so cross-file checks never report
problems that one file's own mistake caused.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Iterable

from ..incremental.hooks import ItemStore
from ..incremental.stores import ItemCache
from ..model import Incident, Maintenance
from ..problems import Problem
from .discovery import INCIDENTS_DIR, MAINTENANCE_DIR, discover, item_files, list_items
from .files import body_of, read_source_bytes, source_text, split_front_matter
from .incidents import assemble_incident, read_incident_fields
from .maintenance import assemble_maintenance, read_maintenance_fields


def load_incidents(source_dir: Path, component_ids: Iterable[str], now: datetime,
                   problems: list[Problem], cache: ItemCache | None = None) -> list[Incident]:
    return load_items(source_dir, INCIDENTS_DIR, list(component_ids), now, problems, cache)


def load_maintenances(source_dir: Path, component_ids: Iterable[str], now: datetime,
                      problems: list[Problem], cache: ItemCache | None = None) -> list[Maintenance]:
    return load_items(source_dir, MAINTENANCE_DIR, list(component_ids), now, problems, cache)


def load_items(source_dir: Path, folder: str, component_ids: list[str], now: datetime,
                problems: list[Problem], cache: ItemCache | None) -> list:
    """Read every item folder under `folder`: each file's fields, then the item as a whole."""
    items = []
    for item_id, files in discover(source_dir, folder, problems).items():
        item = load_item(folder, item_id, files, component_ids, now, problems, cache)
        if item is not None:
            items.append(item)
    return items


def load_item(folder: str, item_id: str, files: list[tuple[str, str]], component_ids: list[str],
               now: datetime, problems: list[Problem], cache: ItemStore | None) -> Incident | Maintenance | None:
    """One incident or maintenance from its files, or None after recording its problems.

    An item is assembled only when all its files are valid, so cross-file checks (order,
    duplicate times) never report problems that a file's own mistake caused. With a `cache`,
    an item whose files have exactly the bytes of an earlier valid build is not parsed again.
    """
    read_fields, assemble = ((read_incident_fields, assemble_incident) if folder == INCIDENTS_DIR
                             else (read_maintenance_fields, assemble_maintenance))
    before = len(problems)
    raw = [(shown, read_item_file(path, shown, problems, cache)) for path, shown in files]
    key = None
    if cache is not None:
        readable = len(problems) == before
        key, item = cache.lookup(folder, item_id, component_ids, raw if readable else None,  # type: ignore[arg-type]
                                 now, checked_body)
        if item is not None:
            return item
    parsed = []
    for shown, data in raw:
        text = source_text(data, shown, problems) if data is not None else None
        document = split_front_matter(text, shown, problems) if text is not None else None
        if document is not None:
            parsed.append(read_fields(document, component_ids, problems))
    complete = [p for p in parsed if p is not None]
    if len(complete) != len(files):
        return None
    item = assemble(item_id, complete, now, problems)
    if item is not None and key is not None and len(problems) == before:
        item = cache.keep(key, item, raw, now, checked_body)  # type: ignore[union-attr, arg-type]
    return item


def read_item_file(path: str, shown: str, problems: list[Problem], cache: ItemStore | None) -> bytes | None:
    """A file's bytes: the cache's copy when it is sure to be current, else read (and copied)."""
    if cache is None:
        return read_source_bytes(path, shown, problems)
    return cache.read(path, shown, lambda: read_source_bytes(path, shown, problems))


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
    """A site's incidents and maintenance, kept between builds by `serve`: after a change, only
    the item folders it touched are read again (everything, after `forget_all`)."""

    def __init__(self, source_dir: Path):
        self.source_dir = source_dir
        self._listings: dict[str, tuple[list[tuple[str, str, bool]], list[Problem]]] = {}
        self._items: dict[tuple[str, str], tuple[Incident | Maintenance | None, list[Problem]]] = {}
        self._component_ids: list[str] | None = None

    def forget_all(self) -> None:
        self._listings.clear()
        self._items.clear()

    def forget(self, path: Path) -> None:
        """Read again whatever `path` (a changed file or folder) may have changed."""
        try:
            parts = path.resolve().relative_to(self.source_dir.resolve()).parts
        except (ValueError, OSError):
            return
        for folder in (INCIDENTS_DIR, MAINTENANCE_DIR):
            depth = len(folder.split("/"))
            if tuple(folder.split("/")[:len(parts)]) == parts[:depth]:
                if len(parts) <= depth + 1:  # the folder itself, or an entry of it: the listing
                    self._listings.pop(folder, None)
                if len(parts) <= depth:
                    self._items = {k: v for k, v in self._items.items() if k[0] != folder}
                else:
                    self._items.pop((folder, parts[depth]), None)

    def load(self, component_ids: list[str], now: datetime, problems: list[Problem],
             cache: ItemCache | None = None) -> tuple[list[Incident], list[Maintenance]]:
        """Every item, reading only those forgotten since the last load (through `cache`, if given)."""
        if component_ids != self._component_ids:
            self.forget_all()
            self._component_ids = list(component_ids)
        loaded: dict[str, list] = {}
        resolved_source = self.source_dir.resolve()
        for folder in (INCIDENTS_DIR, MAINTENANCE_DIR):
            if folder not in self._listings:
                listing_problems: list[Problem] = []
                self._listings[folder] = (list_items(self.source_dir, folder, listing_problems), listing_problems)
            listing, listing_problems = self._listings[folder]
            problems.extend(listing_problems)
            items = []
            for item_id, item_path, inside in listing:
                if (folder, item_id) not in self._items:
                    item_problems: list[Problem] = []
                    files = item_files(self.source_dir, folder, item_id, item_path, inside, item_problems,
                                       resolved_source)
                    item = load_item(folder, item_id, files, component_ids, now, item_problems, cache) \
                        if files else None
                    self._items[(folder, item_id)] = (item, item_problems)
                item, item_problems = self._items[(folder, item_id)]
                problems.extend(item_problems)
                if item is not None:
                    if item.now != now:
                        item = replace(item, now=now)
                        self._items[(folder, item_id)] = (item, item_problems)
                    items.append(item)
            loaded[folder] = items
        return loaded[INCIDENTS_DIR], loaded[MAINTENANCE_DIR]
