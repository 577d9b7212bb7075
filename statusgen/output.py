"""Writing a built site: all or nothing.

The site is written into a fresh folder beside the output and then swapped into place, so a
reader (or a web server) never sees a half-written site, a failed build leaves the previous
site untouched, and files from older builds do not linger. On Linux the swap is one atomic
`renameat2(RENAME_EXCHANGE)`; elsewhere it is two renames in quick succession.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Mapping

MARKER_FILE = ".statusgen-output"
"""Left in every output folder, so we never replace a folder that statusgen did not make."""


class OutputError(Exception):
    """The output folder cannot be written or replaced."""


def check_output_path(path: str) -> PurePosixPath:
    """An output path, proven to stay inside the output folder and free of control characters."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("", ".", "..") for part in pure.parts) \
            or "\\" in path or any(ord(c) < 0x20 or ord(c) == 0x7f for c in path):
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return pure


def write_site(files: Mapping[str, bytes], output_dir: Path, marker: str | None = None) -> None:
    """Replace `output_dir` with exactly `files`, atomically."""
    output_dir = Path(os.path.abspath(output_dir))
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(f"{output_dir} exists and is not a folder")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER_FILE).exists():
        raise OutputError(f"{output_dir} is not empty and was not made by statusgen; refusing to "
                          f"replace it (choose another --output, or empty it first)")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        for path, data in sorted(files.items()):
            target = staging.joinpath(*check_output_path(path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER_FILE).write_text(marker or "This folder is written by `statusgen build`; "
                                                     "it is replaced whole on every build.\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a site must be readable
        _swap_into_place(staging, output_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_into_place(staging: Path, output_dir: Path) -> None:
    """Put `staging` at `output_dir`; afterwards `staging` holds the old site (or nothing)."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.rmdir(old)
    os.rename(output_dir, old)
    os.rename(staging, output_dir)
    os.rename(old, staging)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2; False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
