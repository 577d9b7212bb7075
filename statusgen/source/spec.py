"""The input format, declared once: every field of statusgen.yml and of update front matter.

Each field is declared as one line of a small kind (Text, Integer, Choice, ...) that knows how
to read itself from a FieldReader and carries its default. The validators read fields through
these declarations, the SiteConfig is filled from them, and `statusgen schema` turns the same
declarations into JSON Schema (the "Default N." of a description included), so the schema an
editor checks against cannot drift from what a build accepts. Rules that span several files
(the first update carries the title, no two updates share a time) are the validators' alone;
the schema states them in descriptions.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Any, ClassVar, Iterable, Mapping as MappingType, Protocol

from ..vocabulary import (INCIDENT_PHASES, INCIDENT_STATUSES, MAINTENANCE_PHASES, REPORTED_BY,
                          SEVERITIES, SEVERITY_ALIASES, SEVERITY_HINTS)



class FieldReader(Protocol):
    """What a field kind asks of the reader of one YAML mapping (fields.FieldReader is the one):
    each method reads one key, records any mistake as a Problem, and returns None for an absent
    or bad value. Declared here, not imported, so that fields.py may import the declarations."""

    def text(self, key: str, required: bool = False, max_length: int = 500) -> str | None: ...
    def identifier(self, key: str, required: bool = False) -> str | None: ...
    def choice(self, key: str, allowed: Iterable[str], required: bool = False, why: str = "",
               aliases: MappingType[str, str] | None = None,
               hints: MappingType[str, str] | None = None) -> str | None: ...
    def integer(self, key: str, minimum: int, maximum: int) -> int | None: ...
    def number(self, key: str, minimum: float, maximum: float) -> float | None: ...
    def boolean(self, key: str) -> bool | None: ...
    def timestamp(self, key: str, required: bool = False, why: str = "") -> Any: ...
    def day(self, key: str, required: bool = False) -> Any: ...
    def mapping_of(self, key: str, required: bool = False, why: str = "") -> Any: ...
    def list_of(self, key: str, required: bool = False, why: str = "") -> Any: ...

ID_REGEX = r"^[a-z0-9][a-z0-9-]*$"

DEFAULT_POSTMORTEM_CAUSES = ("config-change", "deploy", "software-bug", "capacity", "dependency",
                             "infrastructure", "network", "security", "other")
"""The cause categories a site has unless statusgen.yml's `postmortem_causes` says otherwise."""
_DATE = r"(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_CLOCK = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{3}|\.\d{6})?)?"
TIMESTAMP_REGEX = rf"^{_DATE}[Tt ]{_CLOCK}([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
DATE_REGEX = rf"^{_DATE}$"
"""A calendar date, like 2026-12-15 (an action item's `due`)."""
"""ISO 8601 date and time with a zone, years 1970-2999: the shape `parse_timestamp` accepts.
(A regular expression cannot know that 30 February does not exist; the validator does.)"""

BASE_URL_REGEX = r"^https?://[^\s/?#\\]+(/[^\s?#\\]*)?$"
"""An absolute http(s) address without query or fragment."""
WEB_URL_REGEX = r"^https?://[^\s/?#\\]+([/?#][^\s\\]*)?$"
"""An absolute http(s) address, query and fragment allowed (a sign-up page's)."""
LINK_REGEX = (r"^(https?://[^\s/?#\\]+[^\s\\]*"
              r"|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)(?![^?#]*%5[cC])"
              r"(?!([^?#]*(/|%2[fF]))?(\.|%2[eE]){2}(/|%2[fF]|$|[?#]))[^\s\\]+)$")
"""An http(s) address, or a path on this site (no scheme, no '//' host, no '..' segments, also
none spelled with percent-encoding like %2e%2e). links.is_link applies it and decodes fully."""


# --- field kinds ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One field: its name, what it says, whether it is required and what it is when absent.

    Each kind below reads itself (`read`) through a FieldReader, which records every mistake
    as a Problem and returns None for an absent or bad value; `FieldReader.read` then stands
    the default in.
    """

    kind: ClassVar[str]
    """The kind's name, as the JSON Schema generator knows it."""
    name: str
    prose: str
    """The description as written; `description` adds the default."""
    _: KW_ONLY
    required: bool = False
    default: Any = None
    """The value of the field when it is not given (None: no value)."""
    describe_default: bool = True
    """Whether `description` ends with "Default <default>."."""

    @property
    def description(self) -> str:
        """What the field holds, as the JSON Schema and the README say it."""
        if self.default is None or not self.describe_default:
            return self.prose
        shown = str(self.default).lower() if isinstance(self.default, bool) else str(self.default)
        return f"{self.prose} Default {shown}."

    def read(self, reader: FieldReader, **options: Any) -> Any:
        raise NotImplementedError(f"{self.name}: a {self.kind} field is read by its own function")


@dataclass(frozen=True)
class Text(Field):
    kind: ClassVar[str] = "text"
    _: KW_ONLY
    max_length: int | None = None

    def read(self, reader: FieldReader, **options: Any) -> str | None:
        return reader.text(self.name, required=self.required, max_length=self.max_length or 500)


@dataclass(frozen=True)
class Link(Text):
    """An http(s) address or a path on this site."""

    kind: ClassVar[str] = "link"


@dataclass(frozen=True)
class Url(Text):
    """An absolute http(s) address."""

    kind: ClassVar[str] = "url"
    _: KW_ONLY
    query: bool = False
    """Whether a ?query and #fragment are allowed (not in base_url; in a sign-up page's address)."""


@dataclass(frozen=True)
class Identifier(Field):
    kind: ClassVar[str] = "id"
    _: KW_ONLY
    max_length: int | None = None

    def read(self, reader: FieldReader, **options: Any) -> str | None:
        return reader.identifier(self.name, required=self.required)


@dataclass(frozen=True)
class Timestamp(Field):
    kind: ClassVar[str] = "timestamp"

    @property
    def description(self) -> str:
        return super().description + " ISO 8601 with a zone, like 2026-11-20T14:05:00Z."

    def read(self, reader: FieldReader, **options: Any) -> Any:
        return reader.timestamp(self.name, required=self.required, **options)


@dataclass(frozen=True)
class Day(Field):
    """A calendar date without a time, like 2026-12-15."""

    kind: ClassVar[str] = "date"

    @property
    def description(self) -> str:
        return super().description + " A date like 2026-12-15."

    def read(self, reader: FieldReader, **options: Any) -> Any:
        return reader.day(self.name, required=self.required)


@dataclass(frozen=True)
class Choice(Field):
    kind: ClassVar[str] = "choice"
    _: KW_ONLY
    choices: tuple[str, ...] = ()
    aliases: MappingType[str, str] = field(default_factory=dict)
    """Other spellings accepted (compared lower-cased) and what they mean."""
    hints: MappingType[str, str] = field(default_factory=dict)
    """Words not accepted, but suggested in the message (lower-cased → the value meant)."""

    def read(self, reader: FieldReader, **options: Any) -> str | None:
        return reader.choice(self.name, self.choices, required=self.required, aliases=self.aliases or None,
                             hints=self.hints or None, **options)


@dataclass(frozen=True)
class Integer(Field):
    kind: ClassVar[str] = "integer"
    _: KW_ONLY
    minimum: int = 0
    maximum: int = 0

    def read(self, reader: FieldReader, **options: Any) -> int | None:
        return reader.integer(self.name, self.minimum, self.maximum)


@dataclass(frozen=True)
class Number(Field):
    """A number, whole or with decimals, between `minimum` and `maximum`."""

    kind: ClassVar[str] = "number"
    _: KW_ONLY
    minimum: float = 0
    maximum: float = 0

    def read(self, reader: FieldReader, **options: Any) -> float | None:
        return reader.number(self.name, self.minimum, self.maximum)


@dataclass(frozen=True)
class Boolean(Field):
    kind: ClassVar[str] = "boolean"

    def read(self, reader: FieldReader, **options: Any) -> bool | None:
        return reader.boolean(self.name)


@dataclass(frozen=True)
class Mapping(Field):
    """A mapping with fixed keys (`fields`), or with free keys (component id → `items`)."""

    kind: ClassVar[str] = "mapping"
    _: KW_ONLY
    fields: tuple[Field, ...] = ()
    items: Field | None = None

    def read(self, reader: FieldReader, **options: Any) -> Any:
        return reader.mapping_of(self.name, required=self.required, **options)


@dataclass(frozen=True)
class List(Field):
    kind: ClassVar[str] = "list"
    _: KW_ONLY
    items: Field | None = None

    def read(self, reader: FieldReader, **options: Any) -> Any:
        return reader.list_of(self.name, required=self.required, **options)


@dataclass(frozen=True)
class Section:
    """A YAML mapping with a fixed set of fields."""

    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def defaults(self) -> dict[str, Any]:
        """Each field's default (None for fields without one)."""
        return {f.name: f.default for f in self.fields}

    def __getitem__(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


# --- the declarations ----------------------------------------------------------------------------

COMPONENT = Section("component", "A service customers depend on.", (
    Identifier("id", "Stable identifier used in content files.", required=True, max_length=100),
    Text("name", "What visitors see.", required=True, max_length=200),
    Text("group", "Optional heading the component is listed under.", max_length=200),
    Text("description", "Optional one-liner shown under the name.", max_length=1000),
))

def _minutes(level: str, default: int) -> Integer:
    return Integer(level, f"Minutes for {level}.", default=default, describe_default=False,
                   minimum=1, maximum=7 * 24 * 60)


CADENCE = Section("cadence", "Longest gap between updates while an incident is open, in minutes, per severity.", (
    # domain.md's upper bounds: every 15-30 min, 30-60 min, every few hours, about daily.
    _minutes("sev1", 30),
    _minutes("sev2", 60),
    _minutes("sev3", 180),
    _minutes("sev4", 1440),
))
DEFAULT_CADENCE_MINUTES: MappingType[str, int] = CADENCE.defaults
"""The longest gap between updates each severity allows while open, unless statusgen.yml says."""

def _weight(status: str, default: float) -> Number:
    return Number(status, f"Share of the time in {status} that counts as down, 0 to 1.", default=default,
                  minimum=0, maximum=1)


UPTIME_WEIGHTS = Section("uptime weights", "How much of the time in each status counts as down, 0 (up) to 1 "
                         "(down); operational time is always up.", (
    _weight("major_outage", 1),
    _weight("partial_outage", 0.3),  # Statuspage's and Instatus's rule
    _weight("degraded_performance", 0),
))

UPTIME = Section("uptime", "How the uptime percentages (over the last history_days days) count each status.", (
    Mapping("weights", UPTIME_WEIGHTS.description, fields=UPTIME_WEIGHTS.fields),
    Boolean("maintenance_counts_as_down", "Whether time under maintenance counts as down; otherwise "
                                          "it counts as up.", default=False),
))

SUBSCRIBE = Section("subscribe channel", "Another way to follow the status (a chat community, a mailing "
                    "list), listed under Get updates with the feeds, calendar, API and badge.", (
    Text("label", "The link's text, like Acme community on Slack: plain text on one line.", required=True,
         max_length=100),
    Url("url", "Where the link leads: an absolute http:// or https:// address.", required=True,
        max_length=2000, query=True),
))

ALERT_SEVERITY_DOC = "SEV-1, sev-1 and P1 are accepted too."
ALERT_STATUSES = tuple(s for s in INCIDENT_STATUSES if s != "operational")
"""What an alert can say about a component: something is wrong with it."""

ALERT_RULE = Section("alert rule", "Which alerts this rule matches (`match` or `monitor`, not both) and what "
                     "the draft update says for them; the first rule that matches an alert wins.", (
    Mapping("match", "Labels an Alertmanager or Grafana alert must all carry with these values, like "
                     "{alertname: HighErrorRate, service: api}.", items=Text("label", "The label's value.",
                                                                             max_length=500)),
    Text("monitor", "The name of an Uptime Kuma monitor, a Gatus endpoint or an Upptime site (any case).",
         max_length=500),
    List("components", "Ids of the components the matched alerts affect. At least one.", required=True,
         items=Identifier("component", "A component id from statusgen.yml.", max_length=100)),
    Choice("severity", "The draft's severity for these alerts (the most severe of all matched rules wins). "
                       + ALERT_SEVERITY_DOC, choices=SEVERITIES, aliases=SEVERITY_ALIASES, hints=SEVERITY_HINTS),
    Choice("status", "The status of these components in the draft.", choices=ALERT_STATUSES),
    Text("title", "The draft's title when this rule matches (words for customers, not the alert's name).",
         max_length=300),
))

ALERTS = Section("alerts", "How `statusgen new incident --from-alert` turns a monitoring alert into a draft "
                 "acknowledgement.", (
    List("rules", "The rules, tried in order for each alert.", required=True,
         items=Mapping("rule", ALERT_RULE.description, fields=ALERT_RULE.fields)),
    Choice("severity", "Severity when no matched rule gives one (over-classify, then downgrade). "
                       + ALERT_SEVERITY_DOC, default="sev2", choices=SEVERITIES, aliases=SEVERITY_ALIASES,
           hints=SEVERITY_HINTS),
    Choice("status", "Component status when no matched rule gives one.", default="partial_outage",
           choices=ALERT_STATUSES),
))

NOTIFY_TARGET = Section("notify target", "Which updates one labelled notification target gets. Its address "
                        "(an apprise URL, which holds a secret) is never written here: it is read from the "
                        "environment variable STATUSGEN_NOTIFY_<LABEL> (upper case, - as _).", (
    List("components", "Only updates about these component ids (of an incident, the components it "
                       "affects; of a maintenance, its components). Default: every component.",
         items=Identifier("component", "A component id from statusgen.yml.", max_length=100)),
    Choice("min_severity", "Only incidents at least this severe: sev2 sends SEV-1 and SEV-2. Default: every "
                           "severity.", choices=SEVERITIES, aliases=SEVERITY_ALIASES, hints=SEVERITY_HINTS),
    Boolean("maintenance", "Whether maintenance updates are sent too.", default=True),
))

CONFIG = Section("statusgen.yml", "Configuration of a statusgen status site.", (
    Text("title", "Site title, shown in the header, browser tab and feeds.", required=True, max_length=200),
    Url("base_url", "Absolute address where the site is published; may carry a sub-path, "
                    "like https://acme.github.io/status/.", required=True, max_length=500),
    Text("description", "One line shown under the title and in the feeds.", max_length=1000),
    Text("timezone", "IANA time zone for displayed times, like Europe/Berlin.", default="UTC", max_length=100),
    Text("language", "The language readers get: a BCP 47 tag, like de, pt-BR or ar. statusgen ships ar, de, en, "
                     "es, fr, ja and pt-BR; locale/<tag>.po in the site adds or overrides strings.",
         default="en", max_length=35),
    List("components", "The services customers depend on, in display order. At least one.",
         required=True, items=Mapping("component", COMPONENT.description, fields=COMPONENT.fields)),
    Integer("history_days", "Days covered by the history bars.", default=90, minimum=1, maximum=3650),
    Integer("feed_limit", "Newest updates per feed.", default=50, minimum=1, maximum=10000),
    Text("theme", "A folder in the site whose templates/ and assets/ override the default theme.",
         max_length=500),
    Mapping("cadence", CADENCE.description, fields=CADENCE.fields),
    Integer("postmortem_due_days", "Days after which a resolved SEV-1/SEV-2 should link a "
                                   "postmortem (statusgen check).", default=5, minimum=0, maximum=365),
    List("postmortem_causes", "The categories a postmortem's `cause` may name (short ids), so repeat "
                              "incidents can be counted. Default " + ", ".join(DEFAULT_POSTMORTEM_CAUSES) + ".",
         default=DEFAULT_POSTMORTEM_CAUSES, describe_default=False,
         items=Identifier("cause", "A cause category, like config-change.", max_length=100)),
    Integer("repeat_window_days", "Days within which an incident whose postmortem names the same cause "
                                  "as an earlier incident's counts as a repeat (stats, metrics page).",
            default=90, minimum=1, maximum=3650),
    Boolean("metrics", "Publish a metrics page (metrics/index.html, linked from the nav) with "
                       "MTTA, MTTR, incidents per month and update discipline.", default=False),
    List("subscribe", "Other channels to follow the status, listed under Get updates on the front page and "
                      "every component page.", default=(), describe_default=False,
         items=Mapping("channel", SUBSCRIBE.description, fields=SUBSCRIBE.fields)),
    Mapping("uptime", UPTIME.description, fields=UPTIME.fields),
    Mapping("alerts", ALERTS.description, fields=ALERTS.fields),
    Mapping("notify", "Labelled targets of `statusgen notify`, each with its filters: label (an id, like "
                      "ops-slack) → what it gets. Never a URL: each target's URL comes from the environment "
                      "variable STATUSGEN_NOTIFY_<LABEL>.", default=(), describe_default=False,
            items=Mapping("target", NOTIFY_TARGET.description, fields=NOTIFY_TARGET.fields)),
))

INCIDENT_UPDATE = Section("incident update", "Front matter of one incident update "
                          "(content/incidents/<incident-id>/<name>.md).", (
    Timestamp("at", "When the update was published.", required=True),
    Choice("phase", "Where the incident stands.", required=True, choices=INCIDENT_PHASES),
    Choice("severity", "Required on the first update (the earliest `at`); later updates may "
                       "change it. SEV-1, sev-1 and P1 are accepted too.",
           choices=SEVERITIES, aliases=SEVERITY_ALIASES, hints=SEVERITY_HINTS),
    Text("title", "What customers see. Required on the first update; later updates may change it.",
         max_length=300),
    Mapping("components", "Components this update is about, each with its status as of this update.",
            items=Choice("status", "The component's status.", choices=INCIDENT_STATUSES)),
    Timestamp("next_update", "When the next update is promised; required unless phase is resolved, "
                             "and later than `at`."),
    Timestamp("detected_at", "When the problem was detected (for MTTA/MTTR)."),
    Timestamp("started_at", "When the problem began (for MTTD)."),
    Link("postmortem", "Link to the postmortem: an http(s) address or a path on this site.", max_length=2000),
    Choice("reported_by", "Who noticed first.", choices=REPORTED_BY),
))

ACTION_ITEM = Section("action item", "One thing the team will do so the incident does not happen again.", (
    Text("title", "What will be done, in a line.", required=True, max_length=300),
    Text("owner", "Who owns it: a team or a role (not a person), like payments-team or on-call SRE.",
         required=True, max_length=100),
    Day("due", "When it is due.", required=True),
    Boolean("done", "Whether it is done.", default=False),
))

POSTMORTEM = Section("postmortem", "Front matter of an incident's postmortem "
                     "(content/incidents/<incident-id>/postmortem.md); the body holds the narrative.", (
    Timestamp("published_at", "When the postmortem was published; not before the incident was resolved.",
              required=True),
    Text("summary", "What happened, in one paragraph.", required=True, max_length=3000),
    Text("impact", "Who was affected, how and for how long, in words.", required=True, max_length=3000),
    Text("root_cause", "Why it happened.", required=True, max_length=5000),
    Identifier("cause", "The cause's category: one of statusgen.yml's postmortem_causes.", required=True,
               max_length=100),
    List("action_items", "What the team will do, each with an owner and a due date.", default=(),
         describe_default=False, items=Mapping("action item", ACTION_ITEM.description, fields=ACTION_ITEM.fields)),
))

WINDOW = Section("window", "When the maintenance runs.", (
    Timestamp("start", "Start of the window.", required=True),
    Timestamp("end", "End of the window; later than start.", required=True),
))

MAINTENANCE_UPDATE = Section("maintenance update", "Front matter of one maintenance update "
                             "(content/maintenance/<id>/<name>.md).", (
    Timestamp("at", "When the update was published.", required=True),
    Choice("phase", "Where the maintenance stands.", required=True, choices=MAINTENANCE_PHASES),
    Text("title", "Required on the first update.", max_length=300),
    Mapping("window", "Required on the first update. " + WINDOW.description, fields=WINDOW.fields),
    List("components", "Required on the first update: ids of the affected components.",
         items=Identifier("component", "A component id from statusgen.yml.", max_length=100)),
    Timestamp("next_update", "When the next update is promised (optional); later than `at`."),
))
