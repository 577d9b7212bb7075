"""The message for one update, in plain text and in Markdown. Pure: from the site's model.

Every message says the incident's title, its severity and phase, the components and their
status as of the update, the update's text (Markdown turned into its words by
render/markdown.plain_text), the promised next update in the site's zone and the address of
the update on the incident's (or maintenance's) page, in the site's language (config.words:
its words, dates and times). Email and generic webhooks get the plain
text; chat targets whose apprise plugin takes Markdown get the Markdown form, in which every
text from the site is escaped, so a `[link](…)`, `<b>`, `**` or `@channel` written in an update
shows as those characters and never becomes a link, markup or a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from ..language import Language
from ..model import Incident, Maintenance, Site, Update, MaintenanceUpdate, iso_utc
from ..render.api import update_id
from ..render.markdown import plain_text
from ..render.paths import absolute_url, incident_path, maintenance_path, update_anchor
from ..vocabulary import PHASE_LABELS, SEVERITY_NAMES, STATUS_LABELS
from ..wording import severity_label
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
    zone, words = site.zone, site.config.words
    phase = words.gettext(PHASE_LABELS[update.phase])
    code = severity_label(update.severity)
    # Translators: the first line of an incident message: 'SEV-2 (Major) · Identified · 20 Nov 2026, 09:50 UTC'.
    head = words.gettext("%(severity)s (%(name)s) · %(phase)s · %(time)s", severity=code,
                         name=words.gettext(SEVERITY_NAMES[update.severity]), phase=phase,
                         time=words.local_time(update.at, zone))
    statuses = words.labels(STATUS_LABELS)
    affected = [(site.component(cid).name, statuses[s]) for cid, s in update.components.items()]
    promise = (_promise(site, update.at, update.next_update)
               if update.next_update and update.phase != "resolved" else None)
    url = absolute_url(site.config.base_url, incident_path(incident.id)) + "#" + update_anchor(update.at)
    # Translators: an incident message's subject: '[SEV-2, Identified] Card payments failing'.
    subject = words.gettext("[%(severity)s, %(phase)s] %(title)s", severity=code, phase=phase, title=update.title)
    return _message(words, "incident", incident.id, update.at, subject, head, affected, update.body, promise, url,
                    words.gettext("View the incident"), tuple(update.components), update.severity)


def _promise(site: Site, at: datetime, promise: datetime) -> str:
    """'Next update by 10:30 UTC.'"""
    words = site.config.words
    return words.gettext("Next update by %(time)s.", time=words.promise_text(at, promise, site.zone))


def maintenance_message(site: Site, maintenance: Maintenance, update: MaintenanceUpdate) -> Message:
    """The message about one maintenance update."""
    zone, words = site.zone, site.config.words
    phase = words.gettext(PHASE_LABELS[update.phase])
    # Translators: the first line of a maintenance message: 'Maintenance · Scheduled · 20 Nov 2026, 09:00 UTC'.
    head = (words.gettext("Maintenance · %(phase)s · %(time)s", phase=phase, time=words.local_time(update.at, zone))
            # Translators: a message's second line; %(window)s is 'on 3 December 2026 from 03:00 to 05:00 CET'.
            + "\n" + words.gettext("Window: %(window)s",
                                   window=words.window_text(update.window_start, update.window_end, zone)))
    affected = [(site.component(cid).name, None) for cid in update.components]
    promise = _promise(site, update.at, update.next_update) if update.next_update else None
    url = absolute_url(site.config.base_url, maintenance_path(maintenance.id)) + "#" + update_anchor(update.at)
    # Translators: a maintenance message's subject: '[Maintenance, Scheduled] Database upgrade'.
    subject = words.gettext("[Maintenance, %(phase)s] %(title)s", phase=phase, title=update.title)
    return _message(words, "maintenance", maintenance.id, update.at, subject, head, affected, update.body, promise,
                    url, words.gettext("View the maintenance"), tuple(update.components), None)


def _message(language: Language, kind: str, owner_id: str, at: datetime, title: str, head: str,
               affected: Iterable[tuple[str, str | None]], body: str, promise: str | None, url: str,
               link_text: str, components: tuple[str, ...], severity: str | None) -> Message:
    affected = list(affected)
    # Translators: a component and its status in a message: 'Checkout (Degraded performance)'.
    listed = language.list_separator().join(name if status is None else language.gettext("%(component)s (%(status)s)", component=name,
                                                                    status=status)
                       for name, status in affected)
    words = plain_text(body)
    # Translators: the label before the components a message is about ('Affected: Checkout').
    affected_label = language.gettext("Affected:")
    text = "\n".join([head] + ([f"{affected_label} {listed}"] if affected else []) + ([""] + [words] if words else [])
                     + [""] + ([promise] if promise else [])
                     + [language.gettext("Details: %(url)s", url=url)])
    head_lines = head.split("\n")
    lead = [f"**{escape_markdown(head_lines[0])}**", *map(escape_markdown, head_lines[1:])]
    if affected:
        lead.append(f"**{escape_markdown(affected_label)}** " + escape_markdown(listed))
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
