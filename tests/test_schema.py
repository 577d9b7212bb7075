"""`statusgen schema`: generated from the declarations the validator uses, and agreeing with it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import REPO
from statusgen.cli import main
from statusgen.source.config import parse_config
from statusgen.source.incidents import read_incident_fields
from statusgen.source.maintenance import read_maintenance_fields
from statusgen.source.files import split_front_matter
from statusgen.source.located_yaml import load_mapping
from statusgen.source.schema import SCHEMAS, schema_for
from statusgen.source import spec
from statusgen.vocabulary import SEVERITIES

COMPONENTS = ["api", "checkout"]


def validator_accepts_config(text: str) -> bool:
    problems: list = []
    mapping = load_mapping(text, "statusgen.yml", 1, problems)
    return mapping is not None and parse_config(mapping, problems) is not None and not problems


def validator_accepts_update(kind: str, front_matter: str) -> bool:
    problems: list = []
    document = split_front_matter(f"---\n{front_matter}---\nBody.\n", "x.md", problems)
    if document is None:
        return False
    read = read_incident_fields if kind == "incident" else read_maintenance_fields
    return read(document, COMPONENTS, problems) is not None and not problems


def schema_accepts(name: str, yaml_text: str, component_ids=None) -> bool:
    problems: list = []
    data = load_mapping(yaml_text, "x", 1, problems)
    assert data is not None, problems
    return jsonschema.Draft202012Validator(schema_for(name, component_ids)).is_valid(data)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schemas_are_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema_for(name))


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed: cannot check ECMAScript regexes")
@pytest.mark.parametrize("name", SCHEMAS)
def test_patterns_compile_as_ecmascript_unicode_regexes(name: str) -> None:
    """Editors evaluate `pattern` with JavaScript's RegExp; Python accepting it is not enough."""
    patterns = []

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema_for(name))
    script = "for (const p of JSON.parse(process.argv[1])) new RegExp(p, 'u');"
    subprocess.run(["node", "-e", script, json.dumps(patterns)], check=True, timeout=30)


CONFIG = (REPO / "statusgen.yml").read_text(encoding="utf-8")
BASE_CONFIG = "title: T\nbase_url: https://x.test/s/\ncomponents:\n  - id: api\n    name: API\n"

CONFIG_CASES = [
    ("the shipped example", CONFIG, True),
    ("minimal", BASE_CONFIG, True),
    ("all optional fields", BASE_CONFIG + "description: d\ntimezone: UTC\nhistory_days: 30\nfeed_limit: 10\n"
                            "theme: mytheme\ncadence:\n  sev1: 15\npostmortem_due_days: 0\n", True),
    ("title: No stays text", BASE_CONFIG.replace("title: T", "title: No"), True),
    ("missing title", BASE_CONFIG.replace("title: T\n", ""), False),
    ("missing base_url", BASE_CONFIG.replace("base_url: https://x.test/s/\n", ""), False),
    ("base_url without scheme", BASE_CONFIG.replace("https://x.test/s/", "x.test/s/"), False),
    ("base_url with query", BASE_CONFIG.replace("https://x.test/s/", "https://x.test/?a=1"), False),
    ("base_url ftp", BASE_CONFIG.replace("https://", "ftp://"), False),
    ("unknown key", BASE_CONFIG + "histroy_days: 3\n", False),
    ("history_days zero", BASE_CONFIG + "history_days: 0\n", False),
    ("history_days text", BASE_CONFIG + "history_days: many\n", False),
    ("feed_limit too big", BASE_CONFIG + "feed_limit: 100000\n", False),
    ("empty components", "title: T\nbase_url: https://x.test/\ncomponents: []\n", False),
    ("components as mapping", "title: T\nbase_url: https://x.test/\ncomponents:\n  api: API\n", False),
    ("component bad id", BASE_CONFIG.replace("id: api", "id: API"), False),
    ("component without name", BASE_CONFIG.replace("    name: API\n", ""), False),
    ("component unknown key", BASE_CONFIG + "    colour: red\n", False),
    ("cadence unknown level", BASE_CONFIG + "cadence:\n  sev5: 10\n", False),
    ("cadence zero", BASE_CONFIG + "cadence:\n  sev2: 0\n", False),
    ("metrics on", BASE_CONFIG + "metrics: true\n", True),
    ("metrics off", BASE_CONFIG + "metrics: false\n", True),
    ("metrics empty", BASE_CONFIG + "metrics:\n", True),
    ("metrics as a number", BASE_CONFIG + "metrics: 1\n", False),
    ("metrics as a word", BASE_CONFIG + "metrics: maybe\n", False),
    ("metrics as a list", BASE_CONFIG + "metrics: [true]\n", False),
    ("title too long", BASE_CONFIG.replace("title: T", "title: " + "x" * 201), False),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in CONFIG_CASES],
                         ids=[name for name, _, _ in CONFIG_CASES])
def test_config_schema_agrees_with_validator(text: str, expected: bool) -> None:
    assert validator_accepts_config(text) is expected
    assert schema_accepts("config", text) is expected


OPEN = "at: 2026-11-20T14:05:00Z\nphase: investigating\nnext_update: 2026-11-20T14:35:00Z\n"

INCIDENT_CASES = [
    ("open update", OPEN, True),
    ("first update", OPEN + "severity: sev2\ntitle: Payments failing\ncomponents:\n  api: partial_outage\n", True),
    ("resolved without next_update", "at: 2026-11-20T14:05:00Z\nphase: resolved\n", True),
    ("offset", OPEN.replace("14:05:00Z", "15:05:00+01:00"), True),
    ("space separator, no seconds", OPEN.replace("2026-11-20T14:05:00Z", "2026-11-20 14:05Z"), True),
    *[(f"severity {s}", OPEN + f"severity: {s}\n", True) for s in ["SEV-1", "sev-2", "P3", "p4", "Sev 2"]],
    ("all optional fields", OPEN + "detected_at: 2026-11-20T14:00:00Z\nstarted_at: 2026-11-20T13:50:00Z\n"
                                   "postmortem: /postmortems/x.html\nreported_by: customer\n", True),
    ("postmortem url", "at: 2026-11-20T14:05:00Z\nphase: resolved\npostmortem: https://acme.example/pm\n", True),
    ("missing at", "phase: resolved\n", False),
    ("missing phase", "at: 2026-11-20T14:05:00Z\n", False),
    ("open without next_update", "at: 2026-11-20T14:05:00Z\nphase: identified\n", False),
    ("unknown phase", OPEN.replace("investigating", "investigatin"), False),
    ("maintenance phase", OPEN.replace("investigating", "scheduled"), False),
    ("unknown severity", OPEN + "severity: sev5\n", False),
    ("severity word", OPEN + "severity: critical\n", False),
    ("naive timestamp", OPEN.replace("14:05:00Z", "14:05:00"), False),
    ("date only", OPEN.replace("2026-11-20T14:05:00Z", "2026-11-20"), False),
    ("basic ISO form", OPEN.replace("2026-11-20T14:05:00Z", "20261120T140500Z"), False),
    ("year 1969", OPEN.replace("2026-11-20T14:05", "1969-11-20T14:05"), False),
    ("month 13", OPEN.replace("2026-11-20T14:05", "2026-13-20T14:05"), False),
    ("unknown field", OPEN + "nxt_update: 2026-11-20T14:35:00Z\n", False),
    ("unknown component", OPEN + "components:\n  chekout: partial_outage\n", False),
    ("bad status", OPEN + "components:\n  api: down\n", False),
    ("under_maintenance in an incident", OPEN + "components:\n  api: under_maintenance\n", False),
    ("components as list", OPEN + "components: [api]\n", False),
    ("javascript postmortem", OPEN + "postmortem: javascript:alert(1)\n", False),
    ("protocol-relative postmortem", OPEN + "postmortem: //evil.test/x\n", False),
    ("dot-dot postmortem", OPEN + "postmortem: ../../etc/passwd\n", False),
    ("encoded dot-dot postmortem", OPEN + "postmortem: /%2e%2E/x\n", False),
    ("half-encoded dot-dot postmortem", OPEN + "postmortem: .%2e/x\n", False),
    ("encoded slash dot-dot postmortem", OPEN + "postmortem: /a%2f..%2fx\n", False),
    ("encoded backslash postmortem", OPEN + "postmortem: /%5cevil\n", False),
    ("encoded space postmortem", OPEN + "postmortem: /notes%20x.html\n", True),
    ("reported_by unknown", OPEN + "reported_by: twitter\n", False),
    ("title too long", OPEN + "title: " + "x" * 301 + "\n", False),
]


@pytest.mark.parametrize("front_matter, expected", [(t, e) for _, t, e in INCIDENT_CASES],
                         ids=[name for name, _, _ in INCIDENT_CASES])
def test_incident_schema_agrees_with_validator(front_matter: str, expected: bool) -> None:
    assert validator_accepts_update("incident", front_matter) is expected
    assert schema_accepts("incident", front_matter, COMPONENTS) is expected


SCHEDULED = ("at: 2026-11-20T09:00:00Z\nphase: scheduled\ntitle: DB upgrade\n"
             "window:\n  start: 2026-11-28T02:00:00Z\n  end: 2026-11-28T03:00:00Z\ncomponents: [api]\n")

MAINTENANCE_CASES = [
    ("first update", SCHEDULED, True),
    ("later update", "at: 2026-11-28T02:00:00Z\nphase: in_progress\n", True),
    ("with next_update", SCHEDULED + "next_update: 2026-11-28T02:30:00Z\n", True),
    ("incident phase", SCHEDULED.replace("scheduled", "investigating"), False),
    ("window without end", SCHEDULED.replace("  end: 2026-11-28T03:00:00Z\n", ""), False),
    ("window unknown key", SCHEDULED.replace("  end: 2026", "  length: 1h\n  end: 2026"), False),
    ("components as mapping", SCHEDULED.replace("components: [api]", "components:\n  api: under_maintenance"), False),
    ("unknown component", SCHEDULED.replace("[api]", "[apii]"), False),
    ("unknown field", SCHEDULED + "severity: sev2\n", False),
]


@pytest.mark.parametrize("front_matter, expected", [(t, e) for _, t, e in MAINTENANCE_CASES],
                         ids=[name for name, _, _ in MAINTENANCE_CASES])
def test_maintenance_schema_agrees_with_validator(front_matter: str, expected: bool) -> None:
    assert validator_accepts_update("maintenance", front_matter) is expected
    assert schema_accepts("maintenance", front_matter, COMPONENTS) is expected


@pytest.mark.parametrize("path", sorted((REPO / "content").rglob("*.md")), ids=lambda p: p.name)
def test_every_shipped_update_validates_against_the_sites_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    front_matter = text.split("---\n")[1]
    kind = ("postmortem" if path.name == "postmortem.md" else
            "incident" if "/incidents/" in path.as_posix() else "maintenance")
    ids = ["api", "dashboard", "auth", "webhooks", "checkout", "card-processing", "payouts"]
    assert schema_accepts(kind, front_matter, ids)


def test_schema_command_prints_each_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in SCHEMAS:
        result = runner.invoke(main, ["schema", name])
        assert result.exit_code == 0
        assert json.loads(result.output) == schema_for(name)
    site = runner.invoke(main, ["schema", "incident", "--source", str(REPO)])
    assert json.loads(site.output)["properties"]["components"]["propertyNames"]["enum"][0] == "api"
    broken = runner.invoke(main, ["schema", "incident", "--source", str(tmp_path)])
    assert broken.exit_code == 1 and "statusgen.yml: not found" in broken.output


def test_defaults_are_declared_once_and_described_from_the_declaration() -> None:
    """A field's default lives on its declaration: the config gets it, the schema says it."""
    problems: list = []
    mapping = load_mapping("title: T\nbase_url: https://s.example/\ncomponents:\n  - {id: api, name: API}\n",
                           "statusgen.yml", 1, problems)
    config = parse_config(mapping, problems)
    assert config is not None and not problems
    for field in spec.CONFIG.fields:
        if field.default is not None:
            assert getattr(config, field.name) == field.default
    assert config.cadence_minutes == spec.DEFAULT_CADENCE_MINUTES == {f.name: f.default for f in spec.CADENCE.fields}
    assert spec.CADENCE.names == SEVERITIES
    properties = schema_for("config")["properties"]
    assert properties["history_days"]["description"].endswith(" Default 90.")
    assert properties["metrics"]["description"].endswith(" Default false.")
    assert properties["timezone"]["description"].endswith(" Default UTC.")
