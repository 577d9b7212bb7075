"""The JSON API: Statuspage v2 shapes, golden files, and agreement with the pages and feeds.

Golden files live in tests/golden/api/v2/. They are compared byte for byte; to regenerate them
after an intended change, run `STATUSGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_api.py`
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import feedparser
import pytest

from conftest import EXAMPLE_NOW, MINIMAL_CONFIG, REPO, BuildResult, run_build, write_site
from sites import GOOD_MAINTENANCE
from sitecheck import text_of, tree
from statusgen.vocabulary import INDICATOR_DESCRIPTIONS, STATUS_INDICATORS, STATUS_LABELS, STATUSES

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("STATUSGEN_UPDATE_GOLDEN") == "1"

ENDPOINTS = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
]

OPEN_INCIDENT = "2026-11-26-webhook-delivery-delays"
MAINTENANCE_ACTIVE_NOW = "2026-12-03T02:30:00Z"
OVERDUE_NOW = "2026-11-26T07:45:00Z"

PAGE_KEYS = ["id", "name", "url", "time_zone", "updated_at"]
COMPONENT_KEYS = ["id", "name", "status", "created_at", "updated_at", "position", "description", "showcase",
                  "start_date", "group_id", "page_id", "group", "only_show_if_degraded"]
COMMON_KEYS = ["id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact",
               "shortlink", "started_at", "page_id", "incident_updates", "components"]
INCIDENT_KEYS = COMMON_KEYS + ["postmortem_body", "postmortem_published_at", "postmortem_url"]
MAINTENANCE_KEYS = COMMON_KEYS + ["scheduled_for", "scheduled_until"]
UPDATE_KEYS = ["id", "status", "body", "incident_id", "created_at", "updated_at", "display_at",
               "affected_components", "deliver_notifications", "custom_tweet", "tweet_id"]
AFFECTED_KEYS = ["code", "name", "old_status", "new_status"]

INDICATORS = {"none", "minor", "major", "critical", "maintenance"}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
IMPACTS = {"none", "minor", "major", "critical"}


def api(result: BuildResult, endpoint: str) -> Any:
    return json.loads(result.read(f"api/v2/{endpoint}"))


# --- golden files --------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_endpoint_matches_golden_file(example_build: BuildResult, endpoint: str) -> None:
    built = (example_build.site / "api/v2" / endpoint).read_bytes()
    golden = GOLDEN / "api/v2" / endpoint
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(built)
    assert golden.is_file(), f"{golden} is missing; run with STATUSGEN_UPDATE_GOLDEN=1 to create it"
    assert built == golden.read_bytes(), (
        f"api/v2/{endpoint} differs from {golden.relative_to(REPO)}; if the change is intended, "
        f"regenerate with STATUSGEN_UPDATE_GOLDEN=1 and review the diff")


def test_api_writes_exactly_the_documented_endpoints(example_build: BuildResult) -> None:
    written = sorted(p.relative_to(example_build.site / "api/v2").as_posix()
                     for p in (example_build.site / "api/v2").rglob("*") if p.is_file())
    assert written == sorted(ENDPOINTS)
    goldens = sorted(p.relative_to(GOLDEN / "api/v2").as_posix() for p in (GOLDEN / "api/v2").rglob("*.json"))
    assert goldens == sorted(ENDPOINTS)


def test_files_are_indented_utf8_with_trailing_newline(example_build: BuildResult) -> None:
    for endpoint in ENDPOINTS:
        raw = (example_build.site / "api/v2" / endpoint).read_bytes()
        text = raw.decode("utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n"), endpoint
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", endpoint


# --- shapes --------------------------------------------------------------------------------------

def timestamp(value: str | None, nullable: bool = False) -> datetime | None:
    if value is None:
        assert nullable
        return None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), value  # always UTC
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.utcoffset() is not None
    return moment


def check_page(page: dict[str, Any]) -> None:
    assert list(page) == PAGE_KEYS
    assert page["url"] == "https://acme.github.io/status/"
    assert page["name"] == "Acme Cloud Status" and page["time_zone"] == "Europe/Berlin"
    assert re.fullmatch(r"[0-9a-f]{12}", page["id"])
    timestamp(page["updated_at"])


def check_component(component: dict[str, Any], page_id: str, uptime: bool = False) -> None:
    """A component entry in Statuspage's shape; components.json's (`uptime`) end with statusgen's
    uptime over the history window (tests/test_uptime.py checks its figures)."""
    keys = COMPONENT_KEYS + (["components"] if component["group"] else []) + (["uptime"] if uptime else [])
    assert list(component) == keys
    if uptime:
        assert list(component["uptime"]) == ["days", "percent"] and component["uptime"]["days"] == 90
        percent = component["uptime"]["percent"]
        assert isinstance(percent, float) and 0 <= percent <= 100 and round(percent, 2) == percent
    assert component["status"] in STATUSES
    assert component["page_id"] == page_id
    assert isinstance(component["position"], int) and component["position"] >= 1
    assert isinstance(component["showcase"], bool) and component["only_show_if_degraded"] is False
    timestamp(component["created_at"])
    timestamp(component["updated_at"])


def check_update(update: dict[str, Any], owner: dict[str, Any], statuses: set[str]) -> None:
    assert list(update) == UPDATE_KEYS
    assert update["status"] in statuses
    assert update["incident_id"] == owner["id"]
    timestamp(update["created_at"])
    assert update["id"] == f"{owner['id']}-{utc(update['created_at'], '%Y%m%dT%H%M%SZ')}"
    assert update["updated_at"] == update["display_at"] == update["created_at"]
    assert isinstance(update["body"], str) and update["body"]
    assert update["deliver_notifications"] is True
    assert update["custom_tweet"] is None and update["tweet_id"] is None
    for affected in update["affected_components"]:
        assert list(affected) == AFFECTED_KEYS
        assert affected["old_status"] in STATUSES and affected["new_status"] in STATUSES


def utc(value: str, layout: str) -> str:
    return datetime.fromisoformat(value).astimezone(timezone.utc).strftime(layout)


def check_incident(incident: dict[str, Any], page_id: str) -> None:
    assert list(incident) == INCIDENT_KEYS
    assert incident["status"] in INCIDENT_STATUSES
    assert incident["impact"] in IMPACTS
    assert incident["page_id"] == page_id
    assert incident["shortlink"] == f"https://acme.github.io/status/incidents/{incident['id']}/"
    created = timestamp(incident["created_at"])
    updated = timestamp(incident["updated_at"])
    assert created <= updated
    timestamp(incident["started_at"])
    timestamp(incident["monitoring_at"], nullable=True)
    resolved = timestamp(incident["resolved_at"], nullable=True)
    assert (resolved is None) == (incident["status"] != "resolved")
    updates = incident["incident_updates"]
    assert updates, incident["id"]
    times = [datetime.fromisoformat(u["created_at"]) for u in updates]
    assert times == sorted(times, reverse=True)  # newest first, like Statuspage
    assert updates[0]["status"] == incident["status"]
    for update in updates:
        check_update(update, incident, INCIDENT_STATUSES)
    for component in incident["components"]:
        check_component(component, page_id)


def check_maintenance(maintenance: dict[str, Any], page_id: str) -> None:
    assert list(maintenance) == MAINTENANCE_KEYS
    assert maintenance["status"] in MAINTENANCE_STATUSES
    assert maintenance["impact"] == "maintenance"
    assert maintenance["shortlink"] == f"https://acme.github.io/status/maintenance/{maintenance['id']}/"
    assert timestamp(maintenance["scheduled_for"]) < timestamp(maintenance["scheduled_until"])
    resolved = timestamp(maintenance["resolved_at"], nullable=True)
    assert (resolved is None) == (maintenance["status"] != "completed")
    for update in maintenance["incident_updates"]:
        check_update(update, maintenance, MAINTENANCE_STATUSES)
    for component in maintenance["components"]:
        check_component(component, page_id)


@pytest.mark.parametrize("now", [EXAMPLE_NOW, MAINTENANCE_ACTIVE_NOW, OVERDUE_NOW])
def test_every_endpoint_has_statuspage_shape(tmp_path: Path, now: str) -> None:
    result = run_build(REPO, tmp_path / "site", now=now)
    assert result.exit_code == 0, result.output
    documents = {endpoint: api(result, endpoint) for endpoint in ENDPOINTS}
    page = documents["status.json"]["page"]
    for endpoint, document in documents.items():
        assert document["page"] == page, endpoint
        check_page(document["page"])
    expected_keys = {
        "summary.json": ["page", "components", "incidents", "scheduled_maintenances", "status"],
        "status.json": ["page", "status"],
        "components.json": ["page", "components"],
        "incidents.json": ["page", "incidents"],
        "incidents/unresolved.json": ["page", "incidents"],
        "scheduled-maintenances.json": ["page", "scheduled_maintenances"],
        "scheduled-maintenances/upcoming.json": ["page", "scheduled_maintenances"],
        "scheduled-maintenances/active.json": ["page", "scheduled_maintenances"],
    }
    for endpoint, keys in expected_keys.items():
        assert list(documents[endpoint]) == keys, endpoint
    status = documents["status.json"]["status"]
    assert list(status) == ["indicator", "description"]
    assert status["indicator"] in INDICATORS
    assert status["description"] == INDICATOR_DESCRIPTIONS[status["indicator"]]
    assert documents["summary.json"]["status"] == status
    for endpoint, document in documents.items():
        for component in document.get("components", []):
            check_component(component, page["id"], uptime=endpoint == "components.json")
        for incident in document.get("incidents", []):
            check_incident(incident, page["id"])
        for maintenance in document.get("scheduled_maintenances", []):
            check_maintenance(maintenance, page["id"])
    unresolved = documents["incidents/unresolved.json"]["incidents"]
    assert all(i["status"] != "resolved" for i in unresolved)
    assert documents["summary.json"]["incidents"] == unresolved
    upcoming = documents["scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]
    active = documents["scheduled-maintenances/active.json"]["scheduled_maintenances"]
    assert all(m["status"] == "scheduled" for m in upcoming)
    assert all(m["status"] == "in_progress" for m in active)
    assert documents["summary.json"]["scheduled_maintenances"] == active + upcoming


def test_components_and_groups(example_build: BuildResult) -> None:
    components = api(example_build, "components.json")["components"]
    assert [c["position"] for c in components] == list(range(1, len(components) + 1))
    by_id = {c["id"]: c for c in components}
    assert len(by_id) == len(components)
    groups = [c for c in components if c["group"]]
    assert [(g["id"], g["name"], g["components"]) for g in groups] == [
        ("group-platform", "Platform", ["api", "dashboard", "auth", "webhooks"]),
        ("group-payments", "Payments", ["checkout", "card-processing", "payouts"]),
    ]
    for group in groups:
        children = [by_id[cid] for cid in group["components"]]
        assert all(c["group_id"] == group["id"] and not c["group"] for c in children)
        worst = max((c["status"] for c in children), key=STATUSES.index)
        assert group["status"] == worst
    assert by_id["webhooks"]["status"] == "degraded_performance"
    assert by_id["group-platform"]["status"] == "degraded_performance"
    assert by_id["api"]["description"] == "REST API used by integrations and our mobile apps"


def test_mapping_of_severity_and_phase(example_build: BuildResult) -> None:
    incidents = {i["id"]: i for i in api(example_build, "incidents.json")["incidents"]}
    assert len(incidents) == 10
    assert incidents["2026-10-14-api-dashboard-checkout-outage"]["impact"] == "critical"  # sev1
    assert incidents[OPEN_INCIDENT]["impact"] == "minor"  # sev3
    assert incidents[OPEN_INCIDENT]["status"] == "identified"
    outage = incidents["2026-10-14-api-dashboard-checkout-outage"]
    # `started_at` from the content (when the problem began), `created_at` the first update.
    assert outage["started_at"] == "2026-10-14T13:01:00Z"
    assert outage["created_at"] == "2026-10-14T13:07:00Z"
    assert outage["resolved_at"] == outage["updated_at"]
    first = outage["incident_updates"][-1]
    assert first["id"] == "2026-10-14-api-dashboard-checkout-outage-20261014T130700Z"
    assert all(a["old_status"] == "operational" for a in first["affected_components"])
    last = outage["incident_updates"][0]
    assert last["status"] == "resolved"
    assert all(a["new_status"] == "operational" for a in last["affected_components"])


def test_times_are_utc_even_where_the_zone_had_an_offset_with_seconds(tmp_path: Path) -> None:
    """Africa/Monrovia was 44 min 30 s behind UTC until 1972: an offset '-00:44:30' is not ISO 8601
    and neither clients nor live.js read it, so machine-readable times are always UTC ('Z')."""
    source = write_site(tmp_path / "src", {"content/incidents/x/1.md": """\
        ---
        at: 1971-06-01T12:00:00Z
        phase: investigating
        severity: sev3
        title: Slow API
        components:
          api: degraded_performance
        next_update: 1971-06-01T13:00:00Z
        ---
        Looking into it.
        """}, config=MINIMAL_CONFIG + "timezone: Africa/Monrovia\n")
    result = run_build(source, tmp_path / "site", "1971-06-01T12:30:00Z")
    assert result.exit_code == 0, result.output
    summary = api(result, "summary.json")
    assert summary["page"]["updated_at"] == "1971-06-01T12:00:00Z"
    (incident,) = summary["incidents"]
    assert incident["created_at"] == "1971-06-01T12:00:00Z"
    for endpoint in ENDPOINTS:
        text = result.read(f"api/v2/{endpoint}")
        stamps = re.findall(r'"(\d{4}-\d\d-\d\dT[^"]*)"', text)
        assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t) for t in stamps), endpoint
        assert "-00:44" not in text, endpoint
    page = tree(result.read("index.html"))
    assert page.xpath('//p[contains(@class, "promise")]/@data-next-update') == ["1971-06-01T13:00:00Z"]
    assert set(page.xpath("//time/@datetime")) <= {"1971-06-01T12:00:00Z", "1971-06-01T12:30:00Z",
                                                    "1971-06-01T13:00:00Z"}


def test_page_updated_at_is_newest_update_not_the_clock(tmp_path: Path) -> None:
    early = run_build(REPO, tmp_path / "a", now=EXAMPLE_NOW)
    later = run_build(REPO, tmp_path / "b", now="2026-11-26T07:20:00Z")
    assert api(early, "status.json")["page"]["updated_at"] == "2026-11-26T06:31:00Z"
    for endpoint in ENDPOINTS:
        assert early.read(f"api/v2/{endpoint}") == later.read(f"api/v2/{endpoint}"), endpoint


def test_maintenance_states_follow_now(tmp_path: Path) -> None:
    during = run_build(REPO, tmp_path / "during", now=MAINTENANCE_ACTIVE_NOW)
    (active,) = api(during, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert active["id"] == "2026-12-03-api-gateway-migration" and active["status"] == "in_progress"
    assert api(during, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"] == []
    components = {c["id"]: c for c in api(during, "components.json")["components"]}
    assert components["api"]["status"] == "under_maintenance"
    assert components["api"]["updated_at"] == "2026-12-03T02:00:00Z"  # when the window began
    after = run_build(REPO, tmp_path / "after", now="2026-12-03T05:00:00Z")
    done = {m["id"]: m for m in api(after, "scheduled-maintenances.json")["scheduled_maintenances"]}
    assert done["2026-12-03-api-gateway-migration"]["status"] == "completed"
    assert done["2026-12-03-api-gateway-migration"]["resolved_at"] == "2026-12-03T04:00:00Z"


CANCELLED = {
    "content/maintenance/db/1.md": GOOD_MAINTENANCE,
    "content/maintenance/db/2.md": """\
        ---
        at: 2026-11-25T09:00:00Z
        phase: cancelled
        ---
        We've called off this upgrade; nothing will change.
        """,
}


def test_cancelled_maintenance_is_reported_completed(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", CANCELLED)
    result = run_build(source, tmp_path / "site", now="2026-11-26T00:00:00Z")
    assert result.exit_code == 0, result.output
    (maintenance,) = api(result, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert maintenance["status"] == "completed"
    assert maintenance["resolved_at"] == "2026-11-25T09:00:00Z"
    assert [u["status"] for u in maintenance["incident_updates"]] == ["completed", "scheduled"]
    assert "called off" in maintenance["incident_updates"][0]["body"]
    assert api(result, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"] == []
    assert api(result, "scheduled-maintenances/active.json")["scheduled_maintenances"] == []
    # The window passing later changes nothing for a cancelled maintenance.
    assert api(result, "summary.json")["status"]["indicator"] == "none"


def test_empty_site_and_group_ids(tmp_path: Path) -> None:
    config = ("title: T\nbase_url: https://x.test/\ncomponents:\n"
              "  - id: group-api\n    name: Old API\n    group: API\n"
              "  - id: api\n    name: API\n    group: API\n"
              "  - id: pay\n    name: Zahlungen\n    group: Zahlungsverkehr & Überweisungen\n"
              "  - id: solo\n    name: Solo\n")
    source = write_site(tmp_path / "src", {}, config=config)
    result = run_build(source, tmp_path / "site", now="2026-11-26T00:00:00Z")
    assert result.exit_code == 0, result.output
    summary = api(result, "summary.json")
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert summary["page"]["updated_at"] == "2026-11-26T00:00:00Z"  # no content: --now
    assert summary["incidents"] == [] and summary["scheduled_maintenances"] == []
    ids = [(c["id"], c["group"]) for c in summary["components"]]
    assert ids == [("group-api-2", True), ("group-api", False), ("api", False),
                   ("group-zahlungsverkehr-berweisungen", True), ("pay", False), ("solo", False)]
    solo = summary["components"][-1]
    assert solo["group_id"] is None and solo["status"] == "operational"


def test_names_are_data_not_markup(tmp_path: Path) -> None:
    payload = "<script>alert('x')</script> \"quoted\" ünïcödé"
    config = (f"title: {json.dumps('S ' + payload, ensure_ascii=False)}\nbase_url: https://x.test/\n"
              f"components:\n  - id: api\n    name: {json.dumps(payload, ensure_ascii=False)}\n")
    source = write_site(tmp_path / "src", {}, config=config)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    raw = result.read("api/v2/summary.json")
    assert "ünïcödé" in raw  # ensure_ascii=False: readable UTF-8
    summary = json.loads(raw)
    assert summary["page"]["name"] == f"S {payload}"
    assert summary["components"][0]["name"] == payload


# --- one source of truth -------------------------------------------------------------------------

def overall_status_of(index_html: str) -> str:
    (section,) = tree(index_html).xpath('//section[contains(@class, "overall")]')
    (status,) = [c[len("overall-"):] for c in section.get("class").split() if c.startswith("overall-")]
    return status


@pytest.mark.parametrize("now", [EXAMPLE_NOW, MAINTENANCE_ACTIVE_NOW, OVERDUE_NOW])
def test_json_pages_and_feed_agree(tmp_path: Path, now: str) -> None:
    result = run_build(REPO, tmp_path / "site", now=now)
    assert result.exit_code == 0, result.output
    index = tree(result.read("index.html"))
    feed = feedparser.parse(result.read("feed.xml"))
    status = api(result, "status.json")["status"]
    summary = api(result, "summary.json")

    # The overall status.
    overall = overall_status_of(result.read("index.html"))
    assert status["indicator"] == STATUS_INDICATORS[overall]
    assert summary["status"] == status

    # Each component's status.
    components = {c["id"]: c for c in summary["components"] if not c["group"]}
    for component_id, component in components.items():
        (label,) = index.xpath(f'//li[@id="component-{component_id}"]//span[contains(@class, "status ")]')
        assert text_of(label) == STATUS_LABELS[component["status"]], component_id

    # The open incidents, and each one's latest update.
    unresolved = api(result, "incidents/unresolved.json")["incidents"]
    cards = index.xpath('//article[contains(@class, "incident-card")]')
    card_ids = [card.xpath(".//h3/a/@href")[0].split("/")[1] for card in cards]
    assert card_ids == [i["id"] for i in unresolved]
    assert [i["id"] for i in summary["incidents"]] == card_ids
    assert card_ids == [OPEN_INCIDENT]
    for incident, card in zip(unresolved, cards):
        latest = incident["incident_updates"][0]
        card_text = text_of(card)
        assert incident["name"] == text_of(card.xpath(".//h3")[0])
        assert latest["status"].capitalize() in text_of(card.xpath('.//span[contains(@class, "phase")]')[0])
        first_line = " ".join(latest["body"].split("\n")[0].split())
        assert first_line in card_text
        (when,) = card.xpath('.//span[@class="when"]/time/@datetime')
        assert when == utc(latest["created_at"], "%Y-%m-%dT%H:%M:%SZ")
        # The feed's newest entry for this incident is the same update, at its permanent link.
        entries = [e for e in feed.entries if e.link.startswith(incident["shortlink"] + "#")]
        assert entries[0].link == f"{incident['shortlink']}#update-{latest['id'][len(incident['id']) + 1:]}"
        assert entries[0].title == f"[{latest['status'].capitalize()}] {incident['name']}"
        assert first_line.split(":")[0] in entries[0].description

    # Maintenance in progress and upcoming.
    active = api(result, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    shown_active = index.xpath('//section[@aria-labelledby="active-maintenance-heading"]//article/@id')
    assert shown_active == [f"maintenance-{m['id']}" for m in active]
    upcoming = api(result, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    shown_upcoming = index.xpath('//section[@aria-labelledby="upcoming-heading"]//article/@id')
    assert shown_upcoming == [f"maintenance-{m['id']}" for m in upcoming]
    if now == MAINTENANCE_ACTIVE_NOW:
        assert [m["id"] for m in active] == ["2026-12-03-api-gateway-migration"]
        assert components["api"]["status"] == "under_maintenance"


# --- the README's promises -----------------------------------------------------------------------

def test_readme_curl_example_is_what_the_example_builds(example_build: BuildResult) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ curl https://acme\.github\.io/status/api/v2/status\.json\n(\{.*?\n\})\n```",
                      readme, flags=re.S).group(1)
    assert shown + "\n" == example_build.read("api/v2/status.json")


def test_readme_indicator_table_is_the_mapping() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| ([A-Z][\w ]+) \|$", readme, flags=re.M)
    assert {status: (indicator, description) for status, indicator, description in rows} == {
        status: (indicator, INDICATOR_DESCRIPTIONS[indicator]) for status, indicator in STATUS_INDICATORS.items()}
