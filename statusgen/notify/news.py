"""What is new: the updates a site publishes now that were not announced yet. Pure.

An update is identified as the JSON API identifies it (render/api.py: its incident's or
maintenance's id and its time, `incident/<id>-<yyyymmddThhmmssZ>`), and fingerprinted by its
status and text, so an update edited after it was announced (same id, other words) is new again.
Both sides are read from the same two documents, `api/v2/incidents.json` and
`api/v2/scheduled-maintenances.json`: the current build's and the previously published site's.
They list the same window (the 50 newest incidents and maintenances, and every open one), so an
old incident that neither lists is never taken for a new one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

INCIDENTS = "api/v2/incidents.json"
MAINTENANCES = "api/v2/scheduled-maintenances.json"
DOCUMENTS = {INCIDENTS: ("incidents", "incident"), MAINTENANCES: ("scheduled_maintenances", "maintenance")}
"""Each document the announcement is read from: its list's key and the kind of what it lists."""

Published = dict[str, str]
"""Update key ('incident/<update id>') → fingerprint of its status and text."""


def update_key(kind: str, update_id: str) -> str:
    """The stable key of one update: 'incident/<update id>' or 'maintenance/<update id>'."""
    return f"{kind}/{update_id}"


def fingerprint(status: str, body: str) -> str:
    """What changes when an announced update is edited: its status or its text."""
    return hashlib.sha256(json.dumps([status, body], ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


def published_updates(documents: Mapping[str, Any]) -> tuple[Published, list[str]]:
    """Every update the documents ({path: parsed JSON}) hold, and what is wrong with their shape
    (a message per mistake, naming the document); a missing document holds nothing."""
    found: Published = {}
    mistakes: list[str] = []
    for path, (list_key, kind) in DOCUMENTS.items():
        if path not in documents:
            continue
        document = documents[path]
        items = document.get(list_key) if isinstance(document, dict) else None
        if not isinstance(items, list):
            mistakes.append(f"{path} is not a status page's JSON: it has no list '{list_key}'")
            continue
        for index, item in enumerate(items):
            updates = item.get("incident_updates") if isinstance(item, dict) else None
            if not isinstance(updates, list):
                mistakes.append(f"{path}: {list_key}[{index}] has no list 'incident_updates'")
                continue
            for number, update in enumerate(updates):
                fields = [update.get(name) if isinstance(update, dict) else None for name in ("id", "status", "body")]
                if not all(isinstance(value, str) for value in fields):
                    mistakes.append(f"{path}: {list_key}[{index}].incident_updates[{number}] needs the texts "
                                    f"id, status and body")
                    continue
                found[update_key(kind, fields[0])] = fingerprint(fields[1], fields[2])
    return found, mistakes


def new_updates(current: Published, announced: Published) -> list[str]:
    """The keys of `current` that `announced` lacks or holds with another fingerprint, in
    `current`'s order."""
    return [key for key, mark in current.items() if announced.get(key) != mark]
