"""Every digest the incremental build makes, from one recipe.

A key is the sha256 of a sequence of fields, each preceded by its length (`Digest`), so no two
different sequences share a key; `digest_of` is the plain sha256 of bytes, for what must match
a file's own sha256 (output files, the copies' pack) or names derived from one. Each recipe
below names everything its value is computed from; a build reuses a value only under the
same key, so a key that leaves something out would keep a stale file.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .. import __version__
from ..model import iso_utc
from .hooks import FileContent, Reused

FORMAT = 3
"""The version of the caches' layout and of these recipes: part of every key."""

LIBRARIES = ("jinja2", "markdown-it-py", "feedgen", "pyyaml", "markupsafe", "lxml", "icalendar", "babel")
"""The libraries whose versions can change what a build makes of the same content."""


class Digest:
    """A sha256 of fields (text or bytes), each framed by its length."""

    __slots__ = ("_sha",)

    def __init__(self, *fields: str | bytes) -> None:
        self._sha = hashlib.sha256()
        self.add(*fields)

    def add(self, *fields: str | bytes) -> Digest:
        update = self._sha.update
        for value in fields:
            data = value.encode("utf-8") if isinstance(value, str) else value
            update(b"%d:" % len(data))
            update(data)
        return self

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def digest(*fields: str | bytes) -> str:
    """The key of `fields` (see Digest)."""
    return Digest(*fields).hexdigest()


def digest_of(*chunks: bytes) -> str:
    """The plain sha256 of the bytes `chunks` make together, as `sha256sum` prints it."""
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(chunk)
    return sha.hexdigest()


def content_digest(data: FileContent) -> str:
    """The sha256 of an output file's bytes, whether rendered or kept from the previous build."""
    return data.digest if isinstance(data, Reused) else digest_of(data)


def folder_name(folder: Path) -> str:
    """A short name for a folder, to name what the cache keeps about it."""
    return digest_of(os.fsencode(os.path.abspath(folder)))[:16]


@functools.lru_cache(maxsize=1)  # one immutable value per process: the code does not change
def code_digest() -> str:
    """statusgen's version and own source, Python's and the libraries' versions: a change in
    any of them invalidates every cache entry."""
    result = Digest("statusgen", __version__, "python", sys.version, "format", str(FORMAT))
    for library in LIBRARIES:
        try:
            result.add(library, importlib.metadata.version(library))
        except importlib.metadata.PackageNotFoundError:
            result.add(library, "-")
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        result.add(path.relative_to(package).as_posix(), path.read_bytes())
    return result.hexdigest()


def item_key(kind: str, item_id: str, component_ids: Iterable[str],
             files: Iterable[tuple[str, bytes]]) -> str:
    """The key of one incident or maintenance: everything its validated form depends on."""
    result = Digest(code_digest(), kind, item_id, " ".join(component_ids))
    for name, data in files:
        result.add(name, data)
    return result.hexdigest()


def theme_digest(templates: Mapping[str, tuple[str, str]], assets: Mapping[str, bytes]) -> str:
    """A theme's templates (with the file each is shown as) and assets."""
    result = Digest()
    for name, (source, shown) in sorted(templates.items()):
        result.add("template", name, shown, source)
    for name, data in sorted(assets.items()):
        result.add("asset", name, data)
    return result.hexdigest()


def input_fingerprint(config_name: str, config: bytes | None, theme: str, content: str | None,
                      now: datetime, language: str = "") -> str | None:
    """Everything a build reads: the code, `now`, the content files as loading read them
    (`content`, ItemCache.sources_digest), the config file's bytes, the theme's digest and the
    language's (its catalogs: the shipped .mo and the site's locale/<tag>.po, Language.digest);
    None if some input could not be read."""
    if content is None or config is None:
        return None
    return digest(code_digest(), now.isoformat(), content, config_name, config, theme, language)


def files_digest(digests: Mapping[str, str]) -> str:
    """A set of output files: each path with the sha256 of its bytes."""
    result = Digest()
    for path in sorted(digests):
        result.add(path, digests[path])
    return result.hexdigest()


def markdown_key(source: str) -> str:
    """The key of a rendered update body: its Markdown."""
    return digest_of(source.encode("utf-8"))


def items_shown(items: Iterable[Any]) -> str:
    """Incidents or maintenance as everything about them but `now`: their ids and the digest of
    what they were loaded from, or all their updates where that is not known."""
    return "\0".join(f"{item.id}\0{item.digest or repr((item.updates, getattr(item, 'report', None)))}"
                     for item in items)


def site_key(config: object, overall_status: str, theme: str) -> str:
    """What every kept page shows of the site as a whole: its settings (their repr), its
    overall status (the theme colour) and the theme's digest."""
    return digest(code_digest(), repr(config), overall_status, theme)


def page_key(site: str, path: str, as_of: datetime | None, shown: Sequence[str]) -> str:
    """The key of a page: the site's key, its path, the `now` it shows (None: it shows none)
    and the fields of what it shows (see render/pages.py: PageRenderer.page_key)."""
    return digest(site, path, iso_utc(as_of) if as_of is not None else "", *shown)


def feed_key(config: object, path: str, entries: Iterable[tuple[str, object]],
             dated: datetime | None) -> str:
    """The key of a feed: the site's settings, its path, its entries (link and update) and,
    for an empty feed, the time it is dated by (`dated`; None for a feed with entries)."""
    result = Digest(code_digest(), repr(config), path)
    if dated is not None:
        result.add("dated", iso_utc(dated))
    for link, update in entries:
        result.add(link, repr(update))
    return result.hexdigest()
