"""The bracketed hints of the authoring templates ("[Describe what customers may see, ...]"):
an update that still holds one is not ready to publish, so the build refuses it.

The hints are read from the templates `statusgen new` writes updates from: statusgen's own
`authoring_templates/` and a site's `templates/`, whose files override them by name. So the
templates are the one list of placeholders; a site that words its own hints gets them checked
too. A hint may hold template expressions (`[... confirm that {{ affected }} recovered.]`) or
message placeholders (`%(affected)s`); those parts match any text. The templates' sentences are
messages (`{{ _("... [hint] ...") }}`), so a hint is looked for in the message as the template
writes it (English) and as the site's language translates it: a German draft's hint is a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import jinja2

from ..language import ENGLISH, Language
from ..model import IncidentRecord, MaintenanceRecord
from ..problems import Problem
from .files import BODY_LINE, SiteFiles

BUILTIN_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "authoring_templates"
SITE_TEMPLATES_DIR = "templates"
"""A site's own authoring templates, overriding the built-in ones by file name."""
TEMPLATE_SUFFIX = ".md"

_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|%\(\w+\)[sd]", re.S)
_HINT = re.compile(r"\[([^\[\]]+)\](?![(\[:])")
"""A bracketed run that is not a Markdown link (`[text](url)`, `[text][ref]`, `[ref]: url`)."""


@dataclass(frozen=True)
class Placeholder:
    """One bracketed hint of a template, and the pattern that finds it in a written update."""

    text: str
    """As the template has it, expressions shown as '…'."""
    pattern: str


_QUOTED_HINT = re.compile(r'^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s*"(\[[^\[\]"]+\])"\s*$', re.M)
"""A front-matter value that is wholly a quoted hint (`summary: "[What happened, ...]"`): the
postmortem template's text fields."""


def placeholders_in(template: str, words: Language = ENGLISH) -> list[Placeholder]:
    """The hints in an authoring template's body (after its front matter), and the front-matter
    values that are wholly a quoted hint, in order; then the hints of its messages in `words`."""
    text = _COMMENT.sub("", template)
    lines = text.split("\n")
    fences = [n for n, line in enumerate(lines) if line.strip() == "---"]
    body = "\n".join(lines[fences[1] + 1:]) if len(fences) >= 2 else text
    front = "\n".join(lines[fences[0] + 1:fences[1]]) if len(fences) >= 2 else ""
    hints = [m.group(1) for m in _QUOTED_HINT.finditer(front)] + [m.group(0) for m in _HINT.finditer(body)]
    hints += [m.group(0) for message in _translated_messages(template, words) for m in _HINT.finditer(message)]
    found = []
    for match in (_HINT.fullmatch(hint) for hint in hints):
        if match is None:
            continue
        pieces, shown = [], []
        for literal, expression in _pieces(match.group(1)):
            words = literal.split()
            if words:
                pieces.append(r"\s*" if literal[:1].isspace() and pieces else "")
                pieces.append(r"\s+".join(re.escape(w) for w in words))
                pieces.append(r"\s*" if literal[-1:].isspace() else "")
                shown.append(" ".join(words))
            if expression:
                pieces.append(r"[^\[\]]*?")
                shown.append("…")
        if re.search(r"[^\W\d_]{2}", " ".join(shown).replace("…", "")):  # words, not just an expression
            found.append(Placeholder("[" + " ".join(shown) + "]", r"\[" + "".join(pieces) + r"\]"))
    return found


def _translated_messages(template: str, words: Language) -> list[str]:
    """Every form of every message (`_()`, `ngettext()`) in the template, in `words` (English
    too: a message in the front matter, `summary: {{ _("[...]") | yaml }}`, is found only here)."""
    if "_(" not in template and "gettext(" not in template:
        return []
    try:
        found = list(jinja2.Environment(extensions=["jinja2.ext.i18n"]).extract_translations(template))
    except jinja2.TemplateSyntaxError:  # `new` reports the template's mistake when it renders it
        return []
    texts = []
    for _, function, message in found:
        forms = message if isinstance(message, tuple) else (message,)
        if function == "ngettext" and len(forms) == 2 and all(isinstance(f, str) for f in forms):
            texts += [words.translations.ngettext(forms[0], forms[1], n) for n in range(0, 200)]  # every plural form
        else:
            texts += [words.translations.gettext(f) for f in forms if isinstance(f, str)]
    return sorted(set(texts))


def _pieces(inside: str) -> Iterable[tuple[str, bool]]:
    """(literal text, whether a template expression follows it) along a hint."""
    position = 0
    for expression in _JINJA.finditer(inside):
        yield inside[position:expression.start()], True
        position = expression.end()
    yield inside[position:], False


def _builtin(folder: Path, words: Language) -> tuple[tuple[str, tuple[Placeholder, ...]], ...]:
    return tuple((path.name, tuple(placeholders_in(path.read_text(encoding="utf-8"), words)))
                 for path in sorted(folder.glob(f"*{TEMPLATE_SUFFIX}")))


def site_placeholders(source_dir: Path, problems: list[Problem],
                      words: Language = ENGLISH) -> tuple[Placeholder, ...]:
    """Every hint of the built-in authoring templates and of the site's own `templates/*.md`
    (an unreadable one is a problem: its hints cannot be checked), in English and in `words`."""
    found = {p.pattern: p for _, hints in _builtin(BUILTIN_TEMPLATES_DIR, words) for p in hints}
    site = SiteFiles(source_dir)
    for entry in site.entries(source_dir / SITE_TEMPLATES_DIR, SITE_TEMPLATES_DIR, problems):
        if entry.name.endswith(TEMPLATE_SUFFIX):
            text = site.read_template(entry.path, f"{SITE_TEMPLATES_DIR}/{entry.name}", problems)
            for hint in placeholders_in(text or "", words):
                found.setdefault(hint.pattern, hint)
    return tuple(found.values())


def _finder(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def placeholder_problems(items: Iterable[IncidentRecord | MaintenanceRecord],
                         placeholders: tuple[Placeholder, ...]) -> list[Problem]:
    """A problem for every hint still in an update's body, at its line."""
    finder = _finder(tuple(p.pattern for p in placeholders))
    problems: list[Problem] = []
    if finder is None:
        return problems
    for item in items:
        for update in item.updates:
            if "[" in update.body:
                problems += _found(finder, update.source, update.body, "body", update.field_lines.get(BODY_LINE))
        report = getattr(item, "report", None)
        if report is not None:
            texts = [(name, getattr(report, name), report.line_of(name)) for name in ("summary", "impact", "root_cause")]
            texts += [(f"action_items[{n}].{name}", getattr(a, name), a.line)
                      for n, a in enumerate(report.action_items) for name in ("title", "owner")]
            for name, text, line in [*texts, ("body", report.body, report.field_lines.get(BODY_LINE))]:
                if "[" in text:
                    problems += _found(finder, report.source, text, name, line)
    return problems


def _found(finder: re.Pattern[str], source: str, text: str, field: str, first: int | None) -> list[Problem]:
    """A problem for each hint in `text` (a field, or a body whose first line is `first`)."""
    problems = []
    for match in finder.finditer(text):
        line = first + text.count("\n", 0, match.start()) if first and field == "body" else first
        shown = " ".join(match.group(0).split())
        problems.append(Problem(source, line, field, (
            f"{_MESSAGE}'{shown}': replace it with what customers need to know (build and "
            f"check refuse an update with a placeholder)")))
    return problems


_MESSAGE = "the text still holds the template's placeholder "


def is_placeholder_problem(problem: Problem) -> bool:
    """Whether `problem` is one placeholder_problems reported."""
    return problem.field == "body" and problem.message.startswith(_MESSAGE)
