"""The build: source folder → validated model → rendered files → output folder.

This is the pipeline in one place (build()); each stage lives in its own module. The
incremental build plugs into it at three points: loading reads through an ItemCache, rendering
reuses files of the current output (OutputState) and renders Markdown once (MarkdownRenderer),
and writing is skipped when the output is up to date.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from .incremental.digests import content_digest, input_fingerprint
from .incremental.hooks import FileContent, PageReuse, Rendered, Reused
from .incremental.stores import ItemCache, MarkdownCache
from .model import Site
from .output import OutputState, is_up_to_date, marker_text, output_lock, write_site
from .render.api import render_api
from .render.badges import render_badges
from .render.calendars import render_calendars
from .render.extras import SITEMAP_PATH, render_extras
from .render.feeds import render_feeds
from .render.markdown import MarkdownRenderer
from .render.pages import render_pages
from .source.config import CONFIG_FILE
from .source.files import SiteFiles
from .source.load import load_site
from .source.theme import Theme
from .wording import count_of


@dataclass(frozen=True)
class BuildReport:
    site: Site | None
    """None when the build was skipped because nothing had changed."""
    files: dict[str, FileContent]
    """Every output file: its bytes, or Reused when the previous output's file was kept."""
    seconds: float

    @property
    def reused_count(self) -> int:
        """Pages kept from the previous build (feeds can be kept too, but are not counted)."""
        return sum(1 for path, data in self.files.items() if isinstance(data, Reused) and path.endswith(".html"))

    @property
    def page_count(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))

    @property
    def feed_count(self) -> int:
        return sum(1 for path in self.files if path.endswith(".xml") and path != SITEMAP_PATH)

    def summary(self, output_dir: Path) -> str:
        site = self.site
        if site is None:
            return (f"{output_dir} is up to date: no input changed since it was built "
                    f"(checked in {self.seconds:.2f} s)")
        incident_updates = sum(len(i.updates) for i in site.incidents)
        return (f"Built {count_of(len(site.incidents), 'incident')} ({len(site.open_incidents)} open, "
                f"{count_of(incident_updates, 'update')}) and {count_of(len(site.maintenances), 'maintenance')} "
                f"into {count_of(self.page_count, 'page')} ({self.reused_count} unchanged) and "
                f"{count_of(self.feed_count, 'feed')} in {output_dir} in {self.seconds:.2f} s")


def render_site(site: Site, theme: Theme, parallel: bool = False, reuse: PageReuse | None = None,
                markdown: MarkdownRenderer | None = None) -> Rendered:
    """Every output file of the site, by path, and the reuse keys of those rendered under one.
    `parallel` renders pages in worker processes; with `reuse`, files the current output
    holds as they would be rendered are not rendered. `markdown` renders the update bodies."""
    markdown = markdown if markdown is not None else MarkdownRenderer()
    pages = render_pages(site, theme, parallel, reuse, markdown)
    return pages | render_besides_pages(site, theme, pages.files, reuse, markdown)


def render_besides_pages(site: Site, theme: Theme, page_paths: Iterable[str], reuse: PageReuse | None = None,
                         markdown: MarkdownRenderer | None = None) -> Rendered:
    """Feeds, the JSON API, badges, calendars and the extras (favicon, sitemap, robots.txt, widget.js)."""
    feeds = render_feeds(site, reuse, markdown)
    files = {**feeds.files, **render_api(site), **render_badges(site, theme), **render_calendars(site)}
    files.update(render_extras(site, theme, [*page_paths, *files]))
    return Rendered(files, feeds.keys)


def build(source_dir: Path, output_dir: Path, now: datetime, cache_dir: Path | None = None) -> BuildReport:
    """Build the site in `source_dir` into `output_dir` as of `now`: load → fingerprint →
    up to date? → render → write.

    `cache_dir` keeps what the next build can reuse (incremental/stores.py); None builds from
    scratch. Skipped when `output_dir` already holds the build of exactly these inputs
    (output.is_up_to_date).
    """
    started = time.perf_counter()
    items = ItemCache(cache_dir)
    site, theme = load_site(source_dir, now, items)
    config = SiteFiles(source_dir).read_bytes(source_dir / CONFIG_FILE, CONFIG_FILE, [])  # None: build in full
    fingerprint = input_fingerprint(CONFIG_FILE, config, theme.digest, items.sources_digest(), now,
                                    repr(site.config.words))
    items.save()  # now, so the copies of the files it holds need not stay in memory while rendering
    with output_lock(cache_dir, output_dir):  # two builds must not update one spare at once
        state = OutputState(cache_dir, output_dir) if cache_dir is not None else None
        if is_up_to_date(output_dir, fingerprint, state):
            return BuildReport(None, {}, time.perf_counter() - started)
        bodies = MarkdownCache(cache_dir)
        markdown = MarkdownRenderer(bodies.earlier)
        rendered = render_site(site, theme, parallel=True, reuse=state, markdown=markdown)
        bodies.update(markdown.rendered)
        digests = {path: content_digest(data) for path, data in rendered.files.items()}
        write_site(rendered.files, output_dir, marker_text(fingerprint, digests), state, digests, rendered.keys)
    bodies.save()
    return BuildReport(site, rendered.files, time.perf_counter() - started)
