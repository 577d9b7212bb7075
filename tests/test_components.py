"""Per-component pages and feeds: each shows and carries only what affects its component."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from conftest import EXAMPLE_NOW, REPO, BuildResult, run_build, write_site
from sitecheck import text_of, tree
from statusgen.source.load import load_site
from statusgen.vocabulary import STATUS_LABELS

COMPONENT_IDS = ["api", "dashboard", "auth", "webhooks", "checkout", "card-processing", "payouts"]
BASE = "https://acme.github.io/status/"


@pytest.fixture(scope="module")
def example_site():
    site, _ = load_site(REPO, datetime.fromisoformat(EXAMPLE_NOW.replace("Z", "+00:00")))
    return site


def test_every_component_has_page_feed_and_badge(example_build: BuildResult) -> None:
    for component_id in COMPONENT_IDS:
        for name in ["index.html", "feed.xml", "badge.svg"]:
            assert (example_build.site / "components" / component_id / name).is_file(), (component_id, name)


def test_index_links_each_component_to_its_page(example_build: BuildResult) -> None:
    index = tree(example_build.read("index.html"))
    for component_id in COMPONENT_IDS:
        (link,) = index.xpath(f'//li[@id="component-{component_id}"]//a[contains(@class, "component-name")]')
        assert link.get("href") == f"components/{component_id}/index.html"


def test_component_page_shows_status_bars_incidents_and_maintenance(example_build: BuildResult,
                                                                    example_site) -> None:
    for component_id in COMPONENT_IDS:
        page = tree(example_build.read(f"components/{component_id}/index.html"))
        component = example_site.component(component_id)
        assert text_of(page.xpath("//h1")[0]) == component.name
        (status,) = page.xpath('//p[@class="component-status"]//span[contains(@class, "status ")]')
        assert text_of(status) == STATUS_LABELS[example_site.component_status[component_id]]
        assert len(page.xpath('//ol[@class="bars"]/li')) == 90
        listed = [href.split("/")[-2] for href in page.xpath('//ul[@class="incident-list"]/li/a[not(@class)]/@href')]
        expected = [i.id for i in example_site.incidents if component_id in i.affected_component_ids]
        assert listed == expected, component_id  # newest first, only this component's
        shown = page.xpath('//article[contains(@class, "maintenance")]/@id')
        assert shown == [f"maintenance-{m.id}" for m in example_site.maintenances
                         if component_id in m.component_ids]
        assert page.xpath('//head/link[@type="application/rss+xml"]/@href')[-1] == "feed.xml"
        assert page.xpath('//link[@rel="canonical"]/@href') == [f"{BASE}components/{component_id}/"]


def test_component_page_of_an_open_incident_shows_latest_update_and_promise(example_build: BuildResult) -> None:
    page = tree(example_build.read("components/webhooks/index.html"))
    (card,) = page.xpath('//article[contains(@class, "incident-card")]')
    assert "We've found the cause" in text_of(card)
    (promise,) = card.xpath('.//p[contains(@class, "promise")]')
    assert text_of(promise) == "Next update by 26 Nov 2026, 08:30 CET"
    quiet = tree(example_build.read("components/payouts/index.html"))
    assert not quiet.xpath('//article[contains(@class, "incident-card")]')


def test_the_api_page_lists_the_sev1_and_the_upcoming_maintenance(example_build: BuildResult) -> None:
    page = tree(example_build.read("components/api/index.html"))
    titles = [text_of(a) for a in page.xpath('//ul[@class="incident-list"]/li/a')]
    assert "API, dashboard and checkout unavailable" in titles
    (upcoming,) = page.xpath('//article[@id="maintenance-2026-12-03-api-gateway-migration"]')
    assert "Scheduled" in text_of(upcoming)


@pytest.mark.parametrize("component_id", COMPONENT_IDS)
def test_component_feed_has_only_that_components_updates(example_build: BuildResult, example_site,
                                                        component_id: str) -> None:
    feed = feedparser.parse(example_build.read(f"components/{component_id}/feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    component = example_site.component(component_id)
    assert feed.feed.title == f"{component.name} · Acme Cloud Status"
    assert feed.feed.link == f"{BASE}components/{component_id}/"
    expected = []
    for incident in example_site.incidents:
        if component_id in incident.affected_component_ids:
            expected += [(u.at, f"{BASE}incidents/{incident.id}/#update-{u.at:%Y%m%dT%H%M%SZ}")
                         for u in incident.updates]
            if incident.report is not None:  # a published postmortem is an entry of its own
                expected.append((incident.report.published_at, f"{BASE}incidents/{incident.id}/postmortem/"))
    for maintenance in example_site.maintenances:
        if component_id in maintenance.component_ids:
            expected += [(u.at, f"{BASE}maintenance/{maintenance.id}/#update-{u.at:%Y%m%dT%H%M%SZ}")
                         for u in maintenance.updates]
    expected.sort(reverse=True)
    assert expected, component_id
    assert [e.id for e in feed.entries] == [link for _, link in expected]
    assert [e.link for e in feed.entries] == [link for _, link in expected]
    # The same entries, with the same ids, as in the site's feed.
    site_feed = {e.id: e for e in feedparser.parse(example_build.read("feed.xml")).entries}
    for entry in feed.entries:
        assert entry.id in site_feed
        assert entry.title == site_feed[entry.id].title
        assert entry.description == site_feed[entry.id].description
    published = [datetime(*e.published_parsed[:6], tzinfo=timezone.utc) for e in feed.entries]
    assert published == sorted(published, reverse=True)


def test_component_feed_respects_feed_limit(tmp_path: Path) -> None:
    config = (REPO / "statusgen.yml").read_text().replace("feed_limit: 50", "feed_limit: 3")
    source = write_site(tmp_path / "src", {}, config=config)
    shutil.copytree(REPO / "content", source / "content")
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert len(feedparser.parse(result.read("components/api/feed.xml")).entries) == 3


def test_new_update_reaches_the_component_page_and_feed(example_source: Path, tmp_path: Path) -> None:
    (example_source / "content/incidents/2026-11-26-webhook-delivery-delays/2026-11-26T0720Z.md").write_text(
        "---\nat: 2026-11-26T07:20:00Z\nphase: monitoring\ncomponents:\n  payouts: partial_outage\n"
        "next_update: 2026-11-26T08:20:00Z\n---\nPayouts are now affected too.\n", encoding="utf-8")
    result = run_build(example_source, tmp_path / "site", now="2026-11-26T07:25:00Z")
    assert result.exit_code == 0, result.output
    entries = feedparser.parse(result.read("components/payouts/feed.xml")).entries
    assert entries[0].title == "[Monitoring] Webhook deliveries delayed"
    page = tree(result.read("components/payouts/index.html"))
    (status,) = page.xpath('//p[@class="component-status"]//span[contains(@class, "status ")]')
    assert text_of(status) == "Partial outage"
    assert "Payouts are now affected too." in text_of(page.xpath('//article[contains(@class, "incident-card")]')[0])


def test_feed_bodies_are_html_and_channels_link_to_their_page(example_build: BuildResult) -> None:
    """Both kinds of feed: the body is HTML once (not escaped twice), <link> is the page, not the feed."""
    for path, page in [("feed.xml", BASE), ("components/webhooks/feed.xml", f"{BASE}components/webhooks/")]:
        feed = feedparser.parse(example_build.read(path))
        assert feed.feed.link == page, path
        body = feed.entries[0].description
        assert body.startswith("<p>We") and "&lt;p&gt;" not in body, path
        assert '<a href="https://acme.example/docs/api">Public API</a>' in body, path
