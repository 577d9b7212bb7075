"""Beside the output: the staging folders builds write, the lock they hold while writing one,
and the removal of those that killed builds left; plus the two file operations writing needs to
be safe, a read that never blocks nor follows a link and a write whose error names its file.

A build writes its new site into `.<name>.new-XXXXXXXX` beside the output and then swaps it into
place (output.py). A build killed while it writes leaves that folder behind; the next build
that finds no other build writing beside the output removes it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import time
from pathlib import Path
from typing import Iterator

from .reading import NotRegularFile, read_regular

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

def regular_file_bytes(path: str) -> bytes | None:
    """The bytes of the regular file at `path`; None for a link, a FIFO, a device, a folder or a
    file that cannot be read (opening never blocks, never follows a link)."""
    try:
        return read_regular(path)
    except (OSError, NotRegularFile):
        return None


def shown_path(filename: object, output_dir: Path, shown: Path) -> str:
    """The output path a file system error is about: a path in a staging folder or the spare is
    shown as where it was going to be in the output."""
    if not isinstance(filename, (str, bytes, os.PathLike)):
        return str(shown)
    path = Path(os.path.abspath(os.fsdecode(filename)))
    try:
        first, *rest = path.relative_to(output_dir.parent).parts
    except ValueError:
        return str(path)
    if first == output_dir.name or first.startswith(f".{output_dir.name}."):
        return str(Path(shown, *rest))
    return str(path)


STALE_STAGING_SECONDS = 3600
"""Where folders cannot be locked, a staging folder untouched this long belongs to a killed build."""


@contextlib.contextmanager
def staging_lock(output_dir: Path, marker: str) -> Iterator[None]:
    """Held while a build writes its staging folder: a shared lock on the output's parent folder,
    which every statusgen build writing beside it holds. A build that can take it exclusively
    knows no other build is writing there, so the staging folders it finds (`.<name>.new-*`)
    are the leftovers of killed builds, and it removes them first."""
    handle = None
    if fcntl is not None:
        try:
            handle = os.open(output_dir.parent, os.O_RDONLY)
        except OSError:
            handle = None
    if handle is None:
        remove_stale_staging(output_dir, marker, STALE_STAGING_SECONDS)
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            remove_stale_staging(output_dir, marker, 0)
        except BlockingIOError:  # another build is writing beside us: its folders are not stale
            pass
        except OSError:  # locks not supported here
            remove_stale_staging(output_dir, marker, STALE_STAGING_SECONDS)
        try:
            fcntl.flock(handle, fcntl.LOCK_SH)
        except OSError:
            pass
        yield
    finally:
        os.close(handle)  # releases the lock


def remove_stale_staging(output_dir: Path, marker: str, older_than: float) -> None:
    """Delete the staging folders killed builds left beside `output_dir`: only real folders named
    as statusgen names them, holding its marker file (or nothing), untouched `older_than` s."""
    pattern = re.compile(rf"\.{re.escape(output_dir.name)}\.new-[a-z0-9_]{{8}}")
    try:
        with os.scandir(output_dir.parent) as entries:
            candidates = [entry.path for entry in entries if pattern.fullmatch(entry.name)]
    except OSError:
        return
    now = time.time()
    for path in candidates:
        try:
            info = os.lstat(path)
            if not stat.S_ISDIR(info.st_mode) or now - info.st_mtime < older_than:
                continue
            names = os.listdir(path)
            if names and not stat.S_ISREG(_lstat_mode(os.path.join(path, marker))):
                continue  # not made by statusgen
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)


def write_file(path: str, data: bytes) -> None:
    """Write a new file; an error names it (a full disk fails in write(), which names no file)."""
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        if error.filename is None:
            error.filename = path
        raise


def _lstat_mode(path: str) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0
