"""The Jinja2 environment a theme's templates run in: its loader, its helpers and its errors.

Templates get helpers for what they must not work out themselves: links relative to the page
being rendered (so the site works from disk and under any sub-path; from base_url's path on the
404 page),
times in the display zone, durations and safe Markdown. Every name this puts in the templates'
globals is written down in context.py (TemplateGlobals). A template's errors become Problems
located in the template's file.
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from typing import Any, Callable
from urllib.parse import urlsplit

from jinja2 import (Environment, FunctionLoader, StrictUndefined, TemplateError,
                    TemplateSyntaxError, pass_context)
from markupsafe import Markup, escape

from ..language import CLOCK, DATE_PATTERN, Language
from ..model import Site, iso_utc
from ..vocabulary import (MAINTENANCE_STATE_LABELS, OVERALL_LABELS, PHASE_LABELS, SEVERITY_NAMES,
                          STATUS_IN_A_SENTENCE, STATUS_LABELS)
from ..problems import BuildFailed, Problem
from ..source.theme import Theme, theme_palette
from .context import PageContext, TemplateGlobals
from .markdown import MarkdownRenderer
from .paths import (absolute_url, component_badge_path, component_feed_path, component_path, incident_path,
                    maintenance_path, month_path, postmortem_path, pretty, relative_url, update_anchor)

class TemplateEnvironment:
    """A theme's templates, compiled once, with helpers that follow one build of a site."""

    def __init__(self, site: Site, theme: Theme, markdown: MarkdownRenderer):
        self.site = site
        self.theme = theme
        self.markdown = markdown
        self.env = Environment(
            loader=FunctionLoader(self._template_source),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        self._markdown_cache: dict[str, Markup] = {}
        self._times: dict[tuple[datetime, bool, Any, Language], Markup] = {}
        self.env.globals.update(self.template_globals())

    def retarget(self, site: Site) -> None:
        """Serve another build of the same site: the globals follow it, compiled templates stay."""
        self.site = site
        self.env.globals.update(self.template_globals())

    def template_globals(self) -> TemplateGlobals:
        """What every template has (see context.TemplateGlobals for what each name is)."""
        site = self.site
        language = site.config.words
        callables = self._install_language(language)
        return TemplateGlobals(
            _=callables["_"],
            gettext=callables["gettext"],
            ngettext=callables["ngettext"],
            pgettext=callables["pgettext"],
            site=site,
            config=site.config,
            language=language,
            status_labels=language.labels(STATUS_LABELS),
            overall_labels=language.labels(OVERALL_LABELS),
            phase_labels=language.labels(PHASE_LABELS),
            severity_names=language.labels(SEVERITY_NAMES),
            maintenance_state_labels=language.labels(MAINTENANCE_STATE_LABELS),
            status_words=status_words(language),
            month_names=tuple(language.month_name(month) for month in range(1, 13)),
            short_date=language.short_date,
            long_date=language.long_date,
            month_and_year=language.month_and_year,
            percent_text=self._percent_text,
            number=language.decimal,
            url=self._url,
            absolute_url=self._absolute_url,
            incident_url=self._link_to(incident_path),
            postmortem_url=self._link_to(postmortem_path),
            maintenance_url=self._link_to(maintenance_path),
            component_url=self._link_to(component_path),
            component_feed_url=self._link_to(component_feed_path),
            component_badge_url=self._link_to(component_badge_path),
            month_url=self._link_to(month_path),
            time=self.time_element,
            local=self.local_text,
            duration=language.duration,
            markdown=self._markdown,
            update_anchor=update_anchor,
            zone_name=site.config.timezone,
            iso=iso_utc,
            site_root=self._site_root,
            theme_colour=theme_palette(self.theme)[site.overall_status],
            absolute_links=False,
            live_scope=None,
            live_incidents="",
            as_of=site.now,
            script_strings=script_strings(language),
        )

    def _install_language(self, language: Language) -> dict[str, Any]:
        """gettext, ngettext and pgettext (and `_`) for the templates, in Jinja's "new style": a
        message's %(name)s placeholders are filled from keyword arguments, which are escaped.
        A translation is text too: it is escaped, so a catalog can never put markup on a page.
        A message the catalog leaves untranslated is the template's own text and comes out as the
        template wrote it (an apostrophe stays an apostrophe, as in the template's other text)."""
        translations = language.translations
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda message: _text(translations.gettext(message), message),
            ngettext=lambda singular, plural, n: _text(translations.ngettext(singular, plural, n), singular, plural),
            pgettext=lambda context, message: _text(translations.pgettext(context, message), message),
            newstyle=True)
        return {name: self.env.globals[name] for name in ("_", "gettext", "ngettext", "pgettext")}

    def _percent_text(self, figure: Any) -> str:
        """An uptime (model/uptime.py: an Uptime or one of its figures) as the language writes it:
        '99.95 %', '99,95 %', 'n/a'."""
        return self.site.config.words.hundredths_percent(getattr(figure, "total", figure).hundredths)

    def render(self, template_name: str, page_path: str, context: PageContext) -> bytes:
        """The page at `page_path`. Any error while a template runs (an undefined name, `1/0`, a
        filter given the wrong value) raises BuildFailed, located in the template and naming the
        page: a theme is the site's own code, and its mistakes are the site's to fix."""
        try:
            html = self.env.get_template(template_name).render(page_path=page_path, **context)
        except Exception as error:  # whatever a template raises is the theme's mistake
            raise BuildFailed([_template_problem(error, self.theme, template_name, page_path)]) from None
        return html.encode("utf-8")

    def check(self) -> None:
        """Compile every template first, so all syntax errors are reported together."""
        problems = []
        for name, (_, shown) in sorted(self.theme.templates.items()):
            try:
                self.env.get_template(name)
            except TemplateSyntaxError as error:
                problems.append(Problem(shown, error.lineno, None, f"template syntax error: {error.message}"))
        if problems:
            raise BuildFailed(problems)

    def _template_source(self, name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in self.theme.templates:
            return None
        source, shown = self.theme.templates[name]
        return source, shown, lambda: True

    # --- helpers for templates ------------------------------------------------------------------

    @pass_context
    def _url(self, context: Any, target: str) -> str:
        if context["absolute_links"]:
            path, _, fragment = target.partition("#")
            return self._root_path() + pretty(path) + (f"#{fragment}" if fragment else "")
        return relative_url(target, context["page_path"])

    def _link_to(self, path_of: Callable[[Any], str]) -> Callable[..., str]:
        """A helper linking to the output path `path_of` gives for its argument (an id, a month)."""
        return pass_context(lambda context, of: self._url(context, path_of(of)))

    @pass_context
    def _site_root(self, context: Any) -> str:
        """The site's root as seen from the page ('./', '../../'), or base_url for the 404 page."""
        if context["absolute_links"]:
            return self._root_path()
        return posixpath.relpath(".", posixpath.dirname(context["page_path"]) or ".") + "/"

    def _root_path(self) -> str:
        """base_url's path ('/status/'): links from it are right at any depth of the page's
        address, on the real host and in any preview that serves the site under that path
        (an address with base_url's host would be another origin there, and the
        Content-Security-Policy's 'self' would refuse its stylesheet)."""
        return urlsplit(self.site.config.base_url).path or "/"

    def _absolute_url(self, path: str = "") -> str:
        return absolute_url(self.site.config.base_url, path)

    def local_text(self, moment: datetime, with_date: bool = True) -> str:
        """"5 Nov 2026, 14:05 CET" (or only the clock) in the site's display zone."""
        return self.site.config.words.local_time(moment, self.site.zone, with_date)

    def time_element(self, moment: datetime, with_date: bool = True) -> Markup:
        """local_text() in a <time> element carrying the UTC instant."""
        # The same instants appear on many pages (history, components, months): format each once.
        key = (moment, with_date, self.site.zone, self.site.config.words)
        element = self._times.get(key)
        if element is None:
            text = escape(self.local_text(moment, with_date))
            element = self._times[key] = Markup(f'<time datetime="{escape(iso_utc(moment))}">{text}</time>')
        return element

    def _markdown(self, source: str) -> Markup:
        if source not in self._markdown_cache:
            self._markdown_cache[source] = Markup(self.markdown.render(source))
        return self._markdown_cache[source]


def _text(translated: str, *messages: str) -> Markup:
    """A lookup's result for a template: anything a catalog gave escaped in full; the template's
    own message with its quotes as written, like the theme text around it ("We're"), but with
    & < > escaped, so even a value a theme wrongly passes to _() never becomes an element."""
    if translated in messages:
        return Markup(translated.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return escape(translated)


def status_words(language: Language) -> dict[str, str]:
    """Component status → its words inside a sentence ("partial outage"): a language that does
    not lower-case its nouns there translates these rather than the labels being lower-cased."""
    return {status: language.pgettext("component status, inside a sentence", words)
            for status, words in STATUS_IN_A_SENTENCE.items()}


def script_strings(language: Language) -> dict[str, str]:
    """What live.js writes, in the site's language (see context.TemplateGlobals.script_strings):
    translated but not formatted, so the script fills the %(name)s placeholders itself."""
    words = language.translations
    clock = language.pgettext(DATE_PATTERN, CLOCK)
    twelve = any(letter in clock for letter in "hKa")
    return {
        "overdue": words.gettext("Update overdue:"),
        "overdue_promise": words.gettext("the next update was promised by %(time)s. We have not posted it yet."),
        # Translators: the reader's own clock, in brackets after a time shown in the site's zone.
        "your_time_note": words.gettext("(%(time)s your time)"),
        # Translators: the same, as the tooltip of the time (with its date).
        "your_time": words.gettext("%(time)s your time"),
        "date_and_time": words.gettext("%(date)s, %(time)s"),
        # Translators: a day and an abbreviated month ("26 Nov"), as in the reader's zone.
        "day_and_month": words.gettext("%(day)s %(month)s"),
        # Translators: a day, an abbreviated month and a year ("26 Nov 2026").
        "day_month_year": words.gettext("%(day)s %(month)s %(year)s"),
        "checked": words.gettext("Checked for updates at %(time)s your time"),
        "reload": words.gettext("New updates — reload"),
        # Not words: how the clock is written, from the catalog's clock pattern ("HH:mm", "h:mm a").
        "hour_cycle": "h12" if twelve else "h23",
        "hour": "2-digit" if ("HH" in clock or "hh" in clock) else "numeric",
    }


def _template_problem(error: Exception, theme: Theme, template_name: str, page_path: str) -> Problem:
    """Locate a template's run-time error in the template file, from the traceback Jinja rewrote
    to point into templates: the innermost frame in a theme's file (an included template, a
    macro) is where it went wrong; without one, the page's own template."""
    shown_files = {shown for _, shown in theme.templates.values()}
    file, line = theme.templates[template_name][1] if template_name in theme.templates else "theme", None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in shown_files:
            file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return Problem(file, line, None, f"while rendering {page_path}: {_error_text(error)}")


def _error_text(error: Exception) -> str:
    """What went wrong, in Python's words ("division by zero"), with the kind of error where
    the words alone say too little (a KeyError's message is only the key)."""
    if isinstance(error, RecursionError):
        return "templates call each other without end (maximum recursion depth exceeded)"
    text = str(error)
    if isinstance(error, TemplateError):
        return text
    if not text or isinstance(error, LookupError):
        return f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text
