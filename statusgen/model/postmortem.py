"""What a postmortem shows that the record already holds: the incident's timeline, generated from
its updates (so a postmortem never retypes it), and its action items as of the build's `now`.

No I/O; Incident (site.py) exposes these as properties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from ..language import N_
from .records import ActionItem, IncidentRecord


@dataclass(frozen=True)
class TimelineEntry:
    """One moment of an incident's life, as its updates record it."""

    kind: str
    """'started' (the problem began), 'detected', 'first-update', 'phase' (a phase change),
    'resolved' or 'postmortem' (published)."""
    at: datetime
    label: str
    """What happened, in words: "Detected", "Identified", "Postmortem published": a catalog
    message in English, which the page gives in the site's language."""
    phase: str | None
    """The incident's phase from this moment (None for moments that are not updates)."""
    source: str | None
    """The update file that records it (None for started_at, detected_at and the postmortem)."""
    since_previous: timedelta | None
    """Time from the entry before (None for the first)."""


_PHASE_LABELS = {"investigating": N_("Investigating"), "identified": N_("Cause identified"),
                 "monitoring": N_("Fix applied, monitoring"), "resolved": N_("Resolved")}
# Translators: a postmortem's timeline: the incident's first update, and its phase.
_FIRST_UPDATE_LABELS = {"investigating": N_("First public update (investigating)"),
                        "identified": N_("First public update (cause identified)"),
                        "monitoring": N_("First public update (fix applied, monitoring)"),
                        "resolved": N_("First public update (resolved)")}


def timeline(incident: IncidentRecord) -> tuple[TimelineEntry, ...]:
    """Problem started (started_at), detected (detected_at), the first update, each update that
    changed the phase, resolved, and the postmortem's publication, in time order, each with the
    time since the one before. Moments an update does not give are left out, never guessed."""
    moments: list[tuple[datetime, int, str, str, str | None, str | None]] = []
    started = next((u.started_at for u in reversed(incident.updates) if u.started_at), None)
    detected = next((u.detected_at for u in reversed(incident.updates) if u.detected_at), None)
    if started is not None:
        moments.append((started, 0, "started", N_("Problem started"), None, None))
    if detected is not None:
        moments.append((detected, 1, "detected", N_("Detected"), None, None))
    previous_phase = None
    for index, update in enumerate(incident.updates):
        if index == 0:
            moments.append((update.at, 2, "first-update", _FIRST_UPDATE_LABELS[update.phase], update.phase,
                            update.source))
        elif update.phase != previous_phase:
            kind = "resolved" if update.phase == "resolved" else "phase"
            moments.append((update.at, 2, kind, _PHASE_LABELS[update.phase], update.phase, update.source))
        previous_phase = update.phase
    if incident.report is not None:
        moments.append((incident.report.published_at, 3, "postmortem", N_("Postmortem published"), None, None))
    moments.sort(key=lambda m: (m[0], m[1]))
    entries = []
    before: datetime | None = None
    for at, _, kind, label, phase, source in moments:
        entries.append(TimelineEntry(kind, at, label, phase, source, None if before is None else at - before))
        before = at
    return tuple(entries)


def is_overdue(item: ActionItem, now: datetime) -> bool:
    """An open action item is overdue once its due day (UTC) has passed."""
    return not item.done and now.astimezone(timezone.utc).date() > item.due


def days_overdue(item: ActionItem, now: datetime) -> int:
    """Whole days past the due date (0 when not overdue)."""
    return max((now.astimezone(timezone.utc).date() - item.due).days, 0) if not item.done else 0


def due_date(moment: datetime, days: int) -> date:
    """The date `days` after `moment` (UTC): a default due date for a new action item."""
    return (moment + timedelta(days=days)).date()
