"""Content loading: update files → validated Incident and Maintenance records.

Each file is read defensively (size, encoding, front matter), its YAML parsed with line numbers,
every field checked, and then the updates of one incident are put in time order and checked
together. All mistakes become Problems; nothing here raises on bad input.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields as dataclass_fields, replace
from datetime import datetime
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from .buildcache import ItemCache, item_key
from .spec import INCIDENT_STATUSES, INCIDENT_UPDATE, LINK_REGEX, MAINTENANCE_UPDATE, WINDOW
from .fields import ID_PATTERN, ID_RULE, UNSHOWABLE, FieldReader, suggest, unshowable_character
from .located_yaml import LocatedMapping, load_mapping
from .model import (INCIDENT_PHASES, SEVERITY_NAMES, iso_utc,
                    Incident, Maintenance, MaintenanceUpdate, Update)
from .problems import Problem, one_of

MAX_FILE_BYTES = 1024 * 1024
"""Update files are a few paragraphs; anything near this is a mistake (a pasted log, a binary)."""

INCIDENTS_DIR = "content/incidents"
MAINTENANCE_DIR = "content/maintenance"

INCIDENT_UPDATE_FIELDS = INCIDENT_UPDATE.names
MAINTENANCE_UPDATE_FIELDS = MAINTENANCE_UPDATE.names

SEVERITY_HINTS = {name.lower(): level for level, name in SEVERITY_NAMES.items()}
"""Not accepted, but suggested: someone who writes `severity: critical` means sev1."""


@dataclass(frozen=True)
class SourceDocument:
    """One update file split into its front matter and Markdown body."""

    file: str
    front_matter: LocatedMapping
    body: str


def read_source_text(path: Path | str, file: str, problems: list[Problem]) -> str | None:
    """A source file as text with '\\n' line endings, or None after recording why not."""
    data = read_source_bytes(path, file, problems)
    return source_text(data, file, problems) if data is not None else None


def read_source_bytes(path: Path | str, file: str, problems: list[Problem]) -> bytes | None:
    """A source file's bytes, or None after recording why it cannot be read (or is too big)."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                size = os.fstat(stream.fileno()).st_size
                problems.append(Problem(file, None, None, f"file is {size:,} bytes; the limit is "
                                                          f"{MAX_FILE_BYTES:,} bytes (1 MiB)"))
                return None
    except OSError as error:
        problems.append(Problem(file, None, None, f"cannot be read: {error.strerror}"))
        return None
    return data


def source_text(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """A source file's bytes as text with '\\n' line endings, or None after recording why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(file, 1, None, "file is saved as UTF-16; save it as UTF-8"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # Windows editors add a byte order mark; it carries no meaning in UTF-8.
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(file, line, None, "file looks binary (it contains a NUL byte); "
                                                  "save it as UTF-8 text"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        problems.append(Problem(file, line, None, f"file is not valid UTF-8 (byte 0x{data[error.start]:02x}); "
                                                  f"save it as UTF-8"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = unshowable_character(text)
    if bad:
        line = text[:UNSHOWABLE.search(text).start()].count("\n") + 1
        problems.append(Problem(file, line, None, f"file contains the control character {bad}, which "
                                                  f"cannot be published; remove it"))
        return None
    return text


def split_front_matter(text: str, file: str, problems: list[Problem]) -> SourceDocument | None:
    """Split '---\\n<yaml>\\n---\\n<body>' into a parsed front matter mapping and the body."""
    if not text.strip():
        problems.append(Problem(file, 1, None, "file is empty; an update starts with a front matter "
                                               "block between two '---' lines"))
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(Problem(file, 1, None, "front matter missing: the file must start with a line "
                                               "'---', then the fields, then another '---'"))
        return None
    closing = _closing_line(lines)
    if closing is None:
        problems.append(Problem(file, 1, None, "front matter is not closed: add a line '---' after "
                                               "the fields"))
        return None
    front_matter = load_mapping("\n".join(lines[1:closing]) + "\n", file, 2, problems,
                                end=f"the closing '{lines[closing].rstrip()}'")
    if front_matter is None:
        return None
    return SourceDocument(file, front_matter, _body(lines, closing))


def _closing_line(lines: list[str]) -> int | None:
    return next((n for n in range(1, len(lines)) if lines[n].rstrip() in ("---", "...")), None)


def _body(lines: list[str], closing: int) -> str:
    return "\n".join(lines[closing + 1:]).strip("\n")


def body_of(text: str) -> str:
    """The Markdown body of a file that split_front_matter has accepted before."""
    lines = text.split("\n")
    return _body(lines, _closing_line(lines))  # type: ignore[arg-type]


def discover(source_dir: Path, folder: str, problems: list[Problem]) -> dict[str, list[tuple[str, str]]]:
    """{id: [(path, file shown in messages)]} for every `<folder>/<id>/*.md`, ids validated."""
    found = {}
    resolved_source = source_dir.resolve()
    for item_id, item_path, inside in list_items(source_dir, folder, problems):
        files = item_files(source_dir, folder, item_id, item_path, inside, problems, resolved_source)
        if files:
            found[item_id] = files
    return found


def list_items(source_dir: Path, folder: str, problems: list[Problem]) -> list[tuple[str, str, bool]]:
    """(id, path, whether it is inside the site) of every item folder of `folder`, ids validated."""
    root = source_dir / folder
    found: list[tuple[str, str, bool]] = []
    if not root.is_dir():
        return found
    resolved_source = source_dir.resolve()
    # Only a symbolic link can lead outside: anything else is inside if its folder is.
    root_inside = _inside(root, resolved_source)
    for entry in _sorted_entries(root):
        shown = f"{folder}/{entry.name}"
        if entry.name.startswith("."):
            continue
        entry_inside = _inside(entry.path, resolved_source) if entry.is_symlink() else root_inside
        if not entry_inside:
            problems.append(Problem(shown, None, None, "is a symbolic link to a place outside the "
                                                       "site's folder; copy the content in instead"))
            continue
        if entry.is_file():
            if entry.name.endswith(".md"):
                problems.append(Problem(shown, None, None, f"update files belong in a folder per "
                                                           f"item: {folder}/<id>/{entry.name}"))
            continue
        if not ID_PATTERN.fullmatch(entry.name) or len(entry.name) > 100:
            problems.append(Problem(shown, None, "id", f"folder name '{entry.name}' is not a valid id: "
                                                       f"use {ID_RULE}"))
            continue
        found.append((entry.name, entry.path, entry_inside))
    return found


def item_files(source_dir: Path, folder: str, item_id: str, item_path: str, inside: bool,
               problems: list[Problem], resolved_source: Path | None = None) -> list[tuple[str, str]]:
    """[(path, file shown in messages)] of the update files in one item folder."""
    shown = f"{folder}/{item_id}"
    resolved_source = resolved_source or source_dir.resolve()
    files = []
    for child in _sorted_entries(item_path):
        path = child.path  # a str: Path objects for 10,000s of files cost a noticeable 0.4 s
        shown_file = f"{shown}/{child.name}"
        if child.name.startswith("."):
            continue
        if child.is_dir() and any(Path(path).rglob("*.md")):
            problems.append(Problem(shown_file, None, None, (
                f"folders inside an item folder are not read, so its updates would never be "
                f"published; move the .md files up into {shown}/")))
            continue
        if not child.name.endswith(".md"):
            continue
        symlink = child.is_symlink()
        if not (_inside(path, resolved_source) if symlink else inside):
            problems.append(Problem(shown_file, None, None, "is a symbolic link to a place outside "
                                                            "the site's folder; copy the file in instead"))
            continue
        if child.is_file():
            files.append((path, shown_file))
        elif symlink:
            problems.append(Problem(shown_file, None, None, "is a symbolic link to a file that "
                                                            "does not exist"))
        else:
            problems.append(Problem(shown_file, None, None, "is not a file; update files are "
                                                            "Markdown files ending in .md"))
    return files


def _sorted_entries(folder: Path | str) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _inside(path: Path | str, resolved_root: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(resolved_root)
    except OSError:
        return False


def load_documents(files: Iterable[tuple[Path | str, str]], problems: list[Problem]) -> list[SourceDocument]:
    documents = []
    for path, shown in files:
        text = read_source_text(path, shown, problems)
        document = split_front_matter(text, shown, problems) if text is not None else None
        if document is not None:
            documents.append(document)
    return documents


# --- incidents ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _IncidentFields:
    """The fields one incident update file gave, before carrying forward across updates."""

    document: SourceDocument
    reader: FieldReader
    at: datetime
    phase: str
    severity: str | None
    title: str | None
    components: dict[str, str]
    next_update: datetime | None
    detected_at: datetime | None
    started_at: datetime | None
    postmortem: str | None
    reported_by: str | None


def load_incidents(source_dir: Path, component_ids: Iterable[str], now: datetime,
                   problems: list[Problem], cache: ItemCache | None = None) -> list[Incident]:
    return _load_items(source_dir, INCIDENTS_DIR, list(component_ids), now, problems, cache)


def _load_items(source_dir: Path, folder: str, component_ids: list[str], now: datetime,
                problems: list[Problem], cache: ItemCache | None) -> list:
    """Read every item folder under `folder`: each file's fields, then the item as a whole."""
    items = []
    for item_id, files in discover(source_dir, folder, problems).items():
        item = _load_item(folder, item_id, files, component_ids, now, problems, cache)
        if item is not None:
            items.append(item)
    return items


def _load_item(folder: str, item_id: str, files: list[tuple[str, str]], component_ids: list[str],
               now: datetime, problems: list[Problem], cache: ItemCache | None) -> Incident | Maintenance | None:
    """One incident or maintenance from its files, or None after recording its problems.

    An item is assembled only when all its files are valid, so cross-file checks (order,
    duplicate times) never report problems that a file's own mistake caused. With a `cache`,
    an item whose files have exactly the bytes of an earlier valid build is not parsed again.
    """
    read_fields, assemble = ((_incident_fields, _assemble_incident) if folder == INCIDENTS_DIR
                             else (_maintenance_fields, _assemble_maintenance))
    before = len(problems)
    raw = [(shown, _read(path, shown, problems, cache)) for path, shown in files]
    key = None
    if cache is not None:
        if len(problems) > before:
            cache.saw(None)
        else:
            key = item_key(folder, item_id, component_ids, raw)  # type: ignore[arg-type]
            cache.saw(key)
            cached = cache.get(key)
            item = _decode_item(cached, item_id, raw, now) if cached is not None else None  # type: ignore[arg-type]
            if item is not None:
                return replace(item, digest=key)
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
        encoded = _encode_item(item)
        if _same(_decode_item(encoded, item_id, raw, now), item):  # type: ignore[arg-type]
            cache.put(key, encoded)  # type: ignore[union-attr]
        item = replace(item, digest=key)
    return item


def _read(path: str, shown: str, problems: list[Problem], cache: ItemCache | None) -> bytes | None:
    """A file's bytes: the cache's copy when it is sure to be current, else read (and copied)."""
    if cache is None:
        return read_source_bytes(path, shown, problems)
    data = cache.copies.get(path, shown)
    if data is None:
        before = cache.copies.observe(path)
        data = read_source_bytes(path, shown, problems)
        if data is not None:
            cache.copies.put(path, shown, before, data)
    return data


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
                    item = _load_item(folder, item_id, files, component_ids, now, item_problems, cache) \
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


# What the cache keeps of an item: each update's fields but the body, which comes back from the
# source bytes (they are part of the key, so they are at hand and cost nothing to store).
_INSTANTS = ("at", "next_update", "detected_at", "started_at", "window_start", "window_end")


def _encode_item(item: Incident | Maintenance) -> list[dict]:
    encoded = []
    for update in item.updates:
        record = {f.name: getattr(update, f.name) for f in dataclass_fields(update) if f.name != "body"}
        for name in _INSTANTS:
            if record.get(name) is not None:
                record[name] = record[name].isoformat()
        record["field_lines"] = dict(record["field_lines"])
        if isinstance(update, MaintenanceUpdate):
            record["components"] = list(record["components"])
        else:
            record["components"] = dict(record["components"])
        encoded.append(record)
    return encoded


def _same(decoded: Incident | Maintenance | None, item: Incident | Maintenance) -> bool:
    """Whether a record decodes to exactly the item, lines included (they are not compared by ==)."""
    return decoded == item and all(a.field_lines == b.field_lines
                                   for a, b in zip(decoded.updates, item.updates))  # type: ignore[union-attr]


def _decode_item(encoded: object, item_id: str, raw: list[tuple[str, bytes]],
                 now: datetime) -> Incident | Maintenance | None:
    """The item an _encode_item record stands for, or None if the record is not one."""
    bodies = {}
    for shown, data in raw:
        # These bytes passed source_text's checks when the record was made (they are part of
        # its key), so only its conversions are needed here.
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        bodies[shown] = body_of(text.replace("\r\n", "\n").replace("\r", "\n"))
    try:
        updates = []
        for record in encoded:  # type: ignore[attr-defined]
            record = dict(record)
            for name in _INSTANTS:
                if record.get(name) is not None:
                    record[name] = datetime.fromisoformat(record[name])
            record["body"] = bodies[record["source"]]
            if "maintenance_id" in record:
                record["components"] = tuple(record["components"])
                updates.append(MaintenanceUpdate(**record))
            else:
                updates.append(Update(**record))
        if "maintenance_id" in encoded[0]:  # type: ignore[index]
            return Maintenance(id=item_id, updates=tuple(updates), now=now)
        return Incident(id=item_id, updates=tuple(updates), now=now)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None


def _incident_fields(document: SourceDocument, component_ids: list[str],
                     problems: list[Problem]) -> _IncidentFields | None:
    before = len(problems)
    fields = FieldReader(document.file, document.front_matter, problems)
    fields.reject_unknown(INCIDENT_UPDATE_FIELDS)
    spec = INCIDENT_UPDATE
    at = fields.read(spec["at"])
    phase = fields.read(spec["phase"])
    severity = fields.read(spec["severity"], hints=SEVERITY_HINTS)
    title = fields.read(spec["title"])
    components = _component_statuses(fields, component_ids)
    next_update = fields.read(spec["next_update"])
    if phase is not None and phase != "resolved" and not fields.has("next_update"):
        fields.require("next_update", f" while the incident is open (phase {phase}): promise when "
                                      f"customers will hear from you next")
    if at and next_update and next_update <= at:
        fields.error("next_update", f"next_update {iso_utc(next_update)} must be later than at {iso_utc(at)}")
    detected_at = fields.read(spec["detected_at"])
    started_at = fields.read(spec["started_at"])
    if started_at and detected_at and started_at > detected_at:
        fields.error("started_at", f"started_at {iso_utc(started_at)} is after detected_at {iso_utc(detected_at)}; "
                                   f"a problem is detected after it starts")
    for key, value in (("detected_at", detected_at), ("started_at", started_at)):
        if at and value and value > at:
            fields.error(key, f"{key} {iso_utc(value)} is after this update's at {iso_utc(at)}")
    postmortem = _postmortem(fields)
    reported_by = fields.read(spec["reported_by"])
    if len(problems) > before or at is None or phase is None:
        return None
    return _IncidentFields(document, fields, at, phase, severity, title, components, next_update,
                           detected_at, started_at, postmortem, reported_by)


def _component_statuses(fields: FieldReader, component_ids: list[str]) -> dict[str, str]:
    mapping = fields.mapping_of("components")
    if mapping is None:
        if fields.has("components") and isinstance(fields.mapping["components"], list):
            fields.problems[-1] = replace(fields.problems[-1], message=(
                "components must map each affected component to its status, like "
                "`checkout: partial_outage`; a list is only for maintenance"))
        return {}
    result = {}
    for component_id, status in mapping.items():
        line = mapping.lines[component_id]
        field = f"components.{component_id}"
        if component_id not in component_ids:
            fields.problems.append(Problem(fields.file, line, field, (
                f"component '{component_id}' is not defined in statusgen.yml"
                f"{suggest(component_id, component_ids)}; known: {one_of(component_ids)}")))
            continue
        raw = mapping.raw.get(component_id)
        if raw is None or not raw.strip():
            what = "no status" if raw is not None else f"a {'list' if isinstance(status, list) else 'mapping'}"
            fields.problems.append(Problem(fields.file, line, field, (
                f"component '{component_id}' has {what} where its status belongs; "
                f"write one of {one_of(INCIDENT_STATUSES)}, like `{component_id}: partial_outage`")))
            continue
        if raw not in INCIDENT_STATUSES:
            hint = ("; under_maintenance comes from scheduled maintenance (content/maintenance), "
                    "not from incidents" if raw == "under_maintenance"
                    else suggest(raw, INCIDENT_STATUSES))
            fields.problems.append(Problem(fields.file, line, field, (
                f"status '{raw}' of component '{component_id}' is not one of "
                f"{one_of(INCIDENT_STATUSES)}{hint}")))
            continue
        result[component_id] = raw
    return result


def _postmortem(fields: FieldReader) -> str | None:
    value = fields.read(INCIDENT_UPDATE["postmortem"])
    if value is None:
        return None
    parts = urlsplit(value)
    absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    site_relative = (not parts.scheme and not parts.netloc and not value.startswith("//")
                     and "\\" not in value and ".." not in parts.path.split("/"))
    if not (absolute or site_relative) or not re.match(LINK_REGEX, value):
        fields.error("postmortem", f"postmortem '{value}' must be an http(s):// address or a path "
                                   f"on this site like /postmortems/2026-11-20.html")
        return None
    return value


def _assemble_incident(incident_id: str, parsed: list[_IncidentFields], now: datetime,
                       problems: list[Problem]) -> Incident | None:
    """Order one incident's updates in time, check them together, carry state forward."""
    before = len(problems)
    ordered = sorted(parsed, key=lambda p: (p.at, p.document.file))
    _reject_same_time(ordered, problems)

    first = ordered[0]
    if first.title is None or first.severity is None:
        opener = next((p for p in ordered if p.title is not None and p.severity is not None), None)
        if opener is not None and INCIDENT_PHASES.index(first.phase) > INCIDENT_PHASES.index(opener.phase):
            first.reader.error("at", (
                f"at {iso_utc(first.at)} is earlier than the incident's first update "
                f"({_short(opener.document.file)}, {iso_utc(opener.at)}, {opener.phase}) but has a later "
                f"phase ({first.phase}); check the date"))
        else:
            for key, value in (("title", first.title), ("severity", first.severity)):
                if value is None:
                    first.reader.require(key, " on the first update of an incident (the earliest `at`)")
    if len(problems) > before:
        return None

    updates = []
    title, severity = first.title, first.severity
    statuses: dict[str, str] = {}
    for p in ordered:
        title = p.title or title
        severity = p.severity or severity
        if p.phase == "resolved":
            statuses = dict.fromkeys(statuses, "operational")
        statuses = {**statuses, **p.components}
        updates.append(Update(
            incident_id=incident_id, source=p.document.file, at=p.at, phase=p.phase,
            severity=severity, title=title, body=p.document.body, components=dict(statuses),
            next_update=p.next_update if p.phase != "resolved" else None,
            detected_at=p.detected_at, started_at=p.started_at, postmortem=p.postmortem,
            reported_by=p.reported_by, field_lines=_field_lines(p.document),
        ))
    return Incident(id=incident_id, updates=tuple(updates), now=now)


def _reject_same_time(ordered: list, problems: list[Problem]) -> None:
    for previous, current in zip(ordered, ordered[1:]):
        if current.at == previous.at:
            current.reader.error("at", f"at {iso_utc(current.at)} is the same as in "
                                       f"{_short(previous.document.file)}; every update needs its own time")


# --- maintenance -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _MaintenanceFields:
    document: SourceDocument
    reader: FieldReader
    at: datetime
    phase: str
    title: str | None
    window: tuple[datetime, datetime] | None
    components: tuple[str, ...] | None
    next_update: datetime | None


def load_maintenances(source_dir: Path, component_ids: Iterable[str], now: datetime,
                      problems: list[Problem], cache: ItemCache | None = None) -> list[Maintenance]:
    return _load_items(source_dir, MAINTENANCE_DIR, list(component_ids), now, problems, cache)


def _maintenance_fields(document: SourceDocument, component_ids: list[str],
                        problems: list[Problem]) -> _MaintenanceFields | None:
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
    return _MaintenanceFields(document, fields, at, phase, title, window, components, next_update)


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


def _assemble_maintenance(maintenance_id: str, parsed: list[_MaintenanceFields], now: datetime,
                          problems: list[Problem]) -> Maintenance | None:
    before = len(problems)
    ordered = sorted(parsed, key=lambda p: (p.at, p.document.file))
    _reject_same_time(ordered, problems)
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
            body=p.document.body, next_update=p.next_update, field_lines=_field_lines(p.document),
        ))
    return Maintenance(id=maintenance_id, updates=tuple(updates), now=now)


def _field_lines(document: SourceDocument) -> dict[str, int]:
    """Where each field of an update was written, for later messages about it (`statusgen check`)."""
    return {"": document.front_matter.line, **document.front_matter.lines}


def _short(file: str) -> str:
    return file.rsplit("/", 1)[-1]
