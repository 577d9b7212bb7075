"""Reading one regular file without ever blocking and, unless asked to, without following a link.

A FIFO opened for reading waits for a writer and `/dev/zero` never ends, so every file statusgen
reads that someone else put there goes through `read_regular`: the site's own files
(source/files.py), the output it compares against (staging.py) and the exports an import reads
(importers/inputs.py). It opens without blocking, checks with fstat that what it opened is a
regular file, and reads at most `limit` bytes more than it needs to tell a file is too big.
Each caller words the refusal its own way.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NO_LINKS = getattr(os, "O_NOFOLLOW", 0)


class NotRegularFile(Exception):
    """What was opened is a folder, a FIFO, a device or a socket."""

    def __init__(self, mode: int):
        super().__init__(f"not a regular file (mode {mode:o})")
        self.mode = mode


class FileTooLarge(Exception):
    """The file holds more than the reader's limit."""

    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def read_regular(path: Path | str, limit: int | None = None, follow_links: bool = False) -> bytes:
    """The bytes of the regular file at `path`. Raises NotRegularFile, FileTooLarge (over `limit`
    bytes), or OSError when it cannot be opened (a link, unless `follow_links`) or read."""
    handle = os.open(path, _FLAGS | (0 if follow_links else _NO_LINKS))
    try:
        info = os.fstat(handle)  # before fdopen, which refuses a folder with an error of its own
    except OSError:
        os.close(handle)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise NotRegularFile(info.st_mode)
    with os.fdopen(handle, "rb") as stream:
        data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise FileTooLarge(info.st_size)
    return data
