"""`statusgen serve` for real: a server process, file edits, and what HTTP returns."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from datetime import datetime, timezone
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import run_build
from statusgen.commands import serve as serve_module
from statusgen.preview.server import FileFailed
from statusgen.preview.watcher import Changes

OPEN_UPDATE = "content/incidents/2026-11-26-webhook-delivery-delays/2026-11-26T0552Z.md"
DEADLINE = 10.0


def fetch(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def eventually(url: str, predicate) -> tuple[int, str]:
    deadline = time.monotonic() + DEADLINE
    while True:
        status, body = fetch(url)
        if predicate(status, body) or time.monotonic() > deadline:
            return status, body
        time.sleep(0.05)


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a temp file and rename it over the original, as vim and many IDEs do."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


@pytest.fixture
def server(example_source: Path):
    process, url = start_server(example_source)
    yield process, url, example_source
    if process.poll() is None:
        process.kill()
        process.wait()


def start_server(example_source: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "statusgen.cli", "serve", "--source", str(example_source), "--port", "0",
         "--now", "2026-11-26T07:00:00Z"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.monotonic() + 20
    url = None
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "Serving a live preview at " in line:
            url = line.split(" at ")[1].split()[0]
    if url is None:
        process.kill()
        pytest.fail("server did not start: " + "".join(lines))
    return process, url


def test_serves_under_base_url_sub_path_with_reload_script(server) -> None:
    process, url, _ = server
    assert url.endswith("/status/")
    status, body = fetch(url)
    assert status == 200
    assert "Acme Cloud Status" in body and '<script src="/__statusgen/reload.js" data-version="1">' in body
    # The reload script is a file, so the page's Content-Security-Policy (script-src 'self') allows it.
    assert "/__statusgen/wait" in fetch(url.split("/status/")[0] + "/__statusgen/reload.js")[1]
    root = url[: -len("status/")]
    with urllib.request.urlopen(root, timeout=5) as response:  # the root redirects to the sub-path
        assert response.url == url
    assert fetch(url + "assets/style.css")[0] == 200
    assert fetch(url + "feed.xml")[1].startswith("<?xml")


def test_edit_break_fix_and_stop(server) -> None:
    process, url, source = server
    update = source / OPEN_UPDATE
    original = update.read_text(encoding="utf-8")
    version = json.loads(fetch(url.split("/status/")[0] + "/__statusgen/wait?version=-1")[1])["version"]

    save_like_an_editor(update, original.replace("We're investigating delays", "LIVE-EDIT investigating delays"))
    started = time.monotonic()
    status, body = eventually(url + "incidents/2026-11-26-webhook-delivery-delays/", lambda s, b: "LIVE-EDIT" in b)
    assert status == 200 and "LIVE-EDIT" in body, body[:500]
    assert time.monotonic() - started < DEADLINE
    # An open tab waiting on the long poll learns about the new build and reloads.
    newer = json.loads(fetch(url.split("/status/")[0] + f"/__statusgen/wait?version={version}")[1])["version"]
    assert newer > version

    update.write_text(original.replace("phase: investigating", "phase: investigatin"), encoding="utf-8")
    status, body = eventually(url, lambda s, b: s == 500)
    assert status == 500
    assert f"{OPEN_UPDATE}:3: phase &#39;investigatin&#39; is not one of" in body
    assert process.poll() is None  # still running

    update.write_text(original, encoding="utf-8")
    status, body = eventually(url, lambda s, b: s == 200)
    assert status == 200 and "Webhook deliveries delayed" in body

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in output
    assert f"{OPEN_UPDATE}:3: phase 'investigatin'" in output
    assert "Stopped." in output


NEW_INCIDENT = """\
---
at: 2026-11-20T10:00:00Z
phase: resolved
severity: sev4
title: SERVE-NEW Exports were slow
components:
  dashboard: operational
---
Exports took longer than usual for ten minutes.
"""


def test_added_deleted_and_reconfigured_content_shows_up(server) -> None:
    """A rebuild reads again only what changed: new and deleted folders, and statusgen.yml
    (which reloads everything), must all still reach the pages."""
    process, url, source = server
    folder = source / "content/incidents/2026-11-20-serve-new"
    folder.mkdir()
    save_like_an_editor(folder / "2026-11-20T1000Z.md", NEW_INCIDENT)
    page = url + "incidents/2026-11-20-serve-new/"
    status, body = eventually(page, lambda s, b: s == 200)
    assert status == 200 and "SERVE-NEW Exports were slow" in body
    assert "SERVE-NEW" in eventually(url + "history/2026/11/", lambda s, b: "SERVE-NEW" in b)[1]

    (folder / "2026-11-20T1000Z.md").unlink()
    folder.rmdir()
    assert eventually(page, lambda s, b: s == 404)[0] == 404
    assert "SERVE-NEW" not in fetch(url + "history/index.html")[1]

    config = source / "statusgen.yml"
    save_like_an_editor(config, config.read_text(encoding="utf-8").replace("Acme Cloud Status", "Renamed Status"))
    other = url + "incidents/2026-09-09-sso-login-failures/"
    status, body = eventually(other, lambda s, b: "Renamed Status" in b)
    assert "Renamed Status" in body, body[:300]
    assert process.poll() is None


def stop(process) -> str:
    """Stop the server with Ctrl-C; its whole output."""
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output
    return output


def test_a_symlink_loop_saved_while_serving_shows_as_the_error_page_and_the_fix_recovers(server) -> None:
    """Nothing saved under content/ stops the rebuilds: the loop is reported like any mistake,
    and once it is gone the next save is picked up."""
    process, url, source = server
    item = source / "content/incidents/2026-11-26-webhook-delivery-delays"
    loop = item / "2026-11-26T0700Z.md"
    os.symlink(loop.name, loop)
    status, body = eventually(url, lambda s, b: s == 500)
    assert status == 500, body[:300]
    assert f"{loop.relative_to(source).as_posix()}: is a symbolic link that loops" in body

    loop.unlink()
    status, body = eventually(url, lambda s, b: s == 200)
    assert status == 200 and "Webhook deliveries delayed" in body
    update = source / OPEN_UPDATE
    save_like_an_editor(update, update.read_text(encoding="utf-8").replace("We're investigating delays", "AFTER-LOOP"))
    page = url + "incidents/2026-11-26-webhook-delivery-delays/"
    assert "AFTER-LOOP" in eventually(page, lambda s, b: "AFTER-LOOP" in b)[1]

    output = stop(process)
    assert "Traceback" not in output
    assert "2026-11-26T0700Z.md: is a symbolic link that loops" in output


def test_any_exception_in_a_rebuild_is_the_build_s_problem_and_the_next_save_recovers(
        example_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only BuildFailed: a bug anywhere in a rebuild, or in rendering one page, shows as the
    error page (one line in the log), and the preview goes on."""
    lines: list[str] = []
    now = datetime(2026, 11, 26, 7, tzinfo=timezone.utc)
    site = serve_module.PreviewSite(example_source, lambda: now, lines.append)
    site.rebuild()
    assert not site.state.problems
    update = example_source / OPEN_UPDATE
    real_load_site = serve_module.load_site

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(serve_module, "load_site", broken)
    site.apply(Changes((update,), update))
    (problem,) = site.state.problems
    assert str(problem).startswith("statusgen: internal error: RuntimeError: boom (at statusgen/commands/serve.py:")
    assert lines[1:] == [f"Build failed ({OPEN_UPDATE} changed): {problem}; save to retry."]

    monkeypatch.setattr(serve_module, "load_site", real_load_site)
    site.apply(Changes((update,), update))
    assert not site.state.problems and site.state.site is not None
    assert lines[-1].startswith("Rebuilt 10 incidents in ")

    monkeypatch.setattr(site.renderer, "render_some", broken)
    with pytest.raises(FileFailed) as failure:
        site.current().file("index.html")
    assert "internal error: RuntimeError: boom" in str(failure.value.problems[0])
    assert lines[-1].startswith("Rendering index.html failed: statusgen: internal error: RuntimeError: boom")


def build_version(url: str) -> int:
    """The version of the build the server shows now (the wait endpoint answers at once)."""
    return json.loads(fetch(url.split("/status/")[0] + "/__statusgen/wait?version=-1")[1])["version"]


def test_only_what_a_build_reads_is_watched(example_source: Path) -> None:
    """The output, its spare, a log or any other file in the site's folder never rebuild (a
    `serve > serve.log` there rebuilt in a loop); content/ and the theme statusgen.yml names do."""
    source = example_source
    assert run_build(source, source / "site").exit_code == 0
    spare = source / ".site.statusgen-spare/assets"
    spare.mkdir(parents=True)
    process, url = start_server(source)
    try:
        version = build_version(url)
        for _ in range(5):
            with open(source / "serve.log", "a", encoding="utf-8") as log:
                log.write("a line of log\n")
            (source / "site/index.html").write_text("overwritten", encoding="utf-8")
            (source / "site/assets/style.css").write_text("body {}", encoding="utf-8")
            (spare / "style.css").write_text("body {}", encoding="utf-8")
            (source / "notes.txt").write_text("notes", encoding="utf-8")
            time.sleep(0.2)
        time.sleep(1.0)  # far longer than the watcher's quiet spell before a rebuild
        assert build_version(url) == version

        update = source / OPEN_UPDATE
        save_like_an_editor(update, update.read_text(encoding="utf-8").replace("We're investigating", "WATCHED"))
        assert eventually(url + "incidents/2026-11-26-webhook-delivery-delays/", lambda s, b: "WATCHED" in b)
        assert build_version(url) == version + 1

        (source / "custom/assets").mkdir(parents=True)
        (source / "custom/assets/extra.css").write_text("/* one */", encoding="utf-8")
        config = source / "statusgen.yml"
        save_like_an_editor(config, config.read_text(encoding="utf-8") + "theme: custom\n")
        assert eventually(url + "assets/extra.css", lambda s, b: b == "/* one */")[1] == "/* one */"
        save_like_an_editor(source / "custom/assets/extra.css", "/* two */")
        assert eventually(url + "assets/extra.css", lambda s, b: b == "/* two */")[1] == "/* two */"
    finally:
        output = stop(process)
    assert output.count("Rebuilt ") == 3, output
    assert "serve.log" not in output and "site/" not in output


def test_head_unknown_addresses_and_closed_tabs(server) -> None:
    process, url, _ = server
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("HEAD", "/status/")
        head = connection.getresponse()
        assert head.status == 200 and head.read() == b""
        assert head.headers["Content-Type"] == "text/html; charset=utf-8" and int(head.headers["Content-Length"]) > 1000
    finally:
        connection.close()

    status, body = fetch(url + "no/such/page/")
    assert status == 404
    assert "<title>Page not found · Acme Cloud Status</title>" in body  # the site's own 404.html
    assert '<script src="/__statusgen/reload.js"' in body  # and it reloads like any page
    assert fetch(url + "no-such-file.json")[0] == 404

    for _ in range(5):  # tabs closed while their page is on the way
        client = socket.create_connection((host, int(port)), timeout=5)
        client.sendall(b"GET /status/history/ HTTP/1.1\r\nHost: x\r\n\r\n")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    assert fetch(url)[0] == 200
    output = stop(process)
    assert "Traceback" not in output and "Error" not in output, output
