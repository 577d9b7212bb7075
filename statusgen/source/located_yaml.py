"""Safe YAML loading that remembers the line of every key.

We compose YAML into nodes with PyYAML's safe loader and build Python values ourselves, so
that: every mapping key knows its line (for error messages); duplicate keys, aliases (the
"billion laughs" bomb) and any tag beyond plain data (`!!python/object`, custom `!tags`) are
rejected instead of constructed; and the raw text of each scalar is kept, because YAML 1.1
would otherwise turn `title: No` into False and `at: 14:05` into the number 845.

Line numbers count '\\n' only. YAML (PyYAML and libyaml alike) also breaks lines at NEL, U+2028
and U+2029, so one of those in a quoted title would shift every later line by one; every line
here is worked out from a mark's position in the text instead (`_Lines`).
"""

from __future__ import annotations

import bisect
from typing import Any

import yaml

from ..problems import Problem

_PLAIN_DATA_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class LocatedMapping(dict):
    """A dict from a YAML mapping; `lines[key]` is the 1-based file line of each key and
    `raw[key]` the source text of each scalar value."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}
        self.raw: dict[str, str] = {}


class LocatedList(list):
    """A list from a YAML sequence; `lines[i]` is the file line of item i, `raw[i]` its text."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.lines: list[int] = []
        self.raw: list[str | None] = []


class _Lines:
    """0-based line numbers of positions in one text, counting '\\n' only (see the module doc)."""

    _OTHER_BREAKS = ("\x85", "\u2028", "\u2029")

    def __init__(self, text: str):
        self.text = text
        self.breaks: list[int] | None = None
        if any(other in text for other in self._OTHER_BREAKS):
            self.breaks = [index for index, char in enumerate(text) if char == "\n"]

    def of(self, mark: yaml.Mark) -> int:
        """The line of a PyYAML or libyaml mark (both count positions in characters)."""
        if self.breaks is None:
            return mark.line
        return bisect.bisect_left(self.breaks, mark.index)

    def at(self, index: int) -> int:
        return self.text.count("\n", 0, index)


class _AliasUsed(Exception):
    def __init__(self, mark: yaml.Mark, anchor: str):
        self.mark = mark  # within the parsed text
        self.anchor = anchor


class _Rejected(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


_JARGON = (
    ("'<stream end>'", "{end}"),
    ("found unexpected end of stream", "reached {end} before the value was complete"),
    ("end of stream", "{end}"),
    ("flow sequence", "[...] list"),
    ("flow mapping", "{{...}} mapping"),
    ("flow node", "value"),
    ("quoted scalar", "quoted value"),
    ("block mapping", "block of `field: value` lines"),
)


def _plain(text: str, end: str) -> str:
    for jargon, plain in _JARGON:
        text = text.replace(jargon, plain.format(end=end))
    return text


def _describe_yaml_error(error: yaml.YAMLError, text: str, end: str) -> tuple[int | None, str]:
    """(0-based line within `text`, message) for a PyYAML error, in words a user can act on."""
    lines = _Lines(text)
    if isinstance(error, yaml.reader.ReaderError):
        # A character YAML refuses (a control character); source_text() finds these in files
        # first, this is for text from elsewhere.
        return lines.at(error.position), (f"file contains the control character U+{error.character:04X}, which "
                                          f"cannot be published; remove it")
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    mark = problem_mark or context_mark
    line = lines.of(mark) if mark is not None else None
    if problem_mark is not None and not text[problem_mark.index:].strip():
        # The parser ran off the end (an unclosed [, { or quote): the closing line is the wrong
        # place to point at; where the unclosed thing opened, or the last line written, is right.
        if context_mark is not None and text[context_mark.index:].strip():
            line = lines.of(context_mark)
        else:
            line = max(0, text[:problem_mark.index].rstrip().count("\n"))
    problem = getattr(error, "problem", None) or str(error)
    if "'\\t'" in problem or "\t" in problem:
        before_tab = ""
        if problem_mark is not None:
            before_tab = text[text.rfind("\n", 0, problem_mark.index) + 1:problem_mark.index]
        if before_tab.strip():
            problem = "tab character found in a value; use spaces, or put the value in quotes"
        else:
            problem = "tab character found; YAML indentation must use spaces"
    elif problem == "mapping values are not allowed here":
        problem += "; put quotes around a value that contains ': ', or check the indentation"
    context = getattr(error, "context", None)
    message = f"invalid YAML: {_plain(problem, end)}"
    if context and "tab" not in problem:
        message += f" ({_plain(context, end)})"
    return line, message


def load_mapping(text: str, file: str, first_line: int, problems: list[Problem],
                 end: str = "the end of the file") -> LocatedMapping | None:
    """Parse `text` (which starts at `first_line` of `file`) as a YAML mapping.

    Returns None and appends a Problem when the text is not a valid, plain-data mapping.
    An empty document is an empty mapping. `end` names where the text ends, for messages
    about unclosed brackets and quotes.
    """
    lines = _Lines(text)
    fast = _load_with_libyaml(text, first_line, lines)
    if fast is not None:
        return fast
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except _AliasUsed as alias:
        problems.append(Problem(file, first_line + lines.of(alias.mark), None,
                                f"YAML alias '*{alias.anchor}' is not allowed; write the value out"))
        return None
    except yaml.YAMLError as error:
        line, message = _describe_yaml_error(error, text, end)
        problems.append(Problem(file, None if line is None else first_line + line, None, message))
        return None
    except RecursionError:
        problems.append(Problem(file, first_line, None, "invalid YAML: lists or mappings are nested "
                                                        "too deeply"))
        return None
    if node is None:
        return LocatedMapping(first_line)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(file, first_line + lines.of(node.start_mark), None,
                                "expected a mapping of `field: value` lines"))
        return None
    builder = _Builder(first_line, lines)
    try:
        return builder.build(node)
    except _Rejected as rejected:
        problems.append(Problem(file, rejected.line, None, rejected.message))
        return None
    except RecursionError:
        problems.append(Problem(file, first_line, None, "invalid YAML: lists or mappings are nested "
                                                        "too deeply"))
        return None


def _load_with_libyaml(text: str, first_line: int, lines: _Lines) -> LocatedMapping | None:
    """The common case, fast: a valid plain-data mapping parsed by libyaml (PyYAML's C parser).

    None for anything else, and the pure-Python path above then finds the problem and words it
    (an alias is rejected by the builder before any value is expanded, so no bomb goes off).
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None or "\t" in text:
        return None  # libyaml accepts tabs inside plain values where PyYAML's parser does not
    try:
        node = yaml.compose(text, Loader=loader)
        if node is None or not isinstance(node, yaml.MappingNode):
            return None
        return _Builder(first_line, lines).build(node)
    except (yaml.YAMLError, _Rejected, RecursionError, ValueError):
        return None


class _NoAliasLoader(yaml.SafeLoader):
    """Composes like SafeLoader but stops at the first alias (`*name`), where it is written.

    Aliases are how the "billion laughs" bomb multiplies a small file into a huge value; plain
    status updates never need them.
    """

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasUsed(event.start_mark, event.anchor)
        return super().compose_node(parent, index)


class _Builder:
    def __init__(self, first_line: int, lines: _Lines):
        self.first_line = first_line
        self.lines = lines
        self.seen: set[int] = set()
        self.scalars = yaml.constructor.SafeConstructor()

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + self.lines.of(node.start_mark)

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:
            raise _Rejected(self.line_of(node),
                            "YAML aliases (*name) are not allowed; write the value out")
        self.seen.add(id(node))
        if node.tag not in _PLAIN_DATA_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Rejected(self.line_of(node),
                            f"YAML tag '{tag}' is not allowed; only plain values, lists and mappings")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            result = LocatedList(self.line_of(node))
            for item in node.value:
                result.append(self.build(item))
                result.lines.append(self.line_of(item))
                result.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)
            return result
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            return self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError) as error:
            raise _Rejected(self.line_of(node), f"invalid value '{node.value}': {error}")

    def _mapping(self, node: yaml.MappingNode) -> LocatedMapping:
        result = LocatedMapping(self.line_of(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_DATA_TAGS:
                raise _Rejected(self.line_of(key_node), "mapping keys must be plain names")
            key = key_node.value
            line = self.line_of(key_node)
            if id(value_node) in self.seen:
                raise _Rejected(line, f"{key}: YAML aliases (*name) are not allowed; write the value out")
            if key in result.lines:
                raise _Rejected(line, f"{key}: duplicate key (first given on line {result.lines[key]})")
            value = self.build(value_node)
            if isinstance(value, (LocatedMapping, LocatedList)):
                value.line = line  # "window.end is required" points at `window:`, not at `start:`
            result[key] = value
            result.lines[key] = line
            if isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = value_node.value
        return result
