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
server itself never stops for bad content. Nor for a bug: any other exception in a rebuild, or
while rendering a page, is shown the same way (and logged in one line), and the next save
reads everything again.
"""

from __future__ import annotations

import os
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
from ..preview.watcher import Changes, Watch, Watcher
from ..source.load import CONFIG_FILE, INCIDENTS_DIR, ContentStore, load_config, load_site
from ..model import Site
from ..problems import BuildFailed, Problem
from ..render.pages import PageRenderer
from ..source.theme import ASSETS_DIR, TEMPLATES_DIR, Theme, default_theme_dir
from .new import SITE_TEMPLATES_DIR

OWN_PATH = "/__statusgen/"
"""Where the preview server answers for itself (its reload script, its wait endpoint)."""
NOT_FOUND_PAGE = "404.html"
"""The built page an unknown address under the site's sub-path is answered with (status 404)."""
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
            located(path).relative_to(content.resolve())
        except (ValueError, OSError):
            self.reload_everything = True
            return
        self.store.forget(path)

    def rebuild(self, reason: str = "", changes: Changes | None = None) -> None:
        """Build again (after forgetting what `changes` changed) and publish the build, or its
        problems; never raises."""
        started = time.perf_counter()
        try:
            if changes is not None:
                self._forget(changes)
            site = self._build()
        except BuildFailed as failure:
            self._publish(None, failure.problems)
            self._log_problems(failure.problems, reason)
            return
        except Exception as error:  # a bug in statusgen must not take the preview down
            self.fail(error, reason)
            return
        self._publish(site, [])
        verb = "Rebuilt" if reason else "Built"
        self.log(f"{verb} {len(site.incidents)} incidents in {time.perf_counter() - started:.2f} s{reason}; "
                 f"pages render as they are viewed.")

    def fail(self, error: Exception, reason: str = "") -> None:
        """Show an unexpected error as the build's one problem, and read everything again next time."""
        self.reload_everything = True
        problem = internal_error(error)
        self._publish(None, [problem])
        self.log(f"Build failed{reason}: {problem}; save to retry.")

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
        except Exception as error:  # a template error (BuildFailed), or a bug in statusgen
            problems = error.problems if isinstance(error, BuildFailed) else [internal_error(error)]
            with self.changed:
                if state is not self.state:
                    return
                self.state = BuildState(state.version + 1, None, problems)
                self.changed.notify_all()
            if not isinstance(error, BuildFailed):
                self.reload_everything = True
            self._log_problems(problems, "")

    def wait_for_change(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version, timeout=timeout)
            return self.state.version

    def current(self) -> ShownBuild:
        """The latest build, as the preview server sees it."""
        return ShownBuild(self, self.state)

    def apply(self, changes: Changes) -> None:
        """The watcher's report of a burst of saves: forget what changed, and rebuild."""
        try:
            shown = located(changes.last).relative_to(self.source_dir.resolve())
        except (ValueError, OSError):
            shown = changes.last
        self.rebuild(f" ({shown} changed)", changes)

    def _forget(self, changes: Changes) -> None:
        if changes.everything:
            self.reload_everything = True
        else:
            for path in changes.paths:
                self.note_change(path)

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
        except Exception as error:  # a bug in statusgen: show it on the page, keep serving
            problem = internal_error(error)
            self.preview.log(f"Rendering {path} failed: {problem}")
            raise FileFailed([problem]) from error

    def has_folder(self, path: str) -> bool:
        return self.preview.has_page_folder(self.state, path)


def internal_error(error: Exception) -> Problem:
    """An unexpected exception as a one-line problem, naming where in statusgen it was raised."""
    frames = traceback.extract_tb(error.__traceback__)
    package = Path(__file__).resolve().parent.parent
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(package)] or frames
    where = ""
    if ours:
        frame = ours[-1]
        try:
            shown = Path(frame.filename).resolve().relative_to(package.parent).as_posix()
        except ValueError:
            shown = frame.filename
        where = f" (at {shown}:{frame.lineno})"
    return Problem("statusgen", None, None, f"internal error: {type(error).__name__}: {error}{where}")


def located(path: Path) -> Path:
    """`path` with its folder's symbolic links resolved, not its own: a link that loops (or leads
    elsewhere) is still named where it is."""
    return Path(os.path.realpath(path.parent)) / path.name


def build_failed_page(problems: Sequence[object]) -> bytes:
    """The page every HTML address shows while the build is broken: its problems."""
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed"
            f"</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>"
            f"<body style=\"font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; "
            f"padding: 0 1rem\"><h1>The build failed</h1><p>{len(problems)} error(s). Fix the "
            f"file and save: this page reloads by itself.</p><ul>{items}</ul></body></html>"
            ).encode()


def watched_folders(source_dir: Path) -> list[Watch]:
    """What a rebuild reads, to watch: statusgen.yml, content/, the theme's templates/ and assets/
    (the folder `theme:` names, and the built-in theme it builds on) and the site's authoring
    templates/; in the site's folder itself only those entries.

    Nothing else: not the output (site/), its spare, a log written there, a virtualenv or .git.
    The theme is the one statusgen.yml names now, so call this again after it changes.
    """
    source = source_dir.resolve()
    content = INCIDENTS_DIR.split("/")[0]
    config = load_config(source_dir, [])
    theme = config.theme if config is not None else None
    theme_dirs = [default_theme_dir()]
    if theme:
        custom = (source / theme).resolve()
        if custom.is_relative_to(source):
            theme_dirs.append(custom)
    folders = [source / content, source / SITE_TEMPLATES_DIR]
    folders += [folder / part for folder in theme_dirs for part in (TEMPLATES_DIR, ASSETS_DIR)]
    names: dict[Path, set[str]] = {source: {CONFIG_FILE}}
    for folder in folders:  # the making of a watched folder is a change too
        names.setdefault(folder.parent, set()).add(folder.name)
        if folder.parent != source and folder.parent.is_relative_to(source):
            names.setdefault(source, set()).add(folder.parent.relative_to(source).parts[0])
    watches = [Watch(folder, False, frozenset(sorted(entries))) for folder, entries in names.items()]
    return [*watches, *(Watch(folder, True) for folder in dict.fromkeys(folders))]


def serve(source_dir: Path, host: str, port: int, clock: Callable[[], datetime],
          log: Callable[[str], None], ready: Callable[[str], None] | None = None) -> None:
    """Serve a live preview until interrupted (Ctrl-C); each rebuild is at the time `clock` gives."""
    site = PreviewSite(source_dir, clock, log)
    site.rebuild()

    def changed(changes: Changes) -> None:
        site.apply(changes)
        follow(watcher, source_dir, log)  # statusgen.yml may name another theme now

    watcher = Watcher(changed, site.warm_latest, idle_seconds=WARM_AFTER_SECONDS,
                      thread_name="statusgen-rebuild", failed=site.fail)
    follow(watcher, source_dir, log)
    watcher.start()
    server = PreviewServer(host, port, site, build_failed_page, own_path=OWN_PATH, not_found=NOT_FOUND_PAGE)
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


def follow(watcher: Watcher, source_dir: Path, log: Callable[[str], None]) -> None:
    """Make `watcher` watch what the site's rebuild reads now (watched_folders)."""
    for watch, error in watcher.watch_only(watched_folders(source_dir)):
        log(f"Cannot watch {watch.folder}: {error.strerror or error}; changes there are not picked up.")

