"""Security: untrusted text stays data in every output, links and output paths stay where they
belong, and pages load nothing from third parties.

test_escaping.py covers incident titles and bodies in pages and feeds and the CSP meta; this
file puts a distinct payload in every field that is shown anywhere (site title and description,
base_url, component name, description and group, incident and maintenance titles and bodies,
postmortem link) and checks each output format: HTML (as text, never elements or attributes),
the JSON API (the exact string, as data), badges and favicon (escaped SVG), feeds and sitemap
(well-formed XML). Then: bad postmortem links and ids that are not safe folder names are
rejected, `check_output_path` refuses every way out of the output folder, and no page refers to
a resource outside base_url.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from conftest import MINIMAL_CONFIG, REPO, BuildResult, run_build, write_site
from sites import GOOD_MAINTENANCE
from statusgen.wording import printable
from sitecheck import parse_strict, text_of, tree
from statusgen.cli import main
from statusgen.output import OutputError, check_output_path, write_site as write_output

NOW = "2026-11-20T14:10:00Z"


def payload(field: str) -> str:
    """Breaks out of text, double- and single-quoted attributes, and names the field it is in."""
    return f"""{field} "><x-pwn data-field="{field}"></x-pwn><script>alert('{field}')</script>'><img src=x onerror=alert(1)>"""


SITE_TITLE = payload("site-title")
SITE_DESCRIPTION = payload("site-description")
BASE_URL = """https://example.test/st"a'tu<s>/"""
"""base_url passes its pattern with quotes and angle brackets in the path: it must stay inert too."""
COMPONENT_NAME = payload("component-name")
COMPONENT_DESCRIPTION = payload("component-description")
GROUP = payload("group")
INCIDENT_TITLE = payload("incident-title")
INCIDENT_BODY = payload("incident-body") + "\n\n[js](javascript:alert(1)) [proto](//evil.test/x)"
MAINTENANCE_TITLE = payload("maintenance-title")
MAINTENANCE_BODY = payload("maintenance-body") + "\n\n[data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:x)"
POSTMORTEM = """https://acme.example/pm"><x-pwn/data-field=postmortem></x-pwn><script>alert(1)</script>'"""


def yaml(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value` (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def hostile_files() -> dict[str, str]:
    config = "\n".join([
        f"title: {yaml(SITE_TITLE)}",
        f"description: {yaml(SITE_DESCRIPTION)}",
        f"base_url: {yaml(BASE_URL)}",
        "components:",
        "  - id: api",
        f"    name: {yaml(COMPONENT_NAME)}",
        f"    description: {yaml(COMPONENT_DESCRIPTION)}",
        f"    group: {yaml(GROUP)}",
        "  - id: checkout",
        "    name: Checkout",
        "",
    ])
    incident = "\n".join([
        "---", "at: 2026-11-20T14:05:00Z", "phase: investigating", "severity: sev2",
        f"title: {yaml(INCIDENT_TITLE)}", "components:", "  api: major_outage",
        "next_update: 2026-11-20T14:35:00Z", "---", INCIDENT_BODY, ""])
    resolved = "\n".join([
        "---", "at: 2026-11-19T10:00:00Z", "phase: resolved", "severity: sev1",
        "title: Resolved earlier", "components:", "  api: major_outage",
        f"postmortem: {yaml(POSTMORTEM)}", "---", "Fixed.", ""])
    maintenance = "\n".join([
        "---", "at: 2026-11-20T09:00:00Z", "phase: scheduled", f"title: {yaml(MAINTENANCE_TITLE)}",
        "window:", "  start: 2026-11-28T02:00:00Z", "  end: 2026-11-28T03:00:00Z",
        "components: [api]", "---", MAINTENANCE_BODY, ""])
    return {"statusgen.yml": config, "content/incidents/hostile/1.md": incident,
            "content/incidents/earlier/1.md": resolved, "content/maintenance/hostile-work/1.md": maintenance}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("hostile")
    source = root / "src"
    for path, text in hostile_files().items():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        (source / path).write_text(text, encoding="utf-8")
    result = run_build(source, root / "site", NOW)
    assert result.exit_code == 0, result.output
    return result


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


# --- HTML ------------------------------------------------------------------------------------------

def test_no_payload_becomes_an_element_or_attribute_in_any_page(hostile: BuildResult) -> None:
    pages = html_pages(hostile.site)
    assert {"index.html", "404.html", "incidents/hostile/index.html", "components/api/index.html",
            "maintenance/hostile-work/index.html", "history/index.html"} <= pages.keys()
    for path, html in pages.items():
        parse_strict(html)
        page = tree(html)
        assert not page.xpath("//x-pwn | //img | //iframe | //object | //embed | //svg | //form"), path
        assert not page.xpath("//*[@data-field]"), path
        assert not page.xpath("//@*[starts-with(name(), 'on')]"), path
        for script in page.xpath("//script"):
            assert script.get("src", "").endswith("assets/live.js") and not (script.text or "").strip(), path
        for link in page.xpath("//@href | //@src"):
            assert not link.strip().lower().startswith(("javascript:", "data:", "vbscript:", "//")), (path, link)


def shown_text(html: str, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree(html).xpath(xpath)]


def test_every_field_is_shown_as_the_text_that_was_written(hostile: BuildResult) -> None:
    """Escaped, not dropped: a reader sees exactly the characters the author typed."""
    index = hostile.read("index.html")
    incident = hostile.read("incidents/hostile/index.html")
    component = hostile.read("components/api/index.html")
    maintenance = hostile.read("maintenance/hostile-work/index.html")
    for html in (index, incident, component, maintenance, hostile.read("404.html")):
        assert shown_text(html, '//a[@class="site-title"]') == [SITE_TITLE]
        assert tree(html).xpath('//meta[@name="description"]/@content') == [SITE_DESCRIPTION]
        assert tree(html).xpath('//meta[@property="og:site_name"]/@content') == [SITE_TITLE]
    assert SITE_TITLE in text_of(tree(index).xpath("//title")[0])
    assert shown_text(index, '//li[@id="component-api"]//a[@class="component-name"]') == [COMPONENT_NAME]
    assert shown_text(index, '//li[@id="component-api"]//p[@class="component-description"]') == [COMPONENT_DESCRIPTION]
    assert shown_text(index, '//div[@class="component-group"]/h3') == [GROUP]
    assert tree(index).xpath('//li[@id="component-api"]//ol[@class="bars"]/@aria-label')[0].startswith(COMPONENT_NAME + ",")
    assert shown_text(component, "//h1") == [COMPONENT_NAME]
    assert shown_text(component, '//article[@class="component-page"]/p[@class="meta"]') == [GROUP]
    assert shown_text(index, '//article[contains(@class, "incident-card")]/h3') == [INCIDENT_TITLE]
    assert shown_text(incident, "//h1") == [INCIDENT_TITLE]
    assert payload("incident-body") in shown_text(incident, '//div[@class="update-body"]')[0]
    assert shown_text(index, '//article[@id="maintenance-hostile-work"]/h3') == [MAINTENANCE_TITLE]
    assert shown_text(maintenance, "//h1") == [MAINTENANCE_TITLE]
    assert payload("maintenance-body") in shown_text(maintenance, '//div[@class="update-body"]')[0]
    # Unsafe Markdown links stay text; the page has no link with those schemes (checked above).
    assert "[js](javascript:alert(1))" in shown_text(incident, '//div[@class="update-body"]')[0]
    assert "[vb](vbscript:x)" in shown_text(maintenance, '//div[@class="update-body"]')[0]


def test_postmortem_link_with_markup_is_one_inert_href(hostile: BuildResult) -> None:
    page = tree(hostile.read("incidents/earlier/index.html"))
    assert page.xpath('//p[@class="postmortem"]/a/@href') == [POSTMORTEM]


def test_base_url_with_quotes_and_brackets_stays_inside_attributes(hostile: BuildResult) -> None:
    index = tree(hostile.read("index.html"))
    assert index.xpath('//link[@rel="canonical"]/@href') == [BASE_URL]
    assert index.xpath('//meta[@property="og:url"]/@content') == [BASE_URL]
    not_found = tree(hostile.read("404.html"))
    assert not_found.xpath('//link[@rel="stylesheet"]/@href') == [urlsplit(BASE_URL).path + "assets/style.css"]
    assert not_found.xpath("//script/@src") == [urlsplit(BASE_URL).path + "assets/live.js"]


# --- JSON API --------------------------------------------------------------------------------------

def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_json_api_carries_every_payload_as_the_exact_string(hostile: BuildResult) -> None:
    files = sorted((hostile.site / "api/v2").rglob("*.json"))
    assert len(files) >= 8
    documents = {f.relative_to(hostile.site).as_posix(): json.loads(f.read_text(encoding="utf-8")) for f in files}
    summary = documents["api/v2/summary.json"]
    assert summary["page"]["name"] == SITE_TITLE and summary["page"]["url"] == BASE_URL
    components = {c["name"]: c for c in documents["api/v2/components.json"]["components"]}
    assert components[COMPONENT_NAME]["description"] == COMPONENT_DESCRIPTION
    assert components[GROUP]["group"] is True
    (incident,) = [i for i in documents["api/v2/incidents.json"]["incidents"] if i["name"] == INCIDENT_TITLE]
    assert incident["incident_updates"][0]["body"] == INCIDENT_BODY
    assert incident["shortlink"].startswith(BASE_URL)
    (work,) = documents["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]
    assert work["name"] == MAINTENANCE_TITLE
    assert work["incident_updates"][0]["body"] == MAINTENANCE_BODY
    # Every payload string appears only whole, as one JSON string value: never split or rewritten.
    everything = [s for document in documents.values() for s in strings(document)]
    for field in ("site-title", "component-name", "component-description", "group", "incident-title",
                  "maintenance-title"):
        carried = [s for s in everything if f"data-field=\"{field}\"" in s]
        assert carried and set(carried) == {payload(field)}, field


# --- SVG: badges and favicon -----------------------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_ELEMENTS = {"svg", "title", "linearGradient", "stop", "clipPath", "rect", "g", "text", "circle", "path"}


def test_badges_and_favicon_escape_names(hostile: BuildResult) -> None:
    svgs = {p.relative_to(hostile.site).as_posix(): p.read_bytes() for p in hostile.site.rglob("*.svg")}
    assert {"badge.svg", "favicon.svg", "components/api/badge.svg", "components/checkout/badge.svg"} <= svgs.keys()
    for path, data in svgs.items():
        root = ET.fromstring(data)  # well-formed XML, whatever the names held
        for element in root.iter():
            assert element.tag.removeprefix(SVG_NS) in SVG_ELEMENTS, (path, element.tag)
            assert not [name for name in element.attrib if name.lower().startswith("on")], path
        assert b"<x-pwn" not in data and b"<script" not in data and b"<img" not in data, path
    api_badge = ET.fromstring(svgs["components/api/badge.svg"])
    expected = f"{COMPONENT_NAME}: Major outage"
    assert api_badge.findtext(f"{SVG_NS}title") == expected
    assert api_badge.get("aria-label") == expected
    assert COMPONENT_NAME in [t.text for t in api_badge.iter(f"{SVG_NS}text")]
    assert ET.fromstring(svgs["badge.svg"]).findtext(f"{SVG_NS}title") == f"{SITE_TITLE}: Major outage"
    assert ET.fromstring(svgs["favicon.svg"]).findtext(f"{SVG_NS}title") == f"{SITE_TITLE}: Major outage"


# --- feeds and sitemap -----------------------------------------------------------------------------

def test_feeds_and_sitemap_are_well_formed_and_their_html_is_inert(hostile: BuildResult) -> None:
    xml_files = sorted(hostile.site.rglob("*.xml"))
    assert {"feed.xml", "atom.xml", "sitemap.xml", "components/api/feed.xml"} <= {
        p.relative_to(hostile.site).as_posix() for p in xml_files}
    for path in xml_files:
        root = ET.fromstring(path.read_bytes())
        # The HTML of each entry (RSS item description, Atom content of type html); titles and the
        # channel's own description are plain text, as test_escaping.py checks for titles.
        entries = [*root.iter("item"), *root.iter("{http://www.w3.org/2005/Atom}entry")]
        for element in (e for entry in entries for e in entry):
            is_html = element.tag == "description" or element.get("type") == "html"
            if is_html and element.text:
                fragment = tree(f"<div>{element.text}</div>")
                assert not fragment.xpath("//x-pwn | //script | //img | //@*[starts-with(name(), 'on')]"), path
                for href in fragment.xpath("//@href"):
                    assert not href.lower().startswith(("javascript:", "data:", "vbscript:", "//")), path
    titles = [t.text for t in ET.fromstring((hostile.site / "components/api/feed.xml").read_bytes()).iter("title")]
    assert f"[Investigating] {INCIDENT_TITLE}" in titles
    assert f"[Maintenance: Scheduled] {MAINTENANCE_TITLE}" in titles
    assert titles[0].startswith(COMPONENT_NAME)
    locs = [e.text for e in ET.fromstring((hostile.site / "sitemap.xml").read_bytes()).iter()
            if e.tag.endswith("loc")]
    assert locs and all(loc.startswith(BASE_URL) for loc in locs)


# --- links that are rejected, links that are accepted ------------------------------------------------

UPDATE = """\
---
at: 2026-11-20T09:30:00Z
phase: resolved
severity: sev2
title: Card payments failing
postmortem: {postmortem}
---
Fixed.
"""


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "//evil.test/x", "\\\\evil.test/x", "/\\evil.test", "https:evil.test",
    "http:/evil.test", "ftp://evil.test/x", "file:///etc/passwd", "mailto:x@evil.test", "https://",
    "../../etc/passwd", "a/../../b", "/postmortems/../../x", "..",
    # percent-encoded dot segments and slashes: a browser decodes %2e, a server may decode twice
    "/%2e%2e/x", "/%2E%2E/x", "%2e%2e/x", ".%2e/x", "%2e./x", "/postmortems/%2e%2e/%2e%2e/x",
    "/a%2f..%2f..%2fx", "/a%2F%2e%2e%2Fx", "/%252e%252e/x", "/%5c..%5cx", "/%2e%2e", "/%2e%2e?x", "/%2e%2e#x",
])
def test_postmortem_links_that_could_run_code_or_leave_the_site_are_rejected(tmp_path: Path, link: str) -> None:
    source = write_site(tmp_path / "src", {"content/incidents/x/1.md": UPDATE.format(postmortem=yaml(link))})
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"content/incidents/x/1.md:6: postmortem '{link}' must be an http(s):// address or a path on this site" \
           in result.output
    assert not result.site.exists()


@pytest.mark.parametrize("link, href", [
    ("https://acme.example/pm", "https://acme.example/pm"),
    ("/postmortems/2026-11-20.html", "../../postmortems/2026-11-20.html"),
    ("postmortems/", "../../postmortems/"),
    ("/notes.html?x=../..", "../../notes.html?x=../.."),  # a query is not read as path segments
    ("/", "../../index.html"),
    ("/#postmortem", "../../index.html#postmortem"),
    ("#postmortem", "../../index.html#postmortem"),
    ("/notes%20and%20more.html", "../../notes%20and%20more.html"),  # other encodings are fine
    ("/notes.html?x=%2e%2e", "../../notes.html?x=%2e%2e"),
])
def test_postmortem_paths_on_the_site_stay_inside_it(tmp_path: Path, link: str, href: str) -> None:
    """Accepted links never crash the build and never point above the site's root."""
    source = write_site(tmp_path / "src", {"content/incidents/x/1.md": UPDATE.format(postmortem=yaml(link))})
    result = run_build(source, tmp_path / "site")
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    (written,) = tree(result.read("incidents/x/index.html")).xpath('//p[@class="postmortem"]/a/@href')
    assert written == href
    if not urlsplit(written).scheme:
        resolved = posixpath.normpath(posixpath.join("incidents/x", urlsplit(written).path))
        assert not resolved.startswith(".."), resolved


# --- ids become folder names ---------------------------------------------------------------------------

GOOD_INCIDENT = UPDATE.format(postmortem="https://acme.example/pm")
BAD_FOLDER_IDS = ["a..b", "x..", "a.b", "Card-Payments", "UPPER", "card payments", "back\\slash",
                  "trailing\n", "-leading", "ünïcode", "a_b", "%2e%2e", "x" * 101]


@pytest.mark.parametrize("kind, update", [("incidents", GOOD_INCIDENT), ("maintenance", GOOD_MAINTENANCE)])
@pytest.mark.parametrize("name", BAD_FOLDER_IDS, ids=[repr(n)[1:-1][:20] for n in BAD_FOLDER_IDS])
def test_item_ids_that_are_not_safe_folder_names_are_rejected(tmp_path: Path, kind: str, update: str,
                                                              name: str) -> None:
    source = write_site(tmp_path / "src", {f"content/{kind}/{name}/1.md": update})
    result = run_build(source, tmp_path / "site")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    shown = printable(name)  # a line break in a name is written `\n`, as in every message
    assert result.output.startswith(f"content/{kind}/{shown}: folder name '{shown}' is not a valid id: use "
                                    f"lowercase letters, digits and '-'")
    assert not result.site.exists()


@pytest.mark.parametrize("kind, update", [("incidents", GOOD_INCIDENT), ("maintenance", GOOD_MAINTENANCE)])
def test_dot_and_nested_folders_never_become_output_paths(tmp_path: Path, kind: str, update: str) -> None:
    """Names starting with '.' are ignored (as documented), and an id cannot contain '/': a
    folder inside an item's folder is not an item. Neither reaches the output (today the build
    passes over both; reporting the nested one as a mistake would be fine too)."""
    source = write_site(tmp_path / "src", {f"content/{kind}/..sneaky/1.md": update,
                                           f"content/{kind}/outer/inner/1.md": update})
    result = run_build(source, tmp_path / "site")
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    written = [p.relative_to(result.site).as_posix() for p in result.site.rglob("*")] if result.site.exists() else []
    assert not [p for p in written if "sneaky" in p or "outer" in p or "inner" in p]
    assert {p.name for p in tmp_path.iterdir()} <= {"site", "src"}


@pytest.mark.parametrize("component_id", ["..", "../x", "a/b", "/abs", "API", "a b", "a\\b", "a.b", "-x", ""])
def test_component_ids_that_are_not_safe_folder_names_are_rejected(tmp_path: Path, component_id: str) -> None:
    config = MINIMAL_CONFIG.replace("- id: api", f"- id: {yaml(component_id)}")
    result = run_build(write_site(tmp_path / "src", {}, config=config), tmp_path / "site")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert result.output.startswith("statusgen.yml:4: components[0].id ")
    assert not result.site.exists()


# --- output paths ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "../x", "..", "/abs", "/etc/passwd", "a/../../b", "a/..", ".", "", "a\\b", "..\\x",
    "C:\\x", "a\x00b", "\x00", "a/b\n", "a\rb", "a\x7fb",
])
def test_check_output_path_refuses_paths_that_leave_the_folder(path: str) -> None:
    with pytest.raises(OutputError, match="refusing to write outside the output folder"):
        check_output_path(path)


@pytest.mark.parametrize("path", ["index.html", "api/v2/summary.json", "incidents/a-b/index.html", "a..b/c",
                                  "ünïcode/😀.html"])
def test_check_output_path_accepts_paths_inside(path: str) -> None:
    assert check_output_path(path).as_posix() == path


def test_writing_a_path_that_escapes_fails_and_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out" / "site"
    with pytest.raises(OutputError):
        write_output({"index.html": b"ok", "../escaped.html": b"x"}, output)
    assert not output.exists()
    assert not (tmp_path / "out" / "escaped.html").exists()
    # Paths are checked before anything is made: no staging folder, not even the parent.
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_every_path_a_build_writes_passes_the_check(example_build: BuildResult, hostile: BuildResult) -> None:
    for site in (example_build.site, hostile.site):
        for path in site.rglob("*"):
            if path.is_file():
                check_output_path(path.relative_to(site).as_posix())


# --- no third-party requests -------------------------------------------------------------------------

RESOURCES = ("//link[@href]/@href | //script[@src]/@src | //img/@src | //iframe/@src | //embed/@src"
             " | //object/@data | //source/@src | //video/@src | //video/@poster | //audio/@src"
             " | //track/@src | //input/@src | //@srcset | //form/@action | //@formaction")


def third_party_resources(site: Path, base_url: str) -> list[str]:
    """Every resource URL (not a link to follow) of every page that points off the site."""
    found = []
    for path, html in html_pages(site).items():
        page = tree(html)
        for url in page.xpath(RESOURCES):
            parts = urlsplit(url.strip())
            if (parts.scheme or parts.netloc) and not url.strip().startswith(base_url):
                found.append(f"{path}: {url}")
        for refresh in page.xpath('//meta[@http-equiv]'):
            if refresh.get("http-equiv").lower() == "refresh":
                found.append(f"{path}: meta refresh {refresh.get('content')}")
    return found


def test_no_page_loads_anything_from_outside_base_url(example_build: BuildResult, hostile: BuildResult,
                                                       tmp_path: Path) -> None:
    assert third_party_resources(example_build.site, "https://acme.github.io/status/") == []
    assert third_party_resources(hostile.site, BASE_URL) == []
    # Images in Markdown are offered as links, never loaded: even from a tracking pixel's host.
    source = write_site(tmp_path / "src", {"content/incidents/pixel/1.md": UPDATE.format(
        postmortem="https://acme.example/pm").replace("Fixed.", "![pixel](https://tracker.test/p.gif)\n"
                                                                "<img src=https://tracker.test/q.gif>")})
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert third_party_resources(result.site, "https://example.test/status/") == []
    assert tree(result.read("incidents/pixel/index.html")).xpath('//div[@class="update-body"]//a/@href') == [
        "https://tracker.test/p.gif"]


def test_theme_assets_load_nothing_from_other_hosts() -> None:
    css = (REPO / "themes/default/assets/style.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?([a-z]+:|//)", css, flags=re.I)
    live = (REPO / "themes/default/assets/live.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", live)


# --- one reading rule for every file of the site (issue 12, item 1) ------------------------------
# Every file statusgen reads from a site's folder goes through source/files.py's SiteFiles: a link
# whose real path is outside the folder is refused, and so are FIFOs, devices and sockets (which
# are never opened for reading, so they cannot hang a build). Content already held this rule;
# these cases are the theme, statusgen.yml and the site's own templates for `new`.

SECRET = "STATUSGEN_TEST_SECRET=do-not-publish"
PLAIN_UPDATE = """\
---
at: 2026-11-20T14:05:00Z
phase: investigating
severity: sev2
title: Card payments failing
components:
  checkout: partial_outage
next_update: 2026-11-20T14:35:00Z
---
We're investigating.
"""
OUTSIDE = "is a symbolic link to a place outside the site's folder; copy the file in instead"
FIFO = "is a FIFO (named pipe), not a file; statusgen reads only regular files and folders"


def run_bounded(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process that is killed after `timeout` s, so that a build that hangs
    (reading a FIFO, /dev/zero) fails its test instead of hanging the suite."""
    return subprocess.run([sys.executable, "-m", "statusgen", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def themed_site(tmp_path: Path) -> Path:
    source = write_site(tmp_path / "src", {"content/incidents/cards/1405.md": PLAIN_UPDATE},
                        config=MINIMAL_CONFIG + "theme: mine\n")
    (source / "mine/assets").mkdir(parents=True)
    (source / "mine/templates").mkdir(parents=True)
    return source


def outside_file(tmp_path: Path, text: str = SECRET) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(text, encoding="utf-8")
    return secret


@pytest.mark.parametrize("link, target", [
    ("mine/assets/env.txt", "/proc/self/environ"),
    ("mine/assets/secret.css", "outside"),
    ("mine/templates/404.html", "outside"),
    ("mine/templates/extra/page.html", "outside"),
    ("statusgen.yml", "outside-config"),
])
def test_site_files_linked_outside_the_site_are_refused(tmp_path: Path, link: str, target: str) -> None:
    source = themed_site(tmp_path)
    if target == "outside-config":
        target = str(outside_file(tmp_path, (source / "statusgen.yml").read_text(encoding="utf-8")))
        (source / "statusgen.yml").unlink()
    elif target == "outside":
        target = str(outside_file(tmp_path, SECRET + " {{ site.config.title }}"))
    (source / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, source / link)
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [f"{link}: {OUTSIDE}", "1 error; nothing was written."]
    assert not (tmp_path / "site").exists()


def test_a_theme_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    source = themed_site(tmp_path)
    secret = outside_file(tmp_path)
    os.symlink(secret.parent, source / "mine/assets/img")
    result = run_build(source, tmp_path / "site", NOW)
    assert result.output.splitlines() == [
        "mine/assets/img: is a symbolic link to a place outside the site's folder; copy the content in instead",
        "1 error; nothing was written."]


def test_links_inside_the_site_still_work_for_themes(tmp_path: Path) -> None:
    source = themed_site(tmp_path)
    (source / "shared").mkdir()
    (source / "shared/brand.css").write_text("body { color: #123456 }\n", encoding="utf-8")
    os.symlink(source / "shared/brand.css", source / "mine/assets/brand.css")
    os.symlink(source / "shared", source / "mine/assets/shared")
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/assets/brand.css").read_text(encoding="utf-8") == "body { color: #123456 }\n"
    assert (tmp_path / "site/assets/shared/brand.css").is_file()


@pytest.mark.parametrize("path", ["mine/assets/live.css", "mine/templates/404.html", "statusgen.yml",
                                  "content/incidents/cards/1500.md"])
def test_fifos_in_the_site_are_refused_without_blocking(tmp_path: Path, path: str) -> None:
    source = themed_site(tmp_path)
    if path == "statusgen.yml":
        (source / path).unlink()
    os.mkfifo(source / path)
    result = run_bounded("build", "--source", str(source), "--output", str(tmp_path / "site"), "--now", NOW)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{path}: {FIFO}", "1 error; nothing was written."]


def test_the_sites_own_authoring_templates_are_read_through_the_rule(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {})
    (source / "templates").mkdir()
    os.symlink(outside_file(tmp_path), source / "templates/acknowledgement.md")
    result = CliRunner().invoke(main, ["new", "incident", "cards", "--title", "T", "--severity", "sev2",
                                       "--component", "checkout=partial_outage", "--source", str(source),
                                       "--now", NOW])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: templates/acknowledgement.md: {OUTSIDE}\n"
    assert not (source / "content").exists()


# --- the up-to-date check reads only regular files of the output (issue 12, item 3) -------------

@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
@pytest.mark.parametrize("planted", ["fifo", "link-to-dev-zero", "marker-fifo", "marker-link"])
def test_what_is_planted_in_the_output_is_replaced_not_read(tmp_path: Path, planted: str, cache: bool) -> None:
    source = write_site(tmp_path / "src", {"content/incidents/cards/1405.md": PLAIN_UPDATE})
    output = tmp_path / "site"
    args = ["build", "--source", str(source), "--output", str(output), "--now", NOW,
            *([] if cache else ["--no-cache"])]
    assert run_bounded(*args).returncode == 0
    name = ".statusgen-output" if planted.startswith("marker") else "planted"
    if planted.startswith("marker"):
        (output / name).unlink()
    if planted.endswith("fifo"):
        os.mkfifo(output / name)
    else:
        os.symlink("/dev/zero", output / name)
    result = run_bounded(*args)
    assert result.returncode == 0, result.stderr
    assert "is up to date" not in result.stdout
    assert not (output / "planted").exists() and not (output / "planted").is_symlink()
    assert (output / ".statusgen-output").is_file() and not (output / ".statusgen-output").is_symlink()
    again = run_bounded(*args)
    assert again.returncode == 0 and "is up to date" in again.stdout, again.stdout
