"""`statusgen import cstate|statuspage`: small exports in the documented shapes (tests/fixtures/)
become sites that build; nothing is ever overwritten; a second run creates nothing; and a
statusgen site's own api/v2/incidents.json imports back into the same incidents."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import EXAMPLE_NOW, REPO, BuildResult, run_build
from statusgen.source.load import load_site
from statusgen.cli import main
from statusgen.importers.plan import (ImportedComponent, ImportedIncident, ImportedUpdate, ImportPlan, SiteDraft,
                                     existing_config)
from statusgen.importers.writer import add_components, write_plan
from statusgen.wording import ascii_slug

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CSTATE = FIXTURES / "cstate"
INCIDENTS = FIXTURES / "statuspage" / "incidents.json"
COMPONENTS = FIXTURES / "statuspage" / "components.json"
LATER = "2026-06-03T00:00:00Z"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def load(source: Path, now: str = LATER):  # type: ignore[no-untyped-def]
    site, _ = load_site(source, datetime.fromisoformat(now.replace("Z", "+00:00")))
    return site


# --- shared -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, slug", [
    ("US East Connection Issues", "us-east-connection-issues"),
    ("PSA: rotate your API keys!", "psa-rotate-your-api-keys"),
    ("Café — Zürich 5xx", "cafe-zurich-5xx"),
    ("!!!", ""),
    ("a" * 70, "a" * 60),
    ("word " * 20, "-".join(["word"] * 12)),
])
def test_ascii_slug(text: str, slug: str) -> None:
    assert ascii_slug(text, 60) == slug


def test_components_are_added_at_the_end_of_the_list_keeping_everything_else() -> None:
    text = ("# my site\ntitle: T\ncomponents:\n  # platform\n  - id: api\n    name: API  # the API\n\n"
            "# history\nhistory_days: 30\n")
    added = add_components(text, [ImportedComponent("web", "Web: app", "Front")])
    assert added == ("# my site\ntitle: T\ncomponents:\n  # platform\n  - id: api\n    name: API  # the API\n"
                     "  - id: web\n    name: \"Web: app\"\n    group: \"Front\"\n\n# history\nhistory_days: 30\n")
    assert add_components("title: T\ncomponents: [{id: a, name: A}]\n", [ImportedComponent("b", "B")]) is None


# --- cState -----------------------------------------------------------------------------------

def test_cstate_import_maps_issues_and_systems(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    code, output = run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    assert code == 0, output
    assert "Created statusgen.yml with 4 components" in output
    site = load(site_dir)
    assert [c.id for c in site.components] == ["gateway", "api", "website", "key-service"]
    assert [(c.name, c.group, c.description) for c in site.components[1:3]] == [
        ("API", "Core", "The REST API."), ("Website", None, "The web frontend.")]
    assert site.config.base_url == "https://status.example.org/"
    incidents = {i.id: i for i in site.incidents}
    assert sorted(incidents) == ["2026-01-15-slow-dashboard", "2026-02-01-planned-network-work",
                                 "2026-02-20-psa-rotate-your-api-keys", "2026-03-05-us-east-connection-issues",
                                 "2026-04-10-gateway-down"]

    outage = incidents["2026-03-05-us-east-connection-issues"]
    assert [(u.at.isoformat(), u.phase) for u in outage.updates] == [
        ("2026-03-05T04:13:00+00:00", "investigating"), ("2026-03-05T05:54:00+00:00", "resolved")]
    assert (outage.severity, outage.title) == ("sev2", "US East Connection Issues")
    assert dict(outage.first.components) == {"api": "partial_outage", "website": "partial_outage"}
    assert outage.first.next_update == datetime(2026, 3, 5, 5, 13, tzinfo=timezone.utc)  # + sev2 cadence
    assert "can connect again. (5 Mar 2026, 05:54 UTC)" in outage.first.body
    assert "{{<" not in outage.first.body

    down = incidents["2026-04-10-gateway-down"]
    assert (down.severity, down.is_open, dict(down.latest.components)) == ("sev1", True, {"gateway": "major_outage"})
    assert down.first.at == datetime(2026, 4, 10, 9, 43, 40, 482000, tzinfo=timezone.utc)
    notice = incidents["2026-02-01-planned-network-work"]
    assert (notice.severity, dict(notice.first.components)) == ("sev4", {"gateway": "operational"})
    psa = incidents["2026-02-20-psa-rotate-your-api-keys"]
    assert [(u.phase, u.severity) for u in psa.updates] == [("resolved", "sev4")]
    slow = incidents["2026-01-15-slow-dashboard"]
    assert [(u.phase, u.severity) for u in slow.updates] == [("resolved", "sev3")]

    assert run_build(site_dir, tmp_path / "out", LATER).exit_code == 0


def test_cstate_import_reports_what_it_could_not_map_file_by_file(tmp_path: Path) -> None:
    _, output = run("import", "cstate", str(CSTATE), "--source", str(tmp_path / "site"))
    for line in [
        "Note: config.yml: system 'Website': link not mapped",
        "Note: content/issues/2026-01-15-old-slowness.md: has no severity; imported as sev3",
        "Note: content/issues/2026-01-15-old-slowness.md: resolved without a readable resolvedWhen: "
        "imported as one resolved update",
        "Note: content/issues/2026-02-01-planned-work.md: Hugo shortcode(s) figure kept as text",
        "Note: content/issues/2026-02-01-planned-work.md: field(s) pin not mapped",
        "Note: content/issues/2026-02-20-psa.md: informational post: imported as one resolved SEV-4 update",
        "Note: content/issues/2026-02-20-psa.md: affected system 'Key Service' is not in the config's systems; "
        "added as a component",
        "Note: content/issues/2026-04-10-gateway-down.md: field(s) automated, id not mapped",
        "Note: content/issues/2026-04-10-gateway-down.md: still open in cState: imported open; post its "
        "resolution with `statusgen new update 2026-04-10-gateway-down --phase resolved`",
        "Note: content/issues/2026-05-01-draft.md: is a draft; not imported",
        "Note: content/issues/notes.md: has no front matter (--- or +++ block) at the top; not imported",
        "Imported 5 of 5 incidents (7 update files); 0 already there, 0 errors.",
    ]:
        assert line in output, line
    assert "_index.md" not in output


def test_cstate_import_twice_creates_nothing_the_second_time(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    before = snapshot(site_dir)
    code, output = run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    assert code == 0
    assert ("Nothing to import: all 5 incidents are already in content/incidents/ and statusgen.yml "
            "lists every component.") in output
    assert "Created" not in output
    assert snapshot(site_dir) == before


def test_cstate_into_an_existing_site_adds_only_missing_components(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    config = ("# Our status page\ntitle: Ours\nbase_url: https://ours.example/\ncomponents:\n"
              "  - id: edge\n    name: gateway   # matched by name, any case\n"
              "  - id: api\n    name: API\n\n# keep this comment\nhistory_days: 30\n")
    (site_dir / "statusgen.yml").write_text(config, encoding="utf-8")
    code, output = run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    assert code == 0, output
    assert "Added 2 component(s) to statusgen.yml: website, key-service" in output
    text = (site_dir / "statusgen.yml").read_text(encoding="utf-8")
    assert text.startswith(config.split("\n\n")[0] + "\n  - id: website\n")
    assert text.endswith("\n\n# keep this comment\nhistory_days: 30\n")
    site = load(site_dir)
    assert site.config.title == "Ours"
    down = next(i for i in site.incidents if i.id == "2026-04-10-gateway-down")
    assert dict(down.first.components) == {"edge": "major_outage"}


def test_import_never_overwrites_and_leaves_a_foreign_folder_alone(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    foreign = site_dir / "content/incidents/2026-04-10-gateway-down/mine.md"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("my own update\n", encoding="utf-8")
    code, output = run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    assert code == 1
    assert ("Error: content/issues/2026-04-10-gateway-down.md: content/incidents/2026-04-10-gateway-down/ already "
            "exists with other updates; left alone, not imported") in output
    assert foreign.read_text(encoding="utf-8") == "my own update\n"
    assert sorted(p.name for p in foreign.parent.iterdir()) == ["mine.md"]
    assert "Imported 4 of 5 incidents" in output


def test_an_interrupted_import_is_completed(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    resolution = site_dir / "content/incidents/2026-03-05-us-east-connection-issues/2026-03-05T055400Z.md"
    resolution.unlink()
    code, output = run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    assert code == 0
    assert "Created content/incidents/2026-03-05-us-east-connection-issues/ (1 update)" in output
    assert resolution.is_file()


def test_cstate_errors_are_clean(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = run("import", "cstate", str(empty), "--source", str(tmp_path / "site"))
    assert code == 1 and "no cState config found" in output and "Traceback" not in output
    broken = tmp_path / "broken-site"
    broken.mkdir()
    (broken / "statusgen.yml").write_text("title: [\n", encoding="utf-8")
    code, output = run("import", "cstate", str(CSTATE), "--source", str(broken))
    assert code == 1 and "fix statusgen.yml first" in output


# --- Statuspage -------------------------------------------------------------------------------

def test_statuspage_import_keeps_updates_and_times(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    code, output = run("import", "statuspage", str(INCIDENTS), "--components", str(COMPONENTS),
                       "--source", str(site_dir))
    assert code == 0, output
    site = load(site_dir)
    assert (site.config.title, site.config.base_url, site.config.timezone) == (
        "Widgets Inc Status", "https://status.widgets.example/", "America/Denver")
    assert [(c.id, c.name, c.group, c.description) for c in site.components] == [
        ("checkout", "Checkout", "Storefront", "Paying for an order"),
        ("product-search", "Product Search", "Storefront", None),
        ("api", "API", None, "Public REST API")]
    incidents = {i.id: i for i in site.incidents}
    assert sorted(incidents) == ["2026-04-07-search-results-stale-again", "2026-05-18-checkout-unavailable",
                                 "2026-06-02-elevated-api-error-rates"]

    api = incidents["2026-06-02-elevated-api-error-rates"]
    assert (api.severity, api.title, api.phase) == ("sev3", "Elevated API error rates", "identified")
    assert [u.at for u in api.updates] == [datetime(2026, 6, 2, 15, 5, 40, 271000, tzinfo=timezone.utc),
                                           datetime(2026, 6, 2, 15, 30, 12, 118000, tzinfo=timezone.utc)]
    assert [dict(u.components) for u in api.updates] == [{"api": "partial_outage"}, {"api": "degraded_performance"}]
    assert api.first.body == "We're investigating elevated error rates on the API."
    assert api.first.started_at == datetime(2026, 6, 2, 14, 58, tzinfo=timezone.utc)
    assert api.first.next_update == datetime(2026, 6, 2, 18, 5, 40, tzinfo=timezone.utc)  # + 180 min, whole seconds
    text = (site_dir / "content/incidents/2026-06-02-elevated-api-error-rates/2026-06-02T150540Z.md").read_text()
    assert "at: 2026-06-02T09:05:40.271-06:00\n" in text  # written exactly as exported

    checkout = incidents["2026-05-18-checkout-unavailable"]
    assert [u.phase for u in checkout.updates] == ["investigating", "monitoring", "resolved", "resolved"]
    assert checkout.severity == "sev1"
    assert checkout.updates[-1].body == "## What happened\nA certificate expired on the payment gateway."
    assert dict(checkout.first.components) == {"checkout": "major_outage", "product-search": "major_outage"}
    stale = incidents["2026-04-07-search-results-stale-again"]
    assert stale.severity == "sev4"

    assert run_build(site_dir, tmp_path / "out", LATER).exit_code == 0


def test_statuspage_import_reports_what_it_could_not_map(tmp_path: Path) -> None:
    _, output = run("import", "statuspage", str(INCIDENTS), "--components", str(COMPONENTS),
                    "--source", str(tmp_path / "site"))
    for line in [
        "Note: incidents.json: incident 'mnt9x8w7v6u5' (Database maintenance): scheduled maintenance is not "
        "imported (add it under content/maintenance/)",
        "Note: incidents.json: incident 'fq7r8c4ksd1y' (Checkout unavailable): its postmortem update is imported "
        "as a resolved update",
        "Note: incidents.json: incident 'q2w3e4r5t6y7' (Search results: stale (again)): component 'Product Search' "
        "is listed but no update says its status: set to degraded_performance on the first update",
        "Note: incidents.json: Statuspage has no promised next-update times: wrote next_update one cadence after "
        "the update on 5 update(s) before resolution",
    ]:
        assert line in output, line


def test_statuspage_import_twice_creates_nothing_the_second_time(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    run("import", "statuspage", str(INCIDENTS), "--components", str(COMPONENTS), "--source", str(site_dir))
    before = snapshot(site_dir)
    code, output = run("import", "statuspage", str(INCIDENTS), "--components", str(COMPONENTS),
                       "--source", str(site_dir))
    assert code == 0
    assert "Nothing to import: all 3 incidents are already in content/incidents/" in output
    assert snapshot(site_dir) == before


def test_statuspage_without_components_json_takes_components_from_the_incidents(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    code, output = run("import", "statuspage", str(INCIDENTS), "--source", str(site_dir))
    assert code == 0, output
    site = load(site_dir)
    assert sorted(c.id for c in site.components) == ["api", "checkout", "product-search"]
    assert all(c.group is None for c in site.components)
    code, output = run("import", "statuspage", str(INCIDENTS), "--components", str(COMPONENTS),
                       "--source", str(site_dir))
    assert code == 0 and "Nothing to import" in output  # the same components, matched by name


def test_statuspage_bad_export_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "incidents.json"
    bad.write_text("{\"incidents\": 3}", encoding="utf-8")
    code, output = run("import", "statuspage", str(bad), "--source", str(tmp_path / "site"))
    assert code == 1 and "expected {\"incidents\": [...]}" in output
    bad.write_text("not json", encoding="utf-8")
    code, output = run("import", "statuspage", str(bad), "--source", str(tmp_path / "site"))
    assert code == 1 and "not valid JSON" in output and "Traceback" not in output
    assert not (tmp_path / "site").exists()


# --- round trip ---------------------------------------------------------------------------------

def test_round_trip_through_our_own_json_api(example_build: BuildResult, tmp_path: Path) -> None:
    site_dir = tmp_path / "copy"
    site_dir.mkdir()
    shutil.copy(REPO / "statusgen.yml", site_dir / "statusgen.yml")
    code, output = run("import", "statuspage", str(example_build.site / "api/v2/incidents.json"),
                       "--source", str(site_dir))
    assert code == 0, output
    assert "Imported 10 of 10 incidents (35 update files)" in output
    assert run_build(site_dir, tmp_path / "out", EXAMPLE_NOW).exit_code == 0

    original, copy = load(REPO, EXAMPLE_NOW), load(site_dir, EXAMPLE_NOW)
    assert [i.id for i in copy.incidents] == [i.id for i in original.incidents]
    for before, after in zip(original.incidents, copy.incidents):
        assert (after.title, after.severity, after.phase) == (before.title, before.severity, before.phase)
        assert [(u.at, u.phase, u.body, dict(u.components)) for u in after.updates] == [
            (u.at, u.phase, u.body, dict(u.components)) for u in before.updates]
    assert copy.component_status == original.component_status

    code, output = run("import", "statuspage", str(example_build.site / "api/v2/incidents.json"),
                       "--source", str(site_dir))
    assert code == 0 and "Nothing to import: all 10 incidents" in output


# --- hostile input: an import writes files that build, or nothing -------------------------------

def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for a folder): to prove nothing changed."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def existing_site(tmp_path: Path) -> Path:
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "statusgen.yml").write_text(
        "title: Ours\nbase_url: https://ours.example/\ncomponents:\n  - id: web\n    name: Web\n", encoding="utf-8")
    return site_dir


def refused(tmp_path: Path, *args: str) -> str:
    """Run an import that must be refused into an existing site: exit 1, no traceback, site as it was."""
    site_dir = tmp_path / "site" if (tmp_path / "site").exists() else existing_site(tmp_path)
    before = tree(site_dir)
    code, output = run(*args, "--source", str(site_dir))
    assert code == 1, output
    assert "Traceback" not in output
    assert tree(site_dir) == before
    return output


def accepted(tmp_path: Path, *args: str) -> str:
    """Run an import that must succeed: exit 0, no empty file written, and the site builds."""
    site_dir = tmp_path / "site"
    code, output = run(*args, "--source", str(site_dir))
    assert code == 0, output
    assert "Traceback" not in output
    assert all(p.stat().st_size > 0 for p in site_dir.rglob("*.md"))
    assert not list(site_dir.glob(".statusgen-import-*"))
    build = run_build(site_dir, tmp_path / "out", LATER)
    assert build.exit_code == 0, build.output
    return output


def statuspage_export(body: str = "We are looking into it.", name: str = "Checkout down", component: str = "Checkout",
                      page: str = "Shop Status") -> dict:
    return {"page": {"name": page, "url": "https://status.shop.example/"}, "incidents": [{
        "id": "abc123", "name": name, "status": "resolved", "impact": "major",
        "created_at": "2026-05-01T10:00:00Z",
        "incident_updates": [
            {"id": "u1", "status": "investigating", "body": body, "created_at": "2026-05-01T10:00:00Z",
             "affected_components": [{"code": "c1", "name": component, "new_status": "major_outage"}]},
            {"id": "u2", "status": "resolved", "body": "Fixed.", "created_at": "2026-05-01T11:00:00Z",
             "affected_components": [{"code": "c1", "name": component, "new_status": "operational"}]}]}]}


def write_json(path: Path, document: object) -> Path:
    """`document` as JSON; lone surrogates are written as the `\\ud83d` escapes an export holds."""
    path.write_text(json.dumps(document), encoding="utf-8")  # ensure_ascii: every escape stays an escape
    return path


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud83d", "\udc00", "\uffff"])
@pytest.mark.parametrize("field, place", [
    ("body", lambda c: statuspage_export(body=f"We are{c} looking into it.")),
    ("name", lambda c: statuspage_export(name=f"Checkout{c} down")),
    ("affected_components[].name", lambda c: statuspage_export(component=f"Check{c}out")),
    ("page.name", lambda c: statuspage_export(page=f"Shop{c} Status")),
])
def test_statuspage_characters_no_page_can_carry_are_removed_and_noted(tmp_path: Path, character: str, field: str,
                                                                     place) -> None:  # type: ignore[no-untyped-def]
    export = write_json(tmp_path / "incidents.json", place(character))
    output = accepted(tmp_path, "import", "statuspage", str(export))
    code = f"U+{ord(character):04X}"
    assert f"{field}: removed 1 character that cannot be published ({code})" in output
    note = next(line for line in output.splitlines() if code in line)
    assert note.startswith("Note: incidents.json:") and ("'abc123'" in note or field == "page.name")
    site = load(tmp_path / "site")
    incident = site.incidents[0]
    assert (incident.title, incident.first.body, site.config.title) == (
        "Checkout down", "We are looking into it.", "Shop Status")
    assert [c.name for c in site.components] == ["Checkout"]


def test_a_lone_surrogate_no_longer_crashes_half_way(tmp_path: Path) -> None:
    """Before: UnicodeEncodeError after statusgen.yml and an empty update file were written."""
    export = write_json(tmp_path / "incidents.json", statuspage_export(body="Down \ud83d for some"))
    accepted(tmp_path, "import", "statuspage", str(export))
    files = sorted((tmp_path / "site/content/incidents/2026-05-01-checkout-down").iterdir())
    assert len(files) == 2 and "Down  for some" in files[0].read_text(encoding="utf-8")


CSTATE_CONFIG = "title: Shop\nbaseURL: https://status.shop.example/\nparams:\n  systems:\n    - name: Checkout\n"


def cstate_site(root: Path, issues: dict[str, bytes | str], config: str | bytes = CSTATE_CONFIG) -> Path:
    (root / "content/issues").mkdir(parents=True)
    (root / "config.yml").write_bytes(config.encode("utf-8") if isinstance(config, str) else config)
    for name, text in issues.items():
        (root / "content/issues" / name).write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str)
                                                      else text)
    return root


ISSUE = ("---\ntitle: {title}\ndate: 2026-05-01 10:00:00\nseverity: down\naffected: [{system}]\nresolved: true\n"
         "resolvedWhen: 2026-05-01 11:00:00\n---\n{body}\n")


@pytest.mark.parametrize("field, issue", [
    ("text", ISSUE.format(title="Checkout down", system="Checkout", body="We are\x07 on it.")),
    ("text", ISSUE.format(title="Checkout\x00 down", system="Checkout", body="We are on it.")),
    ("title", ISSUE.format(title='"Checkout\\a down\\ud83d"', system="Checkout", body="We are on it.")),
    ("affected", ISSUE.format(title="Checkout down", system='"Check\\x1bout"', body="We are on it.")),
])
def test_cstate_characters_no_page_can_carry_are_removed_and_noted(tmp_path: Path, field: str, issue: str) -> None:
    source = cstate_site(tmp_path / "cstate", {"2026-05-01-down.md": issue})
    output = accepted(tmp_path, "import", "cstate", str(source))
    assert f"Note: content/issues/2026-05-01-down.md: {field}: removed" in output
    site = load(tmp_path / "site")
    assert (site.incidents[0].title, site.incidents[0].first.body) == ("Checkout down", "We are on it.")
    assert [c.name for c in site.components] == ["Checkout"]


def test_cstate_config_characters_are_removed_too(tmp_path: Path) -> None:
    config = 'title: "Shop\\a Status"\nbaseURL: https://s.example/\nparams:\n  systems:\n    - name: "Check\\x00out"\n'
    source = cstate_site(tmp_path / "cstate", {"a.md": ISSUE.format(title="Down", system="Checkout", body="x")},
                         config)
    output = accepted(tmp_path, "import", "cstate", str(source))
    assert "Note: config.yml: title: removed 1 character that cannot be published (U+0007)" in output
    assert "Note: config.yml: systems[0]: name: removed 1 character that cannot be published (U+0000)" in output
    site = load(tmp_path / "site")
    assert (site.config.title, [c.name for c in site.components]) == ("Shop Status", ["Checkout"])


def test_statuspage_unreadable_exports_are_refused_naming_the_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    deep = tmp_path / "incidents.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # before: RecursionError
    assert "incidents.json: nesting deeper than 100 levels" in refused(tmp_path, "import", "statuspage", str(deep))
    deep.write_text('{"incidents": []}'.replace("[]", "[" * 150 + "]" * 150), encoding="utf-8")
    assert "incidents.json: nesting deeper than 100 levels" in refused(tmp_path, "import", "statuspage", str(deep))

    latin = tmp_path / "latin.json"
    latin.write_bytes('{"incidents": [{"name": "Caf\xe9"}]}'.encode("latin-1"))
    assert "latin.json: is not UTF-8 text (byte 0xe9 at offset 28)" in refused(
        tmp_path, "import", "statuspage", str(latin))

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # before: the import waited for a writer forever
    assert "fifo.json: is a FIFO, not a file" in refused(tmp_path, "import", "statuspage", str(fifo))
    output = refused(tmp_path, "import", "statuspage", str(INCIDENTS), "--components", str(fifo))
    assert "fifo.json: is a FIFO, not a file" in output

    monkeypatch.setattr("statusgen.importers.inputs.MAX_EXPORT_BYTES", 1000)
    output = refused(tmp_path, "import", "statuspage", str(INCIDENTS))
    assert "incidents.json: is larger than 1,000 bytes, the most an import reads from one file" in output


def test_statuspage_export_in_utf16_as_windows_writes_it_is_read(tmp_path: Path) -> None:
    export = tmp_path / "incidents.json"
    export.write_bytes(b"\xff\xfe" + json.dumps(statuspage_export()).encode("utf-16-le"))
    accepted(tmp_path, "import", "statuspage", str(export))


@pytest.mark.parametrize("document", [
    {"incidents": [{"name": "X", "incident_updates": 3}]},
    {"incidents": [{"name": "X", "created_at": "2026-05-01T10:00:00Z", "status": "resolved", "components": 7,
                    "incident_updates": [{"status": "resolved", "created_at": "2026-05-01T10:00:00Z",
                                          "affected_components": {"a": 1}, "body": ["not", "text"]}]}]},
    {"incidents": [], "page": {"name": ["x"], "url": {"a": 1}, "time_zone": "../../etc/passwd"}},
])
def test_statuspage_values_of_the_wrong_shape_are_no_traceback(tmp_path: Path, document: dict) -> None:
    export = write_json(tmp_path / "incidents.json", document)
    code, output = run("import", "statuspage", str(export), "--source", str(tmp_path / "site"))
    assert code in (0, 1) and "Traceback" not in output


def test_statuspage_components_of_the_wrong_shape_are_no_traceback(tmp_path: Path) -> None:
    components = write_json(tmp_path / "components.json", {"components": [
        {"id": "a", "name": "A", "position": "first"}, {"id": "b", "name": "B", "position": [1]},
        {"id": "c", "name": {"x": 1}}]})  # before: TypeError comparing positions
    output = accepted(tmp_path, "import", "statuspage", str(write_json(tmp_path / "i.json", statuspage_export())),
                      "--components", str(components))
    assert "Note: components.json: component 'c': has no name; not imported" in output


@pytest.mark.parametrize("config, message", [
    ("title: !!python/object/apply:os.system [echo]\n", "config.yml: cannot be read: line 1: could not determine a "
                                                       "constructor for the tag"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\ntitle: *b\n",
     "config.yml: cannot be read: line 2: *a repeats a list or mapping; statusgen does not read such aliases"),
    ("params: " + "[" * 5000 + "]" * 5000 + "\n", "config.yml: cannot be read: nesting deeper than 100 levels"),
    ("- a list\n", "config.yml: is not a mapping of settings"),
    (b"title: Caf\xe9\n", "config.yml: is not UTF-8 text (byte 0xe9 at offset 10)"),
])
def test_cstate_unreadable_configs_are_refused_naming_the_file(tmp_path: Path, config: str | bytes,
                                                               message: str) -> None:
    source = cstate_site(tmp_path / "cstate", {"a.md": ISSUE.format(title="Down", system="Checkout", body="x")},
                         config)
    assert message in refused(tmp_path, "import", "cstate", str(source))


def test_cstate_config_that_is_a_fifo_or_a_folder_is_refused(tmp_path: Path) -> None:
    source = cstate_site(tmp_path / "cstate", {"a.md": ISSUE.format(title="Down", system="Checkout", body="x")})
    (source / "config.yml").unlink()
    os.mkfifo(source / "config.yml")
    assert "config.yml: is a FIFO, not a file" in refused(tmp_path, "import", "cstate", str(source))
    (source / "config.yml").unlink()
    (source / "config.yml").mkdir()
    assert "config.yml: is a folder, not a file" in refused(tmp_path, "import", "cstate", str(source))


def test_cstate_issues_that_cannot_be_read_are_noted_and_the_rest_imported(tmp_path: Path) -> None:
    good = ISSUE.format(title="Down", system="Checkout", body="x")
    source = cstate_site(tmp_path / "cstate", {
        "2026-05-01-down.md": good,
        "list.md": "---\n- not\n- a mapping\n---\ntext\n",
        "bomb.md": "---\na: &a [x, x]\ntitle: *a\ndate: 2026-05-02 10:00:00\n---\n",
        "latin.md": b"---\ntitle: Caf\xe9\ndate: 2026-05-03 10:00:00\n---\n",
        "year.md": "---\ntitle: Far\ndate: 0001-01-01T00:00:00+05:00\n---\n",
    })
    os.mkfifo(source / "content/issues/fifo.md")
    (source / "content/issues/folder.md").mkdir()
    odd_name = os.path.join(os.fsencode(source / "content/issues"), b"caf\xe9.md")
    with open(odd_name, "wb") as handle:  # a file name that is not UTF-8
        handle.write(ISSUE.format(title="Other", system="Checkout", body="y").encode("utf-8"))
    output = accepted(tmp_path, "import", "cstate", str(source))
    for line in [
        "Note: content/issues/list.md: front matter is not a mapping of fields; not imported",
        "Note: content/issues/bomb.md: front matter cannot be read: line 3: *a repeats a list or mapping",
        "Note: content/issues/latin.md: is not UTF-8 text (byte 0xe9 at offset 14); save it as UTF-8; not imported",
        "Note: content/issues/year.md: has no readable date; not imported",
        "Note: content/issues/fifo.md: is a FIFO, not a file; not imported",
        "Note: content/issues/folder.md: is a folder, not a file; not imported",
        "Note: content/issues/caf\ufffd.md: date has no time zone",
        "Imported 2 of 2 incidents",
    ]:
        assert line in output, line


# --- writing: checked first, then all at once ---------------------------------------------------

def test_a_plan_that_would_not_build_writes_nothing_and_says_why(tmp_path: Path) -> None:
    """The writer's own check catches what an importer let through, before writing anything."""
    site_dir = existing_site(tmp_path)
    before = tree(site_dir)
    incident = ImportedIncident("2026-05-01-x", "export: incident 'x'", [ImportedUpdate(
        at=datetime(2026, 5, 1, tzinfo=timezone.utc), phase="resolved", body="a \ud83d b", title="X",
        severity="sev2", components={"web": "operational"})])
    plan = ImportPlan(SiteDraft("T", "https://t.example/"), [ImportedComponent("web", "Web")], [incident])
    result = write_plan(site_dir, plan, existing_config(site_dir))
    assert result.exit_status == 1 and not result.created
    assert any("export: incident 'x': would not build, not imported: content/incidents/2026-05-01-x/"
               "2026-05-01T000000Z.md:" in str(e) and "U+D83D" in str(e) for e in result.errors)
    assert tree(site_dir) == before


@pytest.mark.parametrize("fail_at", [1, 3, 5])
def test_a_failure_while_writing_leaves_the_site_as_it_was(tmp_path: Path, monkeypatch, fail_at: int) -> None:  # type: ignore[no-untyped-def]
    site_dir = existing_site(tmp_path)
    before = tree(site_dir)
    real_rename, calls = os.rename, []

    def failing(source, target):  # type: ignore[no-untyped-def]
        calls.append(target)
        if len(calls) == fail_at:
            raise OSError(28, "No space left on device", str(target))
        return real_rename(source, target)

    def failing_link(source, target):  # type: ignore[no-untyped-def]
        raise OSError(1, "Operation not permitted")  # no hard links: every move is a rename

    monkeypatch.setattr("statusgen.importers.writer.os.rename", failing)
    monkeypatch.setattr("statusgen.importers.writer.os.link", failing_link)
    code, output = run("import", "cstate", str(CSTATE), "--source", str(site_dir))
    assert code == 1 and "No space left on device" in output and "Traceback" not in output
    assert tree(site_dir) == before
    monkeypatch.undo()
    accepted(tmp_path, "import", "cstate", str(CSTATE))


def test_a_killed_import_leaves_only_a_staging_folder_the_next_one_removes(tmp_path: Path) -> None:
    site_dir = existing_site(tmp_path)
    stale = site_dir / ".statusgen-import-abc123/content/incidents/x"
    stale.mkdir(parents=True)
    (stale / "half.md").write_text("", encoding="utf-8")
    assert run_build(site_dir, tmp_path / "out0", LATER).exit_code == 0  # the build never reads it
    accepted(tmp_path, "import", "cstate", str(CSTATE))
    assert not (site_dir / ".statusgen-import-abc123").exists()


def test_a_refused_import_creates_no_site_folder(tmp_path: Path) -> None:
    export = write_json(tmp_path / "incidents.json", {"incidents": []})
    code, output = run("import", "statuspage", str(export), "--source", str(tmp_path / "new-site"))
    assert code == 1 and "no components to put in a new statusgen.yml" in output
    assert not (tmp_path / "new-site").exists()


# --- fuzzing: no input is a traceback, and an accepted import builds ------------------------------

_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=6) | st.sampled_from(
    ["", "API", "resolved", "investigating", "postmortem", "critical", "none", "2026-05-01T10:00:00Z", "a-b"])
_VALUE = st.recursive(st.none() | st.booleans() | st.integers(-2, 10**20) | st.floats() | _TEXT,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=2),
                      max_leaves=5)
_TIME = st.sampled_from(["2026-05-01T10:00:00Z", "2026-05-01T12:00:00+02:00", "9999-12-31T23:59:59Z", "x"]) | _VALUE
_UPDATE = st.fixed_dictionaries({}, optional={
    "id": _VALUE, "status": st.sampled_from(["investigating", "resolved", "postmortem"]) | _VALUE, "body": _VALUE,
    "created_at": _TIME, "display_at": _TIME, "affected_components": st.lists(st.fixed_dictionaries({}, optional={
        "code": _VALUE, "name": _VALUE, "new_status": st.sampled_from(["major_outage", "operational"]) | _VALUE}),
        max_size=2) | _VALUE})
_INCIDENT = st.fixed_dictionaries({}, optional={
    "id": _VALUE, "name": _VALUE, "status": _VALUE, "impact": st.sampled_from(["minor", "critical"]) | _VALUE,
    "created_at": _TIME, "started_at": _TIME, "incident_updates": st.lists(_UPDATE, max_size=3) | _VALUE,
    "components": _VALUE})


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.fixed_dictionaries({"incidents": st.lists(_INCIDENT, max_size=3)}, optional={"page": _VALUE}))
def test_statuspage_fuzz_never_a_traceback_and_accepted_imports_build(document: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = write_json(folder / "incidents.json", document)
        result = CliRunner().invoke(main, ["import", "statuspage", str(export), "--source", str(folder / "site")])
        assert result.exit_code in (0, 1) and not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit), result.output
        if result.exit_code == 0:
            assert run_build(folder / "site", folder / "out", LATER).exit_code == 0


def test_a_page_url_urllib_cannot_split_becomes_the_placeholder_with_a_note(tmp_path: Path) -> None:
    """`https://[x/` matches the base_url pattern, but no browser can open it (an unclosed IPv6
    address): the import notes it and writes the placeholder, so the site still builds."""
    document = statuspage_export()
    document["page"]["url"] = "https://[x/"
    output = accepted(tmp_path, "import", "statuspage", str(write_json(tmp_path / "incidents.json", document)))
    assert "page.url 'https://[x/' is not an http(s) address" in output
    assert load(tmp_path / "site").config.base_url == "https://status.example.com/"
