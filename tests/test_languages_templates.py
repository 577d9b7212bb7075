"""The default theme in the site's language (issue 14): every word a reader sees goes through the
catalog, <html> carries lang and dir, live.js takes its words from the page, and a catalog's
translations are text: a hostile one never becomes markup.

The sites are the shipped example with `language:` set and a catalog of their own in
locale/<tag>.po (source/language.py), written with Babel's pofile writer.
"""

from __future__ import annotations

import html.parser
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from statusgen.source.language import load_language
from conftest import EXAMPLE_NOW, REPO, BuildResult, run_build
from sitecheck import parse_strict, text_of, tree

TEMPLATES = REPO / "themes" / "default" / "templates"
PAYLOAD = "\"'><script>alert(1)</script><b>"
OPEN_INCIDENT = "incidents/2026-11-26-webhook-delivery-delays/index.html"
POSTMORTEM = "incidents/2026-10-14-api-dashboard-checkout-outage/postmortem/index.html"

GERMAN = {
    "Current status": "Aktueller Status",
    "Incident history": "Störungsverlauf",
    "Open incidents": "Offene Störungen",
    "Started": "Begonnen",
    "Updates": "Aktualisierungen",
    "Skip to content": "Zum Inhalt springen",
    "Next update by %(time)s": "Nächste Aktualisierung bis %(time)s",
    "Update overdue:": "Aktualisierung überfällig:",
    "(%(time)s your time)": "(%(time)s Ihre Zeit)",
    "%(time)s your time": "%(time)s Ihre Zeit",
    "%(day)s %(month)s": "%(day)s. %(month)s",
    "%(day)s %(month)s %(year)s": "%(day)s. %(month)s %(year)s",
    "Get updates": "Auf dem Laufenden bleiben",
    "Today": "Heute",
    ("%(num)s day ago", "%(num)s days ago"): ("vor %(num)s Tag", "vor %(num)s Tagen"),
    ("The last %(num)s day", "The last %(num)s days"): ("Der letzte Tag", "Die letzten %(num)s Tage"),
    ("incident", "Open"): "Offen",
}


def template_messages() -> list[tuple[str | tuple[str, ...], str | None]]:
    """Every message the default templates translate: (msgid or (singular, plural), msgctxt),
    as pybabel extracts them."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract

    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    found = []
    for path in sorted(TEMPLATES.glob("*.html")):
        with path.open("rb") as file:
            for _, message, _, context in extract("jinja2.ext:babel_extract", file, DEFAULT_KEYWORDS,
                                                  options=options):
                found.append((message, context))
    return found


def script_messages() -> list[tuple[str, str | None]]:
    """The messages render/environment.py translates (live.js's strings, status words)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract

    with (REPO / "statusgen/render/environment.py").open("rb") as file:
        return [(message, context) for _, message, _, context in extract("python", file, DEFAULT_KEYWORDS)]


def write_catalog(path: Path, tag: str, translations: dict) -> None:
    """locale/<tag>.po from {msgid | (singular, plural) | (msgctxt, msgid): translation}."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale=tag.replace("-", "_"))
    for key, string in translations.items():
        if isinstance(key, tuple) and isinstance(string, tuple):
            catalog.add(key, string)
        elif isinstance(key, tuple):
            catalog.add(key[1], string, context=key[0])
        else:
            catalog.add(key, string)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def build_in(tmp_path: Path, tag: str, translations: dict, extra_config: str = "") -> BuildResult:
    """The example, speaking `tag` with `translations` as its own locale/<tag>.po."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copytree(REPO / "content", source / "content")
    config = (REPO / "statusgen.yml").read_text(encoding="utf-8")
    (source / "statusgen.yml").write_text(f"{config}\nlanguage: {tag}\n{extra_config}", encoding="utf-8")
    write_catalog(source / "locale" / f"{tag}.po", tag, translations)
    result = run_build(source, tmp_path / "site", EXAMPLE_NOW, "--no-cache")
    assert result.exit_code == 0, result.output
    return result


def shipped_german(message: str) -> str:
    """`message` as statusgen's own German catalog has it (what fills in for de-AT)."""
    return load_language(REPO, "de", []).translations.gettext(message)


def html_tag(page: str) -> str:
    return next(line for line in page.splitlines() if line.startswith("<html"))


# --- a language statusgen does not ship, from the site's own catalog ----------------------------

@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_in(tmp_path_factory.mktemp("de"), "de-AT", GERMAN)  # GERMAN over the shipped German catalog


def test_pages_speak_german(german: BuildResult) -> None:
    index = german.read("index.html")
    assert html_tag(index).startswith('<html lang="de-AT" data-root="./"')  # left to right: no dir
    page = tree(index)
    nav = [text_of(a) for a in page.xpath("//header//nav//a")]
    assert nav[0] == "Aktueller Status"
    assert text_of(page.xpath('//a[@class="skip-link"]')[0]) == "Zum Inhalt springen"
    assert text_of(page.xpath('//h2[@id="open-heading"]')[0]) == "Offene Störungen"
    assert text_of(page.xpath('//h2[@id="get-updates-heading"]')[0]) == "Auf dem Laufenden bleiben"
    legend = text_of(page.xpath('//p[@class="bars-legend"]')[0])
    assert "vor 90 Tagen" in legend and legend.endswith("Heute")
    assert text_of(page.xpath('//p[contains(@class, "promise")]')[0]).startswith("Nächste Aktualisierung bis ")
    # Dates through the language: Babel's German month abbreviations in the bars' labels.
    assert any("Nov." in title for title in page.xpath('//li[contains(@class, "bar")]/@title'))
    # What the catalog does not translate stays English.
    # de-AT: what the site's catalog leaves out comes from statusgen's German catalog.
    assert text_of(page.xpath('//h2[@id="components-heading"]')[0]) == shipped_german("Components")

    incident = tree(german.read(OPEN_INCIDENT))
    assert [text_of(dt) for dt in incident.xpath("//dl/dt")][0] == "Begonnen"
    assert text_of(incident.xpath("//article/h2")[0]) == "Aktualisierungen"
    assert text_of(incident.xpath('//span[@class="tag open"]')[0]) == "Offen"  # msgctxt "incident"

    history = tree(german.read("history/index.html"))
    assert text_of(history.xpath("//h1")[0]) == "Störungsverlauf"
    assert text_of(history.xpath('//h2[@id="uptime-heading"]')[0]) == "Die letzten 90 Tage"
    assert "Oktober 2026" in [text_of(a) for a in history.xpath("//h3/a")]  # month names in German


def test_live_js_gets_the_translated_strings(german: BuildResult) -> None:
    strings = json.loads(tree(german.read("index.html")).get("data-strings"))
    assert strings["overdue"] == "Aktualisierung überfällig:"
    assert strings["your_time_note"] == "(%(time)s Ihre Zeit)"  # unfilled: the script fills it
    assert strings["checked"] == shipped_german("Checked for updates at %(time)s your time")  # not in GERMAN
    assert strings["hour_cycle"] == "h23" and strings["hour"] == "2-digit"


def test_live_js_speaks_german_in_a_browser(german: BuildResult, tmp_path: Path) -> None:
    """The reader's-time notes in the page's language: Intl in <html lang>, the catalog's words."""
    from test_live import browse, chromium_path, served_under_status

    chromium_path()  # skips, with the reason shown, without Chromium
    with served_under_status(german.site, tmp_path) as site:
        page = browse(site, tmp_path, tz="America/New_York")
    (promise,) = page.xpath('//p[contains(@class, "promise")]')
    # 07:30 UTC: 08:30 in Berlin (the page's zone), 02:30 in New York.
    assert "(02:30 Ihre Zeit)" in text_of(promise), text_of(promise)
    assert promise.xpath(".//time/@title") == ["26. Nov. 2026, 02:30 Ihre Zeit"]


def test_live_js_falls_back_to_the_same_english_the_build_gives() -> None:
    """live.js's ENGLISH table is what script_strings gives for English, so a theme without
    data-strings reads the same as the default theme in English."""
    from statusgen.language import ENGLISH
    from statusgen.render.environment import script_strings

    script = (REPO / "themes/default/assets/live.js").read_text(encoding="utf-8")
    table = script.split("var ENGLISH = {", 1)[1].split("};", 1)[0]
    fallback = {key: json.loads(value) for key, value in re.findall(r'(\w+): ("(?:[^"\\]|\\.)*")', table)}
    assert fallback == script_strings(ENGLISH)


def test_a_right_to_left_language_gets_dir_rtl(tmp_path: Path) -> None:
    result = build_in(tmp_path, "ar", {"Current status": "الحالة الحالية"})
    index = result.read("index.html")
    assert html_tag(index).startswith('<html lang="ar" dir="rtl" data-root="./"')
    assert text_of(tree(index).xpath("//header//nav//a")[0]) == "الحالة الحالية"
    for page in result.site.rglob("*.html"):
        assert ' dir="rtl" ' in html_tag(page.read_text(encoding="utf-8")), page


def test_the_stylesheet_has_no_physical_sides() -> None:
    """Right-to-left pages mirror: sides are logical (margin-inline-start, text-align: start)."""
    css = (REPO / "themes/default/assets/style.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    physical = re.findall(r"[\w-]*(?:-left|-right)\b[\w-]*\s*:|(?<![\w-])(?:left|right)\s*:|"
                          r"text-align\s*:\s*(?:left|right)|float\s*:", rules)
    assert physical == []


# --- a catalog's translations are text ----------------------------------------------------------

def hostile_translations() -> dict:
    """Every message of the templates, translated as PAYLOAD followed by the message itself (so
    each keeps its placeholders, as the catalog check requires)."""
    translations: dict = {}
    from statusgen.vocabulary import STATUS_IN_A_SENTENCE
    for words in STATUS_IN_A_SENTENCE.values():
        translations[("component status, inside a sentence", words)] = PAYLOAD + words
    for message, context in template_messages() + script_messages():
        if isinstance(message, tuple):
            translations[message] = tuple(PAYLOAD + form for form in message)
        elif context:
            translations[(context, message)] = PAYLOAD + message
        else:
            translations[message] = PAYLOAD + message
    return translations


def test_a_hostile_catalog_never_becomes_markup(tmp_path: Path) -> None:
    result = build_in(tmp_path, "de-AT", hostile_translations(), "metrics: true\n")
    pages = sorted(result.site.rglob("*.html"))
    shown = {"index.html", "404.html", "history/index.html", "metrics/index.html", OPEN_INCIDENT, POSTMORTEM,
             "components/api/index.html", "history/2026/11/index.html",
             "maintenance/2026-12-03-api-gateway-migration/index.html"}
    assert shown <= {p.relative_to(result.site).as_posix() for p in pages}  # every template rendered
    for page in pages:
        source = page.read_text(encoding="utf-8")
        parse_strict(source)
        doc = tree(source)
        for script in doc.xpath("//script"):
            assert script.get("src", "").endswith("assets/live.js") and not (script.text or "").strip(), page
        assert not doc.xpath("//b"), page
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source, page  # it is there, as text
        assert "<script>alert" not in source, page
        # In attributes too: the quotes cannot end an attribute.
        labels = doc.xpath("//@aria-label | //@title")
        assert any(PAYLOAD in label for label in labels), page
    strings = json.loads(tree(result.read("index.html")).get("data-strings"))
    assert strings["reload"].startswith(PAYLOAD)  # live.js writes these as text (textContent)
    assert "<script" not in html_tag(result.read("index.html"))  # tojson: \u003c in the attribute
    # Status words inside sentences come from the catalog too (msgctxt), escaped like the rest.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;partial outage" in result.read("index.html") or \
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;degraded performance" in result.read("index.html")


def test_template_messages_are_whole_text() -> None:
    """Messages carry no markup (a message the catalog leaves untranslated is written as the
    template wrote it) and use the placeholder style every message is formatted with."""
    messages = template_messages()
    assert len(messages) > 150
    for message, context in messages:
        for text in message if isinstance(message, tuple) else (message,):
            assert "<" not in text and "&" not in text, text
            assert re.fullmatch(r"(?:[^%]|%%|%\(\w+\)s)*", text), text


# --- no English outside _() ------------------------------------------------------------------

ALLOWED_WORDS = {"RSS", "Atom", "MTTD", "MTTA", "MTTR"}
"""Names, not words: the feed formats and the metrics' abbreviations."""
READER_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


class _Words(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in READER_ATTRIBUTES and value:
                self.found += words(value)

    def handle_data(self, data: str) -> None:
        self.found += words(data)


def words(text: str) -> list[str]:
    return [word for word in re.findall(r"[^\W\d_]{2,}", text) if word not in ALLOWED_WORDS]


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_no_english_outside_the_catalog(name: str) -> None:
    """The text a template writes itself, outside {{ }} and {% %}, has no words: every word a
    reader sees (text, aria-label, title, alt) comes from _(), ngettext(), pgettext() or data."""
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    stripped = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "", source, flags=re.S)
    parser = _Words()
    parser.feed(stripped)
    parser.close()
    assert parser.found == [], name


def test_no_english_in_macro_arguments() -> None:
    """A string handed to a macro (the "Get updates" heading) is text a reader sees: it must be a
    message, not a literal."""
    from jinja2 import Environment, nodes

    env = Environment(extensions=["jinja2.ext.i18n"])
    for path in sorted(TEMPLATES.glob("*.html")):
        parsed = env.parse(path.read_text(encoding="utf-8"))
        for call in parsed.find_all(nodes.Call):
            if isinstance(call.node, nodes.Getattr) and isinstance(call.node.node, nodes.Name) \
                    and call.node.node.name == "m":
                for argument in call.args:
                    assert not (isinstance(argument, nodes.Const) and isinstance(argument.value, str)), \
                        (path.name, call.node.attr, argument.value)
