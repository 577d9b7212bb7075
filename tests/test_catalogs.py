"""statusgen's shipped catalogs are complete, current and compiled from their sources.

`catalog_problems()` is the one list of rules: tools/catalogs.py check prints it, the tests here
assert it is empty, one rule at a time so a failure says which.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO
from statusgen.source.language import message_problems, shipped_languages

_spec = importlib.util.spec_from_file_location("catalogs_tool", REPO / "tools" / "catalogs.py")
catalogs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalogs)  # type: ignore[union-attr]

SHIPPED = [path.parent.parent.name for path in catalogs.po_files()]


def _key(message) -> tuple:
    return (message.context, message.id)


def _shape(catalog) -> dict:
    """What extraction decides about each message: its id(s), context, where it is used, its notes."""
    # Notes compared word by word: the .pot wraps a long note over several lines.
    return {_key(m): (sorted({path for path, _ in m.locations}), " ".join(m.auto_comments).split())
            for m in catalog if m.id}


def template_problems() -> list[str]:
    committed = read_po(io.BytesIO(catalogs.TEMPLATE.read_bytes()))
    fresh = catalogs.extracted()
    have, want = _shape(committed), _shape(fresh)
    problems = [f"statusgen.pot lacks {key[1]!r} (run tools/catalogs.py extract)" for key in want if key not in have]
    problems += [f"statusgen.pot still has {key[1]!r}, which nothing uses (run tools/catalogs.py extract)"
                 for key in have if key not in want]
    problems += [f"statusgen.pot's locations or notes for {key[1]!r} are stale (run tools/catalogs.py extract)"
                 for key in want if key in have and have[key] != want[key]]
    return problems


def translation_problems(po: Path) -> list[str]:
    shown = po.relative_to(REPO).as_posix()
    template = {_key(m): m for m in read_po(io.BytesIO(catalogs.TEMPLATE.read_bytes())) if m.id}
    catalog = catalogs.read(po)
    messages = {_key(m): m for m in catalog if m.id}
    problems = [f"{shown}: lacks {key[1]!r} (run tools/catalogs.py update)" for key in template if key not in messages]
    problems += [f"{shown}: has {key[1]!r}, which statusgen.pot does not" for key in messages if key not in template]
    for key, message in messages.items():
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if message.fuzzy:
            problems.append(f"{shown}:{message.lineno}: {key[1]!r} is marked fuzzy")
        if not all(strings) or (message.pluralizable and len(strings) != catalog.num_plurals):
            problems.append(f"{shown}:{message.lineno}: {key[1]!r} is not translated "
                            f"({catalog.num_plurals} plural forms wanted)" if message.pluralizable
                            else f"{shown}:{message.lineno}: {key[1]!r} is not translated")
        problems += [str(problem) for problem in message_problems(message, shown)]
    compiled = po.with_suffix(".mo")
    if not compiled.is_file() or compiled.read_bytes() != catalogs.mo_bytes(catalog):
        problems.append(f"{compiled.relative_to(REPO).as_posix()} is not {shown} compiled (run tools/catalogs.py compile)")
    return problems


def catalog_problems() -> list[str]:
    problems = template_problems()
    for po in catalogs.po_files():
        problems += translation_problems(po)
    return problems


def test_the_template_holds_exactly_the_messages_the_code_and_theme_use() -> None:
    assert template_problems() == []


def test_the_template_has_messages_from_both_code_and_templates() -> None:
    places = {path for m in read_po(io.BytesIO(catalogs.TEMPLATE.read_bytes())) for path, _ in m.locations}
    assert any(path.startswith("statusgen/") for path in places)
    assert any(path.startswith("themes/default/templates/") for path in places)


@pytest.mark.parametrize("folder", SHIPPED)
def test_every_shipped_catalog_is_complete_valid_and_compiled(folder: str) -> None:
    po = catalogs.LOCALE / folder / "LC_MESSAGES" / "statusgen.po"
    assert translation_problems(po) == []


def test_statusgen_ships_the_languages_the_readme_lists() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Languages", 1)[1].split("\n## ", 1)[0]
    for tag in shipped_languages():
        assert f"`{tag}`" in section, f"README's Languages does not list {tag}"
    assert len(shipped_languages()) >= 2


def test_the_catalog_tool_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    first = catalogs.pot_bytes(catalogs.extracted())
    assert catalogs.pot_bytes(catalogs.extracted()) == first
    assert b"POT-Creation-Date: 2026-12-01 00:00+0000" in first
