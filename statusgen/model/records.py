"""The records a site is made of: config, components, incidents and maintenance with their updates.

Plain frozen dataclasses, made by source/ from validated files, with no I/O and no notion of
the time of the build: everything here is true whenever the site is built. What depends on
`now` (an overdue promise, a maintenance in progress, the history bars) is derived in site.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Iterable, Mapping

from ..language import ENGLISH, Language
from ..vocabulary import SEVERITY_NAMES, STATUS_RANK


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
class Channel:
    """A way to follow the status that the site declares (statusgen.yml's `subscribe:`)."""

    label: str
    """Plain text, one line: the link's text."""
    url: str
    """An absolute http(s) address."""


@dataclass(frozen=True)
class UptimeRule:
    """How time in each status counts against uptime (statusgen.yml's `uptime:`): the share of
    it that counts as down, 0 to 1. Operational time is always up."""

    major_outage: float = 1.0
    partial_outage: float = 0.3
    """Statuspage's and Instatus's rule: a partial outage is 30 % down."""
    degraded_performance: float = 0.0
    maintenance_counts_as_down: bool = False
    """Whether time under maintenance counts as down (fully) or as up (the default)."""

    def weight(self, status: str) -> float:
        """The share of time in `status` that counts as down."""
        if status == "under_maintenance":
            return 1.0 if self.maintenance_counts_as_down else 0.0
        return float(getattr(self, status)) if status != "operational" else 0.0


@dataclass(frozen=True)
class AlertRule:
    """One rule of statusgen.yml's `alerts:` table: which alerts it matches (all `match` labels
    equal, or the `monitor` name, compared case-insensitively) and what the draft says for them."""

    components: tuple[str, ...]
    match: tuple[tuple[str, str], ...] = ()
    monitor: str | None = None
    severity: str | None = None
    """None: the table's default severity."""
    status: str | None = None
    """None: the status the alert suggests (Upptime's "degraded"), else the table's default."""
    title: str | None = None
    line: int = 0
    """The rule's line in statusgen.yml, named in the draft so a reviewer can find it."""


@dataclass(frozen=True)
class AlertTable:
    """statusgen.yml's `alerts:`: how `statusgen new incident --from-alert` maps alerts to a draft."""

    rules: tuple[AlertRule, ...]
    severity: str = "sev2"
    status: str = "partial_outage"


@dataclass(frozen=True)
class NotifyFilter:
    """A labelled target of `statusgen notify` (statusgen.yml's `notify:`): which updates it gets.
    Its URL is a secret and never part of the config: it comes from the environment."""

    label: str
    """An id, like ops-slack; the URL is in STATUSGEN_NOTIFY_OPS_SLACK."""
    components: tuple[str, ...] = ()
    """Only updates about these components; empty: every component."""
    min_severity: str | None = None
    """Only incidents at least this severe (sev2: SEV-1 and SEV-2); None: every severity."""
    maintenance: bool = True
    """Whether maintenance updates are sent."""


@dataclass(frozen=True)
class SiteConfig:
    """statusgen.yml, validated; source/spec.py declares each field and its default."""

    title: str
    base_url: str
    """Absolute, always ending in '/'."""
    description: str | None
    timezone: str
    components: tuple[Component, ...]
    history_days: int
    feed_limit: int
    theme: str | None
    cadence_minutes: Mapping[str, int]
    """Longest promised gap between updates per severity while an incident is open."""
    postmortem_due_days: int
    """SEV-1/SEV-2 incidents should link a postmortem this many days after resolution."""
    metrics: bool
    """Publish the metrics page (metrics/index.html)."""
    language: str = "en"
    """The BCP 47 tag readers get their words in (statusgen.yml `language`)."""
    words: Language = ENGLISH
    """That language's catalogs, dates and numbers (language.py), loaded by source/language.py; its
    repr carries the catalogs' digest, so every page key changes with a translation."""
    subscribe: tuple[Channel, ...] = ()
    """Other ways to follow the status, listed under Get updates."""
    postmortem_causes: tuple[str, ...] = ()
    """The categories a postmortem's `cause` may name (source/spec.py declares the default list)."""
    repeat_window_days: int = 90
    """An incident whose cause matches an earlier one's within this many days is a repeat."""
    uptime: UptimeRule = UptimeRule()
    """How each status counts against the uptime percentages (model/uptime.py)."""
    alerts: AlertTable | None = field(default=None, repr=False)
    """How alerts become draft updates (`new incident --from-alert`); never shown on the site, so
    left out of the repr the page keys digest."""
    notify: tuple[NotifyFilter, ...] = field(default=(), repr=False)
    """The labelled targets of `statusgen notify`, with their filters (never their URLs); never shown
    on the site, so left out of the repr the page keys digest."""

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
class ActionItem:
    """One follow-up a postmortem commits to."""

    title: str
    owner: str
    """A team or a role, not a person."""
    due: date
    done: bool = False
    line: int | None = field(default=None, compare=False)
    """The line of the item in the postmortem's file."""


@dataclass(frozen=True)
class Postmortem:
    """An incident's postmortem (content/incidents/<id>/postmortem.md), as its file says it."""

    incident_id: str
    source: str
    """The file it came from, relative to the site's source folder."""
    published_at: datetime
    summary: str
    impact: str
    root_cause: str
    cause: str
    """A category from statusgen.yml's postmortem_causes."""
    action_items: tuple[ActionItem, ...]
    body: str
    """Markdown source: the narrative (what happened, what went well, what we will improve)."""
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """The line of each front-matter field in `source` ('' for the front matter itself)."""

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.field_lines.get(""))

    @property
    def guid(self) -> str:
        """Stable identity in feeds."""
        return f"postmortem/{self.incident_id}"


@dataclass(frozen=True)
class IncidentRecord:
    """One incident as its files say it: its updates in time order, and what follows from them
    alone. `Incident` (site.py) adds what depends on the time of the build."""

    id: str
    updates: tuple[Update, ...]
    """Oldest first."""
    digest: str = field(default="", compare=False, repr=False)
    """A digest of everything the updates were made from ('' if unknown), as a cheap identity."""
    report: Postmortem | None = None
    """The postmortem written in the incident's folder (postmortem.md), if there is one; the
    `postmortem` property is the link an update gives instead (or as well)."""

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
    def next_update(self) -> datetime | None:
        """The promise customers are waiting on; None once resolved."""
        return self.latest.next_update if self.is_open else None

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
class MaintenanceRecord:
    """One maintenance as its files say it. `Maintenance` (site.py) adds its state at `now`."""

    id: str
    updates: tuple[MaintenanceUpdate, ...]
    """Oldest first."""
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
