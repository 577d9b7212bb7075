"""The build: source folder → validated model → rendered files → output folder.

This is the pipeline in one place; each stage lives in its own module.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from ..model import Site
from ..output import FileContent, OutputState, content_digest, output_lock, write_site
from ..render import markdown
from ..render.api import render_api
from ..render.badges import render_badges
from ..render.extras import SITEMAP_PATH, render_extras
from ..render.feeds import render_feeds
from ..render.pages import PageReuse, render_pages
from ..incremental.stores import ItemCache, MarkdownCache, Reused
from ..incremental.fingerprint import input_fingerprint, is_up_to_date, marker_text
from ..source.load import load_site
from ..source.theme import Theme
from ..wording import count_of


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


def render_site(site: Site, theme: Theme, parallel: bool = False,
                reuse: PageReuse | None = None) -> dict[str, FileContent]:
    """Every output file of the site, by path. `parallel` renders pages in worker processes;
    with `reuse`, pages the current output holds as they would be rendered are not rendered."""
    pages = render_pages(site, theme, parallel, reuse)
    return {**pages, **render_besides_pages(site, theme, pages, reuse)}


def render_besides_pages(site: Site, theme: Theme, page_paths: Iterable[str],
                         reuse: PageReuse | None = None) -> dict[str, FileContent]:
    """Feeds, the JSON API, badges and the extras (favicon, sitemap, robots.txt, widget.js)."""
    files = {**render_feeds(site, reuse), **render_api(site), **render_badges(site, theme)}
    files.update(render_extras(site, theme, [*page_paths, *files]))
    return files


def build(source_dir: Path, output_dir: Path, now: datetime, cache_dir: Path | None = None) -> BuildReport:
    """Build the site in `source_dir` into `output_dir` as of `now`.

    `cache_dir` keeps what the next build can reuse (see buildcache.py); None builds from
    scratch. Skipped when `output_dir` already holds the build of exactly these inputs
    (see cache.py).
    """
    started = time.perf_counter()
    cache = ItemCache(cache_dir)
    site, theme = load_site(source_dir, now, cache)
    fingerprint = input_fingerprint(source_dir, theme, cache.sources_digest(), now)
    cache.save()  # now, so the copies of the files it holds need not stay in memory while rendering
    with output_lock(cache_dir, output_dir):  # two builds must not update one spare at once
        state = OutputState(cache_dir, output_dir) if cache_dir is not None else None
        if is_up_to_date(output_dir, fingerprint, state):
            return BuildReport(None, {}, time.perf_counter() - started)
        bodies = MarkdownCache(cache_dir)
        markdown.remember(bodies.earlier)
        files = render_site(site, theme, parallel=True, reuse=state)
        bodies.update(markdown.rendered())
        digests = {path: content_digest(data) for path, data in files.items()}
        write_site(files, output_dir, marker_text(fingerprint, digests), state, digests)
    bodies.save()
    return BuildReport(site, files, time.perf_counter() - started)
