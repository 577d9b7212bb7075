"""Upptime's issue: when a site goes down, Upptime (upptime/uptime-monitor, src/update.ts) opens
a GitHub issue titled "🛑 <name> is down" (or "⚠️ <name> has degraded performance") whose body
starts "In [`<sha>`](<commit url>), <name> (<url>) was **down**:".

Read as the issue's JSON (`{"title", "body", "created_at"}`, the fields of GitHub's issue object
a relay forwards) or as the issue's body alone (plain text). `created_at` is when Upptime saw
the site down; the body alone carries no time.
"""

from __future__ import annotations

import re
from typing import Any

from ..problems import Problem
from .records import Alert, Reader

NAME = "upptime"

_TITLE = re.compile(r"^\s*(?:🛑|⚠️|⚠)?\s*(?P<name>.+?) (?P<what>is down|has degraded performance)\s*$")
_BODY = re.compile(r"^\s*In \[`[0-9a-f]{4,40}`\]\([^)\s]*\), (?P<name>.+?) \([^()\s]*\) "
                   r"(?P<what>was \*\*down\*\*|experienced \*\*degraded performance\*\*)")


def looks_like(document: Any) -> bool:
    """Upptime's issue body, alone or in an issue's JSON."""
    if isinstance(document, str):
        return _BODY.match(document) is not None
    return (isinstance(document, dict) and isinstance(document.get("body"), str)
            and _BODY.match(document["body"]) is not None)


def parse(document: Any, shown: str) -> tuple[list[Alert], list[Problem]]:
    """The one alert of an Upptime issue."""
    problems: list[Problem] = []
    read = Reader(shown, problems)
    if isinstance(document, str):
        title, body, started, firing = None, document, None, True
    elif isinstance(document, dict):
        title = read.text(document, "title", "title", required=False, max_length=1000)
        body = read.text(document, "body", "body", max_length=65_536)
        started = read.time(document, "created_at", "created_at", required=False)
        firing = document.get("state", "open") != "closed"
    else:
        read.error("", "is not an Upptime issue: expected its body, or a JSON object with title and body")
        return [], problems
    if problems or body is None:
        return [], problems
    found = _BODY.match(body) or (_TITLE.match(title) if title else None)
    if found is None:
        read.error("body", "body is not an Upptime issue: it should start \"In [`<commit>`](<link>), <site> "
                           "(<url>) was **down**:\" (or a title \"🛑 <site> is down\")")
        return [], problems
    name = found.group("name").strip()
    degraded = "degraded" in found.group("what")
    return [Alert(NAME, name, firing, started, monitor=name,
                  suggested_status="degraded_performance" if degraded else None, where="body")], problems
