"""content.ContentStore: what `serve` keeps between rebuilds must load exactly what a fresh
load of the same files gives (items and problems), whatever was edited, added or deleted."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from conftest import REPO

from statusgen.source.config import load_config
from statusgen.source.discovery import INCIDENTS_DIR
from statusgen.source.items import ContentStore, load_incidents, load_maintenances
from statusgen.problems import Problem

NOW = datetime(2026, 11, 26, 7, tzinfo=timezone.utc)


def fresh(source: Path, now: datetime = NOW) -> tuple[list, list, list[Problem]]:
    problems: list[Problem] = []
    ids = [c.id for c in load_config(source, []).components]
    incidents = load_incidents(source, ids, now, problems)
    maintenances = load_maintenances(source, ids, now, problems)
    return incidents, maintenances, sorted(problems, key=Problem.sort_key)


def stored(store: ContentStore, source: Path, now: datetime = NOW) -> tuple[list, list, list[Problem]]:
    problems: list[Problem] = []
    ids = [c.id for c in load_config(source, []).components]
    incidents, maintenances = store.load(ids, now, problems)
    return incidents, maintenances, sorted(problems, key=Problem.sort_key)


def test_store_follows_edits_additions_deletions_and_mistakes(tmp_path: Path) -> None:
    source = tmp_path / "site"
    source.mkdir()
    shutil.copy(REPO / "statusgen.yml", source)
    shutil.copytree(REPO / "content", source / "content")
    store = ContentStore(source)
    assert stored(store, source) == fresh(source)
    incidents = source / INCIDENTS_DIR
    first = sorted(incidents.iterdir())[0]
    update = sorted(first.iterdir())[0]

    update.write_text(update.read_text().replace("title:", "title: Edited"), encoding="utf-8")
    store.forget(update)
    assert stored(store, source) == fresh(source)
    assert any(i.title.startswith("Edited") for i in stored(store, source)[0])

    update.write_text(update.read_text().replace("phase: resolved", "phase: resolvd"), encoding="utf-8")
    store.forget(update)
    result = stored(store, source)
    assert result == fresh(source) and result[2], "the mistake is reported"

    copy = incidents / "2026-11-25-copy"
    shutil.copytree(sorted(incidents.iterdir())[1], copy)
    store.forget(copy)
    assert stored(store, source) == fresh(source)

    shutil.rmtree(first)
    store.forget(first)
    assert stored(store, source) == fresh(source)
    assert not any(i.id == first.name for i in stored(store, source)[0])

    (incidents / "stray.md").write_text("---\n---\n", encoding="utf-8")
    store.forget(incidents / "stray.md")
    assert stored(store, source) == fresh(source)

    later = datetime(2026, 11, 26, 9, tzinfo=timezone.utc)
    assert stored(store, source, later) == fresh(source, later)
