"""Reading a site's source files safely: size, encoding, control characters, front matter.

Every mistake becomes a Problem naming the file and line; nothing here raises on bad input.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from .fields import UNSHOWABLE, unshowable_character
from .located_yaml import LocatedMapping, load_mapping


BODY_LINE = "(body)"
"""The key of the body's first line in an update's field_lines (no front-matter field has it)."""

MAX_FILE_BYTES = 1024 * 1024
"""Update files are a few paragraphs; anything near this is a mistake (a pasted log, a binary)."""


@dataclass(frozen=True)
class SourceDocument:
    """One update file split into its front matter and Markdown body."""

    file: str
    front_matter: LocatedMapping
    body: str
    body_line: int = 0
    """The line of the file the body's first line is on (0: no body)."""


def read_source_text(path: Path | str, file: str, problems: list[Problem]) -> str | None:
    """A source file as text with '\\n' line endings, or None after recording why not."""
    data = read_source_bytes(path, file, problems)
    return source_text(data, file, problems) if data is not None else None


def read_source_bytes(path: Path | str, file: str, problems: list[Problem]) -> bytes | None:
    """A source file's bytes, or None after recording why it cannot be read (or is too big)."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                size = os.fstat(stream.fileno()).st_size
                problems.append(Problem(file, None, None, f"file is {size:,} bytes; the limit is "
                                                          f"{MAX_FILE_BYTES:,} bytes (1 MiB)"))
                return None
    except OSError as error:
        problems.append(Problem(file, None, None, unreadable(error)))
        return None
    return data


def unreadable(error: OSError) -> str:
    """What to say about a file or folder that reading (or listing) failed on: `error`."""
    if error.errno == errno.ELOOP:
        return "is a symbolic link that loops (it leads back to itself); remove it or fix its target"
    return f"cannot be read: {error.strerror or error}"


MAX_ASSET_BYTES = 10 * MAX_FILE_BYTES
"""A theme's images and fonts may be larger than update files, but not without limit."""


def read_template_text(path: Path, file: str, problems: list[Problem]) -> str | None:
    """A theme template's text (line endings made '\n'), or None after recording why not."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(file, None, None, f"cannot read template: {error}"))
        return None


def read_asset_bytes(path: Path, file: str, problems: list[Problem]) -> bytes | None:
    """A theme asset's bytes, or None after recording why not (unreadable, over 10 MiB)."""
    try:
        if path.stat().st_size > MAX_ASSET_BYTES:
            problems.append(Problem(file, None, None, "theme asset is larger than 10 MiB"))
            return None
        return path.read_bytes()
    except OSError as error:
        problems.append(Problem(file, None, None, f"cannot read asset: {error}"))
        return None


def source_text(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """A source file's bytes as text with '\\n' line endings, or None after recording why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(file, 1, None, "file is saved as UTF-16; save it as UTF-8"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # Windows editors add a byte order mark; it carries no meaning in UTF-8.
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(file, line, None, "file looks binary (it contains a NUL byte); "
                                                  "save it as UTF-8 text"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        problems.append(Problem(file, line, None, f"file is not valid UTF-8 (byte 0x{data[error.start]:02x}); "
                                                  f"save it as UTF-8"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = unshowable_character(text)
    if bad:
        line = text[:UNSHOWABLE.search(text).start()].count("\n") + 1
        problems.append(Problem(file, line, None, f"file contains the control character {bad}, which "
                                                  f"cannot be published; remove it"))
        return None
    return text


def split_front_matter(text: str, file: str, problems: list[Problem]) -> SourceDocument | None:
    """Split '---\\n<yaml>\\n---\\n<body>' into a parsed front matter mapping and the body."""
    if not text.strip():
        problems.append(Problem(file, 1, None, "file is empty; an update starts with a front matter "
                                               "block between two '---' lines"))
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(Problem(file, 1, None, "front matter missing: the file must start with a line "
                                               "'---', then the fields, then another '---'"))
        return None
    closing = closing_line(lines)
    if closing is None:
        problems.append(Problem(file, 1, None, "front matter is not closed: add a line '---' after "
                                               "the fields"))
        return None
    front_matter = load_mapping("\n".join(lines[1:closing]) + "\n", file, 2, problems,
                                end=f"the closing '{lines[closing].rstrip()}'")
    if front_matter is None:
        return None
    body = _body(lines, closing)
    blank = next((n for n in range(closing + 1, len(lines)) if lines[n].strip("\n")), len(lines))
    return SourceDocument(file, front_matter, body, blank + 1 if body else 0)


def closing_line(lines: list[str]) -> int | None:
    return next((n for n in range(1, len(lines)) if lines[n].rstrip() in ("---", "...")), None)


def _body(lines: list[str], closing: int) -> str:
    return "\n".join(lines[closing + 1:]).strip("\n")


def body_of(text: str) -> str:
    """The Markdown body of a file that split_front_matter has accepted before."""
    lines = text.split("\n")
    return _body(lines, closing_line(lines))  # type: ignore[arg-type]


def field_lines(document: SourceDocument) -> dict[str, int]:
    """Where each field of an update was written, for later messages about it (`statusgen check`)."""
    lines = {"": document.front_matter.line, **document.front_matter.lines}
    if document.body_line:
        lines[BODY_LINE] = document.body_line
    return lines


def short_name(file: str) -> str:
    return file.rsplit("/", 1)[-1]
