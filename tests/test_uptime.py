"""Uptime percentages (model/uptime.py): hand-computed fixtures for the rule, the settings in
statusgen.yml, groups, where the figures show (front page, bars, component page) and their JSON
(api/v2/components.json's `uptime`, api/uptime.json), and incremental rebuilds at a later now.

Every expected figure is worked out in the comment beside it. Unless a test says otherwise the
site is in UTC with the default 90-day window, built at NOW (30 Nov 2026, 12:00 UTC): the window
is the 90 bar days 2 Sep - 30 Nov, from 2 Sep 00:00 to now, 89.5 days = 7,732,800 s.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import EXAMPLE_NOW, MINIMAL_CONFIG, BuildResult, run_build, write_site
from sitecheck import text_of, tree
from test_model import load, maintenance, update
from statusgen.model import Site

NOW = "2026-11-30T12:00:00Z"
WINDOW_SECONDS = 89 * 86400 + 12 * 3600  # 7,732,800


def outage(folder: str, start: str, end: str, components: dict[str, str], title: str = "Outage") -> dict[str, str]:
    """An incident that gives `components` their statuses from `start` until it is resolved at `end`."""
    return {
        f"content/incidents/{folder}/1.md": update(start, "investigating", severity="sev2", title=title,
                                                   components=components, next_update=end),
        f"content/incidents/{folder}/2.md": update(end, "resolved"),
    }


def day_figure(site: Site, component_id: str, day: date) -> Any:
    (figure,) = [d for d in site.uptime[component_id].daily if d.day == day]
    return figure


# --- the rule, by hand ---------------------------------------------------------------------------

def test_three_hour_major_outage_in_the_window(tmp_path: Path) -> None:
    site = load(tmp_path, outage("x", "2026-11-20T10:00:00Z", "2026-11-20T13:00:00Z", {"api": "major_outage"}), NOW)
    api = site.uptime["api"]
    # 3 h = 10,800 s down of 7,732,800: 1 - 10800/7732800 = 0.9986033... -> 99.86 %.
    assert api.total.seconds == WINDOW_SECONDS and api.total.down_seconds == 10800
    assert api.text == "99.86 %" and api.total.percent == 99.86 and api.days == 90
    # That day: 1 - 3/24 = 0.875 -> 87.50 %; the others 100.00 %; checkout was never touched.
    assert day_figure(site, "api", date(2026, 11, 20)).text == "87.50 %"
    assert day_figure(site, "api", date(2026, 11, 19)).text == "100.00 %"
    assert site.uptime["checkout"].text == "100.00 %" and site.uptime["checkout"].total.down_seconds == 0
    assert api.status_seconds["major_outage"] == 10800 and api.status_seconds["partial_outage"] == 0
    assert [d.day for d in api.daily] == [bar.day for bar in site.daily_bars["api"]]


def test_partial_outage_counts_thirty_per_cent_and_degraded_nothing(tmp_path: Path) -> None:
    files = {**outage("p", "2026-11-20T08:00:00Z", "2026-11-20T18:00:00Z", {"api": "partial_outage"}),
             **outage("d", "2026-11-21T08:00:00Z", "2026-11-21T18:00:00Z", {"api": "degraded_performance"})}
    site = load(tmp_path, files, NOW)
    # 10 h partial x 0.3 = 3 h = 10,800 s down: the day is 1 - 3/24 = 87.50 %, the window 99.86 %.
    assert day_figure(site, "api", date(2026, 11, 20)).down_seconds == 10800
    assert day_figure(site, "api", date(2026, 11, 20)).text == "87.50 %"
    # 10 h degraded counts as up.
    assert day_figure(site, "api", date(2026, 11, 21)).text == "100.00 %"
    assert site.uptime["api"].text == "99.86 %"
    assert site.uptime["api"].status_seconds["degraded_performance"] == 36000


def test_overlapping_incidents_count_the_worst_status_not_the_sum(tmp_path: Path) -> None:
    files = {**outage("a", "2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", {"api": "major_outage"}),
             **outage("b", "2026-11-20T11:00:00Z", "2026-11-20T13:00:00Z", {"api": "partial_outage"})}
    site = load(tmp_path, files, NOW)
    figure = day_figure(site, "api", date(2026, 11, 20))
    # 10-12 major (7,200 s x 1) and 12-13 only partial (3,600 s x 0.3 = 1,080 s): 8,280 s down,
    # 1 - 8280/86400 = 0.904166... -> 90.41 %. Summed, it would be 7,200 + 7,200 x 0.3 = 9,360 s (89.16 %).
    assert figure.down_seconds == 8280 and figure.text == "90.41 %"
    assert site.uptime["api"].status_seconds["major_outage"] == 7200
    assert site.uptime["api"].status_seconds["partial_outage"] == 3600


def test_outage_over_a_month_end_is_split_between_the_months(tmp_path: Path) -> None:
    site = load(tmp_path, outage("m", "2026-10-31T23:00:00Z", "2026-11-01T01:00:00Z", {"api": "major_outage"}), NOW)
    months = {m.key: m for m in site.uptime["api"].monthly}
    assert list(months) == ["2026-09", "2026-10", "2026-11"]
    # September counts from 2 Sep (the window's start): 29 days, no downtime.
    assert months["2026-09"].seconds == 29 * 86400 and months["2026-09"].text == "100.00 %"
    # October: 1 h of 31 days, 1 - 3600/2678400 = 0.998655... -> 99.86 %.
    assert months["2026-10"].down_seconds == 3600 and months["2026-10"].text == "99.86 %"
    # November to now: 1 h of 29.5 days, 1 - 3600/2548800 = 0.998587... -> 99.85 %.
    assert months["2026-11"].seconds == 2548800 and months["2026-11"].text == "99.85 %"
    # Each day 1 - 1/24 = 0.958333... -> 95.83 %.
    assert day_figure(site, "api", date(2026, 10, 31)).text == "95.83 %"
    assert day_figure(site, "api", date(2026, 11, 1)).text == "95.83 %"


def test_outage_over_a_dst_change_counts_the_25_hour_day(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + "timezone: Europe/Berlin\n"
    # 25 Oct 2026, the last Sunday of October: Berlin's clocks go back at 03:00 CEST (01:00 UTC), so
    # the day runs from 24 Oct 22:00 UTC to 25 Oct 23:00 UTC, 25 h = 90,000 s. The outage runs
    # 00:30-02:30 UTC (02:30 CEST - 03:30 CET): 2 h, over the change.
    site = load(tmp_path, outage("dst", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z", {"api": "major_outage"}),
                NOW, config)
    figure = day_figure(site, "api", date(2026, 10, 25))
    # 1 - 7200/90000 = 0.92 exactly -> 92.00 % (with a 24-hour day it would be 91.66 %).
    assert figure.seconds == 90000 and figure.down_seconds == 7200 and figure.text == "92.00 %"
    assert day_figure(site, "api", date(2026, 10, 24)).seconds == 86400
    # The window in Berlin: 2 Sep 00:00 CEST (1 Sep 22:00 UTC) to 30 Nov 12:00 UTC (13:00 CET):
    # 89 days and 13 h, plus the hour of 25 Oct: 7,736,400 + 3,600 = 7,740,000 s.
    assert site.uptime["api"].total.seconds == 7740000


def test_one_second_of_downtime_is_never_shown_as_100(tmp_path: Path) -> None:
    site = load(tmp_path, outage("s", "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z", {"api": "major_outage"}), NOW)
    # 1 - 1/7732800 = 0.99999987...: rounded it would be 100.00; cut, it is 99.99.
    assert site.uptime["api"].text == "99.99 %" and site.uptime["api"].total.percent == 99.99
    assert day_figure(site, "api", date(2026, 11, 20)).text == "99.99 %"  # 1 - 1/86400
    assert site.uptime["checkout"].text == "100.00 %"  # exactly none


def test_open_incident_counts_up_to_now_and_not_beyond(tmp_path: Path) -> None:
    files = {"content/incidents/open/1.md": update("2026-11-30T10:00:00Z", "investigating", severity="sev1",
                                                   title="Down", components={"api": "major_outage"},
                                                   next_update="2026-11-30T14:00:00Z")}
    site = load(tmp_path, files, NOW)
    today = day_figure(site, "api", date(2026, 11, 30))
    # Today so far: 00:00-12:00 = 43,200 s, of which 10:00-12:00 down: 1 - 7200/43200 -> 83.33 %.
    assert today.seconds == 43200 and today.down_seconds == 7200 and today.text == "83.33 %"
    assert site.uptime["api"].total.down_seconds == 7200


# --- settings ------------------------------------------------------------------------------------

def test_weights_and_maintenance_are_settable(tmp_path: Path) -> None:
    files = {**outage("d", "2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z", {"api": "degraded_performance"}),
             **outage("p", "2026-11-21T10:00:00Z", "2026-11-21T11:00:00Z", {"api": "partial_outage"}),
             "content/maintenance/m/1.md": maintenance("2026-11-01T09:00:00Z", "scheduled", title="M",
                                                       window=("2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z"),
                                                       components=["api"])}
    default = load(tmp_path / "default", files, NOW)
    assert day_figure(default, "api", date(2026, 11, 20)).text == "100.00 %"
    assert day_figure(default, "api", date(2026, 11, 21)).text == "98.75 %"  # 1 h x 0.3 = 1,080 s
    assert day_figure(default, "api", date(2026, 11, 22)).text == "100.00 %"  # maintenance is up
    config = MINIMAL_CONFIG + ("uptime:\n  weights:\n    partial_outage: 0.5\n    degraded_performance: 0.1\n"
                               "  maintenance_counts_as_down: true\n")
    custom = load(tmp_path / "custom", files, NOW, config)
    # 2 h degraded x 0.1 = 720 s: 1 - 720/86400 = 0.991666... -> 99.16 %.
    assert day_figure(custom, "api", date(2026, 11, 20)).text == "99.16 %"
    # 1 h partial x 0.5 = 1,800 s: 1 - 1800/86400 = 0.979166... -> 97.91 %.
    assert day_figure(custom, "api", date(2026, 11, 21)).text == "97.91 %"
    # 1 h maintenance, all down: 1 - 3600/86400 = 0.958333... -> 95.83 %.
    assert day_figure(custom, "api", date(2026, 11, 22)).text == "95.83 %"
    assert custom.config.uptime.major_outage == 1  # not given: the default


def test_maintenance_counted_as_down_outweighs_a_milder_status_at_the_same_time(tmp_path: Path) -> None:
    files = {**outage("d", "2026-11-22T02:30:00Z", "2026-11-22T03:30:00Z", {"api": "degraded_performance"}),
             "content/maintenance/m/1.md": maintenance("2026-11-01T09:00:00Z", "scheduled", title="M",
                                                       window=("2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z"),
                                                       components=["api"])}
    config = MINIMAL_CONFIG + "uptime:\n  maintenance_counts_as_down: true\n"
    site = load(tmp_path, files, NOW, config)
    # 02:00-03:00 under maintenance (down, even where degraded overlaps it from 02:30), 03:00-03:30
    # degraded (up): 3,600 s down.
    assert day_figure(site, "api", date(2026, 11, 22)).down_seconds == 3600


@pytest.mark.parametrize("setting, message", [
    ("uptime:\n  weights:\n    partial_outage: 1.5\n",
     "statusgen.yml:12: uptime.weights.partial_outage 1.5 must be between 0 and 1"),
    ("uptime:\n  weights:\n    major_outage: lots\n",
     "statusgen.yml:12: uptime.weights.major_outage 'lots' must be a number, like 0.3"),
    ("uptime:\n  weights:\n    major_outage: -0.1\n",
     "statusgen.yml:12: uptime.weights.major_outage -0.1 must be between 0 and 1"),
    ("uptime:\n  weights:\n    partial: 0.3\n",
     "statusgen.yml:12: unknown field 'uptime.weights.partial' (did you mean 'partial_outage'?)"),
    ("uptime:\n  maintenance_counts: true\n",
     "statusgen.yml:11: unknown field 'uptime.maintenance_counts' (did you mean 'maintenance_counts_as_down'?)"),
    ("uptime:\n  maintenance_counts_as_down: sometimes\n",
     "statusgen.yml:11: uptime.maintenance_counts_as_down 'sometimes' must be true or false"),
])
def test_bad_uptime_settings_are_reported(tmp_path: Path, setting: str, message: str) -> None:
    source = write_site(tmp_path / "src", {}, config=MINIMAL_CONFIG + setting)
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output


# --- groups --------------------------------------------------------------------------------------

GROUPED = """\
title: Test Status
base_url: https://example.test/status/
components:
  - id: api
    name: API
    group: Platform
  - id: dashboard
    name: Dashboard
    group: Platform
  - id: checkout
    name: Checkout
"""


def test_a_group_is_down_where_any_of_its_components_is(tmp_path: Path) -> None:
    files = {**outage("a", "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z", {"api": "major_outage"}),
             **outage("b", "2026-11-20T10:30:00Z", "2026-11-20T11:30:00Z", {"dashboard": "major_outage"})}
    site = load(tmp_path, files, NOW, GROUPED)
    # Each component 1 h: 1 - 1/24 -> 95.83 %; the group 10:00-11:30, 1.5 h (not 2 h): 1 - 1.5/24 = 0.9375.
    assert day_figure(site, "api", date(2026, 11, 20)).text == "95.83 %"
    assert day_figure(site, "dashboard", date(2026, 11, 20)).text == "95.83 %"
    group = site.group_uptime["Platform"]
    (day,) = [d for d in group.daily if d.day == date(2026, 11, 20)]
    assert day.down_seconds == 5400 and day.text == "93.75 %"
    # The window: 1 - 5400/7732800 = 0.999301... -> 99.93 %.
    assert group.text == "99.93 %"
    assert list(site.group_uptime) == ["Platform"]  # checkout stands alone, in no group


# --- where it shows ------------------------------------------------------------------------------

def test_front_page_bars_and_component_page_show_the_figures(tmp_path: Path) -> None:
    files = {**outage("a", "2026-11-20T10:00:00Z", "2026-11-20T13:00:00Z", {"api": "major_outage"}),
             **outage("b", "2026-10-31T23:00:00Z", "2026-11-01T01:00:00Z", {"dashboard": "major_outage"})}
    result = run_build(write_site(tmp_path / "src", files, config=GROUPED), tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    index = tree(result.read("index.html"))
    api = index.xpath('//li[@id="component-api"]')[0]
    assert text_of(api.xpath('.//p[@class="uptime"]')[0]) == "99.86 % uptime over the last 90 days"
    (bar,) = [b for b in api.xpath('.//li[contains(@class, "bar")]') if b.get("title").startswith("20 Nov 2026")]
    assert bar.get("title") == "20 Nov 2026: Major outage, 87.50 % uptime"
    assert text_of(bar) == "20 Nov 2026: Major outage, 87.50 % uptime"  # the screen reader's words too
    # The group: 3 h (api) + 2 h (dashboard) = 18,000 s: 1 - 18000/7732800 = 0.997672... -> 99.76 %.
    group = index.xpath('//div[@class="component-group"][h3="Platform"]')[0]
    assert text_of(group.xpath('./p[@class="uptime"]')[0]) == "Platform as a whole: 99.76 % uptime over the last 90 days"
    page = tree(result.read("components/dashboard/index.html"))
    # Dashboard: 2 h, 1 - 7200/7732800 = 0.999068... -> 99.90 %.
    assert text_of(page.xpath('//p[@class="uptime"]')[0]) == "99.90 % uptime over the last 90 days"
    rows = [[text_of(cell) for cell in row.xpath("./th|./td")]
            for row in page.xpath('//table[contains(@class, "uptime-months")]/tbody/tr')]
    # October: 1 h of 31 days -> 99.86 %; November to now: 1 h of 29.5 days -> 99.85 %.
    assert rows == [["November 2026", "99.85 %"], ["October 2026", "99.86 %"], ["September 2026", "100.00 %"]]


# --- JSON ----------------------------------------------------------------------------------------

FIGURES = {"percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
           "seconds": {"type": "number", "minimum": 0}, "down_seconds": {"type": "number", "minimum": 0}}
SUBJECT = {
    "percent": FIGURES["percent"], "seconds": FIGURES["seconds"], "down_seconds": FIGURES["down_seconds"],
    "status_seconds": {"type": "object", "additionalProperties": False,
                       "required": ["under_maintenance", "degraded_performance", "partial_outage", "major_outage"],
                       "properties": {s: {"type": "number", "minimum": 0} for s in
                                      ["under_maintenance", "degraded_performance", "partial_outage", "major_outage"]}},
    "daily": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                         "required": ["date", *FIGURES],
                                         "properties": {"date": {"type": "string", "format": "date",
                                                                 "pattern": r"^\d{4}-\d\d-\d\d$"}, **FIGURES}}},
    "monthly": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                           "required": ["month", "start", "end", *FIGURES],
                                           "properties": {"month": {"type": "string", "pattern": r"^\d{4}-\d\d$"},
                                                          "start": {"type": "string", "pattern": "Z$"},
                                                          "end": {"type": "string", "pattern": "Z$"}, **FIGURES}}},
}
UPTIME_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["days", "start", "end", "time_zone", "rule", "components", "groups"],
    "properties": {
        "days": {"type": "integer", "minimum": 1},
        "start": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "end": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "time_zone": {"type": "string"},
        "rule": {"type": "object", "additionalProperties": False, "required": ["weights", "maintenance_counts_as_down"],
                 "properties": {"weights": {"type": "object", "additionalProperties": False,
                                            "required": ["major_outage", "partial_outage", "degraded_performance"],
                                            "properties": {s: {"type": "number", "minimum": 0, "maximum": 1} for s in
                                                           ["major_outage", "partial_outage", "degraded_performance"]}},
                                "maintenance_counts_as_down": {"type": "boolean"}}},
        "components": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "name", "group_id", *SUBJECT],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                           "group_id": {"type": ["string", "null"]}, **SUBJECT}}},
        "groups": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "name", "components", *SUBJECT],
            "properties": {"id": {"type": "string", "pattern": "^group-"}, "name": {"type": "string"},
                           "components": {"type": "array", "items": {"type": "string"}, "minItems": 1}, **SUBJECT}}},
    },
}


def test_uptime_json_shape_and_agreement_with_components_json(example_build: BuildResult) -> None:
    document = json.loads(example_build.read("api/uptime.json"))
    jsonschema.validate(document, UPTIME_SCHEMA)
    assert document["days"] == 90 and document["time_zone"] == "Europe/Berlin"
    assert document["end"] == EXAMPLE_NOW
    assert document["rule"] == {"weights": {"major_outage": 1.0, "partial_outage": 0.3, "degraded_performance": 0.0},
                                "maintenance_counts_as_down": False}
    components = json.loads(example_build.read("api/v2/components.json"))["components"]
    listed = {c["id"]: c for c in components}
    # statusgen.yml's order, then the groups in page order, with components.json's ids.
    assert [c["id"] for c in document["components"]] == [c["id"] for c in components if not c["group"]]
    assert [g["id"] for g in document["groups"]] == ["group-platform", "group-payments"]
    for subject in document["components"] + document["groups"]:
        assert listed[subject["id"]]["uptime"] == {"days": 90, "percent": subject["percent"]}
        daily = subject["daily"]
        assert len(daily) == 90 and daily[-1]["date"] == "2026-11-26" and daily[0]["date"] == "2026-08-29"
        assert sum(d["seconds"] for d in daily) == subject["seconds"]
        assert sum(d["seconds"] for d in subject["monthly"]) == subject["seconds"]
        assert abs(sum(d["down_seconds"] for d in daily) - subject["down_seconds"]) < 0.01
        assert [m["month"] for m in subject["monthly"]] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    # The SEV-1 of 14 Oct (see test_build): 2,520 s major and 1,140 s partial on the API.
    api = listed["api"]
    (api_entry,) = [c for c in document["components"] if c["id"] == "api"]
    (october,) = [d for d in api_entry["daily"] if d["date"] == "2026-10-14"]
    assert october == {"date": "2026-10-14", "percent": 96.68, "seconds": 86400, "down_seconds": 2862}
    (dst,) = [d for d in api_entry["daily"] if d["date"] == "2026-10-25"]
    assert dst["seconds"] == 90000  # Berlin's 25-hour day
    assert api["uptime"]["percent"] == api_entry["percent"]


def test_uptime_json_weights_and_fractional_seconds(tmp_path: Path) -> None:
    files = outage("s", "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z", {"checkout": "partial_outage"})
    config = MINIMAL_CONFIG + "uptime:\n  weights:\n    partial_outage: 0.25\n"
    result = run_build(write_site(tmp_path / "src", files, config=config), tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    document = json.loads(result.read("api/uptime.json"))
    jsonschema.validate(document, UPTIME_SCHEMA)
    assert document["rule"]["weights"]["partial_outage"] == 0.25
    (checkout,) = [c for c in document["components"] if c["id"] == "checkout"]
    assert checkout["down_seconds"] == 0.25 and checkout["percent"] == 99.99  # never 100 with downtime
    assert checkout["group_id"] == "group-payments"
    assert [g["components"] for g in document["groups"]] == [["api"], ["checkout"]]


# --- incremental builds --------------------------------------------------------------------------

def uptime_line(html: str, where: str) -> str:
    return text_of(tree(html).xpath(where + '//p[@class="uptime"]')[0])


def test_rebuild_at_a_later_now_shows_the_new_figures(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", outage("a", "2026-11-20T10:00:00Z", "2026-11-20T13:00:00Z",
                                                 {"api": "major_outage"}))
    first = run_build(source, tmp_path / "site", NOW)
    assert first.exit_code == 0, first.output
    assert uptime_line(first.read("index.html"), '//li[@id="component-api"]') == \
        "99.86 % uptime over the last 90 days"
    # 90 days on, 17 Feb 2027: the window begins 20 Nov 2026 and still holds the outage, on its
    # first day; a day later it has left the window.
    for now, figure in [("2027-02-17T12:00:00Z", 99.86), ("2027-02-18T12:00:00Z", 100.0)]:
        again = run_build(source, tmp_path / "site", now)
        assert again.exit_code == 0, again.output
        fresh = run_build(source, tmp_path / f"fresh-{now[:10]}", now, "--no-cache")
        components = json.loads(again.read("api/v2/components.json"))["components"]
        (api,) = [c for c in components if c["id"] == "api"]
        assert api["uptime"]["percent"] == figure
        expected = f"{figure:.2f} % uptime over the last 90 days"
        assert uptime_line(again.read("index.html"), '//li[@id="component-api"]') == expected
        assert uptime_line(again.read("components/api/index.html"), "//main") == expected
        built = {p.relative_to(again.site): p.read_bytes() for p in again.site.rglob("*") if p.is_file()}
        scratch = {p.relative_to(fresh.site): p.read_bytes() for p in fresh.site.rglob("*") if p.is_file()}
        assert built == scratch, sorted(str(p) for p in built if built[p] != scratch.get(p))


def test_config_schema_knows_the_uptime_settings() -> None:
    from statusgen.source.schema import schema_for
    schema = schema_for("config")
    good = {"title": "T", "base_url": "https://example.test/", "components": [{"id": "api", "name": "API"}],
            "uptime": {"weights": {"partial_outage": 0.3, "major_outage": 1}, "maintenance_counts_as_down": True}}
    jsonschema.validate(good, schema)
    weights = schema["properties"]["uptime"]["properties"]["weights"]["properties"]
    assert weights["partial_outage"]["description"].endswith("Default 0.3.")
    for bad in ({"weights": {"partial_outage": 1.5}}, {"weights": {"partial": 0.3}}, {"maintenance_counts_as_down": "no"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, "uptime": bad}, schema)


def test_readme_worked_example_is_what_the_example_builds(example_build: BuildResult) -> None:
    from conftest import REPO
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Uptime\n"):readme.index("\n## Moving from cState")]
    document = json.loads(example_build.read("api/uptime.json"))
    (api,) = [c for c in document["components"] if c["id"] == "api"]
    (day,) = [d for d in api["daily"] if d["date"] == "2026-10-14"]
    (october,) = [m for m in api["monthly"] if m["month"] == "2026-10"]
    platform = document["groups"][0]
    assert (day["percent"], october["percent"], api["percent"], platform["percent"]) == (96.68, 99.89, 99.96, 99.93)
    assert (october["seconds"], api["seconds"]) == (2682000, 7722000)
    for shown in ("**96.68 %**", "**99.89 %**", "**99.96 %**", "2,682,000", "7,722,000",
                  '"14 Oct 2026:\n  Major outage, 96.68 % uptime"', "Platform as a\nwhole: 99.93 %"):
        assert shown in section, shown
    index = tree(example_build.read("index.html"))
    assert uptime_line(example_build.read("index.html"), '//li[@id="component-api"]') == \
        "99.96 % uptime over the last 90 days"
    assert text_of(index.xpath('//div[@class="component-group"][h3="Platform"]/p[@class="uptime"]')[0]) == \
        "Platform as a whole: 99.93 % uptime over the last 90 days"


def test_init_scaffold_documents_the_defaults_in_a_block_that_reads_back() -> None:
    from statusgen.commands.init import scaffold_text
    from statusgen.model import UptimeRule
    from statusgen.source.config import config_from_text
    lines = scaffold_text("statusgen.yml").split("\n")
    start = lines.index("# uptime:")
    uncommented = lines[:start] + [line[2:] for line in lines[start:start + 6]] + lines[start + 6:]
    problems: list[Any] = []
    config = config_from_text("\n".join(uncommented), problems)
    assert problems == [] and config is not None and config.uptime == UptimeRule()
