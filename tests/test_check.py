"""`statusgen check`: the build's validation plus the communication rules, in three formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_NOW, REPO, write_site
from statusgen.cli import main

INCIDENT = "content/incidents/db"


def check(source: Path, *args: str, now: str = "2026-11-20T16:00:00Z"):
    return CliRunner().invoke(main, ["check", "--source", str(source), "--now", now, *args],
                              catch_exceptions=False)


def update(at: str, phase: str, next_update: str | None = None, extra: str = "") -> str:
    lines = ["---", f"at: {at}", f"phase: {phase}"]
    if next_update:
        lines.append(f"next_update: {next_update}")
    lines += [extra.strip()] if extra.strip() else []
    return "\n".join(lines + ["---", "Text.", ""])


FIRST = update("2026-11-20T14:00:00Z", "investigating", "2026-11-20T14:30:00Z",
               "severity: sev2\ntitle: Database slow\ncomponents:\n  api: degraded_performance")


def test_example_site_is_clean() -> None:
    result = check(REPO, now=EXAMPLE_NOW)
    assert result.exit_code == 0
    assert result.output == "No problems found.\n"


def test_overdue_promise_warns_and_fails_only_when_strict() -> None:
    result = check(REPO, now="2026-11-26T07:45:00Z")
    line = ("content/incidents/2026-11-26-webhook-delivery-delays/2026-11-26T0631Z.md:6: warning: "
            "next_update 2026-11-26T07:30:00Z passed 15 min ago and the incident is still open: post an update now")
    assert result.output.splitlines() == [line, "1 warning."]
    assert result.exit_code == 0
    assert check(REPO, "--strict", now="2026-11-26T07:45:00Z").exit_code == 1


def test_broken_promise_says_by_how_long(tmp_path: Path) -> None:
    source = write_site(tmp_path, {
        f"{INCIDENT}/1.md": FIRST,
        f"{INCIDENT}/2.md": update("2026-11-20T14:42:00Z", "identified", "2026-11-20T15:30:00Z"),
    })
    result = check(source, now="2026-11-20T14:50:00Z")
    assert result.output.splitlines() == [
        f"{INCIDENT}/2.md:2: warning: this update came 12 min after the time promised in 1.md "
        f"(2026-11-20T14:30:00Z); customers noticed the silence",
        "1 warning.",
    ]


def test_cadence_longer_than_severity_target(tmp_path: Path) -> None:
    source = write_site(tmp_path, {f"{INCIDENT}/1.md": FIRST.replace("14:30:00Z", "16:30:00Z")})
    result = check(source, now="2026-11-20T14:10:00Z")
    assert f"{INCIDENT}/1.md:4: warning: next update promised 2 h 30 min after this one; SEV-2 incidents " \
           f"should be updated at least every 1 h (cadence.sev2 in statusgen.yml)" in result.output


def test_cadence_is_configurable(tmp_path: Path) -> None:
    from conftest import MINIMAL_CONFIG
    source = write_site(tmp_path, {f"{INCIDENT}/1.md": FIRST.replace("14:30:00Z", "16:30:00Z")},
                        config=MINIMAL_CONFIG + "cadence:\n  sev2: 180\n")
    assert check(source, now="2026-11-20T14:10:00Z").output == "No problems found.\n"


@pytest.mark.parametrize("now, expected", [
    ("2026-11-23T00:00:00Z", []),
    ("2026-11-26T15:00:00Z", [
        f"{INCIDENT}/2.md:3: warning: SEV-2 incident resolved 6 days ago has no postmortem; write one with "
        f"`statusgen new postmortem {INCIDENT.rsplit('/', 1)[-1]}` or link one with `postmortem:` (due after 5 days)"]),
])
def test_missing_postmortem_after_due_days(tmp_path: Path, now: str, expected: list[str]) -> None:
    source = write_site(tmp_path, {
        f"{INCIDENT}/1.md": FIRST,
        f"{INCIDENT}/2.md": update("2026-11-20T14:25:00Z", "resolved"),
    })
    assert check(source, now=now).output.splitlines()[:-1] == expected


def test_reopened_incident_warns(tmp_path: Path) -> None:
    source = write_site(tmp_path, {
        f"{INCIDENT}/1.md": FIRST,
        f"{INCIDENT}/2.md": update("2026-11-20T14:25:00Z", "resolved"),
        f"{INCIDENT}/3.md": update("2026-11-20T15:30:00Z", "investigating", "2026-11-20T16:30:00Z"),
    })
    result = check(source, "--format", "json")
    findings = json.loads(result.output)
    assert [(f["level"], f["code"], f["file"], f["line"]) for f in findings] == [
        ("warning", "reopened", f"{INCIDENT}/3.md", 3)]
    assert findings[0]["message"] == (
        "phase investigating reopens the incident resolved in 2.md (2026-11-20T14:25:00Z), which "
        "customers saw as resolved for 1 h 05 min; say in this update why it is open again, or, if "
        "it is a new problem, make it a new incident")
    assert check(source, "--strict").exit_code == 1


def test_postmortem_link_satisfies_the_rule(tmp_path: Path) -> None:
    source = write_site(tmp_path, {
        f"{INCIDENT}/1.md": FIRST,
        f"{INCIDENT}/2.md": update("2026-11-20T14:25:00Z", "resolved", extra="postmortem: /postmortems/db.html"),
    })
    assert check(source, now="2026-12-20T00:00:00Z").output == "No problems found.\n"


def test_quick_resolve_is_a_note_that_never_fails(tmp_path: Path) -> None:
    source = write_site(tmp_path, {
        f"{INCIDENT}/1.md": FIRST.replace("sev2", "sev3"),
        f"{INCIDENT}/2.md": update("2026-11-20T14:04:00Z", "resolved"),
    })
    result = check(source, "--strict", now="2026-11-20T14:10:00Z")
    assert result.output.splitlines() == [
        f"{INCIDENT}/2.md:3: notice: went from investigating straight to resolved in 4 min; if this was "
        f"a false alarm, say so in the update, and check that the times are right",
        "1 note.",
    ]
    assert result.exit_code == 0


def test_update_in_the_future_warns(tmp_path: Path) -> None:
    source = write_site(tmp_path, {f"{INCIDENT}/1.md": FIRST.replace("2026-11-20T14:00:00Z", "2027-11-20T14:00:00Z")
                                   .replace("2026-11-20T14:30:00Z", "2027-11-20T14:30:00Z")})
    result = check(source, now="2026-11-20T14:10:00Z")
    assert f"{INCIDENT}/1.md:2: warning: at 2027-11-20T14:00:00Z is 364 days 23 h in the future; it is already shown as published" in result.output


def test_errors_exit_1_and_nothing_is_written(tmp_path: Path) -> None:
    source = write_site(tmp_path, {f"{INCIDENT}/1.md": FIRST.replace("sev2", "sev5")})
    result = check(source)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{INCIDENT}/1.md:5: error: severity 'sev5' is not one of sev1, sev2, sev3, sev4", "1 error."]
    assert not (source / "site").exists()


def test_github_annotations_name_files_from_the_repository_root(tmp_path: Path, monkeypatch) -> None:
    source = write_site(tmp_path / "status", {
        f"{INCIDENT}/1.md": FIRST.replace("sev2", "sev5"),
        f"{INCIDENT}/2.md": update("2026-11-20T14:42:00Z", "identified", "2026-11-20T15:30:00Z"),
    })
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--source", "status", "--format", "github", "--now",
                                       "2026-11-20T14:50:00Z"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"::error file=status/{INCIDENT}/1.md,line=5,title=statusgen invalid::"
        f"severity 'sev5' is not one of sev1, sev2, sev3, sev4",
        "1 error.",
    ]


def test_github_format_escapes_properties_and_data() -> None:
    from statusgen.commands.check import Finding, format_github
    from statusgen.problems import Problem

    finding = Finding("warning", "x", Problem("a,b:c.md", 3, None, "100% sure\rsecond line"))
    # A problem's message is one line: its line break is written as Python writes it (problems.py).
    assert format_github([finding], "").splitlines()[0] == \
        "::warning file=a%2Cb%3Ac.md,line=3,title=statusgen x::100%25 sure\\rsecond line"


def test_json_format(tmp_path: Path) -> None:
    source = write_site(tmp_path, {
        f"{INCIDENT}/1.md": FIRST,
        f"{INCIDENT}/2.md": update("2026-11-20T14:42:00Z", "identified", "2026-11-20T15:30:00Z"),
    })
    result = check(source, "--format", "json", now="2026-11-20T14:50:00Z")
    assert json.loads(result.output) == [{
        "level": "warning", "code": "broken-promise", "file": f"{INCIDENT}/2.md", "line": 2, "field": "at",
        "message": "this update came 12 min after the time promised in 1.md (2026-11-20T14:30:00Z); "
                   "customers noticed the silence"}]
