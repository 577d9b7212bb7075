"""Finding the items of a site: one folder per incident or maintenance, one file per update.

Ids are validated here; every folder and file goes through the site's one reading rule
(files.SiteFiles), so nothing is read through a link that leads outside the site's folder, and a
link loop, a FIFO or a folder that cannot be read is reported, never a hang or a traceback.
Update files end in `.md`: a file in Markdown's other spellings (`.MD`, `.markdown`, ...) is
refused with a message, never silently left out.
"""

from __future__ import annotations

import os

from ..problems import Problem
from .fields import ID_PATTERN, ID_RULE
from .files import SiteFiles, is_utf8_name, readable_name


INCIDENTS_DIR = "content/incidents"


MAINTENANCE_DIR = "content/maintenance"


UPDATE_SUFFIX = ".md"

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""The spellings editors and other tools give Markdown files, compared case-insensitively."""


def is_markdown_name(name: str) -> bool:
    """Whether a file name looks like Markdown in any spelling (only `.md` is an update file)."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def list_items(site: SiteFiles, folder: str, problems: list[Problem]) -> list[tuple[str, str]]:
    """(id, path) of every item folder of `folder`, ids validated."""
    found: list[tuple[str, str]] = []
    for entry in site.entries(os.path.join(site.root, folder), folder, problems):
        shown = f"{folder}/{readable_name(entry.name)}"
        kind, real = site.kind(entry.path)
        if kind == "file":
            if is_markdown_name(entry.name):
                problems.append(Problem(shown, None, None, f"update files belong in a folder per "
                                                           f"item: {folder}/<id>/{readable_name(entry.name)}"))
            continue
        if kind == "refused":
            problems.append(Problem(shown, None, None, real))
            continue
        if kind == "missing":
            continue
        if not is_utf8_name(entry.name) or not ID_PATTERN.fullmatch(entry.name) or len(entry.name) > 100:
            problems.append(Problem(shown, None, "id", f"folder name '{readable_name(entry.name)}' is not "
                                                       f"a valid id: use {ID_RULE}"))
            continue
        found.append((entry.name, entry.path))
    return found


def item_files(site: SiteFiles, folder: str, item_id: str, item_path: str,
               problems: list[Problem]) -> list[tuple[str, str]]:
    """[(path, file shown in messages)] of the update files in one item folder."""
    shown = f"{folder}/{item_id}"
    files = []
    for child in site.entries(item_path, shown, problems):
        path = child.path  # a str: Path objects for 10,000s of files cost a noticeable 0.4 s
        name = readable_name(child.name)
        shown_file = f"{shown}/{name}"
        if child.is_file(follow_symlinks=False):  # the common case: the listing says what it is
            kind, real = "file", path
            site.listed_files.add(path)
        else:
            kind, real = site.kind(path)  # links, folders and anything odd: the rule decides
        if kind == "folder":
            if _holds_markdown(real):
                problems.append(Problem(shown_file, None, None, (
                    f"folders inside an item folder are not read, so its updates would never be "
                    f"published; move the .md files up into {shown}/")))
            elif is_markdown_name(child.name):
                problems.append(Problem(shown_file, None, None, "is not a file; update files are "
                                                                "Markdown files ending in .md"))
            continue
        if kind == "refused" and not is_markdown_name(child.name):
            # Not an update file by its name, but a loop or a special file may stand for one (or
            # for a folder of them): say so rather than pass over it without a word.
            problems.append(Problem(shown_file, None, None, real))
            continue
        if not is_markdown_name(child.name):
            continue
        if not is_utf8_name(child.name):
            problems.append(Problem(shown_file, None, None, "the name is not valid UTF-8; rename it"))
        elif not child.name.endswith(UPDATE_SUFFIX):
            stem = name[:name.rfind(".")]
            problems.append(Problem(shown_file, None, None, (
                f"update files must end in .md (in lowercase), so this one would never be published; "
                f"rename it to {stem}.md")))
        elif kind == "file":
            files.append((path, shown_file))
        elif kind == "refused":
            problems.append(Problem(shown_file, None, None, real))
    return files


def _holds_markdown(folder: str) -> bool:
    """Whether a folder (a real one, not a link) holds Markdown files at any depth; links are not
    followed and folders that cannot be read are passed over."""
    for _, _, names in os.walk(folder):
        if any(is_markdown_name(name) for name in names):
            return True
    return False
