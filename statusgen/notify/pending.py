"""The pending file: what was announced, and per target label what is still to deliver.

Kept between runs of the publish workflow (in its cache), it makes `notify` exactly-once and
never-lost: `announced` is every update (key → fingerprint, news.py) that an earlier run handled,
and `pending` the keys each label failed to receive. The next run sends what is new since
`announced` and, to each label, what is pending for it; what arrives leaves `pending`. It holds
labels and update keys only: never a URL. It is written atomically (a temporary file in the
same folder, then a rename), so a run killed while writing leaves the previous file whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import StatusgenError, cannot_write
from ..reading import FileTooLarge, NotRegularFile, read_regular

VERSION = 1
LIMIT = 64 * 1024 * 1024


@dataclass
class PendingState:
    announced: dict[str, str] | None = None
    """Update key → fingerprint of everything announced; None before the first run."""
    pending: dict[str, list[str]] = field(default_factory=dict)
    """Label → keys of the updates it has still to get, oldest first."""


def read_pending(path: Path) -> PendingState:
    """The state in `path`; an empty one when there is no such file yet (the first run).
    Raises StatusgenError when it cannot be read or is not a pending file."""
    try:
        data = read_regular(path, LIMIT, follow_links=True)
    except FileNotFoundError:
        return PendingState()
    except (OSError, NotRegularFile, FileTooLarge) as error:
        raise StatusgenError(f"cannot read the pending file {path}: {getattr(error, 'strerror', None) or error}")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise StatusgenError(f"the pending file {path} is not JSON ({error}); delete it to start again "
                             f"from --previous")
    announced = document.get("announced") if isinstance(document, dict) else None
    pending = document.get("pending") if isinstance(document, dict) else None
    if (not isinstance(document, dict) or document.get("version") != VERSION
            or not (announced is None or isinstance(announced, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in announced.items()))
            or not isinstance(pending, dict) or not all(
                isinstance(keys, list) and all(isinstance(k, str) for k in keys) for keys in pending.values())):
        raise StatusgenError(f"the pending file {path} is not one statusgen {VERSION} wrote; delete it to start "
                             f"again from --previous")
    return PendingState(announced, {label: list(keys) for label, keys in pending.items()})


def write_pending(path: Path, state: PendingState) -> None:
    """Write `state` to `path` atomically (sorted keys: the same state gives the same bytes)."""
    document = {"version": VERSION, "announced": state.announced,
                "pending": {label: keys for label, keys in sorted(state.pending.items()) if keys}}
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise cannot_write(error)
