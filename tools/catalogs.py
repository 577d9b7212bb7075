"""Keep statusgen's message catalogs in step with its code (a developer's tool, not shipped).

    python tools/catalogs.py extract        # statusgen/locale/statusgen.pot from the code and templates
    python tools/catalogs.py init pt-BR     # a new language's .po, every message untranslated
    python tools/catalogs.py update         # merge the .pot into every .po (new messages empty, gone ones dropped)
    python tools/catalogs.py compile        # every .po → its .mo (what statusgen reads at run time)
    python tools/catalogs.py check          # what tests/test_catalogs.py checks: exit 1 on any problem

The files are written so the same sources give the same bytes: no line numbers (a code edit
elsewhere in a file does not churn every catalog), no creation dates, messages sorted.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "statusgen" / "locale"
TEMPLATE = LOCALE / "statusgen.pot"
DOMAIN = "statusgen"
FIXED_DATE = datetime(2026, 12, 1, tzinfo=timezone.utc)
"""Stands in for every header date: the catalogs' history is in Git."""

SOURCES = (
    (ROOT / "statusgen", [("**.py", "python")], {}),
    (ROOT / "themes" / "default" / "templates", [("**.html", "jinja2.ext:babel_extract")],
     {"**.html": {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true",
                  "extensions": "jinja2.ext.i18n"}}),
    (ROOT / "statusgen" / "authoring_templates", [("**.md", "jinja2.ext:babel_extract")],
     {"**.md": {"newstyle_gettext": "true", "extensions": "jinja2.ext.i18n"}}),
)
COMMENT_TAGS = ("Translators:",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None,
            "NP_": ((1, "c"), 2)}
HEADER = """\
# statusgen's messages: what a status page's readers see, in every language it speaks.
# Made by tools/catalogs.py from the code and the default theme; README "Languages" says how.
#"""


def _skip_tools(path: str) -> bool:
    return "tools" not in Path(path).parts


def extracted() -> Catalog:
    """Every message the code and the default theme ask for, with its translator comments."""
    catalog = Catalog(project="statusgen", domain=DOMAIN, creation_date=FIXED_DATE,
                      revision_date=FIXED_DATE, fuzzy=False,
                      msgid_bugs_address="https://github.com/statusgen/statusgen/issues",
                      header_comment=HEADER)
    for folder, method_map, options in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, method_map, options, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                strip_comment_tags=True):
            location = (Path(folder, filename).relative_to(ROOT).as_posix(), lineno)
            catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def pot_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, sort_output=True, omit_header=False)
    return out.getvalue()


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read(path: Path) -> Catalog:
    locale = path.parent.parent.name
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN, abort_invalid=True)


def write(path: Path, catalog: Catalog) -> None:
    catalog.revision_date = FIXED_DATE
    catalog.creation_date = FIXED_DATE
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, sort_output=True, ignore_obsolete=True)
    path.write_bytes(out.getvalue())


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def init(tag: str) -> Path:
    folder = tag.replace("-", "_")
    template = read_po(io.BytesIO(TEMPLATE.read_bytes()))
    catalog = Catalog(locale=folder, domain=DOMAIN, project="statusgen", creation_date=FIXED_DATE,
                      revision_date=FIXED_DATE, fuzzy=False, header_comment=HEADER,
                      msgid_bugs_address="https://github.com/statusgen/statusgen/issues")
    catalog.update(template, no_fuzzy_matching=True)
    path = LOCALE / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, catalog)
    return path


def update() -> None:
    template = read_po(io.BytesIO(TEMPLATE.read_bytes()))
    for path in po_files():
        catalog = read(path)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        write(path, catalog)


def compile_all() -> None:
    for path in po_files():
        path.with_suffix(".mo").write_bytes(mo_bytes(read(path)))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        TEMPLATE.write_bytes(pot_bytes(extracted()))
    elif command == "init" and len(argv) == 2:
        print(init(argv[1]))
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        sys.path.insert(0, str(ROOT / "tests"))
        from test_catalogs import catalog_problems  # the one list of rules, shared with the tests
        problems = catalog_problems()
        print("\n".join(problems) or "catalogs are complete and current")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
