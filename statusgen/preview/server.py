"""A dev server: serves the files of the latest build from memory and reloads open tabs.

It knows nothing about what it serves. A `Previewed` site gives the current `Build` (a version
number, the build's problems if it failed, and its files by path, made when first asked for)
and waits for the next one; the server serves the files under the site's sub-path (as the
published site will be served), redirects the bare root and folders, and answers every HTML
page of a failed build with an error page listing its problems.

Into every HTML page it serves it adds a small script, reload.js beside this module, that
long-polls the server's "wait for change" endpoint and reloads the tab when a newer build is
out. The script is served as a file, not inline, so pages keep their strict
Content-Security-Policy. The server's own two addresses live under a path of their own
(`own_path`), outside any site's sub-path.

An unknown address under the sub-path gets the site's own "not found" page with status 404, if
the site names one (`not_found`); HEAD is answered as GET, without the body; and a tab closed
while its answer is on the way (a broken pipe, a reset connection) is no error worth a line.
"""

from __future__ import annotations

import http.server
import json
import mimetypes
import signal
import sys
import threading
from importlib.resources import files
from typing import Callable, Protocol, Sequence
from urllib.parse import parse_qs, unquote, urlsplit

LONG_POLL_SECONDS = 25.0
"""How long a tab's "wait for change" request is held open when nothing changes."""
RELOAD_SCRIPT = "reload.js"
"""The reload client, beside this module (shipped as package data)."""
WAIT_PLACEHOLDER = "__WAIT_URL__"
"""Written in reload.js where the address of the wait endpoint goes."""


class FileFailed(Exception):
    """Raised by `Build.file` when that file cannot be made: its problems are shown instead."""

    def __init__(self, problems: Sequence[object]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s)")


class Build(Protocol):
    """One build, as the server shows it."""

    @property
    def version(self) -> int:
        """Counts the builds: a tab showing an older one reloads."""

    @property
    def problems(self) -> Sequence[object]:
        """Why the build failed, each shown by its str(); empty if it did not fail."""

    def file(self, path: str) -> bytes | None:
        """The file at `path` (relative to the site's sub-path); None if there is none.
        May raise FileFailed."""

    def has_folder(self, path: str) -> bool:
        """Whether `path` is a folder with an index.html (so `path/` is worth redirecting to)."""


class Previewed(Protocol):
    """What a PreviewServer serves."""

    @property
    def prefix(self) -> str:
        """The sub-path the site is served under, starting and ending with "/"."""

    def current(self) -> Build:
        """The latest build."""

    def wait_for_change(self, version: int, timeout: float) -> int:
        """The latest build's version, once it is not `version` or `timeout` seconds passed."""


ErrorPage = Callable[[Sequence[object]], bytes]
"""Makes the HTML page shown for a failed build from its problems; the reload script is added."""


class PreviewServer:
    """An HTTP server for a `Previewed` site, listening on (host, port); port 0 picks one."""

    def __init__(self, host: str, port: int, site: Previewed, error_page: ErrorPage,
                 own_path: str = "/__preview/", not_found: str | None = None):
        self.site = site
        self.error_page = error_page
        self.not_found = not_found
        """The file (relative to the sub-path) served with status 404 for an unknown address."""
        self.script_path = own_path + RELOAD_SCRIPT
        self.wait_path = own_path + "wait"
        script = files(__package__).joinpath(RELOAD_SCRIPT).read_text(encoding="utf-8")
        self.script = script.replace(WAIT_PLACEHOLDER, self.wait_path).encode("utf-8")
        self.http = _HTTPServer((host, port), PreviewHandler)
        self.http.preview = self
        self.http.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self.http.server_address[1])

    def reload_tag(self, version: int) -> str:
        """The script tag that reloads a page of build `version` once a newer build is out."""
        return f'<script src="{self.script_path}" data-version="{version}"></script>\n'

    def with_reload(self, html: bytes, version: int) -> bytes:
        """`html` with the reload script added at the end of its body."""
        return html.replace(b"</body>", self.reload_tag(version).encode() + b"</body>", 1)

    def run(self) -> None:
        """Serve until Ctrl-C, or SIGTERM (a process manager, `timeout`), which stops alike."""
        previous_sigterm = signal.signal(signal.SIGTERM, _interrupt) \
            if threading.current_thread() is threading.main_thread() else None
        try:
            self.http.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            if previous_sigterm is not None:
                signal.signal(signal.SIGTERM, previous_sigterm)

    def close(self) -> None:
        self.http.server_close()


class _HTTPServer(http.server.ThreadingHTTPServer):
    preview: PreviewServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away (a closed tab) is not an error; anything else is printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, ...
            return
        super().handle_error(request, client_address)


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """Answers one request for a PreviewServer (`self.server.preview`)."""

    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    head_only = False
    """Set while answering HEAD: the headers GET would send, no body."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        preview = self.server.preview
        try:
            url = urlsplit(self.path)
        except ValueError:  # '//[x/': urllib cannot split it; no file has such an address
            self._send(400, "text/plain; charset=utf-8", b"Bad request: the address cannot be read.\n")
            return
        if url.path == preview.script_path:
            self._send(200, "text/javascript; charset=utf-8", preview.script)
        elif url.path == preview.wait_path:
            version = parse_qs(url.query).get("version", ["0"])[0]
            current = preview.site.wait_for_change(int(version) if version.isdigit() else -1, LONG_POLL_SECONDS)
            self._send(200, "application/json", json.dumps({"version": current}).encode())
        else:
            self._serve_file(unquote(url.path))

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self.head_only = True
        try:
            self.do_GET()
        finally:
            self.head_only = False

    def _serve_file(self, path: str) -> None:
        preview = self.server.preview
        prefix = preview.site.prefix
        if not path.startswith(prefix):
            if path in ("/", prefix.rstrip("/")):
                self._redirect(prefix)
            else:
                self._send(404, "text/plain; charset=utf-8", f"Not found. The site is served under {prefix}\n".encode())
            return
        build = preview.site.current()
        relative = path[len(prefix):]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        problems = build.problems
        try:
            body = build.file(relative) if not problems else None
        except FileFailed as failure:
            problems, body = failure.problems, None
        if problems and relative.endswith(".html"):
            self._send(500, "text/html; charset=utf-8", preview.with_reload(preview.error_page(problems), build.version))
        elif body is None:
            if not problems and build.has_folder(relative):
                self._redirect(path + "/")
            else:
                self._not_found(build, path)
        else:
            self._send(200, *_typed(relative, body, preview, build.version))

    def _not_found(self, build: Build, path: str) -> None:
        """404, with the site's own page for it if it names one and the build has it."""
        preview = self.server.preview
        page = None
        if preview.not_found is not None and not build.problems:
            try:
                page = build.file(preview.not_found)
            except FileFailed:
                page = None
        if page is None:
            self._send(404, "text/plain; charset=utf-8", f"Not found: {path}\n".encode())
        else:
            self._send(404, *_typed(preview.not_found, page, preview, build.version))

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
        if not self.head_only:
            self.wfile.write(body)


def _typed(path: str, body: bytes, preview: PreviewServer, version: int) -> tuple[str, bytes]:
    """The Content-Type of the file at `path`, and its body as served (HTML gets the reload script)."""
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith(".html"):
        body = preview.with_reload(body, version)
    if content_type.startswith("text/") or content_type.endswith(("xml", "json", "javascript")):
        content_type += "; charset=utf-8"
    return content_type, body


def _interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM like Ctrl-C: stop cleanly."""
    raise KeyboardInterrupt
