"""The default theme's two palettes, read from its style.css: every colour pair the page draws
meets WCAG 2.1 AA in the light and in the dark scheme, so changing a colour in the stylesheet
that breaks a pair fails here (the browser tests run axe-core on the rendered pages as well).

Which pairs the stylesheet draws (its opening comment says the same):
- --text, --muted, --link and each status colour as text on --bg and on --surface: 4.5:1
  (status labels, severity tags on --surface, the overdue promise, links in the reload notice);
- --on-status on each status colour: 4.5:1 (the banner's words, the icons' glyphs);
- the status colours, --link, --muted and --text as bars and chart marks on --bg: 3:1
  (non-text contrast), which the 4.5:1 above already implies and is checked on its own anyway.
--border only separates boxes that are also set apart by spacing, so it has no minimum.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from statusgen.source.theme import DEFAULT_PALETTE, Theme, css_palettes, theme_palette
from statusgen.vocabulary import STATUSES

STYLE = REPO / "themes/default/assets/style.css"
SCHEMES = ("light", "dark")
TEXT_COLOURS = ("text", "muted", "link", *STATUSES)
BACKGROUNDS = ("bg", "surface")
MARKS = ("text", "muted", "link", *STATUSES)


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rgb or #rrggbb colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio, from 1 to 21."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def palettes() -> dict[str, dict[str, str]]:
    return css_palettes(STYLE.read_text(encoding="utf-8"))


def test_contrast_formula_matches_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#fff", "#fff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic AA grey


def test_both_schemes_define_every_colour_and_differ() -> None:
    found = palettes()
    names = set(TEXT_COLOURS) | set(BACKGROUNDS) | {"on-status", "border"}
    css = re.sub(r"/\*.*?\*/", "", STYLE.read_text(encoding="utf-8"), flags=re.S)
    dark_block = css[css.index("prefers-color-scheme: dark"):]
    for scheme in SCHEMES:
        assert names <= set(found[scheme]), (scheme, names - set(found[scheme]))
    for name in names:  # the dark scheme sets each of its own, not inheriting a light one
        assert re.search(rf"--{name}\s*:", dark_block), name
    assert luminance(found["dark"]["bg"]) < 0.05 < luminance(found["light"]["bg"])
    assert luminance(found["dark"]["text"]) > luminance(found["dark"]["bg"])


def low_pairs(palette: dict[str, str]) -> list[tuple[str, str, float]]:
    """Every pair the page draws that misses its minimum: (foreground, background, ratio)."""
    pairs = [(fg, bg, 4.5) for fg in TEXT_COLOURS for bg in BACKGROUNDS]
    pairs += [("on-status", status, 4.5) for status in STATUSES]
    pairs += [(mark, "bg", 3.0) for mark in MARKS]
    return [(fg, bg, round(contrast(palette[fg], palette[bg]), 2)) for fg, bg, least in pairs
            if contrast(palette[fg], palette[bg]) < least]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_pair_the_page_draws_meets_wcag_aa(scheme: str) -> None:
    assert low_pairs(palettes()[scheme]) == []


def test_a_darker_status_colour_in_the_dark_scheme_would_fail() -> None:
    """The check reads the file: the dark red of the light scheme, put in the dark block, fails."""
    css = STYLE.read_text(encoding="utf-8").replace("--major_outage: #f85149;", "--major_outage: #cf222e;")
    assert low_pairs(css_palettes(css)["dark"]) == [
        ("major_outage", "bg", 3.53), ("major_outage", "surface", 3.23), ("on-status", "major_outage", 3.53)]


def test_the_stylesheet_uses_no_colour_outside_its_palettes() -> None:
    """Every colour is a custom property defined in both schemes: a literal colour in a rule would
    be the same in both and escape the checks above."""
    css = re.sub(r"/\*.*?\*/", "", STYLE.read_text(encoding="utf-8"), flags=re.S)
    rules = re.sub(r"--[\w-]+\s*:[^;}]*", "", css)  # drop the palette definitions themselves
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(|\b(?:white|black)\b(?![\w-])", rules)
    assert literals == []
    found = palettes()
    used = set(re.findall(r"var\(--([\w-]+)\)", css))
    for scheme in SCHEMES:
        assert used <= set(found[scheme]), (scheme, used - set(found[scheme]))


def test_badges_and_favicon_keep_the_light_status_colours() -> None:
    """One image serves every reader, so the badges use the light palette (made to carry white
    text) even though the stylesheet now has a dark one."""
    from statusgen.source.theme import load_theme

    theme = load_theme(REPO, None, [])
    assert theme_palette(theme) == DEFAULT_PALETTE == {s: palettes()["light"][s] for s in STATUSES}


def test_a_themes_dark_block_never_colours_the_badges_and_comments_are_ignored() -> None:
    css = """
    /* :root { --major_outage: #000001; } */
    @media screen and (prefers-color-scheme: dark) { :root { --major_outage: #ff0000; --bg: #000; } }
    :root { --major_outage: #aa0000; --bg: #fff; }
    @media (max-width: 30rem) { :root { --operational: #00aa00; } }
    """
    found = css_palettes(css)
    assert found["light"]["major_outage"] == "#aa0000" and found["dark"]["major_outage"] == "#ff0000"
    assert found["dark"]["bg"] == "#000" and found["light"]["bg"] == "#fff"
    assert found["dark"]["operational"] == "#00aa00"  # not redefined for dark: the light one holds
    assert theme_palette(Theme({}, {"style.css": css.encode()}))["major_outage"] == "#aa0000"
