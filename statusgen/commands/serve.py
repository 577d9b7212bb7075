"""`statusgen serve`: a local preview that rebuilds on every save and reloads open tabs.

This module wires the generic dev server and watcher of `statusgen.preview` to statusgen. The
site is built in memory and served from there under base_url's sub-path, so the preview never
touches `site/`. The watcher reports the paths a burst of saves changed; a rebuild reads again
only the item folders that changed (source.items.ContentStore), derives the site's model, and
renders nothing: a page is rendered when it is first requested, with templates compiled once
per theme, so a save shows up in well under a second even on a site with 10,000 updates. Once
the site is quiet, the remaining pages are rendered in the background, so template errors are
found without visiting every page.

A broken file turns every page into a list of the build's problems until it is fixed; the
server itself never stops for bad content.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

from markupsafe import escape

from ..pipeline import render_besides_pages
from ..incremental.stores import ItemCache, site_cache_dir
from ..preview.server import FileFailed, PreviewServer
from ..preview.watcher import Changes, Watcher
from ..source.load import CONFIG_FILE, INCIDENTS_DIR, ContentStore, load_site
from ..model import Site
from ..problems import BuildFailed, Problem
from ..render.pages import PageRenderer
from ..source.theme import Theme, default_theme_dir

OWN_PATH = "/__statusgen/"
"""Where the preview server answers for itself (its reload script, its wait endpoint)."""
WARM_AFTER_SECONDS = 3.0
"""How long a build must stand before the rest of its pages are rendered in the background:
long enough that the page a reloading tab asks for is rendered first, alone. A save while the
background rendering runs waits for the page being rendered (at most the history page's
0.25 s at 10,000 updates)."""


@dataclass
class BuildState:
    """What the server currently shows: the latest build (its files rendered so far), or its problems."""

    version: int = 0
    site: Site | None = None
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, tuple[str, dict[str, Any]]] | None = None
    """Output path → (template, context) of every page, once asked for."""
    others_rendered: bool = False
    """Whether feeds, the API, badges, extras and theme assets are in `files`."""


class PreviewSite:
    """Keeps the latest build in memory and renders its files on request; thread-safe."""

    def __init__(self, source_dir: Path, now: Callable[[], datetime], log: Callable[[str], None]):
        self.source_dir = source_dir
        self.now = now
        self.log = log
        self.state = BuildState()
        self.changed = threading.Condition()
        self.prefix = "/"
        self.store = ContentStore(source_dir)
        self.theme: Theme | None = None
        self.renderer: PageRenderer | None = None
        self.render_lock = threading.RLock()
        """Held while rendering: a renderer is retargeted at each new build."""
        self.reload_everything = True

    def note_change(self, path: Path) -> None:
        """A file or folder changed: content is read again item by item, anything else whole."""
        content = (self.source_dir / INCIDENTS_DIR).parent
        try:
            path.resolve().relative_to(content.resolve())
        except (ValueError, OSError):
            self.reload_everything = True
            return
        self.store.forget(path)

    def rebuild(self, reason: str = "") -> None:
        started = time.perf_counter()
        try:
            site, problems = self._build(), []
        except BuildFailed as failure:
            site, problems = None, failure.problems
        except Exception as error:  # a bug in statusgen must not take the preview down
            traceback.print_exc()
            site, problems = None, [Problem("statusgen", None, None, f"internal error: {error!r}")]
        self._publish(site, problems)
        took = time.perf_counter() - started
        if problems:
            self._log_problems(problems, reason)
        else:
            verb = "Rebuilt" if reason else "Built"
            self.log(f"{verb} {len(site.incidents)} incidents in {took:.2f} s{reason}; "  # type: ignore[union-attr]
                     f"pages render as they are viewed.")

    def _build(self) -> Site:
        everything = self.reload_everything
        self.reload_everything = False
        cache = None
        if everything:
            self.store.forget_all()
            cache = ItemCache(site_cache_dir(self.source_dir))  # what `statusgen build` parsed
        try:
            # One instant for the whole build: the items and the site agree on it.
            site, self.theme = load_site(self.source_dir, self.now(), cache, self.store)
        except BuildFailed as failure:
            # A broken statusgen.yml or theme is read again whole once it changes.
            in_config = any(p.file == CONFIG_FILE for p in failure.problems)
            self.reload_everything = self.reload_everything or everything or in_config
            raise
        if cache is not None:
            cache.save()
        with self.render_lock:
            if everything or self.renderer is None:
                self.renderer = None
                renderer = PageRenderer(site, self.theme)
                try:
                    renderer.check_templates()
                except BuildFailed:
                    self.reload_everything = True
                    raise
                self.renderer = renderer
            else:
                self.renderer.retarget(site)
        self.prefix = urlsplit(site.config.base_url).path or "/"
        return site

    def _publish(self, site: Site | None, problems: list[Problem]) -> None:
        with self.changed:
            self.state = BuildState(self.state.version + 1, site, problems)
            self.changed.notify_all()

    def _log_problems(self, problems: list[Problem], reason: str) -> None:
        for problem in problems:
            self.log(str(problem))
        self.log(f"Build failed with {len(problems)} error(s){reason}; fix and save to retry.")

    def file(self, state: BuildState, path: str) -> bytes | None:
        """The output file at `path` of the build `state`, rendered now if need be; None if the
        build has no such file. Raises BuildFailed for a template error in that file."""
        if path in state.files:
            return state.files[path]
        with self.render_lock:
            if state is not self.state or self.renderer is None or state.site is None:
                return state.files.get(path)  # a newer build is out; the tab will reload
            renderer = self.renderer
            page = renderer.page(path) if path.endswith(".html") else None
            if page is not None:
                state.files.update(renderer.render_some([(path, *page)]))
                return state.files[path]
            if state.pages is None:
                state.pages = renderer.page_index()
            if not state.others_rendered and path not in state.pages:
                theme = self.theme
                others = render_besides_pages(state.site, theme, state.pages,  # type: ignore[arg-type]
                                              markdown=renderer.markdown).files
                others.update({f"assets/{name}": data for name, data in theme.assets.items()})  # type: ignore[union-attr]
                state.files.update(others)
                state.others_rendered = True
        return state.files.get(path)

    def has_page_folder(self, state: BuildState, path: str) -> bool:
        return f"{path}/index.html" in (state.pages or state.files)

    def warm(self, state: BuildState, stop: Callable[[], bool]) -> None:
        """Render every file of `state` not rendered yet, one at a time, giving way whenever
        `stop()` says a change is waiting; a template error becomes the build's problems."""
        try:
            self.file(state, "feed.xml")  # lists every page in state.pages
            for path in list(state.pages or ()):
                if stop() or state is not self.state:
                    return
                self.file(state, path)
        except BuildFailed as failure:
            with self.changed:
                if state is self.state:
                    self.state = BuildState(state.version + 1, None, failure.problems)
                    self.changed.notify_all()
            self._log_problems(failure.problems, "")

    def wait_for_change(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version, timeout=timeout)
            return self.state.version

    def current(self) -> ShownBuild:
        """The latest build, as the preview server sees it."""
        return ShownBuild(self, self.state)

    def apply(self, changes: Changes) -> None:
        """The watcher's report of a burst of saves: forget what changed, and rebuild."""
        if changes.everything:
            self.reload_everything = True
        else:
            for path in changes.paths:
                self.note_change(path)
        try:
            shown = changes.last.resolve().relative_to(self.source_dir.resolve())
        except ValueError:
            shown = changes.last
        self.rebuild(f" ({shown} changed)")

    def warm_latest(self, stop: Callable[[], bool]) -> None:
        """The watcher found the site quiet: render the rest of the latest build."""
        self.warm(self.state, stop)


@dataclass(frozen=True)
class ShownBuild:
    """One build of a PreviewSite, as the preview server asks for it (preview.server.Build)."""

    preview: PreviewSite
    state: BuildState

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def problems(self) -> Sequence[Problem]:
        return self.state.problems

    def file(self, path: str) -> bytes | None:
        try:
            return self.preview.file(self.state, path)
        except BuildFailed as failure:
            raise FileFailed(failure.problems) from failure

    def has_folder(self, path: str) -> bool:
        return self.preview.has_page_folder(self.state, path)


def build_failed_page(problems: Sequence[object]) -> bytes:
    """The page every HTML address shows while the build is broken: its problems."""
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed"
            f"</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>"
            f"<body style=\"font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; "
            f"padding: 0 1rem\"><h1>The build failed</h1><p>{len(problems)} error(s). Fix the "
            f"file and save: this page reloads by itself.</p><ul>{items}</ul></body></html>"
            ).encode()


def watched_folders(source_dir: Path) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs to watch: the site's folder itself (statusgen.yml), content/,
    any theme folder in the site (one with templates/ or assets/), and the built-in theme.

    Not the whole site folder recursively: it may hold a virtualenv or .git with many files.
    """
    folders = [(source_dir, False)]
    content = source_dir / INCIDENTS_DIR.split("/")[0]
    if content.is_dir():
        folders.append((content, True))
    for child in sorted(source_dir.iterdir()):
        if child.is_dir() and ((child / "templates").is_dir() or (child / "assets").is_dir()):
            folders.append((child, True))
    folders.append((default_theme_dir(), True))
    return list(dict.fromkeys(folders))


def serve(source_dir: Path, host: str, port: int, clock: Callable[[], datetime],
          log: Callable[[str], None], ready: Callable[[str], None] | None = None) -> None:
    """Serve a live preview until interrupted (Ctrl-C); each rebuild is at the time `clock` gives."""
    site = PreviewSite(source_dir, clock, log)
    site.rebuild()
    watcher = Watcher(site.apply, site.warm_latest, idle_seconds=WARM_AFTER_SECONDS,
                      thread_name="statusgen-rebuild")
    for folder, recursive in watched_folders(source_dir):
        watcher.watch(folder, recursive)
    watcher.start()
    server = PreviewServer(host, port, site, build_failed_page, own_path=OWN_PATH)
    address = f"http://{host}:{server.port}{site.prefix}"
    log(f"Serving a live preview at {address} (Ctrl-C to stop)")
    if ready:
        ready(address)
    try:
        server.run()
    finally:
        watcher.stop()
        server.close()
        watcher.join(timeout=5)
        log("Stopped.")


