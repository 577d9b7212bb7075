"""The words of a status page, once: statuses, phases, severities, their labels and aliases,
and Atlassian Statuspage's vocabulary for the same things.

The model, the validator, the JSON Schema, the renderers and the commands all take their
words from here, so a new status or phase is added in one place.
"""

from __future__ import annotations

STATUSES = ("operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage")
"""Component statuses, best to worst."""

STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}

INCIDENT_STATUSES = tuple(s for s in STATUSES if s != "under_maintenance")
"""The statuses an incident update may give a component (maintenance gives the other one)."""

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

FOLLOW_WAYS = {
    "rss": ("RSS feed", "every update, in a feed reader"),
    "atom": ("Atom feed", "the same updates, for readers that prefer Atom"),
    "calendar": ("Maintenance calendar", "iCalendar: subscribe in Google Calendar, Outlook or Apple Calendar"),
    "api": ("JSON API", "the status as JSON, in Atlassian Statuspage's format"),
    "badge": ("Status badge", "an SVG image of the status, for a README or web page"),
}
"""The site's own ways to follow the status ("Get updates"): link text and what it is."""

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
SEVERITY_NAMES = {"sev1": "Critical", "sev2": "Major", "sev3": "Minor", "sev4": "Low"}

SEVERITY_ALIASES = {
    **{f"sev{n}": f"sev{n}" for n in range(1, 5)},
    **{f"sev-{n}": f"sev{n}" for n in range(1, 5)},
    **{f"sev {n}": f"sev{n}" for n in range(1, 5)},
    **{f"p{n}": f"sev{n}" for n in range(1, 5)},
}
"""Lower-cased spellings teams use for the same four levels (SEV-1, sev-1, P1, ...)."""

SEVERITY_HINTS = {name.lower(): level for level, name in SEVERITY_NAMES.items()}
"""Not accepted, but suggested: someone who writes `severity: critical` means sev1."""

REPORTED_BY = ("monitoring", "customer", "internal")
"""Who noticed an incident first."""

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
