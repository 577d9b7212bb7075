"""Finding the items of a site: one folder per incident or maintenance, one file per update.

Ids are validated here, and nothing is read through a symbolic link that leads outside the
site's folder. A folder or entry that cannot be listed or told apart (a symbolic link that
loops, no permission) is a Problem, never an exception.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..problems import Problem
from .fields import ID_PATTERN, ID_RULE
from .files import unreadable


INCIDENTS_DIR = "content/incidents"


MAINTENANCE_DIR = "content/maintenance"


def list_items(source_dir: Path, folder: str, problems: list[Problem]) -> list[tuple[str, str, bool]]:
    """(id, path, whether it is inside the site) of every item folder of `folder`, ids validated."""
    root = source_dir / folder
    found: list[tuple[str, str, bool]] = []
    resolved_source = source_dir.resolve()
    # Only a symbolic link can lead outside: anything else is inside if its folder is.
    root_inside = is_inside(root, resolved_source)
    for entry in sorted_entries(root, folder, problems):
        shown = f"{folder}/{entry.name}"
        if entry.name.startswith("."):
            continue
        entry_inside = is_inside(entry.path, resolved_source) if entry.is_symlink() else root_inside
        if not entry_inside:
            problems.append(Problem(shown, None, None, "is a symbolic link to a place outside the "
                                                       "site's folder; copy the content in instead"))
            continue
        kind = entry_kind(entry, shown, problems)
        if kind is None:
            continue
        if kind == "file":
            if entry.name.endswith(".md"):
                problems.append(Problem(shown, None, None, f"update files belong in a folder per "
                                                           f"item: {folder}/<id>/{entry.name}"))
            continue
        if kind == "other":
            problems.append(Problem(shown, None, None, "is a symbolic link to a folder that does not exist"
                                    if entry.is_symlink() else "is not a folder; each item is a folder of "
                                                               "update files"))
            continue
        if not ID_PATTERN.fullmatch(entry.name) or len(entry.name) > 100:
            problems.append(Problem(shown, None, "id", f"folder name '{entry.name}' is not a valid id: "
                                                       f"use {ID_RULE}"))
            continue
        found.append((entry.name, entry.path, entry_inside))
    return found


def item_files(source_dir: Path, folder: str, item_id: str, item_path: str, inside: bool,
               problems: list[Problem], resolved_source: Path | None = None) -> list[tuple[str, str]]:
    """[(path, file shown in messages)] of the update files in one item folder."""
    shown = f"{folder}/{item_id}"
    resolved_source = resolved_source or source_dir.resolve()
    files = []
    for child in sorted_entries(item_path, shown, problems):
        path = child.path  # a str: Path objects for 10,000s of files cost a noticeable 0.4 s
        shown_file = f"{shown}/{child.name}"
        if child.name.startswith("."):
            continue
        kind = entry_kind(child, shown_file, problems)
        if kind is None:
            continue
        if kind == "folder" and any(Path(path).rglob("*.md")):
            problems.append(Problem(shown_file, None, None, (
                f"folders inside an item folder are not read, so its updates would never be "
                f"published; move the .md files up into {shown}/")))
            continue
        if not child.name.endswith(".md"):
            continue
        symlink = child.is_symlink()
        if not (is_inside(path, resolved_source) if symlink else inside):
            problems.append(Problem(shown_file, None, None, "is a symbolic link to a place outside "
                                                            "the site's folder; copy the file in instead"))
            continue
        if kind == "file":
            files.append((path, shown_file))
        elif symlink:
            problems.append(Problem(shown_file, None, None, "is a symbolic link to a file that "
                                                            "does not exist"))
        else:
            problems.append(Problem(shown_file, None, None, "is not a file; update files are "
                                                            "Markdown files ending in .md"))
    return files


def sorted_entries(folder: Path | str, shown: str, problems: list[Problem]) -> list[os.DirEntry]:
    """The entries of `folder` by name: none if it is missing or not a folder, and none after
    recording why it cannot be listed (no permission, a symbolic link that loops)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:
        problems.append(Problem(shown, None, None, unreadable(error)))
        return []


def entry_kind(entry: os.DirEntry, shown: str, problems: list[Problem]) -> str | None:
    """"file", "folder" or "other" for a folder entry, following a symbolic link; None after
    recording why that cannot be told (a link that loops, no permission)."""
    try:
        return "file" if entry.is_file() else "folder" if entry.is_dir() else "other"
    except OSError as error:
        problems.append(Problem(shown, None, None, unreadable(error)))
        return None


def is_inside(path: Path | str, resolved_root: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(resolved_root)
    except OSError:
        return False
