"""HTML pages: which pages a site has, the context of each, and rendering them with the theme.

The contexts are built as the TypedDicts of context.py (the theme's contract); the templates
run in environment.py's Jinja2 environment, with its helpers. Large sites render in forked
workers (workers.py), and pages the previous build rendered under the same key are kept.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, cast

from ..incremental.digests import items_shown, page_key, site_key
from ..incremental.hooks import FileContent, PageReuse, Rendered
from ..model import Component, Incident, Maintenance, Month, Site, iso_utc
from ..source.theme import Theme
from .context import (ComponentPage, FollowLink, HistoryPage, IncidentPage, IndexPage, MaintenancePage, MetricsPage,
                      MonthPage, NotFoundPage, Page, PageContext, PostmortemPage)
from .environment import TemplateEnvironment
from .markdown import MarkdownRenderer
from .paths import (API_ROOT, ATOM_PATH, BADGE_PATH, CALENDAR_PATH, FEED_PATH, HISTORY_PATH, INDEX_PATH,
                    NOT_FOUND_PATH, component_badge_path, component_calendar_path, component_feed_path,
                    component_path, incident_path, maintenance_event_path, maintenance_path, month_path,
                    postmortem_path)
from .workers import in_processes, interleaved, worker_count
from ..vocabulary import FOLLOW_WAYS


def live_incidents(incidents: Iterable[Incident]) -> str:
    """The open incidents a page shows, as `id@latest-update` tokens for live.js to compare with
    api/v2/summary.json: a different set, or a newer update, means the page is out of date."""
    return " ".join(f"{i.id}@{iso_utc(i.latest.at)}" for i in incidents if i.is_open)


def follow_links(site: Site, component: Component | None = None) -> tuple[FollowLink, ...]:
    """The "Get updates" list: the site's feeds, calendar, API and badge (a component's own,
    where it has them), then the channels statusgen.yml declares."""
    if component is None:
        own = {"rss": FEED_PATH, "atom": ATOM_PATH, "calendar": CALENDAR_PATH,
               "api": API_ROOT + "summary.json", "badge": BADGE_PATH}
    else:
        own = {"rss": component_feed_path(component.id), "calendar": component_calendar_path(component.id),
               "api": API_ROOT + "components.json", "badge": component_badge_path(component.id)}
    words = site.config.words
    links = [FollowLink(words.gettext(FOLLOW_WAYS[way][0]), words.gettext(FOLLOW_WAYS[way][1]), path)
             for way, path in own.items()]
    links += [FollowLink(channel.label, "", "", channel.url) for channel in site.config.subscribe]
    return tuple(links)


def titled(site: Site, page: str) -> str:
    """'Card payments failing · Acme Status': a page's title, then the site's."""
    # Translators: a browser tab's title: the page's own title, then the site's title.
    return site.config.words.gettext("%(page)s · %(site)s", page=page, site=site.config.title)


def history_title(site: Site, month: str | None = None) -> str:
    """'History', or 'November 2026 · History' for a month's page."""
    words = site.config.words
    if month is None:
        # Translators: the title of the page listing past incidents and maintenance, month by month.
        return words.gettext("History")
    # Translators: the title of one month's history page; %(month)s is 'November 2026'.
    return words.gettext("%(month)s · History", month=month)


def index_page(site: Site) -> IndexPage:
    return IndexPage(page_title=site.config.title, live_scope="all",
                     live_incidents=live_incidents(site.open_incidents), follow=follow_links(site))


def incident_page(site: Site, incident: Incident) -> IncidentPage:
    # A resolved incident's page says nothing about now, so it stays the same (and can
    # be reused, see page_key) however often the site is rebuilt.
    return IncidentPage(page_title=titled(site, incident.title), incident=incident,
                        live_scope=f"incident:{incident.id}", live_incidents=live_incidents([incident]),
                        as_of=site.now if incident.is_open else None)


def postmortem_page(site: Site, incident: Incident) -> PostmortemPage:
    # Only whether an open action item is overdue moves with time: without open items the page
    # says nothing about now and is kept between builds.
    words = site.config.words
    # Translators: the title of an incident's postmortem page; %(title)s is the incident's title.
    title = words.gettext("Postmortem: %(title)s", title=incident.title)
    return PostmortemPage(page_title=titled(site, title), incident=incident,
                          as_of=site.now if incident.open_action_items else None)


def maintenance_page(site: Site, maintenance: Maintenance) -> MaintenancePage:
    return MaintenancePage(page_title=titled(site, maintenance.title), maintenance=maintenance,
                           calendar_path=maintenance_event_path(maintenance.id))


def component_page(site: Site, component: Component) -> ComponentPage:
    words = site.config.words
    return ComponentPage(page_title=titled(site, component.name), component=component,
                         calendar_path=component_calendar_path(component.id),
                         follow=follow_links(site, component),
                         live_scope=f"component:{component.id}",
                         live_incidents=live_incidents(site.incidents_affecting(component.id)),
                         uptime_months=tuple((words.month_and_year(m.year, m.month), m)
                                             for m in reversed(site.uptime[component.id].monthly)))


def month_page(site: Site, index: int) -> MonthPage:
    """The page of site.months[index], linking to its neighbours."""
    month: Month = site.months[index]
    name = site.config.words.month_and_year(month.year, month.month)
    return MonthPage(
        page_title=titled(site, history_title(site, name)),
        as_of=site.now if month.maintenances or any(i.is_open for i in month.incidents) else None,
        month=month,
        month_name=name,
        previous_month=site.months[index - 1] if index > 0 else None,
        next_month=site.months[index + 1] if index + 1 < len(site.months) else None,
    )


REUSABLE_TEMPLATES = ("incident.html", "postmortem.html", "base.html", "_macros.html")
"""What an incident (or postmortem) page is rendered from. Its key (see PageRenderer.page_key) is only exact for
statusgen's own versions of these: a site's theme could make the page read anything."""


class PageRenderer:
    """Renders the site's pages with one theme."""

    def __init__(self, site: Site, theme: Theme, markdown: MarkdownRenderer | None = None):
        self.site = site
        self.theme = theme
        self.markdown = markdown if markdown is not None else MarkdownRenderer()
        """Renders the update bodies; a build shares one with the feeds (and its cache)."""
        self.templates = TemplateEnvironment(site, theme, self.markdown)
        self._site_key: str | None = None
        self._incidents_by_id: dict[str, Incident] | None = None
        self._page_index: dict[str, tuple[str, PageContext]] | None = None

    def retarget(self, site: Site) -> None:
        """Render another build of the same site with the same theme, keeping the compiled
        templates (the preview's rebuilds; compiling costs 0.2 s). Not while rendering."""
        self.site = site
        self.templates.retarget(site)
        self._site_key = None
        self._incidents_by_id = None
        self._page_index = None

    def pages(self) -> Iterator[Page]:
        """(output path, template, page-specific context) for every page of the site."""
        site = self.site
        yield INDEX_PATH, "index.html", index_page(site)
        for incident in site.incidents:
            yield incident_path(incident.id), "incident.html", incident_page(site, incident)
            if incident.report is not None:
                yield postmortem_path(incident.id), "postmortem.html", postmortem_page(site, incident)
        for maintenance in site.maintenances:
            yield maintenance_path(maintenance.id), "maintenance.html", maintenance_page(site, maintenance)
        for component in site.components:
            yield component_path(component.id), "component.html", component_page(site, component)
        yield HISTORY_PATH, "history.html", HistoryPage(page_title=titled(site, history_title(site)))
        for index, month in enumerate(site.months):
            yield month_path(month), "month.html", month_page(site, index)
        if site.config.metrics:
            from .metrics import METRICS_PATH, metrics_context
            yield METRICS_PATH, "metrics.html", cast(MetricsPage, metrics_context(site))
        not_found = site.config.words.gettext("Page not found")
        yield NOT_FOUND_PATH, "404.html", NotFoundPage(page_title=titled(site, not_found), absolute_links=True)

    def page_key(self, path: str, context: dict[str, Any]) -> str | None:
        """A digest of everything the page at `path` shows, for the pages worth keeping between
        builds: incident and month pages, the bulk of a site. None for pages always rendered.

        Such a page shows its own incidents (and a month page its maintenance and neighbouring
        months), the site's settings and overall status (the theme colour and description in
        <head>), and `now` only through open incidents and maintenance (durations, promises,
        states) and the footer's "as of", which pages() leaves off when there are none.
        Statuspage-like sites rebuild every few minutes, so this is what makes a rebuild cheap."""
        if self.theme.overridden.intersection(REUSABLE_TEMPLATES + ("month.html",)):
            return None
        if "incident" in context:
            shown = [items_shown([context["incident"]])]
        elif "month" in context:
            month, before, after = context["month"], context["previous_month"], context["next_month"]
            shown = [context["month_name"], str(before and before.key), str(after and after.key),
                     items_shown(month.incidents), items_shown(month.maintenances)]
        else:
            return None
        if self._site_key is None:
            self._site_key = site_key(self.site.config, self.site.overall_status, self.theme.digest)
        return page_key(self._site_key, path, context.get("as_of", self.site.now), shown)

    def page(self, path: str) -> tuple[str, PageContext] | None:
        """(template, context) of the page at `path`, or None: what pages() gives for it. An
        incident's page (the preview's usual ask) is found without listing every page."""
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "incidents" and parts[2] == "index.html":
            if self._incidents_by_id is None:
                self._incidents_by_id = {incident.id: incident for incident in self.site.incidents}
            incident = self._incidents_by_id.get(parts[1])
            return ("incident.html", incident_page(self.site, incident)) if incident else None
        return self.page_index().get(path)

    def page_index(self) -> dict[str, tuple[str, PageContext]]:
        """Output path → (template, context) of every page: pages() as a mapping, made once."""
        if self._page_index is None:
            self._page_index = {page_path: (template, context)
                                for page_path, template, context in self.pages()}
        return self._page_index

    def render(self, parallel: bool = False, reuse: PageReuse | None = None) -> Rendered:
        """Every page and asset, and the key of every keyed page. With `parallel`, large sites
        render in worker processes; with `reuse`, pages the previous build rendered under the
        same key are not rendered again."""
        self.check_templates()
        pages = list(self.pages())
        kept: dict[str, FileContent] = {}
        keys: dict[str, str] = {}
        if reuse is not None:
            to_render = []
            for page in pages:
                key = self.page_key(page[0], page[2])
                if key is not None:
                    keys[page[0]] = key
                    previous = reuse.reusable(page[0], key)
                    if previous is not None:
                        kept[page[0]] = previous
                        continue
                to_render.append(page)
            pages = to_render
        workers = worker_count(len(pages)) if parallel else 1
        if workers > 1:
            shares = in_processes(self._render_share, pages, workers)
            for _, bodies in shares:
                self.markdown.merge(bodies)
            rendered = interleaved([share for share, _ in shares])
        else:
            rendered = self.render_some(pages)
        output: dict[str, FileContent] = dict(rendered)
        output.update(kept)
        for name, data in self.theme.assets.items():
            output[f"assets/{name}"] = data
        return Rendered(output, keys)

    def _render_share(self, pages: list[tuple[str, str, dict[str, Any]]]
                      ) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
        """In a forked worker: the pages, and the Markdown bodies rendered so far (those the
        fork inherited come back too; merging them again changes nothing)."""
        return self.render_some(pages), self.markdown.rendered

    def render_some(self, pages: list[Page]) -> list[tuple[str, bytes]]:
        """Render these pages, in order: a worker's share, or the page the preview asks for."""
        return [(path, self.templates.render(template, path, context)) for path, template, context in pages]

    def check_templates(self) -> None:
        """Compile every template first, so all syntax errors are reported together."""
        self.templates.check()


def render_pages(site: Site, theme: Theme, parallel: bool = False, reuse: PageReuse | None = None,
                 markdown: MarkdownRenderer | None = None) -> Rendered:
    """Every HTML page and theme asset of the site, and the keys of the keyed pages.

    `parallel` forks worker processes for large sites; callers that run threads (the live
    preview) leave it off, since forking a threaded process is not safe. `reuse`: see
    PageRenderer.render. `markdown` renders the bodies (a fresh renderer if None)."""
    return PageRenderer(site, theme, markdown).render(parallel, reuse)
