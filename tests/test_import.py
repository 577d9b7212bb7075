"""`statusgen import cstate|statuspage`: small exports in the documented shapes (tests/fixtures/)
become sites that build; nothing is ever overwritten; a second run creates nothing; and a
statusgen site's own api/v2/incidents.json imports back into the same incidents."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_NOW, REPO, BuildResult, run_build
from statusgen.source.load import load_site
from statusgen.cli import main
from statusgen.importers.writer import add_components, ImportedComponent
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
