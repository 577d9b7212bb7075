"""Every shipped language in a real browser (the fixtures and helpers of test_browser.py).

The example site is built once per shipped language (`language:` set in its statusgen.yml) and
read as a reader would: the page declares its language (and `dir="rtl"` for Arabic, where the
layout really mirrors: the site title sits at the right, while an update the author wrote in
English keeps its own direction, dir="auto"), no page is wider than a phone in any
language (German's long words), the live script speaks the language, axe-core finds no serious
or critical violation, and screenshots of the front page and an incident at 1280 and 390 px,
light and dark, go to $STATUSGEN_ARTIFACTS (default tests/artifacts/): lang-de-index-light-390.png
and so on.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import REPO, run_build
from statusgen.source.language import load_language, shipped_languages
from test_browser import (CLOCK, HORIZONTAL_OVERFLOW, OPEN_INCIDENT, PAGES, assert_clean, axe_source,  # noqa: F401
                          axe_violations, browser, origin_of, screenshot, served_site, visit, watched_page)

LANGUAGES = [tag for tag in shipped_languages() if tag != "en"]


@pytest.fixture(scope="module", params=LANGUAGES)
def translated_example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(tag, address): the example in one shipped language, served under /status/."""
    tag = request.param
    root = tmp_path_factory.mktemp(f"browser-{tag}")
    source = root / "src"
    source.mkdir()
    config = (REPO / "statusgen.yml").read_text(encoding="utf-8")
    (source / "statusgen.yml").write_text(re.sub(r"(?m)^language: .*\n", "", config) + f"language: {tag}\n",
                                          encoding="utf-8")
    shutil.copytree(REPO / "content", source / "content")
    built = run_build(source, root / "site")
    assert built.exit_code == 0, built.output
    with served_site(built.site, root) as address:
        yield tag, address


def test_pages_speak_the_language_fit_a_phone_and_are_screenshot(browser: Any, translated_example: tuple[str, str]) -> None:
    tag, address = translated_example
    words = load_language(REPO, tag, [])
    for width in (1280, 390):
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                          timezone_id="America/New_York", locale=tag)
            try:
                for name, path in (("index", ""), ("incident", OPEN_INCIDENT), ("history", PAGES["history"])):
                    page, watch = watched_page(context, origin_of(address))
                    page.clock.install(time=CLOCK)
                    visit(page, address + path)
                    where = f"{tag} {name} at {width} px, {scheme}"
                    assert page.evaluate("document.documentElement.lang") == tag, where
                    direction = page.evaluate("getComputedStyle(document.body).direction")
                    assert direction == words.direction, where
                    layout = page.evaluate(HORIZONTAL_OVERFLOW)
                    assert layout["scroll"] <= layout["width"] and layout["wide"] == [], (where, layout)
                    assert_clean(page, watch, where)
                    if name != "history":
                        screenshot(page, f"lang-{tag}-{name}-{scheme}-{width}")
                    page.close()
            finally:
                context.close()


def test_the_page_is_in_the_language_not_in_english(browser: Any, translated_example: tuple[str, str]) -> None:
    tag, address = translated_example
    words = load_language(REPO, tag, [])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.clock.install(time=CLOCK)
        visit(page, address)
        text = page.inner_text("body")
        for english in ("History", "Get updates", "Past incidents", "uptime"):
            translated = words.gettext(english)
            if translated != english:  # a message the page really shows, translated
                assert english not in text or translated in text, (tag, english)
        assert words.gettext("History") in text
        page.close()
    finally:
        context.close()


RIGHT_TO_LEFT = [tag for tag in LANGUAGES if load_language(REPO, tag, []).direction == "rtl"]


@pytest.mark.parametrize("translated_example", RIGHT_TO_LEFT, indirect=True)
def test_right_to_left_pages_are_mirrored(browser: Any, translated_example: tuple[str, str]) -> None:
    tag, address = translated_example
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.clock.install(time=CLOCK)
        visit(page, address)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        # The first heading starts at the right edge of its box, as Arabic text does.
        box = page.evaluate("""() => {
          const h = document.querySelector('h1, header a');
          const r = h.getBoundingClientRect();
          return {left: r.left, right: r.right, width: document.documentElement.clientWidth};
        }""")
        assert box["width"] - box["right"] < box["left"], box
        # An update the author wrote in English keeps its own direction inside the Arabic page.
        directions = page.evaluate("""() => [...document.querySelectorAll('.update-body')]
          .map(e => getComputedStyle(e).direction)""")
        assert directions and set(directions) == {"ltr"}, directions
        page.close()
    finally:
        context.close()


def test_axe_finds_no_serious_violation_in_the_language(browser: Any, translated_example: tuple[str, str],
                                                        axe_source: Path) -> None:
    tag, address = translated_example
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        found = []
        for path in ("", OPEN_INCIDENT, PAGES["component"]):
            found += axe_violations(context, address + path, axe_source)
        assert found == [], tag
    finally:
        context.close()
