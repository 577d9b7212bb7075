"""Incident metrics from the records: pure functions over the model, no I/O.

`statusgen stats` prints these figures and the optional metrics page draws them; both call
`site_stats` and only format what it returns. The definitions (domain.md, "Metrics the records
make possible"):

- **detection** is the incident's `detected_at` when an update gives one, else its first
  update's `at` (the first moment the records show anyone knew).
- **MTTD** (started → detected): `detection - started_at`, only for incidents with `started_at`.
- **MTTA** (detected → first public update): `first update's at - detected_at`, only for
  incidents with `detected_at`. Without it detection *is* the first update, so MTTA would be 0
  by definition rather than by measurement; those incidents are left out instead.
- **MTTR** (detected → resolved): `resolved update's at - detection`, only for resolved incidents;
  an incident first published already resolved (reported after the fact) counts only when it
  gives `detected_at`, for the same reason.

Every duration figure is reported per severity (the incident's latest severity), as the median
and the 90th percentile, never as one average over all levels. Percentiles use the
**nearest-rank** method: the p-th percentile of n values is the value at rank ceil(p/100 * n) in
ascending order, so every figure is a duration that really happened; the median is the 50th
percentile, which for an even count is the lower of the two middle values.

A figure with nothing to compute it from is a `Figure` with no values and a `missing` reason
("no SEV-1 incidents with started_at"), which formats as "n/a — ...", never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Iterable, Mapping, Sequence

from .model import Incident, Site, local_day_bounds
from .vocabulary import INCIDENT_PHASES, REPORTED_BY, SEVERITIES
from .language import N_
from .wording import severity_label

OPEN_PHASES = tuple(p for p in INCIDENT_PHASES if p != "resolved")
"""The phases an incident spends time in: investigating, identified, monitoring."""

REPORTERS = (*REPORTED_BY, "unknown")
"""Who first reported an incident; `unknown` when no update says (reported_by is optional)."""

METRICS = (
    ("mttd", "MTTD", "started → detected"),
    ("mtta", "MTTA", "detected → first update"),
    ("mttr", "MTTR", "detected → resolved"),
)
"""(attribute of SeverityStats, short name, what it measures), in the order shown."""

REPORTER_LABELS = {"monitoring": "Monitoring", "customer": "Customers", "internal": "Internal",
                   "unknown": "Unknown"}

DEFINITIONS = {
    "detection": "detected_at when an update gives it, else the first update's at",
    "mttd": "detection - started_at; incidents with started_at",
    "mtta": "first update's at - detected_at; incidents with detected_at",
    "mttr": "resolution - detection; resolved incidents (not those first published already "
            "resolved without detected_at)",
    "percentile": "nearest rank: the value at rank ceil(p/100 * n); the median is the 50th percentile",
    "severity": "the incident's latest severity",
    "promise": "an update's next_update; kept when the next update came at or before it; "
               "still missing after it counts as broken",
    "gap": "time between two consecutive updates while the incident was open",
    "phase_time": "time from an update in the phase to the next update; resolved incidents",
}
"""How each figure is computed, in a sentence: printed by `statusgen stats --format json` and
on the metrics page."""


def percentile(values: Iterable, p: int):  # type: ignore[no-untyped-def]
    """The p-th percentile (0 < p <= 100) by nearest rank: the value at rank ceil(p/100 * n).

    Raises ValueError on no values; callers say "n/a" instead.
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError(f"percentile {p} is not in (0, 100]")
    rank = -(-p * len(ordered) // 100)  # ceil(p * n / 100) in integers: no float rounding
    return ordered[max(rank, 1) - 1]


@dataclass(frozen=True)
class Figure:
    """Some durations summarised as median and 90th percentile, or the reason there are none."""

    values: tuple[timedelta, ...]
    missing: str = ""
    """Why there are no values ('no SEV-1 incidents with started_at'); '' when there are."""
    missing_in_words: str = ""
    """The same for customers, without field names ('no SEV-1 incidents with a known start
    time'); '' when `missing` says it in words already."""
    reason: str = ""
    """The same for customers as a catalog message ('no %(severity)s incidents with a known start
    time'), so the metrics page gives it in the site's language; '' when there are values."""
    reason_values: tuple[tuple[str, str], ...] = ()
    """The message's values: ('severity', 'SEV-1'), ('phase', 'identified')."""

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def available(self) -> bool:
        return bool(self.values)

    @property
    def median(self) -> timedelta | None:
        return percentile(self.values, 50) if self.values else None

    @property
    def p90(self) -> timedelta | None:
        return percentile(self.values, 90) if self.values else None

    @property
    def not_available(self) -> str:
        """'n/a — <reason>', for every place that shows a figure that has no values."""
        return f"n/a — {self.missing}"

    @property
    def not_available_in_words(self) -> str:
        """'n/a — <reason>' without field names, for the public metrics page."""
        return f"n/a — {self.missing_in_words or self.missing}"


@dataclass(frozen=True)
class SeverityStats:
    """MTTD, MTTA and MTTR of the incidents of one severity."""

    severity: str
    count: int
    mttd: Figure
    mtta: Figure
    mttr: Figure

    @property
    def label(self) -> str:
        return severity_label(self.severity)


@dataclass(frozen=True)
class MonthCount:
    """How many incidents started in one month, per severity."""

    year: int
    month: int
    counts: Mapping[str, int]
    """Incidents started this month (display zone), per severity; every severity present."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Promise:
    """A `next_update` an update promised, and what became of it."""

    incident_id: str
    source: str
    """The update file that made the promise."""
    made_at: datetime
    due: datetime
    kept_at: datetime | None
    """When the next update came; None if none has (the incident is still open)."""
    late: timedelta
    """How late the next update came (or, still missing, how long it is overdue at `now`); 0 if kept."""

    @property
    def kept(self) -> bool:
        return self.late == timedelta(0)


@dataclass(frozen=True)
class CadenceStats:
    """The gaps between consecutive updates of open incidents of one severity, against its target."""

    severity: str
    target: timedelta
    gaps: Figure
    within_target: int
    """How many of the gaps were no longer than the target."""

    @property
    def label(self) -> str:
        return severity_label(self.severity)


@dataclass(frozen=True)
class PhaseStats:
    """How long resolved incidents of one severity spent in one phase."""

    severity: str
    phase: str
    time: Figure


@dataclass(frozen=True)
class Stats:
    """Every figure of `statusgen stats` and the metrics page, for the incidents in a period."""

    since: datetime | None
    until: datetime | None
    """The period: incidents whose first update is at or after `since` and before `until`."""
    now: datetime
    zone: tzinfo
    incidents: tuple[Incident, ...]
    severities: tuple[SeverityStats, ...]
    months: tuple[MonthCount, ...]
    reported_by: Mapping[str, int]
    """Incidents per first reporter (REPORTERS), in that order."""
    promises: tuple[Promise, ...]
    cadence: tuple[CadenceStats, ...]
    phases: tuple[PhaseStats, ...]

    @property
    def count(self) -> int:
        return len(self.incidents)

    @property
    def open_count(self) -> int:
        return sum(i.is_open for i in self.incidents)

    def reported_share(self, reporter: str) -> float | None:
        """The share (0..1) of incidents first reported by `reporter`; None without incidents."""
        return self.reported_by[reporter] / self.count if self.count else None

    @property
    def promises_kept(self) -> int:
        return sum(p.kept for p in self.promises)

    @property
    def promises_broken(self) -> int:
        return len(self.promises) - self.promises_kept

    @property
    def promise_share(self) -> float | None:
        """The share (0..1) of decided promises that were kept; None when there were none."""
        return self.promises_kept / len(self.promises) if self.promises else None

    @property
    def worst_broken_promise(self) -> Promise | None:
        """The promise broken by the longest time (ties: the earliest); None if none was broken."""
        broken = [p for p in self.promises if not p.kept]
        return max(broken, key=lambda p: (p.late, -p.due.timestamp()), default=None)

    def phase(self, severity: str, phase: str) -> PhaseStats:
        """The time spent in `phase` by resolved incidents of `severity`."""
        return next(p for p in self.phases if p.severity == severity and p.phase == phase)


# --- per incident --------------------------------------------------------------------------------

def detected_at(incident: Incident) -> datetime | None:
    """The `detected_at` an update gives (the latest update that gives one wins); None if none does."""
    return next((u.detected_at for u in reversed(incident.updates) if u.detected_at), None)


def problem_started_at(incident: Incident) -> datetime | None:
    """The `started_at` an update gives (the latest that gives one wins); None if none does."""
    return next((u.started_at for u in reversed(incident.updates) if u.started_at), None)


def detection(incident: Incident) -> datetime:
    """When the problem was detected: `detected_at` when given, else the first update's `at`."""
    return detected_at(incident) or incident.first.at


def reported_by(incident: Incident) -> str:
    """Who first reported it (the latest `reported_by` an update gives), or 'unknown'."""
    return next((u.reported_by for u in reversed(incident.updates) if u.reported_by), "unknown")


def time_to_detect(incident: Incident) -> timedelta | None:
    """MTTD of one incident: detection - started_at; None without started_at."""
    started = problem_started_at(incident)
    return None if started is None else detection(incident) - started


def time_to_acknowledge(incident: Incident) -> timedelta | None:
    """MTTA of one incident: first update's at - detected_at; None without detected_at."""
    detected = detected_at(incident)
    return None if detected is None else incident.first.at - detected


def time_to_resolve(incident: Incident) -> timedelta | None:
    """None while open, and for an incident first published already resolved (a report after
    the fact) without `detected_at`: its detection would be its resolution, 0 by definition."""
    resolved = incident.resolved_at
    if resolved is None or (incident.first.phase == "resolved" and detected_at(incident) is None):
        return None
    return resolved - detection(incident)


def phase_times(incident: Incident) -> dict[str, timedelta]:
    """Time spent in each phase the incident went through, up to resolution (or `now` while open).

    An update's phase lasts until the next update; consecutive updates in the same phase add up.
    """
    times: dict[str, timedelta] = {}
    ends = [u.at for u in incident.updates[1:]] + [max(incident.now, incident.latest.at)]
    for update, end in zip(incident.updates, ends):
        if update.phase in OPEN_PHASES:
            times[update.phase] = times.get(update.phase, timedelta(0)) + (end - update.at)
    return times


def promises(incident: Incident, now: datetime) -> list[Promise]:
    """Every promise the incident's updates made that has come due by `now`.

    A promise is kept when the next update came at or before its `next_update`. A promise whose
    time has passed with no update yet (an open, overdue incident) counts as broken, late by
    `now - next_update`; one not yet due is left out.
    """
    found = []
    for update, following in zip(incident.updates, [*incident.updates[1:], None]):
        if update.next_update is None:
            continue
        if following is not None:
            late = max(following.at - update.next_update, timedelta(0))
            found.append(Promise(incident.id, update.source, update.at, update.next_update, following.at, late))
        elif now > update.next_update:
            found.append(Promise(incident.id, update.source, update.at, update.next_update, None,
                                 now - update.next_update))
    return found


def update_gaps(incident: Incident) -> list[tuple[str, timedelta]]:
    """(severity as of the earlier update, gap) for each two consecutive updates while open."""
    return [(previous.severity, current.at - previous.at)
            for previous, current in zip(incident.updates, incident.updates[1:])
            if previous.phase != "resolved"]


# --- the whole site ------------------------------------------------------------------------------

def period_bounds(since: date | datetime | None, until: date | datetime | None,
                  zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """A period as instants: a date means the whole day in the display zone (`until` inclusive);
    a timestamp means that instant (`until` exclusive)."""
    start = local_day_bounds(since, zone)[0] if _is_day(since) else since
    end = local_day_bounds(until, zone)[1] if _is_day(until) else until
    return start, end  # type: ignore[return-value]


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def site_stats(site: Site, since: datetime | None = None, until: datetime | None = None) -> Stats:
    """Every figure for the site's incidents whose first update falls in [since, until)."""
    incidents = tuple(sorted(
        (i for i in site.incidents
         if (since is None or i.started_at >= since) and (until is None or i.started_at < until)),
        key=lambda i: (i.started_at, i.id)))
    by_severity = {s: [i for i in incidents if i.severity == s] for s in SEVERITIES}
    cadence = site.config.cadence_minutes
    return Stats(
        since=since, until=until, now=site.now, zone=site.zone, incidents=incidents,
        severities=tuple(_severity_stats(s, by_severity[s]) for s in SEVERITIES),
        months=monthly_counts(incidents, site.zone, since,
                              until if until is not None or since is None else site.now),
        reported_by={r: sum(reported_by(i) == r for i in incidents) for r in REPORTERS},
        promises=tuple(p for i in incidents for p in promises(i, site.now)),
        cadence=tuple(_cadence_stats(s, incidents, timedelta(minutes=cadence[s])) for s in SEVERITIES),
        phases=tuple(_phase_stats(s, p, by_severity[s]) for s in SEVERITIES for p in OPEN_PHASES),
    )


def _severity_stats(severity: str, incidents: Sequence[Incident]) -> SeverityStats:
    label = severity_label(severity)

    def figure(values: Iterable[timedelta | None], condition: str, in_words: str, reason: str) -> Figure:
        found = tuple(v for v in values if v is not None)
        if found:
            return Figure(found)
        if not incidents:
            return Figure((), f"no {label} incidents", reason=N_("no %(severity)s incidents"),
                          reason_values=(("severity", label),))
        return Figure((), f"no {label} incidents {condition}",
                      f"no {label} incidents {in_words}" if in_words else "", reason, (("severity", label),))

    return SeverityStats(
        severity=severity,
        count=len(incidents),
        mttd=figure((time_to_detect(i) for i in incidents), "with started_at", "with a known start time",
                    N_("no %(severity)s incidents with a known start time")),
        mtta=figure((time_to_acknowledge(i) for i in incidents), "with detected_at",
                    "with a known time of detection", N_("no %(severity)s incidents with a known time of detection")),
        mttr=figure((time_to_resolve(i) for i in incidents), "resolved after detection", "",
                    N_("no %(severity)s incidents resolved after detection")),
    )


def _cadence_stats(severity: str, incidents: Sequence[Incident], target: timedelta) -> CadenceStats:
    gaps = tuple(gap for i in incidents for s, gap in update_gaps(i) if s == severity)
    label = severity_label(severity)
    missing = "" if gaps else f"no {label} update followed by another"
    figure = Figure(gaps, missing, reason=N_("no %(severity)s update followed by another") if missing else "",
                    reason_values=(("severity", label),))
    return CadenceStats(severity, target, figure, sum(g <= target for g in gaps))


def _phase_stats(severity: str, phase: str, incidents: Sequence[Incident]) -> PhaseStats:
    times = tuple(t for i in incidents if not i.is_open
                  for p, t in phase_times(i).items() if p == phase)
    label = severity_label(severity)
    missing = "" if times else f"no resolved {label} incidents with a {phase} phase"
    figure = Figure(times, missing, reason=N_("no resolved %(severity)s incidents with a %(phase)s phase")
                    if missing else "", reason_values=(("severity", label), ("phase", phase)))
    return PhaseStats(severity, phase, figure)



def monthly_counts(incidents: Sequence[Incident], zone: tzinfo, since: datetime | None = None,
                   until: datetime | None = None) -> tuple[MonthCount, ...]:
    """Incidents per month (display zone) and severity, every month from the first to the last.

    The months run from the period's start (or the first incident) to its end (or the last
    incident); months in between without incidents are there with zero counts.
    """
    def key(moment: datetime) -> tuple[int, int]:
        local = moment.astimezone(zone)
        return (local.year, local.month)

    counted: dict[tuple[int, int], dict[str, int]] = {}
    for incident in incidents:
        month = counted.setdefault(key(incident.started_at), dict.fromkeys(SEVERITIES, 0))
        month[incident.severity] += 1
    ends = list(counted)
    if since is not None:
        ends.append(key(since))
    if until is not None:
        ends.append(key(until - timedelta(microseconds=1)))
    if not ends:
        return ()
    (year, month), last = min(ends), max(ends)
    months = []
    while (year, month) <= last:
        months.append(MonthCount(year, month, counted.get((year, month), dict.fromkeys(SEVERITIES, 0))))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)
