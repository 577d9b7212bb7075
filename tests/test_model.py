"""What the model derives from validated updates: carried-forward state, current statuses,
promises, maintenance states, durations, months and daily history bars.

Small sites are written into tmp_path and read with `statusgen.pipeline.load_site(source, now)`,
so these tests exercise content.py and model.py together without depending on templates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, run_build, write_site
from statusgen.source.load import load_config, load_incidents, load_site
from statusgen.source.fields import parse_timestamp
from statusgen.model import IncidentRecord, Site, build_site

THREE_COMPONENTS = """\
title: Test Status
base_url: https://example.test/status/
components:
  - id: api
    name: API
  - id: checkout
    name: Checkout
  - id: dashboard
    name: Dashboard
"""


def t(text: str) -> datetime:
    parsed, why_not = parse_timestamp(text)
    assert parsed is not None, why_not
    return parsed


def update(at: str, phase: str, *, severity: str | None = None, title: str | None = None,
           components: dict[str, str] | None = None, next_update: str | None = None,
           body: str = "An update.") -> str:
    lines = ["---", f"at: {at}", f"phase: {phase}"]
    if severity:
        lines.append(f"severity: {severity}")
    if title:
        lines.append(f"title: {title}")
    if components:
        lines.append("components:")
        lines += [f"  {cid}: {status}" for cid, status in components.items()]
    if next_update:
        lines.append(f"next_update: {next_update}")
    return "\n".join([*lines, "---", body]) + "\n"


def maintenance(at: str, phase: str, *, title: str | None = None, window: tuple[str, str] | None = None,
                components: list[str] | None = None) -> str:
    lines = ["---", f"at: {at}", f"phase: {phase}"]
    if title:
        lines.append(f"title: {title}")
    if window:
        lines += ["window:", f"  start: {window[0]}", f"  end: {window[1]}"]
    if components is not None:
        lines.append(f"components: [{', '.join(components)}]")
    return "\n".join([*lines, "---", "Maintenance."]) + "\n"


def load(tmp_path: Path, files: dict[str, str], now: str, config: str = MINIMAL_CONFIG) -> Site:
    source = write_site(tmp_path / "src", files, config=config)
    site, _theme = load_site(source, t(now))
    return site


# --- one incident over its updates ---------------------------------------------------------------

OUTAGE = "content/incidents/outage"
OUTAGE_UPDATES = {
    f"{OUTAGE}/1.md": update("2026-11-20T09:00:00Z", "investigating", severity="sev2", title="Outage",
                             components={"api": "major_outage", "checkout": "partial_outage"},
                             next_update="2026-11-20T09:30:00Z"),
    f"{OUTAGE}/2.md": update("2026-11-20T09:20:00Z", "identified",
                             components={"checkout": "degraded_performance"},
                             next_update="2026-11-20T10:00:00Z"),
    f"{OUTAGE}/3.md": update("2026-11-20T09:50:00Z", "monitoring", next_update="2026-11-20T10:30:00Z"),
}


def test_component_status_is_carried_forward_across_updates(tmp_path: Path) -> None:
    site = load(tmp_path, OUTAGE_UPDATES, "2026-11-20T10:00:00Z")
    (incident,) = site.incidents
    assert [dict(u.components) for u in incident.updates] == [
        {"api": "major_outage", "checkout": "partial_outage"},
        {"api": "major_outage", "checkout": "degraded_performance"},  # api carried, checkout changed
        {"api": "major_outage", "checkout": "degraded_performance"},  # nothing named: all carried
    ]
    assert [u.title for u in incident.updates] == ["Outage"] * 3
    assert [u.severity for u in incident.updates] == ["sev2"] * 3
    assert incident.phase == "monitoring" and incident.is_open
    assert incident.affected_component_ids == ("api", "checkout")
    assert incident.worst_status == "major_outage"
    assert site.component_status == {"api": "major_outage", "checkout": "degraded_performance"}
    assert site.overall_status == "major_outage"


def test_update_order_comes_from_at_not_file_names(tmp_path: Path) -> None:
    files = {
        f"{OUTAGE}/zz-first.md": OUTAGE_UPDATES[f"{OUTAGE}/1.md"],
        f"{OUTAGE}/aa-second.md": OUTAGE_UPDATES[f"{OUTAGE}/2.md"],
    }
    site = load(tmp_path, files, "2026-11-20T09:25:00Z")
    assert [u.source.rsplit("/", 1)[1] for u in site.incidents[0].updates] == ["zz-first.md", "aa-second.md"]
    assert site.component_status["checkout"] == "degraded_performance"


def test_resolved_resets_every_component_to_operational(tmp_path: Path) -> None:
    files = {**OUTAGE_UPDATES, f"{OUTAGE}/4.md": update("2026-11-20T10:30:00Z", "resolved")}
    site = load(tmp_path, files, "2026-11-20T11:00:00Z")
    (incident,) = site.incidents
    assert dict(incident.latest.components) == {"api": "operational", "checkout": "operational"}
    assert not incident.is_open and incident.resolved_at == t("2026-11-20T10:30:00Z")
    assert incident.component_status_now == {}
    assert incident.worst_status == "major_outage"  # history remembers the worst
    assert site.component_status == {"api": "operational", "checkout": "operational"}
    assert site.overall_status == "operational"
    assert site.open_incidents == () and site.resolved_incidents == (incident,)


def test_resolved_update_may_say_otherwise_for_a_component(tmp_path: Path) -> None:
    files = {**OUTAGE_UPDATES, f"{OUTAGE}/4.md": update("2026-11-20T10:30:00Z", "resolved",
                                                        components={"checkout": "degraded_performance"})}
    site = load(tmp_path, files, "2026-11-20T11:00:00Z")
    (incident,) = site.incidents
    assert dict(incident.latest.components) == {"api": "operational", "checkout": "degraded_performance"}
    # A resolved incident no longer drives any component's current status.
    assert site.component_status == {"api": "operational", "checkout": "operational"}


def test_components_named_only_after_the_first_update_join_the_incident(tmp_path: Path) -> None:
    files = {
        f"{OUTAGE}/1.md": update("2026-11-20T09:00:00Z", "investigating", severity="sev3", title="Slow",
                                 components={"api": "degraded_performance"}, next_update="2026-11-20T10:00:00Z"),
        f"{OUTAGE}/2.md": update("2026-11-20T09:30:00Z", "identified", components={"checkout": "major_outage"},
                                 next_update="2026-11-20T10:30:00Z"),
    }
    site = load(tmp_path, files, "2026-11-20T09:45:00Z")
    assert dict(site.incidents[0].latest.components) == {"api": "degraded_performance",
                                                         "checkout": "major_outage"}
    assert site.component_status == {"api": "degraded_performance", "checkout": "major_outage"}


def test_severity_and_title_can_change_in_a_later_update(tmp_path: Path) -> None:
    files = {
        f"{OUTAGE}/1.md": update("2026-11-20T09:00:00Z", "investigating", severity="sev3", title="Slow logins",
                                 components={"api": "degraded_performance"}, next_update="2026-11-20T10:00:00Z"),
        f"{OUTAGE}/2.md": update("2026-11-20T09:30:00Z", "identified", severity="P1", title="Logins failing",
                                 next_update="2026-11-20T10:30:00Z"),
        f"{OUTAGE}/3.md": update("2026-11-20T10:15:00Z", "monitoring", next_update="2026-11-20T11:00:00Z"),
    }
    site = load(tmp_path, files, "2026-11-20T10:20:00Z")
    (incident,) = site.incidents
    assert [u.severity for u in incident.updates] == ["sev3", "sev1", "sev1"]
    assert [u.title for u in incident.updates] == ["Slow logins", "Logins failing", "Logins failing"]
    assert incident.severity == "sev1" and incident.severity_name == "Critical"
    assert incident.title == "Logins failing"


# --- current status over several incidents and maintenance -----------------------------------------

def test_component_status_is_worst_over_open_incidents_and_active_maintenance(tmp_path: Path) -> None:
    files = {
        "content/incidents/a/1.md": update("2026-11-28T01:00:00Z", "investigating", severity="sev3", title="A",
                                           components={"api": "degraded_performance"},
                                           next_update="2026-11-28T04:00:00Z"),
        "content/incidents/b/1.md": update("2026-11-28T01:30:00Z", "identified", severity="sev2", title="B",
                                           components={"api": "partial_outage",
                                                       "checkout": "degraded_performance"},
                                           next_update="2026-11-28T04:00:00Z"),
        "content/incidents/old/1.md": update("2026-11-27T01:00:00Z", "resolved", severity="sev1", title="Old",
                                             components={"api": "major_outage"}),
        "content/maintenance/m/1.md": maintenance("2026-11-20T09:00:00Z", "scheduled", title="M",
                                                  window=("2026-11-28T02:00:00Z", "2026-11-28T03:00:00Z"),
                                                  components=["api", "checkout", "dashboard"]),
    }
    site = load(tmp_path, files, "2026-11-28T02:30:00Z", THREE_COMPONENTS)
    assert site.component_status == {
        "api": "partial_outage",             # worst of degraded and partial; maintenance is better
        "checkout": "degraded_performance",  # an incident's degraded beats under_maintenance
        "dashboard": "under_maintenance",    # only the maintenance
    }
    assert site.overall_status == "partial_outage"
    assert [i.id for i in site.open_incidents] == ["b", "a"]  # newest first


def test_overall_status_is_operational_without_trouble_and_maintenance_alone_shows(tmp_path: Path) -> None:
    window = ("2026-11-28T02:00:00Z", "2026-11-28T03:00:00Z")
    files = {"content/maintenance/m/1.md": maintenance("2026-11-20T09:00:00Z", "scheduled", title="M",
                                                       window=window, components=["checkout"])}
    assert load(tmp_path / "before", files, "2026-11-28T01:00:00Z").overall_status == "operational"
    during = load(tmp_path / "during", files, "2026-11-28T02:00:00Z")
    assert during.overall_status == "under_maintenance"
    assert during.component_status == {"api": "operational", "checkout": "under_maintenance"}


# --- the next-update promise -------------------------------------------------------------------------

@pytest.mark.parametrize("now, overdue", [
    ("2026-11-20T09:10:00Z", False),
    ("2026-11-20T09:30:00Z", False),  # exactly on time is not late
    ("2026-11-20T09:30:01Z", True),
    ("2026-11-21T00:00:00Z", True),
])
def test_next_update_promise_and_overdue(tmp_path: Path, now: str, overdue: bool) -> None:
    files = {f"{OUTAGE}/1.md": OUTAGE_UPDATES[f"{OUTAGE}/1.md"]}
    (incident,) = load(tmp_path, files, now).incidents
    assert incident.next_update == t("2026-11-20T09:30:00Z")
    assert incident.is_overdue is overdue


def test_promise_follows_the_latest_update_and_ends_with_resolution(tmp_path: Path) -> None:
    two = {k: OUTAGE_UPDATES[k] for k in (f"{OUTAGE}/1.md", f"{OUTAGE}/2.md")}
    (incident,) = load(tmp_path / "open", two, "2026-11-20T09:45:00Z").incidents
    assert incident.next_update == t("2026-11-20T10:00:00Z") and not incident.is_overdue

    resolved = {**two, f"{OUTAGE}/9.md": update("2026-11-20T09:40:00Z", "resolved")}
    (incident,) = load(tmp_path / "resolved", resolved, "2026-11-25T00:00:00Z").incidents
    assert incident.next_update is None and not incident.is_overdue


def test_overdue_promise_is_visible_on_the_page(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {f"{OUTAGE}/1.md": OUTAGE_UPDATES[f"{OUTAGE}/1.md"]})
    late = run_build(source, tmp_path / "late", "2026-11-20T10:00:00Z")
    on_time = run_build(source, tmp_path / "on-time", "2026-11-20T09:10:00Z")
    assert late.exit_code == 0 and on_time.exit_code == 0, late.output + on_time.output
    # live.js's words (in <html data-strings>) name "overdue" on every page: look at the body.
    assert 'class="promise overdue"' in late.read("index.html")
    assert "Update overdue:</strong>" in late.read("index.html")
    assert "overdue" not in on_time.read("index.html").split("<body", 1)[1].lower()


# --- maintenance states --------------------------------------------------------------------------

WINDOW = ("2026-11-28T02:00:00Z", "2026-11-28T03:00:00Z")
ANNOUNCED = {"content/maintenance/db/1.md": maintenance("2026-11-20T09:00:00Z", "scheduled", title="DB upgrade",
                                                       window=WINDOW, components=["checkout"])}


@pytest.mark.parametrize("now, state, checkout", [
    ("2026-11-21T00:00:00Z", "upcoming", "operational"),
    ("2026-11-28T01:59:59Z", "upcoming", "operational"),
    ("2026-11-28T02:00:00Z", "active", "under_maintenance"),
    ("2026-11-28T02:59:59Z", "active", "under_maintenance"),
    ("2026-11-28T03:00:00Z", "completed", "operational"),
    ("2026-12-01T00:00:00Z", "completed", "operational"),
])
def test_maintenance_state_follows_the_window(tmp_path: Path, now: str, state: str, checkout: str) -> None:
    site = load(tmp_path, ANNOUNCED, now)
    (m,) = site.maintenances
    assert m.state == state
    assert site.component_status["checkout"] == checkout
    assert site.upcoming_maintenances == ((m,) if state == "upcoming" else ())
    assert site.active_maintenances == ((m,) if state == "active" else ())


def test_completed_update_ends_the_window_early(tmp_path: Path) -> None:
    files = {**ANNOUNCED,
             "content/maintenance/db/2.md": maintenance("2026-11-28T02:00:00Z", "in_progress"),
             "content/maintenance/db/3.md": maintenance("2026-11-28T02:20:00Z", "completed")}
    after = load(tmp_path, files, "2026-11-28T02:30:00Z")  # before the window's planned end
    (m,) = after.maintenances
    assert m.effective_start == t("2026-11-28T02:00:00Z")
    assert m.effective_end == t("2026-11-28T02:20:00Z")
    assert m.state == "completed" and m.state_label == "Completed"
    assert after.component_status["checkout"] == "operational"
    assert m.title == "DB upgrade" and m.component_ids == ("checkout",)  # carried from the first update


def test_in_progress_update_starts_the_window_early(tmp_path: Path) -> None:
    files = {**ANNOUNCED, "content/maintenance/db/2.md": maintenance("2026-11-28T01:45:00Z", "in_progress")}
    site = load(tmp_path, files, "2026-11-28T01:50:00Z")
    assert site.maintenances[0].state == "active"
    assert site.component_status["checkout"] == "under_maintenance"


def test_cancelled_maintenance_never_shows(tmp_path: Path) -> None:
    files = {**ANNOUNCED, "content/maintenance/db/2.md": maintenance("2026-11-25T10:00:00Z", "cancelled")}
    for now in ("2026-11-26T00:00:00Z", "2026-11-28T02:30:00Z", "2026-11-29T00:00:00Z"):
        site = load(tmp_path / now[:13], files, now)
        assert site.maintenances[0].state == "cancelled"
        assert site.component_status["checkout"] == "operational"
        assert site.upcoming_maintenances == () and site.active_maintenances == ()
    bars = load(tmp_path / "bars", files, "2026-11-29T00:00:00Z").daily_bars["checkout"]
    assert all(bar.status == "operational" and not bar.maintenance_ids for bar in bars)


def test_rescheduled_window_is_the_latest_one(tmp_path: Path) -> None:
    files = {**ANNOUNCED, "content/maintenance/db/2.md": maintenance(
        "2026-11-26T10:00:00Z", "scheduled", window=("2026-12-05T02:00:00Z", "2026-12-05T03:00:00Z"))}
    site = load(tmp_path, files, "2026-11-28T02:30:00Z")
    (m,) = site.maintenances
    assert m.window_start == t("2026-12-05T02:00:00Z") and m.state == "upcoming"
    assert site.component_status["checkout"] == "operational"


def test_incident_worse_than_maintenance_wins(tmp_path: Path) -> None:
    files = {**ANNOUNCED,
             "content/incidents/x/1.md": update("2026-11-28T02:10:00Z", "investigating", severity="sev1",
                                                title="Down", components={"checkout": "major_outage"},
                                                next_update="2026-11-28T02:40:00Z")}
    site = load(tmp_path, files, "2026-11-28T02:30:00Z")
    assert site.component_status["checkout"] == "major_outage"
    assert site.overall_status == "major_outage"


# --- duration -----------------------------------------------------------------------------------

def test_duration_of_resolved_and_open_incidents(tmp_path: Path) -> None:
    resolved = {**OUTAGE_UPDATES, f"{OUTAGE}/4.md": update("2026-11-20T10:30:00Z", "resolved")}
    (incident,) = load(tmp_path / "r", resolved, "2026-11-25T00:00:00Z").incidents
    assert incident.started_at == t("2026-11-20T09:00:00Z")
    assert incident.duration == timedelta(hours=1, minutes=30)

    (incident,) = load(tmp_path / "o", OUTAGE_UPDATES, "2026-11-20T12:00:00Z").incidents
    assert incident.resolved_at is None
    assert incident.duration == timedelta(hours=3)


# --- months ---------------------------------------------------------------------------------------

BERLIN = MINIMAL_CONFIG + "timezone: Europe/Berlin\n"


def test_months_run_from_first_content_to_now_in_the_display_zone(tmp_path: Path) -> None:
    files = {
        "content/incidents/sep/1.md": update("2026-09-10T12:00:00Z", "resolved", severity="sev3", title="Sep"),
        # 23:30 UTC on 31 October is 00:30 on 1 November in Berlin.
        "content/incidents/halloween/1.md": update("2026-10-31T23:30:00Z", "resolved", severity="sev3",
                                                   title="Late"),
        "content/incidents/nov/1.md": update("2026-11-15T12:00:00Z", "resolved", severity="sev3", title="Nov"),
        "content/maintenance/oct/1.md": maintenance("2026-10-01T09:00:00Z", "scheduled", title="Oct",
                                                    window=("2026-10-05T02:00:00Z", "2026-10-05T03:00:00Z"),
                                                    components=["api"]),
        # Announced for next year: waits on the front page, does not add months to history.
        "content/maintenance/future/1.md": maintenance("2026-11-20T09:00:00Z", "scheduled", title="Later",
                                                       window=("2027-02-01T02:00:00Z", "2027-02-01T03:00:00Z"),
                                                       components=["api"]),
    }
    site = load(tmp_path, files, "2026-12-05T00:00:00Z", BERLIN)
    assert [m.key for m in site.months] == ["2026/09", "2026/10", "2026/11", "2026/12"]
    by_key = {m.key: m for m in site.months}
    assert [i.id for i in by_key["2026/09"].incidents] == ["sep"]
    assert by_key["2026/10"].incidents == ()
    assert [m.id for m in by_key["2026/10"].maintenances] == ["oct"]
    assert [i.id for i in by_key["2026/11"].incidents] == ["nov", "halloween"]  # newest first
    assert by_key["2026/12"].incidents == ()


def test_months_cross_the_year(tmp_path: Path) -> None:
    files = {"content/incidents/dec/1.md": update("2026-12-31T12:00:00Z", "resolved", severity="sev4", title="D")}
    site = load(tmp_path, files, "2027-01-10T00:00:00Z")
    assert [(m.year, m.month) for m in site.months] == [(2026, 12), (2027, 1)]


def test_months_without_content_is_the_current_month(tmp_path: Path) -> None:
    site = load(tmp_path, {}, "2026-11-26T07:00:00Z")
    assert [m.key for m in site.months] == ["2026/11"]


# --- daily bars -------------------------------------------------------------------------------------

def late_night_incident() -> dict[str, str]:
    """Degraded from 23:30 UTC on 20 Nov, worse after midnight, resolved at 01:00 UTC on 21 Nov."""
    folder = "content/incidents/night"
    return {
        f"{folder}/1.md": update("2026-11-20T23:30:00Z", "investigating", severity="sev2", title="Night",
                                 components={"api": "degraded_performance"}, next_update="2026-11-21T00:30:00Z"),
        f"{folder}/2.md": update("2026-11-21T00:10:00Z", "identified", components={"api": "major_outage"},
                                 next_update="2026-11-21T01:00:00Z"),
        f"{folder}/3.md": update("2026-11-21T01:00:00Z", "resolved"),
    }


def bars_by_day(site: Site, component_id: str) -> dict[date, str]:
    return {bar.day: bar.status for bar in site.daily_bars[component_id]}


def test_daily_bars_cover_history_days_ending_today_in_the_display_zone(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + "timezone: Asia/Tokyo\nhistory_days: 7\n"
    # 20:00 UTC on 26 Nov is already 27 Nov in Tokyo.
    site = load(tmp_path, late_night_incident(), "2026-11-26T20:00:00Z", config)
    for component_id in ("api", "checkout"):
        days = [bar.day for bar in site.daily_bars[component_id]]
        assert days == [date(2026, 11, 21) + timedelta(days=n) for n in range(7)]


def test_daily_bar_falls_on_the_local_day_with_the_worst_status(tmp_path: Path) -> None:
    tokyo = load(tmp_path / "tokyo", late_night_incident(), "2026-11-26T07:00:00Z",
                 MINIMAL_CONFIG + "timezone: Asia/Tokyo\nhistory_days: 10\n")
    # In Tokyo (UTC+9) the whole incident happened on 21 Nov, 08:30-10:00.
    api = bars_by_day(tokyo, "api")
    assert api[date(2026, 11, 20)] == "operational"
    assert api[date(2026, 11, 21)] == "major_outage"  # the worst of the day, not the first
    assert api[date(2026, 11, 22)] == "operational"
    (bar,) = [b for b in tokyo.daily_bars["api"] if b.day == date(2026, 11, 21)]
    assert bar.incident_ids == ("night",) and bar.maintenance_ids == ()
    assert set(bars_by_day(tokyo, "checkout").values()) == {"operational"}

    utc = load(tmp_path / "utc", late_night_incident(), "2026-11-26T07:00:00Z",
               MINIMAL_CONFIG + "history_days: 10\n")
    api = bars_by_day(utc, "api")
    assert api[date(2026, 11, 20)] == "degraded_performance"  # 23:30-24:00 UTC
    assert api[date(2026, 11, 21)] == "major_outage"

    # In Los Angeles (UTC-8) it was the evening of 20 Nov.
    la = load(tmp_path / "la", late_night_incident(), "2026-11-26T07:00:00Z",
              MINIMAL_CONFIG + "timezone: America/Los_Angeles\nhistory_days: 10\n")
    api = bars_by_day(la, "api")
    assert api[date(2026, 11, 20)] == "major_outage"
    assert api[date(2026, 11, 21)] == "operational"


def test_daily_bars_span_days_and_show_maintenance(tmp_path: Path) -> None:
    files = {
        "content/incidents/long/1.md": update("2026-11-18T22:00:00Z", "investigating", severity="sev3",
                                              title="Long", components={"checkout": "partial_outage"},
                                              next_update="2026-11-19T22:00:00Z"),
        "content/incidents/long/2.md": update("2026-11-20T03:00:00Z", "resolved"),
        "content/maintenance/m/1.md": maintenance("2026-11-20T09:00:00Z", "scheduled", title="M",
                                                  window=("2026-11-23T02:00:00Z", "2026-11-23T03:00:00Z"),
                                                  components=["api", "checkout"]),
    }
    site = load(tmp_path, files, "2026-11-26T07:00:00Z", MINIMAL_CONFIG + "history_days: 14\n")
    checkout = bars_by_day(site, "checkout")
    assert [checkout[date(2026, 11, d)] for d in range(17, 22)] == [
        "operational", "partial_outage", "partial_outage", "partial_outage", "operational"]
    assert checkout[date(2026, 11, 23)] == "under_maintenance"
    (bar,) = [b for b in site.daily_bars["api"] if b.day == date(2026, 11, 23)]
    assert bar.status == "under_maintenance" and bar.maintenance_ids == ("m",) and bar.incident_ids == ()


def test_open_incident_colours_bars_up_to_today_and_not_the_future(tmp_path: Path) -> None:
    files = {"content/incidents/open/1.md": update("2026-11-24T10:00:00Z", "investigating", severity="sev2",
                                                   title="Open", components={"api": "partial_outage"},
                                                   next_update="2026-11-26T10:00:00Z")}
    site = load(tmp_path, files, "2026-11-26T07:00:00Z", MINIMAL_CONFIG + "history_days: 5\n")
    assert bars_by_day(site, "api") == {
        date(2026, 11, 22): "operational",
        date(2026, 11, 23): "operational",
        date(2026, 11, 24): "partial_outage",
        date(2026, 11, 25): "partial_outage",
        date(2026, 11, 26): "partial_outage",
    }


def test_upcoming_maintenance_does_not_colour_history(tmp_path: Path) -> None:
    site = load(tmp_path, ANNOUNCED, "2026-11-26T07:00:00Z")
    assert set(bars_by_day(site, "checkout").values()) == {"operational"}


def test_counts_and_ordering(tmp_path: Path) -> None:
    files = {**OUTAGE_UPDATES, **late_night_incident(), **ANNOUNCED}
    site = load(tmp_path, files, "2026-11-26T07:00:00Z")
    assert [i.id for i in site.incidents] == ["night", "outage"]  # newest first
    assert site.update_count == 3 + 3 + 1
    assert site.now == t("2026-11-26T07:00:00Z") and site.now.tzinfo == timezone.utc


# --- records carry no time; build_site stamps it ---------------------------------------------------

def test_the_same_records_give_the_site_at_any_now(tmp_path: Path) -> None:
    """Loading makes records without `now`; build_site stamps the one it is given."""
    source = write_site(tmp_path / "src", OUTAGE_UPDATES)
    problems: list = []
    config = load_config(source, problems)
    (record,) = load_incidents(source, [c.id for c in config.components], problems)
    assert not problems and isinstance(record, IncidentRecord) and not hasattr(record, "now")
    zone = timezone.utc
    early = build_site(config, [record], [], t("2026-11-20T10:00:00Z"), zone)
    late = build_site(config, [record], [], t("2026-11-20T11:00:00Z"), zone)
    assert (early.incidents[0].is_overdue, late.incidents[0].is_overdue) == (False, True)
    assert late.incidents[0].duration == timedelta(hours=2)
    assert early.incidents[0].now == early.now and late.incidents[0].updates == record.updates
