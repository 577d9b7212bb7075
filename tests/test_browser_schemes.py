"""Dark mode and the phone layout in a real browser (the fixtures and helpers of test_browser.py).

axe-core finds no violation at all, of any impact, in the light and the dark scheme, at desktop
and phone width, on the front page, an incident, the history, a component, the metrics page and
a maintenance; the dark palette is really applied. On phones (320, 360, 390 px) the navigation
is one line; at 390 px the day bars are the last 30, at least 6 px wide, and every text about
them (the legend, what a screen reader meets) speaks of 30 days, while at 1280 px all 90 show;
the metrics charts' text renders at 11 px or more; the front page is shorter than the 3,972 px
the issue measured (3,608 px, from 4,260 px before, measured here). Screenshots of the front page and an incident, light and dark, at 1280 and
390 px, go to $STATUSGEN_ARTIFACTS (default tests/artifacts/): index-dark-390.png and so on.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import REPO, run_build
from test_browser import (ARTIFACTS, CLOCK, OPEN_INCIDENT, PAGES, assert_clean, axe_source,  # noqa: F401
                          browser, example, origin_of, screenshot, served_site, visit, watched_page)

SCHEMES = ("light", "dark")
DARK_BACKGROUND = "rgb(13, 17, 23)"  # --bg of the dark palette in themes/default/assets/style.css
AXE_PAGES = {"index": "", "incident": OPEN_INCIDENT, "history": PAGES["history"],
             "component": PAGES["component"], "metrics": "metrics/", "maintenance": PAGES["maintenance"]}
PHONE_HEIGHT_LIMIT = 3950
"""The front page's height at 390 px may not exceed this: issue 14 measured 3,972 px before the
phone layout; this test's reader (in the page's zone, at the example's time) measured 4,260 px
before and 3,608 px after it, and 3,871 px once each component and group showed its uptime
(a line under its bars, which the page did not have before)."""


@pytest.fixture(scope="module")
def metrics_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example with `metrics: true` (five links in the navigation), served under /status/."""
    root = tmp_path_factory.mktemp("browser-metrics")
    source = root / "src"
    source.mkdir()
    config = (REPO / "statusgen.yml").read_text(encoding="utf-8")
    (source / "statusgen.yml").write_text(re.sub(r"(?m)^metrics: .*\n", "", config) + "metrics: true\n",
                                          encoding="utf-8")
    shutil.copytree(REPO / "content", source / "content")
    built = run_build(source, root / "site")
    assert built.exit_code == 0, built.output
    with served_site(built.site, root) as address:
        yield address


def new_context(browser: Any, width: int, scheme: str, **options: Any) -> Any:
    return browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                               timezone_id="Europe/Berlin", **options)


def opened(context: Any, url: str) -> Any:
    page = context.new_page()
    page.clock.install(time=CLOCK)
    visit(page, url)
    return page


# --- accessibility in both schemes ----------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_in_either_colour_scheme(browser: Any, metrics_example: str, axe_source: Path,
                                                       scheme: str, width: int) -> None:
    # bypass_csp only so axe's own script can be injected; test_browser.py checks the policy.
    context = new_context(browser, width, scheme, bypass_csp=True)
    found = []
    try:
        for name, path in AXE_PAGES.items():
            page = opened(context, metrics_example + path)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (background == DARK_BACKGROUND) == (scheme == "dark"), (name, background)
            page.add_script_tag(path=str(axe_source))
            result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            found += [f"{name}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
                      for v in result["violations"]]
            page.close()
    finally:
        context.close()
    assert found == []


# --- the phone layout -----------------------------------------------------------------------------

NAV_BOXES = """() => [...document.querySelectorAll('.site-header nav li')]
  .map(li => li.getBoundingClientRect()).filter(r => r.width > 0)
  .map(r => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right}))"""


@pytest.mark.parametrize("width", [320, 360, 390])
def test_navigation_stays_on_one_line_on_phones(browser: Any, metrics_example: str, width: int) -> None:
    context = new_context(browser, width, "light")
    try:
        for path in ("", "metrics/", OPEN_INCIDENT):
            page = opened(context, metrics_example + path)
            boxes = page.evaluate(NAV_BOXES)
            assert len(boxes) == 4, (path, boxes)  # Current status, History, Metrics, RSS
            assert max(b["top"] for b in boxes) - min(b["top"] for b in boxes) < 1, (width, path, boxes)
            assert max(b["bottom"] for b in boxes) - min(b["bottom"] for b in boxes) < 1, (width, path, boxes)
            assert all(a["right"] <= b["left"] for a, b in zip(boxes, boxes[1:])), boxes  # side by side
            assert max(b["right"] for b in boxes) <= width - 16, boxes  # inside the page's margin
            page.close()
    finally:
        context.close()


BARS = """() => [...document.querySelectorAll('ol.bars')].map(list => {
  const items = [...list.children];
  const shown = items.filter(li => li.getBoundingClientRect().width > 0);
  const legend = list.nextElementSibling;
  return {
    total: items.length,
    shown: shown.length,
    widths: shown.map(li => li.getBoundingClientRect().width),
    last: items.slice(-shown.length).every(li => li.getBoundingClientRect().width > 0),
    trouble: shown.filter(li => !li.classList.contains('bar-operational')).length,
    legend: legend.innerText.replace(/\\s+/g, ' ').trim(),
  };
})"""


@pytest.mark.parametrize("width, days", [(390, 30), (320, 30), (1280, 90)])
def test_day_bars_show_what_fits_and_say_so(browser: Any, example: str, width: int, days: int) -> None:
    context = new_context(browser, width, "light")
    try:
        for path in ("", PAGES["component"], PAGES["history"]):
            page = opened(context, example + path)
            lists = page.evaluate(BARS)
            assert lists, path
            for bars in lists:
                assert bars["total"] == 90 and bars["shown"] == days and bars["last"], (path, bars)
                assert min(bars["widths"]) >= 6, (width, path, min(bars["widths"]))
                trouble = (f"Trouble on {bars['trouble']} of {days} days" if bars["trouble"] else "No incidents")
                assert bars["legend"] == f"{days} days ago {trouble} Today", (path, bars["legend"])
            # What a screen reader meets is what is shown: as many list items, the same legend.
            tree = page.locator("ol.bars").first.aria_snapshot()
            assert tree.count("listitem") == days, tree
            legend = page.locator("p.bars-legend").first.aria_snapshot()
            assert f"{days} days ago" in legend and f"{120 - days} days ago" not in legend, legend
            page.close()
    finally:
        context.close()


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text')].map(t => ({
  text: t.textContent,
  px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
}))"""


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_metrics_chart_text_is_at_least_11_px(browser: Any, metrics_example: str, width: int) -> None:
    context = new_context(browser, width, "light")
    try:
        page = opened(context, metrics_example + "metrics/")
        texts = page.evaluate(CHART_TEXT)
        assert len(texts) > 20
        small = [t for t in texts if t["px"] < 11]
        assert small == [], (width, small[:5])
        # The figure scrolls, the page does not.
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.close()
    finally:
        context.close()


def front_page_height(browser: Any, address: str) -> int:
    context = new_context(browser, 390, "light")
    try:
        page = opened(context, address)
        return page.evaluate("document.documentElement.scrollHeight")
    finally:
        context.close()


def test_front_page_on_a_phone_is_shorter_than_before(browser: Any, example: str, capsys: Any) -> None:
    height = front_page_height(browser, example)
    with capsys.disabled():
        print(f"\nfront page at 390 px: {height} px high")
    assert height <= PHONE_HEIGHT_LIMIT, height


# --- screenshots ----------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots_in_both_schemes_at_both_widths(browser: Any, example: str, scheme: str) -> None:
    for width in (1280, 390):
        context = new_context(browser, width, scheme)
        try:
            for name, path in (("index", ""), ("incident", OPEN_INCIDENT)):
                page, watch = watched_page(context, origin_of(example))
                page.clock.install(time=CLOCK)
                visit(page, example + path)
                assert_clean(page, watch, f"{name} {scheme} {width}")
                screenshot(page, f"{name}-{scheme}-{width}")
                page.close()
        finally:
            context.close()
    for width in (1280, 390):
        for name in ("index", "incident"):
            assert (ARTIFACTS / f"{name}-{scheme}-{width}.png").stat().st_size > 10_000
