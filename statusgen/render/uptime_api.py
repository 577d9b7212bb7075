"""The uptime figures as JSON: the `uptime` object of each entry of api/v2/components.json and
the whole of api/uptime.json (per component and group, per day and month of the window).

Percentages are the model's, cut to two decimals (model/uptime.py); seconds are exact to the
millisecond. Components come in statusgen.yml's order and groups in page order, so the same
content and `now` give the same bytes.
"""

from __future__ import annotations

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


def _subject(uptime: Uptime) -> JSON:
    """One component's or group's figures: the window's, then each status's time, day and month."""
    return {
        **_figures(uptime.total),
        "status_seconds": {status: json_seconds(seconds) for status, seconds in uptime.status_seconds.items()},
        "daily": [{"date": day.day.isoformat(), **_figures(day)} for day in uptime.daily],
        "monthly": [{"month": month.key, "start": iso_utc(month.start), "end": iso_utc(month.end), **_figures(month)}
                    for month in uptime.monthly],
    }


def uptime_document(site: Site, group_ids: Mapping[str, str]) -> JSON:
    """api/uptime.json: the window and the rule, then every component and every group (with
    `group_ids`, the ids components.json gives the groups)."""
    rule = site.config.uptime
    first = next(iter(site.uptime.values()))
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
             **_subject(site.uptime[c.id])}
            for c in site.components],
        "groups": [
            {"id": group_ids[group.name], "name": group.name, "components": [c.id for c in group.components],
             **_subject(site.group_uptime[group.name])}
            for group in site.config.component_groups if group.name is not None],
    }
