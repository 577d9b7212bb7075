"""`statusgen import statuspage`: an export of Atlassian Statuspage's public API → a statusgen site.

Reads `incidents.json` (`/api/v2/incidents.json`: `{"page": {...}, "incidents": [...]}`, or a
bare list of incidents) and optionally `components.json` (`/api/v2/components.json`). statusgen's
own `api/v2/` output has the same shapes, so a statusgen site imports back into itself.

Mapping (README, "Moving from cState or Statuspage"):

- every incident update becomes one update file; its `at` is the update's `display_at` (else
  `created_at`), written exactly as the export spells it; `status` is the phase (`postmortem`
  becomes `resolved`); `affected_components[].new_status` are the component statuses;
- the incident's `impact` is its severity: critical → sev1, major → sev2, minor → sev3,
  none → sev4; its `name` the title, on the first update;
- the incident's id is kept when it already is a readable statusgen id (lowercase letters,
  digits and '-', with a '-': one statusgen exported); Statuspage's own random ids are replaced
  by `<date of the first update>-<title as a slug>`;
- `started_at`, when earlier than the first update, becomes `started_at` (when the problem began);
- Statuspage has no promised next-update times: every update before resolution gets
  `next_update` one cadence of its severity after it (statusgen.yml's `cadence`, by default
  30/60/180/1440 minutes), as `statusgen new` would promise;
- components are matched to statusgen.yml's by id, then by name; others are added with their
  name as a slug for id and their group's name as `group`.

Not mapped (each is reported): scheduled maintenance, `under_maintenance` statuses of incident
updates, and what the public API does not carry (postmortem texts beyond their update body,
subscribers, metrics). Title and severity changes during an incident are not in the export:
each incident gets its final title and impact.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..source.config import CONFIG_FILE
from ..vocabulary import INCIDENT_STATUSES
from ..source.fields import parse_timestamp
from ..model import SiteConfig
from ..source.links import is_web_address
from ..source.spec import BASE_URL_REGEX
from ..problems import ImportFailed
from .inputs import UNPUBLISHABLE, display_name, plain_text, read_json as read_json_file, scalar_text
from .plan import (PLACEHOLDER_BASE_URL, ComponentMapper, ImportedIncident, ImportedUpdate,
                     ImportPlan, Note, SiteDraft, cadence_minutes, incident_id, is_valid_id, promise_after)
from ..wording import unique

IMPACT_SEVERITIES = {"critical": "sev1", "major": "sev2", "minor": "sev3", "none": "sev4"}
"""Statuspage's incident `impact` → statusgen severity (the inverse of the JSON API's mapping)."""

IMPACT_STATUSES = {"critical": "major_outage", "major": "partial_outage", "minor": "degraded_performance",
                   "none": "degraded_performance"}
"""A component's status, for components an incident lists but none of its updates names."""

PHASES = {"investigating": "investigating", "identified": "identified", "monitoring": "monitoring",
          "resolved": "resolved", "postmortem": "resolved"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}


def read_json(path: Path, what: str) -> Any:
    """The JSON document in `path` (an export of `what`); ImportFailed saying why it cannot be read."""
    return read_json_file(path, display_name(path), what)


def _items(document: Any, key: str, path: Path) -> list[dict]:
    items = document.get(key) if isinstance(document, dict) else document
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFailed([f"{display_name(path)}: expected {{\"{key}\": [...]}} as in Statuspage's "
                            f"/api/v2/{key}.json, or a list of {key}"])
    return items


def _list(value: object) -> list:
    """`value` when the export has a list there, else [] (a malformed field reads as empty)."""
    return value if isinstance(value, list) else []


def _position(entry: dict) -> int | float:
    position = entry.get("position")
    return position if isinstance(position, (int, float)) and not isinstance(position, bool) and position == position else 0


def plan_statuspage(incidents_path: Path, components_path: Path | None, config: SiteConfig | None) -> ImportPlan:
    """Read the export; describe the site it becomes, with a note on whatever did not map."""
    document = read_json(incidents_path, "a Statuspage incidents export")
    incidents = _items(document, "incidents", incidents_path)
    notes: list[Note] = []
    mapper = ComponentMapper(config.components if config is not None else ())
    if components_path is not None:
        _components(components_path, mapper, notes)
    page = document.get("page") if isinstance(document, dict) else None
    site = _site(page if isinstance(page, dict) else {}, incidents_path.name, notes, config)

    taken: set[str] = set()
    planned = []
    promised = 0
    for raw in sorted(incidents, key=lambda i: (str(i.get("created_at")), str(i.get("id")))):
        incident = _incident(raw, incidents_path.name, mapper, taken, notes, config)
        if incident is not None:
            planned.append(incident)
            promised += sum(u.next_update is not None for u in incident.updates)
    if promised:
        cadence = cadence_minutes(config)
        notes.append(Note(incidents_path.name, (
            f"Statuspage has no promised next-update times: wrote next_update one cadence after the update "
            f"on {promised} update(s) before resolution (sev1 {cadence['sev1']}, sev2 {cadence['sev2']}, "
            f"sev3 {cadence['sev3']}, sev4 {cadence['sev4']} min); `statusgen check` may call later "
            f"updates broken promises")))
    return ImportPlan(site, mapper.components, planned, notes)


def _site(page: dict, origin: str, notes: list[Note], config: SiteConfig | None) -> SiteDraft:
    title = plain_text(page.get("name"), origin, "page.name", notes, one_line=True) or "Status"
    url = (scalar_text(page.get("url")) or "").strip()
    if not re.match(BASE_URL_REGEX, url) or not is_web_address(url):  # 'https://[x/' matches the pattern
        if config is None:
            notes.append(Note(origin, f"page.url {url!r} is not an http(s) address; base_url in {CONFIG_FILE} "
                                      f"is {PLACEHOLDER_BASE_URL}: set it to your page's address"))
        url = PLACEHOLDER_BASE_URL
    zone = scalar_text(page.get("time_zone"))
    if zone is not None:
        try:
            if UNPUBLISHABLE.search(zone):
                raise ValueError(zone)
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            if config is None:
                notes.append(Note(origin, f"page.time_zone {zone!r} is not an IANA time zone; times are shown in UTC"))
            zone = None
    return SiteDraft(title=title[:200], base_url=url, timezone=zone or None, origin=origin)


def _components(path: Path, mapper: ComponentMapper, notes: list[Note]) -> None:
    entries = _items(read_json(path, "a Statuspage components export"), "components", path)
    shown = display_name(path.name)
    groups = {str(e.get("id")): plain_text(e.get("name"), f"{shown}: group {e.get('id')!r}", "name", notes,
                                           one_line=True) for e in entries if e.get("group")}
    ordered = sorted(enumerate(entries), key=lambda pair: (_position(pair[1]), pair[0]))
    for _, entry in ordered:
        if entry.get("group"):
            continue
        where = f"{shown}: component {entry.get('id')!r}"
        name = plain_text(entry.get("name"), where, "name", notes, one_line=True)
        if not name:
            notes.append(Note(where, "has no name; not imported"))
            continue
        mapper.id_for(name, source_id=_str(entry.get("id")), group=groups.get(str(entry.get("group_id"))) or None,
                      description=plain_text(entry.get("description"), where, "description", notes) or None)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _moment(text: object) -> tuple[datetime | None, str | None]:
    """(the instant, its spelling to write as it is) for an export's timestamp; the spelling is
    None when it would not be written as one plain word."""
    if not isinstance(text, str) or UNPUBLISHABLE.search(text):
        return None, None
    parsed, _ = parse_timestamp(text)
    return parsed, (text if parsed is not None and text == text.strip() and "\n" not in text else None)


def _incident(raw: dict, origin: str, mapper: ComponentMapper, taken: set[str], notes: list[Note],
              config: SiteConfig | None) -> ImportedIncident | None:
    name = plain_text(raw.get("name"), f"{origin}: incident {raw.get('id')!r}", "name", notes, one_line=True)
    source = f"{origin}: incident {raw.get('id')!r} ({name or 'no name'})"
    raw_updates = [u for u in _list(raw.get("incident_updates")) if isinstance(u, dict)]
    statuses = {str(u.get("status")) for u in raw_updates} | {str(raw.get("status"))}
    maintenance_words = statuses & (MAINTENANCE_STATUSES - {"completed"})
    if raw.get("impact") == "maintenance" or raw.get("scheduled_for") is not None or maintenance_words:
        notes.append(Note(source, "scheduled maintenance is not imported (add it under content/maintenance/)"))
        return None
    if not name:
        notes.append(Note(source, "has no name; not imported"))
        return None
    impact = raw.get("impact")
    severity = IMPACT_SEVERITIES.get(str(impact))
    if severity is None:
        notes.append(Note(source, f"impact {impact!r} is not critical, major, minor or none; imported as sev3"))
        severity = "sev3"
    updates = _updates(raw, raw_updates, source, mapper, notes)
    if not updates:
        return None

    first = updates[0]
    first.title, first.severity = name[:300], severity
    _listed_components(raw, first, updates, source, mapper, notes)
    started, _ = _moment(raw.get("started_at"))
    if started is not None and started < first.at:
        first.started_at = started
    for update in updates:
        if update.phase != "resolved":
            update.next_update = promise_after(update.at, severity, config)
    if str(raw.get("status")) in ("resolved", "postmortem") and updates[-1].phase != "resolved":
        notes.append(Note(source, "is resolved in Statuspage but no update says so; imported as still open"))
    if any(str(u.get("status")) == "postmortem" for u in raw_updates):
        notes.append(Note(source, "its postmortem update is imported as a resolved update; link the "
                                  "postmortem with `postmortem:` if it is published elsewhere"))

    raw_id = raw.get("id")
    if is_valid_id(raw_id) and "-" in str(raw_id) and str(raw_id) not in taken:
        new_id = unique(str(raw_id), taken)
    else:
        new_id = incident_id(first.at, name, taken)
    return ImportedIncident(new_id, source, updates)


def _updates(raw: dict, raw_updates: list[dict], source: str, mapper: ComponentMapper,
             notes: list[Note]) -> list[ImportedUpdate]:
    """An incident's updates, oldest first, each at its own second; [] when it has none usable."""
    updates: list[ImportedUpdate] = []
    for raw_update in raw_updates:
        update = _update(raw_update, source, mapper, notes)
        if update is not None:
            updates.append(update)
    if not updates:
        at, at_text = _moment(raw.get("created_at"))
        phase = PHASES.get(str(raw.get("status")))
        if at is None or phase is None:
            notes.append(Note(source, "has no usable updates, created_at or status; not imported"))
            return []
        notes.append(Note(source, "has no updates: imported as one update with an empty text"))
        updates.append(ImportedUpdate(at=at, at_text=at_text, phase=phase, body=""))
    updates.sort(key=lambda u: u.at)
    for previous, current in zip(updates, updates[1:]):
        if current.at <= previous.at:
            current.at, current.at_text = previous.at + timedelta(seconds=1), None
            notes.append(Note(source, "two updates at the same time: the later one moved by a second"))
    return updates


def _listed_components(raw: dict, first: ImportedUpdate, updates: list[ImportedUpdate], source: str,
                       mapper: ComponentMapper, notes: list[Note]) -> None:
    """Components the incident lists but no update gives a status: on the first update, with the
    status its impact suggests (operational if it was resolved at once)."""
    named = {cid for u in updates for cid in u.components}
    for component in _list(raw.get("components")):
        if not isinstance(component, dict):
            continue
        label = plain_text(component.get("name"), source, "components[].name", notes, one_line=True)
        if not label:
            continue
        cid = mapper.id_for(label, source_id=_str(component.get("id")))
        if cid not in named:
            status = ("operational" if first.phase == "resolved"
                      else IMPACT_STATUSES.get(str(raw.get("impact")), "degraded_performance"))
            first.components[cid] = status
            named.add(cid)
            notes.append(Note(source, f"component {label!r} is listed but no update says its "
                                      f"status: set to {status} on the first update"))


def _update(raw: dict, source: str, mapper: ComponentMapper, notes: list[Note]) -> ImportedUpdate | None:
    where = f"{source}, update {raw.get('id')!r}"
    at, at_text = _moment(raw.get("display_at"))
    if at is None:
        at, at_text = _moment(raw.get("created_at"))
    if at is None:
        notes.append(Note(where, f"has no usable display_at or created_at ({raw.get('created_at')!r}); not imported"))
        return None
    status = str(raw.get("status"))
    phase = PHASES.get(status)
    if phase is None:
        notes.append(Note(where, f"status {status!r} is not an incident phase; update not imported"))
        return None
    components: dict[str, str] = {}
    for change in _list(raw.get("affected_components")):
        if not isinstance(change, dict):
            continue
        new_status = str(scalar_text(change.get("new_status")))
        label = (plain_text(change.get("name"), where, "affected_components[].name", notes, one_line=True)
                 or plain_text(change.get("code"), where, "affected_components[].code", notes, one_line=True))
        if not label:
            continue
        if new_status not in INCIDENT_STATUSES:
            notes.append(Note(where, f"component {label!r} status {new_status!r} is not an incident status; left out"))
            continue
        components[mapper.id_for(label, source_id=_str(change.get("code")))] = new_status
    return ImportedUpdate(at=at, at_text=at_text, phase=phase, body=plain_text(raw.get("body"), where, "body", notes),
                          components=components)
