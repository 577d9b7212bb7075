"""`statusgen serve` for real: a server process, file edits, and what HTTP returns."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

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
    yield process, url, example_source
    if process.poll() is None:
        process.kill()
        process.wait()


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
