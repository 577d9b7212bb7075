"""End to end: build the shipped example and small sites, inspect the HTML that comes out."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, REPO, BuildResult, run_build, write_site
from sitecheck import broken_internal_links, parse_strict, text_of, tree

OPEN_INCIDENT = "2026-11-26-webhook-delivery-delays"


def component_status(html: str, component_id: str) -> str:
    (item,) = tree(html).xpath(f'//li[@id="component-{component_id}"]//span[contains(@class, "status ")]')
    return text_of(item)


def test_example_builds_with_summary(example_build: BuildResult) -> None:
    assert "Built 10 incidents (1 open, 35 updates) and 2 maintenances" in example_build.output
    for path in ["index.html", "history/index.html", "history/2026/11/index.html", "feed.xml",
                 "atom.xml", f"incidents/{OPEN_INCIDENT}/index.html", "assets/style.css",
                 "maintenance/2026-12-03-api-gateway-migration/index.html"]:
        assert (example_build.site / path).is_file(), path


def test_summary_counts_one_of_each_in_the_singular(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {
        "content/incidents/x/1.md": """\
            ---
            at: 2026-11-20T09:00:00Z
            phase: resolved
            severity: sev3
            title: Slow API
            ---
            Fixed.
            """,
        "content/maintenance/m/1.md": """\
            ---
            at: 2026-11-20T09:00:00Z
            phase: completed
            title: Upgrade
            window: {start: 2026-11-21T02:00:00Z, end: 2026-11-21T03:00:00Z}
            components: [api]
            ---
            Done.
            """})
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Built 1 incident (0 open, 1 update) and 1 maintenance into ")


def test_index_shows_overall_and_component_status(example_build: BuildResult) -> None:
    html = example_build.read("index.html")
    page = tree(html)
    assert text_of(page.xpath('//section[contains(@class, "overall")]//h1')[0]) == "Degraded performance"
    assert "overall-degraded_performance" in page.xpath('//section[contains(@class, "overall")]/@class')[0]
    assert component_status(html, "webhooks") == "Degraded performance"
    for component_id in ["api", "dashboard", "auth", "checkout", "card-processing", "payouts"]:
        assert component_status(html, component_id) == "Operational"


def test_open_incident_shows_phase_severity_latest_update_and_promise(example_build: BuildResult) -> None:
    page = tree(example_build.read("index.html"))
    (card,) = page.xpath('//article[contains(@class, "incident-card")]')
    text = text_of(card)
    assert "Webhook deliveries delayed" in text
    assert "SEV-3 · Minor" in text and "Identified" in text
    assert "We've found the cause" in text  # the latest update, not the first
    (promise,) = card.xpath('.//p[contains(@class, "promise")]')
    assert text_of(promise) == "Next update by 26 Nov 2026, 08:30 CET"
    assert promise.xpath(".//time/@datetime") == ["2026-11-26T07:30:00Z"]
    assert "overdue" not in promise.get("class")


def test_overdue_promise_is_marked(tmp_path: Path) -> None:
    result = run_build(REPO, tmp_path / "site", now="2026-11-26T07:45:00Z")
    assert result.exit_code == 0, result.output
    for page in ["index.html", f"incidents/{OPEN_INCIDENT}/index.html"]:
        (promise,) = tree(result.read(page)).xpath('//p[contains(@class, "promise")]')
        assert "overdue" in promise.get("class")
        assert text_of(promise).startswith("Update overdue: the next update was promised by 26 Nov 2026, 08:30 CET")


def test_times_are_in_configured_zone_with_machine_readable_value(example_build: BuildResult) -> None:
    page = tree(example_build.read(f"incidents/{OPEN_INCIDENT}/index.html"))
    times = {t.get("datetime"): text_of(t) for t in page.xpath("//time")}
    assert times["2026-11-26T05:52:00Z"] == "26 Nov 2026, 06:52 CET"
    summer = tree(example_build.read("incidents/2026-09-09-sso-login-failures/index.html"))
    assert any(text_of(t).endswith("CEST") for t in summer.xpath("//time"))


def test_incident_page_has_timeline_newest_first(example_build: BuildResult) -> None:
    page = tree(example_build.read("incidents/2026-10-14-api-dashboard-checkout-outage/index.html"))
    entries = page.xpath('//ol[contains(@class, "timeline")]/li')
    stamps = [e.xpath(".//time/@datetime")[0] for e in entries]
    assert len(entries) == 6
    assert stamps == sorted(stamps, reverse=True)
    assert text_of(entries[0].xpath(".//h3")[0]).startswith("Resolved")
    # The local postmortem (postmortem.md) wins over the update's external `postmortem:` link.
    assert page.xpath('//p[@class="postmortem"]/a/@href') == ["postmortem/index.html"]
    facts = {text_of(dt): text_of(dt.getnext()) for dt in page.xpath('//dl[@class="facts"]/dt')}
    assert facts["Duration"] == "1 h 47 min"
    assert facts["Started"] == "14 Oct 2026, 15:07 CEST"
    assert "SEV-1 · Critical" in text_of(page.xpath('//p[@class="meta"]')[0])


def test_maintenance_upcoming_and_completed(example_build: BuildResult) -> None:
    index = tree(example_build.read("index.html"))
    (upcoming,) = index.xpath('//article[@id="maintenance-2026-12-03-api-gateway-migration"]')
    assert "Scheduled" in text_of(upcoming)
    assert not index.xpath('//article[@id="maintenance-2026-11-12-database-upgrade"]')
    month = tree(example_build.read("history/2026/11/index.html"))
    (done,) = month.xpath('//article[@id="maintenance-2026-11-12-database-upgrade"]')
    assert "Completed" in text_of(done)


def test_active_maintenance_shows_under_maintenance(tmp_path: Path) -> None:
    result = run_build(REPO, tmp_path / "site", now="2026-12-03T02:30:00Z")
    assert result.exit_code == 0, result.output
    html = result.read("index.html")
    assert component_status(html, "api") == "Under maintenance"
    assert "Maintenance in progress" in html


def test_history_pages_and_daily_bars(example_build: BuildResult) -> None:
    history = tree(example_build.read("history/index.html"))
    months = [text_of(a) for a in history.xpath('//section[@class="month-summary"]/h3/a')]
    assert months == ["November 2026", "October 2026", "September 2026", "August 2026"]
    bars = history.xpath('//li[@class="component"][1]//ol[@class="bars"]/li')
    assert len(bars) == 90
    # The SEV-1 on 14 October took the API down: that day's bar says so in words and links there.
    (outage,) = [b for b in bars if "14 Oct 2026" in b.get("title")]
    # Its uptime: 13:07-13:49 UTC major (2,520 s) and 13:49-14:08 partial (1,140 s x 0.3 = 342 s)
    # is 2,862 s down of 86,400: 96.6875 %, cut to 96.68.
    assert outage.get("title") == "14 Oct 2026: Major outage, 96.68 % uptime"
    assert "bar-major_outage" in outage.get("class")
    assert outage.xpath("./a/@href") == ["../incidents/2026-10-14-api-dashboard-checkout-outage/index.html"]
    assert text_of(outage) == "14 Oct 2026: Major outage, 96.68 % uptime"
    october = tree(example_build.read("history/2026/10/index.html"))
    titles = [text_of(a) for a in october.xpath('//article[contains(@class, "incident-card")]/h3/a')]
    assert titles == ["Card payments declined for American Express and some Mastercard cards",
                      "API, dashboard and checkout unavailable",
                      "Invoice CSV exports taking longer than usual"]


def test_every_page_parses_without_errors(example_build: BuildResult) -> None:
    pages = list(example_build.site.rglob("*.html"))
    assert len(pages) >= 18
    for page in pages:
        parse_strict(page.read_text(encoding="utf-8"))


def test_every_internal_link_resolves(example_build: BuildResult) -> None:
    assert broken_internal_links(example_build.site) == []


def test_site_served_over_http_under_a_sub_path(example_build: BuildResult, tmp_path: Path) -> None:
    """Serve the site at /status/ as GitHub Pages would for a project site and follow every link."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "status").symlink_to(example_build.site, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/status/"
    try:
        seen: set[str] = set()
        queue = [base]
        while queue and len(seen) < 200:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200, url
                body = response.read()
            if url.endswith((".html", "/")):
                for link in tree(body.decode()).xpath("//a/@href | //link/@href"):
                    absolute = urllib.parse.urljoin(url, link).split("#")[0]
                    if absolute.startswith(base):
                        queue.append(absolute)
        assert f"{base}assets/style.css" in seen
        assert f"{base}incidents/{OPEN_INCIDENT}/index.html" in seen
        assert len(seen) > 20
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_canonical_links_use_base_url(example_build: BuildResult) -> None:
    page = tree(example_build.read(f"incidents/{OPEN_INCIDENT}/index.html"))
    assert page.xpath('//link[@rel="canonical"]/@href') == [
        f"https://acme.github.io/status/incidents/{OPEN_INCIDENT}/"]


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = run_build(REPO, tmp_path / "one")
    second = run_build(REPO, tmp_path / "two")
    assert first.exit_code == second.exit_code == 0
    files_one = {p.relative_to(first.site): p.read_bytes() for p in first.site.rglob("*") if p.is_file()}
    files_two = {p.relative_to(second.site): p.read_bytes() for p in second.site.rglob("*") if p.is_file()}
    assert files_one.keys() == files_two.keys()
    assert [p for p in files_one if files_one[p] != files_two[p]] == []


def test_new_update_appears_everywhere(example_source: Path, tmp_path: Path) -> None:
    """The user story: write an update file, build, see it on the page, timeline, history, feeds."""
    (example_source / "content/incidents" / OPEN_INCIDENT / "2026-11-26T0720Z.md").write_text(
        "---\nat: 2026-11-26T07:20:00Z\nphase: monitoring\ncomponents:\n  webhooks: operational\n"
        "next_update: 2026-11-26T08:20:00Z\n---\nDeliveries are back to normal speed. We're watching "
        "the queue closely.\n", encoding="utf-8")
    result = run_build(example_source, tmp_path / "site", now="2026-11-26T07:25:00Z")
    assert result.exit_code == 0, result.output
    marker = "Deliveries are back to normal speed"
    assert marker in result.read("index.html")
    assert "Monitoring" in text_of(tree(result.read("index.html")).xpath('//article[contains(@class, "incident-card")]')[0])
    assert marker in result.read(f"incidents/{OPEN_INCIDENT}/index.html")
    assert marker in result.read("history/2026/11/index.html")
    assert "[Monitoring] Webhook deliveries delayed" in result.read("feed.xml")
    assert "[Monitoring] Webhook deliveries delayed" in result.read("atom.xml")
    assert component_status(result.read("index.html"), "webhooks") == "Operational"


def test_output_replaced_whole_without_stray_files(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    assert run_build(example_source, output).exit_code == 0
    (output / "stray.html").write_text("old")
    victim = example_source / "content/incidents/2026-08-28-invoice-pdf-footer-misaligned"
    for path in victim.iterdir():
        path.unlink()
    victim.rmdir()
    assert run_build(example_source, output).exit_code == 0
    assert not (output / "stray.html").exists()
    assert not (output / "incidents/2026-08-28-invoice-pdf-footer-misaligned").exists()
    # Only the spare the next build updates in place is left beside the output (see output.py),
    # and it holds the previous build, never a half-written one.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == [".site.statusgen-spare"]
    assert (tmp_path / ".site.statusgen-spare/stray.html").exists()


def test_no_cache_leaves_nothing_beside_the_output(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    for _ in range(2):
        assert run_build(example_source, output, EXAMPLE_NOW, "--no-cache").exit_code == 0
        (output / "stray.html").write_text("old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example", "site"]


def test_refuses_to_replace_a_folder_statusgen_did_not_make(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "precious"
    output.mkdir()
    (output / "thesis.tex").write_text("years of work")
    result = run_build(example_source, output)
    assert result.exit_code == 1
    assert "was not made by statusgen" in result.output
    assert (output / "thesis.tex").read_text() == "years of work"


def test_default_output_is_site_folder_in_source(example_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from statusgen.cli import main

    monkeypatch.chdir(example_source)
    result = CliRunner().invoke(main, ["build", "--now", EXAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert (example_source / "site/index.html").is_file()


def test_site_without_incidents_or_maintenance(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {})
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    html = result.read("index.html")
    assert "All systems operational" in html
    assert "No incidents reported." in html
    assert broken_internal_links(result.site) == []


def test_parallel_rendering_gives_the_same_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large sites render pages in forked workers; the result must not depend on that."""
    from datetime import datetime, timezone

    from statusgen.source.load import load_site
    from statusgen.pipeline import render_site
    from statusgen.render import workers

    site, theme = load_site(REPO, datetime(2026, 11, 26, 7, tzinfo=timezone.utc))
    serial = render_site(site, theme).files
    monkeypatch.setattr(workers, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 3)
    parallel = render_site(site, theme, parallel=True).files
    assert list(parallel) == list(serial)
    assert [path for path in serial if serial[path] != parallel[path]] == []


def test_concurrent_builds_into_one_output_leave_a_whole_site(example_source: Path, tmp_path: Path) -> None:
    """Builds that share a cache take turns with the spare (output.output_lock): whichever
    finishes last, the output is exactly one of the two builds, and the next build is right."""
    import subprocess
    import sys

    def snapshot(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    output = tmp_path / "site"
    nows = ["2026-11-26T07:00:00Z", "2026-11-26T08:00:00Z"]
    colds = {}
    for now in nows:
        assert run_build(example_source, tmp_path / f"cold-{now[11:13]}", now, "--no-cache").exit_code == 0
        colds[now] = snapshot(tmp_path / f"cold-{now[11:13]}")
    assert run_build(example_source, output).exit_code == 0
    for _ in range(3):
        processes = [subprocess.Popen([sys.executable, "-m", "statusgen", "build", "--source", str(example_source),
                                       "--output", str(output), "--now", now],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for now in nows]
        for process in processes:
            assert process.wait(timeout=60) == 0, process.stdout.read().decode()  # type: ignore[union-attr]
        assert snapshot(output) in colds.values()
    assert run_build(example_source, output, nows[0]).exit_code == 0
    assert snapshot(output) == colds[nows[0]]


def test_output_lock_makes_a_second_build_wait(tmp_path: Path) -> None:
    import threading
    import time

    from statusgen.output import output_lock

    events: list[str] = []
    with output_lock(tmp_path / "cache", tmp_path / "site"):
        def second() -> None:
            with output_lock(tmp_path / "cache", tmp_path / "site"):
                events.append("second has the lock")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        events.append("first lets go")
    thread.join(timeout=5)
    assert events == ["first lets go", "second has the lock"]


def test_relative_links_match_posixpath_relpath() -> None:
    """render/paths.py works out relative links without posixpath.relpath's system calls; the
    answer must be relpath's, for any pair of page paths (and odd ones fall back to it)."""
    import posixpath

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from statusgen.render.paths import relative_path

    segment = st.sampled_from(["incidents", "history", "2026", "11", "a", "index.html", "feed.xml", ".", "..", ""])
    path = st.lists(segment, min_size=1, max_size=5).map("/".join)

    @settings(max_examples=500, deadline=None)
    @given(path, path)
    def check(target: str, page: str) -> None:
        folder = posixpath.dirname(page)
        if not target or target.startswith("/"):
            return
        assert relative_path(target, folder) == posixpath.relpath(target, folder or ".")

    check()


def test_every_page_gets_the_context_its_kind_writes_down() -> None:
    """render/context.py is the theme's contract: each page's context has exactly the names of
    its template's TypedDict, on a site with every kind of page (metrics included)."""
    import dataclasses
    from datetime import datetime, timezone

    from statusgen.render.context import PAGE_CONTEXTS
    from statusgen.render.pages import PageRenderer
    from statusgen.source.load import load_site

    site, theme = load_site(REPO, datetime(2026, 11, 26, 7, tzinfo=timezone.utc))
    site = dataclasses.replace(site, config=dataclasses.replace(site.config, metrics=True))
    kinds = set()
    for path, template, context in PageRenderer(site, theme).pages():
        kinds.add(template)
        assert set(context) == PAGE_CONTEXTS[template].__required_keys__, path
    assert kinds == set(PAGE_CONTEXTS)


def test_default_templates_use_only_the_names_the_context_writes_down() -> None:
    """Every name the default theme's templates read is a global, `page_path`, or a name of the
    template's own page kind (render/context.py), or one the template sets itself."""
    from jinja2 import Environment, meta, nodes

    from statusgen.render.context import PAGE_CONTEXTS, TemplateGlobals
    from statusgen.source.theme import default_theme_dir

    env = Environment()
    every_page = TemplateGlobals.__required_keys__ | {"page_path", "page_title"}
    templates = sorted((default_theme_dir() / "templates").glob("*.html"))
    assert {path.name for path in templates} >= set(PAGE_CONTEXTS)
    for path in templates:
        parsed = env.parse(path.read_text(encoding="utf-8"))
        own = {name.name for name in parsed.find_all(nodes.Name) if name.ctx == "store"}
        own |= {node.target for node in parsed.find_all(nodes.Import)}
        kind = PAGE_CONTEXTS.get(path.name)
        allowed = every_page | (kind.__required_keys__ if kind else set())
        assert meta.find_undeclared_variables(parsed) - own - allowed == set(), path.name
