"""statusgen.yml's `alerts:` table applied to the alerts of a payload: which components a draft
names, with which status, at which severity, detected when. Pure: records in, a Draft out.

Each firing alert is matched by the first rule that fits it (all of a rule's `match` labels
equal, or its `monitor` the alert's monitor name in any case). The draft names every component
of every matched rule, each with the worst status any of them gives it; its severity is the
most severe any of them gives; detection is the earliest start among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from ..model import AlertRule, AlertTable, iso_utc
from ..vocabulary import SEVERITIES, STATUS_RANK
from .records import Alert


@dataclass(frozen=True)
class Matched:
    """A firing alert and the rule that matched it."""

    alert: Alert
    rule: AlertRule


@dataclass(frozen=True)
class Draft:
    """What the first update drafted from a payload says."""

    statuses: dict[str, str]
    """Component id → status, in the order statusgen.yml lists the components."""
    severity: str
    title: str | None
    """The first matched rule's title, if any gives one."""
    detected_at: datetime | None
    """The earliest start of a matched alert; None when no alert says when it started."""
    matched: tuple[Matched, ...]
    unmatched: tuple[Alert, ...]
    """Firing alerts no rule matches (left out of the draft)."""


def rule_for(alert: Alert, rules: Sequence[AlertRule]) -> AlertRule | None:
    """The first rule that matches `alert`."""
    for rule in rules:
        if rule.match and all(alert.labels.get(key) == value for key, value in rule.match):
            return rule
        if rule.monitor is not None and alert.monitor is not None \
                and rule.monitor.strip().casefold() == alert.monitor.strip().casefold():
            return rule
    return None


def map_alerts(alerts: Sequence[Alert], table: AlertTable, component_order: Sequence[str]) -> Draft:
    """The draft for the firing ones among `alerts`, through `table`."""
    matched: list[Matched] = []
    unmatched: list[Alert] = []
    for alert in alerts:
        if not alert.firing:
            continue
        rule = rule_for(alert, table.rules)
        if rule is None:
            unmatched.append(alert)
        else:
            matched.append(Matched(alert, rule))
    statuses: dict[str, str] = {}
    for found in matched:
        status = found.rule.status or found.alert.suggested_status or table.status
        for component in found.rule.components:
            if STATUS_RANK[status] > STATUS_RANK.get(statuses.get(component, "operational"), 0):
                statuses[component] = status
    severities = [found.rule.severity or table.severity for found in matched]
    starts = [found.alert.started_at for found in matched if found.alert.started_at is not None]
    return Draft(
        statuses={cid: statuses[cid] for cid in component_order if cid in statuses},
        severity=min(severities, key=SEVERITIES.index) if severities else table.severity,
        title=next((found.rule.title for found in matched if found.rule.title), None),
        detected_at=min(starts) if starts else None,
        matched=tuple(matched),
        unmatched=tuple(unmatched),
    )


_UNSAFE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str, limit: int = 120) -> str:
    """`text` made safe for a YAML comment line: no line breaks or control characters, at most
    `limit` characters."""
    flat = " ".join(_UNSAFE.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def describe(alert: Alert) -> str:
    """The alert in a few words, for a reviewer: its name, labels and start."""
    labels = ", ".join(f"{key}={value}" for key, value in sorted(alert.labels.items()) if key != "alertname")
    started = f" since {iso_utc(alert.started_at)}" if alert.started_at else ""
    return one_line(f"{alert.name}" + (f" {{{labels}}}" if labels else "") + started, 200)
