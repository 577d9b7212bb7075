"""The "Get updates" section of the front page and the component pages, and `subscribe:` in
statusgen.yml: every way to follow the status, as plain links that resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, BuildResult, run_build, write_site
from sitecheck import broken_internal_links, text_of, tree
from test_errors import assert_fails_with

SUBSCRIBE = """\
subscribe:
  - label: Acme community on Slack
    url: https://acme-community.slack.com/
  - label: Status mailing list
    url: https://lists.example.test/subscribe?list=status#form
"""


def build(tmp_path: Path, config: str) -> BuildResult:
    source = write_site(tmp_path / "src", {}, config)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    return result


def get_updates(result: BuildResult, page: str) -> tuple[str, list[tuple[str, str]]]:
    """The section's heading and its list's (link text, href) pairs."""
    html = tree(result.read(page))
    (section,) = html.xpath("//section[@aria-labelledby='get-updates-heading']")
    (heading,) = section.xpath(".//h2[@id='get-updates-heading']")
    links = [(text_of(a), a.get("href")) for a in section.xpath(".//ul/li/a")]
    assert len(section.xpath(".//ul/li")) == len(links)
    return text_of(heading), links


def test_front_page_lists_every_way_to_follow(tmp_path: Path) -> None:
    result = build(tmp_path, MINIMAL_CONFIG + SUBSCRIBE)
    heading, links = get_updates(result, "index.html")
    assert heading == "Get updates"
    assert links == [
        ("RSS feed", "feed.xml"),
        ("Atom feed", "atom.xml"),
        ("Maintenance calendar", "maintenance.ics"),
        ("JSON API", "api/v2/summary.json"),
        ("Status badge", "badge.svg"),
        ("Acme community on Slack", "https://acme-community.slack.com/"),
        ("Status mailing list", "https://lists.example.test/subscribe?list=status#form"),
    ]
    assert broken_internal_links(result.site) == []
    for _, href in links[:5]:
        assert (result.site / href).is_file(), href


def test_component_page_lists_its_own_feed_calendar_and_badge(tmp_path: Path) -> None:
    result = build(tmp_path, MINIMAL_CONFIG + SUBSCRIBE)
    heading, links = get_updates(result, "components/checkout/index.html")
    assert heading == "Get updates about Checkout"
    assert links == [
        ("RSS feed", "feed.xml"),
        ("Maintenance calendar", "maintenance.ics"),
        ("JSON API", "../../api/v2/components.json"),
        ("Status badge", "badge.svg"),
        ("Acme community on Slack", "https://acme-community.slack.com/"),
        ("Status mailing list", "https://lists.example.test/subscribe?list=status#form"),
    ]
    page_folder = result.site / "components/checkout"
    for _, href in links[:4]:
        assert (page_folder / href).resolve().is_file(), href


def test_without_subscribe_only_the_sites_own_channels(tmp_path: Path) -> None:
    result = build(tmp_path, MINIMAL_CONFIG)
    _, links = get_updates(result, "index.html")
    assert [text for text, _ in links] == ["RSS feed", "Atom feed", "Maintenance calendar", "JSON API",
                                           "Status badge"]


def test_labels_are_text_and_no_script_is_added(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + """\
subscribe:
  - label: "<script>alert(1)</script> & <b>bold</b>"
    url: https://chat.example.test/join?a=1&b=<x>
"""
    source = write_site(tmp_path / "src", {}, config)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    html = result.read("index.html")
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    _, links = get_updates(result, "index.html")
    assert links[-1] == ("<script>alert(1)</script> & <b>bold</b>", "https://chat.example.test/join?a=1&b=<x>")
    assert len(tree(html).xpath("//script")) == 1  # only assets/live.js


def _with(text: str) -> str:
    return MINIMAL_CONFIG + text


@pytest.mark.parametrize("config, expected", [
    pytest.param(_with("subscribe: https://x.test/\n"),
                 ["statusgen.yml:10: subscribe must be a list"], id="not-a-list"),
    pytest.param(_with("subscribe:\n  - https://x.test/\n"),
                 ["statusgen.yml:11: subscribe[0] must be a mapping with label and url"], id="item-not-mapping"),
    pytest.param(_with("subscribe:\n  - label: Slack\n"),
                 ["statusgen.yml:11: subscribe[0].url is required"], id="missing-url"),
    pytest.param(_with("subscribe:\n  - url: https://x.test/\n"),
                 ["statusgen.yml:11: subscribe[0].label is required"], id="missing-label"),
    pytest.param(_with("subscribe:\n  - label: Slack\n    url: javascript:alert(1)\n"),
                 ["statusgen.yml:12: subscribe[0].url 'javascript:alert(1)' must be an absolute http:// or "
                  "https:// address, like https://acme.slack.com/"], id="javascript-url"),
    pytest.param(_with("subscribe:\n  - label: Slack\n    url: /join/\n"),
                 ["statusgen.yml:12: subscribe[0].url '/join/' must be an absolute http:// or "
                  "https:// address, like https://acme.slack.com/"], id="relative-url"),
    pytest.param(_with("subscribe:\n  - label: Mail\n    url: mailto:status@example.test\n"),
                 ["statusgen.yml:12: subscribe[0].url 'mailto:status@example.test' must be an absolute "
                  "http:// or https:// address, like https://acme.slack.com/"], id="mailto-url"),
    pytest.param(_with("subscribe:\n  - label: Slack\n    url: https://x.test/\n    kind: chat\n"),
                 ["statusgen.yml:13: unknown field 'subscribe[0].kind'; allowed: label, url"], id="unknown-key"),
    pytest.param(_with("subscribe:\n  - label: \"Two\\nlines\"\n    url: https://x.test/\n"),
                 ["statusgen.yml:11: subscribe[0].label must be one line"], id="label-with-line-break"),
])
def test_bad_subscribe_is_reported_with_file_and_line(tmp_path: Path, config: str, expected: list[str]) -> None:
    source = write_site(tmp_path / "src", {}, config)
    assert_fails_with(run_build(source, tmp_path / "site"), expected)


def test_schema_describes_subscribe_as_the_build_reads_it() -> None:
    import jsonschema
    import yaml

    from statusgen.source.schema import schema_for

    schema = schema_for("config")
    good = yaml.safe_load(MINIMAL_CONFIG + SUBSCRIBE)
    jsonschema.validate(good, schema)
    for bad in ({"label": "Slack"}, {"label": "Slack", "url": "javascript:alert(1)"},
                {"label": "Slack", "url": "https://x.test/", "kind": "chat"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, "subscribe": [bad]}, schema)
