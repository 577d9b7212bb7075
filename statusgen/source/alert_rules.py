"""statusgen.yml's `alerts:` table → an AlertTable, each field read through its declaration in
spec.py (ALERTS, ALERT_RULE), with the checks that need the rest of the config: every component
a rule names must be one the site declares.

The table only matters to `statusgen new incident --from-alert`, but it is checked by every
command that reads statusgen.yml, so a rule naming a component that was renamed is an error on
the next build, not a surprise during the next outage.
"""

from __future__ import annotations

from typing import Sequence

from ..model import AlertRule, AlertTable
from .fields import FieldReader, suggest
from .located_yaml import LocatedMapping
from .spec import ALERT_RULE, ALERTS, CONFIG
from ..wording import one_of


def read_alerts(fields: FieldReader, component_ids: Sequence[str]) -> AlertTable | None:
    """The `alerts:` table of statusgen.yml (None when it has none or it is unusable); every
    mistake is recorded in the reader's problems at its line."""
    mapping = fields.read(CONFIG["alerts"])
    if mapping is None:
        return None
    table = FieldReader(fields.file, mapping, fields.problems, prefix="alerts.")
    table.reject_unknown(ALERTS.names)
    severity = table.read(ALERTS["severity"])
    status = table.read(ALERTS["status"])
    items = table.read(ALERTS["rules"], why=" (a list of rules like `- {match: {alertname: HighErrorRate}, "
                                             "components: [api]}`)")
    if items is None:
        return None
    if not items:
        table.error("rules", "alerts.rules must list at least one rule")
    rules = []
    for index, (item, line) in enumerate(zip(items, items.lines)):
        where = f"alerts.rules[{index}]"
        if not isinstance(item, LocatedMapping):
            table.error("rules", f"{where} must be a mapping with match (or monitor) and components", line)
            continue
        rule = _rule(FieldReader(fields.file, item, fields.problems, prefix=f"{where}."), where, line,
                     component_ids)
        if rule is not None:
            rules.append(rule)
    return AlertTable(tuple(rules), severity, status)


def _rule(entry: FieldReader, where: str, line: int, component_ids: Sequence[str]) -> AlertRule | None:
    """One rule, or None when it is wrong (each mistake recorded)."""
    before = len(entry.problems)
    entry.reject_unknown(ALERT_RULE.names)
    match = _match(entry, where)
    monitor = entry.read(ALERT_RULE["monitor"])
    if (match is None) == (monitor is None):
        entry.error(None, f"{where} needs exactly one of match (labels of an Alertmanager or Grafana alert, "
                          f"like match: {{alertname: HighErrorRate}}) and monitor (the name of an Uptime "
                          f"Kuma monitor, a Gatus endpoint or an Upptime site)")
    components = _components(entry, where, component_ids)
    severity = entry.read(ALERT_RULE["severity"])
    status = entry.read(ALERT_RULE["status"])
    title = entry.read(ALERT_RULE["title"])
    if len(entry.problems) > before:
        return None
    return AlertRule(components, match or (), monitor, severity, status, title, line)


def _match(entry: FieldReader, where: str) -> tuple[tuple[str, str], ...] | None:
    mapping = entry.read(ALERT_RULE["match"])
    if mapping is None:
        return None
    if not mapping:
        entry.error("match", f"{where}.match must name at least one label, like alertname: HighErrorRate")
        return ()
    labels = FieldReader(entry.file, mapping, entry.problems, prefix=f"{where}.match.")
    pairs = []
    for key in mapping:
        value = labels.text(str(key), required=True)
        if value is not None:
            pairs.append((str(key), value))
    return tuple(pairs)


def _components(entry: FieldReader, where: str, component_ids: Sequence[str]) -> tuple[str, ...]:
    items = entry.read(ALERT_RULE["components"], why=" (the ids of the components these alerts affect)")
    if items is None:
        return ()
    if not items:
        entry.error("components", f"{where}.components must name at least one component")
    ids: list[str] = []
    for index, (value, line) in enumerate(zip(items, items.lines)):
        text = value if isinstance(value, str) else None
        if text not in component_ids:
            shown = str(value) if text is None or len(text) <= 100 else text[:100] + "…"
            entry.error("components", f"{where}.components[{index}] '{shown}' is not a component defined in "
                                      f"statusgen.yml{suggest(text or '', component_ids)}; known: "
                                      f"{one_of(component_ids)}", line)
        elif text not in ids:
            ids.append(text)
    return tuple(ids)
