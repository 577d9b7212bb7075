"""The language a site speaks to its readers: its message catalog, and its dates, numbers and plurals.

A `Language` is plain data with pure methods: source/language.py reads the catalogs (the ones
shipped in statusgen/locale/ and a site's own locale/<tag>.po) and builds it, and everything a
reader sees (pages, feeds, calendars, badges, live.js and widget.js strings, messages) asks it
for words. Messages are gettext msgids in English with %-style placeholders, the form Jinja's
i18n extension uses ("Trouble on %(days)s of %(of)s days"), so one catalog serves the templates
and the Python code. Dates follow the catalog's CLDR patterns (msgctxt "date pattern"), so a
language picks its own order, clock and month names while English keeps statusgen's
locale-independent wording. Machine-readable output (the JSON API's status words, ISO times)
never goes through here.

Babel is imported only when a date or number is formatted: commands that never render do not pay
for it.
"""

from __future__ import annotations

import gettext
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Mapping

SOURCE_LANGUAGE = "en"
"""The language the msgids are written in."""

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
"""Primary language subtags written right to left."""

WITHOUT_SPACES = frozenset({"ja", "zh", "th", "lo", "km", "my"})
"""Primary language subtags whose words are not separated by spaces: the parts of a duration
join as "1時間47分", not "1時間 47分" (CLDR's list patterns are incomplete for this in Babel)."""


def N_(message: str) -> str:
    """Marks `message` for the catalog (pybabel extract) where it is only looked up later."""
    return message


DATE_PATTERN = "date pattern"
"""The msgctxt of the catalog's date patterns."""


def NP_(context: str, message: str) -> str:
    """Marks `message` for the catalog under `context` (tools/catalogs.py extracts NP_ calls)."""
    return message


# The catalog's date patterns (CLDR syntax), each with the English pattern as its msgid: a
# catalog gives its own order and fields ("y年M月d日"), English keeps the wording it always had.
# Translators: a CLDR date pattern (d day, MMM short month, MMMM month, y year, quoted 'text'
# literal): a day with its month abbreviated, "20 Nov 2026"
SHORT_DATE = NP_("date pattern", "d MMM y")
# Translators: a CLDR date pattern: a day with its month in full, "20 November 2026"
LONG_DATE = NP_("date pattern", "d MMMM y")
# Translators: a CLDR date pattern: a month and its year, "November 2026" (LLLL: stand-alone month)
MONTH_YEAR = NP_("date pattern", "MMMM y")
# Translators: a CLDR date pattern: an abbreviated month and its year, "Nov 2026"
SHORT_MONTH_YEAR = NP_("date pattern", "MMM y")
# Translators: a CLDR date pattern: a month's name standing alone, as a table heading ("November")
MONTH_NAME = NP_("date pattern", "LLLL")
# Translators: a CLDR date pattern: a month's abbreviation on a chart axis ("Nov")
SHORT_MONTH = NP_("date pattern", "MMM")
# Translators: a CLDR time pattern: the time of day, "14:05" (HH 24-hour, h 12-hour with a for AM/PM)
CLOCK = NP_("date pattern", "HH:mm")


class Language:
    """One language's words for a site: gettext lookups, plurals, dates and numbers."""

    def __init__(self, tag: str, translations: gettext.NullTranslations, digest: str = ""):
        self.tag = tag
        """The BCP 47 tag the site gave ('pt-BR')."""
        self.translations = translations
        self.digest = digest
        """Of the catalogs it was built from: part of every page key (repr)."""
        self.direction = "rtl" if tag.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"
        self._locale: Any = None
        self._dates: dict[tuple[str, Any], str] = {}

    def __repr__(self) -> str:
        return f"Language({self.tag!r}, {self.digest!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Language) and (self.tag, self.digest) == (other.tag, other.digest)

    def __hash__(self) -> int:
        return hash((self.tag, self.digest))

    @property
    def locale(self) -> Any:
        """Babel's Locale for the tag (its CLDR data: month names, number symbols, plural rules)."""
        if self._locale is None:
            from babel import Locale
            self._locale = Locale.parse(self.tag, sep="-")
        return self._locale

    # --- messages ---------------------------------------------------------------------------

    def gettext(self, message: str, **values: object) -> str:
        """`message` in this language, with %(name)s placeholders filled from `values`. Always
        formatted, as Jinja's new-style gettext does, so a literal per cent sign is '%%' in every
        msgid, in templates and in Python alike."""
        return self.translations.gettext(message) % values

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The form for `count` (this language's plural rule), with %(num)s set to count."""
        text = self.translations.ngettext(singular, plural, count)
        return text % {"num": count, **values}

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def labels(self, words: Mapping[str, str]) -> dict[str, str]:
        """{key: English label} (a vocabulary.py table) → the same keys in this language."""
        return {key: self.translations.gettext(label) for key, label in words.items()}

    # --- dates and times --------------------------------------------------------------------

    def _format(self, pattern: str, value: date | datetime) -> str:
        from babel.dates import format_date, format_time
        key = (pattern, value)
        text = self._dates.get(key)
        if text is None:
            own = self.pgettext(DATE_PATTERN, pattern)
            if isinstance(value, datetime):
                text = format_time(value, own, locale=self.locale)
            else:
                text = format_date(value, own, locale=self.locale)
            if len(self._dates) < 100_000:  # a cache, bounded: the same days and months come back
                self._dates[key] = text
        return text

    def short_date(self, day: date) -> str:
        """'20 Nov 2026'."""
        return self._format(SHORT_DATE, day)

    def long_date(self, day: date) -> str:
        """'20 November 2026'."""
        return self._format(LONG_DATE, day)

    def month_and_year(self, year: int, month: int, short: bool = False) -> str:
        """'November 2026', or 'Nov 2026' when `short`."""
        return self._format(SHORT_MONTH_YEAR if short else MONTH_YEAR, date(year, month, 1))

    def month_name(self, month: int) -> str:
        """'November' for 11, as a month is named on its own (CLDR's stand-alone form)."""
        return self._format(MONTH_NAME, date(2000, month, 1))

    def month_abbreviation(self, month: int) -> str:
        """'Nov' for 11."""
        return self._format(SHORT_MONTH, date(2000, month, 1))

    def clock(self, local: datetime) -> str:
        """'14:05' (or '2:05 PM'): the time of day of an already local moment, without its zone."""
        return self._format(CLOCK, local.replace(tzinfo=None, second=0, microsecond=0))

    def local_time(self, moment: datetime, zone: tzinfo, with_date: bool = True) -> str:
        """'20 Nov 2026, 14:05 CET', or '14:05 CET' without the date, in the display zone."""
        local = moment.astimezone(zone)
        clock = self.gettext("%(time)s %(zone)s", time=self.clock(local), zone=local.tzname())
        if not with_date:
            return clock
        return self.gettext("%(date)s, %(time)s", date=self.short_date(local.date()), time=clock)

    def promise_text(self, at: datetime, promise: datetime, zone: tzinfo) -> str:
        """'14:35 CET', or '07:31 CET on 27 November 2026' when the promise falls on another day."""
        local, published = promise.astimezone(zone), at.astimezone(zone)
        clock = self.local_time(promise, zone, with_date=False)
        if local.date() == published.date():
            return clock
        return self.gettext("%(time)s on %(date)s", time=clock, date=self.long_date(local.date()))

    def window_text(self, start: datetime, end: datetime, zone: tzinfo) -> str:
        """'on 3 December 2026 from 03:00 to 05:00 CET', or with both dates when it spans days."""
        first, last = start.astimezone(zone), end.astimezone(zone)
        if first.date() == last.date():
            begin = self.clock(first) if first.tzname() == last.tzname() \
                else self.local_time(start, zone, with_date=False)
            return self.gettext("on %(date)s from %(start)s to %(end)s", date=self.long_date(first.date()),
                                start=begin, end=self.local_time(end, zone, with_date=False))
        return self.gettext("from %(start)s on %(start_date)s to %(end)s on %(end_date)s",
                            start=self.local_time(start, zone, with_date=False),
                            start_date=self.long_date(first.date()),
                            end=self.local_time(end, zone, with_date=False), end_date=self.long_date(last.date()))

    # --- durations and numbers --------------------------------------------------------------

    def duration(self, span: timedelta) -> str:
        """'2 d 3 h 5 min', '45 min', 'under a minute': how long something lasted, on pages."""
        if span < timedelta(minutes=1):
            return self.gettext("under a minute")
        minutes = int(span.total_seconds()) // 60
        hours, minutes = divmod(minutes, 60)
        days, hours = divmod(hours, 24)
        parts = (self.gettext("%(days)s d", days=days) if days else "",
                 self.gettext("%(hours)s h", hours=hours) if hours else "",
                 self.gettext("%(minutes)s min", minutes=minutes) if minutes else "")
        return self.join_units(parts)

    def join_units(self, parts: list[str] | tuple[str, ...]) -> str:
        """'2 d 3 h': the non-empty parts of a duration, spaced as the language spaces words."""
        joiner = "" if self.tag.split("-")[0].lower() in WITHOUT_SPACES else " "
        return joiner.join(p for p in parts if p)

    def decimal(self, value: float | int, places: int = 0) -> str:
        """`value` with `places` decimals in this language's digits and separators ('99,95')."""
        from babel.numbers import format_decimal
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=self.locale, decimal_quantization=True)

    def hundredths_percent(self, hundredths: int | None) -> str:
        """'99.95 %' for 9995 hundredths of a per cent, cut as model/uptime.py cuts; 'n/a' for None."""
        if hundredths is None:
            return self.gettext("n/a")
        number = self.decimal_text(hundredths // 100, hundredths % 100)
        return self.gettext("%(number)s %%", number=number)

    def decimal_text(self, whole: int, hundredths: int) -> str:
        """'99.95' from 99 and 95, exactly (no float rounding), with this language's decimal sign."""
        from babel.numbers import get_decimal_symbol
        return f"{self.decimal(whole)}{get_decimal_symbol(self.locale)}{hundredths:02d}"

    def percent(self, share: float | None) -> str:
        """'25%' for 0.25 (a whole per cent), 'n/a' for None."""
        if share is None:
            return self.gettext("n/a")
        return self.gettext("%(number)s%%", number=self.decimal(round(share * 100)))

    def list_separator(self) -> str:
        """What stands between the items of a plain list: ', ' (Japanese '、', Arabic '، ')."""
        return self.pgettext("between the items of a list", ", ")

    def human_list(self, items: list[str] | tuple[str, ...]) -> str:
        """'A', 'A and B', 'A, B and C' in this language (Babel's list patterns)."""
        if not items:
            return ""
        if self.tag == SOURCE_LANGUAGE:  # statusgen's English has no serial comma
            return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
        from babel.lists import format_list
        return format_list(list(items), locale=self.locale)


ENGLISH = Language(SOURCE_LANGUAGE, gettext.NullTranslations())
"""The source language, with no catalog: every msgid is its own text."""
