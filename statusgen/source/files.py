"""Reading a site's source files safely: size, encoding, control characters, front matter.

Every mistake becomes a Problem naming the file and line; nothing here raises on bad input.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from ..reading import FileTooLarge, NotRegularFile, read_regular
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


def read_source_text(path: Path | str, file: str, problems: list[Problem], site: SiteFiles) -> str | None:
    """A source file as text with '\\n' line endings, or None after recording why not."""
    data = site.read_bytes(path, file, problems)
    return source_text(data, file, problems) if data is not None else None


LOOPS = "is a symbolic link that loops (it leads back to itself); remove it or fix its target"


MAX_ASSET_BYTES = 10 * MAX_FILE_BYTES
"""A theme's images and fonts may be larger than update files, but not without limit."""


_SPECIAL_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                  (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))



def _special(mode: int) -> str:
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a file; statusgen reads only regular files and folders"


class Refused(Exception):
    """A path of the site that must not be read; the message says why, for a Problem."""


def readable_name(name: str) -> str:
    """A file name as a person can read it: bytes that are not UTF-8 as \\xNN escapes (Python
    gives them to us as lone surrogates, which cannot be printed)."""
    if name.isascii():  # nearly every name: nothing to escape (and 10,000s of them per build)
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def is_utf8_name(name: str) -> bool:
    """Whether a name came from the file system as valid UTF-8 (no lone surrogates stand in)."""
    return name.isascii() or readable_name(name) == name


class SiteFiles:
    """The one way statusgen reads a site's folder: every file and folder it reads is checked
    here first, so a link cannot lead a build outside the site (to /proc/self/environ, say, or to
    a template elsewhere) and a FIFO or device cannot hang it. A path is refused, with a Problem
    naming it, when its real path (every link resolved) is outside the folder, when it is a link
    that leads nowhere or back to itself, and when it is not a regular file or folder.

    `trusted` (statusgen's own default theme) skips only the inside-the-folder test. The real
    paths of folders are remembered, so create one per load: a change on disk is seen next time.
    """

    def __init__(self, root: Path | str, trusted: bool = False):
        self.root = os.path.realpath(root)
        self.trusted = trusted
        self._real_folders: dict[str, str | Refused] = {}
        self.listed_files: set[str] = set()
        """Regular files (not links) found by listing a folder the rule accepted, this load: the
        rule holds for them as listed, so the parse cache may use its copy without asking again."""

    def real_path(self, path: Path | str, folder: bool = False) -> str:
        """The real path of the file (or, with `folder`, folder) at `path`; Refused if the rule
        refuses it, FileNotFoundError if nothing is there."""
        real, mode = self._locate(os.fspath(path))
        if folder and not stat.S_ISDIR(mode):
            raise Refused("is not a folder")
        if not folder and stat.S_ISDIR(mode):
            raise Refused("is a folder, not a file")
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            raise Refused(_special(mode))
        return real

    def kind(self, path: Path | str) -> tuple[str, str]:
        """("file" or "folder", its real path), ("refused", why) or ("missing", "")."""
        try:
            real, mode = self._locate(os.fspath(path))
        except Refused as refusal:
            return "refused", str(refusal)
        except FileNotFoundError:
            return "missing", ""
        if stat.S_ISDIR(mode):
            return "folder", real
        if stat.S_ISREG(mode):
            return "file", real
        return "refused", _special(mode)

    def _locate(self, path: str) -> tuple[str, int]:
        parent, name = os.path.split(path)
        if not (parent and name):
            real = self._resolve(path)
            return real, os.stat(real).st_mode
        real = os.path.join(self._real_folder(parent), name)
        try:
            mode = os.lstat(real).st_mode
        except FileNotFoundError:
            raise
        except OSError as error:
            raise Refused(f"cannot be read: {error.strerror}")
        if stat.S_ISLNK(mode):
            real = self._resolve(real)
            mode = os.stat(real).st_mode
        return real, mode

    def _real_folder(self, folder: str) -> str:
        known = self._real_folders.get(folder)
        if known is None:
            try:
                known = self._resolve(folder)
            except Refused as refusal:
                known = refusal
            self._real_folders[folder] = known  # (a missing folder is not remembered: it may appear)
        if isinstance(known, Refused):
            raise known
        return known

    def _resolve(self, path: str) -> str:
        try:
            real = os.path.realpath(path, strict=True)
        except FileNotFoundError:
            if os.path.islink(path):
                raise Refused("is a symbolic link to a file that does not exist")
            raise
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise Refused(LOOPS)
            raise Refused(f"cannot be read: {error.strerror}")
        if not self.trusted and real != self.root and not real.startswith(self.root.rstrip(os.sep) + os.sep):
            what = "content" if os.path.isdir(real) else "file"
            raise Refused(f"is a symbolic link to a place outside the site's folder; copy the {what} in instead")
        return real

    def read_bytes(self, path: Path | str, file: str, problems: list[Problem], limit: int = MAX_FILE_BYTES,
                   too_big: str | None = None) -> bytes | None:
        """A file's bytes, or None after recording why the rule refuses it, it cannot be read or it
        is over `limit` bytes (`too_big` is that message)."""
        try:
            # Never through a link (real_path resolved them all) and never blocking.
            return read_regular(self.real_path(path), limit)
        except Refused as refusal:
            problems.append(Problem(file, None, None, str(refusal)))
        except NotRegularFile:  # swapped since real_path looked
            problems.append(Problem(file, None, None, "is not a regular file; statusgen reads "
                                                      "only regular files and folders"))
        except FileTooLarge as large:
            problems.append(Problem(file, None, None, too_big or (
                f"file is {large.size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (1 MiB)")))
        except OSError as error:  # gone, no permission, or swapped for a link since real_path
            problems.append(Problem(file, None, None, f"cannot be read: {error.strerror}"))
        return None

    def read_template(self, path: Path | str, file: str, problems: list[Problem]) -> str | None:
        """A theme template's text, or None after recording why not."""
        data = self.read_bytes(path, file, problems, MAX_ASSET_BYTES, "template is larger than 10 MiB")
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(file, None, None, f"cannot read template: {error}"))
            return None

    def read_asset(self, path: Path | str, file: str, problems: list[Problem]) -> bytes | None:
        """A theme asset's bytes, or None after recording why not (refused, unreadable, over 10 MiB)."""
        return self.read_bytes(path, file, problems, MAX_ASSET_BYTES, "theme asset is larger than 10 MiB")

    def entries(self, folder: Path | str, shown: str, problems: list[Problem]) -> list[os.DirEntry]:
        """The entries of a folder of the site, sorted by name, hidden ones (.name) left out; []
        after recording why the folder cannot be listed. Nothing is said of a missing folder."""
        try:
            with os.scandir(self.real_path(folder, folder=True)) as found:
                return sorted((entry for entry in found if not entry.name.startswith(".")),
                              key=lambda entry: entry.name)
        except Refused as refusal:
            problems.append(Problem(shown, None, None, str(refusal)))
        except FileNotFoundError:
            pass
        except OSError as error:
            problems.append(Problem(shown, None, None, f"cannot be read: {error.strerror}"))
        return []

    def files_under(self, folder: Path | str, shown: str, problems: list[Problem]) -> list[tuple[str, str]]:
        """(name relative to `folder` with '/', path) of every file below `folder`, sorted, links
        followed where the rule allows; every refused entry and unusable name is recorded."""
        found: list[tuple[tuple[str, ...], str]] = []
        pending: list[tuple[tuple[str, ...], str, frozenset[str]]] = [((), os.fspath(folder), frozenset())]
        while pending:
            parts, path, above = pending.pop()
            shown_here = "/".join((shown, *parts))
            for entry in self.entries(path, shown_here, problems):
                shown_entry = f"{shown_here}/{readable_name(entry.name)}"
                if not is_utf8_name(entry.name):
                    problems.append(Problem(shown_entry, None, None, "the name is not valid UTF-8; rename it"))
                    continue
                kind, real = self.kind(entry.path)
                if kind == "file":
                    found.append(((*parts, entry.name), entry.path))
                elif kind == "folder" and real in above:
                    problems.append(Problem(shown_entry, None, None, "is a symbolic link to a folder that "
                                                                     "holds it (a loop)"))
                elif kind == "folder":
                    pending.append(((*parts, entry.name), entry.path, above | {real}))
                elif kind == "refused":
                    problems.append(Problem(shown_entry, None, None, real))
        return [("/".join(parts), path) for parts, path in sorted(found)]


def read_site_template(source_dir: Path, relative: str, problems: list[Problem]) -> str | None:
    """The text of a template of the site's own (`templates/` for `statusgen new`) at `relative`;
    None when the site has no such file, or after recording why the rule refuses it."""
    site = SiteFiles(source_dir)
    path = Path(source_dir, relative)
    if site.kind(path)[0] == "missing":
        return None
    return site.read_template(path, relative, problems)


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
