"""SVG status badges: valid XML, accessible, coloured from the theme, text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import REPO, BuildResult, run_build, write_site
from statusgen.source.theme import DEFAULT_PALETTE
from statusgen.render.badges import LABEL_COLOUR, badge_svg, text_width

SVG = "{http://www.w3.org/2000/svg}"


def parse(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return root


def describe(root: ET.Element) -> tuple[str, str, str]:
    """(accessible name, label text, message text) of a badge."""
    texts = [t.text for t in root.iter(f"{SVG}text") if t.get("aria-hidden") != "true"]
    assert len(texts) == 2
    return root.get("aria-label"), texts[0], texts[1]


def fill_of_message(root: ET.Element) -> str:
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("x")]
    assert len(rects) == 1
    return rects[0].get("fill")


def contrast_with_white(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = []
    for i in (0, 2, 4):
        c = int(colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return 1.05 / (luminance + 0.05)


def test_overall_and_component_badges(example_build: BuildResult) -> None:
    root = parse((example_build.site / "badge.svg").read_bytes())
    assert root.get("role") == "img"
    assert describe(root) == ("Acme Cloud Status: Degraded performance", "Acme Cloud Status", "Degraded performance")
    assert root.find(f"{SVG}title").text == "Acme Cloud Status: Degraded performance"
    assert fill_of_message(root) == DEFAULT_PALETTE["degraded_performance"]
    expected = {"api": ("Public API", "Operational"), "webhooks": ("Webhooks", "Degraded performance"),
                "auth": ("Login & SSO", "Operational")}
    for component_id, (name, status) in expected.items():
        badge = parse((example_build.site / f"components/{component_id}/badge.svg").read_bytes())
        assert describe(badge) == (f"{name}: {status}", name, status)
    assert len(list(example_build.site.glob("components/*/badge.svg"))) == 7


def test_badge_geometry_is_consistent() -> None:
    root = parse(badge_svg("Acme Cloud Status", "Operational", "#1a7f37"))
    width = int(root.get("width"))
    rects = {r.get("fill"): r for r in root.iter(f"{SVG}rect")}
    label, message = rects[LABEL_COLOUR], rects["#1a7f37"]
    assert int(label.get("width")) + int(message.get("width")) == width
    assert int(message.get("x")) == int(label.get("width"))
    assert root.get("height") == "20"


def test_text_width_is_deterministic_and_grows() -> None:
    assert text_width("Operational") == text_width("Operational")
    assert text_width("Operational") < text_width("Degraded performance")
    assert text_width("iiii") < text_width("MMMM")
    assert text_width("é") == text_width("e")  # accents take the base letter's width
    assert text_width("状态") > text_width("ab")  # wide characters count as wide
    assert 60 < text_width("Operational") < 75  # about what shields.io draws


def test_palette_is_the_default_themes_and_readable() -> None:
    css = (REPO / "themes/default/assets/style.css").read_text(encoding="utf-8")
    for status, colour in DEFAULT_PALETTE.items():
        assert re.search(rf"--{status}:\s*{colour};", css), status
        assert contrast_with_white(colour) >= 4.5, status
    assert contrast_with_white(LABEL_COLOUR) >= 4.5


def test_untrusted_names_are_escaped(tmp_path: Path) -> None:
    config = ('title: "Acme <script>alert(1)</script> & \\"Co\\""\nbase_url: https://x.test/\ncomponents:\n'
              '  - id: api\n    name: "API ]]> <!-- &amp; ünï 状态"\n')
    source = write_site(tmp_path / "src", {}, config=config)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    overall = parse((result.site / "badge.svg").read_bytes())
    assert describe(overall)[1] == 'Acme <script>alert(1)</script> & "Co"'
    assert not list(overall.iter("script")) and not list(overall.iter(f"{SVG}script"))
    component = parse((result.site / "components/api/badge.svg").read_bytes())
    assert describe(component)[1] == "API ]]> <!-- &amp; ünï 状态"
    assert component.get("aria-label") == "API ]]> <!-- &amp; ünï 状态: Operational"


def test_control_characters_and_line_breaks_are_dropped() -> None:
    root = parse(badge_svg("A\x00B\x1b\nC", "Operational", "#1a7f37"))
    assert describe(root)[1] == "AB C"


def test_a_themes_palette_colours_its_badges(tmp_path: Path) -> None:
    config = "title: T\nbase_url: https://x.test/\ntheme: brand\ncomponents:\n  - id: api\n    name: API\n"
    source = write_site(tmp_path / "src", {
        "brand/assets/style.css": ":root {\n  --operational: #0B6E4F;\n  --major_outage: url(evil);\n}\n",
    }, config=config)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert fill_of_message(parse((result.site / "badge.svg").read_bytes())) == "#0b6e4f"
    # Anything that is not a plain hex colour is ignored in favour of the default.
    from statusgen.source.theme import theme_palette
    from statusgen.source.theme import Theme
    palette = theme_palette(Theme({}, {"style.css": b":root { --major_outage: url(evil); }"}))
    assert palette["major_outage"] == DEFAULT_PALETTE["major_outage"]


def test_badges_are_byte_identical_across_builds(tmp_path: Path) -> None:
    one = run_build(REPO, tmp_path / "one")
    two = run_build(REPO, tmp_path / "two")
    for badge in sorted(one.site.rglob("*.svg")):
        assert badge.read_bytes() == (two.site / badge.relative_to(one.site)).read_bytes()
