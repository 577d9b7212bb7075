"""The site's `language:` → a Language: statusgen's shipped catalog for it, under the site's own.

statusgen ships compiled catalogs in statusgen/locale/<ll_CC>/LC_MESSAGES/statusgen.mo (their
.po sources beside them; README "Languages" says how to update them). A site may add or override
strings with locale/<tag>.po in its folder, read through the site's reading rule (files.SiteFiles)
and checked here, so a mistake in it is an error naming its file and line, never a traceback
while a page renders: every translation must fill exactly the placeholders its message has, and
every date pattern must be one Babel can format.
"""

from __future__ import annotations

import gettext
import io
import re
from datetime import date, datetime
from pathlib import Path

from ..incremental.digests import digest_of
from ..language import CLOCK, DATE_PATTERN, ENGLISH, SOURCE_LANGUAGE, Language
from ..problems import Problem
from .files import SiteFiles, source_text

LOCALE_DIR = "locale"
"""The site's own catalogs: locale/<tag>.po."""
DOMAIN = "statusgen"
TAG_PATTERN = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def shipped_catalogs_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "locale"


def folder_of(tag: str) -> str:
    """'pt_BR' for 'pt-BR': gettext's folder name for a tag."""
    return tag.replace("-", "_")


def shipped_languages() -> tuple[str, ...]:
    """The tags statusgen has a catalog for ('ar', 'de', ..., 'pt-BR'), sorted."""
    root = shipped_catalogs_dir()
    found = [entry.name.replace("_", "-") for entry in root.iterdir()
             if (entry / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()] if root.is_dir() else []
    return tuple(sorted(set(found) | {SOURCE_LANGUAGE}))


def site_languages(site: SiteFiles, source_dir: Path, problems: list[Problem]) -> dict[str, Path]:
    """The site's own catalogs: tag → file, for every locale/<tag>.po."""
    folder = source_dir / LOCALE_DIR
    if site.kind(folder)[0] != "folder":
        return {}
    found = {}
    for entry in site.entries(folder, LOCALE_DIR, problems):
        name = entry.name
        if name.endswith(".po") and TAG_PATTERN.fullmatch(name[:-3]):
            found[name[:-3]] = folder / name
    return found


def language_problem(tag: str, available: list[str], line: int | None) -> Problem:
    return Problem("statusgen.yml", line, "language",
                   f"language '{tag}' is not one of {', '.join(available)} (or a regional form of one, like "
                   f"de-AT); to speak another, add its "
                   f"catalog as {LOCALE_DIR}/{tag}.po (see the README's Languages)")


def load_language(source_dir: Path, tag: str, problems: list[Problem], line: int | None = None) -> Language:
    """The Language for `tag`: the shipped catalog under the site's locale/<tag>.po, if it has one.
    A regional tag (de-AT, en-GB) takes its language's shipped catalog and its own region's CLDR
    data. Records a problem (and gives English) for an unknown tag or a mistake in the site's catalog."""
    site = SiteFiles(source_dir)
    own = site_languages(site, source_dir, problems)
    shipped = {t.lower(): t for t in shipped_languages()}
    ours = {t.lower(): t for t in own}
    key = tag.lower()
    base = key.split("-")[0]
    shipped_key = key if key in shipped else base if base in shipped else None
    if shipped_key is None and key not in ours:
        problems.append(language_problem(tag, sorted({*shipped.values(), *ours.values()}, key=str.lower), line))
        return ENGLISH
    canonical = shipped.get(key) or (ours[key] if key in ours else tag)
    compiled = b""
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if shipped_key is not None:
        catalog = shipped_catalogs_dir() / folder_of(shipped[shipped_key]) / "LC_MESSAGES" / f"{DOMAIN}.mo"
        compiled = catalog.read_bytes() if catalog.is_file() else b""  # English needs none
        if compiled:
            translations = gettext.GNUTranslations(io.BytesIO(compiled))
    site_bytes = b""
    if key in ours:
        shown = f"{LOCALE_DIR}/{ours[key]}.po"
        site_bytes = site.read_bytes(own[ours[key]], shown, problems) or b""
        text = source_text(site_bytes, shown, problems) if site_bytes else None
        overrides = read_catalog(text, shown, canonical, problems) if text is not None else None
        if overrides is not None:
            overrides.add_fallback(translations)
            translations = overrides
    try:
        language = Language(canonical, translations, digest_of(compiled, b"\0", site_bytes))
        if canonical != SOURCE_LANGUAGE:  # English needs no check, and commands that only read pay nothing
            language.locale  # noqa: B018 -- Babel must know the language's dates and numbers
    except (ValueError, LookupError):
        problems.append(Problem("statusgen.yml", line, "language",
                                f"language '{tag}' is not a language Babel has dates and numbers for; "
                                f"use a BCP 47 tag like de, pt-BR or ar"))
        return ENGLISH
    return language


def read_catalog(text: str, shown: str, tag: str, problems: list[Problem]) -> gettext.GNUTranslations | None:
    """A site's .po file, checked and compiled; None after recording its problems."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    try:
        catalog = read_po(io.StringIO(text), locale=tag.replace("-", "_"), abort_invalid=True)
    except PoFileError as error:
        # Babel counts the lines from 0 and ends its message with " on <that count>"
        reason = re.sub(r" on \d+$", "", str(error.args[0]))
        problems.append(Problem(shown, error.lineno + 1, None, f"is not a valid gettext catalog: {reason}"))
        return None
    except Exception as error:  # Babel's parser raises what it meets (a bad header, an unknown locale)
        problems.append(Problem(shown, None, None, f"is not a valid gettext catalog: {error}"))
        return None
    before = len(problems)
    for message in catalog:
        if message.id and message.string:
            problems += message_problems(message, shown)
    if len(problems) > before:
        return None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def message_problems(message: object, shown: str) -> list[Problem]:
    """What is wrong with one translated message: placeholders it does not fill or the message
    lacks, a lone '%', a date pattern Babel cannot format."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)  # type: ignore[attr-defined]
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)  # type: ignore[attr-defined]
    line = getattr(message, "lineno", None)
    allowed = set().union(*(PLACEHOLDER.findall(i) for i in ids)) | ({"num"} if len(ids) > 1 else set())
    problems = []
    for string in strings:
        if not string:
            continue
        used = set(PLACEHOLDER.findall(string))
        unknown = sorted(used - allowed)
        if unknown:
            problems.append(Problem(shown, line, None, f"translation of '{ids[0]}' uses %({unknown[0]})s, which the "
                                                       f"message does not have; it may use "
                                                       f"{', '.join(f'%({n})s' for n in sorted(allowed)) or 'none'}"))
            continue
        try:
            string % {name: "" for name in allowed}
        except (ValueError, TypeError, KeyError):
            problems.append(Problem(shown, line, None, f"translation of '{ids[0]}' has a '%' that is not a "
                                                       f"placeholder; write a literal per cent sign as %%"))
        if getattr(message, "context", None) == DATE_PATTERN:
            problems += _pattern_problems(string, ids[0], shown, line)
    return problems


def _pattern_problems(pattern: str, message_id: str, shown: str, line: int | None) -> list[Problem]:
    from babel.dates import format_date, format_time
    try:
        if message_id == CLOCK:  # the clock formats a time of day, the others a day
            format_time(datetime(2026, 11, 20, 14, 5), pattern, locale="en")
        else:
            format_date(date(2026, 11, 20), pattern, locale="en")
    except Exception as error:  # Babel's pattern parser raises ValueError, KeyError, ...
        return [Problem(shown, line, None, f"date pattern '{pattern}' (for '{message_id}') is not a CLDR "
                                           f"pattern Babel can format: {error}")]
    return []
