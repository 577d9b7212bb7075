"""What a build remembers for the next one: validated items, keyed by the exact bytes they came from.

The cache lives outside the site's repository (in the user's cache folder, or
`$STATUSGEN_CACHE_DIR`), so a pull request cannot plant one. It is JSON, never pickle, so even a
planted cache cannot run code. Every key is a digest of everything the value was computed
from: the bytes and names of an item's files, the component ids, and statusgen's own code.
A cache that is missing, unreadable or from another version is simply not used: the worst a
cache can do is fail to save time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import __version__

CACHE_ENV = "STATUSGEN_CACHE_DIR"
_FORMAT = 1


@dataclass(frozen=True)
class Reused:
    """An output file the current output already holds with exactly these bytes (their sha256)."""

    digest: str


def cache_root() -> Path:
    """`$STATUSGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/statusgen`, else `~/.cache/statusgen`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "statusgen"


def site_cache_dir(source_dir: Path, root: Path | None = None) -> Path:
    """The cache folder of one site: one per source folder, so two sites never evict each other."""
    name = hashlib.sha256(os.fsencode(os.path.abspath(source_dir))).hexdigest()[:16]
    return (root or cache_root()) / "sites" / name


LIBRARIES = ("jinja2", "markdown-it-py", "feedgen", "pyyaml", "markupsafe", "lxml")
"""The libraries whose versions can change what a build makes of the same content."""


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """statusgen's version and own source, Python's and the libraries' versions: a change in
    any of them invalidates every cache entry."""
    digest = hashlib.sha256(f"statusgen {__version__} python {sys.version} format {_FORMAT}\n".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {importlib.metadata.version(library)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library} -\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def item_key(kind: str, item_id: str, component_ids: Iterable[str],
             files: Iterable[tuple[str, bytes]]) -> str:
    """The key of one incident or maintenance: everything its validated form depends on."""
    digest = hashlib.sha256(f"{code_digest()}\0{kind}\0{item_id}\0{' '.join(component_ids)}\0".encode())
    for name, data in files:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


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
            self._earlier = _read_json(folder / self.FILE, expect=code_digest())

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
        """Write what this build used; best effort, since a cache is never worth failing a build."""
        if self.folder is None or (not self._changed and len(self._now) == len(self._earlier)):
            return
        _write_json(self.folder / self.FILE, {"code": code_digest(), "entries": self._now})


class ItemCache(KeyedCache):
    """Validated incidents and maintenance by item_key, and a digest of every file read."""

    FILE = "items.json"

    def __init__(self, folder: Path | None):
        super().__init__(folder)
        self._sources = hashlib.sha256()
        self._sources_complete = True

    def saw(self, name: str, files: Iterable[tuple[str, bytes | None]]) -> None:
        """Record that the build read these files (None: could not), for `sources_digest`."""
        self._sources.update(f"item\0{name}\0".encode())
        for file, data in files:
            if data is None:
                self._sources_complete = False
                continue
            self._sources.update(f"{file}\0{len(data)}\0".encode())
            self._sources.update(data)

    def sources_digest(self) -> str | None:
        """A digest of every content file the build read, or None if some could not be read."""
        return self._sources.hexdigest() if self._sources_complete else None

class MarkdownCache(KeyedCache):
    """Rendered update bodies by the digest of their Markdown (see render/markdown.py)."""

    FILE = "markdown.json"


def _read_json(path: Path, expect: str) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("code") != expect \
            or not isinstance(document.get("entries"), dict):
        return {}
    return document["entries"]


def _write_json(path: Path, document: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(document, separators=(",", ":")))  # json.dump is 5x slower: no C encoder
        os.replace(temporary, path)
    except OSError:
        pass
