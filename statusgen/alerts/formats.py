"""The alert formats statusgen reads, recognising which one a payload is, and reading it.

`read_payload` takes the bytes of a file (at most MAX_PAYLOAD_BYTES, UTF-8) and returns the
alerts in it, or the problems that stop it: JSON that does not parse, a format not recognised,
a field missing or of the wrong type. Each problem names the file and the field.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from ..problems import Problem
from . import alertmanager, gatus, grafana, upptime, uptime_kuma
from .records import Alert

MAX_PAYLOAD_BYTES = 1024 * 1024
"""The most read from one payload (GitHub's repository_dispatch allows 64 KB of client_payload)."""

PARSERS: tuple[ModuleType, ...] = (grafana, alertmanager, uptime_kuma, gatus, upptime)
"""Tried in this order when the format is not given (Grafana before Alertmanager: it is a superset)."""
FORMAT_NAMES = ("alertmanager", "grafana", "uptime-kuma", "gatus", "upptime")
"""As --alert-format spells them."""
AUTO = "auto"


def read_payload(data: bytes, shown: str, format_name: str = AUTO) -> tuple[str | None, list[Alert], list[Problem]]:
    """(the format, its alerts, problems) of the payload `data` from file `shown`; `format_name`
    is one of FORMAT_NAMES, or AUTO to recognise it."""
    if len(data) > MAX_PAYLOAD_BYTES:
        return None, [], [_problem(shown, f"is {len(data):,} bytes long; an alert payload is read only up "
                                          f"to {MAX_PAYLOAD_BYTES:,} bytes")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [], [_problem(shown, f"is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
                                          f"{error.start})")]
    document, why_not = _json(text)
    if why_not is not None:
        if format_name == upptime.NAME or (format_name == AUTO and upptime.looks_like(text)):
            document = text  # Upptime's issue body, as plain text
        else:
            return None, [], [_problem(shown, f"is not valid JSON ({why_not}); statusgen reads the JSON "
                                              f"payloads of Alertmanager, Grafana, Uptime Kuma and Gatus, and "
                                              f"Upptime's issue")]
    parser = _parser(format_name) if format_name != AUTO else next(
        (p for p in PARSERS if p.looks_like(document)), None)
    if parser is None:
        return None, [], [_problem(shown, f"is not a payload statusgen recognises: {_shape(document)}; give "
                                          f"--alert-format ({', '.join(FORMAT_NAMES)}) to say which it is")]
    alerts, problems = parser.parse(document, shown)
    return parser.NAME, alerts, problems


def _json(text: str) -> tuple[Any, str | None]:
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "nested too deeply"
    except json.JSONDecodeError as error:
        return None, f"{error.msg} at line {error.lineno}, column {error.colno}"


def _parser(name: str) -> ModuleType:
    return next(p for p in PARSERS if p.NAME == name)


def _shape(document: Any) -> str:
    if isinstance(document, dict):
        keys = [key if len(key) <= 40 else key[:40] + "…" for key in sorted(document)[:8]]
        return "an object with " + (", ".join(keys) if keys else "no fields")
    return {list: "an array", str: "a string"}.get(type(document), "a single value")


def _problem(shown: str, message: str) -> Problem:
    return Problem(shown, None, None, message)
