"""Status badges: small SVG images of the overall and each component's status, for READMEs and docs.

They look like shields.io's "flat" badges (label on grey, status on its colour) so they sit well
next to other badges. Colours come from the theme's stylesheet (`--operational` and friends in
`:root`), so a site that changes its palette gets matching badges; white text on each default
colour has at least 4.5:1 contrast. Text widths are estimated from Verdana's character widths,
as shields.io does, so the same text always gives the same file.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from ..language import ENGLISH, SOURCE_LANGUAGE, Language
from ..model import Site
from ..vocabulary import STATUS_LABELS
from ..source.theme import Theme, theme_palette
from .paths import BADGE_PATH, component_badge_path

LABEL_COLOUR = "#555"
"""The label's background: 7.4:1 contrast with white text."""

FONT_SIZE = 11
PADDING = 5
"""Pixels of space either side of each text."""

# Advance widths of Verdana's printable ASCII characters in font units (2048 to the em).
_VERDANA_UNITS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (720, 823, 940, 1716, 1303, 2224, 1493, 548, 930, 930, 1303, 1716, 748, 930, 748, 930,
     *(1303,) * 10, 930, 930, 1716, 1716, 1716, 1120, 2048,
     1405, 1407, 1436, 1587, 1295, 1178, 1586, 1548, 862, 929, 1421, 1145, 1716, 1532, 1616,
     1250, 1616, 1428, 1405, 1244, 1524, 1405, 2036, 1406, 1245, 1406,
     930, 930, 930, 1716, 1303, 1303,
     1235, 1278, 1072, 1278, 1221, 728, 1278, 1296, 562, 705, 1186, 562, 1992, 1296, 1233,
     1278, 1278, 874, 1061, 809, 1296, 1186, 1673, 1186, 1186, 1054,
     1300, 930, 1300, 1716),
))
_UNITS_PER_EM = 2048
_DEFAULT_UNITS = 1303
"""Anything else not wide or combining: the width of a digit."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_badges(site: Site, theme: Theme | None = None) -> dict[str, bytes]:
    """`badge.svg` for the overall status and one per component, by output path."""
    palette = theme_palette(theme)
    words = site.config.words
    labels = words.labels(STATUS_LABELS)
    files = {BADGE_PATH: badge_svg(site.config.title, labels[site.overall_status],
                                    palette[site.overall_status], words)}
    for component in site.components:
        status = site.component_status[component.id]
        files[component_badge_path(component.id)] = badge_svg(component.name, labels[status], palette[status], words)
    return files


def text_width(text: str) -> float:
    """Estimated width in pixels of `text` in 11 px Verdana."""
    units = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            units += _UNITS_PER_EM
            continue
        base = unicodedata.normalize("NFKD", char)[:1] or char
        units += _VERDANA_UNITS.get(base, _DEFAULT_UNITS)
    return units * FONT_SIZE / _UNITS_PER_EM


def badge_svg(label: str, message: str, colour: str, words: Language = ENGLISH) -> bytes:
    """A flat badge: `label` on grey, `message` on `colour`; with a title and an accessible name
    (and the language of its words, for screen readers, when that is not English)."""
    label, message = _clean(label), _clean(message)
    label_text, message_text = text_width(label), text_width(message)
    label_width = round(label_text) + 2 * PADDING
    message_width = round(message_text) + 2 * PADDING
    width = label_width + message_width
    # Translators: a badge's accessible name: what it is about ('Acme Status'), then the status.
    spoken = words.gettext("%(label)s: %(status)s", label=label, status=message)
    name = _attr(spoken)
    language = "" if words.tag == SOURCE_LANGUAGE else f' xml:lang="{_attr(words.tag)}"'

    def text(value: str, centre: float, length: float) -> str:
        x, text_length, shown = round(centre * 10), round(length * 10), escape(value)
        return (f'    <text aria-hidden="true" x="{x}" y="150" fill="#010101" fill-opacity=".3" '
                f'transform="scale(.1)" textLength="{text_length}">{shown}</text>\n'
                f'    <text x="{x}" y="140" transform="scale(.1)" fill="#fff" '
                f'textLength="{text_length}">{shown}</text>\n')

    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{name}"{language}>\n'
        f'  <title>{escape(spoken)}</title>\n'
        '  <linearGradient id="s" x2="0" y2="100%">\n'
        '    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\n'
        '    <stop offset="1" stop-opacity=".1"/>\n'
        '  </linearGradient>\n'
        '  <clipPath id="r">\n'
        f'    <rect width="{width}" height="20" rx="3" fill="#fff"/>\n'
        '  </clipPath>\n'
        '  <g clip-path="url(#r)">\n'
        f'    <rect width="{label_width}" height="20" fill="{LABEL_COLOUR}"/>\n'
        f'    <rect x="{label_width}" width="{message_width}" height="20" fill="{colour}"/>\n'
        f'    <rect width="{width}" height="20" fill="url(#s)"/>\n'
        '  </g>\n'
        '  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        f'text-rendering="geometricPrecision" font-size="{FONT_SIZE * 10}">\n'
        + text(label, label_width / 2, label_text)
        + text(message, label_width + message_width / 2, message_text)
        + '  </g>\n'
        '</svg>\n'
    )
    return svg.encode("utf-8")


def _clean(text: str) -> str:
    """One line of text that XML can carry: no control characters, runs of space collapsed."""
    return " ".join(_NOT_XML.sub("", text).split())


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})
