"""What the postmortems let the record answer: pure functions over the model, no I/O.

`statusgen stats` and the metrics page show these beside the figures of stats.py, for the same
period (incidents whose first update falls in it). Each figure says how many incidents it is
based on. The definitions:

- **repeat incident**: an incident whose postmortem names the same `cause` as the postmortem of
  an earlier incident (by first update) that started at most `window` days before it. The rate
  is repeats / incidents in the period that have a postmortem; the earlier incident may be
  before the period.
- **first reported by, per quarter**: `reported_by` (monitoring, customer, internal, or unknown
  when no update says), per calendar quarter (display zone) of the incident's first update.
- **action items**: per severity, of the period's incidents with a postmortem: all items, done,
  open, and open past their due day (UTC) at `now`.
- **time to postmortem**: per severity, resolution → the postmortem's `published_at`, median
  (nearest rank, as in stats.py) and longest, over resolved incidents with a postmortem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Mapping, Sequence

from .model import Incident, Site
from .model.postmortem import is_overdue
from .stats import REPORTERS, Stats, percentile, reported_by
from .vocabulary import SEVERITIES
from .wording import severity_label

FOLLOWUP_DEFINITIONS = {
    "repeat": "an incident whose postmortem cause matches the postmortem of an earlier incident that "
              "started at most the window's days before it; the rate is over incidents with a postmortem",
    "reported_by_quarter": "reported_by of the incidents that started in each calendar quarter (display zone)",
    "action_items": "the action items of the postmortems of the period's incidents; overdue: open after "
                    "the due day (UTC)",
    "time_to_postmortem": "resolution → published_at of the postmortem; resolved incidents with a postmortem",
}


@dataclass(frozen=True)
class Repeat:
    """An incident whose cause repeats an earlier incident's."""

    incident: Incident
    earlier: Incident
    cause: str
    apart: timedelta
    """From the earlier incident's first update to this one's."""


@dataclass(frozen=True)
class RepeatStats:
    window_days: int
    based_on: int
    """Incidents of the period with a postmortem (the rate's denominator)."""
    repeats: tuple[Repeat, ...]

    @property
    def rate(self) -> float | None:
        return len(self.repeats) / self.based_on if self.based_on else None


@dataclass(frozen=True)
class QuarterReporters:
    """Who first reported the incidents that started in one quarter."""

    key: str
    """"2026-Q4"."""
    counts: Mapping[str, int]
    """Per REPORTERS, in that order."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, reporter: str) -> float | None:
        return self.counts[reporter] / self.total if self.total else None


@dataclass(frozen=True)
class ActionItemCounts:
    severity: str
    incidents: int
    """Incidents of this severity in the period with a postmortem (what the counts are based on)."""
    total: int
    done: int
    open: int
    overdue: int

    @property
    def label(self) -> str:
        return severity_label(self.severity)


@dataclass(frozen=True)
class PostmortemDelay:
    severity: str
    resolved: int
    """Resolved incidents of this severity in the period."""
    values: tuple[timedelta, ...]
    """Resolution → published_at, one per resolved incident with a postmortem."""

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def median(self) -> timedelta | None:
        return percentile(self.values, 50) if self.values else None

    @property
    def longest(self) -> timedelta | None:
        return max(self.values) if self.values else None

    @property
    def label(self) -> str:
        return severity_label(self.severity)

    @property
    def missing(self) -> str:
        """'n/a — why', when there are no values."""
        if not self.resolved:
            return f"n/a — no resolved {self.label} incidents"
        return f"n/a — none of {self.resolved} resolved {self.label} incidents has a postmortem"


@dataclass(frozen=True)
class FollowUp:
    repeats: RepeatStats
    quarters: tuple[QuarterReporters, ...]
    action_items: tuple[ActionItemCounts, ...]
    delays: tuple[PostmortemDelay, ...]


def followup_stats(site: Site, stats: Stats, window_days: int | None = None) -> FollowUp:
    """The postmortem figures for the period of `stats`; `window_days` defaults to statusgen.yml's
    repeat_window_days."""
    window = window_days if window_days is not None else site.config.repeat_window_days
    incidents = stats.incidents
    return FollowUp(
        repeats=repeat_stats(incidents, site.incidents, window),
        quarters=quarter_reporters(stats),
        action_items=tuple(_action_items(s, [i for i in incidents if i.severity == s], stats) for s in SEVERITIES),
        delays=tuple(_delay(s, [i for i in incidents if i.severity == s]) for s in SEVERITIES),
    )


def repeat_stats(incidents: Sequence[Incident], everything: Sequence[Incident], window_days: int) -> RepeatStats:
    """The repeats among `incidents`, matched against every incident of the site (`everything`)."""
    window = timedelta(days=window_days)
    with_cause = sorted((i for i in everything if i.report is not None), key=lambda i: (i.started_at, i.id))
    repeats = []
    for incident in incidents:
        if incident.report is None:
            continue
        earlier = [e for e in with_cause if e.started_at < incident.started_at
                   and incident.started_at - e.started_at <= window and e.report.cause == incident.report.cause]  # type: ignore[union-attr]
        if earlier:
            repeats.append(Repeat(incident, earlier[-1], incident.report.cause,
                                  incident.started_at - earlier[-1].started_at))
    return RepeatStats(window_days, sum(i.report is not None for i in incidents), tuple(repeats))


def quarter_reporters(stats: Stats) -> tuple[QuarterReporters, ...]:
    """Per quarter with incidents, oldest first, who first reported them."""
    counted: dict[str, dict[str, int]] = {}
    for incident in stats.incidents:
        local = incident.started_at.astimezone(stats.zone)
        key = f"{local.year:04d}-Q{(local.month - 1) // 3 + 1}"
        counted.setdefault(key, dict.fromkeys(REPORTERS, 0))[reported_by(incident)] += 1
    return tuple(QuarterReporters(key, counts) for key, counts in sorted(counted.items()))


def _action_items(severity: str, incidents: Sequence[Incident], stats: Stats) -> ActionItemCounts:
    items = [a for i in incidents if i.report is not None for a in i.report.action_items]
    return ActionItemCounts(
        severity=severity, incidents=sum(i.report is not None for i in incidents), total=len(items),
        done=sum(a.done for a in items), open=sum(not a.done for a in items),
        overdue=sum(is_overdue(a, stats.now) for a in items))


def _delay(severity: str, incidents: Sequence[Incident]) -> PostmortemDelay:
    resolved = [i for i in incidents if not i.is_open]
    values = tuple(i.report.published_at - i.resolved_at  # type: ignore[operator, union-attr]
                   for i in resolved if i.report is not None)
    return PostmortemDelay(severity, len(resolved), values)
