"""Property-based tests: random valid sites always build, consistently; random damage to a file
never produces a traceback."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitecheck import broken_internal_links, tree
from statusgen.cli import main
from statusgen.vocabulary import INCIDENT_PHASES, STATUS_RANK

INCIDENT_STATUSES = ["operational", "degraded_performance", "partial_outage", "major_outage"]
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
NOW = "2026-12-31T00:00:00Z"

component_ids = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), min_size=1, max_size=6,
                         unique=True)
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


def yaml_string(value: str) -> str:
    # JSON strings are YAML double-quoted scalars; escape astral characters as \U so YAML reads
    # them back whole (JSON's surrogate pairs are not combined by YAML).
    return json.dumps(value, ensure_ascii=False)


@st.composite
def sites(draw):
    ids = draw(component_ids)
    config = ["title: " + yaml_string(draw(text)), "base_url: https://example.test/sub/path/", "components:"]
    for cid in ids:
        config += [f"  - id: {cid}", f"    name: {yaml_string(draw(text))}",
                   f"    group: {yaml_string(draw(st.sampled_from(['Core', 'Edge', 'Ünïcode ✓'])))}"]
    files = {"statusgen.yml": "\n".join(config) + "\n"}
    for number in range(draw(st.integers(0, 5))):
        at = START + timedelta(minutes=draw(st.integers(0, 500_000)))
        phases = sorted(draw(st.lists(st.sampled_from(INCIDENT_PHASES), min_size=1, max_size=5)),
                        key=INCIDENT_PHASES.index)
        for index, phase in enumerate(phases):
            at += timedelta(minutes=draw(st.integers(1, 600)))
            lines = ["---", f"at: {at:%Y-%m-%dT%H:%M:%SZ}", f"phase: {phase}"]
            if index == 0:
                lines += [f"severity: {draw(st.sampled_from(['sev1', 'SEV-2', 'P3', 'sev4']))}",
                          f"title: {yaml_string(draw(text))}"]
            affected = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
            if affected:
                lines.append("components:")
                lines += [f"  {cid}: {draw(st.sampled_from(INCIDENT_STATUSES))}" for cid in affected]
            if phase != "resolved":
                lines.append(f"next_update: {at + timedelta(minutes=draw(st.integers(1, 120))):%Y-%m-%dT%H:%M:%SZ}")
            body = draw(st.text(min_size=0, max_size=200).map(lambda b: "".join(
                c for c in b if c in "\n\t" or (c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF))))
            lines += ["---", body]
            files[f"content/incidents/inc-{number}/{index:02d}.md"] = "\n".join(lines) + "\n"
    return files


def write(root: Path, files: dict[str, str]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def build(source: Path, output: Path):
    return CliRunner().invoke(main, ["build", "--source", str(source), "--output", str(output), "--now", NOW])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_random_valid_sites_build_consistently(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root / "src", files)
        first = build(root / "src", root / "one")
        assert first.exit_code == 0, first.output
        second = build(root / "src", root / "two")
        assert second.exit_code == 0

        built = sorted(p.relative_to(root / "one") for p in (root / "one").rglob("*") if p.is_file())
        assert built == sorted(p.relative_to(root / "two") for p in (root / "two").rglob("*") if p.is_file())
        assert all((root / "one" / p).read_bytes() == (root / "two" / p).read_bytes() for p in built)

        index = tree((root / "one/index.html").read_text(encoding="utf-8"))
        statuses = [cls.split()[-1].removeprefix("status-")
                    for cls in index.xpath('//li[contains(@class, "component")]//span[contains(@class, "status ")]/@class')]
        overall = index.xpath('//section[contains(@class, "overall")]/@class')[0].split()[-1].removeprefix("overall-")
        assert overall == max(statuses, key=STATUS_RANK.__getitem__)

        updates = sum(1 for path in files if path.startswith("content/"))
        for feed in ["feed.xml", "atom.xml"]:
            parsed = feedparser.parse((root / "one" / feed).read_bytes())
            assert not parsed.bozo, parsed.get("bozo_exception")
            assert len(parsed.entries) == min(updates, 50)
        assert broken_internal_links(root / "one") == []


BASE = """---
at: 2026-11-20T14:05:00Z
phase: investigating
severity: sev2
title: "Card payments failing: \\"declined\\" errors"
components:
  checkout: partial_outage
next_update: 2026-11-20T14:35:00Z
---
We're **investigating** failed card payments. [Status](https://example.test/).
"""
CONFIG = "title: T\nbase_url: https://example.test/\ncomponents:\n  - id: checkout\n    name: Checkout\n"


@st.composite
def damaged(draw):
    data = bytearray(BASE.encode())
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = bytes(draw(st.lists(st.integers(0, 255), min_size=1, max_size=4)))
        elif data:
            del data[position:position + draw(st.integers(1, 6))]
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_update_file_never_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        (source / "content/incidents/x").mkdir(parents=True)
        (source / "statusgen.yml").write_text(CONFIG)
        (source / "content/incidents/x/1.md").write_bytes(data)
        result = CliRunner().invoke(main, ["build", "--source", str(source), "--output", str(Path(tmp) / "out"),
                                           "--now", NOW])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        if result.exit_code == 1:
            assert result.output.splitlines()[0].startswith("content/incidents/x/1.md")
