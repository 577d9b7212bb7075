"""`statusgen stats`: every figure checked against numbers worked out by hand for a small site.

The site (all times UTC, now 2026-04-28T13:00Z, default cadence 30/60/180/1440 min):

A  sev1  started 10:00, detected 10:04, first update 10:10, updates 10:10 10:35 11:10 11:40
         (investigating, identified, monitoring, resolved), reported by monitoring; promises
         10:40 (kept), 11:00 (10 min late), 11:30 (10 min late)
B  sev1  detected 07:58, updates 08:00 (investigating) 08:20 (resolved), reported by a customer;
         promise 08:30 kept
C  sev2  no detected/started/reporter; updates 12:00 (investigating) 13:30 (identified)
         13:50 (resolved); promises 13:00 (30 min late), 14:00 (kept)
D  sev3  open: 09:00 investigating, reported internally, promised 12:00: 1 h overdue at now

Worked out by hand (nearest-rank percentiles: rank ceil(p/100 * n)):
- SEV-1: MTTD [4 min] → 4/4; MTTA [6, 2] → median 2 (rank 1), p90 6 (rank 2);
  MTTR [96 (11:40 - 10:04), 22 (08:20 - 07:58)] → 22/96.
- SEV-2: MTTD and MTTA n/a; MTTR [110 (13:50 - 12:00)].  SEV-3: MTTR n/a (open).  SEV-4: none.
- months: 2026-03 2×SEV-1; 2026-04 1×SEV-2 + 1×SEV-3.  reporters: one each (25 %).
- promises: 7 come due, 3 kept (43 %); the worst broken is D's, 60 min and still missing.
- gaps: SEV-1 [25, 35, 30, 20] → median 25, p90 35, 3 of 4 within 30 min; SEV-2 [90, 20] →
  20/90, 1 of 2 within 60 min; SEV-3 none.
- phases (resolved only): SEV-1 investigating [25, 20] → 20/25, identified [35], monitoring
  [30]; SEV-2 investigating [90], identified [20], monitoring n/a.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, write_site
from statusgen.source.load import load_site
from statusgen.cli import main
from statusgen.stats import Figure, percentile, site_stats

NOW = "2026-04-28T13:00:00Z"
CONFIG = """\
title: Stats Test
base_url: https://stats.test/
timezone: UTC
components:
  - id: api
    name: API
  - id: checkout
    name: Checkout
"""

SITE = {
    "content/incidents/a-db-outage/1.md": """\
        ---
        at: 2026-03-02T10:10:00Z
        phase: investigating
        severity: sev1
        title: Database outage
        components:
          api: major_outage
        started_at: 2026-03-02T10:00:00Z
        detected_at: 2026-03-02T10:04:00Z
        reported_by: monitoring
        next_update: 2026-03-02T10:40:00Z
        ---
        Down.
        """,
    "content/incidents/a-db-outage/2.md": """\
        ---
        at: 2026-03-02T10:35:00Z
        phase: identified
        next_update: 2026-03-02T11:00:00Z
        ---
        Found it.
        """,
    "content/incidents/a-db-outage/3.md": """\
        ---
        at: 2026-03-02T11:10:00Z
        phase: monitoring
        next_update: 2026-03-02T11:30:00Z
        ---
        Fixed, watching.
        """,
    "content/incidents/a-db-outage/4.md": """\
        ---
        at: 2026-03-02T11:40:00Z
        phase: resolved
        ---
        Resolved.
        """,
    "content/incidents/b-api-down/1.md": """\
        ---
        at: 2026-03-20T08:00:00Z
        phase: investigating
        severity: sev1
        title: API down
        components:
          api: major_outage
        detected_at: 2026-03-20T07:58:00Z
        reported_by: customer
        next_update: 2026-03-20T08:30:00Z
        ---
        Down.
        """,
    "content/incidents/b-api-down/2.md": """\
        ---
        at: 2026-03-20T08:20:00Z
        phase: resolved
        ---
        Up.
        """,
    "content/incidents/c-slow-checkout/1.md": """\
        ---
        at: 2026-04-05T12:00:00Z
        phase: investigating
        severity: sev2
        title: Slow checkout
        components:
          checkout: degraded_performance
        next_update: 2026-04-05T13:00:00Z
        ---
        Slow.
        """,
    "content/incidents/c-slow-checkout/2.md": """\
        ---
        at: 2026-04-05T13:30:00Z
        phase: identified
        next_update: 2026-04-05T14:00:00Z
        ---
        Found it.
        """,
    "content/incidents/c-slow-checkout/3.md": """\
        ---
        at: 2026-04-05T13:50:00Z
        phase: resolved
        ---
        Fast again.
        """,
    "content/incidents/d-emails-delayed/1.md": """\
        ---
        at: 2026-04-28T09:00:00Z
        phase: investigating
        severity: sev3
        title: Emails delayed
        components:
          api: degraded_performance
        reported_by: internal
        next_update: 2026-04-28T12:00:00Z
        ---
        Delayed.
        """,
}


def minutes(*values: int) -> tuple[timedelta, ...]:
    return tuple(timedelta(minutes=v) for v in values)


@pytest.fixture
def stats_source(tmp_path: Path) -> Path:
    return write_site(tmp_path / "stats-site", SITE, config=CONFIG)


def stats_of(source: Path, since=None, until=None):  # type: ignore[no-untyped-def]
    site, _ = load_site(source, datetime(2026, 4, 28, 13, tzinfo=timezone.utc))
    return site_stats(site, since, until)


def run_stats(source: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["stats", "--source", str(source), "--now", NOW, *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


# --- percentiles ---------------------------------------------------------------------------------

@pytest.mark.parametrize("values, p, expected", [
    (list(range(1, 11)), 50, 5),
    (list(range(1, 11)), 90, 9),
    (list(range(1, 21)), 90, 18),
    ([7], 50, 7),
    ([7], 90, 7),
    ([2, 1], 50, 1),
    ([2, 1], 90, 2),
    ([3, 1, 2], 50, 2),
    ([5, 1, 4, 2, 3], 90, 5),
    ([5, 1, 4, 2, 3], 100, 5),
])
def test_percentile_is_nearest_rank(values: list[int], p: int, expected: int) -> None:
    assert percentile(values, p) == expected


def test_percentile_of_nothing_is_an_error_not_zero() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    assert Figure((), "no SEV-1 incidents").median is None
    assert Figure((), "no SEV-1 incidents").not_available == "n/a — no SEV-1 incidents"


# --- the figures -------------------------------------------------------------------------------

def test_response_times_per_severity(stats_source: Path) -> None:
    stats = stats_of(stats_source)
    sev1, sev2, sev3, sev4 = stats.severities
    assert [s.count for s in stats.severities] == [2, 1, 1, 0]
    assert sev1.mttd.values == minutes(4)
    assert sorted(sev1.mtta.values) == list(minutes(2, 6))
    assert (sev1.mtta.median, sev1.mtta.p90) == minutes(2, 6)
    assert (sev1.mttr.median, sev1.mttr.p90, sev1.mttr.n) == (*minutes(22, 96), 2)
    assert sev2.mttd.not_available == "n/a — no SEV-2 incidents with started_at"
    assert sev2.mtta.not_available == "n/a — no SEV-2 incidents with detected_at"
    assert (sev2.mttr.median, sev2.mttr.p90) == minutes(110, 110)
    assert not sev3.mttr.available and sev3.mttr.missing == "no SEV-3 incidents resolved after detection"
    assert sev4.mttr.not_available == "n/a — no SEV-4 incidents"


def test_monthly_counts_and_reporters(stats_source: Path) -> None:
    stats = stats_of(stats_source)
    assert [(m.key, dict(m.counts)) for m in stats.months] == [
        ("2026-03", {"sev1": 2, "sev2": 0, "sev3": 0, "sev4": 0}),
        ("2026-04", {"sev1": 0, "sev2": 1, "sev3": 1, "sev4": 0}),
    ]
    assert dict(stats.reported_by) == {"monitoring": 1, "customer": 1, "internal": 1, "unknown": 1}
    assert stats.reported_share("customer") == 0.25


def test_promises_and_cadence(stats_source: Path) -> None:
    stats = stats_of(stats_source)
    assert (len(stats.promises), stats.promises_kept) == (7, 3)
    assert sorted(p.late for p in stats.promises if not p.kept) == list(minutes(10, 10, 30, 60))
    worst = stats.worst_broken_promise
    assert (worst.incident_id, worst.late, worst.kept_at) == ("d-emails-delayed", timedelta(hours=1), None)
    sev1, sev2, sev3, _ = stats.cadence
    assert sorted(sev1.gaps.values) == list(minutes(20, 25, 30, 35))
    assert (sev1.gaps.median, sev1.gaps.p90, sev1.within_target) == (*minutes(25, 35), 3)
    assert sev1.target == timedelta(minutes=30)
    assert (sev2.gaps.median, sev2.gaps.p90, sev2.within_target) == (*minutes(20, 90), 1)
    assert sev3.gaps.not_available == "n/a — no SEV-3 update followed by another"


def test_time_in_each_phase_of_resolved_incidents(stats_source: Path) -> None:
    stats = stats_of(stats_source)
    investigating = stats.phase("sev1", "investigating").time
    assert (investigating.median, investigating.p90, investigating.n) == (*minutes(20, 25), 2)
    assert stats.phase("sev1", "identified").time.values == minutes(35)
    assert stats.phase("sev1", "monitoring").time.values == minutes(30)
    assert stats.phase("sev2", "investigating").time.values == minutes(90)
    assert stats.phase("sev2", "identified").time.values == minutes(20)
    assert stats.phase("sev2", "monitoring").time.not_available == (
        "n/a — no resolved SEV-2 incidents with a monitoring phase")
    assert not stats.phase("sev3", "investigating").time.available  # D is still open


def test_a_report_after_the_fact_has_no_mttr(tmp_path: Path) -> None:
    """Published already resolved, without detected_at: MTTR would be 0 by definition; left out."""
    source = write_site(tmp_path / "s", {"content/incidents/x/1.md": """\
        ---
        at: 2026-04-01T10:00:00Z
        phase: resolved
        severity: sev4
        title: Typo on invoices earlier today
        ---
        Fixed.
        """}, config=CONFIG)
    sev4 = stats_of(source).severities[3]
    assert sev4.count == 1 and not sev4.mttr.available


def test_period_filters_by_first_update(stats_source: Path) -> None:
    april = stats_of(stats_source, since=datetime(2026, 4, 1, tzinfo=timezone.utc))
    assert [i.id for i in april.incidents] == ["c-slow-checkout", "d-emails-delayed"]
    assert april.severities[0].count == 0
    march = stats_of(stats_source, until=datetime(2026, 4, 1, tzinfo=timezone.utc))
    assert [i.id for i in march.incidents] == ["a-db-outage", "b-api-down"]


def test_months_follow_the_display_time_zone(tmp_path: Path) -> None:
    source = write_site(tmp_path / "s", {"content/incidents/late/1.md": """\
        ---
        at: 2026-03-31T22:30:00Z
        phase: resolved
        severity: sev3
        title: Late in March in UTC, April in Berlin
        ---
        Done.
        """}, config=CONFIG.replace("timezone: UTC", "timezone: Europe/Berlin"))
    assert [m.key for m in stats_of(source).months] == ["2026-04"]


# --- the command ---------------------------------------------------------------------------------

def cells(output: str, first: str) -> list[str]:
    """The cells of the table row starting with `first` (columns are 2+ spaces apart)."""
    line = next(line for line in output.splitlines() if line.startswith(first))
    return re.split(r"\s{2,}", line.strip())


def test_table(stats_source: Path) -> None:
    output = run_stats(stats_source)
    assert "4 incidents (1 open)" in output
    assert cells(output, "SEV-1     2") == ["SEV-1", "2", "MTTD (started → detected)", "4 min", "4 min", "1"]
    assert "MTTA (detected → first update)  2 min       6 min       2" in output
    assert "MTTR (detected → resolved)      22 min      1 h 36 min  2" in output
    assert cells(output, "SEV-2")[3] == "n/a — no SEV-2 incidents with started_at"
    assert cells(output, "2026-03") == ["2026-03", "2", "0", "0", "0", "2"]
    assert cells(output, "Customers") == ["Customers", "1", "25%"]
    assert "Promised next updates kept: 3 of 7 (43%)" in output
    assert ("Worst broken promise: 1 h late — d-emails-delayed: next update promised by 28 Apr 2026, 12:00 UTC, "
            "still no update (content/incidents/d-emails-delayed/1.md)") in output
    assert cells(output, "SEV-1     30 min") == ["SEV-1", "30 min", "25 min", "35 min", "3 of 4"]
    assert cells(output, "SEV-3     3 h") == ["SEV-3", "3 h", "n/a — no SEV-3 update followed by another"]
    assert "n/a — no resolved SEV-2 incidents with a monitoring phase" in output
    assert not re.search(r"\b0 min\b", output)


def test_json(stats_source: Path) -> None:
    data = json.loads(run_stats(stats_source, "--format", "json"))
    sev1, sev2 = data["severities"][:2]
    assert sev1["mtta"] == {"median_seconds": 120, "p90_seconds": 360, "n": 2, "note": None}
    assert sev1["mttr"]["median_seconds"] == 22 * 60 and sev1["mttr"]["p90_seconds"] == 96 * 60
    assert sev2["mttd"] == {"median_seconds": None, "p90_seconds": None, "n": 0,
                            "note": "n/a — no SEV-2 incidents with started_at"}
    assert data["months"][1] == {"month": "2026-04", "sev1": 0, "sev2": 1, "sev3": 1, "sev4": 0, "total": 2}
    assert data["reported_by"]["share"]["monitoring"] == 0.25
    communication = data["communication"]
    assert (communication["promises"], communication["kept"]) == (7, 3)
    assert communication["worst_broken"]["late_seconds"] == 3600
    assert communication["cadence"][1] == {"severity": "sev2", "target_seconds": 3600, "within_target": 1,
                                           "median_seconds": 1200, "p90_seconds": 5400, "n": 2, "note": None}
    assert "nearest rank" in data["definitions"]["percentile"]


def test_csv(stats_source: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_stats(stats_source, "--format", "csv"))))

    def value(section: str, severity: str, metric: str, subject: str = "") -> dict:
        return next(r for r in rows if (r["section"], r["severity"], r["metric"], r["subject"])
                    == (section, severity, metric, subject))

    assert value("response", "sev1", "mttr_p90")["value"] == str(96 * 60)
    missing = value("response", "sev2", "mtta_median")
    assert (missing["value"], missing["note"]) == ("", "n/a — no SEV-2 incidents with detected_at")
    assert value("month", "sev1", "incidents", "2026-03")["value"] == "2"
    assert value("communication", "", "kept")["value"] == "3"
    assert value("phase", "sev1", "time_median", "investigating")["value"] == str(20 * 60)


def test_since_and_until_take_dates_in_the_display_zone(stats_source: Path) -> None:
    output = run_stats(stats_source, "--since", "2026-04-01", "--until", "2026-04-05")
    assert "\n1 incident (0 open)" in output
    assert cells(output, "SEV-2     1")[0] == "SEV-2"
    assert [line for line in output.splitlines() if line.startswith("2026-0")] == [
        "2026-04  0      1      0      0      1"]


def test_no_incidents_says_so(stats_source: Path) -> None:
    output = run_stats(stats_source, "--since", "2027-01-01")
    assert "n/a — no SEV-1 incidents" in output
    assert "First reported by\nn/a — no incidents" in output
    assert "Promised next updates kept: n/a — no promised next update has come due" in output


def test_bad_period_and_broken_site_are_clean_errors(stats_source: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--source", str(stats_source), "--since", "April"])
    assert result.exit_code == 2 and "neither a date" in result.output
    result = CliRunner().invoke(main, ["stats", "--source", str(stats_source), "--since", "2026-05-01",
                                       "--until", "2026-04-01"])
    assert result.exit_code == 1 and "--until must be later than --since" in result.output
    broken = write_site(tmp_path / "broken", {"content/incidents/x/1.md": "---\nat: nope\n---\n"}, config=CONFIG)
    result = CliRunner().invoke(main, ["stats", "--source", str(broken)])
    assert result.exit_code == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("option, value", [
    ("--since", "9999-12-31"), ("--until", "0001-01-01"), ("--until", "9999-12-31"), ("--since", "0001-01-01"),
    ("--since", "9999-12-31T23:59:59Z"), ("--until", "0001-01-01T00:00:00+01:00"),
])
def test_a_period_outside_the_years_of_timestamps_is_a_clean_error(stats_source: Path, option: str,
                                                                   value: str) -> None:
    """The day after 9999-12-31 (or the zone's start of 0001-01-01) does not exist: such dates are
    refused like timestamps outside 1970-2999, before any arithmetic overflows."""
    result = CliRunner().invoke(main, ["stats", "--source", str(stats_source), option, value])
    assert "Traceback" not in result.output and result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (f"Error: Invalid value for '{option}': '{value}' is outside the "
                                              f"years 1970-2999; check the year")


def test_a_period_at_the_ends_of_the_years_allowed_covers_everything(stats_source: Path) -> None:
    everything = run_stats(stats_source).splitlines()
    period = run_stats(stats_source, "--since", "1970-01-01", "--until", "2999-12-31").splitlines()
    assert period[0].startswith("Incident metrics: incidents that started from 1 Jan 1970")
    assert period[1] == everything[1]  # '<n> incidents (<m> open) as of ...'
    assert len(period) > len(everything)  # a row for every month of the period


def test_example_site_stats_run(tmp_path: Path) -> None:
    output = run_stats(REPO)
    assert output.startswith("Incident metrics: all incidents\n")


def test_readme_example_is_what_statusgen_stats_prints() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ statusgen stats --now (\S+)\n(.*?)```", readme, flags=re.S)
    assert shown is not None
    output = CliRunner().invoke(main, ["stats", "--source", str(REPO), "--now", shown.group(1)]).output
    assert output == shown.group(2)
