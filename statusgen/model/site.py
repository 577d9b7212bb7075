"""The site as of the build's `now`: the one step that stamps the time onto the records and
derives everything that depends on it (overdue promises, maintenance states, component
statuses, spans of time, the daily history bars, the months of the history).

Renderers, `check` and `stats` only read these values.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from typing import Any, Iterable, Mapping, Sequence

from ..vocabulary import MAINTENANCE_STATE_LABELS
from .postmortem import TimelineEntry, is_overdue, timeline
from .records import ActionItem, Component, IncidentRecord, MaintenanceRecord, SiteConfig, worst
from .uptime import DayUptime, Uptime, uptimes


@dataclass(frozen=True)
class _AsOf:
    """A record as of the build's `now`."""

    _: KW_ONLY
    now: datetime

    @classmethod
    def as_of(cls, record: Any, now: datetime) -> Any:
        """The record (an IncidentRecord or MaintenanceRecord) as of `now`."""
        if isinstance(record, IncidentRecord):
            return cls(record.id, record.updates, record.digest, record.report, now=now)  # type: ignore[call-arg]
        return cls(record.id, record.updates, record.digest, now=now)  # type: ignore[call-arg]


@dataclass(frozen=True)
class Incident(IncidentRecord, _AsOf):
    """An incident as of `now`."""

    @property
    def duration(self) -> timedelta:
        """From the first update to resolution, or to `now` while open."""
        end = self.resolved_at or max(self.now, self.latest.at)
        return end - self.started_at

    @property
    def is_overdue(self) -> bool:
        return self.next_update is not None and self.now > self.next_update

    @cached_property
    def timeline(self) -> tuple[TimelineEntry, ...]:
        """The incident's life from its updates (and postmortem): see postmortem.timeline."""
        return timeline(self)

    @property
    def open_action_items(self) -> tuple[ActionItem, ...]:
        """The postmortem's action items not done yet (none without a postmortem)."""
        return tuple(a for a in self.report.action_items if not a.done) if self.report else ()

    @property
    def overdue_action_items(self) -> tuple[ActionItem, ...]:
        """Open action items whose due day (UTC) has passed at `now`."""
        return tuple(a for a in self.open_action_items if is_overdue(a, self.now))

    def action_item_overdue(self, item: ActionItem) -> bool:
        """Whether one of the postmortem's action items is overdue at `now` (for templates)."""
        return is_overdue(item, self.now)


@dataclass(frozen=True)
class Maintenance(MaintenanceRecord, _AsOf):
    """A maintenance as of `now`."""

    @cached_property
    def state(self) -> str:
        """'upcoming', 'active', 'completed' or 'cancelled' at `now`."""
        if self.is_cancelled:
            return "cancelled"
        if self.now >= self.effective_end or self.phase == "completed":
            return "completed"
        if self.now >= self.effective_start:
            return "active"
        return "upcoming"

    @property
    def state_label(self) -> str:
        return MAINTENANCE_STATE_LABELS[self.state]

    @property
    def is_active(self) -> bool:
        return self.state == "active"

    @property
    def is_upcoming(self) -> bool:
        return self.state == "upcoming"


@dataclass(frozen=True)
class StatusSpan:
    """A component had `status` from `start` to `end` because of `source` (incident or maintenance)."""

    component_id: str
    status: str
    start: datetime
    end: datetime
    source_id: str


@dataclass(frozen=True)
class DayBar:
    """One day of a component's history bar."""

    day: date
    status: str
    """The worst status seen that day."""
    incident_ids: tuple[str, ...]
    maintenance_ids: tuple[str, ...]
    uptime: DayUptime | None = None
    """The day's uptime (today's so far)."""


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    incidents: tuple[Incident, ...]
    """Started this month (display zone), newest first."""
    maintenances: tuple[Maintenance, ...]

    @property
    def key(self) -> str:
        return f"{self.year:04d}/{self.month:02d}"


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    incidents: tuple[Incident, ...]
    """Newest first."""
    maintenances: tuple[Maintenance, ...]
    """Newest window first."""
    now: datetime
    zone: tzinfo
    component_status: Mapping[str, str]
    overall_status: str
    daily_bars: Mapping[str, tuple[DayBar, ...]]
    months: tuple[Month, ...]
    """Oldest first, from the first month with content to the month of `now`."""
    uptime: Mapping[str, Uptime]
    """Per component id: its uptime over the days of the bars (model/uptime.py)."""
    group_uptime: Mapping[str, Uptime]
    """Per group name: the group's uptime, down where any of its components is."""

    @property
    def components(self) -> tuple[Component, ...]:
        return self.config.components

    def component(self, component_id: str) -> Component:
        return self._components_by_id[component_id]

    @cached_property
    def _components_by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.config.components}

    @cached_property
    def open_incidents(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if i.is_open)

    @cached_property
    def resolved_incidents(self) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if not i.is_open)

    @cached_property
    def active_maintenances(self) -> tuple[Maintenance, ...]:
        return tuple(m for m in self.maintenances if m.is_active)

    @cached_property
    def upcoming_maintenances(self) -> tuple[Maintenance, ...]:
        """Soonest first."""
        return tuple(sorted((m for m in self.maintenances if m.is_upcoming), key=lambda m: m.window_start))

    @cached_property
    def update_count(self) -> int:
        return sum(len(i.updates) for i in self.incidents) + sum(len(m.updates) for m in self.maintenances)

    @cached_property
    def last_update_at(self) -> datetime | None:
        """When the newest incident or maintenance update was published; None without content."""
        moments = [i.latest.at for i in self.incidents] + [m.latest.at for m in self.maintenances]
        return max(moments, default=None)

    def incidents_affecting(self, component_id: str) -> tuple[Incident, ...]:
        """Incidents that ever named the component, newest first."""
        return self._incidents_by_component.get(component_id, ())

    def maintenances_affecting(self, component_id: str) -> tuple[Maintenance, ...]:
        """Maintenance whose (latest) component list includes the component, newest window first."""
        return self._maintenances_by_component.get(component_id, ())

    @cached_property
    def _incidents_by_component(self) -> dict[str, tuple[Incident, ...]]:
        found: dict[str, list[Incident]] = {}
        for incident in self.incidents:
            for component_id in incident.affected_component_ids:
                found.setdefault(component_id, []).append(incident)
        return {cid: tuple(items) for cid, items in found.items()}

    @cached_property
    def _maintenances_by_component(self) -> dict[str, tuple[Maintenance, ...]]:
        found: dict[str, list[Maintenance]] = {}
        for maintenance in self.maintenances:
            for component_id in maintenance.component_ids:
                found.setdefault(component_id, []).append(maintenance)
        return {cid: tuple(items) for cid, items in found.items()}


def build_site(config: SiteConfig, incidents: Sequence[IncidentRecord], maintenances: Sequence[MaintenanceRecord],
               now: datetime, zone: tzinfo) -> Site:
    """Stamp `now` onto the records and derive the whole site's state at that moment."""
    incidents = tuple(sorted((Incident.as_of(i, now) for i in incidents), key=lambda i: (i.started_at, i.id),
                             reverse=True))
    maintenances = tuple(sorted((Maintenance.as_of(m, now) for m in maintenances),
                                key=lambda m: (m.window_start, m.id), reverse=True))

    reported: dict[str, list[str]] = {c.id: [] for c in config.components}
    for incident in incidents:
        for component_id, status in incident.component_status_now.items():
            reported[component_id].append(status)
    for maintenance in maintenances:
        if maintenance.is_active:
            for component_id in maintenance.component_ids:
                reported[component_id].append("under_maintenance")
    component_status = {cid: worst(statuses) for cid, statuses in reported.items()}

    # Only the last `history_days` days get bars: an incident over before they begin adds
    # nothing to them, and skipping the years before keeps a preview's rebuild fast.
    first_day = now.astimezone(zone).date() - timedelta(days=config.history_days - 1)
    bars_begin = local_day_bounds(first_day, zone)[0]
    recent = [i for i in incidents if (max(now, i.latest.at) if i.is_open else i.latest.at) >= bars_begin]
    spans = status_spans(recent, maintenances, now)
    uptime, group_uptime = uptimes(spans, [c.id for c in config.components], config.component_groups,
                                   config.uptime, history_day_bounds(config, now, zone))
    return Site(
        config=config,
        incidents=incidents,
        maintenances=maintenances,
        now=now,
        zone=zone,
        component_status=component_status,
        overall_status=worst(component_status.values()),
        daily_bars=daily_bars(config, spans, now, zone, uptime),
        months=months_of(incidents, maintenances, now, zone),
        uptime=uptime,
        group_uptime=group_uptime,
    )


def status_spans(incidents: Iterable[Incident], maintenances: Iterable[Maintenance],
                 now: datetime) -> list[StatusSpan]:
    """Every stretch of time a component was not operational, clipped at `now`."""
    spans: list[StatusSpan] = []
    for incident in incidents:
        current: dict[str, tuple[str, datetime]] = {}
        for update in incident.updates:
            for component_id, status in update.components.items():
                previous = current.get(component_id)
                if previous and previous[0] == status:
                    continue
                if previous:
                    spans.append(StatusSpan(component_id, previous[0], previous[1], update.at, incident.id))
                current[component_id] = (status, update.at)
        end_of_open = max(now, incident.latest.at)
        for component_id, (status, since) in current.items():
            end = end_of_open if incident.is_open else incident.latest.at
            spans.append(StatusSpan(component_id, status, since, end, incident.id))
    for maintenance in maintenances:
        if maintenance.is_cancelled:
            continue
        for component_id in maintenance.component_ids:
            spans.append(StatusSpan(component_id, "under_maintenance", maintenance.effective_start,
                                    maintenance.effective_end, maintenance.id))
    return [
        StatusSpan(s.component_id, s.status, s.start, min(s.end, now), s.source_id)
        for s in spans
        if s.status != "operational" and s.start < now and s.end > s.start
    ]


def local_day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The UTC instants where a calendar day in `zone` begins and ends."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    nxt = day + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def history_day_bounds(config: SiteConfig, now: datetime, zone: tzinfo) -> list[tuple[date, datetime, datetime]]:
    """The days of the bars as (day, start, end), oldest first; today ends at `now`."""
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=n) for n in range(config.history_days - 1, -1, -1)]
    return [(day, start, min(end, now)) for day in days for start, end in [local_day_bounds(day, zone)]]


def daily_bars(config: SiteConfig, spans: Iterable[StatusSpan], now: datetime, zone: tzinfo,
               uptime: Mapping[str, Uptime] | None = None) -> dict[str, tuple[DayBar, ...]]:
    """Per component, one bar per day for the last `history_days` days, ending today (display zone),
    each with the day's figure of `uptime` where given."""
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=n) for n in range(config.history_days - 1, -1, -1)]
    first_day = days[0]
    worst_by_day: dict[tuple[str, date], str] = {}
    incidents_by_day: dict[tuple[str, date], dict[str, None]] = {}
    maintenance_by_day: dict[tuple[str, date], dict[str, None]] = {}
    for span in sorted(spans, key=lambda s: (s.start, s.source_id, s.component_id)):
        day = max(span.start.astimezone(zone).date(), first_day)
        last = min(span.end.astimezone(zone).date(), today)
        while day <= last:
            day_start, day_end = local_day_bounds(day, zone)
            if span.start < day_end and span.end > day_start:
                key = (span.component_id, day)
                worst_by_day[key] = worst([worst_by_day.get(key, "operational"), span.status])
                bucket = maintenance_by_day if span.status == "under_maintenance" else incidents_by_day
                bucket.setdefault(key, {})[span.source_id] = None
            day += timedelta(days=1)
    return {
        component.id: tuple(
            DayBar(
                day=day,
                status=worst_by_day.get((component.id, day), "operational"),
                incident_ids=tuple(incidents_by_day.get((component.id, day), {})),
                maintenance_ids=tuple(maintenance_by_day.get((component.id, day), {})),
                uptime=uptime[component.id].daily[index] if uptime is not None else None,
            )
            for index, day in enumerate(days)
        )
        for component in config.components
    }


def months_of(incidents: Sequence[Incident], maintenances: Sequence[Maintenance], now: datetime,
              zone: tzinfo) -> tuple[Month, ...]:
    """Every month from the first with content to the month of `now`, in the display zone."""
    def month_key(moment: datetime) -> tuple[int, int]:
        local = moment.astimezone(zone)
        return (local.year, local.month)

    by_month_incidents: dict[tuple[int, int], list[Incident]] = {}
    for incident in incidents:
        by_month_incidents.setdefault(month_key(incident.started_at), []).append(incident)
    by_month_maintenance: dict[tuple[int, int], list[Maintenance]] = {}
    for maintenance in maintenances:
        by_month_maintenance.setdefault(month_key(maintenance.window_start), []).append(maintenance)

    # History is the past: a maintenance announced for a later month waits on the front page.
    last = max([month_key(now), *by_month_incidents])
    year, month = min([month_key(now), *by_month_incidents, *by_month_maintenance])
    months = []
    while (year, month) <= last:
        months.append(Month(
            year, month,
            incidents=tuple(by_month_incidents.get((year, month), ())),
            maintenances=tuple(by_month_maintenance.get((year, month), ())),
        ))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)
