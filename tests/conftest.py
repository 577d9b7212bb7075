"""Shared fixtures: build sites into temporary folders and look at what comes out."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# In CI, property tests explore the same examples every run, so a red build always means a
# change broke something; locally they keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from statusgen.cli import main

# Builds in tests never read or fill the user's real cache, even in session-wide fixtures
# (each test also gets a cache of its own: private_build_cache).
os.environ["STATUSGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="statusgen-test-cache-")
atexit.register(shutil.rmtree, os.environ["STATUSGEN_CACHE_DIR"], True)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_NOW = "2026-11-26T07:00:00Z"
"""A fixed time for the shipped example: the webhook incident is open, its promise not yet due."""

MINIMAL_CONFIG = """\
title: Test Status
base_url: https://example.test/status/
components:
  - id: api
    name: API
    group: Platform
  - id: checkout
    name: Checkout
    group: Payments
"""


@dataclass
class BuildResult:
    exit_code: int
    output: str
    """stdout and stderr together."""
    site: Path

    def read(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def run_build(source: Path, output: Path, now: str | None = EXAMPLE_NOW, *extra: str) -> BuildResult:
    args = ["build", "--source", str(source), "--output", str(output), *extra]
    if now is not None:
        args += ["--now", now]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return BuildResult(result.exit_code, result.output, output)


def write_site(root: Path, files: dict[str, str], config: str | None = MINIMAL_CONFIG) -> Path:
    """Write a small source site; file contents are dedented so tests can indent them."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "statusgen.yml").write_text(config, encoding="utf-8")
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def private_build_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own build cache, so no test sees another's (or the user's) cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("STATUSGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def example_source(tmp_path: Path) -> Path:
    """A private copy of the shipped example site."""
    source = tmp_path / "example"
    source.mkdir()
    shutil.copy(REPO / "statusgen.yml", source / "statusgen.yml")
    shutil.copytree(REPO / "content", source / "content")
    return source


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The shipped example, built once at EXAMPLE_NOW (read-only for tests)."""
    output = tmp_path_factory.mktemp("example") / "site"
    result = run_build(REPO, output)
    assert result.exit_code == 0, result.output
    return result
