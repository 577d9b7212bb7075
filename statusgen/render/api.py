"""A read-only JSON API in the shapes of Atlassian Statuspage's public API v2.

Static files under `api/v2/`, so the clients, widgets and monitoring integrations that already
read Statuspage pages can read a statusgen site. The vocabulary is mapped in model.py
(severity → impact, overall status → indicator); ids are statusgen's own, so they are stable
across builds, and every timestamp is the instant of something published, never the clock, so
rebuilding unchanged content gives unchanged files.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Iterable

from ..model import Incident, Maintenance, MaintenanceUpdate, Site, compact_stamp, iso_utc, worst
from ..vocabulary import INDICATOR_DESCRIPTIONS, MAINTENANCE_API_STATUSES, SEVERITY_IMPACTS, STATUS_INDICATORS
from .paths import API_ROOT, UPTIME_PATH, absolute_url, incident_path, maintenance_path, postmortem_path
from .uptime_api import encode_uptime, uptime_document, uptime_object
from ..wording import slug, unique

INCIDENT_LIMIT = 50
"""Like Statuspage, incidents.json and scheduled-maintenances.json list the 50 most recent."""

JSON = dict[str, Any]


def render_api(site: Site) -> dict[str, bytes]:
    """Every file of the JSON API, by output path."""
    return _Api(site).files()


def update_id(owner_id: str, at: datetime) -> str:
    """A stable id for one update: its incident's (or maintenance's) id and its time."""
    return f"{owner_id}-{compact_stamp(at)}"


def page_id(base_url: str) -> str:
    """A stable page id in Statuspage's style (12 characters), derived from the site's address."""
    return hashlib.sha256(base_url.encode("utf-8")).hexdigest()[:12]


def group_ids(site: Site) -> dict[str, str]:
    """A stable id for each component group: `group-` and its name as a slug, never a component's id."""
    taken = {c.id for c in site.components}
    ids: dict[str, str] = {}
    for group in site.config.component_groups:
        if group.name is None or group.name in ids:
            continue
        ids[group.name] = unique(f"group-{slug(group.name) or len(ids) + 1}", taken)
    return ids


class _Api:
    def __init__(self, site: Site):
        self.site = site
        self.page_id = page_id(site.config.base_url)
        self.page_updated = site.last_update_at or site.now
        self.components = self._components()
        self.by_id = {c["id"]: c for c in self.components}

    def files(self) -> dict[str, bytes]:
        site = self.site
        page = self._page()
        status = self._status()
        unresolved = [self._incident(i) for i in site.open_incidents]
        upcoming = [self._maintenance(m) for m in site.upcoming_maintenances]
        active = [self._maintenance(m) for m in site.active_maintenances]
        documents: dict[str, JSON] = {
            "summary.json": {"page": page, "components": self.components, "incidents": unresolved,
                             "scheduled_maintenances": active + upcoming, "status": status},
            "status.json": {"page": page, "status": status},
            "components.json": {"page": page, "components": self._with_uptime(self.components)},
            "incidents.json": {"page": page, "incidents": [self._incident(i) for i in self._recent_incidents()]},
            "incidents/unresolved.json": {"page": page, "incidents": unresolved},
            "scheduled-maintenances.json": {"page": page, "scheduled_maintenances": [
                self._maintenance(m) for m in site.maintenances[:INCIDENT_LIMIT]]},
            "scheduled-maintenances/upcoming.json": {"page": page, "scheduled_maintenances": upcoming},
            "scheduled-maintenances/active.json": {"page": page, "scheduled_maintenances": active},
        }
        files = {API_ROOT + name: _encode(document) for name, document in documents.items()}
        files[UPTIME_PATH] = encode_uptime(uptime_document(site, group_ids(site)))
        return files

    # --- pieces ------------------------------------------------------------------------------

    def _time(self, moment: datetime | None) -> str | None:
        """ISO 8601 in UTC ('2026-11-26T06:31:00Z'), as every machine-readable output writes times.
        (An offset in the display zone is not always ISO 8601: zones had offsets with seconds,
        Africa/Monrovia's -00:44:30 before 1972, which clients and live.js cannot read.)"""
        return None if moment is None else iso_utc(moment)

    def _url(self, path: str) -> str:
        return absolute_url(self.site.config.base_url, path)

    def _page(self) -> JSON:
        config = self.site.config
        return {"id": self.page_id, "name": config.title, "url": config.base_url,
                "time_zone": config.timezone, "updated_at": self._time(self.page_updated)}

    def _status(self) -> JSON:
        indicator = STATUS_INDICATORS[self.site.overall_status]
        return {"indicator": indicator, "description": INDICATOR_DESCRIPTIONS[indicator]}

    def _recent_incidents(self) -> list[Incident]:
        """The newest INCIDENT_LIMIT incidents, and every unresolved one however old."""
        incidents = self.site.incidents
        return [i for n, i in enumerate(incidents) if n < INCIDENT_LIMIT or i.is_open]

    def _changes(self, component_id: str) -> list[datetime]:
        """Every moment something was published about the component or its status changed."""
        site = self.site
        moments = [u.at for i in site.incidents_affecting(component_id) for u in i.updates
                   if component_id in u.components]
        for maintenance in site.maintenances_affecting(component_id):
            moments += [u.at for u in maintenance.updates]
            if not maintenance.is_cancelled:
                moments += [t for t in (maintenance.effective_start, maintenance.effective_end) if t <= site.now]
        return moments

    def _components(self) -> list[JSON]:
        """Groups and components in page order; a group is a component with `group: true`."""
        site = self.site
        # statusgen does not record when a component was added: the oldest update stands in.
        oldest = min([u.at for i in site.incidents for u in i.updates[:1]]
                     + [m.updates[0].at for m in site.maintenances], default=self.page_updated)
        ids = group_ids(site)
        entries: list[JSON] = []
        for group in site.config.component_groups:
            group_id = ids[group.name] if group.name is not None else None
            children = [self._component(c.id, c.name, c.description, oldest, group_id)
                        for c in group.components]
            if group_id is not None:
                entry = self._component(group_id, group.name, None, oldest, None,
                                        status=worst(c["status"] for c in children),
                                        updated=max(c["_updated"] for c in children))
                entry.update(showcase=False, group=True, components=[c["id"] for c in children])
                entries.append(entry)
            entries.extend(children)
        for position, entry in enumerate(entries, start=1):
            entry["position"] = position
            entry.pop("_updated")
        return entries

    def _with_uptime(self, entries: list[JSON]) -> list[JSON]:
        """components.json's entries, each with its uptime over the window (Statuspage's own
        components.json has none; clients that do not know the key ignore it)."""
        names = {group_id: name for name, group_id in group_ids(self.site).items()}
        site = self.site
        return [{**entry, "uptime": uptime_object(site.group_uptime[names[entry["id"]]] if entry["group"]
                                                  else site.uptime[entry["id"]])} for entry in entries]

    def _component(self, component_id: str, name: str | None, description: str | None,
                   created: datetime, group_id: str | None, status: str | None = None,
                   updated: datetime | None = None) -> JSON:
        if updated is None:
            updated = max(self._changes(component_id), default=created)
        return {
            "id": component_id,
            "name": name,
            "status": status or self.site.component_status[component_id],
            "created_at": self._time(created),
            "updated_at": self._time(updated),
            "position": 0,
            "description": description,
            "showcase": True,
            "start_date": None,
            "group_id": group_id,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
            "_updated": updated,
        }

    def _incident(self, incident: Incident) -> JSON:
        monitoring_at = next((u.at for u in incident.updates if u.phase == "monitoring"), None)
        began = next((u.started_at for u in reversed(incident.updates) if u.started_at), incident.started_at)
        updates = []
        previous: dict[str, str] = {}
        for update in incident.updates:
            changed = [(cid, previous.get(cid, "operational"), status)
                       for cid, status in update.components.items() if previous.get(cid) != status]
            updates.append(self._update(incident.id, update.phase, update.body, update.at, changed))
            previous = dict(update.components)
        return {
            "id": incident.id,
            "name": incident.title,
            "status": incident.phase,
            "created_at": self._time(incident.started_at),
            "updated_at": self._time(incident.latest.at),
            "monitoring_at": self._time(monitoring_at),
            "resolved_at": self._time(incident.resolved_at),
            "impact": SEVERITY_IMPACTS[incident.severity],
            "shortlink": self._url(incident_path(incident.id)),
            "started_at": self._time(began),
            "page_id": self.page_id,
            "incident_updates": updates[::-1],
            "components": self._listed(incident.affected_component_ids),
            **self._postmortem(incident),
        }

    def _postmortem(self, incident: Incident) -> JSON:
        """Statuspage's postmortem fields (its Manage API's names): the whole postmortem as Markdown
        and when it was published, for a postmortem.md; and statusgen's own `postmortem_url`, the
        address of its page, or else of the link an update gives (body and time then unknown)."""
        report = incident.report
        if report is None:
            link = incident.postmortem
            if link is not None and not link.startswith(("http://", "https://")):
                link = self.site.config.base_url + link.lstrip("/")
            return {"postmortem_body": None, "postmortem_published_at": None, "postmortem_url": link}
        parts = [report.summary, f"**Impact.** {report.impact}", f"**Root cause.** {report.root_cause}"]
        if report.action_items:
            parts.append("**Action items.**\n\n" + "\n".join(
                f"- [{'x' if a.done else ' '}] {a.title} ({a.owner}, due {a.due.isoformat()})"
                for a in report.action_items))
        if report.body:
            parts.append(report.body)
        return {"postmortem_body": "\n\n".join(parts), "postmortem_published_at": self._time(report.published_at),
                "postmortem_url": self._url(postmortem_path(incident.id))}

    def _maintenance(self, maintenance: Maintenance) -> JSON:
        updates = []
        working = False
        for update in maintenance.updates:
            updates.append(self._update(maintenance.id, _maintenance_update_status(update), update.body,
                                        update.at, _maintenance_changes(update, working)))
            working = update.phase == "in_progress" or (working and update.phase not in ("completed", "cancelled"))
        state = maintenance.state
        return {
            "id": maintenance.id,
            "name": maintenance.title,
            "status": MAINTENANCE_API_STATUSES[state],
            "created_at": self._time(maintenance.updates[0].at),
            "updated_at": self._time(maintenance.latest.at),
            "monitoring_at": None,
            "resolved_at": self._time(maintenance.effective_end if state in ("completed", "cancelled") else None),
            "impact": "maintenance",
            "shortlink": self._url(maintenance_path(maintenance.id)),
            "started_at": self._time(maintenance.updates[0].at),
            "page_id": self.page_id,
            "incident_updates": updates[::-1],
            "components": self._listed(maintenance.component_ids),
            "scheduled_for": self._time(maintenance.window_start),
            "scheduled_until": self._time(maintenance.window_end),
        }

    def _update(self, owner_id: str, status: str, body: str, at: datetime,
                changes: Iterable[tuple[str, str, str]]) -> JSON:
        stamp = self._time(at)
        return {
            "id": update_id(owner_id, at),
            "status": status,
            "body": body,
            "incident_id": owner_id,
            "created_at": stamp,
            "updated_at": stamp,
            "display_at": stamp,
            "affected_components": [
                {"code": cid, "name": self.site.component(cid).name, "old_status": old, "new_status": new}
                for cid, old, new in changes],
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def _listed(self, component_ids: Iterable[str]) -> list[JSON]:
        return [self.by_id[cid] for cid in component_ids]


def _maintenance_update_status(update: MaintenanceUpdate) -> str:
    return "completed" if update.phase == "cancelled" else update.phase


def _maintenance_changes(update: MaintenanceUpdate, working: bool) -> list[tuple[str, str, str]]:
    """What an update did to its components: work starting or ending, or nothing yet."""
    before = "under_maintenance" if working else "operational"
    after = {"scheduled": before, "in_progress": "under_maintenance"}.get(update.phase, "operational")
    return [(cid, before, after) for cid in update.components]


def _encode(document: JSON) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
