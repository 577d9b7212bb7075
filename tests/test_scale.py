"""Valid but unusual input: big sites, long incidents, titles at the length limits, and text in
any script. Each builds with the real CLI and the output is checked, not just the exit code.

Build times are recorded (`record_property`, and printed with `pytest -s`). A build that takes
far longer than it does today fails, so a quadratic slip shows up here rather than on a
customer's CI; the ceiling is several times today's time on a 2-core machine.
"""

from __future__ import annotations

import json
import time
import unicodedata
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest

from conftest import BuildResult, run_build
from sitecheck import broken_internal_links, parse_strict, text_of, tree
from statusgen.vocabulary import STATUS_LABELS

NOW = "2026-11-26T07:00:00Z"
CEILING_SECONDS = 60
"""Today: about 8 s for 1,000 components and 1.5 s for a 500-update incident on 2 cores."""

SVG_NS = "{http://www.w3.org/2000/svg}"


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


BUILD_SECONDS: dict[str, float] = {}
"""How long each big build took, for `test_build_times_are_recorded`."""


def timed_build(source: Path, output: Path, name: str) -> BuildResult:
    started = time.perf_counter()
    result = run_build(source, output, NOW)
    seconds = time.perf_counter() - started
    BUILD_SECONDS[name] = round(seconds, 2)
    print(f"\n{name}: built in {seconds:.1f} s ({result.output.strip()})")
    assert result.exit_code == 0, result.output
    assert seconds < CEILING_SECONDS, f"{name} took {seconds:.1f} s to build"
    return result


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def update(at: datetime, phase: str, body: str, *, title: str | None = None, severity: str | None = None,
           components: dict[str, str] | None = None, next_update: datetime | None = None) -> str:
    lines = ["---", f"at: {stamp(at)}", f"phase: {phase}"]
    if severity:
        lines.append(f"severity: {severity}")
    if title is not None:
        lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
    if components:
        lines.append("components:")
        lines += [f"  {cid}: {status}" for cid, status in components.items()]
    if next_update:
        lines.append(f"next_update: {stamp(next_update)}")
    return "\n".join([*lines, "---", body, ""])


# --- 1,000 components ----------------------------------------------------------------------------

COMPONENTS = 1000


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("thousand")
    config = ["title: Big Status", "base_url: https://example.test/status/", "components:"]
    for n in range(COMPONENTS):
        config += [f"  - id: c{n:04d}", f"    name: Service {n:04d}", f"    group: Region {n // 100}"]
    start = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    files = {"statusgen.yml": "\n".join(config) + "\n",
             # One open incident on three components, one resolved on another.
             "content/incidents/open-one/1.md": update(
                 start, "identified", "Working on it.", title="Open", severity="sev2",
                 components={"c0007": "major_outage", "c0500": "partial_outage", "c0999": "degraded_performance"},
                 next_update=datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc)),
             "content/incidents/old-one/1.md": update(
                 start, "resolved", "Fixed.", title="Old", severity="sev3", components={"c0042": "major_outage"}),
             }
    return timed_build(write(root / "src", files), root / "site", "1000 components")


def test_index_lists_all_thousand_components_each_with_a_status(thousand: BuildResult) -> None:
    page = tree(thousand.read("index.html"))  # (strict parsing of normal pages: test_build.py)
    rows = page.xpath('//li[contains(@class, "component")]')
    assert len(rows) == COMPONENTS
    assert len(page.xpath('//div[@class="component-group"]/h3')) == 10
    labels = set(STATUS_LABELS.values())
    statuses = {}
    for row in rows:
        (status,) = row.xpath('.//span[@data-component-status]')
        assert text_of(status) in labels, row.get("id")
        statuses[status.get("data-component-status")] = text_of(status)
    assert len(statuses) == COMPONENTS
    assert statuses["c0007"] == "Major outage" and statuses["c0500"] == "Partial outage"
    assert statuses["c0999"] == "Degraded performance" and statuses["c0042"] == "Operational"
    assert sum(1 for s in statuses.values() if s == "Operational") == COMPONENTS - 3
    links = page.xpath('//a[@class="component-name"]/@href')
    assert links == [f"components/c{n:04d}/index.html" for n in range(COMPONENTS)]
    assert text_of(page.xpath('//section[contains(@class, "overall")]//h1')[0]) == "Major outage"


def test_every_component_has_its_page_feed_badge_and_api_entry(thousand: BuildResult) -> None:
    site = thousand.site
    for n in range(COMPONENTS):
        for name in ("index.html", "feed.xml", "badge.svg"):
            assert (site / f"components/c{n:04d}/{name}").is_file(), (n, name)
    components = json.loads(thousand.read("api/v2/components.json"))["components"]
    assert len([c for c in components if not c["group"]]) == COMPONENTS
    assert len([c for c in components if c["group"]]) == 10
    summary = json.loads(thousand.read("api/v2/summary.json"))
    assert summary["status"]["indicator"] == "critical"
    history = tree(thousand.read("history/index.html"))
    assert len(history.xpath('//li[@class="component"]')) == COMPONENTS


# --- an incident with 500 updates ----------------------------------------------------------------

UPDATES = 500


@pytest.fixture(scope="module")
def long_incident(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("long")
    config = ("title: T\nbase_url: https://example.test/\nfeed_limit: 75\ncomponents:\n"
              "  - id: api\n    name: API\n  - id: web\n    name: Web\n")
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    files = {"statusgen.yml": config}
    phases = ["investigating", "identified", "monitoring"]
    for n in range(UPDATES):
        at = start + timedelta(minutes=20 * n)
        last = n == UPDATES - 1
        files[f"content/incidents/marathon/{n:04d}.md"] = update(
            at, "resolved" if last else phases[min(n // 100, 2)], f"Update number {n}.",
            title="A very long incident" if n == 0 else None, severity="sev2" if n == 0 else None,
            components=None if last else {("api", "web")[n % 2]: "degraded_performance"},
            next_update=None if last else at + timedelta(minutes=30))
    return timed_build(write(root / "src", files), root / "site", "500-update incident")


def test_incident_page_has_every_update_newest_first(long_incident: BuildResult) -> None:
    html = long_incident.read("incidents/marathon/index.html")
    parse_strict(html)
    entries = tree(html).xpath('//ol[contains(@class, "timeline")]/li')
    assert len(entries) == UPDATES
    stamps = [e.xpath(".//time/@datetime")[0] for e in entries]
    assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) == UPDATES
    assert text_of(entries[0].xpath('.//div[@class="update-body"]')[0]) == f"Update number {UPDATES - 1}."
    assert text_of(entries[-1].xpath('.//div[@class="update-body"]')[0]) == "Update number 0."
    assert len({e.get("id") for e in entries}) == UPDATES  # every update has its own anchor


def test_feeds_hold_feed_limit_entries(long_incident: BuildResult) -> None:
    for feed in ("feed.xml", "atom.xml", "components/api/feed.xml"):
        parsed = feedparser.parse(long_incident.read(feed))
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert len(parsed.entries) == 75, feed
    newest = feedparser.parse(long_incident.read("feed.xml")).entries[0]
    assert newest.title == "[Resolved] A very long incident"


def test_api_and_history_carry_the_long_incident(long_incident: BuildResult) -> None:
    incidents = json.loads(long_incident.read("api/v2/incidents.json"))["incidents"]
    assert len(incidents[0]["incident_updates"]) == UPDATES
    assert incidents[0]["status"] == "resolved"
    month = tree(long_incident.read("history/2026/11/index.html"))
    assert [text_of(a) for a in month.xpath('//article[contains(@class, "incident-card")]/h3/a')] == [
        "A very long incident"]


def test_build_times_are_recorded(thousand: BuildResult, long_incident: BuildResult, record_property) -> None:
    """In the JUnit XML (`--junitxml`) as properties, and printed with `pytest -s`."""
    for name, seconds in BUILD_SECONDS.items():
        record_property(f"build_seconds[{name}]", seconds)
    assert set(BUILD_SECONDS) == {"1000 components", "500-update incident"}


# --- text at the length limits -------------------------------------------------------------------

def test_titles_and_names_at_their_length_limits_are_shown_whole(tmp_path: Path) -> None:
    """The longest allowed values, as one unbreakable word: shown whole everywhere."""
    site_title, name, group = "S" * 200, "N" * 200, "G" * 200
    description = "D" * 1000
    incident_title, maintenance_title = "I" * 299 + "!", "M" * 299 + "!"
    config = (f"title: {site_title}\ndescription: {description}\nbase_url: https://example.test/\n"
              f"components:\n  - id: {'a' * 100}\n    name: {name}\n    group: {group}\n"
              f"    description: {description}\n")
    component = "a" * 100
    start = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    files = {
        "statusgen.yml": config,
        f"content/incidents/{'i' * 100}/1.md": update(
            start, "investigating", "Body.", title=incident_title, severity="sev1",
            components={component: "major_outage"}, next_update=start + timedelta(days=2)),
        f"content/maintenance/{'m' * 100}/1.md": "\n".join([
            "---", "at: 2026-11-25T09:00:00Z", "phase: scheduled", f"title: {maintenance_title}",
            "window:", "  start: 2026-11-28T02:00:00Z", "  end: 2026-11-28T03:00:00Z",
            f"components: [{component}]", "---", "Body.", ""]),
    }
    result = run_build(write(tmp_path / "src", files), tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    index = result.read("index.html")
    parse_strict(index)
    for text in (site_title, name, group, description, incident_title, maintenance_title):
        assert text in index
    assert incident_title in result.read(f"incidents/{'i' * 100}/index.html")
    assert maintenance_title in result.read(f"maintenance/{'m' * 100}/index.html")
    assert name in result.read(f"components/{component}/index.html")
    titles = {e.title for e in feedparser.parse(result.read("feed.xml")).entries}
    assert titles == {f"[Investigating] {incident_title}", f"[Maintenance: Scheduled] {maintenance_title}"}
    badge = ET.fromstring(result.read(f"components/{component}/badge.svg").encode())
    assert badge.findtext(f"{SVG_NS}title") == f"{name}: Major outage"
    assert int(badge.get("width")) > 1000  # the badge grows with the name rather than cutting it
    assert broken_internal_links(result.site) == []


# --- any script ----------------------------------------------------------------------------------

RTL_TITLE = "فشل الدفع بالبطاقة 💳 — Zahlungen schlagen fehl"
HEBREW = "שירות התשלומים"
EMOJI = "👩🏽‍💻 Dev portal 🏳️‍🌈"
CJK = "決済サービス・支払い"
COMBINING = "Cafe\u0301 ñ n\u0303 Ελληνικά"
"""Decomposed accents must reach the page as written (no normalisation that changes bytes)."""


def test_unicode_right_to_left_and_emoji_everywhere(tmp_path: Path) -> None:
    config = "\n".join([
        f"title: {json.dumps(HEBREW + ' — Status', ensure_ascii=False)}",
        "base_url: https://example.test/",
        "components:",
        f"  - id: pay\n    name: {json.dumps(CJK, ensure_ascii=False)}\n    group: {json.dumps(HEBREW, ensure_ascii=False)}",
        f"  - id: dev\n    name: {json.dumps(EMOJI, ensure_ascii=False)}\n"
        f"    description: {json.dumps(COMBINING, ensure_ascii=False)}",
        ""])
    start = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    files = {
        "statusgen.yml": config,
        "content/incidents/rtl/1.md": update(
            start, "investigating", f"{RTL_TITLE}\n\n{HEBREW} {EMOJI} {COMBINING}", title=RTL_TITLE,
            severity="sev2", components={"pay": "partial_outage", "dev": "degraded_performance"},
            next_update=start + timedelta(days=2)),
    }
    result = run_build(write(tmp_path / "src", files), tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    assert not unicodedata.is_normalized("NFC", COMBINING)
    for page in result.site.rglob("*.html"):
        parse_strict(page.read_text(encoding="utf-8"))
    index = result.read("index.html")
    incident = result.read("incidents/rtl/index.html")
    for text in (RTL_TITLE, HEBREW, EMOJI, CJK, COMBINING):
        assert text in index, text
    for text in (RTL_TITLE, HEBREW, EMOJI, COMBINING):
        assert text in incident, text
    assert feedparser.parse(result.read("feed.xml")).entries[0].title == f"[Investigating] {RTL_TITLE}"
    assert feedparser.parse(result.read("components/dev/feed.xml")).feed.title.startswith(EMOJI)
    summary = json.loads(result.read("api/v2/summary.json"))
    assert summary["page"]["name"] == HEBREW + " — Status"
    assert {c["name"] for c in summary["components"]} >= {CJK, EMOJI, HEBREW}
    assert summary["incidents"][0]["name"] == RTL_TITLE
    for component, name in (("pay", CJK), ("dev", EMOJI)):
        badge = ET.fromstring(result.read(f"components/{component}/badge.svg").encode())
        assert badge.findtext(f"{SVG_NS}title").startswith(name)
    assert broken_internal_links(result.site) == []
