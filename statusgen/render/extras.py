"""The site's non-page extras: favicon.svg, sitemap.xml, robots.txt and the embeddable widget.js.

Like every renderer these are pure functions of the model. The favicon takes its colours from
the theme's palette (source/theme.py), so it always matches the page and the badges. The
sitemap's `lastmod` values are the times of published updates, never the clock, so unchanged
content gives unchanged files. widget.js is one file, assets/widget.js beside this module: what it
shows of the site it reads from api/v2/summary.json at run time, beside its own address; its own
words, in the site's language, are put in at build time (widget_js).
"""

from __future__ import annotations

import json
from datetime import datetime
from importlib.resources import files
from typing import Iterable
from xml.sax.saxutils import escape

from ..model import Site, iso_utc
from ..language import ENGLISH, Language
from ..vocabulary import OVERALL_LABELS, STATUS_INDICATORS, STATUS_LABELS
from ..source.theme import Theme, theme_palette
from .paths import (FAVICON_PATH, NOT_FOUND_PATH, ROBOTS_PATH, SITEMAP_PATH, WIDGET_PATH, absolute_url,
                    component_path, incident_path, maintenance_path, month_path, pretty)

WIDGET_MAX_BYTES = 5 * 1024
"""widget.js loads on other people's pages: it has to stay small."""
WIDGET_SOURCE = ("assets", "widget.js")
"""Where the widget's source lives, inside this package (shipped as package data)."""

_GLYPHS = {
    "operational": '<path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.5" '
                   'stroke-linecap="round" stroke-linejoin="round"/>',
    "under_maintenance": '<circle cx="16" cy="9.5" r="2.3" fill="#fff"/>'
                         '<path d="M16 14.5v9" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>',
    "degraded_performance": '<path d="M16 8v9.5" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>'
                            '<circle cx="16" cy="23" r="2.3" fill="#fff"/>',
    "partial_outage": '<path d="M9.5 16h13" stroke="#fff" stroke-width="4" stroke-linecap="round"/>',
    "major_outage": '<path d="M11 11l10 10M21 11L11 21" fill="none" stroke="#fff" stroke-width="3.5" '
                    'stroke-linecap="round"/>',
}
"""A white glyph per status on the status colour: a tick, an "i", an "!", a bar (partly blocked),
a cross. Drawn as paths, so no font is needed and every browser shows the same icon."""


def render_extras(site: Site, theme: Theme | None, page_paths: Iterable[str]) -> dict[str, bytes]:
    """favicon.svg, sitemap.xml, robots.txt and widget.js, by output path.

    `page_paths` are the paths of the site's other output files; every HTML page among them
    except 404.html goes into the sitemap.
    """
    return {
        FAVICON_PATH: favicon_svg(site, theme),
        SITEMAP_PATH: sitemap_xml(site, page_paths),
        ROBOTS_PATH: robots_txt(site),
        WIDGET_PATH: widget_js(site.config.words),
    }


def widget_js(words: Language = ENGLISH) -> bytes:
    """The widget: it learns its site's address from its own `src` and what it shows of the site
    from summary.json at run time; its own words (widget_words) are put in at build time, as JSON
    with every non-ASCII character escaped, so nothing from a catalog can end the script."""
    source = files(__package__).joinpath(*WIDGET_SOURCE).read_text(encoding="utf-8")
    table = json.dumps(widget_words(words), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    table = table.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if source.count(WIDGET_WORDS) != 1:
        raise RuntimeError(f"widget.js must hold {WIDGET_WORDS} exactly once")
    return source.replace(WIDGET_WORDS, table).encode("utf-8")


WIDGET_WORDS = "/*WORDS*/null"
"""Where widget.js takes its words: replaced by the table of widget_words."""


def widget_words(words: Language) -> dict[str, object]:
    """The widget's words in `words`' language, for its table W: the overall status by
    Statuspage indicator (summary.json's `status.indicator`), the title's pattern, the forms of
    "(and 2 more)" by CLDR plural category, the link, the close button's name, the tag, the direction."""
    overall = words.labels(OVERALL_LABELS)
    first, second = "\u00010", "\u00011"
    forms: dict[str, str] = {}
    rule = words.locale.plural_form
    for count in range(1, 1000):  # the first count of each category the language has
        category = rule(count)
        if category not in forms:
            # Translators: in the status widget, after the first open incident's title.
            forms[category] = words.ngettext("(and %(num)s more)", "(and %(num)s more)", count, num=first)
    forms.setdefault("other", forms[rule(2)])  # Russian's "other" is for fractions only
    return {
        "s": {indicator: overall[status] for status, indicator in STATUS_INDICATORS.items()},
        # Translators: the status widget's heading: the site's title, then its overall status.
        "t": words.gettext("%(site)s: %(status)s", site=first, status=second),
        "m": forms,
        "v": words.gettext("View the status page"),
        # Translators: the name of the status widget's close button, for screen readers.
        "d": words.gettext("Dismiss"),
        "l": words.tag,
        "r": words.direction,
    }


def favicon_svg(site: Site, theme: Theme | None = None) -> bytes:
    """A circle in the overall status's theme colour with the status's glyph on it."""
    status = site.overall_status
    colour = theme_palette(theme)[status]
    words = site.config.words
    title = escape(words.gettext("%(site)s: %(status)s", site=" ".join(site.config.title.split()),
                                 status=words.gettext(STATUS_LABELS[status])))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">\n'
        f'  <title>{title}</title>\n'
        f'  <circle cx="16" cy="16" r="15" fill="{colour}"/>\n'
        f'  {_GLYPHS[status]}\n'
        '</svg>\n'
    ).encode("utf-8")


def content_times(site: Site) -> dict[str, datetime]:
    """For each page whose content is one thing's updates, when it last changed: its newest update."""
    times: dict[str, datetime] = {}
    for incident in site.incidents:
        times[incident_path(incident.id)] = incident.latest.at
    for maintenance in site.maintenances:
        times[maintenance_path(maintenance.id)] = maintenance.latest.at
    for component in site.components:
        moments = [i.latest.at for i in site.incidents_affecting(component.id)]
        moments += [m.latest.at for m in site.maintenances_affecting(component.id)]
        if moments:
            times[component_path(component.id)] = max(moments)
    for month in site.months:
        moments = [i.latest.at for i in month.incidents] + [m.latest.at for m in month.maintenances]
        if moments:
            times[month_path(month)] = max(moments)
    return times


def sitemap_xml(site: Site, page_paths: Iterable[str]) -> bytes:
    """Every HTML page (but 404.html) with its absolute address, in path order.

    A page's `lastmod` is its newest update; pages that show the whole site (the front page,
    the history) take the site's newest update. A site with no content has no `lastmod`.
    """
    times = content_times(site)
    pages = sorted((p for p in page_paths if p.endswith(".html") and p != NOT_FOUND_PATH), key=pretty)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in pages:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(absolute_url(site.config.base_url, path))}</loc>")
        modified = times.get(path, site.last_update_at)
        if modified is not None:
            stamp = iso_utc(modified)
            lines.append(f"    <lastmod>{stamp}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(site: Site) -> bytes:
    """Everything may be crawled; the sitemap is named by its absolute address."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.config.base_url, SITEMAP_PATH)}\n".encode("utf-8")
