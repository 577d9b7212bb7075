"""`statusgen serve`: a local preview that rebuilds on every save and reloads open tabs.

The site is built in memory and served from there under base_url's sub-path, so the preview
never touches `site/`. A watchdog observer reports changed paths; a builder thread waits for a
short quiet spell (editors that save by rename or in several writes produce bursts of events)
and rebuilds. A rebuild reads again only the item folders that changed (content.ContentStore),
derives the site's model, and renders nothing: a page is rendered when it is first requested,
with templates compiled once per theme, so a save shows up in well under a second even on a
site with 10,000 updates. Once the site is quiet, the remaining pages are rendered in the
background, so template errors are found without visiting every page.

Pages get a small script, only here, that long-polls for a newer build and reloads. A broken
file turns every page into a list of the build's problems until it is fixed; the server itself
never stops for bad content.
"""

from __future__ import annotations

import http.server
import json
import mimetypes
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from markupsafe import escape
from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent,
                             FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from .build import render_besides_pages
from ..incremental.stores import ItemCache, site_cache_dir
from ..source.config import load_config
from ..source.discovery import INCIDENTS_DIR
from ..source.items import ContentStore
from ..model import Site, build_site
from ..problems import BuildFailed, Problem
from ..render.pages import PageRenderer
from ..source.theme import Theme, default_theme_dir, load_theme

WATCHED_EVENTS = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
                  DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
"""Changes only. Reading files makes inotify report opens and closes too; with 10,000s of files
a rebuild's own reads (and watchdog's, adding watches) overflow the kernel's event queue."""
RELOAD_ALL_AFTER = 500
"""More changed paths than this in one go (a `git checkout`, a lost-events rescan): reload all."""

WAIT_PATH = "/__statusgen/wait"
QUIET_SECONDS = 0.04
"""How long the source must stay unchanged before a rebuild starts: inotify reports a save
within milliseconds, and an editor's burst of events (write, rename) within a few more."""
WARM_AFTER_SECONDS = 3.0
"""How long a build must stand before the rest of its pages are rendered in the background:
long enough that the page a reloading tab asks for is rendered first, alone. A save while the
background rendering runs waits for the page being rendered (at most the history page's
0.25 s at 10,000 updates)."""
LONG_POLL_SECONDS = 25.0

RELOAD_SCRIPT_PATH = "/__statusgen/reload.js"
RELOAD_SCRIPT = """(function () {
  var version = Number(document.currentScript.getAttribute("data-version"));
  function poll() {
    fetch("%s?version=" + version, {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (data) { if (data.version !== version) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""" % WAIT_PATH
"""Served as a file, not inline, so pages keep their strict Content-Security-Policy."""


def reload_tag(version: int) -> str:
    return f'<script src="{RELOAD_SCRIPT_PATH}" data-version="{version}"></script>\n'


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
        problems: list[Problem] = []
        everything = self.reload_everything
        self.reload_everything = False
        config = load_config(self.source_dir, problems)
        if config is None:
            self.reload_everything = True
            raise BuildFailed(problems)
        cache = None
        if everything:
            self.store.forget_all()
            self.theme = load_theme(self.source_dir, config.theme, problems)
            cache = ItemCache(site_cache_dir(self.source_dir))  # what `statusgen build` parsed
        now = self.now()  # one instant for the whole build: the items and the site agree on it
        incidents, maintenances = self.store.load([c.id for c in config.components], now,
                                                  problems, cache)
        if cache is not None and not problems:
            cache.save()
        if problems:
            self.reload_everything = self.reload_everything or everything
            raise BuildFailed(problems)
        site = build_site(config, incidents, maintenances, now, ZoneInfo(config.timezone))
        with self.render_lock:
            if everything or self.renderer is None:
                self.renderer = None
                renderer = PageRenderer(site, self.theme)  # type: ignore[arg-type]
                try:
                    renderer.check_templates()
                except BuildFailed:
                    self.reload_everything = True
                    raise
                self.renderer = renderer
            else:
                self.renderer.retarget(site)
        self.prefix = urlsplit(config.base_url).path or "/"
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


class _SourceWatcher(FileSystemEventHandler):
    """Collapses bursts of file events into one rebuild after a quiet spell, and renders the
    rest of a build in the background once nothing has changed for a while."""

    def __init__(self, site: PreviewSite):
        self.site = site
        self.dirty_since: float | None = None
        self.changed_paths: set[str] = set()
        self.last_path = ""
        self.lock = threading.Condition()
        self.stopped = False
        self.warmed_version = -1

    def on_any_event(self, event: FileSystemEvent) -> None:
        path = str(getattr(event, "dest_path", "") or event.src_path)
        name = Path(path).name
        if event.event_type in ("opened", "closed_no_write") or name.startswith(".") \
                or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913":
            return
        with self.lock:
            if self.dirty_since is None or not event.is_directory:
                self.last_path = path  # name the file that changed, not its folder
            self.changed_paths.update(p for p in (event.src_path, getattr(event, "dest_path", "")) if p)
            self.dirty_since = time.monotonic()
            self.lock.notify_all()

    def pending(self) -> bool:
        return self.dirty_since is not None or self.stopped

    def run(self) -> None:
        while True:
            with self.lock:
                self.lock.wait_for(lambda: self.pending() or self.warmed_version != self.site.state.version,
                                   timeout=WARM_AFTER_SECONDS)
                if self.stopped:
                    return
                if self.dirty_since is None:
                    state = self.site.state
                    if state.version == self.warmed_version:
                        continue
                    self.lock.wait(WARM_AFTER_SECONDS)
                    if self.pending() or state is not self.site.state:
                        continue
                    self.warmed_version = state.version
                    warm = state
                else:
                    warm = None
                    quiet_for = time.monotonic() - self.dirty_since
                    if quiet_for < QUIET_SECONDS:
                        self.lock.wait(QUIET_SECONDS - quiet_for)
                        continue
                    self.dirty_since = None
                    path, changed, self.changed_paths = self.last_path, self.changed_paths, set()
            if warm is not None:
                self.site.warm(warm, self.pending)
                continue
            if len(changed) > RELOAD_ALL_AFTER:
                self.site.reload_everything = True
            else:
                for changed_path in sorted(changed):
                    self.site.note_change(Path(changed_path))
            try:
                shown = Path(path).resolve().relative_to(self.site.source_dir.resolve())
            except ValueError:
                shown = Path(path)
            self.site.rebuild(f" ({shown} changed)")

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            self.lock.notify_all()


def _handler_for(site: PreviewSite) -> type[http.server.BaseHTTPRequestHandler]:
    class PreviewHandler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            if url.path == RELOAD_SCRIPT_PATH:
                self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
                return
            if url.path == WAIT_PATH:
                version = parse_qs(url.query).get("version", ["0"])[0]
                current = site.wait_for_change(int(version) if version.isdigit() else -1, LONG_POLL_SECONDS)
                self._send(200, "application/json", json.dumps({"version": current}).encode())
                return
            path = unquote(url.path)
            if not path.startswith(site.prefix):
                if path in ("/", site.prefix.rstrip("/")):
                    self._redirect(site.prefix)
                else:
                    self._send(404, "text/plain; charset=utf-8",
                               f"Not found. The site is served under {site.prefix}\n".encode())
                return
            state = site.state
            relative = path[len(site.prefix):]
            if relative == "" or relative.endswith("/"):
                relative += "index.html"
            try:
                body = site.file(state, relative) if not state.problems else None
            except BuildFailed as failure:
                state, body = BuildState(state.version, None, failure.problems), None
            if state.problems and relative.endswith(".html"):
                self._send(500, "text/html; charset=utf-8", self._error_page(state))
                return
            if body is None:
                if site.has_page_folder(state, relative):
                    self._redirect(path + "/")
                    return
                self._send(404, "text/plain; charset=utf-8", f"Not found: {path}\n".encode())
                return
            content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
            if relative.endswith(".html"):
                body = body.replace(b"</body>", reload_tag(state.version).encode() + b"</body>", 1)
            if content_type.startswith("text/") or content_type.endswith(("xml", "json", "javascript")):
                content_type += "; charset=utf-8"
            self._send(200, content_type, body)

        def _error_page(self, state: BuildState) -> bytes:
            items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in state.problems)
            script = reload_tag(state.version)
            return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed"
                    f"</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>"
                    f"<body style=\"font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; "
                    f"padding: 0 1rem\"><h1>The build failed</h1><p>{len(state.problems)} error(s). Fix the "
                    f"file and save: this page reloads by itself.</p><ul>{items}</ul>{script}</body></html>"
                    ).encode()

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return PreviewHandler


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


def serve(source_dir: Path, host: str, port: int, fixed_now: datetime | None,
          log: Callable[[str], None], ready: Callable[[str], None] | None = None) -> None:
    """Serve a live preview until interrupted (Ctrl-C)."""
    site = PreviewSite(source_dir, (lambda: fixed_now) if fixed_now else _real_now, log)
    site.rebuild()
    watcher = _SourceWatcher(site)
    observer = Observer()
    for folder, recursive in watched_folders(source_dir):
        try:
            observer.schedule(watcher, str(folder), recursive=recursive, event_filter=WATCHED_EVENTS)
        except TypeError:  # a watchdog without event_filter
            observer.schedule(watcher, str(folder), recursive=recursive)
    observer.start()
    builder = threading.Thread(target=watcher.run, name="statusgen-rebuild", daemon=True)
    builder.start()
    server = http.server.ThreadingHTTPServer((host, port), _handler_for(site))
    server.daemon_threads = True
    address = f"http://{host}:{server.server_address[1]}{site.prefix}"
    log(f"Serving a live preview at {address} (Ctrl-C to stop)")
    if ready:
        ready(address)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        observer.stop()
        server.server_close()
        observer.join(timeout=5)
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
        log("Stopped.")


def _interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM (a process manager, `timeout`) like Ctrl-C: stop cleanly."""
    raise KeyboardInterrupt


def _real_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
