"""Prometheus Alertmanager's webhook receiver payload (`webhook_configs`, version "4"):
{"version": "4", "status": "firing", "alerts": [{"status", "labels", "annotations", "startsAt",
"endsAt", "generatorURL", "fingerprint"}, ...], "groupLabels", "commonLabels", ...}.

One payload is one group of alerts (Alertmanager's `group_by`); each alert is one record. Only
`alerts` and, in each, `status`, `labels` (with `alertname`) and `startsAt` are needed, so a
payload trimmed by the `payload:` template option of webhook_config still reads.
"""

from __future__ import annotations

from typing import Any

from ..problems import Problem
from .records import MAX_ALERTS, Alert, Reader

NAME = "alertmanager"
STATUSES = ("firing", "resolved")


def looks_like(document: Any) -> bool:
    """An object with `alerts` and no sign of Grafana (its `orgId`, version "1"); the parser then
    names whatever else is wrong."""
    return isinstance(document, dict) and "alerts" in document and "orgId" not in document \
        and document.get("version") != "1"


def parse(document: Any, shown: str) -> tuple[list[Alert], list[Problem]]:
    """The alerts of an Alertmanager webhook payload, or the problems that stop it being one."""
    return parse_group(document, shown, NAME, expected_version="4")


def parse_group(document: Any, shown: str, source: str, expected_version: str) -> tuple[list[Alert], list[Problem]]:
    """The alerts of a payload in Alertmanager's shape (Grafana's is the same with more fields)."""
    problems: list[Problem] = []
    read = Reader(shown, problems)
    if not isinstance(document, dict):
        read.error("", f"is not a webhook payload of {source}: expected a JSON object with an `alerts` array")
        return [], problems
    version = document.get("version")
    if version is not None and str(version) != expected_version:  # a `payload:` template may make it a number
        read.error("version", f"version {version!r} is not {expected_version!r}, the webhook payload "
                              f"version of {source} that statusgen reads")
    items = read.array(document, "alerts", "alerts") or []
    if len(items) > MAX_ALERTS:
        read.error("alerts", f"alerts holds {len(items)} alerts; at most {MAX_ALERTS} are read")
        items = []
    alerts = []
    for index, item in enumerate(items):
        where = f"alerts[{index}]"
        if not isinstance(item, dict):
            read.error(where, f"{where} must be a JSON object")
            continue
        before = len(problems)
        status = read.text(item, "status", f"{where}.status", required=False) or document.get("status")
        if status not in STATUSES:
            read.error(f"{where}.status", f"{where}.status {status!r} is not one of firing, resolved")
        labels = read.labels(item, "labels", f"{where}.labels")
        name = labels.get("alertname")
        if name is None and f"{where}.labels" not in {p.field for p in problems[before:]}:
            read.error(f"{where}.labels.alertname", f"{where}.labels.alertname is missing")
        started = read.time(item, "startsAt", f"{where}.startsAt")
        if len(problems) == before:
            alerts.append(Alert(source, name or "", status == "firing", started, labels, where=where))
    return alerts, problems
