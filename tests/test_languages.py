"""statusgen.yml `language:` and a site's own catalog (locale/<tag>.po): chosen, checked, rebuilt."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, run_build, write_site
from sites import GOOD_UPDATE
from statusgen.language import ENGLISH
from statusgen.problems import Problem
from statusgen.source.language import load_language, shipped_languages

INCIDENT = {"content/incidents/2026-11-20-cards/0930.md": GOOD_UPDATE}


def po(*pairs: tuple[str, str], header: str = "") -> str:
    """A small gettext catalog: msgid → msgstr pairs."""
    entries = [f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n{header}']
    entries += [f'msgid "{msgid}"\nmsgstr "{msgstr}"\n' for msgid, msgstr in pairs]
    return "\n".join(entries)


def site_in(tmp_path: Path, language: str, catalog: str | None = None, tag: str | None = None) -> Path:
    files = dict(INCIDENT)
    if catalog is not None:
        files[f"locale/{tag or language}.po"] = catalog
    return write_site(tmp_path / "src", files, MINIMAL_CONFIG + f"language: {language}\n")


def test_english_is_the_default_and_needs_no_catalog(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", INCIDENT)
    built = run_build(source, tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert '<html lang="en"' in built.read("index.html")


def test_an_unknown_language_is_an_error_naming_the_line_and_the_languages_there_are(tmp_path: Path) -> None:
    built = run_build(site_in(tmp_path, "tlh"), tmp_path / "out")
    assert built.exit_code == 1
    line = MINIMAL_CONFIG.count("\n") + 1
    assert f"statusgen.yml:{line}: language 'tlh' is not one of " in built.output
    for tag in shipped_languages():
        assert tag in built.output
    assert "locale/tlh.po" in built.output and "Traceback" not in built.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("tag", ["english", "d", "de_DE", "12", "de-"])
def test_a_language_that_is_not_a_tag_is_refused(tmp_path: Path, tag: str) -> None:
    built = run_build(site_in(tmp_path, f'"{tag}"'), tmp_path / "out")
    assert built.exit_code == 1
    assert f"language '{tag}' is not a BCP 47 language tag" in built.output


def test_a_site_catalog_gives_a_language_statusgen_does_not_ship(tmp_path: Path) -> None:
    catalog = po(("All systems operational", "Hemm kollha jaħdmu"), ("Partial outage", "Qtugħ parzjali"))
    built = run_build(site_in(tmp_path, "mt", catalog), tmp_path / "out")
    assert built.exit_code == 0, built.output
    page = built.read("index.html")
    assert '<html lang="mt"' in page
    assert "Qtugħ parzjali" in page


def test_a_site_catalog_overrides_the_shipped_one_and_keeps_the_rest(tmp_path: Path) -> None:
    if "de" not in shipped_languages():
        pytest.skip("statusgen ships no German catalog yet")
    catalog = po(("Partial outage", "Teilweise gestört (unser Wort)"))
    built = run_build(site_in(tmp_path, "de", catalog), tmp_path / "out")
    assert built.exit_code == 0, built.output
    page = built.read("index.html")
    assert "Teilweise gestört (unser Wort)" in page
    shipped = load_language(tmp_path / "nowhere", "de", [])
    assert shipped.gettext("History") != "History"  # the shipped catalog still gives the rest
    assert shipped.gettext("History") in page


def test_the_language_tag_is_matched_without_regard_to_case(tmp_path: Path) -> None:
    catalog = po(("Partial outage", "Qtugħ parzjali"))
    built = run_build(site_in(tmp_path, "MT", catalog, tag="mt"), tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert '<html lang="mt"' in built.read("index.html")


def test_a_translation_with_a_placeholder_the_message_lacks_names_its_file_and_line(tmp_path: Path) -> None:
    catalog = po(("%(time)s %(zone)s", "%(zeit)s %(zone)s"))
    built = run_build(site_in(tmp_path, "mt", catalog), tmp_path / "out")
    assert built.exit_code == 1
    assert "locale/mt.po:5: translation of '%(time)s %(zone)s' uses %(zeit)s, which the message does not have" \
        in built.output
    assert "%(time)s, %(zone)s" in built.output  # what it may use
    assert not (tmp_path / "out").exists()


def test_a_lone_percent_sign_and_a_bad_date_pattern_are_reported_together(tmp_path: Path) -> None:
    catalog = po(("%(number)s %%", "%(number)s %"), header="") + \
        '\nmsgctxt "date pattern"\nmsgid "d MMM y"\nmsgstr "ddddd MMM y"\n'
    built = run_build(site_in(tmp_path, "mt", catalog), tmp_path / "out")
    assert built.exit_code == 1
    assert "has a '%' that is not a placeholder; write a literal per cent sign as %%" in built.output
    msgid_line = catalog.splitlines().index('msgid "d MMM y"') + 1
    assert f"locale/mt.po:{msgid_line}: date pattern 'ddddd MMM y' (for 'd MMM y') is not a CLDR pattern Babel " \
           f"can format" in built.output


def test_a_catalog_that_is_not_gettext_names_its_file_and_line(tmp_path: Path) -> None:
    built = run_build(site_in(tmp_path, "mt", 'msgid "x"\nmsgstr "y"\nthis is not a catalog\n'), tmp_path / "out")
    assert built.exit_code == 1
    assert "locale/mt.po:3: is not a valid gettext catalog" in built.output
    assert "Traceback" not in built.output


def test_a_catalog_in_another_encoding_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    source = site_in(tmp_path, "mt", "")
    (source / "locale/mt.po").write_bytes(b'msgid "Partial outage"\nmsgstr "Qtu\xe7\xa0"\n')
    built = run_build(source, tmp_path / "out")
    assert built.exit_code == 1
    assert "locale/mt.po" in built.output and "UTF-8" in built.output
    assert "Traceback" not in built.output


def test_a_catalog_linked_from_outside_the_site_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.po"
    outside.write_text(po(("Partial outage", "Qtugħ parzjali")), encoding="utf-8")
    source = site_in(tmp_path, "mt")
    (source / "locale").mkdir()
    os.symlink(outside, source / "locale/mt.po")
    built = run_build(source, tmp_path / "out")
    assert built.exit_code == 1
    assert "locale/mt.po" in built.output and "outside" in built.output
    assert "Qtugħ" not in built.output


def test_a_hostile_translation_is_text_on_every_page(tmp_path: Path) -> None:
    catalog = po(("Partial outage", "<script>alert(1)</script>"), ("History", "<b>H</b>"))
    built = run_build(site_in(tmp_path, "mt", catalog), tmp_path / "out")
    assert built.exit_code == 0, built.output
    for page in sorted((tmp_path / "out").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>H</b>" not in text, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in built.read("index.html")


def test_changing_only_the_site_catalog_rebuilds_the_site(tmp_path: Path) -> None:
    source = site_in(tmp_path, "mt", po(("Partial outage", "Qtugħ parzjali")))
    first = run_build(source, tmp_path / "out")
    assert first.exit_code == 0, first.output
    (source / "locale/mt.po").write_text(po(("Partial outage", "Qtugħ")), encoding="utf-8")
    second = run_build(source, tmp_path / "out")
    assert second.exit_code == 0, second.output
    page = second.read("index.html")
    assert "Qtugħ" in page and "Qtugħ parzjali" not in page


def test_a_site_catalog_may_translate_the_date_patterns(tmp_path: Path) -> None:
    catalog = po(header="") + '\nmsgctxt "date pattern"\nmsgid "d MMM y"\nmsgstr "y-MM-dd"\n'
    problems: list[Problem] = []
    source = site_in(tmp_path, "mt", catalog)
    language = load_language(source, "mt", problems)
    assert problems == []
    assert language.short_date(date(2026, 11, 20)) == "2026-11-20"
    built = run_build(source, tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert "2026-11-20" in built.read("history/index.html")


def test_english_words_are_statusgens_own() -> None:
    zone = timezone(timedelta(hours=1), "CET")
    moment = datetime(2026, 11, 20, 13, 5, tzinfo=timezone.utc)
    assert ENGLISH.local_time(moment, zone) == "20 Nov 2026, 14:05 CET"
    assert ENGLISH.duration(timedelta(days=2, hours=3, minutes=5)) == "2 d 3 h 5 min"
    assert ENGLISH.hundredths_percent(9995) == "99.95 %"
    assert ENGLISH.human_list(["A", "B", "C"]) == "A, B and C"
    assert ENGLISH.ngettext("%(num)s incident", "%(num)s incidents", 2) == "2 incidents"


ACKNOWLEDGEMENT = ("We're investigating an issue affecting %(affected)s. [Describe what customers may see, in plain\n"
                   "words: the symptom, not the cause. Say what still works if that helps.]")


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", '\\n"\n"') + '"'


def test_new_writes_its_draft_in_the_sites_language_and_the_check_knows_its_hints(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from statusgen.cli import main
    catalog = po(("Next update by %(time)s.", "Nächstes Update um %(time)s.")) + \
        f"\nmsgid {_po_string(ACKNOWLEDGEMENT)}\nmsgstr " \
        f"{_po_string('Wir untersuchen ein Problem mit %(affected)s. [Beschreiben Sie, was Kunden sehen.]')}\n"
    source = write_site(tmp_path / "src", {"locale/mt.po": catalog}, MINIMAL_CONFIG + "language: mt\n")
    result = CliRunner().invoke(main, ["new", "incident", "2026-11-26-checkout", "--title", "Checkout errors",
                                       "--severity", "sev2", "--component", "checkout=partial_outage",
                                       "--source", str(source), "--now", "2026-11-26T07:00:00Z"])
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert "Wir untersuchen ein Problem mit Checkout. [Beschreiben Sie, was Kunden sehen.]" in written
    assert "Nächstes Update um 08:00 UTC." in written  # sev2: an hour
    built = run_build(source, tmp_path / "out", "2026-11-26T07:10:00Z")
    assert built.exit_code == 1  # the German hint is still in: not ready to publish
    assert "still holds the template's placeholder '[Beschreiben Sie, was Kunden sehen.]'" in built.output


@pytest.mark.parametrize("tag, word", [("de-CH", "de"), ("en-GB", "en"), ("pt-PT", "pt-BR"), ("fr-CA", "fr")])
def test_a_regional_tag_speaks_its_languages_shipped_catalog(tmp_path: Path, tag: str, word: str) -> None:
    if tag.split("-")[0] not in {t.split("-")[0] for t in shipped_languages()}:
        pytest.skip(f"statusgen ships no catalog for {tag}'s language")
    built = run_build(site_in(tmp_path, tag), tmp_path / "out")
    if tag == "pt-PT":  # pt is not shipped (only pt-BR): a regional tag needs its own language
        assert built.exit_code == 1 and "language 'pt-PT' is not one of" in built.output
        return
    assert built.exit_code == 0, built.output
    page = built.read("index.html")
    assert f'<html lang="{tag}"' in page
    assert load_language(tmp_path / "nowhere", word, []).gettext("History") in page


def test_in_a_language_statusgen_does_not_ship_what_the_catalog_leaves_out_stays_english(tmp_path: Path) -> None:
    built = run_build(site_in(tmp_path, "mt", po(("Partial outage", "Qtugħ parzjali"))), tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert ">History<" in built.read("index.html") and "Qtugħ parzjali" in built.read("index.html")


def test_a_duration_is_spaced_as_its_language_spaces_words() -> None:
    span = timedelta(hours=1, minutes=47)
    if "ja" in shipped_languages():
        japanese = load_language(Path("/nowhere"), "ja", [])
        assert " " not in japanese.duration(span) and japanese.duration(span) != ENGLISH.duration(span)
    assert ENGLISH.duration(span) == "1 h 47 min"
