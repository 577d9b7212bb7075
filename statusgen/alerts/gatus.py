"""Gatus's custom alerting provider (`alerting.custom`), with the body statusgen documents:
{"endpoint_name": "[ENDPOINT_NAME]", "endpoint_group": "[ENDPOINT_GROUP]",
"endpoint_url": "[ENDPOINT_URL]", "alert_description": "[ALERT_DESCRIPTION]",
"alert_triggered_or_resolved": "[ALERT_TRIGGERED_OR_RESOLVED]"}.

Gatus fills in each `[PLACEHOLDER]`; the state is TRIGGERED or RESOLVED (unless the
configuration renames them with `placeholders:`, which this parser does not follow). Gatus
sends no time, so the alert has no start: the draft's detected_at is when it is written.
"""

from __future__ import annotations

from typing import Any

from ..problems import Problem
from .records import Alert, Reader

NAME = "gatus"
STATES = ("TRIGGERED", "RESOLVED")


def looks_like(document: Any) -> bool:
    """An object with the body's endpoint_name and alert_triggered_or_resolved."""
    return isinstance(document, dict) and {"endpoint_name", "alert_triggered_or_resolved"} <= set(document)


def parse(document: Any, shown: str) -> tuple[list[Alert], list[Problem]]:
    """The one alert of a Gatus custom alert."""
    problems: list[Problem] = []
    read = Reader(shown, problems)
    if not isinstance(document, dict):
        read.error("", "is not a Gatus custom alert: expected a JSON object with endpoint_name and "
                       "alert_triggered_or_resolved")
        return [], problems
    name = read.text(document, "endpoint_name", "endpoint_name", max_length=500)
    group = read.text(document, "endpoint_group", "endpoint_group", required=False, max_length=500)
    state = read.text(document, "alert_triggered_or_resolved", "alert_triggered_or_resolved", max_length=100)
    if state is not None and state.strip().upper() not in STATES:
        read.error("alert_triggered_or_resolved", f"alert_triggered_or_resolved {state!r} is not one of "
                                                  f"TRIGGERED, RESOLVED")
    if problems or name is None or state is None:
        return [], problems
    labels = {"group": group} if group else {}
    return [Alert(NAME, name, state.strip().upper() == "TRIGGERED", None, labels, monitor=name,
                  where="endpoint_name")], problems
