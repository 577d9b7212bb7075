"""How statusgen words things, once each: durations, dates and times, months, lists, counts,
severities, slugs, YAML quoting and the escaping of unprintable characters in messages.

Pure functions from values to text, no I/O, for what statusgen says to the people who run it:
the command line's messages, errors, `stats` tables and the files it writes. What a status page
says to its readers (pages, feeds, calendars, badges, the widget, notifications, drafts) is in
the site's language instead: statusgen/language.py, whose English gives the same words as
these. Output is locale-independent: month names come from MONTH_NAMES, not strftime's `%b`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timedelta, tzinfo
from typing import Iterable, Sequence

# --- durations --------------------------------------------------------------------------------
# Three styles, one arithmetic: pages say how long something lasted ("2 d 3 h 5 min"), messages
# how late or how far ("1 h 05 min", "3 days 2 h"), tables are compact ("1 h 05 min", "2 d 3 h").


def _whole_units(span: timedelta) -> tuple[int, int, int, int]:
    """(days, hours, minutes, seconds) of a span of zero or more, counted in whole seconds."""
    minutes, seconds = divmod(int(span.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return days, hours, minutes, seconds


def _hours_minutes(hours: int, minutes: int) -> str:
    """'3 h', '1 h 05 min'."""
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def duration_for_pages(span: timedelta) -> str:
    """'2 d 3 h 5 min', '45 min', 'under a minute': how long something lasted, on pages."""
    if span < timedelta(minutes=1):
        return "under a minute"
    days, hours, minutes, _ = _whole_units(span)
    parts = (f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else "")
    return " ".join(p for p in parts if p)


def duration_for_messages(span: timedelta) -> str:
    """'45 s', '12 min', '1 h 05 min', '47 h', '3 days 2 h': for `statusgen check` messages."""
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    days, hours, minutes, _ = _whole_units(span)
    if seconds < 60 * 60:
        return f"{minutes} min"
    if seconds < 48 * 60 * 60:
        return _hours_minutes(days * 24 + hours, minutes)
    return f"{days} days" + (f" {hours} h" if hours else "")


def duration_for_tables(span: timedelta | None) -> str:
    """'45 s', '0 min', '12 min', '1 h 05 min', '2 d 3 h', 'n/a' for None: compact, for the
    `statusgen stats` table and the metrics page."""
    if span is None:
        return "n/a"
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds} s" if seconds else "0 min"
    days, hours, minutes, _ = _whole_units(span)
    if seconds < 60 * 60:
        return f"{minutes} min"
    if days == 0:
        return _hours_minutes(hours, minutes)
    return f"{days} d {hours} h" if hours else f"{days} d"


# --- months, dates and times ------------------------------------------------------------------

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def month_abbreviation(month: int) -> str:
    """'Nov' for 11."""
    return MONTH_NAMES[month - 1][:3]


def long_date(moment: datetime) -> str:
    """'3 December 2026' (the date as `moment` has it; convert it to the zone wanted first)."""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def local_time(moment: datetime, zone: tzinfo, with_date: bool = True) -> str:
    """'20 Nov 2026, 14:05 CET', or '14:05 CET' without the date: an instant in the display zone."""
    local = moment.astimezone(zone)
    clock = f"{local:%H:%M} {local.tzname()}"
    if not with_date:
        return clock
    return f"{local.day} {month_abbreviation(local.month)} {local.year}, {clock}"


def promise_text(at: datetime, promise: datetime, zone: tzinfo) -> str:
    """'14:35 CET', or '07:31 CET on 27 November 2026' when the promise falls on another day: in
    the display zone, the clock as the pages show it (local_time)."""
    local, published = promise.astimezone(zone), at.astimezone(zone)
    text = local_time(promise, zone, with_date=False)
    return text if local.date() == published.date() else f"{text} on {long_date(local)}"


def window_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    """'on 3 December 2026 from 03:00 to 05:00 CET', or with both dates when it spans days: in
    the display zone, each zone name said once unless the window crosses a change of offset."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    if first.date() == last.date():
        if first.tzname() == last.tzname():
            return f"on {long_date(first)} from {first:%H:%M} to {local_time(end, zone, with_date=False)}"
        return (f"on {long_date(first)} from {local_time(start, zone, with_date=False)} "
                f"to {local_time(end, zone, with_date=False)}")
    return (f"from {local_time(start, zone, with_date=False)} on {long_date(first)} "
            f"to {local_time(end, zone, with_date=False)} on {long_date(last)}")


# --- lists and counts -------------------------------------------------------------------------

def one_of(allowed: Iterable[str]) -> str:
    """'a, b, c' for an error message listing what is allowed."""
    return ", ".join(allowed)


def human_list(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def percent(share: float | None) -> str:
    """'25%' for 0.25 (rounded to a whole percent), 'n/a' for None."""
    return "n/a" if share is None else f"{round(share * 100)}%"


def count_of(count: int, noun: str) -> str:
    """'1 error', '3 errors', '0 errors' (nouns whose plural adds an s)."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


# --- severities -------------------------------------------------------------------------------

def severity_label(severity: str) -> str:
    """'SEV-1' for 'sev1'."""
    return f"SEV-{severity[3:]}"


# --- slugs ------------------------------------------------------------------------------------

def slug(text: str) -> str:
    """Lowercase letters, digits and '-' ('Card payments!' → 'card-payments'); other characters,
    accented letters too, are dropped. '' if none is left."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ascii_slug(text: str, max_length: int) -> str:
    """A slug of `text` with accents taken off first ('Café API: 5xx!' → 'cafe-api-5xx'), at
    most `max_length` long, cut at a word boundary where there is one."""
    result = slug(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii"))
    if len(result) > max_length:
        cut = result[:max_length + 1]
        result = cut[:cut.rfind("-")] if "-" in cut else result[:max_length]
    return result.strip("-")


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first not in `taken` (which it is added to)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


# --- YAML -------------------------------------------------------------------------------------

def yaml_quote(value: object) -> str:
    """`value` as a YAML double-quoted scalar (JSON's string syntax is a subset of YAML's), so
    `: `, `#` and quotes in free text stay text."""
    return json.dumps(str(value), ensure_ascii=False)


def printable(text: str) -> str:
    """`text` with every character that cannot be shown as it is (controls, line and paragraph
    separators, lone surrogates, invisible format characters) written as Python writes it in a
    string literal: '\\x85', '\\u2028', '\\ud800', '\\n'. Every message statusgen prints goes
    through this (problems.py), so any output format (a terminal, GitHub annotations, JSON)
    can carry it and a message stays on one line."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
