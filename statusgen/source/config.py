"""statusgen.yml → a validated SiteConfig, each field read through its declaration in spec.py
(kind and default), a few checked further here."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .alert_rules import read_alerts
from .files import SiteFiles, read_source_text
from .fields import ID_PATTERN, ID_RULE, FieldReader, split_url, suggest
from .located_yaml import LocatedMapping, load_mapping
from .language import TAG_PATTERN, load_language
from .links import is_web_address, path_stays_in_place
from ..language import SOURCE_LANGUAGE
from ..model import Channel, Component, NotifyFilter, SiteConfig, UptimeRule
from .spec import (BASE_URL_REGEX, CADENCE, COMPONENT, CONFIG, NOTIFY_TARGET, SUBSCRIBE, UPTIME, UPTIME_WEIGHTS,
                   WEB_URL_REGEX)
from ..problems import Problem

CONFIG_FILE = "statusgen.yml"

CONFIG_FIELDS = CONFIG.names
COMPONENT_FIELDS = COMPONENT.names

_ATTRIBUTES = {"cadence": "cadence_minutes"}
"""SiteConfig attributes named otherwise than their field in statusgen.yml."""


def load_config(source_dir: Path, problems: list[Problem]) -> SiteConfig | None:
    """Read and validate `statusgen.yml` in `source_dir`; None if it is unusable.

    Any mistake is recorded in `problems`, even when a config is returned (see parse_config).
    """
    return read_config(source_dir, problems)[0]


def read_config(source_dir: Path, problems: list[Problem]) -> tuple[SiteConfig | None, Mapping[str, int]]:
    """load_config(), and the line of each field of statusgen.yml, for locate_config_problems()."""
    site = SiteFiles(source_dir)
    path = source_dir / CONFIG_FILE
    if site.kind(path)[0] == "missing":
        problems.append(Problem(CONFIG_FILE, None, None,
                                f"not found in {source_dir}; run statusgen in your site's folder "
                                f"or pass --source DIR"))
        return None, {}
    text = read_source_text(path, CONFIG_FILE, problems, site)
    if text is None:
        return None, {}
    mapping = load_mapping(text, CONFIG_FILE, 1, problems)
    if mapping is None:
        return None, {}
    config = parse_config(mapping, problems)
    if config is not None:
        words = load_language(source_dir, config.language, problems, mapping.lines.get("language"))
        config = dataclasses.replace(config, words=words)
    return config, dict(mapping.lines)


def config_from_text(text: str, problems: list[Problem]) -> SiteConfig | None:
    """The config statusgen.yml holding `text` would give, as load_config reads it."""
    mapping = load_mapping(text, CONFIG_FILE, 1, problems)
    return parse_config(mapping, problems) if mapping is not None else None


def locate_config_problems(problems: list[Problem], lines: Mapping[str, int]) -> None:
    """Give every problem about a field of statusgen.yml that was found without its line (the
    `theme` folder is checked where themes are read, which knows no lines) the line of that field."""
    for index, problem in enumerate(problems):
        if problem.file == CONFIG_FILE and problem.line is None and problem.field:
            line = lines.get(re.split(r"[.\[]", problem.field, maxsplit=1)[0])
            if line is not None:
                problems[index] = dataclasses.replace(problem, line=line)


def parse_config(mapping: LocatedMapping, problems: list[Problem]) -> SiteConfig | None:
    """Validate an already-parsed statusgen.yml mapping, recording every mistake in `problems`.

    Returns None when the config is unusable; a config may be returned along with problems,
    in which case it is only good for checking content (defaults stand in for bad values).
    """
    before = len(problems)
    fields = FieldReader(CONFIG_FILE, mapping, problems)
    fields.reject_unknown(CONFIG_FIELDS)
    # Every field through its declaration (its kind and default); a few need more checks.
    values = {spec.name: _CHECKS[spec.name](fields) if spec.name in _CHECKS else fields.read(spec)
              for spec in CONFIG.fields}
    # A config with mistakes that do not change which components exist (an unknown key, a bad
    # timezone) is still good enough to check the content against, so one build reports the
    # mistakes in statusgen.yml and in the content together; the problems already recorded make
    # the build fail. Mistakes in components would make content errors up, so they stop here.
    component_problems = any((p.field or "").startswith("components") for p in problems[before:])
    if not component_problems:  # the alert rules name components: check them against good ones only
        values["alerts"] = read_alerts(fields, [c.id for c in values["components"]])
    if values["title"] is None or values["base_url"] is None or not values["components"] or component_problems:
        return None
    return SiteConfig(**{_ATTRIBUTES.get(name, name): value for name, value in values.items()})


def _cadence(fields: FieldReader) -> dict[str, int]:
    """Minutes between updates per severity: each level's default, overridable per level."""
    mapping = fields.read(CONFIG["cadence"])
    if mapping is None:
        return CADENCE.defaults
    levels = FieldReader(fields.file, mapping, fields.problems, prefix="cadence.")
    levels.reject_unknown(CADENCE.names)
    return {spec.name: levels.read(spec) for spec in CADENCE.fields}


def _uptime(fields: FieldReader) -> UptimeRule:
    """How each status counts against uptime: each weight's default, overridable one by one."""
    mapping = fields.read(CONFIG["uptime"])
    if mapping is None:
        return UptimeRule()
    rule = FieldReader(fields.file, mapping, fields.problems, prefix="uptime.")
    rule.reject_unknown(UPTIME.names)
    weights: dict[str, float] = UPTIME_WEIGHTS.defaults
    given = rule.read(UPTIME["weights"])
    if given is not None:
        each = FieldReader(fields.file, given, fields.problems, prefix="uptime.weights.")
        each.reject_unknown(UPTIME_WEIGHTS.names)
        weights = {spec.name: each.read(spec) for spec in UPTIME_WEIGHTS.fields}
    return UptimeRule(**weights, maintenance_counts_as_down=rule.read(UPTIME["maintenance_counts_as_down"]))


def _base_url(fields: FieldReader) -> str | None:
    url = fields.read(CONFIG["base_url"])
    if url is None:
        return None
    parts = split_url(url)
    if parts is None or not is_web_address(url) or parts.query or parts.fragment \
            or not re.match(BASE_URL_REGEX, url) or not path_stays_in_place(parts.path):
        fields.error("base_url", f"base_url '{url}' must be an absolute http:// or https:// address "
                                 f"without ?query or #fragment, like https://acme.github.io/status/")
        return None
    return url if url.endswith("/") else url + "/"


def _language(fields: FieldReader) -> str:
    """A BCP 47 tag's shape here; whether statusgen or the site has its catalog, in source/language.py."""
    tag = fields.read(CONFIG["language"])
    if not TAG_PATTERN.fullmatch(tag):
        fields.error("language", f"language '{tag}' is not a BCP 47 language tag; write one like de, pt-BR or ar")
        return SOURCE_LANGUAGE
    return tag


def _timezone(fields: FieldReader) -> str:
    spec = CONFIG["timezone"]
    name = fields.read(spec)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fields.error("timezone", f"timezone '{name}' is not an IANA time zone name like Europe/Berlin "
                                 f"or UTC{suggest(name, sorted(available_timezones()))}")
        return spec.default
    return name


def _components(fields: FieldReader) -> tuple[Component, ...]:
    items = fields.read(CONFIG["components"], why=" (a list with at least one component)")
    if items is None:
        return ()
    if not items:
        fields.error("components", "components must list at least one component")
        return ()
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
    return tuple(components)


def _subscribe(fields: FieldReader) -> tuple[Channel, ...]:
    """The channels of `subscribe:`, each a plain one-line label and an http(s) address."""
    items = fields.read(CONFIG["subscribe"])
    channels: list[Channel] = []
    for index, (item, line) in enumerate(zip(items, getattr(items, "lines", ()))):
        if not isinstance(item, LocatedMapping):
            fields.error("subscribe", f"subscribe[{index}] must be a mapping with label and url", line)
            continue
        entry = FieldReader(fields.file, item, fields.problems, prefix=f"subscribe[{index}].")
        entry.reject_unknown(SUBSCRIBE.names)
        label = entry.read(SUBSCRIBE["label"])
        url = entry.read(SUBSCRIBE["url"])
        if label is not None and ("\n" in label or "\r" in label):
            entry.error("label", f"subscribe[{index}].label must be one line")
            label = None
        if url is not None and not (re.match(WEB_URL_REGEX, url) and is_web_address(url)):
            entry.error("url", f"subscribe[{index}].url '{url}' must be an absolute http:// or https:// "
                               f"address, like https://acme.slack.com/")
            url = None
        if label is not None and url is not None:
            channels.append(Channel(label, url))
    return tuple(channels)


def _postmortem_causes(fields: FieldReader) -> tuple[str, ...]:
    """The cause categories: ids, at least one, none twice (the default list when not given)."""
    spec = CONFIG["postmortem_causes"]
    items = fields.read(spec)
    if items is spec.default:
        return spec.default
    causes: list[str] = []
    for index, (item, line) in enumerate(zip(items, getattr(items, "lines", ()))):
        raw = getattr(items, "raw", [None] * len(items))[index]
        if raw is None or isinstance(item, (dict, list)) or not ID_PATTERN.fullmatch(str(raw)):
            fields.error("postmortem_causes", f"postmortem_causes[{index}] '{raw if raw is not None else item}' "
                                              f"is not a valid cause: use {ID_RULE}, like config-change", line)
        elif raw in causes:
            fields.error("postmortem_causes", f"postmortem_causes[{index}] '{raw}' is listed twice", line)
        else:
            causes.append(raw)
    if not items:
        fields.error("postmortem_causes", "postmortem_causes must list at least one cause, like config-change")
    return tuple(causes) or spec.default


def _notify(fields: FieldReader) -> tuple[NotifyFilter, ...]:
    """The labelled targets of `notify:`, each a label (an id) and its filters. A URL anywhere in it
    is refused without being quoted: it holds a secret, which belongs in the environment."""
    mapping = fields.read(CONFIG["notify"])
    if not mapping:
        return ()
    known = {c.id for c in _components_quietly(fields)}
    targets: list[NotifyFilter] = []
    for label, item in mapping.items():
        line = mapping.lines.get(label, mapping.line)
        if _refuse_urls(fields, label, "notify", line) or _refuse_urls(fields, item, f"notify.{label}", line):
            continue
        if not ID_PATTERN.fullmatch(str(label)):
            fields.error("notify", f"notify label '{label}' is not a valid label: use {ID_RULE}, like ops-slack", line)
            continue
        if item is None:
            targets.append(NotifyFilter(str(label)))
            continue
        if not isinstance(item, LocatedMapping):
            fields.error("notify", f"notify.{label} must be a mapping of filters (components, min_severity, "
                                   f"maintenance) or empty", line)
            continue
        entry = FieldReader(fields.file, item, fields.problems, prefix=f"notify.{label}.")
        entry.reject_unknown(NOTIFY_TARGET.names)
        components = entry.read(NOTIFY_TARGET["components"]) or ()
        wanted: list[str] = []
        for index, (component, component_line) in enumerate(zip(components, getattr(components, "lines", ()))):
            if not isinstance(component, str) or component not in known:
                entry.error("components", f"notify.{label}.components[{index}] '{component}' is not a component "
                                          f"defined in statusgen.yml{suggest(str(component), sorted(known))}; "
                                          f"known: {', '.join(sorted(known))}", component_line)
            else:
                wanted.append(component)
        targets.append(NotifyFilter(str(label), tuple(wanted), entry.read(NOTIFY_TARGET["min_severity"]),
                                    entry.read(NOTIFY_TARGET["maintenance"])))
    return tuple(targets)


def _refuse_urls(fields: FieldReader, value: object, where: str, line: int | None = None) -> bool:
    """Whether `value` (under `where` of notify:) holds anything that looks like a URL; each one is an
    error that names the place and the environment variable, never the URL itself."""
    if isinstance(value, LocatedMapping):
        found = False
        for key, item in value.items():
            key_line = value.lines.get(key, value.line)
            found = _refuse_urls(fields, key, where, key_line) | found
            found = _refuse_urls(fields, item, f"{where}.{key}", key_line) | found
        return found
    if isinstance(value, list):
        lines = getattr(value, "lines", [line] * len(value))
        return any([_refuse_urls(fields, item, where, item_line) for item, item_line in zip(value, lines)])
    if isinstance(value, str) and re.search(r"[a-zA-Z][a-zA-Z0-9+.-]*://|@.*:|^mailto:", value):
        label = where.split(".")[1] if where.count(".") else "LABEL"
        variable = "STATUSGEN_NOTIFY_" + label.upper().replace("-", "_")
        fields.error("notify", f"{where} holds what looks like a notification URL; URLs hold secrets and never "
                               f"go in statusgen.yml: remove it (and treat it as leaked) and set the URL in the "
                               f"environment variable {variable} (a repository secret in the workflow)", line)
        return True
    return False


def _components_quietly(fields: FieldReader) -> tuple[Component, ...]:
    """The components, read again without recording their problems twice."""
    return _components(FieldReader(fields.file, fields.mapping, []))


_CHECKS = {"alerts": lambda fields: None, "base_url": _base_url, "timezone": _timezone, "language": _language,
           "cadence": _cadence,
           "components": _components, "subscribe": _subscribe, "uptime": _uptime,
           "postmortem_causes": _postmortem_causes, "notify": _notify}
"""Fields checked beyond what their kind checks: each function reads the field and checks it
(`alerts`, whose rules name components, is read once the components are: alert_rules.py)."""
