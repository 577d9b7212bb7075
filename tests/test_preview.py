"""statusgen.preview on its own: the generic dev server and watcher, with no status site."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import pytest

from statusgen.preview.server import FileFailed, PreviewServer
from statusgen.preview.watcher import Changes, Watcher


@dataclass
class FakeBuild:
    version: int
    files: dict[str, bytes]
    problems: Sequence[object] = ()
    broken: set[str] = field(default_factory=set)

    def file(self, path: str) -> bytes | None:
        if path in self.broken:
            raise FileFailed([f"{path}: cannot be made"])
        return self.files.get(path)

    def has_folder(self, path: str) -> bool:
        return f"{path}/index.html" in self.files


class FakeSite:
    prefix = "/docs/"

    def __init__(self, build: FakeBuild):
        self.build = build

    def current(self) -> FakeBuild:
        return self.build

    def wait_for_change(self, version: int, timeout: float) -> int:
        return self.build.version


def error_page(problems: Sequence[object]) -> bytes:
    return ("<html><body><ul>" + "".join(f"<li>{p}</li>" for p in problems) + "</ul></body></html>").encode()


PAGE = b"<html><body><p>Hello</p></body></html>"


@pytest.fixture
def preview() -> Iterator[tuple[FakeSite, str]]:
    site = FakeSite(FakeBuild(7, {"index.html": PAGE, "guide/index.html": PAGE, "data.json": b"{}"}))
    server = PreviewServer("127.0.0.1", 0, site, error_page, own_path="/__dev/")
    thread = threading.Thread(target=server.http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.port}"
    server.http.shutdown()
    server.close()


def get(url: str) -> tuple[int, str, str, str]:
    """Status, final URL, Content-Type and body."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.url, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.headers["Content-Type"], error.read().decode()


def test_serves_files_under_the_sub_path_and_adds_the_reload_script(preview) -> None:
    site, root = preview
    status, _, kind, body = get(root + "/docs/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert body == '<html><body><p>Hello</p><script src="/__dev/reload.js" data-version="7"></script>\n</body></html>'
    assert get(root + "/docs/data.json")[:3:2] == (200, "application/json; charset=utf-8")
    assert get(root + "/")[1] == root + "/docs/"  # the root redirects to the sub-path
    assert get(root + "/docs/guide")[1] == root + "/docs/guide/"  # a folder gets its slash
    assert get(root + "/docs/missing.html")[0] == 404
    status, _, _, body = get(root + "/elsewhere")
    assert status == 404 and "served under /docs/" in body


def test_reload_script_and_wait_endpoint(preview) -> None:
    site, root = preview
    status, _, kind, script = get(root + "/__dev/reload.js")
    assert (status, kind) == (200, "text/javascript; charset=utf-8")
    assert '"/__dev/wait?version="' in script and "__WAIT_URL__" not in script
    assert json.loads(get(root + "/__dev/wait?version=3")[3]) == {"version": 7}


def test_a_failed_build_shows_its_problems_on_every_page(preview) -> None:
    site, root = preview
    site.build = FakeBuild(8, {}, problems=["a.md:3: bad phase"])
    status, _, _, body = get(root + "/docs/anything.html")
    assert status == 500 and "<li>a.md:3: bad phase</li>" in body and 'data-version="8"' in body
    assert get(root + "/docs/data.json")[0] == 404


def test_a_file_that_fails_shows_its_problems(preview) -> None:
    site, root = preview
    site.build.broken.add("index.html")
    status, _, _, body = get(root + "/docs/")
    assert status == 500 and "index.html: cannot be made" in body


def collect(tmp_path: Path, **options) -> tuple[Watcher, list[Changes], list[bool]]:
    changes: list[Changes] = []
    idles: list[bool] = []
    watcher = Watcher(changes.append, lambda pending: idles.append(pending()), **options)
    watcher.watch(tmp_path, recursive=True)
    watcher.start()
    return watcher, changes, idles


def wait_until(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)
    return predicate()


def test_watcher_reports_a_burst_once_and_ignores_editor_debris(tmp_path: Path) -> None:
    watcher, changes, idles = collect(tmp_path, quiet_seconds=0.2, idle_seconds=0.3)
    try:
        assert wait_until(lambda: idles == [False])  # calm after the start
        (tmp_path / "page.md.swp").write_text("swap")
        (tmp_path / ".hidden").write_text("hidden")
        (tmp_path / "page.md").write_text("one")
        (tmp_path / "other.md").write_text("two")
        assert wait_until(lambda: changes)
        time.sleep(0.3)
        (burst,) = changes
        assert not burst.everything and burst.last.name in ("page.md", "other.md")
        assert {p.name for p in burst.paths} == {"page.md", "other.md"}
        assert list(burst.paths) == sorted(burst.paths, key=str)
        assert wait_until(lambda: len(idles) == 2)  # calm again after the change
    finally:
        watcher.stop()
        watcher.join(timeout=5)


def test_watcher_says_everything_after_many_changes(tmp_path: Path) -> None:
    watcher, changes, _ = collect(tmp_path, quiet_seconds=0.2, everything_after=3)
    try:
        for number in range(5):
            (tmp_path / f"{number}.md").write_text("x")
        assert wait_until(lambda: changes)
        assert changes[0].everything and changes[0].paths == ()
    finally:
        watcher.stop()
        watcher.join(timeout=5)


def test_watcher_outlives_a_callback_that_raises(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    calls: list[Changes] = []

    def changed(changes: Changes) -> None:
        calls.append(changes)
        if len(calls) == 1:
            raise RuntimeError("boom")

    watcher = Watcher(changed, lambda pending: None, quiet_seconds=0.1, idle_seconds=5, thread_name="test-watcher")
    watcher.watch(tmp_path, recursive=True)
    watcher.start()
    try:
        (tmp_path / "a.md").write_text("one")
        assert wait_until(lambda: len(calls) == 1)
        time.sleep(0.2)
        (tmp_path / "b.md").write_text("two")
        assert wait_until(lambda: len(calls) == 2), "the watcher stopped after the callback raised"
    finally:
        watcher.stop()
        watcher.join(timeout=5)
    err = capfd.readouterr().err
    assert "test-watcher: RuntimeError: boom" in err and "Traceback" not in err


def serving(site: FakeSite, **options) -> tuple[PreviewServer, threading.Thread]:
    server = PreviewServer("127.0.0.1", 0, site, error_page, own_path="/__dev/", **options)
    thread = threading.Thread(target=server.http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


def test_head_is_answered_like_get_without_the_body(preview) -> None:
    site, root = preview
    connection = http.client.HTTPConnection(root.removeprefix("http://"), timeout=5)
    try:
        connection.request("HEAD", "/docs/")
        head = connection.getresponse()
        assert head.status == 200 and head.read() == b""
        connection.request("GET", "/docs/")  # the same connection: nothing of a body was sent
        get = connection.getresponse()
        body = get.read()
        assert get.status == 200 and body.startswith(PAGE[:12])
        assert head.headers["Content-Type"] == get.headers["Content-Type"] == "text/html; charset=utf-8"
        assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(body))
        connection.request("HEAD", "/docs/missing.html")
        missing = connection.getresponse()
        assert missing.status == 404 and missing.read() == b""
    finally:
        connection.close()


def test_an_unknown_address_gets_the_site_s_not_found_page(preview) -> None:
    site = FakeSite(FakeBuild(3, {"index.html": PAGE, "404.html": b"<html><body>Lost</body></html>"}))
    server, _ = serving(site, not_found="404.html")
    root = f"http://127.0.0.1:{server.port}"
    try:
        status, _, kind, body = get(root + "/docs/nowhere/")
        assert (status, kind) == (404, "text/html; charset=utf-8")
        assert body == '<html><body>Lost<script src="/__dev/reload.js" data-version="3"></script>\n</body></html>'
        assert get(root + "/docs/missing.json")[::3] == (404, body)
        site.build = FakeBuild(4, {"index.html": PAGE})  # a site without the page: plain text
        assert get(root + "/docs/nowhere/")[::2] == (404, "text/plain; charset=utf-8")
    finally:
        server.http.shutdown()
        server.close()
    # Without `not_found` (the fixture's server), plain text.
    assert get(preview[1] + "/docs/missing.html")[::2] == (404, "text/plain; charset=utf-8")


def test_a_client_closing_the_connection_mid_answer_leaves_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    site = FakeSite(FakeBuild(1, {"big.bin": b"x" * (16 * 1024 * 1024), "index.html": PAGE}))
    server, _ = serving(site)
    try:
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            client.sendall(b"GET /docs/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.1 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()  # a reset, as a closed tab sends: the server is still writing
        assert wait_until(lambda: not any("process_request" in t.name for t in threading.enumerate()))
        assert get(f"http://127.0.0.1:{server.port}/docs/")[0] == 200  # still serving
    finally:
        server.http.shutdown()
        server.close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


def test_an_address_urllib_cannot_split_is_a_bad_request(preview, capfd: pytest.CaptureFixture[str]) -> None:
    _, url = preview
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"GET http://[x/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 400") or answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert "Traceback" not in capfd.readouterr().err
