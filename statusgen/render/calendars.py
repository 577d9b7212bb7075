"""Maintenance calendars (iCalendar, RFC 5545): one VEVENT per maintenance window.

`maintenance.ics` holds every window of the history range (those that ended within the last
`history_days` days, those running and those to come), `components/<id>/maintenance.ics` the
same for one component, and `maintenance/<id>/event.ics` one maintenance alone (its page's
"Add to calendar" link). A calendar app that subscribes to one sees windows appear, move and
be cancelled as the site is rebuilt.

The files depend only on the content, never on the clock of the build (except which windows
the history range still holds): each event's UID comes from the maintenance id and base_url,
its DTSTAMP is the time of its latest update, and its SEQUENCE counts the updates that moved
the window or cancelled it, so a calendar knows a newer version when it sees one. The
`icalendar` library writes the files: it escapes text (`,` `;` `\\` and line breaks), so a
title or body cannot add a property, and it folds lines at 75 octets with CRLF endings.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable
from urllib.parse import urlsplit

from ..model import Maintenance, Site
from .markdown import plain_text
from .paths import (CALENDAR_PATH, absolute_url, component_calendar_path, maintenance_event_path,
                    maintenance_path)

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//statusgen//statusgen maintenance calendar//EN"


def render_calendars(site: Site) -> dict[str, bytes]:
    """Every calendar of the site by output path: the site's, each component's, each maintenance's."""
    in_range = in_history_range(site)
    words, title = site.config.words, site.config.title
    # Translators: the name of the site's maintenance calendar in calendar apps.
    files = {CALENDAR_PATH: calendar_ics(site, in_range, words.gettext("Maintenance · %(site)s", site=title))}
    for component in site.components:
        shown = [m for m in in_range if component.id in m.component_ids]
        # Translators: the name of one component's maintenance calendar in calendar apps.
        name = words.gettext("%(component)s maintenance · %(site)s", component=component.name, site=title)
        files[component_calendar_path(component.id)] = calendar_ics(site, shown, name)
    for maintenance in site.maintenances:
        # Translators: the name of one maintenance's calendar: its title, then the site's title.
        name = words.gettext("%(page)s · %(site)s", page=maintenance.title, site=title)
        files[maintenance_event_path(maintenance.id)] = calendar_ics(site, [maintenance], name)
    return files


def in_history_range(site: Site) -> list[Maintenance]:
    """The maintenance whose window ends no earlier than `history_days` before now: completed,
    cancelled, running and upcoming alike. Newest window first, as site.maintenances."""
    since = site.now - timedelta(days=site.config.history_days)
    return [m for m in site.maintenances if m.window_end >= since]


def calendar_ics(site: Site, maintenances: Iterable[Maintenance], name: str) -> bytes:
    """A VCALENDAR of these maintenance windows, named `name` in calendar apps."""
    from icalendar import Calendar, vText  # import only when calendars are made: start-up time matters
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar only knows the value type of RFC 5545's own properties: an X- property's value
    # is written as given, line breaks included, unless it is made TEXT (escaped) here.
    calendar.add("x-wr-calname", vText(name))
    for maintenance in maintenances:
        calendar.add_component(event(site, maintenance))
    return bytes(calendar.to_ical())


def event(site: Site, maintenance: Maintenance) -> Event:
    """The VEVENT of one maintenance window, as its latest update has it."""
    from icalendar import Event, vText
    latest = maintenance.latest
    item = Event()
    item.add("uid", event_uid(site.config.base_url, maintenance.id))
    item.add("dtstamp", _utc(latest.at))
    item.add("created", _utc(maintenance.updates[0].at))
    item.add("last-modified", _utc(latest.at))
    item.add("dtstart", _utc(maintenance.window_start))
    item.add("dtend", _utc(maintenance.window_end))
    item.add("summary", vText(maintenance.title))
    item.add("description", vText(plain_text(latest.body)))
    item.add("url", absolute_url(site.config.base_url, maintenance_path(maintenance.id)))
    item.add("status", "CANCELLED" if maintenance.is_cancelled else "CONFIRMED")
    item.add("sequence", sequence(maintenance))
    item.add("transp", "OPAQUE")
    return item


def event_uid(base_url: str, maintenance_id: str) -> str:
    """The event's UID, the same in every build and calendar: the maintenance id, the site's
    sub-path (two sites on one host, such as GitHub Pages project sites, stay apart) and
    base_url's host: `maintenance-db-upgrade.status@acme.github.io`."""
    parts = urlsplit(base_url)
    path = ".".join(segment for segment in parts.path.split("/") if segment)
    return f"maintenance-{maintenance_id}{'.' + path if path else ''}@{parts.hostname or parts.netloc}"


def sequence(maintenance: Maintenance) -> int:
    """How many updates changed the window (its start or end) or cancelled it: RFC 5545's
    revision number, 0 for a window as first announced."""
    changes = 0
    for before, after in zip(maintenance.updates, maintenance.updates[1:]):
        if (before.window_start, before.window_end) != (after.window_start, after.window_end):
            changes += 1
        if (before.phase == "cancelled") != (after.phase == "cancelled"):
            changes += 1
    return changes


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
