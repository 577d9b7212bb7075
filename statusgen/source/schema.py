"""JSON Schemas for statusgen.yml and update front matter, generated from spec.py.

Editors use them for completion and inline errors (yaml-language-server's `$schema` comment).
They express what one file can say on its own; rules across files (the first update carries
the title, no two updates share a time) and facts a schema cannot know (whether a time zone
or a calendar day exists) stay with the validator.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from .spec import (BASE_URL_REGEX, CONFIG, DATE_REGEX, DEFAULT_POSTMORTEM_CAUSES, ID_REGEX, INCIDENT_UPDATE, LINK_REGEX,
                   MAINTENANCE_UPDATE, POSTMORTEM, TIMESTAMP_REGEX, WEB_URL_REGEX, Field, Section)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS = ("config", "incident", "maintenance", "postmortem")


def _case_insensitive(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


def field_schema(spec: Field, component_ids: Sequence[str] | None = None,
                 causes: Sequence[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": spec.description}
    if spec.kind == "text":
        # The validator reads the raw text of any scalar, so `title: No` or `title: 2026` is text.
        schema.update(type=["string", "number", "boolean"], minLength=1)
        if spec.max_length:
            schema["maxLength"] = spec.max_length
    elif spec.kind == "id":
        schema.update(_id_schema(spec, component_ids, causes))
    elif spec.kind == "timestamp":
        schema.update(type="string", pattern=TIMESTAMP_REGEX)
    elif spec.kind == "date":
        schema.update(type="string", pattern=DATE_REGEX)
    elif spec.kind == "url":
        schema.update(type="string", pattern=WEB_URL_REGEX if spec.query else BASE_URL_REGEX,
                      maxLength=spec.max_length)
    elif spec.kind == "link":
        schema.update(type="string", pattern=LINK_REGEX, maxLength=spec.max_length)
    elif spec.kind == "choice":
        if spec.aliases:
            words = sorted(set(spec.aliases) | set(spec.choices))
            schema.update(type="string", pattern="^(" + "|".join(_case_insensitive(w) for w in words) + ")$",
                          examples=list(spec.choices))
        else:
            schema.update(type="string", enum=list(spec.choices))
    elif spec.kind == "integer":
        schema.update(type="integer", minimum=spec.minimum, maximum=spec.maximum)
    elif spec.kind == "number":
        schema.update(type="number", minimum=spec.minimum, maximum=spec.maximum)
    elif spec.kind == "boolean":
        schema.update(type="boolean")
    elif spec.kind == "mapping" and spec.fields:
        schema.update(_object(spec.fields, component_ids, causes))
    elif spec.kind == "mapping":
        assert spec.items is not None
        schema.update(type="object", additionalProperties=field_schema(spec.items, component_ids, causes))
        if spec.name == "components":  # keyed by component id (an alert rule's `match` by label)
            schema["propertyNames"] = ({"enum": list(component_ids)} if component_ids is not None
                                       else {"pattern": ID_REGEX})
    elif spec.kind == "list":
        assert spec.items is not None
        schema.update(type="array", items=field_schema(spec.items, component_ids, causes))
        if spec.required:
            schema["minItems"] = 1
    else:
        raise ValueError(f"no schema for a {spec.kind} field")
    if not spec.required:
        _allow_null(schema)
    return schema


def _id_schema(spec: Field, component_ids: Sequence[str] | None, causes: Sequence[str] | None) -> dict[str, Any]:
    """An id: a component's is one of the site's components, a postmortem cause one of its causes."""
    schema: dict[str, Any] = {"type": "string", "pattern": ID_REGEX}
    if component_ids is not None and spec.name == "component":
        schema["enum"] = list(component_ids)
    if spec.name == "cause" and causes is not None:
        schema["enum"] = list(causes)
    elif spec.name == "cause":
        schema["examples"] = list(DEFAULT_POSTMORTEM_CAUSES)
    return schema


def _allow_null(schema: dict[str, Any]) -> None:
    """An empty `field:` in YAML is null; the validator treats it as not given."""
    types = schema.get("type")
    if types is not None:
        schema["type"] = [*types, "null"] if isinstance(types, list) else [types, "null"]
    elif "anyOf" in schema:
        schema["anyOf"].append({"type": "null"})
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]


def _object(fields: Sequence[Field], component_ids: Sequence[str] | None,
            causes: Sequence[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: field_schema(f, component_ids, causes) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def section_schema(section: Section, component_ids: Sequence[str] | None = None,
                   causes: Sequence[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "title": section.title,
                              "description": section.description}
    schema.update(_object(section.fields, component_ids, causes))
    if section is INCIDENT_UPDATE:
        # next_update is required while the incident is open (any phase but resolved).
        schema["if"] = {"properties": {"phase": {"not": {"const": "resolved"}}}, "required": ["phase"]}
        schema["then"] = {"required": ["next_update"]}
    return schema


def schema_for(name: str, component_ids: Sequence[str] | None = None,
               causes: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON Schema called `name` (config, incident, maintenance or postmortem).

    With `component_ids`, the update schemas accept only those components, and with `causes`
    the postmortem schema only those causes (a site's schema).
    """
    section = {"config": CONFIG, "incident": INCIDENT_UPDATE, "maintenance": MAINTENANCE_UPDATE,
               "postmortem": POSTMORTEM}[name]
    return section_schema(section, component_ids, causes)


def schema_json(name: str, component_ids: Sequence[str] | None = None, causes: Sequence[str] | None = None) -> str:
    return json.dumps(schema_for(name, component_ids, causes), indent=2, ensure_ascii=False) + "\n"
