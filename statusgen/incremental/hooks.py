"""The two narrow hooks through which loading and rendering use the incremental build.

Loading (source/items.py) is handed an `ItemStore` (stores.ItemCache): it reads content files
through it and asks it for items it validated before. Rendering (render/pages.py, feeds.py) is
handed a `PageReuse` (output.OutputState): it asks it for files the current output holds under
the same key, and returns, in `Rendered`, the key of every file it keyed, for the next build.
Neither side knows how keys are made (digests.py) or where anything is stored (stores.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence, Union

from ..model import IncidentRecord, MaintenanceRecord


@dataclass(frozen=True)
class Reused:
    """An output file the current output already holds with exactly these bytes (their sha256)."""

    digest: str


FileContent = Union[bytes, Reused]
"""An output file: its bytes, or Reused when the previous output's file is kept."""


@dataclass(frozen=True)
class Rendered:
    """What a renderer made: its files, and the reuse key of each file it keyed (see PageReuse)."""

    files: dict[str, FileContent]
    keys: dict[str, str] = field(default_factory=dict)

    def __or__(self, other: Rendered) -> Rendered:
        return Rendered({**self.files, **other.files}, {**self.keys, **other.keys})


class PageReuse(Protocol):
    """Where the previous build's files can be found (the output folder; see output.OutputState)."""

    def reusable(self, path: str, key: str) -> Reused | None:
        """The previous build's file at `path`, if it was rendered under the same key."""


Item = Union[IncidentRecord, MaintenanceRecord]
BodyOf = Callable[[bytes], Union[str, None]]
"""An update file's Markdown body from its bytes, which passed loading's checks before."""


class ItemStore(Protocol):
    """What loading asks of the parse cache (see stores.ItemCache)."""

    def read(self, path: str, shown: str, read: Callable[[], bytes | None]) -> bytes | None:
        """A content file's bytes: the copy kept by an earlier build while the file is sure to be
        unchanged, else `read()` (a copy of which is kept for the next build)."""

    def lookup(self, kind: str, item_id: str, component_ids: Sequence[str],
               files: Sequence[tuple[str, bytes]] | None,
               body_of: BodyOf) -> tuple[str | None, Item | None]:
        """The key of the item made of `files` (None: a file could not be read), and the item
        if an earlier build validated exactly these bytes. Every lookup counts towards the
        digest of the content the build read."""

    def keep(self, key: str, item: Item, files: Sequence[tuple[str, bytes]],
             body_of: BodyOf) -> Item:
        """Remember the valid `item` made of `files` under `key`; the item, stamped with its key."""
