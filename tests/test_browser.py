"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

The shipped example is built at EXAMPLE_NOW and served over HTTP under /status/, as GitHub Pages
serves a project site. The browser's clock is set to just after EXAMPLE_NOW, so what the page
shows does not depend on the day the tests run. Checks: no horizontal scroll at 375 px and
1280 px, no console errors, no Content-Security-Policy violations, no request to any other
host; with JavaScript off the status, components and open incident are all there; live.js shows
local times and picks up a content change from api/v2/summary.json; axe-core finds no serious or
critical accessibility violation; status is never shown by colour alone. Screenshots of the
index, an incident and the history go to $STATUSGEN_ARTIFACTS (default tests/artifacts/).

Needs: the `playwright` Python package (in the test extras; it drives /usr/bin/chromium and
must never download a browser: do not run `playwright install`), Debian's `chromium`, and
axe-core from npm (`npm install --prefix tests/browser`). Each missing piece skips the tests
that need it, naming what to install. .ci/run installs all three.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

from conftest import REPO, run_build, write_site
from statusgen.vocabulary import OVERALL_LABELS, STATUS_LABELS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
AXE = REPO / "tests/browser/node_modules/axe-core/axe.min.js"
ARTIFACTS = Path(os.environ.get("STATUSGEN_ARTIFACTS") or REPO / "tests/artifacts")

CLOCK = datetime(2026, 11, 26, 7, 5, tzinfo=timezone.utc)
"""The reader's clock: five minutes after EXAMPLE_NOW, before the open incident's promise (07:30)."""
OPEN_INCIDENT = "incidents/2026-11-26-webhook-delivery-delays/"
SEV1_INCIDENT = "incidents/2026-10-14-api-dashboard-checkout-outage/"
PAGES = {"index": "", "incident": OPEN_INCIDENT, "history": "history/", "sev1-incident": SEV1_INCIDENT,
         "month": "history/2026/10/", "component": "components/webhooks/", "postmortem": SEV1_INCIDENT + "postmortem/",
         "maintenance": "maintenance/2026-12-03-api-gateway-migration/"}
"""Named pages of the example, relative to the site's root."""
SCREENSHOTS = ("index", "incident", "history")


# --- the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright not installed: pip install -e '.[test]' (it drives Debian's chromium; "
                    "never run `playwright install`)")
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.is_file():
        pytest.skip("axe-core not installed: npm install --no-audit --no-fund --prefix tests/browser")
    return AXE


# --- serving -------------------------------------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files without caching; an unknown path gets the site's 404.html, as on GitHub Pages."""

    not_found_page: Path | None = None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404 and self.not_found_page is not None and self.not_found_page.is_file():
            body = self.not_found_page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(www: Path) -> Iterator[str]:
    """Serve `www` on 127.0.0.1; yields the origin with a trailing slash. www/status is the site."""
    handler = type("Handler", (_Handler,), {"not_found_page": www / "status" / "404.html"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def served_site(site: Path, tmp_path: Path) -> Iterator[str]:
    """A built site at /status/; yields its address. Rebuilding into `site` swaps what is served."""
    www = tmp_path / f"www-{len(list(tmp_path.glob('www-*')))}"
    www.mkdir()
    (www / "status").symlink_to(site, target_is_directory=True)
    with serve(www) as origin:
        yield origin + "status/"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped example, built at EXAMPLE_NOW and served at http://127.0.0.1:<port>/status/."""
    root = tmp_path_factory.mktemp("browser-example")
    built = run_build(REPO, root / "site")
    assert built.exit_code == 0, built.output
    with served_site(built.site, root) as address:
        yield address


ESCALATION = """\
---
at: 2026-11-26T07:10:00Z
phase: identified
severity: sev1
components:
  webhooks: major_outage
  api: partial_outage
next_update: 2026-11-26T07:40:00Z
---
Webhook deliveries have stopped, and some API requests fail. Next update by 07:40 UTC.
"""
"""An update that escalates the example's open incident: the example never shows these two
statuses at once, so the states below add it."""

STATES = {
    "overdue": ("2026-11-26T07:45:00Z", False),      # the open incident's promise has passed
    "maintenance": ("2026-12-03T02:30:00Z", False),  # the API gateway migration is running
    "outage": ("2026-11-26T07:15:00Z", True),        # major and partial outage, SEV-1
}


def build_state(state: str, tmp_path: Path) -> tuple[Path, datetime]:
    """The example built in another state; the reader's clock at that build's time."""
    now, escalate = STATES[state]
    source = tmp_path / f"src-{state}"
    shutil.copytree(REPO / "content", source / "content")
    shutil.copy(REPO / "statusgen.yml", source / "statusgen.yml")
    if escalate:
        (source / "content" / OPEN_INCIDENT / "2026-11-26T0710Z.md").write_text(ESCALATION, encoding="utf-8")
    result = run_build(source, tmp_path / f"site-{state}", now)
    assert result.exit_code == 0, result.output
    return result.site, datetime.fromisoformat(now.replace("Z", "+00:00"))


# --- watching a page -----------------------------------------------------------------------------

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@dataclass
class Watch:
    """Everything a page complained about, and every request it made."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin)]


def watched_page(context: Any, origin: str) -> tuple[Any, Watch]:
    """A new page that records console errors, uncaught exceptions, CSP violations and requests."""
    page = context.new_page()
    watch = Watch(origin)
    page.on("console", lambda message: message.type == "error" and watch.console_errors.append(message.text))
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("requestfailed", lambda request: watch.failed.append(f"{request.url} {request.failure}"))
    page.add_init_script(WATCH_CSP)
    return page, watch


def csp_violations(page: Any) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def assert_clean(page: Any, watch: Watch, where: str) -> None:
    assert csp_violations(page) == [], where
    assert watch.console_errors == [], where
    assert watch.page_errors == [], where
    assert watch.failed == [], where
    assert watch.foreign_requests() == [], where


def origin_of(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}/"


def visit(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")  # live.js has fetched summary.json and applied it


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return target


# --- layout, console, CSP, requests --------------------------------------------------------------

HORIZONTAL_OVERFLOW = """() => {
  // Elements reaching past the right edge, except inside a box that scrolls or clips its own
  // overflow (a wide table scrolls by itself) and the deliberately off-screen skip link.
  const width = document.documentElement.clientWidth;
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest(".skip-link") && !clipped(e))
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : ""));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_width_without_errors_and_screenshots_are_saved(browser: Any, example: str,
                                                                      width: int) -> None:
    # A reader in another zone: live.js adds "(02:30 your time)" notes, the longest lines there are.
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="America/New_York")
    try:
        for name, path in PAGES.items():
            page, watch = watched_page(context, origin_of(example))
            page.clock.install(time=CLOCK)
            visit(page, example + path)
            layout = page.evaluate(HORIZONTAL_OVERFLOW)
            assert layout["scroll"] <= layout["width"] and layout["wide"] == [], (name, width, layout)
            assert_clean(page, watch, f"{name} at {width} px")
            if name == "index":  # the live script ran and fetched the JSON, within the policy
                assert example + "api/v2/summary.json" in watch.requests
            if name in SCREENSHOTS:
                screenshot(page, f"{name}-{width}")
            page.close()
    finally:
        context.close()
    for name in SCREENSHOTS:
        assert (ARTIFACTS / f"{name}-{width}.png").is_file()


def test_every_page_satisfies_the_content_security_policy(browser: Any, example: str) -> None:
    """All pages of the example, with the policy enforced from the <meta>: nothing is blocked."""
    context = browser.new_context()
    try:
        page, watch = watched_page(context, origin_of(example))
        page.clock.install(time=CLOCK)
        visit(page, example)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        pages = {example} | {link.split("#")[0] for link in links
                             if link.startswith(example) and not link.endswith((".xml", ".svg", ".ics", ".json"))}
        history = [link for link in pages if "/history/" in link]
        assert history and len(pages) >= 10
        visited = set()
        while pages:
            url = pages.pop()
            if url in visited:
                continue
            visited.add(url)
            visit(page, url)
            assert csp_violations(page) == [], url
            for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                link = link.split("#")[0]
                if link.startswith(example) and link.endswith(("/", ".html")) and link not in visited:
                    pages.add(link)
        assert len(visited) >= 25  # every page but the 404
        assert watch.console_errors == [] and watch.page_errors == [] and watch.failed == []
        assert watch.foreign_requests() == []
    finally:
        context.close()


def test_404_page_at_any_depth_works_under_its_base_url(browser: Any, tmp_path: Path) -> None:
    """404.html links everything absolutely from base_url: built for the local server's address,
    it styles itself and satisfies the policy at any depth of unknown path."""
    www = tmp_path / "www"
    www.mkdir()
    with serve(www) as origin:
        source = tmp_path / "src"
        source.mkdir()
        config = (REPO / "statusgen.yml").read_text(encoding="utf-8")
        config = re.sub(r"(?m)^base_url: .*$", f"base_url: {origin}status/", config)
        (source / "statusgen.yml").write_text(config, encoding="utf-8")
        shutil.copytree(REPO / "content", source / "content")
        built = run_build(source, www / "status")
        assert built.exit_code == 0, built.output
        context = browser.new_context()
        try:
            for url in (f"{origin}status/nope", f"{origin}status/incidents/gone/deeper/"):
                page, watch = watched_page(context, origin)
                response = page.goto(url)
                page.wait_for_load_state("networkidle")
                assert response.status == 404
                assert page.text_content("h1").strip() == "Page not found"
                assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
                assert f"{origin}status/assets/live.js" in watch.requests
                # The browser reports the 404 of the page itself; nothing else may complain.
                watch.console_errors = [e for e in watch.console_errors if "404 (Not Found)" not in e]
                assert_clean(page, watch, url)
                page.close()
        finally:
            context.close()


def test_404_page_keeps_its_styles_on_another_host_under_the_same_path(browser: Any, example: str) -> None:
    """The example's base_url is https://acme.github.io/status/; served under /status/ by any other
    host (a preview, a mirror), its 404 page at any depth still loads its own stylesheet and script."""
    context = browser.new_context()
    try:
        origin = example[: -len("status/")]
        for url in (f"{example}nope", f"{example}incidents/gone/deeper/"):
            page, watch = watched_page(context, origin)
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            assert response.status == 404
            assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
            assert f"{example}assets/style.css" in watch.requests
            watch.console_errors = [e for e in watch.console_errors if "404 (Not Found)" not in e]
            assert_clean(page, watch, url)
            page.close()
    finally:
        context.close()


def test_metrics_table_headers_keep_their_words_whole(browser: Any, tmp_path: Path) -> None:
    """At 375 px the metrics tables scroll sideways; no header breaks inside a word ("Incide/nts")."""
    source = tmp_path / "src"
    source.mkdir()
    config = (REPO / "statusgen.yml").read_text(encoding="utf-8")
    (source / "statusgen.yml").write_text(re.sub(r"(?m)^metrics: .*\n", "", config) + "metrics: true\n",
                                          encoding="utf-8")
    shutil.copytree(REPO / "content", source / "content")
    built = run_build(source, tmp_path / "site")
    assert built.exit_code == 0, built.output
    with served_site(built.site, tmp_path) as address:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        try:
            page = context.new_page()
            page.goto(address + "metrics/")
            broken = page.evaluate("""() => [...document.querySelectorAll('.metrics-table th')].flatMap(th => {
                const words = [];
                const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
                for (let node; (node = walker.nextNode());) {
                    for (const match of node.data.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        if (range.getClientRects().length > 1) words.push(match[0]);
                    }
                }
                return words;
            })""")
            assert broken == []
        finally:
            context.close()


# --- without JavaScript ----------------------------------------------------------------------------

def test_without_javascript_status_components_and_open_incident_are_visible(browser: Any, example: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        page, watch = watched_page(context, origin_of(example))
        page.goto(example)
        banner = page.locator("[data-live-overall]")
        assert banner.is_visible() and banner.locator("h1").inner_text().strip() == "Degraded performance"
        assert page.locator("p[data-live-as-of]").inner_text().startswith("As of 26 Nov 2026, 08:00 CET")
        components = page.locator("li.component")
        assert components.count() == 7
        for i in range(components.count()):
            row = components.nth(i)
            assert row.locator(".component-name").is_visible()
            label = row.locator("[data-component-status]")
            assert label.is_visible() and label.inner_text().strip() in STATUS_LABELS.values()
        assert page.locator('[data-component-status="webhooks"]').inner_text().strip() == "Degraded performance"
        card = page.locator("article.incident-card")
        assert card.count() == 1 and card.is_visible()
        assert card.locator("h3").inner_text().strip() == "Webhook deliveries delayed"
        assert card.locator(".promise").inner_text().strip() == "Next update by 26 Nov 2026, 08:30 CET"
        assert page.locator(".local-time, .live-notice").count() == 0  # the script did not run
        assert "/status/assets/live.js" not in " ".join(watch.requests)  # nor was it fetched
        incident = context.new_page()
        incident.goto(example + OPEN_INCIDENT)
        assert incident.locator("h1").inner_text().strip() == "Webhook deliveries delayed"
        assert incident.locator("ol.timeline > li").count() >= 2
        assert incident.locator("ol.timeline > li").first.is_visible()
    finally:
        context.close()


# --- live.js ---------------------------------------------------------------------------------------

def test_live_script_shows_times_in_the_readers_zone(browser: Any, example: str) -> None:
    context = browser.new_context(timezone_id="America/New_York")
    try:
        page, watch = watched_page(context, origin_of(example))
        page.clock.install(time=CLOCK)
        visit(page, example)
        promise = page.locator("p.promise")
        # 07:30 UTC: 08:30 in Berlin (the page's zone), 02:30 for this reader.
        assert promise.inner_text().strip() == "Next update by 26 Nov 2026, 08:30 CET (02:30 your time)"
        assert promise.locator("time").get_attribute("title") == "26 Nov 2026, 02:30 your time"
        assert page.locator("span.local-time").count() == page.locator("time").count() > 5
        assert page.locator(".live-notice").count() == 0  # the JSON matches the page
        assert_clean(page, watch, "index in New York")
    finally:
        context.close()


def test_live_script_leaves_calendar_dates_alone(browser: Any, example: str) -> None:
    """An action item's due date (<time datetime="2026-10-30">) is a day, not an instant: no
    "your time" note, while the postmortem's instants get theirs."""
    context = browser.new_context(timezone_id="America/New_York")
    try:
        page, watch = watched_page(context, origin_of(example))
        page.clock.install(time=CLOCK)
        visit(page, example + PAGES["postmortem"])
        due = page.locator("table.action-items time")
        assert due.count() == 4
        assert due.first.inner_text().strip() == "30 Oct 2026"
        assert page.locator("table.action-items span.local-time").count() == 0
        assert page.locator("ol.postmortem-timeline span.local-time").count() == 7
        assert_clean(page, watch, "postmortem in New York")
    finally:
        context.close()


def test_live_script_picks_up_a_content_change(browser: Any, example_source: Path, tmp_path: Path) -> None:
    """A reader has the page open; the incident is resolved and the site rebuilt; within a minute
    the page says so, and offers a reload that shows the new page."""
    output = tmp_path / "site"
    assert run_build(example_source, output).exit_code == 0
    context = browser.new_context(timezone_id="Europe/Berlin")
    try:
        with served_site(output, tmp_path) as site:
            page, watch = watched_page(context, origin_of(site))
            page.clock.install(time=CLOCK)
            visit(page, site)
            label = page.locator("[data-live-overall-label]")
            assert label.inner_text() == "Degraded performance"

            (example_source / "content/incidents/2026-11-26-webhook-delivery-delays/2026-11-26T0708Z.md").write_text(
                "---\nat: 2026-11-26T07:08:00Z\nphase: resolved\n---\nDeliveries are back to normal.\n",
                encoding="utf-8")
            rebuilt = run_build(example_source, output, "2026-11-26T07:09:00Z")
            assert rebuilt.exit_code == 0, rebuilt.output

            page.clock.run_for(61_000)  # live.js polls summary.json every 60 s
            page.wait_for_function(
                "document.querySelector('[data-live-overall-label]').textContent === 'All systems operational'",
                timeout=30_000)  # a loaded 2-core machine once took longer than 10 s
            assert "overall-operational" in page.get_attribute("[data-live-overall]", "class").split()
            webhooks = page.locator('[data-component-status="webhooks"]')
            assert webhooks.inner_text().strip() == "Operational"
            assert "status-operational" in webhooks.get_attribute("class").split()
            notice = page.locator("main > .live-notice")
            assert notice.inner_text().strip() == "New updates — reload"
            assert page.locator("article.incident-card").count() == 1  # the page is not rebuilt under the reader
            assert_clean(page, watch, "index after the change")

            with page.expect_navigation():
                notice.locator("a").click()
            page.wait_for_load_state("networkidle")
            assert page.url == site
            assert page.locator("[data-live-overall] h1").inner_text().strip() == "All systems operational"
            assert page.locator("article.incident-card").count() == 0
            assert page.locator(".live-notice").count() == 0
            assert_clean(page, watch, "index after reload")
    finally:
        context.close()


# --- accessibility ---------------------------------------------------------------------------------

AXE_OPTIONS = {"resultTypes": ["violations"]}


def axe_violations(context: Any, url: str, axe: Path, clock: datetime = CLOCK) -> list[str]:
    """Serious and critical axe-core violations on the page at `url`, after live.js ran."""
    page = context.new_page()
    try:
        page.clock.install(time=clock)
        visit(page, url)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    finally:
        page.close()
    return [f"{url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width, pages", [
    (1280, list(PAGES.values())),
    (375, [PAGES[name] for name in SCREENSHOTS]),
])
def test_axe_finds_no_serious_or_critical_violations(browser: Any, example: str, axe_source: Path,
                                                     width: int, pages: list[str]) -> None:
    # bypass_csp only so axe's own script can be injected; the policy is checked in other tests.
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    try:
        found = []
        for path in pages:
            found += axe_violations(context, example + path, axe_source)
        assert found == []
    finally:
        context.close()


@pytest.mark.parametrize("state", list(STATES))
def test_axe_in_other_states_of_the_site(browser: Any, axe_source: Path, tmp_path: Path, state: str) -> None:
    site, clock = build_state(state, tmp_path)
    pages = ["", "components/api/" if state == "maintenance" else OPEN_INCIDENT]
    context = browser.new_context(bypass_csp=True)
    try:
        with served_site(site, tmp_path) as address:
            found = []
            for path in pages:
                found += axe_violations(context, address + path, axe_source, clock)
            assert found == []
    finally:
        context.close()


def test_axe_with_the_live_reload_notice_shown(browser: Any, axe_source: Path, example_source: Path,
                                               tmp_path: Path) -> None:
    """What live.js adds (the reload notice, updated labels) is accessible too."""
    page_site = run_build(example_source, tmp_path / "page").site
    (example_source / "content/incidents/2026-11-26-webhook-delivery-delays/2026-11-26T0708Z.md").write_text(
        "---\nat: 2026-11-26T07:08:00Z\nphase: resolved\n---\nDeliveries are back to normal.\n", encoding="utf-8")
    newer = run_build(example_source, tmp_path / "newer", "2026-11-26T07:09:00Z")
    assert newer.exit_code == 0, newer.output
    shutil.copy(newer.site / "api/v2/summary.json", page_site / "api/v2/summary.json")
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 800})
    try:
        with served_site(page_site, tmp_path) as address:
            page = context.new_page()
            page.clock.install(time=CLOCK)
            visit(page, address)
            assert page.locator(".live-notice").count() == 1
            page.close()
            assert axe_violations(context, address, axe_source) == []
    finally:
        context.close()


# --- status is never conveyed by colour alone ------------------------------------------------------

STATUS_CUES = """() => {
  const glyph = e => getComputedStyle(e, "::before").content;
  const text = e => e.textContent.replace(/\\s+/g, " ").trim();
  return {
    labels: [...document.querySelectorAll("span.status")].map(e => ({
      cls: e.className, text: text(e), glyph: glyph(e.querySelector(".status-icon"))})),
    overall: [...document.querySelectorAll("[data-live-overall]")].map(e => ({
      cls: e.className, text: text(e.querySelector("h1")), glyph: glyph(e.querySelector(".status-icon"))})),
    bars: [...document.querySelectorAll("li.bar")].map(e => ({
      cls: e.className, text: text(e), title: e.title, height: e.getBoundingClientRect().height})),
    severities: [...document.querySelectorAll(".incident-card")].map(e => ({
      cls: e.className, tag: text(e.querySelector(".severity"))})),
  };
}"""


def test_status_is_never_conveyed_by_colour_alone(browser: Any, tmp_path: Path) -> None:
    """Every coloured status also says its status in words (and has a shape): labels, the banner,
    each day's bar, incident cards; in every status the example passes through."""
    seen: set[str] = set()
    context = browser.new_context()
    try:
        for state in ("maintenance", "outage"):  # with the example as built: all five statuses
            site, clock = build_state(state, tmp_path)
            with served_site(site, tmp_path) as address:
                for path in ("", "history/", "components/api/"):
                    page = context.new_page()
                    page.clock.install(time=clock)
                    visit(page, address + path)
                    cues = page.evaluate(STATUS_CUES)
                    page.close()
                    for label in cues["labels"]:
                        status = re.search(r"status-([a-z_]+)", label["cls"]).group(1)
                        seen.add(status)
                        assert label["text"] == STATUS_LABELS[status], label
                        assert label["glyph"] not in ("none", "normal", '""'), label
                    for banner in cues["overall"]:
                        status = re.search(r"overall-([a-z_]+)", banner["cls"]).group(1)
                        assert banner["text"] == OVERALL_LABELS[status], banner
                        assert banner["glyph"] not in ("none", "normal", '""'), banner
                    quiet = {b["height"] for b in cues["bars"] if "bar-operational" in b["cls"]}
                    trouble = {b["height"] for b in cues["bars"] if "bar-operational" not in b["cls"]}
                    assert quiet and (not trouble or max(quiet) < min(trouble))  # shape, not just colour
                    for bar in cues["bars"]:
                        status = re.search(r"bar-([a-z_]+)", bar["cls"]).group(1)
                        words = "no incidents" if status == "operational" else STATUS_LABELS[status]
                        # "26 Nov 2026: no incidents, 100.00 % uptime": the status, then the day's uptime.
                        assert bar["text"] == bar["title"], bar
                        assert re.fullmatch(r"\d+ [A-Z][a-z]{2} \d{4}: " + re.escape(words) + r", \d{1,3}\.\d\d % uptime",
                                            bar["text"]), bar
                    for card in cues["severities"]:
                        level = re.search(r"severity-sev(\d)", card["cls"]).group(1)
                        assert card["tag"].startswith(f"SEV-{level} · "), card
    finally:
        context.close()
    assert seen == set(STATUS_LABELS)  # every status was seen on some page


# --- unusual content at phone width ----------------------------------------------------------------

def test_long_unbroken_titles_and_right_to_left_text_fit_a_phone(browser: Any, tmp_path: Path) -> None:
    long_word = "Zahlungsverkehrsdienstleistungsunterbrechung" * 6  # 264 characters, no break
    rtl = "فشل الدفع بالبطاقة 💳 — " + "ש" * 120
    update = f"""\
        ---
        at: 2026-11-26T06:00:00Z
        phase: investigating
        severity: sev1
        title: "{long_word}"
        components:
          api: major_outage
          checkout: partial_outage
        next_update: 2026-11-26T08:00:00Z
        ---
        {rtl} https://example.test/{long_word}

        | {long_word} | b |
        |---|---|
        | {long_word} | d |
        """
    config = ("title: " + "S" * 200 + "\nbase_url: https://example.test/status/\ncomponents:\n"
              "  - id: api\n    name: " + "N" * 200 + "\n    group: " + rtl + "\n"
              "  - id: checkout\n    name: Checkout\n    description: " + long_word + "\n")
    source = write_site(tmp_path / "src", {"content/incidents/long/1.md": update}, config=config)
    built = run_build(source, tmp_path / "site")
    assert built.exit_code == 0, built.output
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        with served_site(built.site, tmp_path) as address:
            for path in ("", "incidents/long/", "components/api/", "history/"):
                page, watch = watched_page(context, origin_of(address))
                page.clock.install(time=CLOCK)
                visit(page, address + path)
                layout = page.evaluate(HORIZONTAL_OVERFLOW)
                assert layout["scroll"] <= layout["width"] and layout["wide"] == [], (path, layout)
                assert_clean(page, watch, path)
                if path == "incidents/long/":
                    screenshot(page, "long-titles-375")
                page.close()
    finally:
        context.close()
