"""Grafana Alerting's webhook contact point payload (unified alerting): Alertmanager's shape with
`orgId`, `version` "1", `title`, `state`, `message`, and per alert `values`, `silenceURL`,
`dashboardURL`, `panelURL`. statusgen reads what it shares with Alertmanager."""

from __future__ import annotations

from typing import Any

from ..problems import Problem
from .alertmanager import parse_group
from .records import Alert

NAME = "grafana"


def looks_like(document: Any) -> bool:
    """An object with `alerts` and Grafana's `orgId` or version "1"."""
    return isinstance(document, dict) and "alerts" in document \
        and ("orgId" in document or document.get("version") == "1")


def parse(document: Any, shown: str) -> tuple[list[Alert], list[Problem]]:
    """The alerts of a Grafana webhook payload, or the problems that stop it being one."""
    return parse_group(document, shown, NAME, expected_version="1")
