"""Untrusted text never becomes markup: titles, names, bodies and links render inert."""

from __future__ import annotations

from pathlib import Path

import feedparser

from conftest import run_build, write_site
from sitecheck import parse_strict, tree

PAYLOAD = "<script>alert('x')</script>"

HOSTILE_CONFIG = f"""\
title: "Status {PAYLOAD}"
description: "<img src=x onerror=alert(1)>"
base_url: https://example.test/
components:
  - id: api
    name: "API {PAYLOAD}"
    description: "<b onmouseover=alert(1)>hover</b>"
    group: "<i>Group</i>"
"""

HOSTILE_UPDATE = f"""\
---
at: 2026-11-20T14:05:00Z
phase: investigating
severity: sev2
title: "Outage {PAYLOAD}"
components:
  api: major_outage
next_update: 2026-11-20T14:35:00Z
---
Body {PAYLOAD} and <iframe src="https://evil.test"></iframe>

[click me](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox(1))
[proto](//evil.test/x) ![pixel](https://tracker.test/p.gif) [fine](https://acme.example/ok)
"""


def build_hostile(tmp_path: Path):
    source = write_site(tmp_path / "src", {"content/incidents/hostile/1.md": HOSTILE_UPDATE},
                        config=HOSTILE_CONFIG)
    result = run_build(source, tmp_path / "site", "2026-11-20T14:10:00Z")
    assert result.exit_code == 0, result.output
    return result


def test_no_payload_becomes_markup_in_pages(tmp_path: Path) -> None:
    result = build_hostile(tmp_path)
    for page in result.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        parse_strict(html)
        doc = tree(html)
        # The only script is the theme's own live.js, loaded from a file: nothing inline.
        for script in doc.xpath("//script"):
            assert script.get("src", "").endswith("assets/live.js") and not (script.text or "").strip(), page
        assert not doc.xpath("//iframe | //img | //b | //i"), page
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), page
        for href in doc.xpath("//@href | //@src"):
            assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:", "//")), (page, href)
    index = result.read("index.html")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in index  # shown as text, visibly
    incident = tree(result.read("incidents/hostile/index.html"))
    # Only safe links survive; an image is offered as a link, never loaded from a third party.
    assert incident.xpath('//div[@class="update-body"]//a/@href') == [
        "https://tracker.test/p.gif", "https://acme.example/ok"]


def test_no_payload_becomes_markup_in_feeds(tmp_path: Path) -> None:
    result = build_hostile(tmp_path)
    for feed in ["feed.xml", "atom.xml"]:
        entry = feedparser.parse(result.read(feed)).entries[0]
        assert entry.title == f"[Investigating] Outage {PAYLOAD}"  # plain text, as written
        html = entry.content[0].value if feed == "atom.xml" else entry.description
        assert "<script" not in html and "<iframe" not in html
        assert "javascript:" not in html.lower().replace("[click me](javascript:alert(1))", "")
        assert "&lt;script&gt;" in html


def test_unpublishable_characters_are_errors_not_crashes(tmp_path: Path) -> None:
    """A control character, or a broken surrogate escape in YAML, would make the HTML and the
    XML feeds invalid (lxml refuses them outright): they are reported like any mistake."""
    source = write_site(tmp_path / "src", {
        "content/incidents/a/1.md": '---\nat: 2026-11-20T14:05:00Z\nphase: resolved\nseverity: sev2\n'
                                    'title: "smile \\ud83d\\ude00"\n---\nBody.\n',
        "content/incidents/b/1.md": "---\nat: 2026-11-20T14:05:00Z\nphase: resolved\nseverity: sev2\n"
                                    "title: Bell\n---\nRing \x07 ring.\n",
    }, config=HOSTILE_CONFIG)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/incidents/a/1.md:5: title contains the character U+D83D, which cannot be published "
        "(a control character or a broken \\u escape); remove it",
        "content/incidents/b/1.md:7: file contains the control character U+0007, which cannot be "
        "published; remove it",
        "2 errors; nothing was written.",
    ]


def test_every_page_carries_a_strict_content_security_policy(example_build) -> None:
    pages = [p for p in example_build.site.rglob("*.html")]
    for page in pages:
        policies = tree(page.read_text(encoding="utf-8")).xpath(
            '//meta[@http-equiv="Content-Security-Policy"]/@content')
        assert len(policies) == 1, page
        directives = dict(d.strip().split(" ", 1) for d in policies[0].split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no other hosts
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
