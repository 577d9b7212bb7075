"""Writing a built site: all or nothing, only when something changed.

The site is written into a folder beside the output and then swapped into place, so a
reader (or a web server) never sees a half-written site, a failed build leaves the previous
site untouched, and files from older builds do not linger. On Linux the swap is one atomic
`renameat2(RENAME_EXCHANGE)`; elsewhere it is two renames in quick succession.

With a build cache (OutputState), the folder swapped out is kept as a *spare* beside the output
(`.<name>.statusgen-spare`), and the next build brings the spare up to date instead of writing
a whole new tree: it rewrites only the files whose bytes differ, hard-links files it can take
from the current output, and deletes what does not belong. Which files hold which bytes is
known from a record in the cache of each file's digest and identity (inode, size, mtime, ctime);
a file whose identity no longer matches is read and compared, never trusted.

A build is a pure function of its inputs: the site's files, the theme, statusgen's own code
and libraries, and `now`. Their fingerprint (incremental/digests.py) is stored in the output's
marker file; when the next build finds the same fingerprint and the output still holds exactly
what was written (is_up_to_date), it has nothing to do. Any doubt (a file missing, added or
changed in the output, an unreadable input) means a full build, so a skipped build never
leaves a different site than a cold one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterator, Mapping

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from .incremental.digests import content_digest, digest_of, files_digest, folder_name
from .incremental.hooks import FileContent, Reused
from .incremental.stores import file_identity, read_cache_json, write_cache_json
from .problems import StatusgenError
from .staging import regular_file_bytes, shown_path, staging_lock, write_file

MARKER_FILE = ".statusgen-output"
"""Left in every output folder, so we never replace a folder that statusgen did not make."""


class OutputError(StatusgenError):
    """The output folder cannot be written or replaced."""


_UNSAFE_IN_PATH = re.compile(r"[\x00-\x1f\x7f\\]")


def check_output_path(path: str) -> PurePosixPath:
    """An output path, proven to stay inside the output folder and free of control characters."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("", ".", "..") for part in pure.parts) \
            or _UNSAFE_IN_PATH.search(path):
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return pure


_FINGERPRINT_PREFIX = "fingerprint: "


def output_summary(digests: Mapping[str, str]) -> str:
    """What the marker records of a written site: file count and a digest of names and contents."""
    return f"{len(digests)} files, sha256 {files_digest(digests)}"


def marker_text(fingerprint: str | None, digests: Mapping[str, str]) -> str:
    """The marker file's text; `digests` maps each other output file to its sha256."""
    lines = ["This folder is written by `statusgen build`; it is replaced whole on every build."]
    if fingerprint:
        lines += [_FINGERPRINT_PREFIX + fingerprint, "contents: " + output_summary(digests)]
    return "\n".join(lines) + "\n"


def is_up_to_date(output_dir: Path, fingerprint: str | None, state: OutputState | None = None) -> bool:
    """True when `output_dir` was built from exactly these inputs and still holds what was written.

    With a `state` that vouches for every file, no output file needs to be read. Only regular
    files are ever opened, never through a link: anything else in the output (a link, a FIFO, a
    device) means "not up to date", and the build replaces it."""
    if fingerprint is None:
        return False
    data = regular_file_bytes(os.path.join(output_dir, MARKER_FILE))
    try:
        marker = data.decode("utf-8").splitlines() if data is not None else []
    except UnicodeDecodeError:
        return False
    if _FINGERPRINT_PREFIX + fingerprint not in marker:
        return False
    if state is not None and state.is_intact():
        written = {path: digest for path, digest in state.current.items() if path != MARKER_FILE}
        return "contents: " + output_summary(written) in marker
    written = {}
    try:
        for relative in _files_of(output_dir):
            if relative != MARKER_FILE:
                data = regular_file_bytes(_join(output_dir, relative))
                if data is None:
                    return False
                written[relative] = digest_of(data)
    except OSError:
        return False
    return "contents: " + output_summary(written) in marker


def write_site(files: Mapping[str, FileContent], output_dir: Path, marker: str | None = None,
               state: OutputState | None = None, digests: Mapping[str, str] | None = None,
               keys: Mapping[str, str] | None = None) -> None:
    """Replace `output_dir` with exactly `files`, atomically.

    `Reused` entries stand for files the current output holds (as `state` knows); without a
    `state` every entry must be bytes. `digests` are the files' sha256, if already known;
    `keys` the reuse keys of the files rendered under one (see incremental/hooks.py), which
    `state` records for the next build. `marker` is the marker file's text (marker_text).

    A file system error (a full disk, a read-only or unwritable folder) is an OutputError saying
    which file could not be written; until the swap nothing of the previous site has changed."""
    shown = output_dir
    output_dir = Path(os.path.abspath(output_dir))
    _check_output_folder(output_dir)
    marker_bytes = (marker or marker_text(None, {})).encode("utf-8")
    wanted = {str(check_output_path(path)): data for path, data in files.items()}
    wanted[MARKER_FILE] = marker_bytes
    known = {path: (digests or {}).get(path) or content_digest(data) for path, data in wanted.items()}
    had_site = output_dir.is_dir()
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        with staging_lock(output_dir, MARKER_FILE):
            staging = _write_staging(output_dir, wanted, known, state)
    except OSError as error:
        unchanged = "the previous site is unchanged" if had_site else "nothing was written"
        raise OutputError(f"cannot write {shown_path(error.filename, output_dir, shown)}: "
                          f"{error.strerror or error}; {unchanged}") from error
    if state is None or staging != state.spare_dir:
        if state is not None and state.may_keep_spare() and staging.exists():
            try:
                os.rename(staging, state.spare_dir)
            except OSError:  # the spare only saves time
                shutil.rmtree(staging, ignore_errors=True)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    if state is not None:
        state.after_swap(known, keys or {})


def _check_output_folder(output_dir: Path) -> None:
    if os.path.islink(output_dir) and not output_dir.exists():
        raise OutputError(f"{output_dir} is a symbolic link that leads nowhere or back to itself; remove "
                          f"it or choose another --output")
    if os.path.lexists(output_dir) and not output_dir.is_dir():
        raise OutputError(f"{output_dir} exists and is not a folder")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER_FILE).exists():
        raise OutputError(f"{output_dir} is not empty and was not made by statusgen; refusing to "
                          f"replace it (choose another --output, or empty it first)")


def _write_staging(output_dir: Path, wanted: Mapping[str, FileContent], known: Mapping[str, str],
                   state: OutputState | None) -> Path:
    """Write the new site beside `output_dir` (into the spare, if there is one to keep, else a
    fresh folder) and swap it into place; returns the folder that now holds the old site."""
    keep_spare = state is not None and state.may_keep_spare()
    if state is not None and keep_spare and state.spare_dir.is_dir():
        staging = state.spare_dir
        try:
            state.bring_up_to_date(staging, wanted, known)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            staging = _fresh_tree(output_dir, wanted, state)
    else:
        staging = _fresh_tree(output_dir, wanted, state)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a site must be readable
        _swap_into_place(staging, output_dir)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _fresh_tree(output_dir: Path, wanted: Mapping[str, FileContent], state: OutputState | None) -> Path:
    """A new folder beside `output_dir` holding `wanted`; reused files are hard-linked from the
    current output (a link is a third of the cost of writing the bytes again here)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        made: set[str] = set()
        for path, data in sorted(wanted.items()):
            folder, _, _ = path.rpartition("/")
            if folder and folder not in made:
                os.makedirs(staging / folder, exist_ok=True)
                made.add(folder)
            if isinstance(data, Reused):
                assert state is not None, "a reused file needs the state of the current output"
                _link_or_copy(_join(state.output_dir, path), _join(staging, path))
            else:
                write_file(_join(staging, path), data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


@contextlib.contextmanager
def output_lock(cache_dir: Path | None, output_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for `output_dir` among builds sharing `cache_dir` (none without a
    cache: such builds write into a fresh folder of their own). Where locks are not available,
    or the cache folder cannot be written, builds go ahead unlocked."""
    if cache_dir is None or fcntl is None:
        yield
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(cache_dir / f"output-{folder_name(output_dir)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): go ahead unlocked
            pass
        yield
    finally:
        os.close(handle)  # releases the lock


def _identity(path: str) -> tuple[int, int, int, int] | None:
    return file_identity(path, follow_symlinks=False)  # an output file that became a link is not ours


class OutputState:
    """What the build cache knows of an output folder and its spare (see the module's docstring).

    `current` maps each file of the output that is still exactly as the last build wrote it to
    its digest; `keys` the reuse keys (see incremental/hooks.py) its files were rendered under.
    It is rendering's reuse hook (hooks.PageReuse)."""

    def __init__(self, cache_dir: Path, output_dir: Path):
        self.output_dir = Path(os.path.abspath(output_dir))
        self.spare_dir = self.output_dir.parent / f".{self.output_dir.name}.statusgen-spare"
        self.record_file = cache_dir / f"output-{folder_name(self.output_dir)}.json"
        record = read_cache_json(self.record_file)
        self.current, self.keys = _verified(self.output_dir, record.get("current", {}))
        recorded = record.get("current", {}).get("files", {}) if isinstance(record.get("current"), dict) else {}
        self.complete = bool(self.current) and len(self.current) == len(recorded)
        self._spare_record = record.get("spare", {})

    def may_keep_spare(self) -> bool:
        """Whether the spare's place is free or holds our spare: a folder of that name without a
        statusgen marker is someone else's, and is never changed or deleted."""
        if not os.path.lexists(self.spare_dir):
            return True
        return (self.spare_dir.is_dir() and not self.spare_dir.is_symlink()
                and ((self.spare_dir / MARKER_FILE).is_file() or not any(self.spare_dir.iterdir())))

    def reusable(self, path: str, key: str) -> Reused | None:
        """The output's file at `path`, if it is intact and was rendered under this key."""
        if self.keys.get(path) == key and path in self.current:
            return Reused(self.current[path])
        return None

    def is_intact(self) -> bool:
        """Whether the output holds exactly the files recorded, unchanged, and nothing else."""
        return self.complete and set(self.current) == set(_files_of(self.output_dir))

    def bring_up_to_date(self, tree: Path, wanted: Mapping[str, FileContent],
                         digests: Mapping[str, str]) -> None:
        """Make `tree` (the spare) hold exactly `wanted` (whose sha256 are `digests`), touching
        only the files that differ."""
        known, _ = _verified(tree, self._spare_record)
        self._spare_record = {}
        write_cache_json(self.record_file, {"current": self._record_of(self.output_dir, self.current)})
        present = set(_files_of(tree))
        emptied: set[str] = set()
        for path in sorted(present - set(wanted)):
            os.unlink(_join(tree, path))
            emptied.add(path.rpartition("/")[0])
        made: set[str] = set()
        for path, data in sorted(wanted.items()):
            digest = digests[path]
            if path in present:
                have = known.get(path)
                if have is None:
                    data_there = regular_file_bytes(_join(tree, path))
                    have = digest_of(data_there) if data_there is not None else None
                if have == digest:
                    continue
                os.unlink(_join(tree, path))  # never write into a file: it may be a link to the output's
            folder, _, _ = path.rpartition("/")
            if folder and folder not in made:
                os.makedirs(tree / folder, exist_ok=True)
                made.add(folder)
            if isinstance(data, Reused):
                _link_or_copy(_join(self.output_dir, path), _join(tree, path))
            else:
                write_file(_join(tree, path), data)
        _remove_empty_folders(tree, emptied)

    def after_swap(self, digests: Mapping[str, str], keys: Mapping[str, str]) -> None:
        """Record the new output (now at output_dir, its files' sha256 `digests`, their reuse
        `keys`) and the old one (now the spare)."""
        record = {"current": self._record_of(self.output_dir, digests, keys),
                  "spare": self._record_of(self.spare_dir, self.current)}
        write_cache_json(self.record_file, record)

    @staticmethod
    def _record_of(tree: Path, digests: Mapping[str, str],
                   keys: Mapping[str, str] | None = None) -> dict:
        files = {}
        for path, digest in digests.items():
            identity = _identity(_join(tree, path))
            if identity is not None:
                files[path] = [digest, *identity]
        return {"files": files, "keys": dict(keys or {})}


def _verified(tree: Path, record: object) -> tuple[dict[str, str], dict[str, str]]:
    """The recorded files of `tree` whose identity still matches, and their page keys."""
    if not isinstance(record, dict):
        return {}, {}
    files, keys = record.get("files"), record.get("keys")
    if not isinstance(files, dict) or not isinstance(keys, dict):
        return {}, {}
    intact = {}
    for path, entry in files.items():
        if isinstance(entry, list) and len(entry) == 5 and _identity(_join(tree, path)) == tuple(entry[1:]):
            intact[path] = entry[0]
    return intact, {p: k for p, k in keys.items() if p in intact and isinstance(k, str)}


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)


def _join(tree: Path | str, path: str) -> str:
    return f"{tree}/{path}"


def _files_of(tree: Path | str) -> list[str]:
    """Every entry of `tree` that is not a real folder: files, and links (even to folders)."""
    found: list[str] = []
    pending = [("", str(tree))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found.append(prefix + entry.name)
    return found


def _remove_empty_folders(tree: Path, folders: set[str]) -> None:
    """Remove those of `folders` (and their parents) that deleting files left empty."""
    for folder in sorted(folders, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(tree / folder)
            except OSError:  # not empty (or already gone with a child): its parents stay too
                break
            folder = folder.rpartition("/")[0]


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
    try:
        os.rename(staging, output_dir)
    except OSError:
        os.rename(old, output_dir)  # the previous site goes back where it was
        raise
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
