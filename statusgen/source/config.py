"""statusgen.yml → a validated SiteConfig, with defaults applied."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .files import read_source_text
from .fields import FieldReader, suggest
from .located_yaml import LocatedMapping, load_mapping
from ..model import DEFAULT_CADENCE_MINUTES, Component, SiteConfig
from .spec import BASE_URL_REGEX, CADENCE, COMPONENT, CONFIG
from ..problems import Problem

CONFIG_FILE = "statusgen.yml"

CONFIG_FIELDS = CONFIG.names
COMPONENT_FIELDS = COMPONENT.names

DEFAULT_HISTORY_DAYS = 90
DEFAULT_POSTMORTEM_DUE_DAYS = 5

DEFAULT_FEED_LIMIT = 50


def load_config(source_dir: Path, problems: list[Problem]) -> SiteConfig | None:
    """Read and validate `statusgen.yml` in `source_dir`; None if it is unusable.

    Any mistake is recorded in `problems`, even when a config is returned (see parse_config).
    """
    path = source_dir / CONFIG_FILE
    if not path.is_file():
        problems.append(Problem(CONFIG_FILE, None, None,
                                f"not found in {source_dir}; run statusgen in your site's folder "
                                f"or pass --source DIR"))
        return None
    text = read_source_text(path, CONFIG_FILE, problems)
    if text is None:
        return None
    mapping = load_mapping(text, CONFIG_FILE, 1, problems)
    if mapping is None:
        return None
    return parse_config(mapping, problems)


def parse_config(mapping: LocatedMapping, problems: list[Problem]) -> SiteConfig | None:
    """Validate an already-parsed statusgen.yml mapping, recording every mistake in `problems`.

    Returns None when the config is unusable; a config may be returned along with problems,
    in which case it is only good for checking content (defaults stand in for bad values).
    """
    before = len(problems)
    fields = FieldReader(CONFIG_FILE, mapping, problems)
    fields.reject_unknown(CONFIG_FIELDS)
    title = fields.read(CONFIG["title"])
    base_url = _base_url(fields)
    description = fields.read(CONFIG["description"])
    zone_name = _timezone(fields)
    history_days = fields.read(CONFIG["history_days"])
    feed_limit = fields.read(CONFIG["feed_limit"])
    theme = fields.read(CONFIG["theme"])
    cadence = _cadence(fields)
    postmortem_due_days = fields.read(CONFIG["postmortem_due_days"])
    metrics = fields.read(CONFIG["metrics"])
    components = _components(fields)
    # A config with mistakes that do not change which components exist (an unknown key, a bad
    # timezone) is still good enough to check the content against, so one build reports the
    # mistakes in statusgen.yml and in the content together; the problems already recorded make
    # the build fail. Mistakes in components would make content errors up, so they stop here.
    component_problems = any((p.field or "").startswith("components") for p in problems[before:])
    if title is None or base_url is None or not components or component_problems:
        return None
    return SiteConfig(
        title=title,
        base_url=base_url,
        description=description,
        timezone=zone_name or "UTC",
        components=tuple(components),
        history_days=history_days or DEFAULT_HISTORY_DAYS,
        feed_limit=feed_limit or DEFAULT_FEED_LIMIT,
        theme=theme,
        cadence_minutes=cadence,
        postmortem_due_days=DEFAULT_POSTMORTEM_DUE_DAYS if postmortem_due_days is None else postmortem_due_days,
        metrics=bool(metrics),
    )


def _cadence(fields: FieldReader) -> dict[str, int]:
    """Minutes between updates per severity: the defaults of domain.md, overridable per level."""
    cadence = dict(DEFAULT_CADENCE_MINUTES)
    mapping = fields.mapping_of("cadence")
    if mapping is None:
        return cadence
    levels = FieldReader(fields.file, mapping, fields.problems, prefix="cadence.")
    levels.reject_unknown(CADENCE.names)
    for severity in CADENCE.names:
        minutes = levels.read(CADENCE[severity])
        if minutes is not None:
            cadence[severity] = minutes
    return cadence


def _base_url(fields: FieldReader) -> str | None:
    url = fields.read(CONFIG["base_url"])
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment \
            or not re.match(BASE_URL_REGEX, url):
        fields.error("base_url", f"base_url '{url}' must be an absolute http:// or https:// address "
                                 f"without ?query or #fragment, like https://acme.github.io/status/")
        return None
    return url if url.endswith("/") else url + "/"


def _timezone(fields: FieldReader) -> str | None:
    name = fields.read(CONFIG["timezone"])
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fields.error("timezone", f"timezone '{name}' is not an IANA time zone name like Europe/Berlin "
                                 f"or UTC{suggest(name, sorted(available_timezones()))}")
        return None
    return name


def _components(fields: FieldReader) -> list[Component]:
    items = fields.list_of("components", required=True, why=" (a list with at least one component)")
    if items is None:
        return []
    if not items:
        fields.error("components", "components must list at least one component")
        return []
    components: list[Component] = []
    first_line: dict[str, int] = {}
    for index, (item, line) in enumerate(zip(items, items.lines)):
        if not isinstance(item, LocatedMapping):
            fields.error("components", f"components[{index}] must be a mapping with id and name", line)
            continue
        entry = FieldReader(fields.file, item, fields.problems, prefix=f"components[{index}].")
        entry.reject_unknown(COMPONENT_FIELDS)
        component_id = entry.read(COMPONENT["id"])
        name = entry.read(COMPONENT["name"])
        group = entry.read(COMPONENT["group"])
        description = entry.read(COMPONENT["description"])
        if component_id is None or name is None:
            continue
        if component_id in first_line:
            entry.error("id", f"components[{index}].id '{component_id}' is used twice "
                              f"(first on line {first_line[component_id]})")
            continue
        first_line[component_id] = entry.line("id")
        components.append(Component(component_id, name, group, description))
    return components
