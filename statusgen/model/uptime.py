"""Uptime: the share of the history window each component (and group) was up, per day, per
month and over the whole window, from the time it spent in each status.

The rule (README, "Uptime"): at each instant a component has the worst of the statuses its
incidents and running maintenance give it, and that instant counts as down by the weight of
that status (`UptimeRule`: major outage 1, partial outage 0.3, degraded performance 0,
maintenance 0 unless `maintenance_counts_as_down`); where statuses overlap, the heaviest weight
counts once, never the sum. A group is down where any of its components is: at each instant it
has the worst status among its members. The window is the days of the history bars in the
site's zone (so a DST day is 23 or 25 hours long), from the start of the oldest to `now`: the
future is not counted, and since statusgen does not know when a component was added, the whole
window counts for every component.

Arithmetic is exact (seconds and weights as fractions), and a percentage is cut, never rounded,
to two decimals: any downtime at all shows below 100.00, and none shows exactly 100.00.
Pure: site.py hands in the status spans and the days' bounds.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import KW_ONLY, dataclass
from functools import cached_property
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Iterable, Mapping, Protocol, Sequence

from ..vocabulary import STATUS_RANK, STATUSES
from .records import ComponentGroup, UptimeRule

DOWN_STATUSES = STATUSES[1:]
"""The statuses whose time is told apart (every one but operational), best to worst."""

_MICROSECOND = timedelta(microseconds=1)


class Span(Protocol):
    """A stretch of one status on one component (site.StatusSpan is one)."""

    component_id: str
    status: str
    start: datetime
    end: datetime


def seconds(span: timedelta) -> Fraction:
    """A span of time in seconds, exactly (to the microsecond)."""
    return Fraction(span // _MICROSECOND, 1_000_000)


def weight(rule: UptimeRule, status: str) -> Fraction:
    """The share of time in `status` counted as down, exactly as written (0.3 is 3/10)."""
    return Fraction(str(rule.weight(status)))


@dataclass(frozen=True)
class UptimeFigure:
    """Uptime over the stretch of time from `start` to `end`."""

    start: datetime
    end: datetime
    down_seconds: Fraction
    """Seconds counted as down: each second weighed by the status it was in."""

    # The figures are worked out once: the days without downtime are shared by every component
    # that had none (see uptimes), so a site of 1,000 components computes them once.

    @cached_property
    def seconds(self) -> Fraction:
        """The seconds counted (a day's 86,400, or 82,800 / 90,000 on a DST change; today's so far)."""
        return seconds(self.end - self.start)

    @cached_property
    def hundredths(self) -> int | None:
        """The uptime in hundredths of a per cent, cut (not rounded) so that any downtime shows
        below 10000; None when no time was counted."""
        counted = self.seconds
        if counted <= 0:
            return None
        up = (counted - min(self.down_seconds, counted)) / counted
        return max(0, math.floor(up * 10000))

    @property
    def percent(self) -> float | None:
        """99.95 for 99.95 %: two decimals, cut; None when no time was counted."""
        hundredths = self.hundredths
        return None if hundredths is None else hundredths / 100

    @property
    def text(self) -> str:
        """'99.95 %', '100.00 %', or 'n/a' when no time was counted (a day that began at `now`)."""
        hundredths = self.hundredths
        return "n/a" if hundredths is None else f"{hundredths // 100}.{hundredths % 100:02d} %"


@dataclass(frozen=True)
class DayUptime(UptimeFigure):
    _: KW_ONLY
    day: date
    """The calendar day in the site's zone."""


@dataclass(frozen=True)
class MonthUptime(UptimeFigure):
    _: KW_ONLY
    year: int
    month: int

    @property
    def key(self) -> str:
        """'2026-11'."""
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Uptime:
    """A component's (or group's) uptime over the history window, and per day and month of it."""

    total: UptimeFigure
    daily: tuple[DayUptime, ...]
    """Oldest first, one per history bar."""
    monthly: tuple[MonthUptime, ...]
    """Oldest first: the months the window touches, each counted only inside the window."""
    status_seconds: Mapping[str, Fraction]
    """Seconds in each status but operational (the worst at each instant), best to worst."""

    @property
    def days(self) -> int:
        return len(self.daily)

    @property
    def text(self) -> str:
        """'99.95 %': the window's figure."""
        return self.total.text


@dataclass(frozen=True)
class _Piece:
    start: datetime
    end: datetime
    status: str
    weight: Fraction


def _timeline(spans: Iterable[Span], rule: UptimeRule, begin: datetime, end: datetime) -> list[_Piece]:
    """The spans, clipped to [begin, end], as stretches that do not overlap: at each instant the
    worst status of those present, counted down by the heaviest weight among them."""
    events: list[tuple[datetime, int, str]] = []
    for span in spans:
        start, stop = max(span.start, begin), min(span.end, end)
        if start < stop and span.status != "operational":
            events += [(start, 1, span.status), (stop, -1, span.status)]
    events.sort(key=lambda e: (e[0], e[1]))
    pieces: list[_Piece] = []
    present: dict[str, int] = {}
    for index, (moment, change, status) in enumerate(events):
        present[status] = present.get(status, 0) + change
        if not present[status]:
            del present[status]
        following = events[index + 1][0] if index + 1 < len(events) else moment
        if present and following > moment:
            pieces.append(_Piece(moment, following, max(present, key=STATUS_RANK.__getitem__),
                                 max(weight(rule, s) for s in present)))
    return pieces


def _uptime(pieces: Sequence[_Piece], days: Sequence[tuple[date, datetime, datetime]],
            clean: Uptime) -> Uptime:
    """The figures of one timeline over the days (day, start, end), oldest first; `clean` is
    the uptime of a timeline without downtime, shared by every subject that had none."""
    if not pieces:
        return clean
    starts = [start for _, start, _ in days]
    down = [Fraction(0)] * len(days)
    in_status = dict.fromkeys(DOWN_STATUSES, Fraction(0))
    for piece in pieces:
        index = max(0, bisect_right(starts, piece.start) - 1)
        while index < len(days) and days[index][1] < piece.end:
            overlap = min(days[index][2], piece.end) - max(days[index][1], piece.start)
            if overlap > timedelta(0):
                down[index] += piece.weight * seconds(overlap)
                in_status[piece.status] += seconds(overlap)
            index += 1
    daily = tuple(DayUptime(start, end, lost, day=day) for (day, start, end), lost in zip(days, down))
    return Uptime(UptimeFigure(days[0][1], days[-1][2], sum(down, Fraction(0))), daily, _months(daily), in_status)


def _months(daily: Sequence[DayUptime]) -> tuple[MonthUptime, ...]:
    """The days summed by calendar month (the days are local, so months split where they should)."""
    months: list[MonthUptime] = []
    for figure in daily:
        last = months[-1] if months else None
        if last is not None and (last.year, last.month) == (figure.day.year, figure.day.month):
            months[-1] = MonthUptime(last.start, figure.end, last.down_seconds + figure.down_seconds,
                                     year=last.year, month=last.month)
        else:
            months.append(MonthUptime(figure.start, figure.end, figure.down_seconds,
                                      year=figure.day.year, month=figure.day.month))
    return tuple(months)


def uptimes(spans: Iterable[Span], component_ids: Sequence[str], groups: Sequence[ComponentGroup],
            rule: UptimeRule, days: Sequence[tuple[date, datetime, datetime]]
            ) -> tuple[dict[str, Uptime], dict[str, Uptime]]:
    """(uptime per component id, uptime per named group) over `days`: (day, start, end) in
    order, the last ending at `now`. `spans` are every component's non-operational stretches."""
    by_component: dict[str, list[Span]] = {cid: [] for cid in component_ids}
    for span in spans:
        by_component.setdefault(span.component_id, []).append(span)
    begin, end = days[0][1], days[-1][2]
    clean_days = tuple(DayUptime(start, stop, Fraction(0), day=day) for day, start, stop in days)
    clean = Uptime(UptimeFigure(begin, end, Fraction(0)), clean_days, _months(clean_days),
                   dict.fromkeys(DOWN_STATUSES, Fraction(0)))
    components = {cid: _uptime(_timeline(by_component[cid], rule, begin, end), days, clean)
                  for cid in component_ids}
    named = {}
    for group in groups:
        if group.name is not None and group.name not in named:
            members = [span for c in group.components for span in by_component[c.id]]
            named[group.name] = _uptime(_timeline(members, rule, begin, end), days, clean)
    return components, named
