"""The uptime figures as JSON: the `uptime` object of each entry of api/v2/components.json and
the whole of api/uptime.json (per component and group, per day and month of the window).

Percentages are the model's, cut to two decimals (model/uptime.py); seconds are exact to the
millisecond. Components come in statusgen.yml's order and groups in page order, so the same
content and `now` give the same bytes.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, Mapping

from ..model import Site, Uptime, UptimeFigure, iso_utc
from ..vocabulary import STATUSES

JSON = dict[str, Any]


def json_seconds(value: Fraction) -> int | float:
    """Seconds as a JSON number: whole where they are, else to the millisecond (a weight of 0.3
    on one second is 0.3 s)."""
    return int(value) if value.denominator == 1 else round(float(value), 3)


def uptime_object(uptime: Uptime) -> JSON:
    """`{"days": 90, "percent": 99.95}`: what components.json adds to each entry."""
    return {"days": uptime.days, "percent": uptime.total.percent}


def _figures(figure: UptimeFigure) -> JSON:
    return {"percent": figure.percent, "seconds": json_seconds(figure.seconds),
            "down_seconds": json_seconds(figure.down_seconds)}


class _Entries:
    """The JSON of each figure, made once: components without downtime share their days' figures
    (model/uptime.py), so on a site of 1,000 components each such day is written out once."""

    def __init__(self) -> None:
        self.made: dict[int, tuple[Any, JSON]] = {}

    def entry(self, figure: Any, kind: str) -> JSON:
        made = self.made.get(id(figure))
        if made is None:
            if kind == "day":
                value = {"date": figure.day.isoformat(), **_figures(figure)}
            else:
                value = {"month": figure.key, "start": iso_utc(figure.start), "end": iso_utc(figure.end),
                         **_figures(figure)}
            made = self.made[id(figure)] = (figure, value)  # the figure kept alive, so its id stays its own
        return made[1]

    def subject(self, uptime: Uptime) -> JSON:
        """One component's or group's figures: the window's, then each status's time, day and month."""
        return {
            **_figures(uptime.total),
            "status_seconds": {status: json_seconds(seconds) for status, seconds in uptime.status_seconds.items()},
            "daily": [self.entry(day, "day") for day in uptime.daily],
            "monthly": [self.entry(month, "month") for month in uptime.monthly],
        }


def uptime_document(site: Site, group_ids: Mapping[str, str]) -> JSON:
    """api/uptime.json: the window and the rule, then every component and every group (with
    `group_ids`, the ids components.json gives the groups)."""
    rule = site.config.uptime
    first = next(iter(site.uptime.values()))
    entries = _Entries()
    return {
        "days": first.days,
        "start": iso_utc(first.total.start),
        "end": iso_utc(first.total.end),
        "time_zone": site.config.timezone,
        "rule": {
            "weights": {status: rule.weight(status) for status in reversed(STATUSES[2:])},
            "maintenance_counts_as_down": rule.maintenance_counts_as_down,
        },
        "components": [
            {"id": c.id, "name": c.name, "group_id": group_ids.get(c.group) if c.group else None,
             **entries.subject(site.uptime[c.id])}
            for c in site.components],
        "groups": [
            {"id": group_ids[group.name], "name": group.name, "components": [c.id for c in group.components],
             **entries.subject(site.group_uptime[group.name])}
            for group in site.config.component_groups if group.name is not None],
    }


def encode_uptime(document: JSON) -> bytes:
    """api/uptime.json's bytes: indented like the rest of the API, but each day's and month's
    figures on one line (90 days x every component would otherwise be most of a large site's
    output, and slow to write)."""
    return (_encoded(document, "", {}) + "\n").encode("utf-8")


_ONE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
"""Writes a value on one line (made once: json.dumps with options makes an encoder per call)."""


def _encoded(value: Any, indent: str, made: dict[int, str]) -> str:
    """`value` as indented JSON, mappings of plain values on one line; `made` holds the lines of
    the mappings already written (the days components share), by identity."""
    inner = indent + "  "
    if isinstance(value, dict) and value and any(isinstance(v, (dict, list)) for v in value.values()):
        members = (f"{inner}{_ONE_LINE.encode(key)}: {_encoded(item, inner, made)}" for key, item in value.items())
        return "{\n" + ",\n".join(members) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _encoded(item, inner, made) for item in value) + f"\n{indent}]"
    if isinstance(value, dict):
        line = made.get(id(value))
        if line is None:
            line = made[id(value)] = _ONE_LINE.encode(value)
        return line
    return _ONE_LINE.encode(value)
