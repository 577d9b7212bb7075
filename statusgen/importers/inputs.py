"""The edge of every importer: another tool's files, read safely, and their texts made publishable.

An export is whatever the user hands us, so nothing here trusts it: a file is read only when it
is a regular file under a size limit (a FIFO would hang the import, `/dev/zero` never end), its
text must be UTF-8 (or carry a UTF-16/32 byte order mark, as Windows' `curl > file` writes),
JSON and YAML may not nest deeper than `MAX_DEPTH`, and YAML may not alias a list or mapping
(a "billion laughs" document expands without end). Each refusal is an `ImportFailed` naming the
file.

Texts are taken from a record only when they are text (a string or a number; never a list or
mapping turned into its repr), and `plain_text` removes the characters no page or feed can
carry, with a note naming the record and field, so one stray BEL in a thousand incidents costs
that character, not the incident.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..problems import ImportFailed
from ..reading import FileTooLarge, NotRegularFile, read_regular

MAX_EXPORT_BYTES = 100 * 1024 * 1024
"""The most an import reads from one file (a Statuspage export of thousands of incidents is a few MiB)."""

MAX_DEPTH = 100
"""The deepest nesting of lists and mappings an export may have (Statuspage's has five levels)."""

UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters that carry no meaning in a status update and that a build refuses: C0 controls
other than tab and line breaks, DEL and the C1 controls (which YAML refuses), lone surrogates
(what a broken `\\ud83d` escape leaves) and the two non-characters."""



@dataclass(frozen=True)
class Note:
    """Something an importer could not map, or a choice it made for the user, tied to its source."""

    source: str
    message: str

    def __str__(self) -> str:
        # A source's own text may hold lone surrogates (a file name, a YAML key): print them as '?'.
        return f"{self.source}: {self.message}".encode("utf-8", "replace").decode("utf-8")


_LINE_BREAKS = re.compile(r"\s*[\r\n\t\u2028\u2029]\s*")

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def display_name(path: Path | str) -> str:
    """A file name as a message can print it: bytes that are not UTF-8 shown as U+FFFD."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


def read_bytes(path: Path, shown: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file `path` (`shown` in messages); ImportFailed when it is not a
    regular file, cannot be read, or is larger than `limit` (by default MAX_EXPORT_BYTES)."""
    limit = MAX_EXPORT_BYTES if limit is None else limit
    try:
        return read_regular(path, limit, follow_links=True)  # an export may well be a link
    except NotRegularFile as refused:
        mode = refused.mode
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a special file"
        raise ImportFailed([f"{shown}: is {kind}, not a file"]) from None
    except FileTooLarge:
        raise ImportFailed([f"{shown}: is larger than {_size(limit)}, the most an import reads from one file"]) from None
    except OSError as error:
        raise ImportFailed([f"{shown}: cannot be read: {error.strerror}"]) from None


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count:,} bytes"


def decode_text(data: bytes, shown: str) -> str:
    """`data` as text: UTF-8 (a byte order mark is dropped), or UTF-16/32 with a byte order mark."""
    encoding = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    if encoding is not None:
        data = data[len(next(mark for mark, name in _BOMS if name == encoding)):]
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailed([f"{shown}: is not {encoding or 'UTF-8'} text (byte 0x{data[error.start]:02x} at "
                            f"offset {error.start}); save it as UTF-8"])


def read_text(path: Path, shown: str, limit: int | None = None) -> str:
    """The text of the file `path`, read and decoded as `read_bytes` and `decode_text` do."""
    return decode_text(read_bytes(path, shown, limit), shown)


def depth(value: Any) -> int:
    """How deeply lists and mappings nest in `value` (a scalar: 0), without recursion."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                todo.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _too_deep(shown: str) -> ImportFailed:
    return ImportFailed([f"{shown}: nesting deeper than {MAX_DEPTH} levels; this is not an export"])


def read_json(path: Path, shown: str, what: str) -> Any:
    """The JSON document in `path`, an export of `what`; ImportFailed saying why it cannot be read."""
    text = read_text(path, shown)
    try:
        document = json.loads(text)
    except RecursionError:
        raise _too_deep(shown)
    except json.JSONDecodeError as error:
        raise ImportFailed([f"{shown}: is not {what} (not valid JSON: {error})"])
    if depth(document) > MAX_DEPTH:
        raise _too_deep(shown)
    return document


class _ExportLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases of lists and mappings (they can expand without end)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None and not isinstance(node, yaml.ScalarNode):
                raise yaml.composer.ComposerError(
                    None, None, f"*{event.anchor} repeats a list or mapping; statusgen does not read such "
                                f"aliases (write the values out)", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> tuple[Any, str | None]:
    """(the YAML document in `text`, None), or (None, why it cannot be read)."""
    try:
        data = yaml.load(text, Loader=_ExportLoader)  # noqa: S506 - a SafeLoader
    except RecursionError:
        return None, f"nesting deeper than {MAX_DEPTH} levels"
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = " ".join(str(part) for part in (error.context, error.problem) if part)
        return None, f"line {mark.line + 1}: {what}" if mark is not None else what
    except yaml.YAMLError as error:
        return None, " ".join(str(error).split())
    except (ValueError, TypeError, OverflowError) as error:  # a timestamp or number YAML cannot hold
        return None, str(error)
    if depth(data) > MAX_DEPTH:
        return None, f"nesting deeper than {MAX_DEPTH} levels"
    return data, None


def scalar_text(value: object) -> str | None:
    """`value` as text when it is a string, a number or a date; None for anything else (a list or
    mapping is never turned into its repr)."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple, set)):
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return None


def plain_text(value: object, where: str, field: str, notes: list[Note], *, one_line: bool = False) -> str:
    """The text of `value` ('' when it is none) without the characters no page can carry; each
    removal is noted (`Note(where, "<field>: removed ...")`). `one_line` also turns line breaks
    and tabs into single spaces and strips the ends (titles, names)."""
    text = scalar_text(value) or ""
    found = UNPUBLISHABLE.findall(text)
    if found:
        codes = sorted({f"U+{ord(c):04X}" for c in found})
        shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
        notes.append(Note(where, f"{field}: removed {len(found)} character{'s' if len(found) != 1 else ''} "
                                 f"that cannot be published ({shown})"))
        text = UNPUBLISHABLE.sub("", text)
    if one_line:
        text = _LINE_BREAKS.sub(" ", text).strip()
    return text
