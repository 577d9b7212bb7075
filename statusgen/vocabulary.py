"""The words of a status page, once: statuses, phases, severities, their labels and aliases,
and Atlassian Statuspage's vocabulary for the same things.

The model, the validator, the JSON Schema, the renderers and the commands all take their
words from here, so a new status or phase is added in one place.
"""

from __future__ import annotations

from .language import N_, NP_

STATUSES = ("operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage")
"""Component statuses, best to worst."""

STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}

INCIDENT_STATUSES = tuple(s for s in STATUSES if s != "under_maintenance")
"""The statuses an incident update may give a component (maintenance gives the other one)."""

STATUS_LABELS = {
    "operational": N_("Operational"),
    "under_maintenance": N_("Under maintenance"),
    "degraded_performance": N_("Degraded performance"),
    "partial_outage": N_("Partial outage"),
    "major_outage": N_("Major outage"),
}

OVERALL_LABELS = {
    "operational": N_("All systems operational"),
    "under_maintenance": N_("Scheduled maintenance in progress"),
    "degraded_performance": N_("Degraded performance"),
    "partial_outage": N_("Partial outage"),
    "major_outage": N_("Major outage"),
}

INCIDENT_PHASES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_PHASES = ("scheduled", "in_progress", "completed", "cancelled")
PHASE_LABELS = {
    "investigating": N_("Investigating"),
    "identified": N_("Identified"),
    "monitoring": N_("Monitoring"),
    "resolved": N_("Resolved"),
    "scheduled": N_("Scheduled"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}

MAINTENANCE_STATE_LABELS = {
    "upcoming": N_("Scheduled"),
    "active": N_("In progress"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}

FOLLOW_WAYS = {
    "rss": (N_("RSS feed"), N_("every update, in a feed reader")),
    "atom": (N_("Atom feed"), N_("the same updates, for readers that prefer Atom")),
    "calendar": (N_("Maintenance calendar"), N_("iCalendar: subscribe in Google Calendar, Outlook or Apple Calendar")),
    "api": (N_("JSON API"), N_("the status as JSON, in Atlassian Statuspage's format")),
    "badge": (N_("Status badge"), N_("an SVG image of the status, for a README or web page")),
}
"""The site's own ways to follow the status ("Get updates"): link text and what it is."""

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
SEVERITY_NAMES = {"sev1": N_("Critical"), "sev2": N_("Major"), "sev3": N_("Minor"), "sev4": N_("Low")}

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


PHASES_IN_A_SENTENCE = {
    "investigating": NP_("phase, inside a sentence", "investigating"),
    "identified": NP_("phase, inside a sentence", "identified"),
    "monitoring": NP_("phase, inside a sentence", "monitoring"),
}
"""The open phases as a sentence names them ('with an identified phase'), for the catalog (the
metrics page's reasons a figure is missing, render/metrics.py)."""

STATUS_IN_A_SENTENCE = {
    "operational": NP_("component status, inside a sentence", "operational"),
    "under_maintenance": NP_("component status, inside a sentence", "under maintenance"),
    "degraded_performance": NP_("component status, inside a sentence", "degraded performance"),
    "partial_outage": NP_("component status, inside a sentence", "partial outage"),
    "major_outage": NP_("component status, inside a sentence", "major outage"),
}
"""A component status as a sentence names it ("Checkout: partial outage"): a language that does
not lower-case its nouns there translates these (msgctxt "component status, inside a sentence")."""

POSTMORTEM_CAUSE_WORDS = {
    "config-change": NP_("postmortem cause", "config-change"),
    "deploy": NP_("postmortem cause", "deploy"),
    "software-bug": NP_("postmortem cause", "software-bug"),
    "capacity": NP_("postmortem cause", "capacity"),
    "dependency": NP_("postmortem cause", "dependency"),
    "infrastructure": NP_("postmortem cause", "infrastructure"),
    "network": NP_("postmortem cause", "network"),
    "security": NP_("postmortem cause", "security"),
    "other": NP_("postmortem cause", "other"),
}
"""The default cause categories (source/spec.py), for the catalog: pages show a cause as
pgettext("postmortem cause", id), so a site's own categories show as written and the defaults
in its language."""
