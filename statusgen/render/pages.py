"""HTML pages: the model → {output path: bytes} through the theme's Jinja2 templates.

Every template gets the `Site` plus the page's own object, and helpers for what templates
must not work out themselves: relative links (so the site works from disk and under any
sub-path), times in the display zone, durations and safe Markdown.
"""

from __future__ import annotations

import posixpath
import sys
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Iterator

from jinja2 import (Environment, FunctionLoader, StrictUndefined, TemplateError,
                    TemplateSyntaxError, pass_context)
from markupsafe import Markup, escape

from ..incremental.digests import items_shown, page_key, site_key
from ..incremental.hooks import FileContent, PageReuse, Rendered
from ..model import (OVERALL_LABELS, PHASE_LABELS, SEVERITY_NAMES, STATUS_LABELS, Incident,
                     Site, iso_utc)
from ..problems import BuildFailed, Problem
from ..source.theme import Theme, theme_palette
from .markdown import MarkdownRenderer
from .paths import (NOT_FOUND_PATH, component_badge_path, component_feed_path, component_path,
                    incident_path, maintenance_path, month_path, pretty, relative_url, update_anchor)
from .workers import in_processes, interleaved, worker_count

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

def live_incidents(incidents: Iterable[Incident]) -> str:
    """The open incidents a page shows, as `id@latest-update` tokens for live.js to compare with
    api/v2/summary.json: a different set, or a newer update, means the page is out of date."""
    return " ".join(f"{i.id}@{iso_utc(i.latest.at)}" for i in incidents if i.is_open)


def format_duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return " ".join(p for p in parts if p)


REUSABLE_TEMPLATES = ("incident.html", "base.html", "_macros.html")
"""What an incident page is rendered from. Its key (see PageRenderer.page_key) is only exact for
statusgen's own versions of these: a site's theme could make the page read anything."""


class PageRenderer:
    """Renders the site's pages with one theme."""

    def __init__(self, site: Site, theme: Theme, markdown: MarkdownRenderer | None = None):
        self.site = site
        self.theme = theme
        self.markdown = markdown if markdown is not None else MarkdownRenderer()
        """Renders the update bodies; a build shares one with the feeds (and its cache)."""
        self.env = Environment(
            loader=FunctionLoader(self._template_source),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            site=site,
            config=site.config,
            status_labels=STATUS_LABELS,
            overall_labels=OVERALL_LABELS,
            phase_labels=PHASE_LABELS,
            severity_names=SEVERITY_NAMES,
            month_names=MONTH_NAMES,
            url=self._url,
            absolute_url=self._absolute_url,
            incident_url=pass_context(lambda ctx, incident_id: self._url(ctx, incident_path(incident_id))),
            maintenance_url=pass_context(lambda ctx, m_id: self._url(ctx, maintenance_path(m_id))),
            component_url=pass_context(lambda ctx, c_id: self._url(ctx, component_path(c_id))),
            component_feed_url=pass_context(lambda ctx, c_id: self._url(ctx, component_feed_path(c_id))),
            component_badge_url=pass_context(lambda ctx, c_id: self._url(ctx, component_badge_path(c_id))),
            month_url=pass_context(lambda ctx, month: self._url(ctx, month_path(month))),
            time=self.time_element,
            local=self.local_text,
            duration=format_duration,
            markdown=self._markdown,
            update_anchor=update_anchor,
            zone_name=site.config.timezone,
            iso=iso_utc,
            site_root=self._site_root,
            theme_colour=self._theme_colour(),
            absolute_links=False,
            live_scope=None,
            live_incidents="",
            as_of=site.now,
        )
        self._markdown_cache: dict[str, Markup] = {}
        self._times: dict[tuple[datetime, bool, Any], Markup] = {}
        self._site_key: str | None = None
        self._incidents_by_id: dict[str, Incident] | None = None
        self._page_index: dict[str, tuple[str, dict[str, Any]]] | None = None

    def retarget(self, site: Site) -> None:
        """Render another build of the same site with the same theme, keeping the compiled
        templates (the preview's rebuilds; compiling costs 0.2 s). Not while rendering."""
        self.site = site
        self.env.globals.update(site=site, config=site.config, zone_name=site.config.timezone,
                                theme_colour=self._theme_colour(), as_of=site.now)
        self._site_key = None
        self._incidents_by_id = None
        self._page_index = None

    def _template_source(self, name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in self.theme.templates:
            return None
        source, shown = self.theme.templates[name]
        return source, shown, lambda: True

    # --- helpers for templates ------------------------------------------------------------------

    @pass_context
    def _url(self, context: Any, target: str) -> str:
        if context["absolute_links"]:
            path, _, fragment = target.partition("#")
            return self._absolute_url(path) + (f"#{fragment}" if fragment else "")
        return relative_url(target, context["page_path"])

    @pass_context
    def _site_root(self, context: Any) -> str:
        """The site's root as seen from the page ('./', '../../'), or base_url for the 404 page."""
        if context["absolute_links"]:
            return self.site.config.base_url
        return posixpath.relpath(".", posixpath.dirname(context["page_path"]) or ".") + "/"

    def _theme_colour(self) -> str:
        """The overall status's colour from the theme's palette, for `<meta name="theme-color">`."""
        return theme_palette(self.theme)[self.site.overall_status]

    def _absolute_url(self, path: str = "") -> str:
        return self.site.config.base_url + pretty(path)

    def local_text(self, moment: datetime, with_date: bool = True) -> str:
        local = moment.astimezone(self.site.zone)
        clock = f"{local:%H:%M} {local.tzname()}"
        return f"{local.day} {local:%b %Y}, {clock}" if with_date else clock

    def time_element(self, moment: datetime, with_date: bool = True) -> Markup:
        # The same instants appear on many pages (history, components, months): format each once.
        key = (moment, with_date, self.site.zone)
        element = self._times.get(key)
        if element is None:
            text = escape(self.local_text(moment, with_date))
            element = self._times[key] = Markup(f'<time datetime="{escape(iso_utc(moment))}">{text}</time>')
        return element

    def _markdown(self, source: str) -> Markup:
        if source not in self._markdown_cache:
            self._markdown_cache[source] = Markup(self.markdown.render(source))
        return self._markdown_cache[source]

    # --- pages ---------------------------------------------------------------------------------

    def pages(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(output path, template, page-specific context) for every page of the site."""
        site = self.site
        yield "index.html", "index.html", {
            "page_title": site.config.title,
            "live_scope": "all", "live_incidents": live_incidents(site.open_incidents)}
        for incident in site.incidents:
            yield incident_path(incident.id), "incident.html", self._incident_context(incident)
        for maintenance in site.maintenances:
            yield maintenance_path(maintenance.id), "maintenance.html", {
                "page_title": f"{maintenance.title} · {site.config.title}", "maintenance": maintenance}
        for component in site.components:
            yield component_path(component.id), "component.html", {
                "page_title": f"{component.name} · {site.config.title}", "component": component,
                "live_scope": f"component:{component.id}",
                "live_incidents": live_incidents(site.incidents_affecting(component.id))}
        yield "history/index.html", "history.html", {"page_title": f"History · {site.config.title}"}
        for index, month in enumerate(site.months):
            name = f"{MONTH_NAMES[month.month - 1]} {month.year}"
            yield month_path(month), "month.html", {
                "page_title": f"{name} · History · {site.config.title}",
                "as_of": site.now if month.maintenances or any(i.is_open for i in month.incidents) else None,
                "month": month,
                "month_name": name,
                "previous_month": site.months[index - 1] if index > 0 else None,
                "next_month": site.months[index + 1] if index + 1 < len(site.months) else None,
            }
        if site.config.metrics:
            from .metrics import METRICS_PATH, metrics_context
            yield METRICS_PATH, "metrics.html", metrics_context(site)
        yield NOT_FOUND_PATH, "404.html", {"page_title": f"Page not found · {site.config.title}",
                                          "absolute_links": True}

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

    def _incident_context(self, incident: Incident) -> dict[str, Any]:
        # A resolved incident's page says nothing about now, so it stays the same (and can
        # be reused, see page_key) however often the site is rebuilt.
        return {"page_title": f"{incident.title} · {self.site.config.title}", "incident": incident,
                "live_scope": f"incident:{incident.id}", "live_incidents": live_incidents([incident]),
                "as_of": self.site.now if incident.is_open else None}

    def page(self, path: str) -> tuple[str, dict[str, Any]] | None:
        """(template, context) of the page at `path`, or None: what pages() gives for it. An
        incident's page (the preview's usual ask) is found without listing every page."""
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "incidents" and parts[2] == "index.html":
            if self._incidents_by_id is None:
                self._incidents_by_id = {incident.id: incident for incident in self.site.incidents}
            incident = self._incidents_by_id.get(parts[1])
            return ("incident.html", self._incident_context(incident)) if incident else None
        return self.page_index().get(path)

    def page_index(self) -> dict[str, tuple[str, dict[str, Any]]]:
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

    def render_some(self, pages: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, bytes]]:
        rendered = []
        for path, template_name, context in pages:
            try:
                html = self.env.get_template(template_name).render(page_path=path, **context)
            except TemplateError as error:
                raise BuildFailed([_template_problem(error, self.theme)]) from None
            rendered.append((path, html.encode("utf-8")))
        return rendered

    def check_templates(self) -> None:
        """Compile every template first, so all syntax errors are reported together."""
        problems = []
        for name, (_, shown) in sorted(self.theme.templates.items()):
            try:
                self.env.get_template(name)
            except TemplateSyntaxError as error:
                problems.append(Problem(shown, error.lineno, None, f"template syntax error: {error.message}"))
        if problems:
            raise BuildFailed(problems)


def _template_problem(error: TemplateError, theme: Theme) -> Problem:
    """Locate a template's run-time error in the template file, from Jinja's rewritten traceback."""
    shown_files = {shown for _, shown in theme.templates.values()}
    file, line = "theme", None
    tb = sys.exc_info()[2]
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in shown_files:
            file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return Problem(file, line, None, f"template error: {escape(str(error)).unescape()}")

def render_pages(site: Site, theme: Theme, parallel: bool = False, reuse: PageReuse | None = None,
                 markdown: MarkdownRenderer | None = None) -> Rendered:
    """Every HTML page and theme asset of the site, and the keys of the keyed pages.

    `parallel` forks worker processes for large sites; callers that run threads (the live
    preview) leave it off, since forking a threaded process is not safe. `reuse`: see
    PageRenderer.render. `markdown` renders the bodies (a fresh renderer if None)."""
    return PageRenderer(site, theme, markdown).render(parallel, reuse)
