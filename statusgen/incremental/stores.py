"""What a build remembers for the next one, as JSON stores: validated items keyed by the exact
bytes they came from, copies of the content files, and rendered Markdown bodies.

The cache lives outside the site's repository (in the user's cache folder, or
`$STATUSGEN_CACHE_DIR`), so a pull request cannot plant one. It is JSON, never pickle, so even a
planted cache cannot run code. Every key is a digest of everything the value was computed
from: the bytes and names of an item's files, the component ids, and statusgen's own code.
A cache that is missing, unreadable or from another version is simply not used: the worst a
cache can do is fail to save time.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .digests import Digest, code_digest, digest_of, folder_name, item_key
from .hooks import BodyOf, Item
from .records import decode_item, encode_item, same_item

CACHE_ENV = "STATUSGEN_CACHE_DIR"


def cache_root() -> Path:
    """`$STATUSGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/statusgen`, else `~/.cache/statusgen`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "statusgen"


def site_cache_dir(source_dir: Path, root: Path | None = None) -> Path:
    """The cache folder of one site: one per source folder, so two sites never evict each other."""
    return (root or cache_root()) / "sites" / folder_name(source_dir)


class KeyedCache:
    """Values from earlier builds (`get`), and those this build used or made (`put`).

    Only what this build used is saved, so entries for deleted or edited files do not pile up."""

    FILE = "cache.json"

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._earlier: dict[str, Any] = {}
        self._now: dict[str, Any] = {}
        self._changed = False
        if folder is not None:
            self._earlier = read_cache_json(folder / self.FILE)

    def get(self, key: str) -> Any | None:
        value = self._earlier.get(key)
        if value is not None:
            self._now[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._now[key] = value
        self._changed = True

    def update(self, entries: dict[str, Any]) -> None:
        """Entries this build used, where the user of the cache keeps its own record of them."""
        self._changed = self._changed or any(self._earlier.get(k) != v for k, v in entries.items())
        self._now.update(entries)

    @property
    def earlier(self) -> dict[str, Any]:
        return self._earlier

    def save(self) -> None:
        """Write what this build used, and let go of it; best effort, since a cache is never
        worth failing a build."""
        now, earlier, changed = self._now, self._earlier, self._changed
        self._now, self._earlier, self._changed = {}, {}, False
        if self.folder is None or (not changed and len(now) == len(earlier)):
            return
        write_cache_json(self.folder / self.FILE, now)


class ItemCache(KeyedCache):
    """Validated incidents and maintenance by item_key, a digest of every file read, and the
    bytes of the files read (see SourceCopies): loading's hook (hooks.ItemStore)."""

    FILE = "items.json"

    def __init__(self, folder: Path | None):
        super().__init__(folder)
        self._sources = Digest()
        self._sources_complete = True
        self.copies = SourceCopies(folder)

    def save(self) -> None:
        super().save()
        self.copies.save()

    def read(self, path: str, shown: str, read: Callable[[], bytes | None]) -> bytes | None:
        data = self.copies.get(path, shown)
        if data is None:
            before = self.copies.observe(path)
            data = read()
            if data is not None:
                self.copies.put(path, shown, before, data)
        return data

    def lookup(self, kind: str, item_id: str, component_ids: Sequence[str],
               files: Sequence[tuple[str, bytes]] | None,
               body_of: BodyOf) -> tuple[str | None, Item | None]:
        if files is None:
            self._sources_complete = False
            return None, None
        key = item_key(kind, item_id, component_ids, files)
        self._sources.add(key)  # the key digests every byte of the item's files
        record = self.get(key)
        item = decode_item(record, item_id, files, body_of) if record is not None else None
        return key, (replace(item, digest=key) if item is not None else None)

    def keep(self, key: str, item: Item, files: Sequence[tuple[str, bytes]],
             body_of: BodyOf) -> Item:
        encoded = encode_item(item)
        if same_item(decode_item(encoded, item.id, files, body_of), item):
            self.put(key, encoded)
        return replace(item, digest=key)

    def sources_digest(self) -> str | None:
        """A digest of every content file the build read, or None if some could not be read."""
        return self._sources.hexdigest() if self._sources_complete else None


_Identity = tuple[int, int, int, int]


def file_identity(path: str | Path, follow_symlinks: bool = True) -> _Identity | None:
    """(inode, size, mtime, ctime) of the regular file `path` names, None for anything else:
    any write, truncation, rename over it or change of its times changes it, since no program
    can set a ctime. Without `follow_symlinks`, a link is not a regular file."""
    try:
        st = os.stat(path, follow_symlinks=follow_symlinks)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class SourceCopies:
    """Copies of the content files as the last build read them, in one file, so that a rebuild
    opens one file instead of 10,000s (0.3-0.7 s at 10,000 updates here).

    A copy is used only while its file's identity is what it was when it was read, and the file
    had last changed RACY_SECONDS before that: a file changed within the same tick of a coarse
    file system clock as it was read could otherwise keep its identity (git's "racy clean")."""

    INDEX = "sources.json"
    PACK = "sources.pack"
    RACY_SECONDS = 2

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._index: dict[str, list] = {}
        self._pack = b""
        self._now: dict[str, tuple[list, bytes]] = {}
        self._changed = False
        if folder is None:
            return
        index = read_cache_json(folder / self.INDEX)
        try:
            pack = (folder / self.PACK).read_bytes()
        except OSError:
            return
        if index.get("pack") == digest_of(pack) and isinstance(index.get("files"), dict):
            self._index, self._pack = index["files"], pack

    def get(self, path: str, shown: str) -> bytes | None:
        """The bytes of `path`, if the copy is sure to be what the file holds now."""
        record = self._index.get(shown)
        if not (isinstance(record, list) and len(record) == 7):
            return None
        identity = file_identity(path)
        if identity is None or list(identity) != record[:4] \
                or max(identity[2], identity[3]) >= record[4] - self.RACY_SECONDS * 1_000_000_000:
            return None
        start, length = record[5], record[6]
        data = self._pack[start:start + length]
        if len(data) != length:
            return None
        self._now[shown] = (record[:5], data)
        return data

    def observe(self, path: str) -> tuple[_Identity | None, int]:
        """Call before reading `path`: its identity and the time, for `put`."""
        return file_identity(path), time.time_ns()

    def put(self, path: str, shown: str, before: tuple[_Identity | None, int], data: bytes) -> None:
        """Keep a copy of what `path` held, if it did not change while it was read."""
        identity, observed = before
        if self.folder is None or identity is None or identity != file_identity(path) \
                or identity[1] != len(data):
            return
        self._now[shown] = ([*identity, observed], data)
        self._changed = True

    def save(self) -> None:
        """Write the copies this build used, and let go of them (they are 75 MB at 50k updates)."""
        now, earlier = self._now, self._index
        self._now, self._index, self._pack = {}, {}, b""
        if self.folder is None or (not self._changed and len(now) == len(earlier)):
            return
        files, offset = {}, 0
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                for shown, (record, data) in now.items():
                    files[shown] = [*record, offset, len(data)]
                    stream.write(data)
                    offset += len(data)
            os.replace(temporary, self.folder / self.PACK)
        except OSError:  # a full disk: no copies this time, and no half-written file left behind
            _remove(temporary)
            return
        pack = digest_of(*(data for _, data in now.values()))
        write_cache_json(self.folder / self.INDEX, {"pack": pack, "files": files})


class MarkdownCache(KeyedCache):
    """Rendered update bodies by the digest of their Markdown (see render/markdown.py)."""

    FILE = "markdown.json"


def read_cache_json(path: Path) -> dict[str, Any]:
    """The entries of a cache file that this very statusgen wrote ({} for any other)."""
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("code") != code_digest() \
            or not isinstance(document.get("entries"), dict):
        return {}
    return document["entries"]


def write_cache_json(path: Path, entries: dict[str, Any]) -> None:
    """Write `entries` for read_cache_json, atomically; best effort."""
    document = {"code": code_digest(), "entries": entries}
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(document, separators=(",", ":")))  # json.dump is 5x slower: no C encoder
        os.replace(temporary, path)
    except OSError:  # a full disk or a read-only cache: the next build only takes longer
        _remove(temporary)


def _remove(path: str | None) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass
