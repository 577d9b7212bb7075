"""RSS 2.0 and Atom 1.0 feeds: one entry per update, incidents and maintenance, and one per
published postmortem (postmortem.md, at its published_at), newest first.

The site has one RSS and one Atom feed of everything, and each component an RSS feed of only
the incidents and maintenance that affect it; both kinds come from the same code.

Entry ids are the update's permanent link (the incident page plus the update's anchor), so
they never change between builds and a reader never sees an update twice; a postmortem's is
its page's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Union

from markupsafe import Markup

from .. import __version__
from ..incremental.digests import feed_key
from ..incremental.hooks import FileContent, PageReuse, Rendered
from ..language import Language
from ..model import Component, MaintenanceUpdate, Postmortem, Site, Update
from ..vocabulary import PHASE_LABELS, SEVERITY_NAMES, STATUS_IN_A_SENTENCE
from .markdown import MarkdownRenderer
from .paths import (ATOM_PATH, FEED_PATH, absolute_url, component_feed_path, component_path, incident_path,
                    maintenance_path, postmortem_path, update_anchor)
from ..wording import severity_label

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    link: str
    title: str
    html: str
    at: datetime


@dataclass(frozen=True)
class PostmortemEntry:
    """A published postmortem in a feed, with its incident's title (both are in the feed's key)."""

    report: Postmortem
    title: str


Entry = Union[Update, MaintenanceUpdate, PostmortemEntry]
"""What a feed entry is made from: an update, or a published postmortem."""


def _newest(site: Site, component: Component | None) -> list[tuple[datetime, str, Entry]]:
    base = site.config.base_url
    if component is None:
        incidents, maintenances = site.incidents, site.maintenances
    else:
        incidents = site.incidents_affecting(component.id)
        maintenances = site.maintenances_affecting(component.id)
    # Choose the newest first and render only those: a site has thousands of updates and a
    # feed keeps fifty, and rendering Markdown is the expensive part.
    candidates = [(u.at, f"{absolute_url(base, incident_path(i.id))}#{update_anchor(u.at)}", u)
                  for i in incidents for u in i.updates]
    candidates += [(u.at, f"{absolute_url(base, maintenance_path(m.id))}#{update_anchor(u.at)}", u)
                   for m in maintenances for u in m.updates]
    candidates += [(i.report.published_at, absolute_url(base, postmortem_path(i.id)), PostmortemEntry(i.report, i.title))
                   for i in incidents if i.report is not None]
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    return candidates[: site.config.feed_limit]


def _entry(site: Site, at: datetime, link: str, update: Entry, markdown: MarkdownRenderer) -> FeedEntry:
    words = site.config.words
    if isinstance(update, PostmortemEntry):
        # Translators: a feed entry's title for a published postmortem; %(title)s is the incident's.
        title = words.gettext("[Postmortem] %(title)s", title=update.title)
        return FeedEntry(link, link, title, _postmortem_html(words, update.report), at)
    phase = words.gettext(PHASE_LABELS[update.phase])
    if isinstance(update, Update):
        # Translators: a feed entry's title: the update's phase ('Identified'), then its title.
        title = words.gettext("[%(phase)s] %(title)s", phase=phase, title=update.title)
        return FeedEntry(link, link, title, _incident_html(site, update, markdown), at)
    # Translators: a maintenance update's feed entry title: its phase ('Scheduled'), then its title.
    title = words.gettext("[Maintenance: %(phase)s] %(title)s", phase=phase, title=update.title)
    return FeedEntry(link, link, title, _maintenance_html(site, update, markdown), at)


def _feed_key(site: Site, path: str, newest: list) -> str:
    """A digest of everything a feed shows: its entries' updates, the site's settings and, for
    an empty feed, the time it is dated by (see _generator). See render/pages.py: page_key."""
    dated = None if newest else (site.last_update_at or site.now)
    return feed_key(site.config, path, [(link, update) for _, link, update in newest], dated)


def _fact(name: str, value: object) -> Markup:
    """'<strong>Severity:</strong> SEV-2 (Major)': a fact's name (translated, with its colon) and its value."""
    return Markup("<strong>{}</strong> {}").format(name, value)


def _incident_html(site: Site, update: Update, markdown: MarkdownRenderer) -> str:
    words = site.config.words
    severity = words.gettext("%(code)s (%(name)s)", code=severity_label(update.severity),
                             name=words.gettext(SEVERITY_NAMES[update.severity]))
    facts = [_fact(words.gettext("Severity:"), severity)]
    if update.components:
        # Translators: a component and its status in a feed entry ('Checkout: partial outage').
        statuses = words.list_separator().join(
            words.gettext("%(component)s: %(status)s", component=site.component(cid).name,
                          status=words.pgettext("component status, inside a sentence", STATUS_IN_A_SENTENCE[s]))
            for cid, s in update.components.items())
        facts.append(_fact(words.gettext("Components:"), statuses))
    if update.next_update:
        facts.append(_fact(words.gettext("Next update by:"), _utc(update.next_update)))
    return Markup(markdown.render(update.body)) + Markup("<p>{}</p>").format(Markup(" · ").join(facts))


def _postmortem_html(words: Language, report: Postmortem) -> str:
    """The postmortem's summary and root cause, and its action items as a count (the page has the rest)."""
    done = sum(a.done for a in report.action_items)
    # Translators: how many of a postmortem's action items are done.
    items = words.ngettext("%(done)s of %(num)s done", "%(done)s of %(num)s done", len(report.action_items),
                           done=done)
    facts = Markup("<p>{} · {}</p>").format(_fact(words.gettext("Cause:"), words.pgettext("postmortem cause", report.cause)),
                                            _fact(words.gettext("Action items:"), items))
    return (Markup("<p>{}</p>").format(report.summary)
            + Markup("<p>{}</p>").format(_fact(words.gettext("Root cause:"), report.root_cause)) + facts)


def _maintenance_html(site: Site, update: MaintenanceUpdate, markdown: MarkdownRenderer) -> str:
    words = site.config.words
    names = ", ".join(site.component(cid).name for cid in update.components)
    # Translators: a maintenance window in a feed entry, from its start to its end (times in UTC).
    window = words.gettext("%(start)s – %(end)s", start=_utc(update.window_start), end=_utc(update.window_end))
    facts = Markup("<p>{} · {}</p>").format(_fact(words.gettext("Window:"), window),
                                            _fact(words.gettext("Components:"), names))
    return Markup(markdown.render(update.body)) + facts


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _generator(site: Site, self_path: str, entries: list[FeedEntry], atom: bool,
               component: Component | None = None) -> FeedGenerator:
    """A feed of `entries`: the whole site's, or one component's when `component` is given."""
    from feedgen.feed import FeedGenerator  # feedgen and lxml take 50 ms to import: only when needed
    config = site.config
    words = config.words
    if component is None:
        page = absolute_url(config.base_url)
        title = config.title
        description = config.description or words.gettext("Incident and maintenance updates from %(site)s",
                                                           site=config.title)
    else:
        page = absolute_url(config.base_url, component_path(component.id))
        # Translators: a component's feed title: the component's name, then the site's title.
        title = words.gettext("%(page)s · %(site)s", page=component.name, site=config.title)
        description = words.gettext("Incident and maintenance updates for %(component)s from %(site)s",
                                    component=component.name, site=config.title)
    feed = FeedGenerator()
    feed.id(page)
    feed.title(title)
    feed.description(description)
    # feedgen makes the last link RSS's <link>, which must be the page, not the feed itself.
    feed.link(href=absolute_url(config.base_url, self_path), rel="self")
    feed.link(href=page, rel="alternate")
    feed.author(name=config.title)
    feed.language(words.tag)
    feed.generator("statusgen", version=__version__)
    # feedgen stamps the wall clock by default; the newest update keeps builds reproducible.
    newest = entries[0].at if entries else (site.last_update_at or site.now)
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(entry.guid)
        item.guid(entry.guid, permalink=True)
        item.title(entry.title)
        item.link(href=entry.link)
        item.published(entry.at)
        item.updated(entry.at)
        if atom:
            item.content(entry.html, type="html")
        else:
            item.description(entry.html)
    return feed


def render_feeds(site: Site, reuse: PageReuse | None = None,
                 markdown: MarkdownRenderer | None = None) -> Rendered:
    """The site's RSS and Atom feeds, and an RSS feed per component, and their keys. With
    `reuse`, a feed whose entries and settings are those of the previous build is not rendered
    again. `markdown` renders the bodies (a fresh renderer if None)."""
    markdown = markdown if markdown is not None else MarkdownRenderer()
    feeds: list[tuple[str, bool, Component | None]] = [(FEED_PATH, False, None), (ATOM_PATH, True, None)]
    feeds += [(component_feed_path(c.id), False, c) for c in site.components]
    newest_of_site = _newest(site, None)
    files: dict[str, FileContent] = {}
    keys: dict[str, str] = {}
    for path, atom, component in feeds:
        newest = newest_of_site if component is None else _newest(site, component)
        if reuse is not None:
            key = _feed_key(site, path, newest)
            keys[path] = key
            kept = reuse.reusable(path, key)
            if kept is not None:
                files[path] = kept
                continue
        entries = [_entry(site, at, link, update, markdown) for at, link, update in newest]
        feed = _generator(site, path, entries, atom=atom, component=component)
        files[path] = feed.atom_str(pretty=True) if atom else feed.rss_str(pretty=True)
    return Rendered(files, keys)
