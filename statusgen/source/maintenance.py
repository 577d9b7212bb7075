"""Maintenance updates: each file's fields, then the maintenance's updates in time order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..model import MaintenanceRecord, MaintenanceUpdate, iso_utc
from ..problems import Problem
from ..wording import one_of
from .fields import FieldReader, suggest
from .files import SourceDocument, field_lines
from .incidents import reject_same_time
from .spec import MAINTENANCE_UPDATE, WINDOW

MAINTENANCE_UPDATE_FIELDS = MAINTENANCE_UPDATE.names


@dataclass(frozen=True)
class MaintenanceFields:
    document: SourceDocument
    reader: FieldReader
    at: datetime
    phase: str
    title: str | None
    window: tuple[datetime, datetime] | None
    components: tuple[str, ...] | None
    next_update: datetime | None


def read_maintenance_fields(document: SourceDocument, component_ids: list[str],
                            problems: list[Problem]) -> MaintenanceFields | None:
    before = len(problems)
    fields = FieldReader(document.file, document.front_matter, problems)
    fields.reject_unknown(MAINTENANCE_UPDATE_FIELDS)
    spec = MAINTENANCE_UPDATE
    at = fields.read(spec["at"])
    phase = fields.read(spec["phase"])
    title = fields.read(spec["title"])
    window = _window(fields)
    components = _component_list(fields, component_ids)
    next_update = fields.read(spec["next_update"])
    if at and next_update and next_update <= at:
        fields.error("next_update", f"next_update {iso_utc(next_update)} must be later than at {iso_utc(at)}")
    if len(problems) > before or at is None or phase is None:
        return None
    return MaintenanceFields(document, fields, at, phase, title, window, components, next_update)


def _window(fields: FieldReader) -> tuple[datetime, datetime] | None:
    mapping = fields.mapping_of("window")
    if mapping is None:
        if fields.has("window"):
            fields.problems[-1] = replace(fields.problems[-1], message=(
                "window must be a mapping with start and end, like "
                "`window: {start: 2026-11-28T02:00:00Z, end: 2026-11-28T03:00:00Z}`"))
        return None
    window = FieldReader(fields.file, mapping, fields.problems, prefix="window.")
    window.reject_unknown(WINDOW.names)
    start = window.read(WINDOW["start"])
    end = window.read(WINDOW["end"])
    if start and end and end <= start:
        window.error("end", f"window.end {iso_utc(end)} must be later than window.start {iso_utc(start)}")
        return None
    return (start, end) if start and end else None


def _component_list(fields: FieldReader, component_ids: list[str]) -> tuple[str, ...] | None:
    items = fields.list_of("components")
    if items is None:
        if fields.has("components") and isinstance(fields.mapping["components"], dict):
            fields.problems[-1] = replace(fields.problems[-1], message=(
                "components of a maintenance must be a list of component ids, like [checkout, api]"))
        return None
    result = []
    for index, (item, line, raw) in enumerate(zip(items, items.lines, items.raw)):
        if raw is None:
            fields.problems.append(Problem(fields.file, line, "components", (
                f"components[{index}] is a {'list' if isinstance(item, list) else 'mapping'}; "
                f"components of a maintenance is a plain list of component ids, like [checkout, api]")))
            continue
        name = raw
        if name not in component_ids:
            fields.problems.append(Problem(fields.file, line, "components", (
                f"component '{name}' is not defined in statusgen.yml"
                f"{suggest(name, component_ids)}; known: {one_of(component_ids)}")))
            continue
        if name not in result:
            result.append(name)
    return tuple(result)


def assemble_maintenance(maintenance_id: str, parsed: list[MaintenanceFields],
                         problems: list[Problem]) -> MaintenanceRecord | None:
    before = len(problems)
    ordered = sorted(parsed, key=lambda p: (p.at, p.document.file))
    reject_same_time(ordered, problems)
    first = ordered[0]
    for key, value in (("title", first.title), ("window", first.window), ("components", first.components)):
        if value is None:
            first.reader.require(key, " on the first update of a maintenance (the earliest `at`)")
    if len(problems) > before:
        return None
    updates = []
    title, window, components = first.title, first.window, first.components
    for p in ordered:
        title = p.title or title
        window = p.window or window
        components = p.components if p.components is not None else components
        updates.append(MaintenanceUpdate(
            maintenance_id=maintenance_id, source=p.document.file, at=p.at, phase=p.phase,
            title=title, window_start=window[0], window_end=window[1], components=components,
            body=p.document.body, next_update=p.next_update, field_lines=field_lines(p.document),
        ))
    return MaintenanceRecord(id=maintenance_id, updates=tuple(updates))
