"""Every output path and link of a site, in one place.

Links between pages are relative, so a site works from disk and under any sub-path; public
addresses (feeds, the API, the sitemap, canonical links) are base_url plus the pretty path.
The paths of the metrics page (metrics.py) and of theme assets (`assets/<name>`) are the only
ones named elsewhere.
"""

from __future__ import annotations

import posixpath
from datetime import datetime

from ..model import Month, compact_stamp


INDEX_PATH = "index.html"
HISTORY_PATH = "history/index.html"
FEED_PATH = "feed.xml"
"""The site's RSS feed; components have theirs at component_feed_path()."""
ATOM_PATH = "atom.xml"
CALENDAR_PATH = "maintenance.ics"
"""The iCalendar of every maintenance window; components have theirs at component_calendar_path()."""
BADGE_PATH = "badge.svg"
"""The overall status's badge; components have theirs at component_badge_path()."""
FAVICON_PATH = "favicon.svg"
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
WIDGET_PATH = "widget.js"
API_ROOT = "api/v2/"
"""The folder of the JSON API's files (api.py)."""
UPTIME_PATH = "api/uptime.json"
"""Every component's and group's uptime per day and month (uptime_api.py); beside the Statuspage
shapes, since Statuspage has no such file."""

NOT_FOUND_PATH = "404.html"
"""The page static hosts (GitHub Pages, Netlify) serve for unknown paths, at whatever depth the
request was: its links are absolute, built from base_url, and it is not in the sitemap."""


def incident_path(incident_id: str) -> str:
    return f"incidents/{incident_id}/index.html"


def postmortem_path(incident_id: str) -> str:
    """The page of an incident's postmortem (content/incidents/<id>/postmortem.md)."""
    return f"incidents/{incident_id}/postmortem/index.html"


def maintenance_path(maintenance_id: str) -> str:
    return f"maintenance/{maintenance_id}/index.html"


def component_path(component_id: str) -> str:
    return f"components/{component_id}/index.html"


def component_feed_path(component_id: str) -> str:
    return f"components/{component_id}/feed.xml"


def component_badge_path(component_id: str) -> str:
    return f"components/{component_id}/badge.svg"


def component_calendar_path(component_id: str) -> str:
    return f"components/{component_id}/maintenance.ics"


def maintenance_event_path(maintenance_id: str) -> str:
    """The one-event calendar of a maintenance ("Add to calendar" on its page)."""
    return f"maintenance/{maintenance_id}/event.ics"


def month_path(month: Month) -> str:
    return f"history/{month.year:04d}/{month.month:02d}/index.html"


def pretty(path: str) -> str:
    """The public form of a page path: 'incidents/x/' rather than 'incidents/x/index.html'."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def absolute_url(base_url: str, path: str = "") -> str:
    """The public address of an output path: 'https://example.com/status/incidents/x/'."""
    return base_url + pretty(path)


def update_anchor(at: datetime) -> str:
    return "update-" + compact_stamp(at)


def relative_url(target: str, from_page: str) -> str:
    """A link from one output file to another, relative so it works from disk and any sub-path.

    A query or fragment is kept as written (never read as path segments), and an empty path
    (a postmortem link of `/` or `/#notes`) means the site's front page."""
    end = min((i for i in (target.find("?"), target.find("#")) if i >= 0), default=len(target))
    target_path, suffix = target[:end] or "index.html", target[end:]
    link = relative_path(target_path, posixpath.dirname(from_page))
    if target_path.endswith("/") and not link.endswith("/"):
        link += "/"
    return link + suffix


def relative_path(path: str, folder: str) -> str:
    """posixpath.relpath(path, folder or '.') for plain relative paths, without its system calls
    (it makes both absolute from the working folder: 10 µs a link, 40,000 links a build)."""
    parts = path.rstrip("/").split("/")
    start = folder.split("/") if folder else []
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts + start):
        return posixpath.relpath(path, folder or ".")
    common = 0
    for a, b in zip(parts, start):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."
