"""Maintenance calendars: maintenance.ics, components/<id>/maintenance.ics and each
maintenance's event.ics, read back with the icalendar library and checked against RFC 5545."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import icalendar
import pytest

from conftest import MINIMAL_CONFIG, BuildResult, run_build, write_site
from sitecheck import broken_internal_links, tree
from statusgen.render.markdown import plain_text

NOW = "2026-11-26T07:00:00Z"

ANNOUNCED = """
    ---
    at: 2026-11-20T09:00:00Z
    phase: scheduled
    title: Database upgrade
    window:
      start: 2026-11-28T02:00:00Z
      end: 2026-11-28T03:00:00Z
    components: [checkout]
    ---
    Checkout may be **unavailable** for five minutes. See [the notes](https://example.test/notes).
"""

DONE = """
    ---
    at: 2026-11-10T03:10:00Z
    phase: completed
    ---
    All done.
"""

OLD = """
    ---
    at: 2026-11-09T09:00:00Z
    phase: scheduled
    title: API certificate rotation
    window:
      start: 2026-11-10T02:00:00Z
      end: 2026-11-10T03:00:00Z
    components: [api]
    ---
    A short blip for API clients.
"""

ANCIENT = """
    ---
    at: 2025-01-09T09:00:00Z
    phase: scheduled
    title: Long ago
    window:
      start: 2025-01-10T02:00:00Z
      end: 2025-01-10T03:00:00Z
    components: [api]
    ---
    Before the history range.
"""


def site_files(**extra: str) -> dict[str, str]:
    return {"content/maintenance/db-upgrade/0900.md": ANNOUNCED,
            "content/maintenance/cert-rotation/0900.md": OLD,
            "content/maintenance/cert-rotation/1000.md": DONE,
            "content/maintenance/long-ago/0900.md": ANCIENT, **extra}


def build(tmp_path: Path, files: dict[str, str], name: str = "site", config: str = MINIMAL_CONFIG) -> BuildResult:
    source = write_site(tmp_path / f"{name}-src", files, config)
    result = run_build(source, tmp_path / name, NOW)
    assert result.exit_code == 0, result.output
    return result


def events(result: BuildResult, path: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((result.site / path).read_bytes())
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def assert_rfc5545_basics(data: bytes) -> None:
    """CRLF line endings only, lines of at most 75 octets, the calendar's required properties and
    each event's (UID, DTSTAMP, DTSTART), all parseable."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), [line for line in lines if len(line) > 75]
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    unfolded = re.sub(rb"\r\n[ \t]", b"", data).split(b"\r\n")
    assert b"VERSION:2.0" in unfolded
    assert any(line.startswith(b"PRODID:") for line in unfolded)
    calendar = icalendar.Calendar.from_ical(data)
    for event in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL", "STATUS", "SEQUENCE"):
            assert name in event, name


def test_site_calendar_has_every_window_of_the_history_range(tmp_path: Path) -> None:
    result = build(tmp_path, site_files())
    data = (result.site / "maintenance.ics").read_bytes()
    assert_rfc5545_basics(data)
    found = events(result, "maintenance.ics")
    # Upcoming and completed both; one that ended before the last 90 days is left out.
    assert set(found) == {"Database upgrade", "API certificate rotation"}
    upcoming = found["Database upgrade"]
    assert upcoming["DTSTART"].dt == datetime(2026, 11, 28, 2, tzinfo=timezone.utc)
    assert upcoming["DTEND"].dt == datetime(2026, 11, 28, 3, tzinfo=timezone.utc)
    assert b"DTSTART:20261128T020000Z\r\n" in data and b"DTEND:20261128T030000Z\r\n" in data
    assert upcoming["DTSTAMP"].dt == datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    assert str(upcoming["STATUS"]) == "CONFIRMED"
    assert upcoming["SEQUENCE"] == 0
    assert str(upcoming["URL"]) == "https://example.test/status/maintenance/db-upgrade/"
    assert str(upcoming["UID"]) == "maintenance-db-upgrade.status@example.test"
    assert str(upcoming["DESCRIPTION"]) == ("Checkout may be unavailable for five minutes. "
                                            "See the notes (https://example.test/notes).")
    completed = found["API certificate rotation"]
    assert str(completed["DESCRIPTION"]) == "All done."
    assert completed["DTSTAMP"].dt == datetime(2026, 11, 10, 3, 10, tzinfo=timezone.utc)


def test_component_calendars_hold_only_their_windows(tmp_path: Path) -> None:
    result = build(tmp_path, site_files())
    for path in ("components/api/maintenance.ics", "components/checkout/maintenance.ics"):
        assert_rfc5545_basics((result.site / path).read_bytes())
    assert set(events(result, "components/checkout/maintenance.ics")) == {"Database upgrade"}
    assert set(events(result, "components/api/maintenance.ics")) == {"API certificate rotation"}


def test_each_maintenance_has_its_own_event_and_an_add_to_calendar_link(tmp_path: Path) -> None:
    result = build(tmp_path, site_files())
    for maintenance_id in ("db-upgrade", "cert-rotation", "long-ago"):
        data = (result.site / f"maintenance/{maintenance_id}/event.ics").read_bytes()
        assert_rfc5545_basics(data)
        assert len(icalendar.Calendar.from_ical(data).walk("VEVENT")) == 1
        page = tree(result.read(f"maintenance/{maintenance_id}/index.html"))
        links = page.xpath("//a[normalize-space()='Add to calendar']/@href")
        assert links == ["event.ics"]
    assert broken_internal_links(result.site) == []


def test_every_page_links_the_calendar_in_its_head(tmp_path: Path) -> None:
    result = build(tmp_path, site_files())
    for page, expected in [("index.html", ["maintenance.ics"]),
                           ("maintenance/db-upgrade/index.html", ["../../maintenance.ics"]),
                           ("components/api/index.html",
                            ["../../maintenance.ics", "maintenance.ics"])]:
        head = tree(result.read(page)).xpath("//head/link[@rel='alternate'][@type='text/calendar']/@href")
        assert head == expected, page


def test_builds_are_byte_identical_and_uids_stable(tmp_path: Path) -> None:
    first = build(tmp_path, site_files(), "one")
    second = build(tmp_path, site_files(), "two")
    for path in ("maintenance.ics", "components/checkout/maintenance.ics", "maintenance/db-upgrade/event.ics"):
        assert (first.site / path).read_bytes() == (second.site / path).read_bytes()
    # A later update keeps the UID: calendars update the event rather than adding one.
    moved = site_files(**{"content/maintenance/db-upgrade/1000.md": """
        ---
        at: 2026-11-21T10:00:00Z
        phase: scheduled
        window:
          start: 2026-11-29T02:00:00Z
          end: 2026-11-29T03:00:00Z
        ---
        Moved by a day.
    """})
    third = build(tmp_path, moved, "three")
    before = events(first, "maintenance.ics")["Database upgrade"]
    after = events(third, "maintenance.ics")["Database upgrade"]
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == 1 > before["SEQUENCE"]
    assert after["DTSTART"].dt == datetime(2026, 11, 29, 2, tzinfo=timezone.utc)
    assert after["DTSTAMP"].dt == datetime(2026, 11, 21, 10, tzinfo=timezone.utc)
    assert str(after["DESCRIPTION"]) == "Moved by a day."


def test_an_update_that_keeps_the_window_keeps_the_sequence(tmp_path: Path) -> None:
    result = build(tmp_path, site_files(**{"content/maintenance/db-upgrade/1000.md": """
        ---
        at: 2026-11-21T10:00:00Z
        phase: scheduled
        ---
        Still on.
    """}))
    assert events(result, "maintenance.ics")["Database upgrade"]["SEQUENCE"] == 0


def test_cancelled_window_is_cancelled_with_a_new_sequence(tmp_path: Path) -> None:
    result = build(tmp_path, site_files(**{"content/maintenance/db-upgrade/1000.md": """
        ---
        at: 2026-11-22T10:00:00Z
        phase: cancelled
        ---
        Cancelled: the upgrade is no longer needed.
    """}))
    cancelled = events(result, "maintenance.ics")["Database upgrade"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    assert str(cancelled["DESCRIPTION"]) == "Cancelled: the upgrade is no longer needed."
    assert str(events(result, "maintenance/db-upgrade/event.ics")["Database upgrade"]["STATUS"]) == "CANCELLED"


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    body = ("Line one\r\nATTENDEE;CN=x:mailto:evil@example.test\r\n\r\n"
            "BEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\n\n<script>alert(1)</script> a;b,c\\d")
    title_yaml = '"Upgrade; part 1, \\\\done\\\\\\r\\nATTENDEE:mailto:evil@example.test\\nEND:VEVENT"'
    files = {"content/maintenance/evil/0900.md": f"""---
at: 2026-11-20T09:00:00Z
phase: scheduled
title: {title_yaml}
window:
  start: 2026-11-28T02:00:00Z
  end: 2026-11-28T03:00:00Z
components: [checkout]
---
{body}
"""}
    source = write_site(tmp_path / "src", files)
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    for path in ("maintenance.ics", "maintenance/evil/event.ics", "components/checkout/maintenance.ics"):
        data = (result.site / path).read_bytes()
        assert_rfc5545_basics(data)
        unfolded = re.sub(rb"\r\n[ \t]", b"", data).split(b"\r\n")
        names = [line.split(b":")[0].split(b";")[0] for line in unfolded if line]
        assert b"ATTENDEE" not in names and b"TRIGGER" not in names
        assert names.count(b"BEGIN") == names.count(b"END") == 2  # VCALENDAR and the one VEVENT
        calendar = icalendar.Calendar.from_ical(data)
        assert [c.name for c in calendar.subcomponents] == ["VEVENT"]
        (event,) = calendar.walk("VEVENT")
        assert "ATTENDEE" not in event and "VALARM" not in [c.name for c in event.subcomponents]
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert summary.startswith("Upgrade; part 1, \\done\\") and "ATTENDEE:mailto:evil@example.test" in summary
        assert "ATTENDEE;CN=x:mailto:evil@example.test" in description
        assert "<script>alert(1)</script> a;b,c\\d" in description


def test_plain_text_drops_markup_but_keeps_the_words() -> None:
    text = plain_text("# Heading\n\nWe **upgrade** the [database](https://x.test/a)\nat `db1`.\n\n"
                      "- one\n- *two*\n\n1. first\n2. second\n\n<b>raw</b> stays as typed\n")
    assert text == ("Heading\n\nWe upgrade the database (https://x.test/a) at db1.\n\n- one\n- two\n\n"
                    "1. first\n2. second\n\n<b>raw</b> stays as typed")
    assert plain_text("<https://x.test/>") == "https://x.test/"


def test_site_at_a_domain_root_has_a_uid_without_a_path(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG.replace("https://example.test/status/", "https://status.example.test")
    result = build(tmp_path, site_files(), config=config)
    event = events(result, "maintenance.ics")["Database upgrade"]
    assert str(event["UID"]) == "maintenance-db-upgrade@status.example.test"
    assert str(event["URL"]) == "https://status.example.test/maintenance/db-upgrade/"


@pytest.mark.parametrize("module", ["statusgen.cli", "statusgen.pipeline"])
def test_icalendar_is_imported_only_when_calendars_are_made(module: str) -> None:
    import subprocess
    import sys
    code = f"import sys, {module}; print('icalendar' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
