"""Typed reading of YAML mappings, with every mistake recorded as a Problem.

Config and content both describe their fields through a `FieldReader`, so messages read the
same everywhere: `<file>:<line>: <field> '<value>' is not one of a, b, c`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping
from urllib.parse import SplitResult, urlsplit

from .located_yaml import LocatedList, LocatedMapping
from .spec import ID_REGEX, TIMESTAMP_REGEX, Field
from ..problems import Problem
from ..wording import one_of

ID_PATTERN = re.compile(ID_REGEX)
ID_RULE = "lowercase letters, digits and '-', starting with a letter or digit"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_TIMESTAMP = re.compile(TIMESTAMP_REGEX)

UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no HTML page or XML feed may carry: C0 controls other than tab and line breaks,
DEL and the C1 controls (U+007F-U+009F: control characters to HTML, refused by YAML but NEL),
lone surrogates (what a broken `\\ud83d` escape in YAML leaves) and the two non-characters."""


def unshowable_character(text: str) -> str | None:
    """'U+0007' for the first character of `text` that cannot be published, else None."""
    match = UNSHOWABLE.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def split_url(text: str) -> SplitResult | None:
    """The parts of a URL, or None when urllib cannot split it (`https://[x/`: an unclosed IPv6
    address, or a bad port); every URL a site's files give is split here."""
    try:
        parts = urlsplit(text)
        parts.port  # a port that is not a number in 0-65535 raises only when asked for
    except ValueError:
        return None
    return parts


EARLIEST_YEAR, LATEST_YEAR = 1970, 2999
"""Timestamps outside these years are typos (and near year 1 or 9999 they overflow)."""
OUTSIDE_YEARS = f"is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}; check the year"


def parse_timestamp(raw: str) -> tuple[datetime | None, str | None]:
    """An ISO 8601 timestamp with a zone, as UTC; or (None, why not)."""
    text = raw.strip()
    example = "write it like 2026-11-20T14:05:00Z"
    if _DATE_ONLY.match(text):
        return None, f"is a date without a time; {example}"
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" and text else text)
    except ValueError as error:
        if str(error).startswith("Invalid isoformat string"):
            return None, f"is not an ISO 8601 timestamp; {example}"
        return None, f"is not a valid date and time ({error})"
    if value.tzinfo is None or value.utcoffset() is None:
        return None, f"has no zone offset; add Z for UTC or an offset like +01:00 ({example})"
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None, OUTSIDE_YEARS
    if not _TIMESTAMP.match(text):
        # Python reads more spellings than ISO 8601's extended form (20261120T1405Z, 14 alone as
        # the hour); the JSON Schema accepts only the common form, so the build does too.
        return None, f"is not in the usual ISO 8601 form; {example}"
    try:
        return value.astimezone(timezone.utc), None
    except OverflowError:  # pragma: no cover - the year check above keeps us far from the edges
        return None, OUTSIDE_YEARS


def suggest(value: str, allowed: Iterable[str], hints: Mapping[str, str] | None = None) -> str:
    """' (did you mean 'x'?)' when one allowed value is clearly meant, else ''.

    `hints` maps lower-cased words people use to the value they mean ('critical' → 'sev1').
    Unlike a plain closest match, a tie suggests nothing: 'sev5' is as close to sev1 as to
    sev4, and guessing one of them would mislead.
    """
    allowed = list(allowed)
    lowered = value.strip().lower()
    if hints and lowered in hints:
        return f" (did you mean '{hints[lowered]}'?)"
    exact = [a for a in allowed if a.lower() == lowered]
    if exact:
        return f" (did you mean '{exact[0]}'?)"
    scores = sorted(((difflib.SequenceMatcher(None, lowered, a.lower()).ratio(), a) for a in allowed),
                    reverse=True)
    if not scores or scores[0][0] < 0.6 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return ""
    return f" (did you mean '{scores[0][1]}'?)"


class FieldReader:
    """Reads the fields of one YAML mapping from one file, appending Problems as it goes."""

    def __init__(self, file: str, mapping: LocatedMapping, problems: list[Problem], prefix: str = ""):
        self.file = file
        self.mapping = mapping
        self.problems = problems
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.mapping.lines:
            return self.mapping.lines[key]
        return self.mapping.line

    def error(self, key: str | None, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, line if line is not None else self.line(key),
                                     None if key is None else self.name(key), message))

    def has(self, key: str) -> bool:
        return key in self.mapping and self.mapping[key] is not None

    def read(self, spec: Field, **options: object) -> Any:
        """The field as its declaration in spec.py says (kind, limits, allowed values), or its
        default when it is absent or wrong (the mistake is recorded)."""
        value = spec.read(self, **options)
        return spec.default if value is None else value

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.mapping:
            if key not in allowed:
                self.error(key, f"unknown field '{self.name(key)}'{suggest(key, allowed)}; "
                                f"allowed: {one_of(allowed)}")

    def require(self, key: str, why: str = "") -> bool:
        if self.has(key):
            return True
        self.error(key, f"{self.name(key)} is required{why}")
        return False

    def text(self, key: str, required: bool = False, max_length: int = 500) -> str | None:
        if not self.has(key):
            if required:
                self.require(key)
            return None
        value = self.mapping[key]
        if isinstance(value, (dict, list)):
            self.error(key, f"{self.name(key)} must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
            return None
        # The raw text, so that `title: No` stays "No" and `title: 1.10` stays "1.10".
        text = str(self.mapping.raw.get(key, value)).strip()
        if not text:
            if required:
                self.error(key, f"{self.name(key)} must not be empty")
            return None
        if len(text) > max_length:
            self.error(key, f"{self.name(key)} is {len(text)} characters long; at most {max_length} are allowed")
            return None
        bad = unshowable_character(text)
        if bad:
            if unicodedata.category(chr(int(bad[2:], 16))) == "Cc":
                self.error(key, f"{self.name(key)} contains the control character {bad}, which cannot be "
                                f"published; remove it")
            else:
                self.error(key, f"{self.name(key)} contains the character {bad}, which cannot be published "
                                f"(a control character or a broken \\u escape); remove it")
            return None
        return text

    def identifier(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required=required, max_length=100)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.error(key, f"{self.name(key)} '{value}' is not a valid id: use {ID_RULE}")
            return None
        return value

    def choice(self, key: str, allowed: Iterable[str], required: bool = False, why: str = "",
               aliases: Mapping[str, str] | None = None, hints: Mapping[str, str] | None = None) -> str | None:
        allowed = list(allowed)
        if not self.has(key):
            if required:
                self.require(key, why)
            return None
        raw = self.text(key)
        if raw is None:
            return None
        value = aliases.get(raw.lower(), raw) if aliases else raw
        if value not in allowed:
            self.error(key, f"{self.name(key)} '{raw}' is not one of {one_of(allowed)}{suggest(raw, allowed, hints)}")
            return None
        return value

    def integer(self, key: str, minimum: int, maximum: int) -> int | None:
        if not self.has(key):
            return None
        value = self.mapping[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"{self.name(key)} '{self.mapping.raw.get(key, value)}' must be a whole number")
            return None
        if not minimum <= value <= maximum:
            self.error(key, f"{self.name(key)} {value} must be between {minimum} and {maximum}")
            return None
        return value

    def number(self, key: str, minimum: float, maximum: float) -> float | None:
        if not self.has(key):
            return None
        value = self.mapping[key]
        raw = self.mapping.raw.get(key, value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.error(key, f"{self.name(key)} '{raw}' must be a number, like 0.3")
            return None
        if not minimum <= value <= maximum:
            self.error(key, f"{self.name(key)} {raw} must be between {minimum:g} and {maximum:g}")
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        if not self.has(key):
            return None
        value = self.mapping[key]
        if not isinstance(value, bool):
            self.error(key, f"{self.name(key)} '{self.mapping.raw.get(key, value)}' must be true or false")
            return None
        return value

    def timestamp(self, key: str, required: bool = False, why: str = "") -> datetime | None:
        if not self.has(key):
            if required:
                self.require(key, why)
            return None
        value = self.mapping[key]
        if isinstance(value, (dict, list)):
            self.error(key, f"{self.name(key)} must be a timestamp like 2026-11-20T14:05:00Z")
            return None
        raw = str(self.mapping.raw.get(key, value))
        parsed, why_not = parse_timestamp(raw)
        if parsed is None:
            self.error(key, f"{self.name(key)} '{raw}' {why_not}")
        return parsed

    def day(self, key: str, required: bool = False) -> date | None:
        """A calendar date written like 2026-12-15 (no time, no zone)."""
        if not self.has(key):
            if required:
                self.require(key)
            return None
        raw = str(self.mapping.raw.get(key, self.mapping[key])).strip()
        if isinstance(self.mapping[key], (dict, list)) or not _DATE_ONLY.match(raw):
            self.error(key, f"{self.name(key)} '{raw}' is not a date; write it like 2026-12-15")
            return None
        try:
            value = date.fromisoformat(raw)
        except ValueError as error:
            self.error(key, f"{self.name(key)} '{raw}' is not a valid date ({error})")
            return None
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            self.error(key, f"{self.name(key)} '{raw}' {OUTSIDE_YEARS}")
            return None
        return value

    def mapping_of(self, key: str, required: bool = False, why: str = "") -> LocatedMapping | None:
        if not self.has(key):
            if required:
                self.require(key, why)
            return None
        value = self.mapping[key]
        if not isinstance(value, LocatedMapping):
            self.error(key, f"{self.name(key)} must be a mapping of `name: value` lines")
            return None
        return value

    def list_of(self, key: str, required: bool = False, why: str = "") -> LocatedList | None:
        if not self.has(key):
            if required:
                self.require(key, why)
            return None
        value = self.mapping[key]
        if not isinstance(value, LocatedList):
            self.error(key, f"{self.name(key)} must be a list")
            return None
        return value
