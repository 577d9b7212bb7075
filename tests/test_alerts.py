"""`statusgen new incident --from-alert`: real payloads of Alertmanager, Grafana, Uptime Kuma, Gatus
and Upptime (tests/fixtures/alerts/, each cited in its README) become an acknowledgement with the
alert's start as detected_at; malformed payloads and unmapped alerts write nothing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import REPO, run_build, write_site
from statusgen.alerts.formats import MAX_PAYLOAD_BYTES, read_payload
from statusgen.alerts.records import parse_time
from statusgen.cli import main
from statusgen.source.schema import schema_for

FIXTURES = REPO / "tests/fixtures/alerts"
NOW = "2026-11-26T07:00:00Z"

CONFIG = """\
title: Test Status
base_url: https://example.test/status/
components:
  - id: api
    name: Public API
  - id: checkout
    name: Checkout
  - id: storage
    name: File storage
alerts:
  severity: sev3
  rules:
    - match: {alertname: DiskRunningFull, instance: example1}
      components: [storage]
      severity: sev2
    - match: {alertname: DiskRunningFull}
      components: [storage, api]
      status: degraded_performance
    - match: {alertname: High memory usage}
      components: [api]
      title: Slow responses from the API
    - match: {alertname: High CPU usage}
      components: [api]
      status: major_outage
    - monitor: CHECKOUT
      components: [checkout]
    - monitor: endpoint-name
      components: [api]
      severity: P1
"""
RULE_LINES = {"DiskRunningFull/example1": 13, "DiskRunningFull": 16, "High memory usage": 19,
              "High CPU usage": 22, "checkout": 25, "endpoint-name": 27}


def site(tmp_path: Path, config: str = CONFIG) -> Path:
    return write_site(tmp_path / "site", {}, config)


def draft(source: Path, payload: Path | str, *extra: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["new", "incident", "--from-alert", str(payload), "--source", str(source),
                                     "--now", now, *extra], catch_exceptions=False)


def front_matter(path: Path) -> tuple[dict, str, str]:
    """(the front matter, its raw text, the body) of an update file."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), head, body


def written(source: Path) -> list[Path]:
    return sorted((source / "content/incidents").glob("*/*.md")) if (source / "content").exists() else []


# --- each source's payload → the expected draft ---------------------------------------------------

DRAFTS = [
    # fixture, incident id, detected_at, components, severity, title, rule lines named
    ("alertmanager/firing-group.json", "2026-11-26-api-storage", "2026-11-26T06:58:03Z",
     {"api": "degraded_performance", "storage": "partial_outage"}, "sev2",
     "Issue affecting Public API and File storage", [13, 13, 16, 16]),
    ("grafana/firing-two-alerts.json", "2021-10-12-api", "2021-10-12T07:51:03Z",
     {"api": "major_outage"}, "sev3", "Slow responses from the API", [19, 22]),
    ("uptime-kuma/down.json", "2026-11-26-checkout", "2026-11-26T06:58:00Z",
     {"checkout": "partial_outage"}, "sev3", "Issue affecting Checkout", [25]),
    ("gatus/triggered.json", "2026-11-26-api", NOW, {"api": "partial_outage"}, "sev1",
     "Issue affecting Public API", [27]),
    ("upptime/issue-down.json", "2026-11-26-checkout", "2026-11-26T06:58:41Z",
     {"checkout": "partial_outage"}, "sev3", "Issue affecting Checkout", [25]),
    ("upptime/issue-degraded.json", "2026-11-26-checkout", "2026-11-26T06:58:41Z",
     {"checkout": "degraded_performance"}, "sev3", "Issue affecting Checkout", [25]),
    ("upptime/issue-body.md", "2026-11-26-checkout", NOW, {"checkout": "partial_outage"}, "sev3",
     "Issue affecting Checkout", [25]),
]


@pytest.mark.parametrize("fixture, incident, detected, components, severity, title, lines", DRAFTS,
                         ids=[d[0] for d in DRAFTS])
def test_each_payload_drafts_an_acknowledgement(tmp_path: Path, fixture: str, incident: str, detected: str,
                                                components: dict, severity: str, title: str, lines: list) -> None:
    source = site(tmp_path)
    result = draft(source, FIXTURES / fixture)
    assert result.exit_code == 0, result.output
    (path,) = written(source)
    assert result.stdout.strip() == str(path)
    assert path == source / f"content/incidents/{incident}/2026-11-26T070000Z.md"
    fields, head, body = front_matter(path)
    assert fields["phase"] == "investigating" and fields["at"].isoformat() == "2026-11-26T07:00:00+00:00"
    assert fields["detected_at"].strftime("%Y-%m-%dT%H:%M:%SZ") == detected
    assert fields["reported_by"] == "monitoring"
    assert fields["components"] == components
    assert fields["severity"] == severity and fields["title"] == title
    # The reviewer sees which alert matched which rule; comments are never published.
    assert [int(n) for n in re.findall(r"-> rule at statusgen\.yml:(\d+)", head)] == lines
    # The body is the acknowledgement template's, hint included.
    names = {"api": "Public API", "checkout": "Checkout", "storage": "File storage"}
    affected = " and ".join(names[c] for c in components)
    assert body.startswith(f"We're investigating an issue affecting {affected}. [Describe what customers may see")
    assert re.search(r"Next update by \d\d:\d\d UTC\.\n$", body)


def test_the_draft_builds_once_a_person_replaces_the_hint(tmp_path: Path) -> None:
    source = site(tmp_path)
    assert draft(source, FIXTURES / "alertmanager/firing-group.json").exit_code == 0
    (path,) = written(source)
    check = CliRunner().invoke(main, ["check", "--source", str(source), "--now", NOW])
    assert check.exit_code == 1 and "placeholder '[Describe what customers may see" in check.stdout
    assert run_build(source, tmp_path / "out", NOW).exit_code == 1
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\[Describe[^\]]*\]", "Uploads may fail.", text), encoding="utf-8")
    check = CliRunner().invoke(main, ["check", "--source", str(source), "--now", NOW])
    assert check.exit_code == 0, check.output
    built = run_build(source, tmp_path / "out", NOW)
    assert built.exit_code == 0, built.output
    page = built.read("incidents/2026-11-26-api-storage/index.html")
    assert "Uploads may fail." in page and "DiskRunningFull" not in page  # the alert's names stay internal
    stats = CliRunner().invoke(main, ["stats", "--source", str(source), "--now", NOW, "--format", "json"])
    assert stats.exit_code == 0 and "monitoring" in stats.stdout


def test_options_override_what_the_alert_says(tmp_path: Path) -> None:
    source = site(tmp_path)
    result = draft(source, FIXTURES / "uptime-kuma/down.json", "my-incident", "--title", "Checkout down",
                   "--severity", "SEV-1", "--component", "api=degraded_performance")
    assert result.exit_code == 0, result.output
    fields, _, _ = front_matter(source / "content/incidents/my-incident/2026-11-26T070000Z.md")
    assert (fields["title"], fields["severity"]) == ("Checkout down", "sev1")
    assert fields["components"] == {"checkout": "partial_outage", "api": "degraded_performance"}


@pytest.mark.parametrize("fixture", sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*")
                                           if p.parent.name != "malformed" and p.suffix in (".json", ".md")))
def test_auto_detection_finds_each_fixtures_format(fixture: str) -> None:
    data = (FIXTURES / fixture).read_bytes()
    name, alerts, problems = read_payload(data, fixture)
    assert problems == [] and name == fixture.split("/")[0]
    assert read_payload(data, fixture, name)[1] == alerts  # the same when the format is given


# --- payloads that call for no draft ----------------------------------------------------------------

@pytest.mark.parametrize("fixture, says", [
    ("alertmanager/resolved.json", "no alert in it is firing (resolved, or a monitor pending or in maintenance)"),
    ("uptime-kuma/up.json", "no alert in it is firing"),
    ("gatus/resolved.json", "no alert in it is firing"),
    ("uptime-kuma/test-notification.json", "it holds no alert (a test notification?)"),
])
def test_resolved_or_test_payloads_write_nothing(tmp_path: Path, fixture: str, says: str) -> None:
    source = site(tmp_path)
    result = draft(source, FIXTURES / fixture)
    assert result.exit_code == 0 and result.stdout == ""
    assert f"Nothing to draft from {FIXTURES / fixture}: {says}" in result.stderr
    assert written(source) == []


def test_a_repeated_alert_drafts_nothing_while_its_incident_is_open(tmp_path: Path) -> None:
    source = site(tmp_path)
    assert draft(source, FIXTURES / "uptime-kuma/down.json").exit_code == 0
    again = draft(source, FIXTURES / "upptime/issue-down.json", now="2026-11-26T07:10:00Z")
    assert again.exit_code == 0 and again.stdout == ""
    assert "incident '2026-11-26-checkout' about the same components is still open" in again.stderr
    (first,) = written(source)
    first.write_text(first.read_text().replace("[Describe", "Describe").replace("helps.]", "helps."))
    resolve = CliRunner().invoke(main, ["new", "update", "2026-11-26-checkout", "--phase", "resolved",
                                        "--source", str(source), "--now", "2026-11-26T07:20:00Z"])
    assert resolve.exit_code == 0, resolve.output
    later = draft(source, FIXTURES / "uptime-kuma/down.json", now="2026-11-26T09:00:00Z")
    assert later.exit_code == 0 and "content/incidents/2026-11-26-checkout-2/" in later.stdout


# --- unmapped alerts --------------------------------------------------------------------------------

def test_an_alert_no_rule_matches_writes_nothing_and_says_which_rule_to_add(tmp_path: Path) -> None:
    source = site(tmp_path, CONFIG.split("  rules:\n")[0] + "  rules:\n    - monitor: Something else\n"
                                                               "      components: [api]\n")
    result = draft(source, FIXTURES / "grafana/firing-two-alerts.json")
    assert result.exit_code == 1 and written(source) == []
    lines = result.stderr.splitlines()
    assert lines[0] == (f"Error: {FIXTURES}/grafana/firing-two-alerts.json: alert High memory usage "
                        f"{{team=blue, zone=us-1}} since 2021-10-12T07:51:03Z (alerts[0]) matches no rule in "
                        f"statusgen.yml alerts.rules")
    assert "(alerts[1])" in lines[1]
    assert lines[2] == ("Error: nothing was written; add a rule such as "
                        "`- {match: {alertname: 'High memory usage'}, components: [...]}`")
    monitor = draft(source, FIXTURES / "uptime-kuma/down.json")
    assert monitor.exit_code == 1 and "`- {monitor: 'Checkout', components: [...]}`" in monitor.stderr


def test_alerts_no_rule_matches_are_left_out_of_a_draft_with_a_warning(tmp_path: Path) -> None:
    source = site(tmp_path, CONFIG.replace("    - match: {alertname: High CPU usage}\n      components: [api]\n"
                                           "      status: major_outage\n", ""))
    result = draft(source, FIXTURES / "grafana/firing-two-alerts.json")
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.stderr and "alert High CPU usage {team=blue, zone=eu-1}" in result.stderr
    fields, head, _ = front_matter(written(source)[0])
    assert fields["components"] == {"api": "partial_outage"}
    assert "# alert High CPU usage {team=blue, zone=eu-1} since 2021-10-12T07:56:03Z matched no rule" in head


def test_a_site_without_an_alerts_table_is_told_to_add_one(tmp_path: Path) -> None:
    source = site(tmp_path, CONFIG.split("alerts:\n")[0])
    result = draft(source, FIXTURES / "uptime-kuma/down.json")
    assert result.exit_code == 1 and written(source) == []
    assert "statusgen.yml has no alerts: table" in result.stderr


# --- malformed payloads -------------------------------------------------------------------------------

MALFORMED = [
    ("not-json.json", "is not valid JSON (Expecting value at line 2, column 1)"),
    ("not-utf8.json", "is not UTF-8 text (byte 0xff at offset 54)"),
    ("array.json", "is not a payload statusgen recognises: an array"),
    ("unknown-shape.json", "is not a payload statusgen recognises: an object with event, service; give "
                           "--alert-format"),
    ("alerts-not-a-list.json", "alerts must be a JSON array, not an object"),
    ("missing-startsat.json", "alerts[0].startsAt is missing"),
    ("bad-startsat.json", "alerts[0].startsAt 'yesterday' is not a time like 2026-11-26T06:58:00Z"),
    ("label-not-text.json", "alerts[0].labels.service must be a JSON string, not a number"),
    ("wrong-version.json", "version '3' is not '4', the webhook payload version of alertmanager"),
    ("kuma-status-text.json", "heartbeat.status 'down' is not one of 0 (down), 1 (up), 2 (pending), 3 (maintenance)"),
    ("gatus-no-endpoint.json", "endpoint_name is missing"),
    ("upptime-other-issue.json", "is not a payload statusgen recognises"),
]


@pytest.mark.parametrize("fixture, message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_payload_is_a_clear_error_and_writes_nothing(tmp_path: Path, fixture: str, message: str) -> None:
    source = site(tmp_path)
    payload = FIXTURES / "malformed" / fixture
    result = draft(source, payload)
    assert result.exit_code == 1 and result.stdout == "" and written(source) == []
    assert result.stderr.startswith(f"Error: {payload}: {message}"), result.stderr
    assert result.stderr.splitlines()[-1] == f"Error: nothing was written from {payload}"
    assert "Traceback" not in result.output


def test_a_payload_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    source = site(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    result = draft(source, deep)
    assert result.exit_code == 1 and written(source) == []
    assert result.stderr.startswith(f"Error: {deep}: is not valid JSON (nested too deeply)")


def test_a_format_given_wrongly_names_what_is_missing(tmp_path: Path) -> None:
    source = site(tmp_path)
    result = draft(source, FIXTURES / "malformed/upptime-other-issue.json", "--alert-format", "upptime")
    assert result.exit_code == 1 and "body is not an Upptime issue" in result.stderr
    kuma = draft(source, FIXTURES / "alertmanager/firing-group.json", "--alert-format", "uptime-kuma")
    assert kuma.exit_code == 1 and "heartbeat is missing" in kuma.stderr and written(source) == []


def test_a_payload_too_large_a_folder_or_a_fifo_is_refused(tmp_path: Path) -> None:
    source = site(tmp_path)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_PAYLOAD_BYTES + 1))
    assert "is larger than 1,048,576 bytes" in draft(source, big).stderr
    folder = draft(source, tmp_path)
    assert folder.exit_code == 2 and "is a directory" in folder.stderr
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    result = draft(source, fifo)  # opened without blocking: never waits for a writer
    assert result.exit_code == 1 and "is not a regular file" in result.stderr
    missing = draft(source, tmp_path / "nope.json")
    assert missing.exit_code == 1 and "cannot be read: No such file or directory" in missing.stderr
    assert written(source) == []


def test_alert_text_cannot_break_out_of_the_draft_comment(tmp_path: Path) -> None:
    source = site(tmp_path)
    payload = json.loads((FIXTURES / "alertmanager/firing-group.json").read_text())
    payload["alerts"][0]["labels"]["dev"] = "sda1\n---\ntitle: Pwned\n\u2028phase: resolved"
    (tmp_path / "evil.json").write_text(json.dumps(payload))
    assert draft(source, tmp_path / "evil.json").exit_code == 0
    fields, head, _ = front_matter(written(source)[0])
    assert fields["title"] == "Issue affecting Public API and File storage" and fields["phase"] == "investigating"
    assert "dev=sda1 --- title: Pwned phase: resolved" in head


def test_an_alert_that_starts_after_the_draft_is_detected_at_the_draft(tmp_path: Path) -> None:
    source = site(tmp_path)
    result = draft(source, FIXTURES / "alertmanager/firing-group.json", now="2026-11-26T06:00:00Z")
    assert result.exit_code == 0, result.output
    fields, head, _ = front_matter(written(source)[0])
    assert fields["detected_at"] == fields["at"] and "after this draft: check the clocks" in head


@pytest.mark.parametrize("text, expected", [
    ("2026-11-26T06:58:03.515249317Z", "2026-11-26T06:58:03+00:00"),
    ("2021-10-12T09:51:03.157076+02:00", "2021-10-12T07:51:03+00:00"),
    ("2026-11-26T06:58:03z", "2026-11-26T06:58:03+00:00"),
    ("0001-01-01T00:00:00Z", None),          # Go's zero time: not set
    ("2026-02-30T06:58:03Z", None),
    ("2026-11-26T06:58:03", None),           # no zone
    ("yesterday", None),
])
def test_rfc3339_times(text: str, expected: str | None) -> None:
    moment = parse_time(text)
    assert (moment.isoformat() if moment else None) == expected


# --- the alerts: table in statusgen.yml ----------------------------------------------------------------

def test_mistakes_in_the_alerts_table_are_reported_with_their_lines(tmp_path: Path) -> None:
    config = CONFIG.split("alerts:\n")[0] + """\
alerts:
  severity: sev5
  rules:
    - match: {alertname: HighErrorRate}
      components: [apii]
    - monitor: Checkout
      match: {alertname: X}
      components: [checkout]
      status: operational
    - components: []
    - just text
"""
    source = site(tmp_path, config)
    result = CliRunner().invoke(main, ["check", "--source", str(source), "--now", NOW])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "statusgen.yml:11: error: alerts.severity 'sev5' is not one of sev1, sev2, sev3, sev4",
        "statusgen.yml:14: error: alerts.rules[0].components[0] 'apii' is not a component defined in "
        "statusgen.yml (did you mean 'api'?); known: api, checkout, storage",
        "statusgen.yml:15: error: alerts.rules[1] needs exactly one of match (labels of an Alertmanager or "
        "Grafana alert, like match: {alertname: HighErrorRate}) and monitor (the name of an Uptime Kuma monitor, "
        "a Gatus endpoint or an Upptime site)",
        "statusgen.yml:18: error: alerts.rules[1].status 'operational' is not one of degraded_performance, "
        "partial_outage, major_outage",
        "statusgen.yml:19: error: alerts.rules[2] needs exactly one of match (labels of an Alertmanager or "
        "Grafana alert, like match: {alertname: HighErrorRate}) and monitor (the name of an Uptime Kuma monitor, "
        "a Gatus endpoint or an Upptime site)",
        "statusgen.yml:19: error: alerts.rules[2].components must name at least one component",
        "statusgen.yml:20: error: alerts.rules[3] must be a mapping with match (or monitor) and components",
        "7 errors.",
    ]
    # The draft refuses to start from a broken table too.
    assert draft(source, FIXTURES / "uptime-kuma/down.json").exit_code == 1 and written(source) == []


def test_the_config_schema_describes_the_alerts_table() -> None:
    schema = schema_for("config")
    good = yaml.safe_load(CONFIG)
    jsonschema.validate(good, schema)
    for bad in ({"rules": [{"match": {"alertname": "X"}}]},                          # no components
                {"rules": [{"monitor": "X", "components": ["api"], "severity": "sev5"}]},
                {"rules": [{"monitor": "X", "components": ["api"], "colour": "red"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, "alerts": bad}, schema)
    label_rule = {"rules": [{"match": {"service_name": "api", "__name__": "up"}, "components": ["api"]}]}
    jsonschema.validate({**good, "alerts": label_rule}, schema)  # label names are not component ids


def test_the_readme_example_is_what_statusgen_writes(tmp_path: Path) -> None:
    """The README's draft, from its own alerts: table, on the alert it describes."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## From an alert to a draft update"):readme.index("### Why a pull request")]
    table = re.search(r"### The alerts: table\n\n```yaml\n(.*?)```", section, re.S).group(1)
    shown = re.search(r"```\n\$ statusgen new incident --from-alert alert.json --now (\S+)\n(\S+)\n\$ cat \S+\n(.*?)```",
                      section, re.S)
    config = ("title: Acme Status\nbase_url: https://acme.github.io/status/\ncomponents:\n  - id: api\n"
              "    name: Public API\n  - id: checkout\n    name: Checkout\n" + table)
    source = site(tmp_path, config)
    alert = {"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": "HighErrorRate", "service": "api", "severity": "critical"},
         "startsAt": "2026-11-26T06:58:03.515249317Z", "endsAt": "0001-01-01T00:00:00Z"}]}
    (tmp_path / "alert.json").write_text(json.dumps(alert))
    result = draft(source, tmp_path / "alert.json", now=shown.group(1))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(source / shown.group(2))
    assert (source / shown.group(2)).read_text(encoding="utf-8") == shown.group(3)


@pytest.mark.parametrize("status", [2, 3])  # pending (retrying), maintenance
def test_an_uptime_kuma_monitor_pending_or_in_maintenance_drafts_nothing(tmp_path: Path, status: int) -> None:
    source = site(tmp_path)
    payload = json.loads((FIXTURES / "uptime-kuma/down.json").read_text())
    payload["heartbeat"]["status"] = status
    (tmp_path / "kuma.json").write_text(json.dumps(payload))
    result = draft(source, tmp_path / "kuma.json")
    assert result.exit_code == 0 and "no alert in it is firing" in result.stderr and written(source) == []


def test_the_example_site_drafts_from_an_alert(example_source: Path, tmp_path: Path) -> None:
    """The shipped example's alerts: table, on Uptime Kuma's alert about the monitor Checkout."""
    result = draft(example_source, FIXTURES / "uptime-kuma/down.json")
    assert result.exit_code == 0, result.output
    path = example_source / "content/incidents/2026-11-26-checkout-card-processing/2026-11-26T070000Z.md"
    assert result.stdout.strip() == str(path)
    fields, _, body = front_matter(path)
    assert fields["components"] == {"checkout": "partial_outage", "card-processing": "partial_outage"}
    assert fields["severity"] == "sev2" and fields["reported_by"] == "monitoring"
    assert body.startswith("We're investigating an issue affecting Checkout and Card processing. [Describe")
    path.write_text(path.read_text(encoding="utf-8").replace(
        re.search(r"\[Describe[^\]]*\]", body).group(0), "Some payments fail at checkout."), encoding="utf-8")
    check = CliRunner().invoke(main, ["check", "--source", str(example_source), "--now", NOW])
    assert check.exit_code == 0, check.output
    built = run_build(example_source, tmp_path / "out", NOW)
    assert built.exit_code == 0, built.output
    assert "Some payments fail at checkout." in built.read("incidents/2026-11-26-checkout-card-processing/index.html")
