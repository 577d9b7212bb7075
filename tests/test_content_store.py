"""source.items.ContentStore: what `serve` keeps between rebuilds must load exactly what a fresh
load of the same files gives (items and problems), whatever was edited, added or deleted."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from conftest import REPO

from statusgen.source.load import (INCIDENTS_DIR, ContentStore, load_config, load_incidents, load_maintenances,
                                   load_site)
from statusgen.problems import Problem

NOW = datetime(2026, 11, 26, 7, tzinfo=timezone.utc)


def fresh(source: Path) -> tuple[list, list, list[Problem]]:
    problems: list[Problem] = []
    ids = [c.id for c in load_config(source, []).components]
    incidents = load_incidents(source, ids, problems)
    maintenances = load_maintenances(source, ids, problems)
    return incidents, maintenances, sorted(problems, key=Problem.sort_key)


def stored(store: ContentStore, source: Path) -> tuple[list, list, list[Problem]]:
    problems: list[Problem] = []
    ids = [c.id for c in load_config(source, []).components]
    incidents, maintenances = store.load(ids, problems)
    return incidents, maintenances, sorted(problems, key=Problem.sort_key)


def example_copy(tmp_path: Path) -> Path:
    """The example site's config and content, in a folder a test may change."""
    source = tmp_path / "site"
    source.mkdir()
    shutil.copy(REPO / "statusgen.yml", source)
    shutil.copytree(REPO / "content", source / "content")
    return source


def test_store_follows_edits_additions_deletions_and_mistakes(tmp_path: Path) -> None:
    source = example_copy(tmp_path)
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


def test_a_kept_store_gives_the_site_a_fresh_load_gives_at_every_now(tmp_path: Path) -> None:
    """Records carry no `now`: the one store serves builds at different times."""
    source = example_copy(tmp_path)
    store = ContentStore(source)
    for now in (NOW, datetime(2026, 11, 26, 9, tzinfo=timezone.utc), datetime(2026, 12, 3, 2, 30, tzinfo=timezone.utc)):
        site, theme = load_site(source, now, store=store)
        fresh_site, fresh_theme = load_site(source, now)
        assert site == fresh_site and site.now == now
        assert [i.is_overdue for i in site.incidents] == [i.is_overdue for i in fresh_site.incidents]
        assert [m.state for m in site.maintenances] == [m.state for m in fresh_site.maintenances]
        assert theme.digest == fresh_theme.digest
