"""Incident updates: each file's fields, then the incident's updates in time order, checked together."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..model import IncidentRecord, Postmortem, Update, iso_utc
from ..vocabulary import INCIDENT_PHASES, INCIDENT_STATUSES
from ..problems import Problem
from ..wording import one_of
from .fields import FieldReader, suggest
from .files import SourceDocument, field_lines, short_name
from .links import is_link
from .postmortems import check_postmortem
from .spec import INCIDENT_UPDATE

INCIDENT_UPDATE_FIELDS = INCIDENT_UPDATE.names


@dataclass(frozen=True)
class IncidentFields:
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


def read_incident_fields(document: SourceDocument, component_ids: list[str],
                         problems: list[Problem]) -> IncidentFields | None:
    before = len(problems)
    fields = FieldReader(document.file, document.front_matter, problems)
    fields.reject_unknown(INCIDENT_UPDATE_FIELDS)
    spec = INCIDENT_UPDATE
    at = fields.read(spec["at"])
    phase = fields.read(spec["phase"])
    severity = fields.read(spec["severity"])
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
    return IncidentFields(document, fields, at, phase, severity, title, components, next_update,
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
    if not is_link(value):
        fields.error("postmortem", f"postmortem '{value}' must be an http(s):// address or a path "
                                   f"on this site like /postmortems/2026-11-20.html")
        return None
    return value


def assemble_incident(incident_id: str, parsed: list[IncidentFields], problems: list[Problem],
                      report: Postmortem | None = None) -> IncidentRecord | None:
    """Order one incident's updates in time, check them together, carry state forward; attach
    its postmortem (`report`), which must follow the resolution."""
    before = len(problems)
    ordered = sorted(parsed, key=lambda p: (p.at, p.document.file))
    reject_same_time(ordered, problems)

    first = ordered[0]
    if first.title is None or first.severity is None:
        opener = next((p for p in ordered if p.title is not None and p.severity is not None), None)
        if opener is not None and INCIDENT_PHASES.index(first.phase) > INCIDENT_PHASES.index(opener.phase):
            first.reader.error("at", (
                f"at {iso_utc(first.at)} is earlier than the incident's first update "
                f"({short_name(opener.document.file)}, {iso_utc(opener.at)}, {opener.phase}) but has a later "
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
            reported_by=p.reported_by, field_lines=field_lines(p.document),
        ))
    incident = IncidentRecord(id=incident_id, updates=tuple(updates), report=report)
    if report is not None:
        check_postmortem(report, incident, problems)
    return incident if len(problems) == before else None


def reject_same_time(ordered: list, problems: list[Problem]) -> None:
    for previous, current in zip(ordered, ordered[1:]):
        if current.at == previous.at:
            current.reader.error("at", f"at {iso_utc(current.at)} is the same as in "
                                       f"{short_name(previous.document.file)}; every update needs its own time")
