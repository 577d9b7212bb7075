"""`statusgen serve`: a local preview that rebuilds on every save and reloads open tabs.

The site is built in memory (rendering already yields {path: bytes}) and served from there
under base_url's sub-path, so the preview never touches `site/`. A watchdog observer marks the
source dirty; a builder thread waits for a short quiet spell (editors that save by rename or in
several writes produce bursts of events) and rebuilds. Pages get a small script, only here,
that long-polls for a newer build and reloads. A broken file turns every page into a list of
the build's problems until it is fixed; the server itself never stops for bad content.
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
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from markupsafe import escape
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import load_site, render_site
from .content import INCIDENTS_DIR
from .problems import BuildFailed, Problem
from .theme import default_theme_dir

WAIT_PATH = "/__statusgen/wait"
QUIET_SECONDS = 0.15
"""How long the source must stay unchanged before a rebuild starts."""
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
    """What the server currently shows: the latest build's files, or its problems."""

    version: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class PreviewSite:
    """Builds the site in memory and keeps the latest result; thread-safe."""

    def __init__(self, source_dir: Path, now: Callable[[], datetime], log: Callable[[str], None]):
        self.source_dir = source_dir
        self.now = now
        self.log = log
        self.state = BuildState()
        self.changed = threading.Condition()
        self.prefix = "/"

    def rebuild(self, reason: str = "") -> None:
        started = time.perf_counter()
        try:
            site, theme = load_site(self.source_dir, self.now())
            files, problems = render_site(site, theme), []
            self.prefix = urlsplit(site.config.base_url).path or "/"
        except BuildFailed as failure:
            files, problems = {}, failure.problems
        except Exception as error:  # a bug in statusgen must not take the preview down
            traceback.print_exc()
            files, problems = {}, [Problem("statusgen", None, None, f"internal error: {error!r}")]
        with self.changed:
            self.state = BuildState(self.state.version + 1, files, problems)
            self.changed.notify_all()
        took = time.perf_counter() - started
        if problems:
            for problem in problems:
                self.log(str(problem))
            self.log(f"Build failed with {len(problems)} error(s){reason}; fix and save to retry.")
        else:
            self.log(f"Built {sum(p.endswith('.html') for p in files)} pages in {took:.2f} s{reason}.")

    def wait_for_change(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version, timeout=timeout)
            return self.state.version


class _SourceWatcher(FileSystemEventHandler):
    """Collapses bursts of file events into one rebuild after a quiet spell."""

    def __init__(self, site: PreviewSite):
        self.site = site
        self.dirty_since: float | None = None
        self.last_path = ""
        self.lock = threading.Condition()
        self.stopped = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        path = str(getattr(event, "dest_path", "") or event.src_path)
        name = Path(path).name
        if event.event_type in ("opened", "closed_no_write") or name.startswith(".") \
                or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913":
            return
        with self.lock:
            if self.dirty_since is None or not event.is_directory:
                self.last_path = path  # name the file that changed, not its folder
            self.dirty_since = time.monotonic()
            self.lock.notify_all()

    def run(self) -> None:
        while True:
            with self.lock:
                self.lock.wait_for(lambda: self.dirty_since is not None or self.stopped)
                if self.stopped:
                    return
                quiet_for = time.monotonic() - self.dirty_since
                if quiet_for < QUIET_SECONDS:
                    self.lock.wait(QUIET_SECONDS - quiet_for)
                    continue
                self.dirty_since = None
                path = self.last_path
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
            if state.problems and relative.endswith(".html"):
                self._send(500, "text/html; charset=utf-8", self._error_page(state))
                return
            if relative not in state.files:
                if f"{relative}/index.html" in state.files:
                    self._redirect(path + "/")
                    return
                self._send(404, "text/plain; charset=utf-8", f"Not found: {path}\n".encode())
                return
            body = state.files[relative]
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
