"""The normalised alert every parser returns, and the helpers that read a payload's fields with
a Problem naming the field when one is missing or of the wrong type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from ..problems import Problem

MAX_ALERTS = 1000
"""The most alerts one payload may carry (Alertmanager's `max_alerts` is unlimited by default)."""


@dataclass(frozen=True)
class Alert:
    """One alert of a payload, whatever system sent it."""

    source: str
    """The format's name, as --alert-format spells it."""
    name: str
    """What the alert is called: Alertmanager's `alertname`, a monitor's or endpoint's name."""
    firing: bool
    """False when the payload says it is resolved (or the monitor is up again)."""
    started_at: datetime | None
    """When the problem began, as the monitoring system saw it; None when it does not say."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Alertmanager and Grafana labels; empty for the monitor-based sources."""
    monitor: str | None = None
    """The monitor's name (Uptime Kuma, Gatus, Upptime); None for label-based sources."""
    suggested_status: str | None = None
    """A component status the alert itself implies (Upptime's "degraded performance")."""
    where: str = ""
    """The alert's place in the payload (`alerts[2]`), for messages."""


_RFC3339 = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)?$")


def parse_time(text: str, zone_required: bool = True) -> datetime | None:
    """An RFC 3339 time as Go writes it (any number of fractional digits, `Z` or an offset), in
    UTC; without `zone_required`, a time without a zone is UTC. None when it is not one, or is
    Go's zero time (year 1: "not set")."""
    match = _RFC3339.match(text.strip())
    if match is None or (zone_required and match.group(8) is None):
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
    zone = match.group(8) or "Z"
    offset = timedelta(0) if zone in "Zz" else \
        (1 if zone[0] == "+" else -1) * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    try:
        moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone(offset))
    except ValueError:
        return None
    if moment.year < 1970:
        return None
    return moment.astimezone(timezone.utc).replace(microsecond=0)


class Reader:
    """Reads the fields of one JSON payload from file `shown`, recording a Problem naming the
    field for each one that is missing or of the wrong type."""

    def __init__(self, shown: str, problems: list[Problem]):
        self.shown = shown
        self.problems = problems

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.shown, None, where or None, message))

    def _get(self, obj: Mapping[str, Any], key: str, where: str, required: bool) -> Any:
        if key not in obj or obj[key] is None:
            if required:
                self.error(where, f"{where or key} is missing")
            return None
        return obj[key]

    def obj(self, obj: Mapping[str, Any], key: str, where: str, required: bool = True) -> dict | None:
        """The JSON object `obj[key]` (`where` names it in messages)."""
        value = self._get(obj, key, where, required)
        if value is not None and not isinstance(value, dict):
            self.error(where, f"{where} must be a JSON object, not {_kind(value)}")
            return None
        return value

    def array(self, obj: Mapping[str, Any], key: str, where: str, required: bool = True) -> list | None:
        value = self._get(obj, key, where, required)
        if value is not None and not isinstance(value, list):
            self.error(where, f"{where} must be a JSON array, not {_kind(value)}")
            return None
        return value

    def text(self, obj: Mapping[str, Any], key: str, where: str, required: bool = True,
             max_length: int = 10_000) -> str | None:
        value = self._get(obj, key, where, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(where, f"{where} must be a JSON string, not {_kind(value)}")
            return None
        if len(value) > max_length:
            self.error(where, f"{where} is {len(value)} characters long; at most {max_length} are read")
            return None
        return value

    def time(self, obj: Mapping[str, Any], key: str, where: str, required: bool = True,
             zone_required: bool = True) -> datetime | None:
        text = self.text(obj, key, where, required, max_length=100)
        if text is None:
            return None
        moment = parse_time(text, zone_required)
        if moment is None:
            self.error(where, f"{where} '{text}' is not a time like 2026-11-26T06:58:00Z (RFC 3339"
                              f"{', with a zone' if zone_required else ''})")
        return moment

    def labels(self, obj: Mapping[str, Any], key: str, where: str, required: bool = True) -> dict[str, str]:
        """A JSON object of strings (Alertmanager's labels)."""
        value = self.obj(obj, key, where, required) or {}
        labels: dict[str, str] = {}
        for name, item in value.items():
            if isinstance(item, str):
                labels[name] = item
            else:
                self.error(f"{where}.{name}", f"{where}.{name} must be a JSON string, not {_kind(item)}")
        return labels


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), type(value).__name__)
