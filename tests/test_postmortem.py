"""Postmortems as content: postmortem.md → its page, links, feed entries, JSON fields, the
build's errors, check's warnings, `statusgen new postmortem`, and the figures of followup.py.

Sites are written into tmp_path and built; the HTML, feeds and JSON are inspected.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from click.testing import CliRunner

from conftest import MINIMAL_CONFIG, run_build, write_site
from sitecheck import text_of, tree
from statusgen.cli import main

INCIDENT = "content/incidents/db"
NOW = "2026-12-01T12:00:00Z"
HOSTILE = '<script>alert("pm")</script> & <b>bold</b>'


def update(at: str, phase: str, extra: str = "", next_update: str | None = None) -> str:
    promise = f"next_update: {next_update}\n" if next_update else ""
    return f"---\nat: {at}\nphase: {phase}\n{extra}{promise}---\nText of {phase} at {at}.\n"


UPDATES = {
    f"{INCIDENT}/1.md": update("2026-11-20T14:00:00Z", "investigating",
                               "severity: sev2\ntitle: Database down\ncomponents:\n  checkout: major_outage\n"
                               "started_at: 2026-11-20T13:50:00Z\ndetected_at: 2026-11-20T13:55:00Z\n"
                               "reported_by: monitoring\n", "2026-11-20T14:30:00Z"),
    f"{INCIDENT}/2.md": update("2026-11-20T14:20:00Z", "identified", next_update="2026-11-20T14:50:00Z"),
    f"{INCIDENT}/3.md": update("2026-11-20T14:40:00Z", "identified", next_update="2026-11-20T15:10:00Z"),
    f"{INCIDENT}/4.md": update("2026-11-20T15:05:00Z", "monitoring", next_update="2026-11-20T15:35:00Z"),
    f"{INCIDENT}/5.md": update("2026-11-20T15:30:00Z", "resolved"),
}


def postmortem(published: str = "2026-11-23T09:00:00Z", cause: str = "capacity", items: str | None = None,
               summary: str = "The database ran out of connections.", body: str = "## What happened\n\nIt broke.\n") -> str:
    if items is None:
        items = ("  - title: Raise the connection limit\n    owner: database team\n    due: 2026-11-25\n"
                 "    done: true\n"
                 "  - title: Alert on connection use\n    owner: SRE\n    due: 2026-11-28\n    done: false\n"
                 "  - title: Pool connections in checkout\n    owner: payments team\n    due: 2027-01-15\n")
    listed = "action_items: []\n" if items == "[]\n" else f"action_items:\n{items}"
    return (f"---\npublished_at: {published}\nsummary: {json.dumps(summary)}\nimpact: Checkout failed for 95 min.\n"
            f"root_cause: A connection leak.\ncause: {cause}\n{listed}---\n{body}")


def site_with(tmp_path: Path, pm: str | None = None, extra: dict[str, str] | None = None,
              config: str = MINIMAL_CONFIG) -> Path:
    files = dict(UPDATES)
    if pm is not None:
        files[f"{INCIDENT}/postmortem.md"] = pm
    files.update(extra or {})
    return write_site(tmp_path / "src", files, config=config)


def build(tmp_path: Path, source: Path, now: str = NOW):
    return run_build(source, tmp_path / "site", now)


# --- the page -----------------------------------------------------------------------------------

def test_the_page_shows_a_timeline_generated_from_the_updates(tmp_path: Path) -> None:
    result = build(tmp_path, site_with(tmp_path, postmortem()))
    assert result.exit_code == 0, result.output
    page = tree(result.read("incidents/db/postmortem/index.html"))
    entries = page.xpath('//ol[@class="postmortem-timeline"]/li')
    assert [e.get("class") for e in entries] == ["timeline-started", "timeline-detected", "timeline-first-update",
                                                 "timeline-phase", "timeline-phase", "timeline-resolved",
                                                 "timeline-postmortem"]
    assert [e.xpath(".//time/@datetime")[0] for e in entries] == [
        "2026-11-20T13:50:00Z", "2026-11-20T13:55:00Z", "2026-11-20T14:00:00Z", "2026-11-20T14:20:00Z",
        "2026-11-20T15:05:00Z", "2026-11-20T15:30:00Z", "2026-11-23T09:00:00Z"]
    # The second identified update (14:40) is not a phase change; durations are from the entry before.
    assert [text_of(s) for e in entries for s in e.xpath('./span[@class="since"]')] == [
        "5 min later", "5 min later", "20 min later", "45 min later", "25 min later", "2 d 17 h 30 min later"]
    assert text_of(entries[3].xpath("./a")[0]) == "Cause identified"
    assert entries[3].xpath("./a/@href") == ["../index.html#update-20261120T142000Z"]
    facts = {text_of(dt): text_of(dt.getnext()) for dt in page.xpath('//dl[@class="facts"]/dt')}
    assert facts["Duration"] == "1 h 30 min" and facts["Cause"] == "capacity" and facts["Affected"] == "Checkout"


def test_action_items_show_done_open_and_overdue_as_of_now(tmp_path: Path) -> None:
    result = build(tmp_path, site_with(tmp_path, postmortem()))
    page = tree(result.read("incidents/db/postmortem/index.html"))
    rows = [[text_of(td) for td in tr.xpath("./td")] for tr in page.xpath('//table[contains(@class, "action-items")]/tbody/tr')]
    assert rows == [["Raise the connection limit", "database team", "25 Nov 2026", "Done"],
                    ["Alert on connection use", "SRE", "28 Nov 2026", "Overdue"],
                    ["Pool connections in checkout", "payments team", "15 Jan 2027", "Open"]]
    # An open item makes the page depend on now: its footer says as of when.
    assert "This page shows the status as of" in text_of(page.xpath("//footer")[0])
    earlier = run_build(site_with(tmp_path / "b", postmortem()), tmp_path / "site-b", "2026-11-27T12:00:00Z")
    states = [text_of(tr.xpath("./td")[3]) for tr in
              tree(earlier.read("incidents/db/postmortem/index.html")).xpath('//table[contains(@class, "action-items")]/tbody/tr')]
    assert states == ["Done", "Open", "Open"]


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    items = f"  - title: {json.dumps(HOSTILE)}\n    owner: {json.dumps(HOSTILE)}\n    due: 2027-01-01\n"
    result = build(tmp_path, site_with(tmp_path, postmortem(summary=HOSTILE, items=items,
                                                            body=f"## Notes\n\n{HOSTILE}\n")))
    assert result.exit_code == 0, result.output
    html = result.read("incidents/db/postmortem/index.html")
    assert "<script>" not in html and "<b>bold</b>" not in html
    page = tree(html)
    assert text_of(page.xpath('//p[@class="summary"]')[0]) == HOSTILE
    assert not page.xpath("//script[not(@src)]") and not page.xpath("//main//b")
    feed = result.read("feed.xml")
    entry = next(e for e in feedparser.parse(feed).entries if e.title.startswith("[Postmortem]"))
    assert "<script>" not in entry.description and "&lt;script&gt;" in entry.description


def test_linked_from_the_incident_page_the_history_and_the_month(tmp_path: Path) -> None:
    external = dict(UPDATES)
    external[f"{INCIDENT}/5.md"] = update("2026-11-20T15:30:00Z", "resolved", "postmortem: https://blog.example/pm\n")
    result = run_build(write_site(tmp_path / "src", {**external, f"{INCIDENT}/postmortem.md": postmortem()}),
                       tmp_path / "site", NOW)
    incident = tree(result.read("incidents/db/index.html"))
    assert incident.xpath('//p[@class="postmortem"]/a/@href') == ["postmortem/index.html"]
    history = tree(result.read("history/index.html"))
    assert history.xpath('//a[@class="postmortem-link"]/@href') == ["../incidents/db/postmortem/index.html"]
    month = tree(result.read("history/2026/11/index.html"))
    assert month.xpath('//p[@class="postmortem"]/a/@href') == ["../../../incidents/db/postmortem/index.html"]
    # The update's external link is not lost: the postmortem page shows it as more detail.
    page = tree(result.read("incidents/db/postmortem/index.html"))
    assert page.xpath('//p[@class="postmortem-elsewhere"]/a/@href') == ["https://blog.example/pm"]
    assert "https://example.test/status/incidents/db/postmortem/" in result.read("sitemap.xml")


def test_an_external_link_alone_still_works(tmp_path: Path) -> None:
    files = dict(UPDATES)
    files[f"{INCIDENT}/5.md"] = update("2026-11-20T15:30:00Z", "resolved", "postmortem: /notes/db.html\n")
    result = run_build(write_site(tmp_path / "src", files), tmp_path / "site", NOW)
    assert tree(result.read("incidents/db/index.html")).xpath('//p[@class="postmortem"]/a/@href') == ["../../notes/db.html"]
    assert not (result.site / "incidents/db/postmortem").exists()
    (incident,) = json.loads(result.read("api/v2/incidents.json"))["incidents"]
    assert (incident["postmortem_body"], incident["postmortem_published_at"], incident["postmortem_url"]) == (
        None, None, "https://example.test/status/notes/db.html")


def test_feed_entry_and_json_fields(tmp_path: Path) -> None:
    result = build(tmp_path, site_with(tmp_path, postmortem()))
    for feed in ("feed.xml", "atom.xml", "components/checkout/feed.xml"):
        parsed = feedparser.parse(result.read(feed))
        assert not parsed.bozo
        (entry,) = [e for e in parsed.entries if e.title == "[Postmortem] Database down"]
        assert entry.link == "https://example.test/status/incidents/db/postmortem/"
        assert parsed.entries[0] is entry  # published last, so newest first
    assert not [e for e in feedparser.parse(result.read("components/api/feed.xml")).entries
                if e.title.startswith("[Postmortem]")]
    (incident,) = json.loads(result.read("api/v2/incidents.json"))["incidents"]
    assert incident["postmortem_published_at"] == "2026-11-23T09:00:00Z"
    assert incident["postmortem_url"] == "https://example.test/status/incidents/db/postmortem/"
    assert incident["status"] == "resolved"
    body = incident["postmortem_body"]
    assert body.startswith("The database ran out of connections.\n\n**Impact.** Checkout failed for 95 min.")
    assert "- [x] Raise the connection limit (database team, due 2026-11-25)" in body
    assert "- [ ] Alert on connection use (SRE, due 2026-11-28)" in body and body.endswith("It broke.")


# --- errors -------------------------------------------------------------------------------------

PM_FILE = f"{INCIDENT}/postmortem.md"


def errors(tmp_path: Path, pm: str, extra: dict[str, str] | None = None) -> str:
    result = build(tmp_path, site_with(tmp_path, pm, extra))
    assert result.exit_code == 1
    return result.output


def test_an_action_item_without_owner_or_due_is_an_error(tmp_path: Path) -> None:
    items = "  - title: Alert earlier\n  - title: Fix it\n    owner: SRE\n    due: 15 December\n"
    output = errors(tmp_path, postmortem(items=items))
    assert f"{PM_FILE}:8: action_items[0].owner is required (a team or a role" in output
    assert f"{PM_FILE}:8: action_items[0].due is required (the date it is due, like 2026-12-15)" in output
    assert f"{PM_FILE}:11: action_items[1].due '15 December' is not a date; write it like 2026-12-15" in output


def test_an_unknown_cause_lists_the_allowed_ones(tmp_path: Path) -> None:
    output = errors(tmp_path, postmortem(cause="capacityy"))
    assert (f"{PM_FILE}:6: cause 'capacityy' is not one of config-change, deploy, software-bug, capacity, "
            f"dependency, infrastructure, network, security, other (did you mean 'capacity'?)") in output
    custom = MINIMAL_CONFIG + "postmortem_causes: [db, network]\n"
    result = run_build(site_with(tmp_path / "c", postmortem(cause="capacity"), config=custom), tmp_path / "c-site", NOW)
    assert f"{PM_FILE}:6: cause 'capacity' is not one of db, network" in result.output


def test_published_before_the_resolution_or_while_open_is_an_error(tmp_path: Path) -> None:
    output = errors(tmp_path, postmortem(published="2026-11-20T15:00:00+01:00"))
    assert (f"{PM_FILE}:2: published_at 2026-11-20T14:00:00Z is before the incident was resolved (5.md, "
            f"2026-11-20T15:30:00Z); check the date and zone") in output
    open_site = {k: v for k, v in UPDATES.items() if not k.endswith("5.md")}
    result = run_build(write_site(tmp_path / "o", {**open_site, PM_FILE: postmortem()}), tmp_path / "o-site", NOW)
    assert f"{PM_FILE}:2: the incident is still open (its latest update, 4.md, is monitoring)" in result.output


def test_unknown_fields_and_a_summary_of_paragraphs(tmp_path: Path) -> None:
    output = errors(tmp_path, postmortem(summary="One.\n\nTwo.").replace("impact:", "impacts:"))
    assert f"{PM_FILE}:4: unknown field 'impacts' (did you mean 'impact'?)" in output
    assert f"{PM_FILE}:2: impact is required" in output
    assert f"{PM_FILE}:3: summary must be one paragraph" in output


# --- check --------------------------------------------------------------------------------------

def check(source: Path, now: str) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--source", str(source), "--now", now, "--format", "json"])
    return json.loads(result.output)


def test_check_warns_about_open_action_items_past_due(tmp_path: Path) -> None:
    findings = check(site_with(tmp_path, postmortem()), NOW)
    assert [(f["level"], f["code"], f["file"], f["line"], f["field"]) for f in findings] == [
        ("warning", "overdue-action-item", PM_FILE, 12, "action_items[1].due")]
    assert findings[0]["message"] == ("action item 'Alert on connection use' (SRE) was due on 2026-11-28, 3 days "
                                      "ago, and is not done: do it, set a new due date, or mark it `done: true`")
    assert check(site_with(tmp_path / "b", postmortem()), "2026-11-28T23:00:00Z") == []


def test_the_local_postmortem_satisfies_the_missing_postmortem_rule(tmp_path: Path) -> None:
    late = "2026-12-20T00:00:00Z"
    without = check(site_with(tmp_path / "a"), late)
    assert [f["code"] for f in without] == ["missing-postmortem"]
    assert "statusgen new postmortem db" in without[0]["message"]
    done = postmortem(items="  - title: Raise the limit\n    owner: SRE\n    due: 2026-11-25\n    done: true\n")
    assert check(site_with(tmp_path / "b", done), late) == []
    future = check(site_with(tmp_path / "c", postmortem(published="2026-12-25T00:00:00Z", items="[]\n")), late)
    assert [(f["code"], f["line"]) for f in future] == [("future-postmortem", 2)]


# --- statusgen new postmortem ------------------------------------------------------------------

def new_postmortem(source: Path, incident_id: str = "db", now: str = "2026-11-22T10:00:00Z"):
    return CliRunner().invoke(main, ["new", "postmortem", incident_id, "--source", str(source), "--now", now])


def test_new_postmortem_is_prefilled_from_the_record(tmp_path: Path) -> None:
    source = site_with(tmp_path)
    result = new_postmortem(source)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"{INCIDENT}/postmortem.md")
    text = (source / PM_FILE).read_text()
    assert "published_at: 2026-11-22T10:00:00Z\n" in text
    assert 'impact: "Checkout was affected for 1 h 30 min, from 20 Nov 2026, 14:00 UTC to 20 Nov 2026, 15:30 UTC."' in text
    assert "cause: config-change\n" in text and "due: 2026-12-22\n" in text
    assert "Database down was a SEV-2 (Major) incident affecting Checkout." in text
    assert "It was detected at 20 Nov 2026, 13:55 UTC, was first posted at" in text
    assert "From detection to resolution took 1 h 35 min." in text
    for section in ("## What happened", "## What went well", "## What we will improve"):
        assert section in text
    # The hints are refused until they are replaced.
    built = build(tmp_path, source)
    assert built.exit_code == 1
    assert f"{PM_FILE}:3: the text still holds the template's placeholder '[One paragraph:" in built.output
    import re
    assert all(re.match(rf"{re.escape(PM_FILE)}:\d+: ", line) for line in built.output.splitlines()[:-1])


def test_new_postmortem_refuses_unknown_open_and_existing(tmp_path: Path) -> None:
    source = site_with(tmp_path, extra={"content/incidents/open/1.md": update(
        "2026-11-21T10:00:00Z", "investigating", "severity: sev3\ntitle: Slow\n", "2026-11-21T11:00:00Z")})
    unknown = new_postmortem(source, "dbb")
    assert unknown.exit_code == 1 and "incident 'dbb' does not exist in content/incidents/ (did you mean 'db'?)" in unknown.output
    still_open = new_postmortem(source, "open")
    assert still_open.exit_code == 1 and "incident 'open' is still open (phase investigating)" in still_open.output
    assert not (source / "content/incidents/open/postmortem.md").exists()
    (source / PM_FILE).write_text("mine")
    existing = new_postmortem(source)
    assert existing.exit_code == 1 and "postmortem.md exists already; edit it (nothing was written)" in existing.output
    assert (source / PM_FILE).read_text() == "mine"


# --- the figures --------------------------------------------------------------------------------

def incident(folder: str, start: str, end: str, severity: str, reporter: str | None) -> dict[str, str]:
    who = f"reported_by: {reporter}\n" if reporter else ""
    return {f"content/incidents/{folder}/1.md": update(start, "investigating", f"severity: {severity}\ntitle: {folder}\n{who}",
                                                       next_update=end),
            f"content/incidents/{folder}/2.md": update(end, "resolved")}


def test_stats_figures_computed_by_hand(tmp_path: Path) -> None:
    """a (Jul, sev1, capacity), b (Aug, sev1, capacity: 31 days after a), c (Nov, sev2, capacity: 92
    days after b, beyond the 90-day window), d (Nov, sev2, deploy), e (Nov, sev3, no postmortem)."""
    files = {}
    files.update(incident("a", "2026-07-01T10:00:00Z", "2026-07-01T11:00:00Z", "sev1", "customer"))
    files.update(incident("b", "2026-08-01T10:00:00Z", "2026-08-01T12:00:00Z", "sev1", "monitoring"))
    files.update(incident("c", "2026-11-01T10:00:00Z", "2026-11-01T10:30:00Z", "sev2", "monitoring"))
    files.update(incident("d", "2026-11-10T10:00:00Z", "2026-11-10T10:30:00Z", "sev2", None))
    files.update(incident("e", "2026-11-12T10:00:00Z", "2026-11-12T10:30:00Z", "sev3", "customer"))
    item = "  - title: T\n    owner: SRE\n    due: {due}\n    done: {done}\n"
    files["content/incidents/a/postmortem.md"] = postmortem("2026-07-03T11:00:00Z", "capacity",
                                                            item.format(due="2026-07-20", done="true"))
    files["content/incidents/b/postmortem.md"] = postmortem("2026-08-02T12:00:00Z", "capacity",
                                                            item.format(due="2026-08-20", done="false")
                                                            + item.format(due="2027-01-01", done="false"))
    files["content/incidents/c/postmortem.md"] = postmortem("2026-11-06T10:30:00Z", "capacity", "[]\n")
    files["content/incidents/d/postmortem.md"] = postmortem("2026-11-10T12:30:00Z", "deploy", "[]\n")
    source = write_site(tmp_path / "src", files)
    result = CliRunner().invoke(main, ["stats", "--source", str(source), "--now", NOW, "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)["postmortems"]
    assert figures["repeats"] == {"window_days": 90, "incidents_with_postmortem": 4, "repeats": 1, "rate": 0.25,
                                  "note": None, "list": [{"incident_id": "b", "earlier_incident_id": "a",
                                                          "cause": "capacity", "apart_seconds": 31 * 86400}]}
    assert [(q["quarter"], q["incidents"], q["monitoring"], q["customer"], q["unknown"])
            for q in figures["reported_by_quarter"]] == [("2026-Q3", 2, 1, 1, 0), ("2026-Q4", 3, 1, 1, 1)]
    assert figures["action_items"][:3] == [
        {"severity": "sev1", "incidents_with_postmortem": 2, "items": 3, "done": 1, "open": 2, "overdue": 1},
        {"severity": "sev2", "incidents_with_postmortem": 2, "items": 0, "done": 0, "open": 0, "overdue": 0},
        {"severity": "sev3", "incidents_with_postmortem": 0, "items": 0, "done": 0, "open": 0, "overdue": 0}]
    delays = {d["severity"]: (d["n"], d["resolved"], d["median_seconds"], d["max_seconds"]) for d in figures["time_to_postmortem"]}
    # sev1: a 2 d (48 h), b 1 d (24 h): median by nearest rank is the lower, 1 d. sev2: c 5 d, d 2 h.
    assert delays == {"sev1": (2, 2, 86400, 172800), "sev2": (2, 2, 7200, 432000), "sev3": (0, 1, None, None),
                      "sev4": (0, 0, None, None)}
    wider = CliRunner().invoke(main, ["stats", "--source", str(source), "--now", NOW, "--format", "json",
                                      "--repeat-window", "100"])
    assert [r["incident_id"] for r in json.loads(wider.output)["postmortems"]["repeats"]["list"]] == ["b", "c"]
    table = CliRunner().invoke(main, ["stats", "--source", str(source), "--now", NOW]).output
    assert "1 of 4 incidents with a postmortem (25%)\n  b: capacity, as a 31 d before" in table
    assert "SEV-3     n/a — none of 1 resolved SEV-3 incidents has a postmortem" in table


def test_the_metrics_page_shows_the_postmortem_figures(tmp_path: Path) -> None:
    source = site_with(tmp_path, postmortem(), config=MINIMAL_CONFIG + "metrics: true\n")
    page = tree(build(tmp_path, source).read("metrics/index.html"))
    assert text_of(page.xpath('//p[@id="repeat-rate"]')[0]).startswith("0 of 1 incidents with a postmortem (0%)")
    rows = {text_of(tr.xpath("./th")[0]): [text_of(td) for td in tr.xpath("./td")]
            for tr in page.xpath('//table[@id="action-items"]/tbody/tr')}
    assert rows["SEV-2"] == ["1", "3", "1", "2", "1"]
    delay = {text_of(tr.xpath("./th")[0]): text_of(tr.xpath("./td")[0])
             for tr in page.xpath('//table[@id="time-to-postmortem"]/tbody/tr')}
    assert delay["SEV-2"] == "2 d 17 h / 2 d 17 h (1 of 1 resolved)"
    quarters = [[text_of(c) for c in tr] for tr in page.xpath('//table[@id="reported-by-quarter"]/tbody/tr')]
    assert quarters == [["2026-Q4", "1", "1 (100%)", "0 (0%)", "0 (0%)", "0 (0%)"]]


def test_check_reports_a_missing_owner_as_an_error_at_its_line(tmp_path: Path) -> None:
    findings = check(site_with(tmp_path, postmortem(items="  - title: Alert earlier\n    due: 2027-01-01\n")), NOW)
    assert [(f["level"], f["code"], f["line"], f["field"]) for f in findings] == [
        ("error", "invalid", 8, "action_items[0].owner")]


def test_postmortem_causes_are_checked_in_statusgen_yml(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + "postmortem_causes: [db, Bad Cause, db]\n"
    result = run_build(site_with(tmp_path, config=config), tmp_path / "site", NOW)
    assert result.exit_code == 1
    assert "statusgen.yml:10: postmortem_causes[1] 'Bad Cause' is not a valid cause" in result.output
    assert "statusgen.yml:10: postmortem_causes[2] 'db' is listed twice" in result.output


def test_the_sites_postmortem_schema_names_its_causes(tmp_path: Path) -> None:
    import jsonschema
    import yaml
    source = site_with(tmp_path, config=MINIMAL_CONFIG + "postmortem_causes: [db, network]\n")
    result = CliRunner().invoke(main, ["schema", "postmortem", "--source", str(source)])
    schema = json.loads(result.output)
    assert schema["properties"]["cause"]["enum"] == ["db", "network"]
    front = yaml.safe_load(postmortem(cause="db").split("---\n")[1])
    front["published_at"] = "2026-11-23T09:00:00Z"
    for item in front["action_items"]:
        item["due"] = str(item["due"])
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(front)
    assert not validator.is_valid({**front, "cause": "capacity"})
    assert not validator.is_valid({**front, "action_items": [{"title": "T", "due": "2027-01-01"}]})
