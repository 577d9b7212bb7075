"""The README's promises: its two set-up commands, and the error example it shows."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import EXAMPLE_NOW, REPO, run_build, write_site


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    top = readme.split("---", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", top, flags=re.S)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    # The example is built as of the time its story is set, as the tests build it: at the real
    # time its open incident's promise would be long overdue.
    assert commands[0].endswith(f"statusgen build --now {EXAMPLE_NOW}")
    ci_lines = [line for line in (REPO / ".ci/run").read_text().splitlines() if line.strip()]
    assert ci_lines[-1] == commands[1]


def test_readme_first_command_shows_the_example_without_an_overdue_promise(tmp_path: Path) -> None:
    now = setup_commands()[0].rsplit("--now ", 1)[1]
    result = run_build(REPO, tmp_path / "site", now)
    assert result.exit_code == 0, result.output
    index = result.read("index.html")
    body = index.split("<body", 1)[1]  # live.js's words, on <html>, name "Update overdue"
    assert "Next update by" in body and "Update overdue" not in body and 'class="promise overdue"' not in body


def test_readme_error_example_is_what_statusgen_prints(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ statusgen build\n(content/.*?nothing was written\.)\n", readme, flags=re.S).group(1)
    folder = "content/incidents/2026-11-20-card-payments"
    source = write_site(tmp_path / "src", {
        f"{folder}/1405.md": """\
            ---
            at: 2026-11-20T14:05:00Z
            phase: investigating
            severity: sev5
            title: Card payments failing at checkout
            components:
              checkout: partial_outage
            next_update: 2026-11-20T14:35:00Z
            ---
            We're investigating.
            """,
        f"{folder}/1431.md": """\
            ---
            at: 2026-11-20T14:31:00Z
            phase: identified
            components:
              checkout: degraded_performance
              chekout: partial_outage
            next_update: 2026-11-20 15:00
            ---
            Found it.
            """,
    }, config="title: T\nbase_url: https://x.test/\ncomponents:\n  - id: api\n    name: API\n"
              "  - id: checkout\n    name: Checkout\n")
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 1
    assert result.output.strip() == shown.strip()


def test_readme_lists_every_rule_statusgen_check_applies() -> None:
    """The check section's table has one row per finding code of commands/check.py, at its level."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Checking a site: statusgen check\n", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning|notice) \|", section, flags=re.M))
    source = (REPO / "statusgen/commands/check.py").read_text(encoding="utf-8")
    rules = dict((code, level) for level, code in re.findall(r'[Ff]inding\("(\w+)", "([a-z-]+)"', source))
    assert rules and rows == rules
    for option in ("--strict", "--format text", "--format github", "--format json"):
        assert option in section, option


def test_readme_documents_every_schema_target() -> None:
    from statusgen.cli import main

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## JSON Schemas for your editor: statusgen schema\n", 1)[1].split("\n## ", 1)[0]
    targets = main.commands["schema"].params[0].type.choices
    assert f"statusgen schema [{'|'.join(targets)}]" in section
    assert "# yaml-language-server: $schema=" in section and '"yaml.schemas"' in section
