"""`statusgen init` and `statusgen new`: every file they write builds, and mistakes are explained."""

from __future__ import annotations

import json
import re
import shlex
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import MINIMAL_CONFIG, REPO, BuildResult, run_build, write_site
from sitecheck import text_of, tree
from statusgen.commands import init as scaffolding, new as authoring
from statusgen.cli import main
from statusgen.source.spec import DEFAULT_CADENCE_MINUTES
from statusgen.wording import yaml_quote

NOW = "2026-11-26T07:31:05Z"
LATER = "2026-11-26T08:00:00Z"
INCIDENT = "2026-11-26-checkout-errors"
FOLDER = f"content/incidents/{INCIDENT}"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def new(source: Path, *args: str, now: str | None = NOW) -> Result:
    command = ["new", *args, "--source", str(source)]
    return run(*command, *(["--now", now] if now else []))


def start_incident(source: Path, *extra: str, now: str = NOW, severity: str = "sev2") -> Path:
    result = new(source, "incident", INCIDENT, "--title", "Checkout errors", "--severity", severity,
                 "--component", "checkout=partial_outage", *extra, now=now)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def fill_in(source: Path) -> None:
    """Replace the templates' [bracketed] hints in every update, as an author does before publishing
    (the build refuses an update that still holds one)."""
    for path in (source / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        head, fence, rest = text.partition("\n---\n")
        path.write_text(head + fence + re.sub(r"\[[^\[\]]+\](?!\()", "Filled in.", rest), encoding="utf-8")


def built(source: Path, tmp_path: Path, now: str = LATER) -> BuildResult:
    fill_in(source)
    result = run_build(source, tmp_path / "out", now)
    assert result.exit_code == 0, result.output
    return result


def page_text(result: BuildResult, path: str) -> str:
    return text_of(tree(result.read(path)))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_site(tmp_path / "src", {})


# --- statusgen new incident --------------------------------------------------------------------

def test_new_incident_writes_an_acknowledgement_that_builds(source: Path, tmp_path: Path) -> None:
    result = new(source, "incident", INCIDENT, "--title", "Checkout errors", "--severity", "sev2",
                 "--component", "checkout=partial_outage")
    assert result.exit_code == 0, result.output
    path = source / FOLDER / "2026-11-26T073105Z.md"
    assert result.stdout == f"{path}\n"
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "at: 2026-11-26T07:31:05Z\n"
        "phase: investigating\n"
        "severity: sev2\n"
        'title: "Checkout errors"\n'
        "components:\n"
        "  checkout: partial_outage\n"
        "next_update: 2026-11-26T08:31:05Z\n"
        "---\n"
        "We're investigating an issue affecting Checkout. [Describe what customers may see, in plain\n"
        "words: the symptom, not the cause. Say what still works if that helps.]\n"
        "\n"
        "Next update by 08:31 UTC.\n"
    )
    site = built(source, tmp_path, now=NOW)
    page = page_text(site, f"incidents/{INCIDENT}/index.html")
    assert "Checkout errors" in page and "We're investigating an issue affecting Checkout." in page
    assert "Partial outage" in page_text(site, "index.html")


def test_path_is_printed_relative_to_the_source_given(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(source)
    result = run("new", "incident", INCIDENT, "--title", "T", "--severity", "sev3", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{FOLDER}/2026-11-26T073105Z.md\n"


@pytest.mark.parametrize("spelling", ["sev1", "SEV-1", "sev-1", "P1", "p1", "Sev 1"])
def test_severity_accepts_the_builds_aliases(source: Path, spelling: str) -> None:
    path = start_incident(source, severity=spelling)
    fields = front_matter(path)
    assert fields["severity"] == "sev1"
    assert fields["next_update"] - fields["at"] == timedelta(minutes=DEFAULT_CADENCE_MINUTES["sev1"])


def test_next_update_follows_the_sites_cadence(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {}, config=MINIMAL_CONFIG + "cadence:\n  sev2: 45\n")
    path = start_incident(source)
    assert front_matter(path)["next_update"] == datetime(2026, 11, 26, 8, 16, 5, tzinfo=timezone.utc)
    assert body(path).endswith("Next update by 08:16 UTC.\n")


def test_promise_on_another_day_names_the_date(source: Path) -> None:
    path = start_incident(source, severity="sev4")
    assert body(path).endswith("Next update by 07:31 UTC on 27 November 2026.\n")


NEW_YORK = MINIMAL_CONFIG + "timezone: America/New_York\n"


def test_promise_is_written_in_the_sites_zone_as_the_card_shows_it(tmp_path: Path) -> None:
    """One promise, one clock: the body says what the card says ("14:59 EST", not "19:59 UTC")."""
    source = write_site(tmp_path / "src", {}, config=NEW_YORK)
    path = start_incident(source, now="2026-11-26T18:59:00Z")
    assert front_matter(path)["next_update"] == datetime(2026, 11, 26, 19, 59, tzinfo=timezone.utc)
    assert body(path).endswith("Next update by 14:59 EST.\n")
    site = built(source, tmp_path, now="2026-11-26T19:00:00Z")
    (promise,) = tree(site.read("index.html")).xpath('//p[contains(@class, "promise")]')
    assert text_of(promise).endswith("14:59 EST")


def test_promise_on_another_day_in_the_sites_zone_names_that_date(tmp_path: Path) -> None:
    # 04:30 UTC on the 27th is 23:30 on the 26th in New York; the promise, an hour later, is the 27th there.
    source = write_site(tmp_path / "src", {}, config=NEW_YORK)
    path = start_incident(source, now="2026-11-27T04:30:00Z")
    assert body(path).endswith("Next update by 00:30 EST on 27 November 2026.\n")
    same_day = start_incident(write_site(tmp_path / "other", {}, config=NEW_YORK), now="2026-11-27T03:30:00Z")
    assert body(same_day).endswith("Next update by 23:30 EST.\n")  # 04:30 UTC is still the 26th there


def test_maintenance_window_is_written_in_the_sites_zone(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {}, config=NEW_YORK)
    result = new(source, "maintenance", "db", "--title", "DB", "--start", "2026-12-03T07:00:00Z",
                 "--end", "2026-12-03T09:00:00Z", "--component", "api")
    assert result.exit_code == 0, result.output
    assert "on 3 December 2026 from 02:00 to 04:00 EST." in body(Path(result.stdout.strip())).replace("\n", " ")
    # A window across the end of summer time names each clock's zone.
    berlin = write_site(tmp_path / "berlin", {}, config=MINIMAL_CONFIG + "timezone: Europe/Berlin\n")
    result = new(berlin, "maintenance", "db", "--title", "DB", "--start", "2026-10-25T00:30:00Z",
                 "--end", "2026-10-25T01:30:00Z", "--component", "api", now="2026-10-20T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert "on 25 October 2026 from 02:30 CEST to 02:30 CET." in body(Path(result.stdout.strip())).replace("\n", " ")


def test_several_components_and_none(source: Path, tmp_path: Path) -> None:
    two = new(source, "incident", "two", "--title", "T", "--severity", "sev3",
              "--component", "api=degraded_performance", "--component", "checkout=major_outage")
    assert two.exit_code == 0, two.output
    path = Path(two.stdout.strip())
    assert front_matter(path)["components"] == {"api": "degraded_performance", "checkout": "major_outage"}
    assert "affecting API and Checkout." in body(path)
    none = new(source, "incident", "none", "--title", "T", "--severity", "sev4")
    assert none.exit_code == 0, none.output
    assert "components" not in front_matter(Path(none.stdout.strip()))
    built(source, tmp_path)


def test_default_time_is_the_real_time_to_the_second(source: Path) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    path = start_incident(source, now="")  # no --now
    at = front_matter(path)["at"]
    assert before <= at <= datetime.now(timezone.utc) and at.microsecond == 0


# --- quoting -----------------------------------------------------------------------------------

HOSTILE_TITLES = [
    'Checkout: "down" # again',
    "It's 'quoted'",
    "- looks like a list",
    "[also] {this}",
    "no",
    "1.10",
    "*star &anchor !tag |pipe >fold %percent @at `tick`",
    "C:\\path\\to\\thing",
    "Zahlungen über Café – 決済",
    "phase: resolved",
    "---",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_titles_are_quoted_safely_in_yaml(source: Path, tmp_path: Path, title: str) -> None:
    result = new(source, "incident", INCIDENT, "--title", title, "--severity", "sev2")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    fields = front_matter(path)
    assert fields["title"] == title and fields["phase"] == "investigating"
    site = built(source, tmp_path)
    (heading,) = tree(site.read(f"incidents/{INCIDENT}/index.html")).xpath("//h1")
    assert title in text_of(heading)
    update = new(source, "update", INCIDENT, "--phase", "identified", "--title", f"{title} (again)")
    assert update.exit_code == 0, update.output
    assert front_matter(Path(update.stdout.strip()))["title"] == f"{title} (again)"
    built(source, tmp_path)


@pytest.mark.parametrize("title", ["Down\nphase: resolved", "Down\r\nseverity: sev4", "Tab\there",
                                   "Line\u2028separator", "   "])
def test_titles_that_are_not_one_line_are_refused(source: Path, title: str) -> None:
    result = new(source, "incident", INCIDENT, "--title", title, "--severity", "sev2")
    assert result.exit_code == 1
    assert "--title must" in result.stderr and "Traceback" not in result.output
    assert not (source / FOLDER).exists()


@pytest.mark.parametrize("value", ["a\nb: c", 'say "hi"', "# not a comment", "\\", "x: y", "\u2028", "ü"])
def test_yaml_filter_round_trips_any_text(value: str) -> None:
    assert yaml.safe_load(f"title: {yaml_quote(value)}\nphase: x\n") == {"title": value, "phase": "x"}


# --- statusgen new update ----------------------------------------------------------------------

def test_new_update_is_prefilled_with_the_incidents_state(source: Path, tmp_path: Path) -> None:
    start_incident(source, "--component", "api=degraded_performance")
    result = new(source, "update", INCIDENT, "--phase", "identified", now="2026-11-26T07:50:00Z")
    assert result.exit_code == 0, result.output
    path = source / FOLDER / "2026-11-26T075000Z.md"
    assert result.stdout == f"{path}\n"
    fields = front_matter(path)
    assert fields == {
        "at": datetime(2026, 11, 26, 7, 50, tzinfo=timezone.utc),
        "phase": "identified",
        "severity": "sev2",
        "components": {"checkout": "partial_outage", "api": "degraded_performance"},
        "next_update": datetime(2026, 11, 26, 8, 50, tzinfo=timezone.utc),
    }
    assert body(path).startswith("We've identified the cause of the issue affecting Checkout and API:")
    assert body(path).endswith("Next update by 08:50 UTC.\n")
    page = page_text(built(source, tmp_path), f"incidents/{INCIDENT}/index.html")
    assert "We've identified the cause" in page


def test_new_update_refuses_to_reopen_a_resolved_incident_without_reopen(source: Path, tmp_path: Path) -> None:
    start_incident(source)
    resolved = new(source, "update", INCIDENT, "--phase", "resolved", now="2026-11-26T07:50:00Z")
    assert resolved.exit_code == 0, resolved.output
    before = files_in(source / FOLDER)
    result = new(source, "update", INCIDENT, "--phase", "identified", now="2026-11-26T08:10:00Z")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: incident '{INCIDENT}' was resolved at 2026-11-26T07:50:00Z ({FOLDER}/2026-11-26T075000Z.md); "
        f"an update with --phase identified would reopen it. If the problem is back, add --reopen "
        f"(customers see the incident open again); if it is a new problem, start a new incident with "
        f"`statusgen new incident`\n")
    assert files_in(source / FOLDER) == before
    # Another resolution (a correction) needs no --reopen; a reopening with it is written.
    assert new(source, "update", INCIDENT, "--phase", "resolved", now="2026-11-26T08:00:00Z").exit_code == 0
    reopened = new(source, "update", INCIDENT, "--phase", "identified", "--reopen", now="2026-11-26T08:10:00Z")
    assert reopened.exit_code == 0, reopened.output
    fields = front_matter(Path(reopened.stdout.strip()))
    assert fields["phase"] == "identified" and fields["next_update"] is not None
    fill_in(source)
    checked = run("check", "--source", str(source), "--now", "2026-11-26T08:15:00Z", "--format", "json")
    assert "reopened" in [f["code"] for f in json.loads(checked.stdout)]


def test_new_update_changes_what_it_is_told(source: Path, tmp_path: Path) -> None:
    start_incident(source)
    result = new(source, "update", INCIDENT, "--phase", "monitoring", "--severity", "P1",
                 "--component", "checkout=degraded_performance", "--component", "api=degraded_performance",
                 "--title", "Checkout slow", now="2026-11-26T07:40:00Z")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    fields = front_matter(path)
    assert fields["severity"] == "sev1" and fields["title"] == "Checkout slow"
    assert fields["components"] == {"checkout": "degraded_performance", "api": "degraded_performance"}
    assert fields["next_update"] - fields["at"] == timedelta(minutes=30)
    assert body(path).startswith("We've put a fix in place and are monitoring the results.")
    site = built(source, tmp_path)
    assert "Checkout slow" in page_text(site, f"incidents/{INCIDENT}/index.html")


def test_new_update_names_the_title_only_when_it_changes(source: Path) -> None:
    start_incident(source)
    result = new(source, "update", INCIDENT, "--phase", "investigating", "--title", "Checkout errors",
                 now=LATER)
    assert "title" not in front_matter(Path(result.stdout.strip()))
    assert body(Path(result.stdout.strip())).startswith("We're still investigating the issue affecting Checkout.")


@pytest.mark.parametrize("severity, postmortem", [("sev2", True), ("sev3", False)])
def test_resolution_sets_components_operational_and_drops_the_promise(
        source: Path, tmp_path: Path, severity: str, postmortem: bool) -> None:
    start_incident(source, severity=severity)
    result = new(source, "update", INCIDENT, "--phase", "resolved", now="2026-11-26T07:58:00Z")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    fields = front_matter(path)
    assert fields["phase"] == "resolved" and "next_update" not in fields
    assert fields["components"] == {"checkout": "operational"}
    text = body(path)
    assert text.startswith("This incident has been resolved.")
    assert "We've confirmed that Checkout is working normally again." in text
    assert ("We'll publish a postmortem within 5 days." in text) is postmortem
    assert ("# postmortem:" in path.read_text()) is postmortem
    site = built(source, tmp_path)
    assert "Resolved" in page_text(site, f"incidents/{INCIDENT}/index.html")
    assert "Operational" in page_text(site, "index.html")


def test_updates_in_the_same_second_still_build(source: Path, tmp_path: Path) -> None:
    start_incident(source)
    for phase in ("identified", "monitoring", "resolved"):
        result = new(source, "update", INCIDENT, "--phase", phase)  # all at NOW
        assert result.exit_code == 0, result.output
    assert files_in(source / FOLDER) == ["2026-11-26T073105Z.md", "2026-11-26T073106Z.md",
                                         "2026-11-26T073107Z.md", "2026-11-26T073108Z.md"]
    ats = [front_matter(p)["at"] for p in sorted((source / FOLDER).iterdir())]
    assert ats == [datetime(2026, 11, 26, 7, 31, s, tzinfo=timezone.utc) for s in (5, 6, 7, 8)]
    built(source, tmp_path)


def test_time_never_runs_backwards(source: Path, tmp_path: Path) -> None:
    start_incident(source)
    result = new(source, "update", INCIDENT, "--phase", "identified", now="2026-11-26T06:00:00Z")
    assert result.exit_code == 0, result.output
    assert front_matter(Path(result.stdout.strip()))["at"] == datetime(2026, 11, 26, 7, 31, 6, tzinfo=timezone.utc)
    built(source, tmp_path)


def test_an_existing_file_is_never_overwritten(source: Path, tmp_path: Path) -> None:
    # An update written by hand at 07:00 under the name the next update would get.
    squatter = write_site(source, {f"{FOLDER}/2026-11-26T073105Z.md": """\
        ---
        at: 2026-11-26T07:00:00Z
        phase: investigating
        severity: sev3
        title: Named by hand
        next_update: 2026-11-26T09:00:00Z
        ---
        Written by hand.
        """}, config=None) / FOLDER / "2026-11-26T073105Z.md"
    original = squatter.read_text()
    result = new(source, "update", INCIDENT, "--phase", "identified")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("2026-11-26T073106Z.md")
    assert squatter.read_text() == original
    built(source, tmp_path)


def test_other_broken_files_do_not_block_an_update(source: Path, tmp_path: Path) -> None:
    start_incident(source)
    write_site(source, {"content/incidents/other/1.md": "---\nat: nonsense\n---\n"}, config=None)
    result = new(source, "update", INCIDENT, "--phase", "identified")
    assert result.exit_code == 0, result.output
    assert "Warning: content/incidents/other/1.md has problems" in result.stderr
    assert (source / FOLDER / "2026-11-26T073106Z.md").is_file()


def test_a_broken_incident_is_reported_not_extended(source: Path) -> None:
    start_incident(source)
    write_site(source, {f"{FOLDER}/zz.md": "---\nat: 2026-11-26T07:40:00Z\nphase: identifed\n---\n"},
               config=None)
    result = new(source, "update", INCIDENT, "--phase", "identified", now=LATER)
    assert result.exit_code == 1
    assert f"{FOLDER}/zz.md:3: phase 'identifed' is not one of" in result.stderr
    assert "nothing was written" in result.stderr
    assert files_in(source / FOLDER) == ["2026-11-26T073105Z.md", "zz.md"]


# --- statusgen new maintenance -----------------------------------------------------------------

def test_new_maintenance_announces_a_window(source: Path, tmp_path: Path) -> None:
    result = new(source, "maintenance", "db-upgrade", "--title", "Database upgrade: checkout",
                 "--start", "2026-12-03T02:00:00Z", "--end", "2026-12-03T03:30:00+00:00",
                 "--component", "checkout", "--component", "api")
    assert result.exit_code == 0, result.output
    path = source / "content/maintenance/db-upgrade/2026-11-26T073105Z.md"
    assert result.stdout == f"{path}\n"
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "at: 2026-11-26T07:31:05Z\n"
        "phase: scheduled\n"
        'title: "Database upgrade: checkout"\n'
        "window:\n"
        "  start: 2026-12-03T02:00:00Z\n"
        "  end: 2026-12-03T03:30:00Z\n"
        "components: [checkout, api]\n"
        "---\n"
        "We'll carry out scheduled maintenance on Checkout and API on 3 December 2026 from 02:00 to "
        "03:30 UTC. [What customers may\nnotice during the window, and anything they need to do.]\n"
    )
    site = built(source, tmp_path)
    assert "Database upgrade: checkout" in page_text(site, "index.html")
    assert "We'll carry out scheduled maintenance" in page_text(site, "maintenance/db-upgrade/index.html")


def test_maintenance_window_over_two_days(source: Path) -> None:
    result = new(source, "maintenance", "move", "--title", "Move", "--start", "2026-12-03T23:00:00Z",
                 "--end", "2026-12-04T01:00:00Z", "--component", "api")
    assert "from 23:00 UTC on 3 December 2026 to 01:00 UTC on 4 December 2026." in body(
        Path(result.stdout.strip())).replace("\n", " ")


# --- mistakes ----------------------------------------------------------------------------------

INCIDENT_ARGS = ["--title", "T", "--severity", "sev2"]


@pytest.mark.parametrize("args, expected", [
    pytest.param(["incident", "Checkout Errors!", *INCIDENT_ARGS],
                 ["Error: incident id 'Checkout Errors!' is not a valid id: use lowercase letters, digits and "
                  "'-', starting with a letter or digit (did you mean 'checkout-errors'?)"], id="bad-id"),
    pytest.param(["incident", INCIDENT, *INCIDENT_ARGS],
                 [f"Error: incident '{INCIDENT}' already exists (content/incidents/{INCIDENT}/); add to it "
                  f"with `statusgen new update {INCIDENT} --phase ...`, or choose another id"], id="existing-id"),
    pytest.param(["incident", "x", "--title", "T", "--severity", "sev5"],
                 ["Error: --severity 'sev5' is not one of sev1, sev2, sev3, sev4 (SEV-1, sev-1 and P1 "
                  "spellings work too)"], id="bad-severity"),
    pytest.param(["incident", "x", "--title", "T", "--severity", "critical"],
                 ["Error: --severity 'critical' is not one of sev1, sev2, sev3, sev4 (SEV-1, sev-1 and P1 "
                  "spellings work too) (did you mean 'sev1'?)"], id="severity-word"),
    pytest.param(["incident", "x", *INCIDENT_ARGS, "--component", "chekout=partial_outage"],
                 ["Error: --component 'chekout=partial_outage': component 'chekout' is not defined in "
                  "statusgen.yml (did you mean 'checkout'?); known: api, checkout"], id="unknown-component"),
    pytest.param(["incident", "x", *INCIDENT_ARGS, "--component", "checkout=partial_outgae"],
                 ["Error: --component 'checkout=partial_outgae': status 'partial_outgae' is not one of operational, "
                  "degraded_performance, partial_outage, major_outage (did you mean 'partial_outage'?)"],
                 id="bad-status"),
    pytest.param(["incident", "x", *INCIDENT_ARGS, "--component", "checkout=under_maintenance"],
                 ["Error: --component 'checkout=under_maintenance': status 'under_maintenance' is not one of "
                  "operational, degraded_performance, partial_outage, major_outage; under_maintenance comes "
                  "from scheduled maintenance (statusgen new maintenance)"], id="maintenance-status"),
    pytest.param(["incident", "x", *INCIDENT_ARGS, "--component", "checkout"],
                 ["Error: --component 'checkout' must be written id=status, like api=partial_outage; "
                  "statuses: operational, degraded_performance, partial_outage, major_outage"], id="no-status"),
    pytest.param(["incident", "Bad_Id", "--title", "T", "--severity", "P7", "--component", "apu=down"],
                 ["Error: incident id 'Bad_Id' is not a valid id: use lowercase letters, digits and '-', "
                  "starting with a letter or digit (did you mean 'bad-id'?)",
                  "Error: --severity 'P7' is not one of sev1, sev2, sev3, sev4 (SEV-1, sev-1 and P1 "
                  "spellings work too)",
                  "Error: --component 'apu=down': component 'apu' is not defined in statusgen.yml "
                  "(did you mean 'api'?); known: api, checkout",
                  "Error: --component 'apu=down': status 'down' is not one of operational, "
                  "degraded_performance, partial_outage, major_outage"], id="all-at-once"),
    pytest.param(["update", "2026-11-26-checkout-error", "--phase", "identified"],
                 ["Error: incident '2026-11-26-checkout-error' does not exist in content/incidents/ "
                  f"(did you mean '{INCIDENT}'?); open incidents: {INCIDENT}; start a new one with "
                  "`statusgen new incident`"], id="unknown-incident"),
    pytest.param(["update", INCIDENT, "--phase", "monitorng"],
                 ["Error: --phase 'monitorng' is not one of investigating, identified, monitoring, resolved "
                  "(did you mean 'monitoring'?)"], id="bad-phase"),
    pytest.param(["update", INCIDENT, "--phase", "scheduled"],
                 ["Error: --phase 'scheduled' is not one of investigating, identified, monitoring, resolved"],
                 id="maintenance-phase"),
    pytest.param(["update", INCIDENT, "--phase", "identified", "--component", "pai=major_outage"],
                 ["Error: --component 'pai=major_outage': component 'pai' is not defined in statusgen.yml "
                  "(did you mean 'api'?); known: api, checkout"], id="update-unknown-component"),
    pytest.param(["maintenance", "m", "--title", "T", "--start", "2026-12-03T02:00:00Z",
                  "--end", "2026-12-03T01:00:00Z", "--component", "checkuot"],
                 ["Error: --end 2026-12-03T01:00:00Z must be later than --start 2026-12-03T02:00:00Z",
                  "Error: --component 'checkuot' is not defined in statusgen.yml (did you mean 'checkout'?); "
                  "known: api, checkout"], id="maintenance-window-and-component"),
    pytest.param(["maintenance", "m", "--title", "T", "--start", "2026-12-03T02:00:00Z",
                  "--end", "2026-12-03T03:00:00Z"],
                 ["Error: --component is required: name each component the maintenance affects (repeat the "
                  "option for several); known: api, checkout"], id="maintenance-no-component"),
    pytest.param(["maintenance", "m", "--title", "T", "--start", "2026-12-03T02:00:00Z",
                  "--end", "2026-12-03T03:00:00Z", "--component", "api=major_outage"],
                 ["Error: --component 'api=major_outage': a maintenance takes component ids only, like "
                  "--component api; its components show under_maintenance during the window"],
                 id="maintenance-status"),
    pytest.param(["maintenance", "M", "--title", "T", "--start", "2026-12-03T02:00:00Z",
                  "--end", "2026-12-03T03:00:00Z", "--component", "api"],
                 ["Error: maintenance id 'M' is not a valid id: use lowercase letters, digits and '-', "
                  "starting with a letter or digit (did you mean 'm'?)"], id="maintenance-bad-id"),
])
def test_mistakes_are_explained_and_nothing_is_written(source: Path, args: list[str], expected: list[str]) -> None:
    start_incident(source)
    before = sorted(p.relative_to(source) for p in source.rglob("*"))
    result = new(source, *args, now=LATER)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""
    assert sorted(p.relative_to(source) for p in source.rglob("*")) == before


def test_without_a_site_the_problem_is_named(tmp_path: Path) -> None:
    result = new(tmp_path, "incident", "x", *INCIDENT_ARGS)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"statusgen.yml: not found in {tmp_path}; run statusgen in your site's folder or pass --source DIR",
        "1 error; nothing was written."]


def test_a_broken_config_is_reported(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {}, config=MINIMAL_CONFIG + "cadense: {}\n")
    result = new(source, "incident", "x", *INCIDENT_ARGS)
    assert result.exit_code == 1
    assert "unknown field 'cadense' (did you mean 'cadence'?)" in result.stderr
    assert not (source / "content").exists()


def test_a_bad_window_time_is_a_usage_error(source: Path) -> None:
    result = new(source, "maintenance", "m", "--title", "T", "--start", "2026-12-03 02:00",
                 "--end", "2026-12-03T03:00:00Z", "--component", "api")
    assert result.exit_code == 2
    assert "'2026-12-03 02:00' has no zone offset" in result.stderr


# --- templates a site overrides ----------------------------------------------------------------

def test_a_site_can_override_a_template(source: Path, tmp_path: Path) -> None:
    write_site(source, {"templates/acknowledgement.md": """\
        ---
        at: {{ at }}
        phase: {{ phase }}
        severity: {{ severity }}
        title: {{ title | yaml }}
        next_update: {{ next_update }}
        ---
        Wir untersuchen ein Problem. Nächstes Update bis {{ next_update_text }}.
        """}, config=None)
    path = start_incident(source)
    assert body(path) == "Wir untersuchen ein Problem. Nächstes Update bis 08:31 UTC.\n"
    assert "Wir untersuchen" in page_text(built(source, tmp_path), f"incidents/{INCIDENT}/index.html")
    # The other templates are still the built-in ones.
    update = new(source, "update", INCIDENT, "--phase", "identified", now=LATER)
    assert body(Path(update.stdout.strip())).startswith("We've identified the cause")


def test_an_override_that_would_not_build_is_removed_again(source: Path) -> None:
    write_site(source, {"templates/acknowledgement.md": "---\nat: {{ at }}\nphase: {{ phase }}\n---\nHi\n"},
               config=None)
    result = new(source, "incident", INCIDENT, *INCIDENT_ARGS)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {FOLDER}/2026-11-26T073105Z.md:2: next_update is required while the incident is open "
        f"(phase investigating): promise when customers will hear from you next",
        "Error: the update written from the template would not build, so it was removed; check the template "
        "in templates/ if the site has its own"]
    assert not (source / FOLDER).exists()


def test_a_template_syntax_error_names_the_file_and_line(source: Path) -> None:
    write_site(source, {"templates/progress.md": "---\nat: {{ at }}\n{% if %}\n"}, config=None)
    start_incident(source)
    result = new(source, "update", INCIDENT, "--phase", "identified", now=LATER)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: templates/progress.md:3: template error:")
    assert files_in(source / FOLDER) == ["2026-11-26T073105Z.md"]


def test_a_template_using_an_unknown_variable_is_reported(source: Path) -> None:
    write_site(source, {"templates/maintenance.md": "---\nat: {{ at }}\n{{ nope }}\n"}, config=None)
    result = new(source, "maintenance", "m", "--title", "T", "--start", "2026-12-03T02:00:00Z",
                 "--end", "2026-12-03T03:00:00Z", "--component", "api")
    assert result.exit_code == 1
    assert result.stderr == "Error: templates/maintenance.md: template error: 'nope' is undefined\n"


# --- --edit ------------------------------------------------------------------------------------

def test_edit_opens_the_new_file(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def write_it(filename: str | None = None, **_: object) -> None:
        opened.append(filename)
        fill_in(source)

    monkeypatch.setattr(click, "edit", write_it)
    path = start_incident(source, "--edit")
    assert opened == [str(path)]


PLACEHOLDER = ("[Describe what customers may see, in plain words: the symptom, not the cause. Say what "
               "still works if that helps.]")
PLACEHOLDER_ERROR = (f"the text still holds the template's placeholder '{PLACEHOLDER}': replace it with "
                     f"what customers need to know (build and check refuse an update with a placeholder)")


def test_an_edit_that_leaves_a_placeholder_is_reported(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(click, "edit", lambda filename=None, **_: None)  # saved as written
    result = new(source, "incident", INCIDENT, *INCIDENT_ARGS, "--edit")
    assert result.exit_code == 1
    path = source / FOLDER / "2026-11-26T073105Z.md"
    assert result.stdout == f"{path}\n"
    assert result.stderr.splitlines() == [
        f"{FOLDER}/2026-11-26T073105Z.md:8: {PLACEHOLDER_ERROR}",
        f"{path} was saved but does not build yet; fix it (replace the template's [bracketed] hints) "
        f"before you publish."]
    assert path.is_file()


def test_build_and_check_refuse_an_update_that_still_holds_a_placeholder(source: Path, tmp_path: Path) -> None:
    path = start_incident(source)
    # Reflowed by an editor, in the middle of the text: still the placeholder, at its own line.
    text = path.read_text(encoding="utf-8").replace(
        "affecting Checkout. [Describe", "affecting Checkout.\n\nSome details.\n[Describe").replace(
        "in plain\nwords:", "in\n  plain words:")
    path.write_text(text, encoding="utf-8")
    where = f"{FOLDER}/2026-11-26T073105Z.md:13"
    build = run_build(source, tmp_path / "out", LATER)
    assert build.exit_code == 1
    assert build.output.splitlines() == [f"{where}: {PLACEHOLDER_ERROR}", "1 error; nothing was written."]
    check = run("check", "--source", str(source), "--now", LATER, "--format", "json")
    assert check.exit_code == 1
    assert [(f["level"], f["code"], f["file"] + ":" + str(f["line"]), f["field"], f["message"])
            for f in json.loads(check.stdout)] == [("error", "invalid", where, "body", PLACEHOLDER_ERROR)]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("phase, hint", [
    ("identified", "[the cause, in plain words]"),
    ("monitoring", "[What customers may still see while we confirm that Checkout has recovered.]"),
    ("resolved", "[What we did to fix it.]"),
])
def test_every_template_hint_is_refused(source: Path, tmp_path: Path, phase: str, hint: str) -> None:
    start_incident(source)
    fill_in(source)
    result = new(source, "update", INCIDENT, "--phase", phase, now="2026-11-26T07:50:00Z")
    assert result.exit_code == 0, result.output
    build = run_build(source, tmp_path / "out", LATER)
    assert build.exit_code == 1
    assert f"the text still holds the template's placeholder '{hint}'" in build.output


def test_a_sites_own_template_hints_are_refused_too(source: Path, tmp_path: Path) -> None:
    (source / "templates").mkdir()
    (source / "templates/acknowledgement.md").write_text(
        "---\nat: {{ at }}\nphase: {{ phase }}\nseverity: {{ severity }}\ntitle: {{ title | yaml }}\n"
        "next_update: {{ next_update }}\n---\nWe're on it. [Name the region, e.g. {{ site_title }} EU]\n",
        encoding="utf-8")
    start_incident(source)
    build = run_build(source, tmp_path / "out", LATER)
    assert build.exit_code == 1
    assert (f"{FOLDER}/2026-11-26T073105Z.md:8: the text still holds the template's placeholder "
            f"'[Name the region, e.g. Test Status EU]'") in build.output
    fill_in(source)
    assert run_build(source, tmp_path / "out", LATER).exit_code == 0


def test_an_edit_that_breaks_the_file_is_reported(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def break_it(filename: str | None = None, **_: object) -> None:
        Path(filename).write_text(Path(filename).read_text().replace("phase: investigating", "phase: investigatin"))

    monkeypatch.setattr(click, "edit", break_it)
    result = new(source, "incident", INCIDENT, *INCIDENT_ARGS, "--edit")
    assert result.exit_code == 1
    path = source / FOLDER / "2026-11-26T073105Z.md"
    assert result.stdout == f"{path}\n"
    assert f"{FOLDER}/2026-11-26T073105Z.md:3: phase 'investigatin' is not one of" in result.stderr
    assert f"{path} was saved but does not build yet" in result.stderr
    assert path.is_file()


# --- statusgen init ----------------------------------------------------------------------------

SCAFFOLD_FILES = ["statusgen.yml", "content/incidents/.gitkeep", "content/maintenance/.gitkeep", ".gitignore",
                  ".github/workflows/statusgen.yml"]


def test_init_scaffolds_a_site_that_builds_at_once(tmp_path: Path) -> None:
    site = tmp_path / "status"
    result = run("init", str(site))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"Created {site / name}" for name in SCAFFOLD_FILES] + [
        "Next: set title, base_url and components in statusgen.yml, then run `statusgen build`."]
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()) == sorted(SCAFFOLD_FILES)
    build = run_build(site, tmp_path / "out", LATER)
    assert build.exit_code == 0, build.output
    assert "Built 0 incidents" in build.output


def test_init_config_documents_the_defaults(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    text = (tmp_path / "statusgen.yml").read_text()
    config = yaml.safe_load(text)
    assert config["cadence"] == DEFAULT_CADENCE_MINUTES
    assert config["history_days"] == 90 and config["feed_limit"] == 50 and config["timezone"] == "UTC"
    assert [c["group"] for c in config["components"]] == ["Platform", "Platform"]
    assert text.count("\n#") >= 10  # commented
    assert (tmp_path / ".gitignore").read_text().split("\n")[1:5] == ["site/", ".site.statusgen-spare/", ".venv/", "__pycache__/"]
    workflow = (tmp_path / ".github/workflows/statusgen.yml").read_text()
    assert workflow == scaffolding.scaffold_text("workflow.yml")
    assert f"run: pip install '{scaffolding.default_install()}'\n" in workflow and "@" + "STATUSGEN" not in workflow


def test_new_incident_works_in_a_new_site(tmp_path: Path) -> None:
    run("init", str(tmp_path / "s"))
    result = new(tmp_path / "s", "incident", "api-down", "--title", "API down", "--severity", "sev1",
                 "--component", "api=major_outage")
    assert result.exit_code == 0, result.output
    site = built(tmp_path / "s", tmp_path)
    assert "API down" in page_text(site, "index.html")
    assert "Major outage" in page_text(site, "index.html")


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Created statusgen.yml"
    assert (tmp_path / "statusgen.yml").is_file()


def test_init_refuses_to_overwrite_and_lists_what_exists(tmp_path: Path) -> None:
    (tmp_path / "content/incidents").mkdir(parents=True)
    (tmp_path / "statusgen.yml").write_text("mine\n")
    (tmp_path / ".gitignore").write_text("mine\n")
    (tmp_path / "README.md").write_text("not ours\n")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {tmp_path / 'statusgen.yml'} already exists",
        f"Error: {tmp_path / '.gitignore'} already exists",
        "Error: nothing was written; pass --force to overwrite these files"]
    assert (tmp_path / "statusgen.yml").read_text() == "mine\n"
    assert not (tmp_path / ".github").exists() and not (tmp_path / "content/incidents/.gitkeep").exists()

    forced = run("init", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "statusgen.yml").read_text() == scaffolding.scaffold_text("statusgen.yml")
    assert (tmp_path / "README.md").read_text() == "not ours\n"


def test_init_refuses_a_file_as_the_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    result = run("init", str(tmp_path / "f"))
    assert result.exit_code == 2 and "is a file" in result.stderr


# --- packaging ---------------------------------------------------------------------------------

def test_templates_and_scaffold_are_package_data() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+; test_packaging checks the wheel")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["statusgen"]
    package = REPO / "statusgen"
    shipped = {p.relative_to(package) for pattern in patterns for p in package.glob(pattern)}
    needed = {p.relative_to(package) for folder in (authoring.TEMPLATES_DIR, scaffolding.SCAFFOLD_DIR)
              for p in folder.iterdir() if p.is_file()}
    assert needed and needed <= shipped
    names = {p.name for p in authoring.TEMPLATES_DIR.iterdir()}
    assert names == {"acknowledgement.md", "progress.md", "resolution.md", "maintenance.md", "postmortem.md"}
    used = (*scaffolding.SCAFFOLD, scaffolding.ALERT_WORKFLOW)  # the last one with `init --alerts`
    assert {source for _, source in used if source} == {p.name for p in scaffolding.SCAFFOLD_DIR.iterdir()}


def test_file_names_sort_in_time_order() -> None:
    moments = [datetime(2026, 11, 26, 7, 31, 5, tzinfo=timezone.utc) + timedelta(seconds=s)
               for s in (0, 1, 59, 3600, 86400 * 40)]
    names = [authoring.file_name(m) for m in moments]
    assert names == sorted(names) and names[0] == "2026-11-26T073105Z.md"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}Z\.md", n) for n in names)


# --- the README ------------------------------------------------------------------------------

def readme_session() -> list[tuple[list[str], list[str]]]:
    """The example session in the README's `statusgen new` section: (command, output lines)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Writing updates fast: statusgen new\n", 1)[1].split("\n## ", 1)[0]
    (block,) = [b for b in re.findall(r"```\n(.*?)```", section, flags=re.S) if b.startswith("$ statusgen new")]
    steps = []
    for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
        command, *output = chunk.rstrip("\n").split("\n")
        steps.append((shlex.split(command), output))
    return steps


def test_readme_session_is_what_statusgen_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init", str(tmp_path / "status")).exit_code == 0
    monkeypatch.chdir(tmp_path / "status")
    steps = readme_session()
    assert len(steps) >= 6
    now = None
    for command, output in steps:
        if command[0] == "cat":
            assert Path(command[1]).read_text(encoding="utf-8").splitlines() == output
            continue
        assert command[0] == "statusgen"
        # The time each command ran at is in the name of the file it printed.
        stamp = re.search(r"(\d{4}-\d\d-\d\dT)(\d\d)(\d\d)(\d\d)Z\.md$", output[0])
        if stamp:
            now = f"{stamp[1]}{stamp[2]}:{stamp[3]}:{stamp[4]}Z"
        result = CliRunner().invoke(main, [*command[1:], "--now", now])
        assert result.output.splitlines() == output, command
    refused = run_build(Path("."), tmp_path / "out", "2026-11-26T09:00:00Z")
    assert refused.exit_code == 1 and "still holds the template's placeholder" in refused.output
    fill_in(Path("."))
    assert run_build(Path("."), tmp_path / "out", "2026-11-26T09:00:00Z").exit_code == 0


def test_a_template_failing_while_it_runs_is_reported_not_a_traceback(source: Path) -> None:
    write_site(source, {"templates/progress.md": "---\nat: {{ at }}\nx: {{ 1/0 }}\n"}, config=None)
    start_incident(source)
    result = new(source, "update", INCIDENT, "--phase", "identified", now=LATER)
    assert result.exit_code == 1
    assert result.stderr == "Error: templates/progress.md: template error: ZeroDivisionError: division by zero\n"
    assert files_in(source / FOLDER) == ["2026-11-26T073105Z.md"]
