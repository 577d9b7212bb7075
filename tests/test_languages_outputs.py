"""A site with `language: de-AT` (German's shipped catalog, under its own locale/de-AT.po): what Python writes for readers speaks German.

Feeds (and the language they declare), calendar names, badges, page titles, metrics charts, the
widget's words and the messages `statusgen notify` sends; the JSON API, ids and UIDs stay as they are.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import icalendar
import pytest
from click.testing import CliRunner

from conftest import MINIMAL_CONFIG, BuildResult, run_build, write_site
from sitecheck import text_of, tree
from sites import GOOD_MAINTENANCE, GOOD_UPDATE
from statusgen.cli import main

NOW = "2026-11-20T12:00:00Z"
INCIDENT = "content/incidents/2026-11-20-card-payments"

GERMAN = r'''
msgid ""
msgstr ""
"Language: de\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Investigating"
msgstr "Wird untersucht"

msgctxt "component status, inside a sentence"
msgid "partial outage"
msgstr "teilweise gestört"

msgid "Identified"
msgstr "Ursache gefunden"

msgid "Scheduled"
msgstr "Geplant"

msgid "Partial outage"
msgstr "Teilausfall"

msgid "Degraded performance"
msgstr "Eingeschränkte Leistung"

msgid "Operational"
msgstr "Betriebsbereit"

msgid "Major"
msgstr "Schwer"

msgid "Minor"
msgstr "Leicht"

msgid "History"
msgstr "Verlauf"

msgid "%(month)s · History"
msgstr "%(month)s · Verlauf"

msgid "Page not found"
msgstr "Seite nicht gefunden"

msgid "Incident and maintenance updates from %(site)s"
msgstr "Störungs- und Wartungsmeldungen von %(site)s"

msgid "Incident and maintenance updates for %(component)s from %(site)s"
msgstr "Störungs- und Wartungsmeldungen zu %(component)s von %(site)s"

msgid "[Maintenance: %(phase)s] %(title)s"
msgstr "[Wartung: %(phase)s] %(title)s"

msgid "Maintenance · %(site)s"
msgstr "Wartung · %(site)s"

msgid "%(component)s maintenance · %(site)s"
msgstr "Wartung von %(component)s · %(site)s"

msgid "Incidents per month by severity"
msgstr "Störungen pro Monat nach Schweregrad"

msgid "%(month)s: %(num)s %(severity)s incident"
msgid_plural "%(month)s: %(num)s %(severity)s incidents"
msgstr[0] "%(month)s: %(num)s Störung %(severity)s"
msgstr[1] "%(month)s: %(num)s Störungen %(severity)s"

msgid "View the status page"
msgstr "Zur Statusseite"

msgid "Dismiss"
msgstr "Schließen"

msgid "(and %(num)s more)"
msgid_plural "(and %(num)s more)"
msgstr[0] "(und %(num)s weitere)"
msgstr[1] "(und %(num)s weitere)"

msgid "Next update by %(time)s."
msgstr "Nächste Meldung bis %(time)s."

msgid "Affected:"
msgstr "Betroffen:"

msgid "Details: %(url)s"
msgstr "Mehr dazu: %(url)s"

msgid "View the incident"
msgstr "Zur Störung"

msgid "[%(severity)s, %(phase)s] %(title)s"
msgstr "[%(severity)s, %(phase)s] %(title)s"
'''

SECOND_UPDATE = """\
---
at: 2026-11-20T09:50:00Z
phase: identified
components:
  checkout: partial_outage
next_update: 2026-11-20T10:30:00Z
---
We've found the cause.
"""

API_UPDATE = """\
---
at: 2026-11-20T11:00:00Z
phase: investigating
severity: sev3
title: Slow API responses
components:
  api: degraded_performance
next_update: 2026-11-20T12:30:00Z
---
Some API requests are slow.
"""


def german_site(root: Path, *, second: bool = True) -> Path:
    files = {f"{INCIDENT}/0930.md": GOOD_UPDATE, "content/incidents/2026-11-20-slow-api/1100.md": API_UPDATE,
             "content/maintenance/2026-11-28-database-upgrade/0900.md": GOOD_MAINTENANCE,
             "locale/de-AT.po": GERMAN}
    if second:
        files[f"{INCIDENT}/0950.md"] = SECOND_UPDATE
    return write_site(root, files, config=MINIMAL_CONFIG + "language: de-AT\nmetrics: true\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("german")
    result = run_build(german_site(root / "src"), root / "site", NOW, "--no-cache")
    assert result.exit_code == 0, result.output
    return result


def test_feeds_are_german_and_say_so(built: BuildResult) -> None:
    rss = feedparser.parse(built.read("feed.xml"))
    assert rss.feed.language == "de-AT"
    assert rss.feed.description == "Störungs- und Wartungsmeldungen von Test Status"
    titles = [entry.title for entry in rss.entries]
    assert "[Ursache gefunden] Card payments failing" in titles
    assert "[Wird untersucht] Slow API responses" in titles
    assert "[Wartung: Geplant] Database upgrade" in titles
    newest = next(e for e in rss.entries if e.title.startswith("[Ursache gefunden]"))
    assert "SEV-2 (Schwer)" in newest.description and "Checkout: teilweise gestört" in newest.description
    atom = feedparser.parse(built.read("atom.xml"))
    assert atom.feed.language == "de-AT" and atom.entries[0].title.startswith("[Wird untersucht]")
    component = feedparser.parse(built.read("components/checkout/feed.xml"))
    assert component.feed.description == "Störungs- und Wartungsmeldungen zu Checkout von Test Status"
    # The entry ids stay the permanent links, whatever the language.
    assert newest.id.endswith("/incidents/2026-11-20-card-payments/#update-20261120T095000Z")


def test_calendars_have_german_names_and_english_uids(built: BuildResult) -> None:
    calendar = icalendar.Calendar.from_ical((built.site / "maintenance.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Wartung · Test Status"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith("maintenance-2026-11-28-database-upgrade")
    checkout = icalendar.Calendar.from_ical((built.site / "components/checkout/maintenance.ics").read_bytes())
    assert str(checkout["X-WR-CALNAME"]) == "Wartung von Checkout · Test Status"


def test_badges_show_german_status_words_and_their_language(built: BuildResult) -> None:
    svg = ET.fromstring((built.site / "badge.svg").read_bytes())
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert texts[-1] == "Teilausfall" and texts[0] == "Test Status"
    assert svg.get("aria-label") == "Test Status: Teilausfall"
    assert svg.get("{http://www.w3.org/XML/1998/namespace}lang") == "de-AT"
    # The status part is as wide as its German word (the width is estimated from the text).
    english = ET.fromstring((built.site / "components/api/badge.svg").read_bytes())
    assert [t.text for t in english.iter(f"{ns}text")][-1] == "Eingeschränkte Leistung"
    assert int(english.get("width")) > int(svg.get("width"))


def test_page_titles_are_german(built: BuildResult) -> None:
    assert text_of(tree(built.read("history/index.html")).xpath("//title")[0]) == "Verlauf · Test Status"
    assert text_of(tree(built.read("404.html")).xpath("//title")[0]) == "Seite nicht gefunden · Test Status"
    month = text_of(tree(built.read("history/2026/11/index.html")).xpath("//title")[0])
    assert month == "November 2026 · Verlauf · Test Status"  # Babel's German month name: the same word


def test_metrics_charts_are_german(built: BuildResult) -> None:
    page = tree(built.read("metrics/index.html"))
    assert text_of(page.xpath('//*[@id="chart-months-title"]')[0]) == "Störungen pro Monat nach Schweregrad"
    axis = [text_of(t) for t in page.xpath('//*[@id="chart-months"]//*[local-name()="text"]')]
    assert "Nov." in axis  # Babel's German abbreviation, not 'Nov'
    tips = [text_of(t) for t in page.xpath('//*[@id="chart-months"]//*[local-name()="rect"]/*[local-name()="title"]')]
    assert "Nov. 2026: 1 Störung SEV-2" in tips


def test_widget_words_are_german(built: BuildResult) -> None:
    widget = (built.site / "widget.js").read_bytes()
    assert len(widget) < 5120
    source = widget.decode("utf-8")
    assert "View the status page" not in source and '"Dismiss"' not in source
    table = json.loads(re.search(r"var W = (\{.*\});\n", source).group(1))
    assert table["v"] == "Zur Statusseite" and table["d"] == "Schließen"
    assert table["s"]["major"] == "Teilausfall" and table["l"] == "de-AT" and table["r"] == "ltr"
    assert table["m"]["one"] == "(und \u00010 weitere)" and table["t"] == "\u00010: \u00011"


def test_browser_widget_speaks_german(built: BuildResult, tmp_path: Path) -> None:
    from test_live import chromium_path, widget_report
    chromium_path()  # skips without Chromium
    text, href, _, _, dismissed = widget_report(built.site, tmp_path)
    assert text.startswith("Test Status: Teilausfall")
    assert "(und 1 weitere)" in text and "Zur Statusseite" in text
    assert href.endswith("/status/") and dismissed == "true"


def test_notify_messages_are_german(tmp_path: Path) -> None:
    before = run_build(german_site(tmp_path / "before-src", second=False), tmp_path / "before", NOW, "--no-cache")
    assert before.exit_code == 0, before.output
    source = german_site(tmp_path / "src")
    result = CliRunner().invoke(main, ["notify", "--source", str(source), "--now", NOW, "--previous",
                                       str(tmp_path / "before"), "--to", "json://127.0.0.1:9/x", "--dry-run",
                                       "--format", "json"], env={"STATUSGEN_NOTIFY": None}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)
    assert record["title"] == "[SEV-2, Ursache gefunden] Card payments failing"
    lines = record["body"].split("\n")
    assert lines[0] == "SEV-2 (Schwer) · Ursache gefunden · 20. Nov. 2026, 09:50 UTC"  # German's date pattern
    assert lines[1] == "Betroffen: Checkout (Teilausfall)"
    assert "Nächste Meldung bis 10:30 UTC." in lines
    assert lines[-1].startswith("Mehr dazu: https://example.test/status/incidents/2026-11-20-card-payments/")
