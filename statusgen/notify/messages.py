"""The message for one update, in plain text and in Markdown. Pure: from the site's model.

Every message says the incident's title, its severity and phase, the components and their
status as of the update, the update's text (Markdown turned into its words by
render/markdown.plain_text), the promised next update in the site's zone and the address of
the update on the incident's (or maintenance's) page. Email and generic webhooks get the plain
text; chat targets whose apprise plugin takes Markdown get the Markdown form, in which every
text from the site is escaped, so a `[link](…)`, `<b>`, `**` or `@channel` written in an update
shows as those characters and never becomes a link, markup or a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from ..model import Incident, Maintenance, Site, Update, MaintenanceUpdate, iso_utc
from ..render.api import update_id
from ..render.markdown import plain_text
from ..render.paths import absolute_url, incident_path, maintenance_path, update_anchor
from ..vocabulary import PHASE_LABELS, SEVERITY_NAMES, STATUS_LABELS
from ..wording import local_time, promise_text, severity_label, window_text
from .news import update_key


@dataclass(frozen=True)
class Message:
    """What is sent about one update: a subject line and a body, in two forms."""

    key: str
    """The update's key (news.update_key): what the pending file records."""
    kind: str
    """'incident' or 'maintenance'."""
    owner_id: str
    """The incident's or maintenance's id."""
    at: datetime
    title: str
    """The subject: '[SEV-2, Identified] Card payments failing at checkout'."""
    text: str
    """The body as plain text (email, webhooks)."""
    markdown: str
    """The body as Markdown with every text of the site escaped (chat)."""
    url: str
    """The update on its page, on base_url."""
    components: tuple[str, ...]
    """The ids of the components it is about (what `components:` filters on)."""
    severity: str | None
    """The incident's severity as of the update; None for maintenance."""


def site_messages(site: Site) -> dict[str, Message]:
    """The message of every update of the site, by key."""
    messages: dict[str, Message] = {}
    for incident in site.incidents:
        for update in incident.updates:
            message = incident_message(site, incident, update)
            messages[message.key] = message
    for maintenance in site.maintenances:
        for maintenance_update in maintenance.updates:
            message = maintenance_message(site, maintenance, maintenance_update)
            messages[message.key] = message
    return messages


def incident_message(site: Site, incident: Incident, update: Update) -> Message:
    """The message about one incident update."""
    zone = site.zone
    phase = PHASE_LABELS[update.phase]
    status = (severity_label(update.severity), f"({SEVERITY_NAMES[update.severity]})")
    head = f"{status[0]} {status[1]} · {phase} · {local_time(update.at, zone)}"
    affected = [(site.component(cid).name, STATUS_LABELS[s]) for cid, s in update.components.items()]
    promise = (f"Next update by {promise_text(update.at, update.next_update, zone)}."
               if update.next_update and update.phase != "resolved" else None)
    url = absolute_url(site.config.base_url, incident_path(incident.id)) + "#" + update_anchor(update.at)
    return _message("incident", incident.id, update.at, f"[{status[0]}, {phase}] {update.title}", head,
                    affected, update.body, promise, url, "View the incident", tuple(update.components),
                    update.severity)


def maintenance_message(site: Site, maintenance: Maintenance, update: MaintenanceUpdate) -> Message:
    """The message about one maintenance update."""
    zone = site.zone
    phase = PHASE_LABELS[update.phase]
    head = (f"Maintenance · {phase} · {local_time(update.at, zone)}\n"
            f"Window: {window_text(update.window_start, update.window_end, zone)}")
    affected = [(site.component(cid).name, None) for cid in update.components]
    promise = (f"Next update by {promise_text(update.at, update.next_update, zone)}."
               if update.next_update else None)
    url = absolute_url(site.config.base_url, maintenance_path(maintenance.id)) + "#" + update_anchor(update.at)
    return _message("maintenance", maintenance.id, update.at, f"[Maintenance, {phase}] {update.title}", head,
                    affected, update.body, promise, url, "View the maintenance", tuple(update.components), None)


def _message(kind: str, owner_id: str, at: datetime, title: str, head: str,
             affected: Iterable[tuple[str, str | None]], body: str, promise: str | None, url: str,
             link_text: str, components: tuple[str, ...], severity: str | None) -> Message:
    affected = list(affected)
    listed = ", ".join(name if status is None else f"{name} ({status})" for name, status in affected)
    words = plain_text(body)
    text = "\n".join([head] + ([f"Affected: {listed}"] if affected else []) + ([""] + [words] if words else [])
                     + [""] + ([promise] if promise else []) + [f"Details: {url}"])
    head_lines = head.split("\n")
    lead = [f"**{escape_markdown(head_lines[0])}**", *map(escape_markdown, head_lines[1:])]
    if affected:
        lead.append("**Affected:** " + escape_markdown(listed))
    blocks = ["  \n".join(lead)]  # a hard line break between the lines of a block
    blocks += ["  \n".join(map(escape_markdown, paragraph.split("\n"))) for paragraph in words.split("\n\n") if words]
    blocks.append("  \n".join(([escape_markdown(promise)] if promise else []) + [f"[{link_text}](<{_safe_url(url)}>)"]))
    return Message(update_key(kind, update_id(owner_id, at)), kind, owner_id, at, title, text, "\n\n".join(blocks),
                   url, components, severity)


_MARKUP = re.compile(r"([\\`*_{}\[\]()#!<>~|])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)
_MENTION = re.compile(r"@(?=\w)")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that shows exactly its characters: every punctuation mark Markdown
    reads escaped with a backslash, a list or heading marker at the start of a line too, and an
    `@` before a word followed by a word joiner (U+2060), so `@channel` or `@everyone` never
    mentions anyone."""
    escaped = _MARKUP.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _MENTION.sub("@\u2060", escaped)


def _safe_url(url: str) -> str:
    """The address inside `<…>` of a Markdown link: characters that would end it percent-encoded."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def as_record(message: Message, target: str) -> Mapping[str, str]:
    """One entry of `--format json`: {target, incident_id, update_at, title, body, url}."""
    return {"target": target, "incident_id": message.owner_id, "update_at": iso_utc(message.at),
            "title": message.title, "body": message.text, "url": message.url}
