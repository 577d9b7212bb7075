"""RSS and Atom: parse with feedparser, one entry per update, newest first, stable ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import REPO, BuildResult, run_build, write_site

EXAMPLE_UPDATES = 35 + 4  # incident updates + maintenance updates in content/
EXAMPLE_POSTMORTEMS = 1  # content/incidents/2026-10-14-api-dashboard-checkout-outage/postmortem.md


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml"])
def test_feed_parses_with_one_entry_per_update(example_build: BuildResult, feed: str) -> None:
    parsed = feedparser.parse(example_build.read(feed))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if feed == "feed.xml" else "atom10")
    assert parsed.feed.title == "Acme Cloud Status"
    assert len(parsed.entries) == EXAMPLE_UPDATES + EXAMPLE_POSTMORTEMS
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml"])
def test_newest_entry_is_the_open_incidents_latest_update(example_build: BuildResult, feed: str) -> None:
    newest = feedparser.parse(example_build.read(feed)).entries[0]
    assert newest.title == "[Identified] Webhook deliveries delayed"
    assert newest.link == ("https://acme.github.io/status/incidents/2026-11-26-webhook-delivery-delays/"
                           "#update-20261126T063100Z")
    body = newest.content[0].value if feed == "atom.xml" else newest.description
    assert "We&#x27;ve found the cause" in body or "We've found the cause" in body
    assert "Next update by:" in body and "2026-11-26 07:30 UTC" in body


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml", "components/checkout/feed.xml"])
def test_a_published_postmortem_is_an_entry_of_its_own(example_build: BuildResult, feed: str) -> None:
    entries = [e for e in feedparser.parse(example_build.read(feed)).entries if e.title.startswith("[Postmortem]")]
    assert [e.title for e in entries] == ["[Postmortem] API, dashboard and checkout unavailable"]
    (entry,) = entries
    link = "https://acme.github.io/status/incidents/2026-10-14-api-dashboard-checkout-outage/postmortem/"
    assert entry.link == link and entry.id == link
    assert entry.published == ("2026-10-20T09:00:00+00:00" if feed == "atom.xml" else "Tue, 20 Oct 2026 09:00:00 +0000")
    body = entry.content[0].value if feed == "atom.xml" else entry.description
    assert "Cause:</strong> config-change" in body and "3 of 4 done" in body


def test_maintenance_updates_are_entries(example_build: BuildResult) -> None:
    titles = [e.title for e in feedparser.parse(example_build.read("feed.xml")).entries]
    assert "[Maintenance: Completed] Database upgrade for checkout and payouts" in titles
    assert sum(t.startswith("[Maintenance: ") for t in titles) == 4


def test_guids_and_order_stable_across_builds(tmp_path: Path) -> None:
    first = run_build(REPO, tmp_path / "a")
    second = run_build(REPO, tmp_path / "b", "2026-11-26T07:20:00Z")
    for feed in ["feed.xml", "atom.xml"]:
        ids_first = [e.id for e in feedparser.parse(first.read(feed)).entries]
        ids_second = [e.id for e in feedparser.parse(second.read(feed)).entries]
        assert ids_first == ids_second


def test_feed_limit_keeps_the_newest(tmp_path: Path) -> None:
    config = (REPO / "statusgen.yml").read_text().replace("feed_limit: 50", "feed_limit: 5")
    source = write_site(tmp_path / "src", {}, config=config)
    shutil.copytree(REPO / "content", source / "content")
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    full = feedparser.parse(run_build(REPO, tmp_path / "full").read("feed.xml"))
    for feed in ["feed.xml", "atom.xml"]:
        entries = feedparser.parse(result.read(feed)).entries
        assert [e.id for e in entries] == [e.id for e in full.entries[:5]]
