"""The domain: site, components, incidents, updates, maintenance. Plain dataclasses, no I/O.

Everything a page, feed or API needs to know is derived here, once, from validated updates and
the build's `now`; renderers only read these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Iterable, Mapping, Sequence

STATUSES = ("operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage")
"""Component statuses, best to worst."""

STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}

STATUS_LABELS = {
    "operational": "Operational",
    "under_maintenance": "Under maintenance",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}

OVERALL_LABELS = {
    "operational": "All systems operational",
    "under_maintenance": "Scheduled maintenance in progress",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}

INCIDENT_PHASES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_PHASES = ("scheduled", "in_progress", "completed", "cancelled")
PHASE_LABELS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
}

MAINTENANCE_STATE_LABELS = {
    "upcoming": "Scheduled",
    "active": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
}

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
SEVERITY_NAMES = {"sev1": "Critical", "sev2": "Major", "sev3": "Minor", "sev4": "Low"}

# Atlassian Statuspage's vocabulary, shared by the JSON API and the badges.
SEVERITY_IMPACTS = {"sev1": "critical", "sev2": "major", "sev3": "minor", "sev4": "none"}
"""Statuspage's incident `impact` for each severity."""

STATUS_INDICATORS = {
    "operational": "none",
    "under_maintenance": "maintenance",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
}
"""Statuspage's page `status.indicator` for each overall status."""

INDICATOR_DESCRIPTIONS = {
    "none": "All Systems Operational",
    "maintenance": "Service Under Maintenance",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
"""Statuspage's `status.description` for each indicator, worded as Statuspage words them."""

MAINTENANCE_API_STATUSES = {"upcoming": "scheduled", "active": "in_progress", "completed": "completed",
                            "cancelled": "completed"}
"""Statuspage's scheduled-maintenance `status` for each state; it has no `cancelled`."""

DEFAULT_CADENCE_MINUTES = {"sev1": 30, "sev2": 60, "sev3": 180, "sev4": 1440}
"""The longest gap between updates each severity allows while open (domain.md's upper bounds:
every 15-30 min, 30-60 min, every few hours, about daily)."""

REPORTED_BY = ("monitoring", "customer", "internal")


def iso_utc(moment: datetime) -> str:
    """An instant as ISO 8601 in UTC to the second, like 2026-11-20T14:05:00Z (messages, HTML, files)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def compact_stamp(moment: datetime) -> str:
    """An instant as 20261120T140500Z: the stable part of an update's anchor, GUID and API id."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def worst(statuses: Iterable[str]) -> str:
    """The worst of some statuses; operational when there are none."""
    return max(statuses, key=STATUS_RANK.__getitem__, default="operational")


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    group: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ComponentGroup:
    name: str | None
    components: tuple[Component, ...]


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    """Absolute, always ending in '/'."""
    components: tuple[Component, ...]
    description: str | None = None
    timezone: str = "UTC"
    history_days: int = 90
    feed_limit: int = 50
    theme: str | None = None
    cadence_minutes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_MINUTES))
    """Longest promised gap between updates per severity while an incident is open."""
    postmortem_due_days: int = 5
    """SEV-1/SEV-2 incidents should link a postmortem this many days after resolution."""
    metrics: bool = False
    """Publish the metrics page (metrics/index.html)."""

    @property
    def component_groups(self) -> tuple[ComponentGroup, ...]:
        """Components grouped in the order groups first appear; ungrouped ones stand alone."""
        groups: list[ComponentGroup] = []
        index: dict[str, int] = {}
        for component in self.components:
            if component.group is None:
                groups.append(ComponentGroup(None, (component,)))
            elif component.group in index:
                i = index[component.group]
                groups[i] = ComponentGroup(component.group, groups[i].components + (component,))
            else:
                index[component.group] = len(groups)
                groups.append(ComponentGroup(component.group, (component,)))
        return tuple(groups)


@dataclass(frozen=True)
class Update:
    """One published incident update, with the incident's state as of this update."""

    incident_id: str
    source: str
    """The file it came from, relative to the site's source folder."""
    at: datetime
    phase: str
    severity: str
    """The incident's severity as of this update (carried forward when not given)."""
    title: str
    """The incident's title as of this update."""
    body: str
    """Markdown source."""
    components: Mapping[str, str]
    """Status of every component the incident affects, as of this update."""
    next_update: datetime | None = None
    detected_at: datetime | None = None
    started_at: datetime | None = None
    postmortem: str | None = None
    reported_by: str | None = None
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """The line of each front-matter field in `source` ('' for the front matter itself)."""

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.field_lines.get(""))

    @property
    def guid(self) -> str:
        """Stable identity in feeds: incident id + the update's time."""
        return f"incident/{self.incident_id}/{compact_stamp(self.at)}"


@dataclass(frozen=True)
class Incident:
    id: str
    updates: tuple[Update, ...]
    """Oldest first."""
    now: datetime
    digest: str = field(default="", compare=False, repr=False)
    """A digest of everything the updates were made from ('' if unknown), as a cheap identity."""

    @property
    def first(self) -> Update:
        return self.updates[0]

    @property
    def latest(self) -> Update:
        return self.updates[-1]

    @property
    def title(self) -> str:
        return self.latest.title

    @property
    def severity(self) -> str:
        return self.latest.severity

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES[self.severity]

    @property
    def phase(self) -> str:
        return self.latest.phase

    @property
    def is_open(self) -> bool:
        return self.phase != "resolved"

    @property
    def started_at(self) -> datetime:
        """When it was first published (the first update)."""
        return self.first.at

    @property
    def resolved_at(self) -> datetime | None:
        return None if self.is_open else self.latest.at

    @property
    def duration(self) -> timedelta:
        """From the first update to resolution, or to `now` while open."""
        end = self.resolved_at or max(self.now, self.latest.at)
        return end - self.started_at

    @property
    def next_update(self) -> datetime | None:
        """The promise customers are waiting on; None once resolved."""
        return self.latest.next_update if self.is_open else None

    @property
    def is_overdue(self) -> bool:
        return self.next_update is not None and self.now > self.next_update

    @cached_property
    def postmortem(self) -> str | None:
        return next((u.postmortem for u in reversed(self.updates) if u.postmortem), None)

    @cached_property
    def affected_component_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for update in self.updates:
            seen.update(dict.fromkeys(update.components))
        return tuple(seen)

    @cached_property
    def worst_status(self) -> str:
        """The worst component status the incident ever reached."""
        return worst(s for u in self.updates for s in u.components.values())

    @cached_property
    def component_status_now(self) -> Mapping[str, str]:
        """What this incident says about each component now: nothing once resolved."""
        return dict(self.latest.components) if self.is_open else {}


@dataclass(frozen=True)
class MaintenanceUpdate:
    maintenance_id: str
    source: str
    at: datetime
    phase: str
    title: str
    window_start: datetime
    window_end: datetime
    components: tuple[str, ...]
    body: str
    next_update: datetime | None = None
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """The line of each front-matter field in `source` ('' for the front matter itself)."""

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.field_lines.get(""))

    @property
    def guid(self) -> str:
        return f"maintenance/{self.maintenance_id}/{compact_stamp(self.at)}"


@dataclass(frozen=True)
class Maintenance:
    id: str
    updates: tuple[MaintenanceUpdate, ...]
    """Oldest first."""
    now: datetime
    digest: str = field(default="", compare=False, repr=False)
    """A digest of everything the updates were made from ('' if unknown), as a cheap identity."""

    @property
    def latest(self) -> MaintenanceUpdate:
        return self.updates[-1]

    @property
    def title(self) -> str:
        return self.latest.title

    @property
    def phase(self) -> str:
        return self.latest.phase

    @property
    def window_start(self) -> datetime:
        return self.latest.window_start

    @property
    def window_end(self) -> datetime:
        return self.latest.window_end

    @property
    def component_ids(self) -> tuple[str, ...]:
        return self.latest.components

    @property
    def is_cancelled(self) -> bool:
        return self.phase == "cancelled"

    @cached_property
    def effective_start(self) -> datetime:
        """The window start, or earlier if an `in_progress` update said work began early."""
        begun = [u.at for u in self.updates if u.phase == "in_progress"]
        return min([self.window_start, *begun])

    @cached_property
    def effective_end(self) -> datetime:
        """The window end, or earlier if a `completed`/`cancelled` update came first."""
        ended = [u.at for u in self.updates if u.phase in ("completed", "cancelled")]
        return min([self.window_end, *ended])

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


def build_site(config: SiteConfig, incidents: Sequence[Incident], maintenances: Sequence[Maintenance],
               now: datetime, zone: tzinfo) -> Site:
    """Derive the whole site's state at `now` from its incidents and maintenance."""
    incidents = tuple(sorted(incidents, key=lambda i: (i.started_at, i.id), reverse=True))
    maintenances = tuple(sorted(maintenances, key=lambda m: (m.window_start, m.id), reverse=True))

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
    return Site(
        config=config,
        incidents=incidents,
        maintenances=maintenances,
        now=now,
        zone=zone,
        component_status=component_status,
        overall_status=worst(component_status.values()),
        daily_bars=daily_bars(config, spans, now, zone),
        months=months_of(incidents, maintenances, now, zone),
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


def daily_bars(config: SiteConfig, spans: Iterable[StatusSpan], now: datetime,
               zone: tzinfo) -> dict[str, tuple[DayBar, ...]]:
    """Per component, one bar per day for the last `history_days` days, ending today (display zone)."""
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
            )
            for day in days
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
