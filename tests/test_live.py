"""Live-page enhancements and site extras: live.js, social meta, favicon, 404, sitemap, robots, widget.

The static checks read the built files. The browser checks drive Debian's headless Chromium
(never a downloaded browser) against the site served over HTTP under /status/, and skip with a
visible reason when it is not installed.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import posixpath
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import lxml.html
import pytest

from conftest import EXAMPLE_NOW, REPO, BuildResult, run_build, write_site
from sitecheck import parse_strict, text_of, tree
from statusgen.vocabulary import STATUS_INDICATORS
from statusgen.source.theme import DEFAULT_PALETTE
from statusgen.render.extras import WIDGET_MAX_BYTES

BASE = "https://acme.github.io/status/"
OPEN_INCIDENT = "2026-11-26-webhook-delivery-delays"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SVG_NS = "{http://www.w3.org/2000/svg}"


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def public_url(path: str) -> str:
    return BASE + (path[: -len("index.html")] if path.endswith("index.html") else path)


# --- what every page carries ---------------------------------------------------------------------

def test_every_page_loads_live_js_favicon_and_social_meta(example_build: BuildResult) -> None:
    pages = html_pages(example_build.site)
    assert "404.html" in pages and len(pages) >= 19
    for path, html in pages.items():
        page = tree(html)
        (script,) = page.xpath("//script")
        assert script.get("defer") is not None and not (script.text or "").strip(), path
        (icon,) = page.xpath('//head/link[@rel="icon"]')
        assert icon.get("type") == "image/svg+xml"
        meta = {m.get("property") or m.get("name"): m.get("content") for m in page.xpath("//head/meta[@content]")}
        assert meta["og:title"] == text_of(page.xpath("//title")[0])
        assert meta["og:site_name"] == "Acme Cloud Status" and meta["og:type"] == "website"
        assert meta["og:description"] == "Live status and incident history for Acme Cloud invoicing and payments."
        assert meta["twitter:card"] == "summary"
        assert meta["theme-color"] == DEFAULT_PALETTE["degraded_performance"]  # the overall status
        root = page.get("data-root")
        if path == "404.html":
            assert script.get("src") == "/status/assets/live.js"
            assert icon.get("href") == "/status/favicon.svg"
            assert root == "/status/" and "og:url" not in meta
            continue
        # Relative links that resolve to the files, from any depth.
        folder = posixpath.dirname(path)
        assert posixpath.normpath(posixpath.join(folder, script.get("src"))) == "assets/live.js", path
        assert posixpath.normpath(posixpath.join(folder, icon.get("href"))) == "favicon.svg", path
        assert posixpath.normpath(posixpath.join(folder, root)) == ".", path
        assert meta["og:url"] == public_url(path) == page.xpath('//link[@rel="canonical"]/@href')[0]
        assert page.get("data-zone") == "Europe/Berlin"


def test_pages_have_no_inline_script_handlers_or_styles(example_build: BuildResult, tmp_path: Path) -> None:
    """Ready for a strict Content-Security-Policy: scripts are files, no on* handlers, no style=."""
    small = run_build(write_site(tmp_path / "src", {}), tmp_path / "site")
    assert small.exit_code == 0, small.output
    for site in (example_build.site, small.site):
        for path, html in html_pages(site).items():
            page = tree(html)
            for script in page.xpath("//script"):
                assert script.get("src") and not (script.text or "").strip(), path
            assert not page.xpath("//@*[starts-with(name(), 'on')]"), path
            assert not page.xpath("//@style | //style"), path
            assert "javascript:" not in html.lower(), path


def test_files_exist(example_build: BuildResult) -> None:
    for path in ["assets/live.js", "favicon.svg", "404.html", "sitemap.xml", "robots.txt", "widget.js"]:
        assert (example_build.site / path).is_file(), path
    assert "and 9 feeds" in example_build.output  # the sitemap is not a feed
    assert "into 27 pages" in example_build.output  # 404.html and the SEV-1's postmortem page are pages


def test_live_hooks_in_the_markup(example_build: BuildResult) -> None:
    """The data attributes live.js reads, rendered by the templates."""
    index = tree(example_build.read("index.html"))
    body = index.xpath("//body")[0]
    assert body.get("data-live-scope") == "all"
    assert body.get("data-live-incidents") == f"{OPEN_INCIDENT}@2026-11-26T06:31:00Z"
    (banner,) = index.xpath("//*[@data-live-overall]")
    assert text_of(banner.xpath(".//*[@data-live-overall-label]")[0]) == "Degraded performance"
    labelled = index.xpath("//*[@data-component-status]/@data-component-status")
    assert labelled == ["api", "dashboard", "auth", "webhooks", "checkout", "card-processing", "payouts"]
    (promise,) = index.xpath('//p[contains(@class, "promise")]')
    assert promise.get("data-next-update") == promise.xpath(".//time/@datetime")[0] == "2026-11-26T07:30:00Z"
    component = tree(example_build.read("components/payouts/index.html")).xpath("//body")[0]
    assert (component.get("data-live-scope"), component.get("data-live-incidents")) == ("component:payouts", "")
    incident = tree(example_build.read(f"incidents/{OPEN_INCIDENT}/index.html")).xpath("//body")[0]
    assert incident.get("data-live-scope") == f"incident:{OPEN_INCIDENT}"
    history = tree(example_build.read("history/index.html")).xpath("//body")[0]
    assert history.get("data-live-scope") is None


def test_live_js_is_small_self_contained_and_speaks_the_models_vocabulary() -> None:
    source = (REPO / "themes/default/assets/live.js").read_text(encoding="utf-8")
    assert "innerHTML" not in source and "eval(" not in source and "document.write" not in source
    assert not re.search(r"https?://", source)  # nothing from other hosts
    for status, indicator in STATUS_INDICATORS.items():
        assert f'{indicator}: "{status}"' in source


# --- sitemap, robots, 404 ------------------------------------------------------------------------

def sitemap_entries(result: BuildResult) -> list[tuple[str, str | None]]:
    root = ET.fromstring(result.read("sitemap.xml").encode())
    assert root.tag == f"{SITEMAP_NS}urlset"
    return [(u.findtext(f"{SITEMAP_NS}loc"), u.findtext(f"{SITEMAP_NS}lastmod")) for u in root]


def test_sitemap_lists_every_page_with_absolute_urls(example_build: BuildResult) -> None:
    entries = sitemap_entries(example_build)
    locs = [loc for loc, _ in entries]
    expected = sorted(public_url(p) for p in html_pages(example_build.site) if p != "404.html")
    assert locs == expected and len(locs) == len(set(locs))
    assert locs[0] == BASE
    assert all(loc.startswith(BASE) for loc in locs)
    lastmod = dict(entries)
    assert lastmod[public_url(f"incidents/{OPEN_INCIDENT}/index.html")] == "2026-11-26T06:31:00Z"
    assert lastmod[BASE] == "2026-11-26T06:31:00Z"  # the newest update, not the build time
    # Payouts' newest news: the database upgrade's "completed" update.
    assert lastmod[public_url("components/payouts/index.html")] == "2026-11-12T01:41:00Z"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m) for m in lastmod.values())


def test_sitemap_does_not_change_with_the_clock(tmp_path: Path) -> None:
    early = run_build(REPO, tmp_path / "early", now=EXAMPLE_NOW)
    later = run_build(REPO, tmp_path / "later", now="2026-11-26T09:45:00Z")
    assert early.read("sitemap.xml") == later.read("sitemap.xml")


def test_sitemap_of_a_site_without_content_has_no_lastmod(tmp_path: Path) -> None:
    result = run_build(write_site(tmp_path / "src", {}), tmp_path / "site")
    entries = sitemap_entries(result)
    assert ("https://example.test/status/", None) in entries
    assert all(lastmod is None for _, lastmod in entries)


def test_robots_allows_all_and_names_the_sitemap(example_build: BuildResult) -> None:
    lines = example_build.read("robots.txt").splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert not [line for line in lines if line.lower().startswith("disallow: /")]


def test_404_page_works_at_any_depth(example_build: BuildResult) -> None:
    html = example_build.read("404.html")
    parse_strict(html)
    page = tree(html)
    assert "Page not found" in text_of(page.xpath("//h1")[0])
    links = page.xpath("//@href | //@src")
    assert links
    # Paths from base_url's path: right at any depth of an unknown address, on the real host and
    # on any other that serves the site under /status/ (an address naming acme.github.io would be
    # another origin there, and the page's policy, style-src 'self', would refuse its stylesheet).
    for link in links:
        assert link.startswith("/status/") or link.startswith("#"), link
    assert page.xpath('//link[@rel="stylesheet"]/@href') == ["/status/assets/style.css"]
    assert "/status/" in page.xpath("//main//a/@href")
    assert not page.xpath('//link[@rel="canonical"]')
    assert page.xpath('//meta[@name="robots"]/@content') == ["noindex"]


# --- favicon -------------------------------------------------------------------------------------

def favicon(result: BuildResult) -> ET.Element:
    return ET.fromstring(result.read("favicon.svg").encode())


def test_favicon_reflects_the_overall_status(example_build: BuildResult, tmp_path: Path) -> None:
    degraded = favicon(example_build)
    assert degraded.tag == f"{SVG_NS}svg"
    assert degraded.find(f"{SVG_NS}circle").get("fill") == DEFAULT_PALETTE["degraded_performance"]
    assert degraded.findtext(f"{SVG_NS}title") == "Acme Cloud Status: Degraded performance"
    quiet = run_build(write_site(tmp_path / "src", {}), tmp_path / "site")
    operational = favicon(quiet)
    assert operational.find(f"{SVG_NS}circle").get("fill") == DEFAULT_PALETTE["operational"]
    assert operational.findtext(f"{SVG_NS}title") == "Test Status: Operational"
    assert quiet.read("favicon.svg") != example_build.read("favicon.svg")
    glyph = lambda svg: [ET.tostring(e) for e in svg][2:]  # noqa: E731 - what is drawn on the circle
    assert glyph(degraded) != glyph(operational)


def test_favicon_takes_the_themes_palette(tmp_path: Path) -> None:
    css = (REPO / "themes/default/assets/style.css").read_text().replace("--operational: #1a7f37", "--operational: #005500")
    source = write_site(tmp_path / "src", {"mine/assets/style.css": css},
                        config="title: T\nbase_url: https://x.test/\ntheme: mine\ncomponents:\n  - id: api\n    name: API\n")
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert favicon(result).find(f"{SVG_NS}circle").get("fill") == "#005500"
    assert tree(result.read("index.html")).xpath('//meta[@name="theme-color"]/@content') == ["#005500"]


# --- widget --------------------------------------------------------------------------------------

def test_widget_is_small_isolated_and_text_only(example_build: BuildResult, tmp_path: Path) -> None:
    widget = (example_build.site / "widget.js").read_bytes()
    assert len(widget) < 5120 and len(widget) <= WIDGET_MAX_BYTES
    source = widget.decode("utf-8")
    assert "attachShadow" in source and "document.currentScript" in source and "textContent" in source
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "eval(" not in source
    # Nothing about the site is baked in (only its language's words): every site in one language
    # ships the same file.
    other = run_build(write_site(tmp_path / "src", {}), tmp_path / "site")
    assert (other.site / "widget.js").read_bytes() == widget
    assert "acme" not in source.lower()


# --- in a real browser ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str:
    for candidate in (CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("chromium not installed: apt-get install -y chromium")


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium; the test is skipped, with the reason shown, when it is not installed."""
    return chromium_path()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, with CORS as GitHub Pages sends it, and no caching."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(root: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `root` over HTTP; yields the server's address."""
    server = http.server.ThreadingHTTPServer((host, 0), functools.partial(_Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def served_under_status(site: Path, tmp_path: Path) -> Iterator[str]:
    """Serve a built site at /status/, as GitHub Pages serves a project site."""
    www = tmp_path / "www"
    www.mkdir(exist_ok=True)
    (www / "status").symlink_to(site, target_is_directory=True)
    with served(www) as address:
        yield address + "status/"


def browse(url: str, tmp_path: Path, tz: str = "UTC", budget_ms: int = 5000) -> lxml.html.HtmlElement:
    """The DOM after the page's scripts ran (and fetched) for `budget_ms` of virtual time."""
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    command = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
               f"--virtual-time-budget={budget_ms}", "--dump-dom", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, env={**os.environ, "TZ": tz})
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return tree(done.stdout)


def test_browser_shows_times_in_the_readers_zone(chromium: str, example_build: BuildResult, tmp_path: Path) -> None:
    with served_under_status(example_build.site, tmp_path) as site:
        page = browse(site, tmp_path, tz="America/New_York")
        (promise,) = page.xpath('//p[contains(@class, "promise")]')
        # 07:30 UTC is 08:30 in Berlin (the page's zone) and 02:30 in New York. (Whether the
        # promise reads as overdue depends on the real clock, which the next test covers.)
        assert "26 Nov 2026, 08:30 CET (02:30 your time)" in text_of(promise)
        assert promise.xpath(".//time/@title") == ["26 Nov 2026, 02:30 your time"]
        notes = page.xpath('//span[@class="local-time"]')
        assert len(notes) == len(page.xpath("//time"))
        # The live check ran against the same build: nothing new, so no reload notice.
        assert not page.xpath('//*[contains(@class, "live-notice")]')
        assert text_of(page.xpath("//*[@data-live-overall-label]")[0]) == "Degraded performance"
        # A reader in a zone with the same clock as the page's sees nothing added.
        same = browse(site, tmp_path, tz="Europe/Paris")
        assert not same.xpath('//span[@class="local-time"]')
        # A date that differs is spelled out: 23:00 UTC on the 25th is the 26th in Tokyo.
        tokyo = browse(site + "history/2026/11/", tmp_path, tz="Asia/Tokyo")
        stamps = {t.get("datetime"): t.getnext() for t in tokyo.xpath("//time")}
        assert text_of(stamps["2026-11-26T05:52:00Z"]) == "(14:52 your time)"
        assert any(re.fullmatch(r"\(\d+ \w{3}, \d\d:\d\d your time\)", text_of(n)) for n in stamps.values())


def test_browser_marks_a_promise_overdue_by_the_readers_clock(chromium: str, tmp_path: Path) -> None:
    """Built before the promise, read after it: the script switches it to the overdue presentation."""
    real_now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    update = f"""\
        ---
        at: {stamp(real_now - timedelta(hours=2))}
        phase: investigating
        severity: sev2
        title: Slow API
        components:
          api: degraded_performance
        next_update: {stamp(real_now - timedelta(minutes=10))}
        ---
        We're looking into it.
        """
    config = "title: T\nbase_url: https://x.test/status/\ncomponents:\n  - id: api\n    name: API\n"
    source = write_site(tmp_path / "src", {"content/incidents/slow-api/1.md": update}, config=config)
    built = run_build(source, tmp_path / "site", stamp(real_now - timedelta(hours=1)))
    assert built.exit_code == 0, built.output
    (static,) = tree(built.read("index.html")).xpath('//p[contains(@class, "promise")]')
    assert "overdue" not in static.get("class")  # as built, the promise was still ahead
    late = run_build(source, tmp_path / "late", stamp(real_now))
    (expected,) = tree(late.read("index.html")).xpath('//p[contains(@class, "promise")]')
    with served_under_status(built.site, tmp_path) as site:
        for path in ["", "incidents/slow-api/", "components/api/"]:
            (promise,) = browse(site + path, tmp_path).xpath('//p[contains(@class, "promise")]')
            assert "overdue" in promise.get("class").split(), path
            # The same words and markup the build itself writes for an overdue promise.
            assert text_of(promise) == text_of(expected)
            assert promise.xpath("./strong/text()") == ["Update overdue:"]
        # A reader in another zone gets the local-time note, with its space kept outside it, where
        # no line start or flex layout can drop it: "08:30 UTC (03:30 your time)".
        for path in ["", "incidents/slow-api/"]:
            (promise,) = browse(site + path, tmp_path, tz="America/New_York").xpath('//p[contains(@class, "promise")]')
            assert "overdue" in promise.get("class").split(), path
            (time,) = promise.xpath("./time")
            assert time.tail == " ", path
            (note,) = promise.xpath('./span[@class="local-time"]')
            assert re.fullmatch(r"\((\d+ \w{3}, )?\d\d:\d\d your time\)", note.text), note.text
            assert re.search(r"UTC \(", promise.text_content()), promise.text_content()


def test_browser_updates_status_from_summary_json_and_offers_reload(chromium: str, example_source: Path,
                                                                   tmp_path: Path) -> None:
    """The page as built says degraded; the live summary.json says the incident is resolved."""
    page_build = run_build(example_source, tmp_path / "page")
    (example_source / "content/incidents" / OPEN_INCIDENT / "2026-11-26T0740Z.md").write_text(
        "---\nat: 2026-11-26T07:40:00Z\nphase: resolved\n---\nDeliveries are back to normal.\n",
        encoding="utf-8")
    newer = run_build(example_source, tmp_path / "newer", now="2026-11-26T07:45:00Z")
    assert page_build.exit_code == newer.exit_code == 0
    shutil.copy(newer.site / "api/v2/summary.json", page_build.site / "api/v2/summary.json")
    with served_under_status(page_build.site, tmp_path) as site:
        index = browse(site, tmp_path)
        (banner,) = index.xpath("//*[@data-live-overall]")
        assert "overall-operational" in banner.get("class").split()
        assert "overall-degraded_performance" not in banner.get("class")
        assert text_of(banner.xpath(".//h1")[0]) == "All systems operational"
        (webhooks,) = index.xpath('//*[@data-component-status="webhooks"]')
        assert text_of(webhooks) == "Operational" and "status-operational" in webhooks.get("class").split()
        assert webhooks.xpath('./span[@class="status-icon"]')  # the icon stays
        (notice,) = index.xpath('//main/*[contains(@class, "live-notice")]')
        assert text_of(notice) == "New updates — reload"
        assert notice.xpath(".//a/@href")[0].endswith("/status/")
        # The open incident is still shown as built: the page is not rebuilt under the reader.
        assert index.xpath('//article[contains(@class, "incident-card")]')
        component = browse(site + "components/webhooks/", tmp_path)
        assert text_of(component.xpath('//*[@data-component-status="webhooks"]')[0]) == "Operational"
        assert component.xpath('//*[contains(@class, "live-notice")]')
        quiet = browse(site + "components/payouts/", tmp_path)  # its incidents did not change
        assert not quiet.xpath('//*[contains(@class, "live-notice")]')


WIDGET_HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Customer site</title>
<style>a, strong, span {{ color: rgb(255, 0, 0) !important; font-size: 40px !important; }}</style>
</head><body><p>A customer's page.</p><pre id="out">waiting</pre>
<script src="{widget}" async></script>
<script>
var tries = 0;
var timer = setInterval(function () {{
  var host = document.querySelector("[data-statusgen-widget]");
  tries++;
  if (!host && tries < 40) return;
  clearInterval(timer);
  var out = document.getElementById("out");
  if (!host) {{ out.textContent = "none"; return; }}
  var shadow = host.shadowRoot;
  var link = shadow.querySelector("a");
  var report = [shadow.textContent, link.href, getComputedStyle(link).color,
                String(document.querySelectorAll("a").length)];
  shadow.querySelector("button").click();
  report.push(String(document.querySelector("[data-statusgen-widget]") === null));
  out.textContent = report.join("\\n");
}}, 100);
</script></body></html>
"""


def widget_report(site: Path, tmp_path: Path) -> list[str]:
    """Load the widget from the status site into a page on another origin; what it showed."""
    host_root = tmp_path / "customer"
    host_root.mkdir(exist_ok=True)
    with served_under_status(site, tmp_path) as status, served(host_root, host="localhost") as customer:
        assert status.split("/")[2].split(":")[0] != customer.split("/")[2].split(":")[0]
        (host_root / "index.html").write_text(WIDGET_HOST_PAGE.format(widget=status + "widget.js"))
        page = browse(customer + "index.html", tmp_path, budget_ms=8000)
    return page.xpath('//pre[@id="out"]')[0].text.split("\n")


def test_browser_widget_shows_a_banner_on_another_site(chromium: str, example_build: BuildResult, tmp_path: Path) -> None:
    text, href, colour, host_links, dismissed = widget_report(example_build.site, tmp_path)
    # The page's own words for its overall status, in the site's language (not the API's
    # Statuspage wording, "Minor Service Outage", which stays English for machines).
    assert "Acme Cloud Status: Degraded performance" in text
    assert "Webhook deliveries delayed" in text and "View the status page" in text
    assert href.startswith("http://127.0.0.1:") and href.endswith("/status/")
    assert colour != "rgb(255, 0, 0)"  # the host page's CSS does not reach into the shadow root
    assert host_links == "0"  # nothing was added to the host page's own DOM but the shadow host
    assert dismissed == "true"


def test_browser_widget_stays_hidden_when_all_is_well(chromium: str, tmp_path: Path) -> None:
    quiet = run_build(write_site(tmp_path / "src", {}), tmp_path / "site")
    assert quiet.exit_code == 0, quiet.output
    assert widget_report(quiet.site, tmp_path) == ["none"]
