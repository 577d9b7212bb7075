"""Whole built sites against golden manifests: every output file's path and sha256.

The architecture work (issue 11) moves code, not behaviour; these manifests pin the exact bytes
of the shipped example and of a generated benchmark site (large enough to render in forked
workers), cold and with a warm cache. To regenerate after an intended change, run
`STATUSGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_site.py` and review the diff.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, REPO, run_build

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("STATUSGEN_UPDATE_GOLDEN") == "1"
BENCH_UPDATES = 1200


def manifest(site: Path) -> str:
    """'sha256  path' for every file of a built site, sorted by path, as `sha256sum` writes it.

    The marker file is left out: its fingerprint digests statusgen's own code, so it changes
    with every commit (its other line digests exactly the files listed here)."""
    lines = []
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != ".statusgen-output"):
        relative = path.relative_to(site).as_posix()
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {relative}")
    return "\n".join(lines) + "\n"


def compare(site: Path, name: str) -> None:
    golden = GOLDEN / name
    built = manifest(site)
    if UPDATE_GOLDEN:
        golden.write_text(built, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run with STATUSGEN_UPDATE_GOLDEN=1 to create it"
    expected = golden.read_text(encoding="utf-8")
    if built != expected:
        want = dict(reversed(line.split("  ", 1)) for line in expected.splitlines())
        got = dict(reversed(line.split("  ", 1)) for line in built.splitlines())
        differ = sorted(p for p in want.keys() | got.keys() if want.get(p) != got.get(p))
        pytest.fail(f"{len(differ)} files differ from {golden.name}, e.g. {differ[:10]}; if the "
                    f"change is intended, regenerate with STATUSGEN_UPDATE_GOLDEN=1")


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_example_site_matches_golden_manifest(tmp_path: Path, cache: str) -> None:
    output = tmp_path / "site"
    result = run_build(REPO, output, EXAMPLE_NOW, "--no-cache")
    assert result.exit_code == 0, result.output
    if cache == "warm":  # a rebuild with the cache filled, into the same output
        (output / "index.html").write_text("tampered", encoding="utf-8")
        for _ in range(2):
            result = run_build(REPO, output, EXAMPLE_NOW)
            assert result.exit_code == 0, result.output
    compare(output, "site-example.sha256")


@pytest.fixture(scope="module")
def bench_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    source = tmp_path_factory.mktemp("bench") / "site-src"
    assert generate.main(["--updates", str(BENCH_UPDATES), "--out", str(source)]) == 0
    return source


def test_bench_site_matches_golden_manifest(tmp_path: Path, bench_source: Path) -> None:
    import generate

    output = tmp_path / "site"
    result = run_build(bench_source, output, generate.NOW_ARG)
    assert result.exit_code == 0, result.output
    compare(output, f"site-bench-{BENCH_UPDATES}.sha256")
    # The same again with everything cached (parse cache, Markdown, kept pages).
    result = run_build(bench_source, output, "2026-11-26T00:00:01Z")
    result = run_build(bench_source, output, generate.NOW_ARG)
    assert result.exit_code == 0, result.output
    compare(output, f"site-bench-{BENCH_UPDATES}.sha256")
