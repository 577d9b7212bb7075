"""The parse cache's record of an item: each update's fields but the body, which comes back from
the source bytes (they are part of the key, so they are at hand and cost nothing to store)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from typing import Any, Sequence

from ..model import ActionItem, IncidentRecord, MaintenanceRecord, MaintenanceUpdate, Postmortem, Update
from .hooks import BodyOf


# What the cache keeps of an item: each update's fields but the body, which comes back from the
# source bytes (they are part of the key, so they are at hand and cost nothing to store).
_INSTANTS = ("at", "next_update", "detected_at", "started_at", "window_start", "window_end")


def encode_item(item: IncidentRecord | MaintenanceRecord) -> list[dict]:
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
    report = getattr(item, "report", None)
    if report is not None:
        # Not "postmortem": that is also an update's own field (its link to a postmortem), and
        # an update record with it would be taken for the report, so no item ever decoded.
        encoded.append({REPORT_KEY: _encode_postmortem(report)})
    return encoded


REPORT_KEY = "postmortem_report"
"""The record that holds an incident's postmortem, after its updates' records."""


def _encode_postmortem(report: Postmortem) -> dict[str, Any]:
    """A postmortem's fields but the body (which comes back from its file's bytes)."""
    return {
        "incident_id": report.incident_id, "source": report.source, "published_at": report.published_at.isoformat(),
        "summary": report.summary, "impact": report.impact, "root_cause": report.root_cause, "cause": report.cause,
        "action_items": [[a.title, a.owner, a.due.isoformat(), a.done, a.line] for a in report.action_items],
        "field_lines": dict(report.field_lines),
    }


def _decode_postmortem(record: dict[str, Any], body: str) -> Postmortem:
    items = tuple(ActionItem(title, owner, date.fromisoformat(due), done, line)
                  for title, owner, due, done, line in record["action_items"])
    return Postmortem(record["incident_id"], record["source"], datetime.fromisoformat(record["published_at"]),
                      record["summary"], record["impact"], record["root_cause"], record["cause"], items, body,
                      record["field_lines"])


def same_item(decoded: IncidentRecord | MaintenanceRecord | None, item: IncidentRecord | MaintenanceRecord) -> bool:
    """Whether a record decodes to exactly the item, lines included (they are not compared by ==)."""
    if decoded != item or not all(a.field_lines == b.field_lines
                                  for a, b in zip(decoded.updates, item.updates)):  # type: ignore[union-attr]
        return False
    reports = (getattr(decoded, "report", None), getattr(item, "report", None))
    return reports[0] is None or (reports[0].field_lines == reports[1].field_lines  # type: ignore[union-attr]
                                  and [a.line for a in reports[0].action_items]
                                  == [a.line for a in reports[1].action_items])  # type: ignore[union-attr]


def decode_item(encoded: object, item_id: str, raw: Sequence[tuple[str, bytes]],
                body_of: BodyOf) -> IncidentRecord | MaintenanceRecord | None:
    """The item an encode_item record stands for, or None if the record is not one. The
    bodies come from the files' bytes (`raw`), through loading's `body_of`."""
    bodies = {}
    for shown, data in raw:
        body = body_of(data)
        if body is None:
            return None
        bodies[shown] = body
    try:
        updates = []
        report = None
        for record in encoded:  # type: ignore[attr-defined]
            if REPORT_KEY in record:
                report = _decode_postmortem(record[REPORT_KEY], bodies[record[REPORT_KEY]["source"]])
                continue
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
            return MaintenanceRecord(id=item_id, updates=tuple(updates))
        return IncidentRecord(id=item_id, updates=tuple(updates), report=report)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None
