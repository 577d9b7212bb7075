"""The parse cache's record of an item: each update's fields but the body, which comes back from
the source bytes (they are part of the key, so they are at hand and cost nothing to store)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import Sequence

from ..model import IncidentRecord, MaintenanceRecord, MaintenanceUpdate, Update
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
    return encoded


def same_item(decoded: IncidentRecord | MaintenanceRecord | None, item: IncidentRecord | MaintenanceRecord) -> bool:
    """Whether a record decodes to exactly the item, lines included (they are not compared by ==)."""
    return decoded == item and all(a.field_lines == b.field_lines
                                   for a, b in zip(decoded.updates, item.updates))  # type: ignore[union-attr]


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
            return MaintenanceRecord(id=item_id, updates=tuple(updates))
        return IncidentRecord(id=item_id, updates=tuple(updates))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None
