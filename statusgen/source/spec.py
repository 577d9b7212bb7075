"""The input format, declared once: every field of statusgen.yml and of update front matter.

The validators in config.py and content.py read fields through these declarations (names,
kinds, allowed values, ranges, lengths), and `statusgen schema` turns the same declarations
into JSON Schema, so the schema an editor checks against cannot drift from what a build
accepts. Rules that span several files (the first update carries the title, no two updates
share a time) are the validators' alone; the schema states them in descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..model import INCIDENT_PHASES, MAINTENANCE_PHASES, REPORTED_BY, SEVERITIES, STATUSES

ID_REGEX = r"^[a-z0-9][a-z0-9-]*$"
_DATE = r"(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_CLOCK = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{3}|\.\d{6})?)?"
TIMESTAMP_REGEX = rf"^{_DATE}[Tt ]{_CLOCK}([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
"""ISO 8601 date and time with a zone, years 1970-2999: the shape `parse_timestamp` accepts.
(A regular expression cannot know that 30 February does not exist; the validator does.)"""

BASE_URL_REGEX = r"^https?://[^\s/?#\\]+(/[^\s?#\\]*)?$"
"""An absolute http(s) address without query or fragment."""
LINK_REGEX = (r"^(https?://[^\s/?#\\]+[^\s\\]*"
              r"|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)(?!([^?#]*/)?\.\.(/|$|[?#]))[^\s\\]+)$")
"""An http(s) address, or a path on this site (no scheme, no '//' host, no '..' segments)."""

INCIDENT_STATUSES = tuple(s for s in STATUSES if s != "under_maintenance")

SEVERITY_ALIASES = {
    **{f"sev{n}": f"sev{n}" for n in range(1, 5)},
    **{f"sev-{n}": f"sev{n}" for n in range(1, 5)},
    **{f"sev {n}": f"sev{n}" for n in range(1, 5)},
    **{f"p{n}": f"sev{n}" for n in range(1, 5)},
}
"""Lower-cased spellings teams use for the same four levels (SEV-1, sev-1, P1, ...)."""


@dataclass(frozen=True)
class Field:
    """One field: what it holds and what is allowed."""

    name: str
    kind: str
    """text | id | timestamp | choice | integer | boolean | link | url | mapping | list."""
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Other spellings accepted (compared lower-cased) and what they mean."""
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    fields: tuple["Field", ...] = ()
    """For a mapping with fixed keys: its fields."""
    items: "Field | None" = None
    """For a list, or a mapping with free keys (component id → status): each value."""


@dataclass(frozen=True)
class Section:
    """A YAML mapping with a fixed set of fields."""

    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def __getitem__(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _timestamp(name: str, description: str, required: bool = False) -> Field:
    return Field(name, "timestamp", description + " ISO 8601 with a zone, like 2026-11-20T14:05:00Z.",
                 required=required)


COMPONENT = Section("component", "A service customers depend on.", (
    Field("id", "id", "Stable identifier used in content files.", required=True, max_length=100),
    Field("name", "text", "What visitors see.", required=True, max_length=200),
    Field("group", "text", "Optional heading the component is listed under.", max_length=200),
    Field("description", "text", "Optional one-liner shown under the name.", max_length=1000),
))

CADENCE = Section("cadence", "Longest gap between updates while an incident is open, in minutes, per severity.",
                  tuple(Field(level, "integer", f"Minutes for {level}.", minimum=1, maximum=7 * 24 * 60)
                        for level in SEVERITIES))

CONFIG = Section("statusgen.yml", "Configuration of a statusgen status site.", (
    Field("title", "text", "Site title, shown in the header, browser tab and feeds.", required=True, max_length=200),
    Field("base_url", "url", "Absolute address where the site is published; may carry a sub-path, "
                             "like https://acme.github.io/status/.", required=True, max_length=500),
    Field("description", "text", "One line shown under the title and in the feeds.", max_length=1000),
    Field("timezone", "text", "IANA time zone for displayed times, like Europe/Berlin. Default UTC.",
          max_length=100),
    Field("components", "list", "The services customers depend on, in display order. At least one.",
          required=True, items=Field("component", "mapping", COMPONENT.description, fields=COMPONENT.fields)),
    Field("history_days", "integer", "Days covered by the history bars. Default 90.", minimum=1, maximum=3650),
    Field("feed_limit", "integer", "Newest updates per feed. Default 50.", minimum=1, maximum=10000),
    Field("theme", "text", "A folder in the site whose templates/ and assets/ override the default theme.",
          max_length=500),
    Field("cadence", "mapping", CADENCE.description, fields=CADENCE.fields),
    Field("postmortem_due_days", "integer", "Days after which a resolved SEV-1/SEV-2 should link a "
                                            "postmortem (statusgen check). Default 5.", minimum=0, maximum=365),
    Field("metrics", "boolean", "Publish a metrics page (metrics/index.html, linked from the nav) with "
                                "MTTA, MTTR, incidents per month and update discipline. Default false."),
))

INCIDENT_UPDATE = Section("incident update", "Front matter of one incident update "
                          "(content/incidents/<incident-id>/<name>.md).", (
    _timestamp("at", "When the update was published.", required=True),
    Field("phase", "choice", "Where the incident stands.", required=True, choices=INCIDENT_PHASES),
    Field("severity", "choice", "Required on the first update (the earliest `at`); later updates may "
                                "change it. SEV-1, sev-1 and P1 are accepted too.",
          choices=SEVERITIES, aliases=SEVERITY_ALIASES),
    Field("title", "text", "What customers see. Required on the first update; later updates may change it.",
          max_length=300),
    Field("components", "mapping", "Components this update is about, each with its status as of this update.",
          items=Field("status", "choice", "The component's status.", choices=INCIDENT_STATUSES)),
    _timestamp("next_update", "When the next update is promised; required unless phase is resolved, "
                              "and later than `at`."),
    _timestamp("detected_at", "When the problem was detected (for MTTA/MTTR)."),
    _timestamp("started_at", "When the problem began (for MTTD)."),
    Field("postmortem", "link", "Link to the postmortem: an http(s) address or a path on this site.",
          max_length=2000),
    Field("reported_by", "choice", "Who noticed first.", choices=REPORTED_BY),
))

WINDOW = Section("window", "When the maintenance runs.", (
    _timestamp("start", "Start of the window.", required=True),
    _timestamp("end", "End of the window; later than start.", required=True),
))

MAINTENANCE_UPDATE = Section("maintenance update", "Front matter of one maintenance update "
                             "(content/maintenance/<id>/<name>.md).", (
    _timestamp("at", "When the update was published.", required=True),
    Field("phase", "choice", "Where the maintenance stands.", required=True, choices=MAINTENANCE_PHASES),
    Field("title", "text", "Required on the first update.", max_length=300),
    Field("window", "mapping", "Required on the first update. " + WINDOW.description, fields=WINDOW.fields),
    Field("components", "list", "Required on the first update: ids of the affected components.",
          items=Field("component", "id", "A component id from statusgen.yml.", max_length=100)),
    _timestamp("next_update", "When the next update is promised (optional); later than `at`."),
))
