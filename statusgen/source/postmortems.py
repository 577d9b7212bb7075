"""An incident's postmortem (content/incidents/<id>/postmortem.md): its front matter, read
through spec.POSTMORTEM, and the checks that need the incident's updates or the site's config.

The file sits in the incident's folder beside the update files, so the parse cache keys it with
them (an edit re-reads the incident) and every read goes through the same SiteFiles rule.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..model import ActionItem, IncidentRecord, Postmortem, iso_utc
from ..problems import Problem
from ..wording import one_of
from .fields import FieldReader, suggest
from .files import SourceDocument, field_lines, short_name
from .located_yaml import LocatedMapping
from .spec import ACTION_ITEM, POSTMORTEM

POSTMORTEM_FILE = "postmortem.md"
"""The name of the postmortem in an incident's folder; every other .md file is an update."""


def is_postmortem_file(shown: str) -> bool:
    """Whether a file of an incident folder (as shown in messages) is its postmortem."""
    return short_name(shown) == POSTMORTEM_FILE


def read_postmortem(incident_id: str, document: SourceDocument, problems: list[Problem]) -> Postmortem | None:
    """The postmortem a file's front matter and body give, or None after recording its problems."""
    before = len(problems)
    fields = FieldReader(document.file, document.front_matter, problems)
    fields.reject_unknown(POSTMORTEM.names)
    values = {name: fields.read(POSTMORTEM[name]) for name in ("published_at", "summary", "impact",
                                                               "root_cause", "cause")}
    items = _action_items(fields)
    if values["summary"] and "\n\n" in values["summary"].strip():
        fields.error("summary", "summary must be one paragraph; the narrative belongs in the body, after "
                                "the front matter")
    if len(problems) > before or None in values.values():
        return None
    return Postmortem(incident_id=incident_id, source=document.file, action_items=items,
                      body=document.body, field_lines=field_lines(document), **values)


def _action_items(fields: FieldReader) -> tuple[ActionItem, ...]:
    listed = fields.read(POSTMORTEM["action_items"])
    found = []
    for index, (entry, line) in enumerate(zip(listed, getattr(listed, "lines", ()))):
        if not isinstance(entry, LocatedMapping):
            fields.error("action_items", f"action_items[{index}] must be a mapping with title, owner, due "
                                         f"and done", line)
            continue
        item = FieldReader(fields.file, entry, fields.problems, prefix=f"action_items[{index}].")
        item.reject_unknown(ACTION_ITEM.names)
        title = item.read(ACTION_ITEM["title"])
        owner = item.require("owner", " (a team or a role, like payments-team or on-call SRE)") \
            and item.read(ACTION_ITEM["owner"])
        due = item.require("due", " (the date it is due, like 2026-12-15)") and item.read(ACTION_ITEM["due"])
        done = item.read(ACTION_ITEM["done"])
        if title and owner and due:
            found.append(ActionItem(title, owner, due, done, line))
    return tuple(found)


def check_postmortem(postmortem: Postmortem, incident: IncidentRecord, problems: list[Problem]) -> None:
    """What a postmortem must agree on with its incident: it follows the resolution."""
    where = postmortem.line_of("published_at")
    if incident.is_open:
        problems.append(Problem(postmortem.source, postmortem.line_of(""), None, (
            f"the incident is still open (its latest update, {short_name(incident.latest.source)}, is "
            f"{incident.phase}); a postmortem follows the resolved update, so publish it after that")))
    elif postmortem.published_at < incident.latest.at:
        problems.append(Problem(postmortem.source, where, "published_at", (
            f"published_at {iso_utc(postmortem.published_at)} is before the incident was resolved "
            f"({short_name(incident.latest.source)}, {iso_utc(incident.latest.at)}); check the date and zone")))


def cause_problems(incidents: Iterable[IncidentRecord], causes: Sequence[str]) -> list[Problem]:
    """An error for every postmortem whose `cause` is not one of statusgen.yml's postmortem_causes
    (checked after loading, so that the parse cache does not depend on the config)."""
    problems = []
    for incident in incidents:
        report = incident.report
        if report is not None and report.cause not in causes:
            problems.append(Problem(report.source, report.line_of("cause"), "cause", (
                f"cause '{report.cause}' is not one of {one_of(causes)}{suggest(report.cause, causes)}; "
                f"add it to postmortem_causes in statusgen.yml if it is a new category")))
    return problems
