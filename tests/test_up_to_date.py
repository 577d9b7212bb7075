"""Skipped builds: only when nothing a build reads has changed and the output is as written."""

from __future__ import annotations

from pathlib import Path

from conftest import run_build

OPEN = "content/incidents/2026-11-26-webhook-delivery-delays/2026-11-26T0631Z.md"


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_unchanged_inputs_skip_the_build(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    assert run_build(example_source, output).output.startswith("Built ")
    before = snapshot(output)
    again = run_build(example_source, output)
    assert again.exit_code == 0
    assert again.output.startswith(f"{output} is up to date: no input changed")
    assert snapshot(output) == before


def test_any_change_rebuilds_and_matches_a_cold_build(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    run_build(example_source, output)
    update = example_source / OPEN
    update.write_text(update.read_text().replace("We've found the cause", "We have found the cause"))
    rebuilt = run_build(example_source, output)
    assert rebuilt.output.startswith("Built ")
    cold = run_build(example_source, tmp_path / "cold")
    assert snapshot(output) == snapshot(cold.site)


def test_a_different_now_rebuilds(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    run_build(example_source, output)
    later = run_build(example_source, output, now="2026-11-26T07:45:00Z")
    assert later.output.startswith("Built ")
    assert "Update overdue" in later.read("index.html")


def test_tampered_output_is_rebuilt(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    run_build(example_source, output)
    before = snapshot(output)
    (output / "favicon.svg").unlink()
    assert run_build(example_source, output).output.startswith("Built ")
    index = output / "index.html"
    index.write_bytes(index.read_bytes().replace(b"Degraded", b"Defaced!"))  # same size
    (output / "stray.txt").write_text("x")
    assert run_build(example_source, output).output.startswith("Built ")
    assert snapshot(output) == before


def test_theme_change_rebuilds(example_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    config = example_source / "statusgen.yml"
    config.write_text(config.read_text() + "theme: mytheme\n")
    (example_source / "mytheme/assets").mkdir(parents=True)
    css = example_source / "mytheme/assets/style.css"
    css.write_text("body { color: #111; }\n")
    run_build(example_source, output)
    css.write_text("body { color: #222; }\n")
    rebuilt = run_build(example_source, output)
    assert rebuilt.output.startswith("Built ")
    assert (output / "assets/style.css").read_text() == "body { color: #222; }\n"


POSTMORTEM = "content/incidents/2026-10-14-api-dashboard-checkout-outage/postmortem.md"


def test_an_edited_postmortem_is_noticed(example_source: Path, tmp_path: Path) -> None:
    """postmortem.md is an input of the build like an update file: editing it means the output is
    no longer up to date, and the rebuilt page shows the edit."""
    output = tmp_path / "site"
    run_build(example_source, output)
    assert run_build(example_source, output).output.startswith(f"{output} is up to date")
    postmortem = example_source / POSTMORTEM
    text = postmortem.read_text()
    assert "cause: config-change" in text
    postmortem.write_text(text.replace("cause: config-change", "cause: software-bug"))
    rebuilt = run_build(example_source, output)
    assert rebuilt.output.startswith("Built ")
    page = rebuilt.read("incidents/2026-10-14-api-dashboard-checkout-outage/postmortem/index.html")
    assert '<dd class="cause">software-bug</dd>' in page
    cold = run_build(example_source, tmp_path / "cold")
    assert snapshot(output) == snapshot(cold.site)
