"""Uptime Kuma's webhook notification (`application/json` body): {"heartbeat": {"status",
"time", "msg", ...}, "monitor": {"name", "url", ...}, "msg": "..."}.

The heartbeat's `status` is 0 (down), 1 (up), 2 (pending: retrying before it calls the monitor
down) or 3 (maintenance); only 0 is an alert. Its `time` is UTC without a zone
("2026-11-26 06:58:00.000", written by `R.isoDateTimeMillis(dayjs.utc())`). The test button
sends `heartbeat` and `monitor` as null: no alert at all.
"""

from __future__ import annotations

from typing import Any

from ..problems import Problem
from .records import Alert, Reader

NAME = "uptime-kuma"
DOWN, UP, PENDING, MAINTENANCE = 0, 1, 2, 3


def looks_like(document: Any) -> bool:
    """An object with Uptime Kuma's three keys: heartbeat, monitor and msg."""
    return isinstance(document, dict) and {"heartbeat", "monitor", "msg"} <= set(document)


def parse(document: Any, shown: str) -> tuple[list[Alert], list[Problem]]:
    """The one alert of an Uptime Kuma notification (none for its test notification)."""
    problems: list[Problem] = []
    read = Reader(shown, problems)
    if not isinstance(document, dict):
        read.error("", "is not an Uptime Kuma webhook payload: expected a JSON object with heartbeat and monitor")
        return [], problems
    if "heartbeat" in document and "monitor" in document and document["heartbeat"] is None \
            and document["monitor"] is None:
        return [], problems  # the test notification
    heartbeat = read.obj(document, "heartbeat", "heartbeat")
    monitor = read.obj(document, "monitor", "monitor")
    if heartbeat is None or monitor is None:
        return [], problems
    status = heartbeat.get("status")
    if isinstance(status, bool) or status not in (DOWN, UP, PENDING, MAINTENANCE):
        read.error("heartbeat.status", f"heartbeat.status {status!r} is not one of 0 (down), 1 (up), "
                                       f"2 (pending), 3 (maintenance)")
    started = read.time(heartbeat, "time", "heartbeat.time", zone_required=False)
    name = read.text(monitor, "name", "monitor.name", max_length=500)
    if problems or name is None:
        return [], problems
    return [Alert(NAME, name, status == DOWN, started, monitor=name, where="monitor")], problems
