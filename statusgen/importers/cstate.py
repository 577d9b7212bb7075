"""`statusgen import cstate`: a cState (Hugo) status site → a statusgen site.

Reads the site's config (`config.yml`, also `config.yaml`, `hugo.yml`/`.yaml` and, with Python
3.11+, `config.toml`/`hugo.toml`) for its title, `baseURL`, `params.description` and the system
list (`params.systems`, or a top-level `systems`: name, category, description), and every
incident file `content/issues/*.md`: YAML front matter with `title`, `date`, `resolved`,
`resolvedWhen`, `severity`, `affected` (system names), `informational`, `section`, `draft`.

Mapping (README, "Moving from cState or Statuspage"):

- each system becomes a component: its name as a slug for id, its category as group (none for
  an `untitled` category), its description;
- each issue becomes one incident, id `<date>-<title as a slug>`: one `investigating` update at
  `date` with the whole text, and when `resolved: true` a `resolved` update at `resolvedWhen`;
- severity: down → sev1 (affected systems major_outage), disrupted → sev2 (partial_outage),
  notice → sev4 (systems named, but operational: a notice is an announcement, not an outage);
  a missing or unknown severity → sev3 (degraded_performance);
- `informational: true` posts become one `resolved` SEV-4 update (statusgen has no
  announcements that are not incidents);
- cState dates carry no zone and are UTC (cState's own rule); `{{< track "..." >}}` time stamps
  in the text become plain text "(25 May 2018, 05:54 UTC)";
- cState has no promised next-update times: the first update of an incident gets `next_update`
  one cadence of its severity after `date` (statusgen.yml's `cadence`, by default 30/60/180/1440
  minutes).

Not mapped (each is reported): drafts (skipped), other Hugo shortcodes (kept as text), unknown
affected systems (left out), and fields statusgen has no use for (`pin`, `id`, `automated`, ...).
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..source.config import CONFIG_FILE
from ..model import SiteConfig
from ..source.fields import EARLIEST_YEAR, LATEST_YEAR
from ..source.links import is_web_address
from ..source.spec import BASE_URL_REGEX
from ..problems import ImportFailed
from .inputs import display_name, load_yaml, plain_text, read_text, scalar_text
from .plan import (PLACEHOLDER_BASE_URL, ComponentMapper, ImportedIncident, ImportedUpdate,
                     ImportPlan, Note, SiteDraft, incident_id, promise_after)

CONFIG_NAMES = ("config.yml", "config.yaml", "hugo.yml", "hugo.yaml", "config.toml", "hugo.toml")
ISSUES_DIR = "content/issues"

SEVERITIES = {"down": ("sev1", "major_outage"), "disrupted": ("sev2", "partial_outage"),
              "notice": ("sev4", "operational")}
"""cState severity → (statusgen severity, status of the affected systems)."""
UNKNOWN_SEVERITY = ("sev3", "degraded_performance")

KNOWN_FIELDS = {"title", "date", "resolved", "resolvedWhen", "severity", "affected", "informational",
                "section", "draft"}

_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"([^\"]*)\"\s*[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w-]+)")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                 "%d %b %y %H:%M %z", "%d %b %Y %H:%M %z", "%Y-%m-%d")


def plan_cstate(cstate_dir: Path, config: SiteConfig | None) -> ImportPlan:
    """Read the cState site; describe the site it becomes, with a note on whatever did not map."""
    if not cstate_dir.is_dir():
        raise ImportFailed([f"{display_name(cstate_dir)} is not a folder (give the cState site's folder)"])
    config_name, settings = _read_config(cstate_dir)
    notes: list[Note] = []
    mapper = ComponentMapper(config.components if config is not None else ())
    params = settings.get("params") if isinstance(settings.get("params"), dict) else {}
    _systems(params.get("systems", settings.get("systems")), params.get("categories"), config_name, mapper, notes)
    site = _site(settings, params, config_name, notes, config)

    issues_dir = cstate_dir / ISSUES_DIR
    if not issues_dir.is_dir():
        raise ImportFailed([f"{display_name(cstate_dir)}: has no {ISSUES_DIR}/ folder; is it a cState site?"])
    taken: set[str] = set()
    incidents = []
    for path in sorted(issues_dir.rglob("*.md")):
        relative = path.relative_to(issues_dir)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        shown = display_name(f"{ISSUES_DIR}/{relative.as_posix()}")
        incident = _issue(path, shown, mapper, taken, notes, config)
        if incident is not None:
            incidents.append(incident)
    return ImportPlan(site, mapper.components, incidents, notes)


def _read_config(cstate_dir: Path) -> tuple[str, dict]:
    for name in CONFIG_NAMES:
        path = cstate_dir / name
        if not os.path.lexists(path):
            continue
        shown = display_name(path)
        text = read_text(path, shown)
        data, why_not = _parse_settings(text, toml=name.endswith(".toml"))
        if why_not is not None:
            raise ImportFailed([f"{shown}: cannot be read: {why_not}"])
        if not isinstance(data, dict):
            raise ImportFailed([f"{shown}: is not a mapping of settings"])
        return name, data
    raise ImportFailed([f"{display_name(cstate_dir)}: no cState config found (looked for {', '.join(CONFIG_NAMES)})"])


def _parse_settings(text: str, toml: bool) -> tuple[Any, str | None]:
    """(the YAML or TOML document in `text`, None), or (None, why it cannot be read)."""
    if not toml:
        return load_yaml(text)
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        return None, "TOML needs Python 3.11 or newer; convert it to YAML"
    try:
        return tomllib.loads(text), None
    except RecursionError:
        return None, "nesting too deep"
    except (tomllib.TOMLDecodeError, ValueError) as error:
        return None, str(error)


def _systems(systems: object, categories: object, origin: str, mapper: ComponentMapper, notes: list[Note]) -> None:
    if not isinstance(systems, list) or not systems:
        notes.append(Note(origin, "has no params.systems list; components come from the issues' affected systems"))
        return
    categories = categories if isinstance(categories, list) else []
    untitled = {scalar_text(c.get("name")) for c in categories if isinstance(c, dict) and c.get("untitled")}
    for index, system in enumerate(systems):
        where = f"{origin}: systems[{index}]"
        name = plain_text(system.get("name"), where, "name", notes, one_line=True) if isinstance(system, dict) else ""
        if not name:
            notes.append(Note(origin, f"systems[{index}] has no name; not imported"))
            continue
        category = scalar_text(system.get("category"))
        group = (None if category is None or category in untitled
                 else plain_text(category, where, "category", notes, one_line=True) or None)
        mapper.id_for(name, group=group, description=plain_text(system.get("description"), where, "description",
                                                                  notes) or None)
        ignored = sorted(repr(k) if not isinstance(k, str) else k for k in set(system) - {"name", "category", "description"})
        if ignored:
            notes.append(Note(origin, f"system {name!r}: {', '.join(ignored)} not mapped "
                                      f"(statusgen components have id, name, group and description)"))


def _site(settings: dict, params: dict, origin: str, notes: list[Note], config: SiteConfig | None) -> SiteDraft:
    url = (scalar_text(settings.get("baseURL") or settings.get("baseurl") or settings.get("baseUrl")) or "").strip()
    if not re.match(BASE_URL_REGEX, url) or not is_web_address(url):  # 'https://[x/' matches the pattern
        if config is None:
            notes.append(Note(origin, f"baseURL {url!r} is not an http(s) address; base_url in {CONFIG_FILE} is "
                                      f"{PLACEHOLDER_BASE_URL}: set it to your page's address"))
        url = PLACEHOLDER_BASE_URL
    title = plain_text(settings.get("title"), origin, "title", notes, one_line=True) or "Status"
    description = " ".join(plain_text(params.get("description"), origin, "params.description", notes).split())
    return SiteDraft(title=title[:200], base_url=url, description=description[:1000] or None, origin=origin)


def _front_matter(text: str) -> tuple[dict | None, str, str | None]:
    """(front matter, body, why not) for a Hugo content file with YAML or TOML front matter."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return None, "", "has no front matter (--- or +++ block) at the top"
    end = next((n for n in range(1, len(lines)) if lines[n].strip() == fence), None)
    if end is None:
        return None, "", f"front matter is not closed with {fence}"
    # The fence line stays as an empty line, so YAML's line numbers are the file's.
    data, why_not = _parse_settings("\n".join(["", *lines[1:end]]), toml=fence == "+++")
    if why_not is not None:
        return None, "", f"front matter cannot be read: {why_not}"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, "", "front matter is not a mapping of fields"
    return data, "\n".join(lines[end + 1:]).strip("\n"), None


def parse_when(value: object) -> tuple[datetime | None, bool]:
    """(the moment as UTC, whether a zone was assumed) for a cState date; (None, False) if unreadable.

    cState writes `2018-05-25 04:13:00` (UTC by its own rule), `2024-12-27T09:43:40.482Z`, or
    quoted strings; YAML may already have turned them into datetimes.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        moment = None
        try:
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "zZ" else text)
        except ValueError:
            for pattern in _DATE_FORMATS:
                try:
                    moment = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
        if moment is None:
            return None, False
    else:
        return None, False
    assumed = moment.tzinfo is None or moment.utcoffset() is None
    try:
        moment = moment.replace(tzinfo=timezone.utc) if assumed else moment.astimezone(timezone.utc)
    except OverflowError:  # an offset that takes year 1 or 9999 out of range
        return None, False
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        return None, False
    return moment, assumed


def _plain_time(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}, {moment:%H:%M} UTC"


def convert_body(body: str) -> tuple[str, list[datetime], list[str]]:
    """(Markdown, the times of its track shortcodes, names of other shortcodes kept as text)."""
    times: list[datetime] = []

    def track(match: re.Match) -> str:
        moment, _ = parse_when(match.group(1))
        if moment is None:
            return f"({match.group(1)})"
        times.append(moment)
        return f"({_plain_time(moment)})"

    converted = _TRACK.sub(track, body)
    others = sorted(set(_SHORTCODE.findall(converted)))
    return converted, times, others


def _issue(path: Path, shown: str, mapper: ComponentMapper, taken: set[str], notes: list[Note],
           config: SiteConfig | None) -> ImportedIncident | None:
    try:
        text = plain_text(read_text(path, shown), shown, "text", notes)
    except ImportFailed as error:
        notes.append(Note(shown, f"{'; '.join(m.removeprefix(shown + ': ') for m in error.messages)}; not imported"))
        return None
    fields, body, why_not = _front_matter(text)
    if fields is None:
        notes.append(Note(shown, f"{why_not}; not imported"))
        return None
    if fields.get("draft") is True:
        notes.append(Note(shown, "is a draft; not imported"))
        return None
    title = plain_text(fields.get("title"), shown, "title", notes, one_line=True)
    started, assumed = parse_when(fields.get("date"))
    if not title or started is None:
        notes.append(Note(shown, f"has no {'title' if not title else 'readable date'}; not imported"))
        return None
    if assumed:
        notes.append(Note(shown, "date has no time zone: taken as UTC, as cState expects"))

    informational = fields.get("informational") is True
    severity, status = _severity(fields, informational, shown, notes)
    components = _affected(fields, status, mapper, shown, notes)
    converted, track_times, shortcodes = convert_body(body)
    if shortcodes:
        notes.append(Note(shown, f"Hugo shortcode(s) {', '.join(shortcodes)} kept as text"))
    ignored = sorted(k if isinstance(k, str) else repr(k) for k in set(fields) - KNOWN_FIELDS)
    if ignored:
        notes.append(Note(shown, f"field(s) {', '.join(ignored)} not mapped"))

    new_id = incident_id(started, title, taken)
    first = ImportedUpdate(at=started, phase="investigating", body=converted, severity=severity,
                           title=title[:300], components=components)
    updates = [first]
    resolved_at = None if informational else _resolved_at(fields, started, track_times, shown, notes)
    if informational or (fields.get("resolved") is True and resolved_at is None):
        first.phase = "resolved"
    elif resolved_at is not None:
        first.next_update = promise_after(started, severity, config)
        updates.append(ImportedUpdate(at=resolved_at, phase="resolved", body="This incident has been resolved."))
    else:
        first.next_update = promise_after(started, severity, config)
        notes.append(Note(shown, f"still open in cState: imported open; post its resolution with "
                                 f"`statusgen new update {new_id} --phase resolved`"))
    return ImportedIncident(new_id, shown, updates)


def _severity(fields: dict, informational: bool, shown: str, notes: list[Note]) -> tuple[str, str]:
    """(statusgen severity, status of the affected systems) for an issue's `severity`."""
    raw_severity = fields.get("severity")
    spelled = (scalar_text(raw_severity) or "").strip().lower()
    severity, status = SEVERITIES.get(spelled, UNKNOWN_SEVERITY)
    if informational:
        severity, status = "sev4", "operational"
        notes.append(Note(shown, "informational post: imported as one resolved SEV-4 update"))
    elif raw_severity is None:
        notes.append(Note(shown, "has no severity; imported as sev3"))
    elif spelled not in SEVERITIES:
        notes.append(Note(shown, f"severity {raw_severity!r} is not down, disrupted or notice; imported as sev3"))
    return severity, status


def _affected(fields: dict, status: str, mapper: ComponentMapper, shown: str, notes: list[Note]) -> dict[str, str]:
    """{component id: `status`} for the systems an issue names in `affected`."""
    components: dict[str, str] = {}
    affected = fields.get("affected") or []
    if isinstance(affected, str):
        affected = [affected]
    for raw_name in affected if isinstance(affected, list) else []:
        name = plain_text(raw_name, shown, "affected", notes, one_line=True)
        if not name:
            continue
        known = {c.name.casefold(): c.id for c in mapper.components}
        if name.casefold() not in known:
            notes.append(Note(shown, f"affected system {name!r} is not in the config's systems; "
                                     f"added as a component"))
        components[mapper.id_for(name)] = status
    return components


def _resolved_at(fields: dict, started: datetime, track_times: list[datetime], shown: str,
                 notes: list[Note]) -> datetime | None:
    """When a (not informational) issue was resolved; None while open, or when its resolution
    time cannot be told (then it is imported as one resolved update)."""
    if fields.get("resolved") is not True:
        if fields.get("resolvedWhen"):
            notes.append(Note(shown, "has resolvedWhen but resolved is not true: imported as still open"))
        return None
    resolved_at, _ = parse_when(fields.get("resolvedWhen"))
    if resolved_at is None:
        later = [t for t in track_times if t > started]
        resolved_at = max(later) if later else None
        notes.append(Note(shown, "resolved without a readable resolvedWhen: " + (
            f"resolved at its latest tracked time, {_plain_time(resolved_at)}" if resolved_at
            else "imported as one resolved update")))
    elif resolved_at <= started:
        notes.append(Note(shown, "resolvedWhen is not after date: imported as one resolved update"))
        resolved_at = None
    return resolved_at
