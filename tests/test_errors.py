"""The bad-input corpus: every way a site's source can be wrong, and what statusgen says about it.

Each case is a small site built with the real CLI. A bad site must fail with exit code 1, print
exactly the expected `<file>:<line>: <message>` lines (file relative to the source folder), never a
traceback, and write nothing. At the end: inputs that look odd but are valid and must be accepted.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from click.testing import CliRunner

import statusgen.output
import statusgen.staging
from conftest import EXAMPLE_NOW, MINIMAL_CONFIG, BuildResult, run_build, write_site
from sites import GOOD_MAINTENANCE, GOOD_UPDATE
from statusgen.cli import main
from statusgen.source.load import load_site

INCIDENT = "content/incidents/card-payments"
FILE = f"{INCIDENT}/0930.md"
MAINTENANCE = "content/maintenance/db-upgrade"
MFILE = f"{MAINTENANCE}/0900.md"



def changed(text: str, old: str, new: str) -> str:
    """`text` with one exact line fragment replaced (fails loudly if it is not there)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def summary(count: int) -> str:
    return f"{count} error{'s' if count != 1 else ''}; nothing was written."


def assert_fails_with(result: BuildResult, expected: list[str]) -> None:
    """Exit code 1, exactly these problem lines (in this order) and the summary, no traceback."""
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [*expected, summary(len(expected))], result.output
    assert not result.site.exists(), "a failed build must not write the output folder"


def write_bytes(root: Path, path: str, data: bytes) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


# --- the corpus --------------------------------------------------------------------------------

CONTENT_CASES = [
    # --- the file and its front matter ---
    pytest.param(
        {FILE: "---\nat: 2026-11-20T09:30:00Z\nphase: [investigating\n---\nBody\n"},
        [f"{FILE}:3: invalid YAML: expected ',' or ']', but got the closing '---' (while parsing a [...] list)"],
        id="invalid-yaml-unclosed-list"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: 'Card payments failing")},
        [f"{FILE}:5: invalid YAML: reached the closing '---' before the value was complete "
         f"(while scanning a quoted value)"],
        id="invalid-yaml-unclosed-quote"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: Checkout: payments failing")},
        [f"{FILE}:5: invalid YAML: mapping values are not allowed here; put quotes around a value that "
         f"contains ': ', or check the indentation"],
        id="invalid-yaml-colon-in-value"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "  checkout: partial_outage", "\tcheckout: partial_outage")},
        [f"{FILE}:7: invalid YAML: tab character found; YAML indentation must use spaces"],
        id="tab-indentation"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: Card payments\tfailing")},
        [f"{FILE}:5: invalid YAML: tab character found in a value; use spaces, or put the value in quotes"],
        id="tab-in-value"),
    pytest.param(
        {FILE: "at: 2026-11-20T09:30:00Z\nphase: investigating\n"},
        [f"{FILE}:1: front matter missing: the file must start with a line '---', then the fields, "
         f"then another '---'"],
        id="missing-front-matter"),
    pytest.param(
        {FILE: "---\nat: 2026-11-20T09:30:00Z\nphase: resolved\nseverity: sev2\ntitle: T\n\nBody\n"},
        [f"{FILE}:1: front matter is not closed: add a line '---' after the fields"],
        id="unterminated-front-matter"),
    pytest.param(
        {FILE: ""},
        [f"{FILE}:1: file is empty; an update starts with a front matter block between two '---' lines"],
        id="empty-file"),
    pytest.param(
        {FILE: "\n  \n\n"},
        [f"{FILE}:1: file is empty; an update starts with a front matter block between two '---' lines"],
        id="blank-file"),
    pytest.param(
        {FILE: "---\n- at: 2026-11-20T09:30:00Z\n---\n"},
        [f"{FILE}:2: expected a mapping of `field: value` lines"],
        id="front-matter-is-a-list"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "phase: investigating\n", "phase: investigating\nphase: identified\n")},
        [f"{FILE}:4: phase: duplicate key (first given on line 3)"],
        id="duplicate-key"),
    pytest.param(
        {FILE: "---\n"
               'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
               "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
               "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
               "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
               "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
               "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
               "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
               "---\n"},
        [f"{FILE}:3: YAML alias '*a' is not allowed; write the value out"],
        id="alias-bomb"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: !!binary Q2FyZA==")},
        [f"{FILE}:5: YAML tag '!!binary' is not allowed; only plain values, lists and mappings"],
        id="binary-tag"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: !secret card")},
        [f"{FILE}:5: YAML tag '!secret' is not allowed; only plain values, lists and mappings"],
        id="custom-tag"),
    pytest.param(
        {FILE: "---\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\n"},
        [f"{FILE}:2: invalid YAML: lists or mappings are nested too deeply"],
        id="nesting-too-deep"),
    # --- timestamps ---
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "at: 2026-11-20T09:30:00Z", "at: 2026-11-20T09:30:00")},
        [f"{FILE}:2: at '2026-11-20T09:30:00' has no zone offset; add Z for UTC or an offset like +01:00 "
         f"(write it like 2026-11-20T14:05:00Z)"],
        id="naive-timestamp"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "at: 2026-11-20T09:30:00Z", "at: 2026-11-20")},
        [f"{FILE}:2: at '2026-11-20' is a date without a time; write it like 2026-11-20T14:05:00Z"],
        id="date-only-timestamp"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "at: 2026-11-20T09:30:00Z", "at: 09:30")},
        [f"{FILE}:2: at '09:30' is not an ISO 8601 timestamp; write it like 2026-11-20T14:05:00Z"],
        id="time-only-timestamp"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "at: 2026-11-20T09:30:00Z", "at: 2026-02-30T09:30:00Z")},
        [f"{FILE}:2: at '2026-02-30T09:30:00Z' is not a valid date and time (day is out of range for month)"],
        id="impossible-date"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "at: 2026-11-20T09:30:00Z", "at: 9999-12-31T23:30:00-01:00")},
        [f"{FILE}:2: at '9999-12-31T23:30:00-01:00' is outside the years 1970-2999; check the year"],
        id="year-out-of-range"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update: 2026-11-20T10:00:00Z", "next_update: 2026-11-20T09:00:00Z")},
        [f"{FILE}:8: next_update 2026-11-20T09:00:00Z must be later than at 2026-11-20T09:30:00Z"],
        id="next-update-before-at"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update: 2026-11-20T10:00:00Z", "next_update: 2026-11-20T09:30:00Z")},
        [f"{FILE}:8: next_update 2026-11-20T09:30:00Z must be later than at 2026-11-20T09:30:00Z"],
        id="next-update-equal-to-at"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update: 2026-11-20T10:00:00Z\n", "")},
        [f"{FILE}:2: next_update is required while the incident is open (phase investigating): promise "
         f"when customers will hear from you next"],
        id="next-update-missing-while-open"),
    # --- fields ---
    pytest.param(
        {FILE: changed(changed(GOOD_UPDATE, "severity: sev2\n", ""), "title: Card payments failing\n", "")},
        [f"{FILE}:2: severity is required on the first update of an incident (the earliest `at`)",
         f"{FILE}:2: title is required on the first update of an incident (the earliest `at`)"],
        id="missing-title-and-severity"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "phase: investigating", "phase: investigatng")},
        [f"{FILE}:3: phase 'investigatng' is not one of investigating, identified, monitoring, resolved "
         f"(did you mean 'investigating'?)"],
        id="unknown-phase-typo"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "phase: investigating", "phase: scheduled")},
        [f"{FILE}:3: phase 'scheduled' is not one of investigating, identified, monitoring, resolved"],
        id="maintenance-phase-in-incident"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "severity: sev2", "severity: sev5")},
        [f"{FILE}:4: severity 'sev5' is not one of sev1, sev2, sev3, sev4"],
        id="unknown-severity"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "severity: sev2", "severity: sve2")},
        [f"{FILE}:4: severity 'sve2' is not one of sev1, sev2, sev3, sev4 (did you mean 'sev2'?)"],
        id="unknown-severity-typo"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "severity: sev2", "severity: Critical")},
        [f"{FILE}:4: severity 'Critical' is not one of sev1, sev2, sev3, sev4 (did you mean 'sev1'?)"],
        id="severity-by-name"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "  checkout: partial_outage", "  chekout: partial_outage")},
        [f"{FILE}:7: component 'chekout' is not defined in statusgen.yml (did you mean 'checkout'?); "
         f"known: api, checkout"],
        id="unknown-component"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "  checkout: partial_outage", "  checkout: down")},
        [f"{FILE}:7: status 'down' of component 'checkout' is not one of operational, degraded_performance, "
         f"partial_outage, major_outage"],
        id="unknown-component-status"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "  checkout: partial_outage", "  checkout: partial-outage")},
        [f"{FILE}:7: status 'partial-outage' of component 'checkout' is not one of operational, "
         f"degraded_performance, partial_outage, major_outage (did you mean 'partial_outage'?)"],
        id="component-status-typo"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "  checkout: partial_outage", "  checkout: under_maintenance")},
        [f"{FILE}:7: status 'under_maintenance' of component 'checkout' is not one of operational, "
         f"degraded_performance, partial_outage, major_outage; under_maintenance comes from scheduled "
         f"maintenance (content/maintenance), not from incidents"],
        id="under-maintenance-in-incident"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "  checkout: partial_outage", "  checkout:")},
        [f"{FILE}:7: component 'checkout' has no status where its status belongs; write one of operational, "
         f"degraded_performance, partial_outage, major_outage, like `checkout: partial_outage`"],
        id="component-status-missing"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "components:\n  checkout: partial_outage", "components: [checkout]")},
        [f"{FILE}:6: components must map each affected component to its status, like "
         f"`checkout: partial_outage`; a list is only for maintenance"],
        id="incident-components-as-list"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update:", "nxt_update:")},
        [f"{FILE}:2: next_update is required while the incident is open (phase investigating): promise "
         f"when customers will hear from you next",
         f"{FILE}:8: unknown field 'nxt_update' (did you mean 'next_update'?); allowed: at, phase, "
         f"severity, title, components, next_update, detected_at, started_at, postmortem, reported_by"],
        id="unknown-field"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: [Card, payments]")},
        [f"{FILE}:5: title must be text, not a list"],
        id="title-is-a-list"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: " + "x" * 301)},
        [f"{FILE}:5: title is 301 characters long; at most 300 are allowed"],
        id="title-too-long"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update:", "postmortem: javascript:alert(1)\nnext_update:")},
        [f"{FILE}:8: postmortem 'javascript:alert(1)' must be an http(s):// address or a path on this site "
         f"like /postmortems/2026-11-20.html"],
        id="postmortem-bad-url"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update:", "postmortem: /%2e%2e/%2E%2E/x\nnext_update:")},
        [f"{FILE}:8: postmortem '/%2e%2e/%2E%2E/x' must be an http(s):// address or a path on this site "
         f"like /postmortems/2026-11-20.html"],
        id="postmortem-encoded-dot-segments"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update:", 'postmortem: "https://[x/"\nnext_update:')},
        [f"{FILE}:8: postmortem 'https://[x/' must be an http(s):// address or a path on this site "
         f"like /postmortems/2026-11-20.html"],
        id="postmortem-url-urllib-cannot-split"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "next_update:", "postmortem: https://example.test:99999/pm\nnext_update:")},
        [f"{FILE}:8: postmortem 'https://example.test:99999/pm' must be an http(s):// address or a path on "
         f"this site like /postmortems/2026-11-20.html"],
        id="postmortem-url-port-out-of-range"),
    # --- characters: control characters YAML refuses, line separators YAML counts as line breaks ---
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card payments\x85failing"')},
        [f"{FILE}:5: file contains the control character U+0085, which cannot be published; remove it"],
        id="raw-nel-in-quoted-title"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", "title: Card payments\x7ffailing")},
        [f"{FILE}:5: file contains the control character U+007F, which cannot be published; remove it"],
        id="raw-del-in-title"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "We're investigating", "We're\x9f investigating")},
        [f"{FILE}:10: file contains the control character U+009F, which cannot be published; remove it"],
        id="raw-c1-control-in-body"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card payments\\x9ffailing"')},
        [f"{FILE}:5: title contains the control character U+009F, which cannot be published; remove it"],
        id="escaped-c1-control-in-title"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card payments \\N failing"')},
        [f"{FILE}:5: title contains the control character U+0085, which cannot be published; remove it"],
        id="escaped-nel-in-title"),
    pytest.param(
        {FILE: changed(changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card\u2028payments\u2029failing"'),
                       "next_update: 2026-11-20T10:00:00Z", "next_update: 2026-11-20T09:00:00Z")},
        [f"{FILE}:8: next_update 2026-11-20T09:00:00Z must be later than at 2026-11-20T09:30:00Z"],
        id="line-separators-in-quoted-title-do-not-shift-lines"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing",
                       'title: "Card\u2028payments\u2028failing"\nsevirity: sev1')},
        [f"{FILE}:6: unknown field 'sevirity' (did you mean 'severity'?); allowed: at, phase, severity, "
         f"title, components, next_update, detected_at, started_at, postmortem, reported_by"],
        id="line-separators-in-quoted-title-unknown-field-line"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card\u2028payments"\nphase: x')},
        [f"{FILE}:6: phase: duplicate key (first given on line 3)"],
        id="line-separator-before-duplicate-key"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card\u2028payments"\n  - x')},
        [f"{FILE}:6: invalid YAML: expected <block end>, but found '<block sequence start>' (while parsing a "
         f"block of `field: value` lines)"],
        id="line-separator-before-yaml-syntax-error"),
    pytest.param(
        {FILE: changed(GOOD_UPDATE, "title: Card payments failing", 'title: "Card\u2028payments"\n'
                                                                   'x: &a 1\ny: *a')},
        [f"{FILE}:7: YAML alias '*a' is not allowed; write the value out"],
        id="line-separator-before-alias"),
    # --- folders ---
    pytest.param(
        {"content/incidents/Card-Payments/0930.md": GOOD_UPDATE},
        ["content/incidents/Card-Payments: folder name 'Card-Payments' is not a valid id: use lowercase "
         "letters, digits and '-', starting with a letter or digit"],
        id="folder-id-uppercase"),
    pytest.param(
        {"content/incidents/card payments/0930.md": GOOD_UPDATE},
        ["content/incidents/card payments: folder name 'card payments' is not a valid id: use lowercase "
         "letters, digits and '-', starting with a letter or digit"],
        id="folder-id-with-space"),
    pytest.param(
        {"content/incidents/0930.md": GOOD_UPDATE},
        ["content/incidents/0930.md: update files belong in a folder per item: content/incidents/<id>/0930.md"],
        id="update-file-without-folder"),
    # --- several updates of one incident ---
    pytest.param(
        {FILE: GOOD_UPDATE,
         f"{INCIDENT}/1000.md": "---\nat: 2026-11-20T09:30:00Z\nphase: identified\n"
                                "next_update: 2026-11-20T11:00:00Z\n---\nFound it.\n"},
        [f"{INCIDENT}/1000.md:2: at 2026-11-20T09:30:00Z is the same as in 0930.md; every update needs "
         f"its own time"],
        id="two-updates-same-at"),
    pytest.param(
        {FILE: GOOD_UPDATE,
         f"{INCIDENT}/1100.md": "---\nat: 2026-11-19T11:00:00Z\nphase: resolved\n---\nFixed.\n"},
        [f"{INCIDENT}/1100.md:2: at 2026-11-19T11:00:00Z is earlier than the incident's first update "
         f"(0930.md, 2026-11-20T09:30:00Z, investigating) but has a later phase (resolved); check the date"],
        id="earlier-update-with-later-phase"),
    # --- maintenance ---
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "  end: 2026-11-28T03:00:00Z", "  end: 2026-11-28T01:00:00Z")},
        [f"{MFILE}:7: window.end 2026-11-28T01:00:00Z must be later than window.start 2026-11-28T02:00:00Z"],
        id="maintenance-window-end-before-start"),
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "  end: 2026-11-28T03:00:00Z\n", "")},
        [f"{MFILE}:5: window.end is required"],
        id="maintenance-window-without-end"),
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "window:\n  start: 2026-11-28T02:00:00Z\n  end: 2026-11-28T03:00:00Z",
                        "window: [2026-11-28T02:00:00Z, 2026-11-28T03:00:00Z]")},
        [f"{MFILE}:5: window must be a mapping with start and end, like "
         f"`window: {{start: 2026-11-28T02:00:00Z, end: 2026-11-28T03:00:00Z}}`"],
        id="maintenance-window-as-list"),
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "components: [checkout]", "components:\n  checkout: under_maintenance")},
        [f"{MFILE}:8: components of a maintenance must be a list of component ids, like [checkout, api]"],
        id="maintenance-components-as-mapping"),
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "components: [checkout]", "components: [chekout, {id: api}]")},
        [f"{MFILE}:8: component 'chekout' is not defined in statusgen.yml (did you mean 'checkout'?); "
         f"known: api, checkout",
         f"{MFILE}:8: components[1] is a mapping; components of a maintenance is a plain list of component "
         f"ids, like [checkout, api]"],
        id="maintenance-components-bad-items"),
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "phase: scheduled", "phase: investigating")},
        [f"{MFILE}:3: phase 'investigating' is not one of scheduled, in_progress, completed, cancelled"],
        id="incident-phase-in-maintenance"),
    pytest.param(
        {MFILE: changed(GOOD_MAINTENANCE, "title: Database upgrade\n", "")},
        [f"{MFILE}:2: title is required on the first update of a maintenance (the earliest `at`)"],
        id="maintenance-without-title"),
]


@pytest.mark.parametrize("files, expected", CONTENT_CASES)
def test_bad_content_is_reported(tmp_path: Path, files: dict[str, str], expected: list[str]) -> None:
    source = write_site(tmp_path / "src", files)
    assert_fails_with(run_build(source, tmp_path / "site"), expected)


def config_with(old: str, new: str) -> str:
    return changed(MINIMAL_CONFIG, old, new)


# MINIMAL_CONFIG: 1 title, 2 base_url, 3 components, 4 - id: api, 5 name, 6 group,
# 7 - id: checkout, 8 name, 9 group.
CONFIG_CASES = [
    pytest.param(
        config_with("title: Test Status\n", ""),
        ["statusgen.yml:1: title is required"],
        id="missing-title"),
    pytest.param(
        config_with("base_url: https://example.test/status/\n", ""),
        ["statusgen.yml:1: base_url is required"],
        id="missing-base-url"),
    pytest.param(
        config_with("https://example.test/status/", "example.test/status"),
        ["statusgen.yml:2: base_url 'example.test/status' must be an absolute http:// or https:// address "
         "without ?query or #fragment, like https://acme.github.io/status/"],
        id="base-url-without-scheme"),
    pytest.param(
        config_with("https://example.test/status/", "ftp://example.test/status/"),
        ["statusgen.yml:2: base_url 'ftp://example.test/status/' must be an absolute http:// or https:// "
         "address without ?query or #fragment, like https://acme.github.io/status/"],
        id="base-url-ftp"),
    pytest.param(
        config_with("https://example.test/status/", "https://example.test/status/%2e%2e/"),
        ["statusgen.yml:2: base_url 'https://example.test/status/%2e%2e/' must be an absolute http:// or "
         "https:// address without ?query or #fragment, like https://acme.github.io/status/"],
        id="base-url-encoded-dot-segment"),
    pytest.param(
        MINIMAL_CONFIG + "timezone: Europe/Berln\n",
        ["statusgen.yml:10: timezone 'Europe/Berln' is not an IANA time zone name like Europe/Berlin or UTC "
         "(did you mean 'Europe/Berlin'?)"],
        id="unknown-timezone"),
    pytest.param(
        MINIMAL_CONFIG + "timezone: CEST\n",
        ["statusgen.yml:10: timezone 'CEST' is not an IANA time zone name like Europe/Berlin or UTC"],
        id="timezone-abbreviation"),
    pytest.param(
        config_with("id: checkout", "id: api"),
        ["statusgen.yml:7: components[1].id 'api' is used twice (first on line 4)"],
        id="duplicate-component-id"),
    pytest.param(
        config_with("id: checkout", "id: Check Out"),
        ["statusgen.yml:7: components[1].id 'Check Out' is not a valid id: use lowercase letters, digits "
         "and '-', starting with a letter or digit"],
        id="bad-component-id"),
    pytest.param(
        config_with("    name: Checkout\n", ""),
        ["statusgen.yml:7: components[1].name is required"],
        id="component-without-name"),
    pytest.param(
        "title: Test Status\nbase_url: https://example.test/\ncomponents: []\n",
        ["statusgen.yml:3: components must list at least one component"],
        id="empty-components"),
    pytest.param(
        "title: Test Status\nbase_url: https://example.test/\n",
        ["statusgen.yml:1: components is required (a list with at least one component)"],
        id="missing-components"),
    pytest.param(
        "title: Test Status\nbase_url: https://example.test/\ncomponents:\n  api: API\n",
        ["statusgen.yml:3: components must be a list"],
        id="components-as-mapping"),
    pytest.param(
        MINIMAL_CONFIG + "histroy_days: 30\n",
        ["statusgen.yml:10: unknown field 'histroy_days' (did you mean 'history_days'?); allowed: title, "
         "base_url, description, timezone, language, components, history_days, feed_limit, theme, cadence, postmortem_due_days, postmortem_causes, "
         "repeat_window_days, metrics, subscribe, uptime, alerts, notify"],
        id="unknown-config-key"),
    pytest.param(
        MINIMAL_CONFIG + "history_days: 0\nfeed_limit: lots\n",
        ["statusgen.yml:10: history_days 0 must be between 1 and 3650",
         "statusgen.yml:11: feed_limit 'lots' must be a whole number"],
        id="bad-numbers"),
    pytest.param(
        config_with("https://example.test/status/", '"https://[x/"'),
        ["statusgen.yml:2: base_url 'https://[x/' must be an absolute http:// or https:// address without "
         "?query or #fragment, like https://acme.github.io/status/"],
        id="base-url-urllib-cannot-split"),
    pytest.param(
        config_with("https://example.test/status/", "https://example.test:http/status/"),
        ["statusgen.yml:2: base_url 'https://example.test:http/status/' must be an absolute http:// or https:// "
         "address without ?query or #fragment, like https://acme.github.io/status/"],
        id="base-url-port-not-a-number"),
    pytest.param(
        MINIMAL_CONFIG + "theme: ../../etc\n",
        ["statusgen.yml:10: theme '../../etc' must be a folder inside the site's folder"],
        id="theme-outside-the-site"),
    pytest.param(
        MINIMAL_CONFIG + "history_days: 30\ntheme: my-theme\n",
        ["statusgen.yml:11: theme folder 'my-theme' does not exist"],
        id="theme-folder-missing"),
    pytest.param(
        MINIMAL_CONFIG + 'description: "Our\x85status"\n',
        ["statusgen.yml:10: file contains the control character U+0085, which cannot be published; remove it"],
        id="config-raw-nel"),
    pytest.param(
        MINIMAL_CONFIG + 'description: "Our\\x7fstatus"\n',
        ["statusgen.yml:10: description contains the control character U+007F, which cannot be published; "
         "remove it"],
        id="config-escaped-del"),
    pytest.param(
        config_with("title: Test Status", 'title: "Test\u2028Status"') + "histroy_days: 30\n",
        ["statusgen.yml:10: unknown field 'histroy_days' (did you mean 'history_days'?); allowed: title, "
         "base_url, description, timezone, language, components, history_days, feed_limit, theme, cadence, postmortem_due_days, "
         "postmortem_causes, repeat_window_days, metrics, subscribe, uptime, alerts, notify"],
        id="config-line-separator-does-not-shift-lines"),
    pytest.param(
        "title: [Test Status\n",
        ["statusgen.yml:1: invalid YAML: expected ',' or ']', but got the end of the file "
         "(while parsing a [...] list)"],
        id="config-invalid-yaml"),
    pytest.param(
        "- title: Test Status\n",
        ["statusgen.yml:1: expected a mapping of `field: value` lines"],
        id="config-not-a-mapping"),
]


@pytest.mark.parametrize("config, expected", CONFIG_CASES)
def test_bad_config_is_reported(tmp_path: Path, config: str, expected: list[str]) -> None:
    source = write_site(tmp_path / "src", {}, config=config)
    assert_fails_with(run_build(source, tmp_path / "site"), expected)


def test_missing_config_file(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE}, config=None)
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"statusgen.yml: not found in {source}; run statusgen in your site's folder or pass --source DIR"])


def test_theme_template_syntax_error_names_the_template(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {
        "mytheme/templates/index.html": "<!doctype html>\n<p>\n{% if %}\n</p>\n",
    }, config=MINIMAL_CONFIG + "theme: mytheme\n")
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "mytheme/templates/index.html:3: template syntax error: Expected an expression, got 'end of statement block'"])


# A theme's incident.html that runs {broken} on line 3, for the incident of FILE.
BROKEN_INCIDENT_TEMPLATE = """\
{{% extends "base.html" %}}
{{% block main %}}<h1>{{{{ incident.title }}}}</h1>
<p>{broken}</p>
{{% endblock %}}
"""


@pytest.mark.parametrize("broken, message", [
    pytest.param("{{ 1/0 }}", "division by zero", id="division-by-zero"),
    pytest.param("{{ incident.no_such_field }}", "'statusgen.model.site.Incident object' has no attribute "
                 "'no_such_field'", id="undefined-attribute"),
    pytest.param("{{ none_given }}", "'none_given' is undefined", id="undefined-name"),
    pytest.param("{{ incident.updates|sum(attribute='at') }}", "unsupported operand type(s) for +: 'int' "
                 "and 'datetime.datetime'", id="filter-raises"),
    pytest.param("{{ {'a': 1}['b'] }}", "'dict object' has no attribute 'b'", id="missing-key"),
    pytest.param("{{ config.title.no_such_method() }}", "'str object' has no attribute 'no_such_method'",
                 id="calling-undefined"),
])
def test_theme_template_runtime_error_names_template_line_and_page(tmp_path: Path, broken: str,
                                                                   message: str) -> None:
    source = write_site(tmp_path / "src", {
        FILE: GOOD_UPDATE,
        "mytheme/templates/incident.html": BROKEN_INCIDENT_TEMPLATE.format(broken=broken),
    }, config=MINIMAL_CONFIG + "theme: mytheme\n")
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"mytheme/templates/incident.html:3: while rendering incidents/card-payments/index.html: {message}"])


def test_theme_runtime_error_in_a_macro_names_the_macro_line(tmp_path: Path) -> None:
    """The innermost template line is named: here the macro file's, not the page's."""
    source = write_site(tmp_path / "src", {
        FILE: GOOD_UPDATE,
        "mytheme/templates/_mine.html": "{% macro shout(text) %}\n{{ text|upper }}\n{{ text // 0 }}\n{% endmacro %}\n",
        "mytheme/templates/incident.html": '{% extends "base.html" %}{% from "_mine.html" import shout %}\n'
                                           "{% block main %}\n{{ shout(incident.title) }}\n{% endblock %}\n",
    }, config=MINIMAL_CONFIG + "theme: mytheme\n")
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "mytheme/templates/_mine.html:3: while rendering incidents/card-payments/index.html: unsupported "
        "operand type(s) for //: 'str' and 'int'"])


def test_theme_runtime_error_is_reported_by_check(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {
        FILE: GOOD_UPDATE,
        "mytheme/templates/incident.html": BROKEN_INCIDENT_TEMPLATE.format(broken="{{ 1/0 }}"),
    }, config=MINIMAL_CONFIG + "theme: mytheme\n")
    result = CliRunner().invoke(main, ["check", "--source", str(source), "--now", "2026-11-20T09:40:00Z"])
    assert "Traceback" not in result.output and result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        "mytheme/templates/incident.html:3: error: while rendering incidents/card-payments/index.html: "
        "division by zero", "1 error."]


def test_theme_runtime_error_in_forked_workers_is_reported_not_a_crash(tmp_path: Path) -> None:
    """A site large enough to render in worker processes: each worker sends its problems back."""
    from statusgen.render.workers import PARALLEL_MIN_PAGES

    files = {f"content/incidents/i{n:03d}/0930.md": GOOD_UPDATE for n in range(PARALLEL_MIN_PAGES + 20)}
    files["mytheme/templates/incident.html"] = BROKEN_INCIDENT_TEMPLATE.format(
        broken="{{ 1/0 if incident.id == 'i123' else '' }}")
    source = write_site(tmp_path / "src", files, config=MINIMAL_CONFIG + "theme: mytheme\n")
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "mytheme/templates/incident.html:3: while rendering incidents/i123/index.html: division by zero"])


def test_theme_runtime_error_shows_on_the_preview_error_page(tmp_path: Path) -> None:
    """`serve` renders pages as they are asked for: the error becomes the build's problems."""
    from statusgen.commands.serve import PreviewSite

    source = write_site(tmp_path / "src", {
        FILE: GOOD_UPDATE,
        "mytheme/templates/incident.html": BROKEN_INCIDENT_TEMPLATE.format(broken="{{ 1/0 }}"),
    }, config=MINIMAL_CONFIG + "theme: mytheme\n")
    preview = PreviewSite(source, lambda: NOW, log=lambda line: None)
    preview.rebuild()
    preview.warm_latest(lambda: False)
    assert [str(p) for p in preview.current().problems] == [
        "mytheme/templates/incident.html:3: while rendering incidents/card-payments/index.html: division by zero"]


# --- bytes that are not text ---------------------------------------------------------------------

BYTE_CASES = [
    pytest.param(b"---\nat: 2026-11-20T09:30:00Z\ntitle: Caf\xe9 down\n---\n",
                 [f"{FILE}:3: file is not valid UTF-8 (byte 0xe9); save it as UTF-8"], id="latin-1"),
    pytest.param(b"---\nat: 2026-11-20T09:30:00Z\nphase\x00: resolved\n---\n",
                 [f"{FILE}:3: file looks binary (it contains a NUL byte); save it as UTF-8 text"], id="nul-byte"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                 [f"{FILE}:3: file looks binary (it contains a NUL byte); save it as UTF-8 text"], id="png"),
    pytest.param(GOOD_UPDATE.encode("utf-16"),
                 [f"{FILE}:1: file is saved as UTF-16; save it as UTF-8"], id="utf-16"),
]


@pytest.mark.parametrize("data, expected", BYTE_CASES)
def test_files_that_are_not_utf8_text(tmp_path: Path, data: bytes, expected: list[str]) -> None:
    source = write_site(tmp_path / "src", {})
    write_bytes(source, FILE, data)
    assert_fails_with(run_build(source, tmp_path / "site"), expected)


def test_file_over_one_mebibyte(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {})
    data = GOOD_UPDATE.encode() + b"All good.\n" * (1024 * 1024 // 10)
    write_bytes(source, FILE, data)
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{FILE}: file is {len(data):,} bytes; the limit is 1,048,576 bytes (1 MiB)"])


def test_file_of_exactly_one_mebibyte_is_read(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {})
    data = GOOD_UPDATE.encode()
    data += b"x" * (1024 * 1024 - len(data))
    write_bytes(source, FILE, data)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output


# --- text no output can carry as it is -----------------------------------------------------------

# A key that is half a character (what a broken "\ud83d" escape leaves), and a title holding a
# line separator (valid, and published) before a mistake on line 6.
SURROGATE_KEY_UPDATE = changed(GOOD_UPDATE, "title: Card payments failing",
                               'title: "Card\u2028payments"\n"\\ud800": 1')


def test_a_lone_surrogate_in_a_key_is_reported_by_build(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: SURROGATE_KEY_UPDATE})
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{FILE}:6: unknown field '\\ud800'; allowed: at, phase, severity, title, components, next_update, "
        f"detected_at, started_at, postmortem, reported_by"])


@pytest.mark.parametrize("output_format", ["text", "github", "json"])
def test_a_lone_surrogate_in_a_key_is_reported_by_check_in_every_format(tmp_path: Path, output_format: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every message escapes unprintable characters the one way (`\\ud800`, as Python writes
    them), so a terminal, a GitHub annotation and JSON can all carry it, on one line."""
    import json

    source = write_site(tmp_path / "src", {FILE: SURROGATE_KEY_UPDATE})
    monkeypatch.chdir(source)  # GitHub annotations name files from the working directory
    result = CliRunner().invoke(main, ["check", "--source", str(source), "--now", "2026-11-20T09:40:00Z",
                                       "--format", output_format])
    assert "Traceback" not in result.output and result.exit_code == 1, result.output
    message = (r"unknown field '\ud800'; allowed: at, phase, severity, title, components, next_update, "
               r"detected_at, started_at, postmortem, reported_by")
    if output_format == "json":
        (finding,) = json.loads(result.output)
        assert (finding["file"], finding["line"], finding["field"], finding["message"]) == (
            FILE, 6, r"\ud800", message)
    elif output_format == "github":
        assert result.output.splitlines() == [
            f"::error file={FILE},line=6,title=statusgen invalid::{message}", "1 error."]
    else:
        assert result.output.splitlines() == [f"{FILE}:6: error: {message}", "1 error."]


def test_every_message_escapes_unprintable_characters_the_one_way() -> None:
    from statusgen.problems import Problem, StatusgenError

    problem = Problem("a\udcffb.md", 3, "\ud800", "title 'x\u2028y\x85\n\tz' is wrong")
    assert str(problem) == r"a\udcffb.md:3: title 'x\u2028y\x85\n\tz' is wrong"
    assert problem.field == r"\ud800"
    assert StatusgenError("x\u2029y").messages == [r"x\u2029y"]
    assert str(Problem("é 💳.md", 1, "title", "Zahlungen — 💳 'ok'")) == "é 💳.md:1: Zahlungen — 💳 'ok'"


# --- YAML that would run code ------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system"])
def test_python_tags_are_rejected_not_executed(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    source = write_site(tmp_path / "src", {
        FILE: changed(GOOD_UPDATE, "title: Card payments failing", f'title: {tag} ["touch {marker}"]'),
    })
    result = run_build(source, tmp_path / "site")
    assert_fails_with(result, [
        f"{FILE}:5: YAML tag '{tag}' is not allowed; only plain values, lists and mappings"])
    assert not marker.exists(), "the YAML tag was executed"


def test_python_tag_in_config_is_rejected_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    source = write_site(tmp_path / "src", {},
                        config=f'title: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "statusgen.yml:1: YAML tag '!!python/object/apply:os.system' is not allowed; only plain values, "
        "lists and mappings"])
    assert not marker.exists()


# --- symbolic links --------------------------------------------------------------------------------

def test_symlinked_file_outside_source_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(GOOD_UPDATE, encoding="utf-8")
    source = write_site(tmp_path / "src", {})
    (source / INCIDENT).mkdir(parents=True)
    os.symlink(outside, source / FILE)
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{FILE}: is a symbolic link to a place outside the site's folder; copy the file in instead"])


def test_symlinked_folder_outside_source_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "0930.md").write_text(GOOD_UPDATE, encoding="utf-8")
    source = write_site(tmp_path / "src", {})
    (source / "content/incidents").mkdir(parents=True)
    os.symlink(outside, source / INCIDENT)
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{INCIDENT}: is a symbolic link to a place outside the site's folder; copy the content in instead"])


def test_dangling_symlink_is_reported(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {})
    (source / INCIDENT).mkdir(parents=True)
    os.symlink(source / "gone.md", source / FILE)
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{FILE}: is a symbolic link to a file that does not exist"])


LOOPS = "is a symbolic link that loops (it leads back to itself); remove it or fix its target"


@pytest.mark.parametrize("link", [
    FILE,  # an update file
    INCIDENT,  # an item folder
    f"{INCIDENT}/notes",  # an entry of an item folder that is not an update file
    "content/incidents",  # the folder of items itself
    "content/maintenance/db-upgrade",
])
def test_symlink_that_loops_is_a_problem_not_a_traceback(tmp_path: Path, link: str) -> None:
    source = write_site(tmp_path / "src", {})
    (source / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(Path(link).name, source / link)
    assert_fails_with(run_build(source, tmp_path / "site"), [f"{link}: {LOOPS}"])


def test_item_entry_that_is_neither_file_nor_folder_is_a_problem(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {f"{INCIDENT}/0900.md": GOOD_UPDATE})
    os.mkfifo(source / "content/incidents/a-fifo")
    os.symlink("gone", source / "content/incidents/a-gone-folder")
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "content/incidents/a-fifo: is a FIFO (named pipe), not a file; statusgen reads only regular files and folders",
        "content/incidents/a-gone-folder: is a symbolic link to a file that does not exist"])


def test_symlink_inside_source_is_accepted(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {"drafts/0930.md": GOOD_UPDATE})
    (source / INCIDENT).mkdir(parents=True)
    os.symlink(source / "drafts/0930.md", source / FILE)
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output


# --- all problems, in one run -------------------------------------------------------------------

def test_all_mistakes_in_all_files_are_reported_sorted(tmp_path: Path) -> None:
    b_file = "content/incidents/b-incident/0930.md"
    a_file = "content/incidents/a-incident/1000.md"
    source = write_site(tmp_path / "src", {
        # Written first, sorts second; two mistakes, at lines 4 and 3 (reported 3, then 4).
        b_file: changed(changed(GOOD_UPDATE, "phase: investigating", "phase: investigatng"),
                        "severity: sev2", "severity: sev9"),
        # Mistakes on lines 8 and 10: numeric, not text, order (8 before 10).
        a_file: changed(GOOD_UPDATE, "next_update: 2026-11-20T10:00:00Z",
                        "next_update: 2026-11-20T09:00:00Z\nreported_by: monitoring\nsevirity: sev1"),
        MFILE: changed(GOOD_MAINTENANCE, "components: [checkout]", "components: [chekout]"),
    }, config=MINIMAL_CONFIG + "timezone: Mars/Olympus\n")
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{a_file}:8: next_update 2026-11-20T09:00:00Z must be later than at 2026-11-20T09:30:00Z",
        f"{a_file}:10: unknown field 'sevirity' (did you mean 'severity'?); allowed: at, phase, severity, "
        f"title, components, next_update, detected_at, started_at, postmortem, reported_by",
        f"{b_file}:3: phase 'investigatng' is not one of investigating, identified, monitoring, resolved "
        f"(did you mean 'investigating'?)",
        f"{b_file}:4: severity 'sev9' is not one of sev1, sev2, sev3, sev4",
        f"{MFILE}:8: component 'chekout' is not defined in statusgen.yml (did you mean 'checkout'?); "
        f"known: api, checkout",
        "statusgen.yml:10: timezone 'Mars/Olympus' is not an IANA time zone name like Europe/Berlin or UTC",
    ])


def test_config_component_mistakes_do_not_cause_made_up_content_errors(tmp_path: Path) -> None:
    """A broken component list stops the build at the config: checking content against it would
    report components as unknown that the user did define."""
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE},
                        config=config_with("id: checkout", "id: Checkout"))
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "statusgen.yml:7: components[1].id 'Checkout' is not a valid id: use lowercase letters, digits "
        "and '-', starting with a letter or digit"])


# --- a failed build changes nothing ------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_failed_build_leaves_previous_output_intact(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE, MFILE: GOOD_MAINTENANCE})
    output = tmp_path / "out" / "site"
    first = run_build(source, output)
    assert first.exit_code == 0, first.output
    before = snapshot(output)
    assert "index.html" in before and "incidents/card-payments/index.html" in before
    neighbours = sorted(p.name for p in output.parent.iterdir())

    (source / FILE).write_text(changed(GOOD_UPDATE, "severity: sev2", "severity: sev5"), encoding="utf-8")
    (source / f"{INCIDENT}/1000.md").write_text("---\nat: 2026-11-20T10:00:00Z\nphase: resolved\n---\nok\n",
                                               encoding="utf-8")
    failed = run_build(source, output, "2026-11-27T00:00:00Z")
    assert failed.exit_code == 1
    assert "Traceback" not in failed.output
    assert f"{FILE}:4: severity 'sev5' is not one of sev1, sev2, sev3, sev4" in failed.output.splitlines()
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == neighbours, "no staging folders left behind"


# --- odd but valid: must be accepted ------------------------------------------------------------

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=timezone.utc)


def build_ok(source: Path, output: Path) -> BuildResult:
    result = run_build(source, output)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result


def test_crlf_line_endings_and_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {})
    (source / "statusgen.yml").write_bytes(b"\xef\xbb\xbf" + MINIMAL_CONFIG.replace("\n", "\r\n").encode())
    write_bytes(source, FILE, GOOD_UPDATE.replace("\n", "\r\n").encode())
    write_bytes(source, f"{INCIDENT}/1000.md", b"\xef\xbb\xbf---\nat: 2026-11-20T10:00:00Z\nphase: resolved\n"
                                               b"---\nPayments work again.\n")
    write_bytes(source, MFILE, b"\xef\xbb\xbf" + GOOD_MAINTENANCE.replace("\n", "\r\n").encode())
    result = build_ok(source, tmp_path / "site")
    site, _ = load_site(source, NOW)
    (incident,) = site.incidents
    assert [u.phase for u in incident.updates] == ["investigating", "resolved"]
    assert incident.first.body == "We're investigating failed card payments."
    assert "\r" not in incident.first.body and "\ufeff" not in incident.first.title
    assert site.maintenances[0].component_ids == ("checkout",)
    assert "Card payments failing" in result.read("incidents/card-payments/index.html")


@pytest.mark.parametrize("written, normalised", [
    ("SEV-1", "sev1"), ("sev-2", "sev2"), ("P3", "sev3"), ("p4", "sev4"), ("SEV2", "sev2"), ("Sev 3", "sev3"),
])
def test_severity_spellings_are_accepted(tmp_path: Path, written: str, normalised: str) -> None:
    source = write_site(tmp_path / "src", {FILE: changed(GOOD_UPDATE, "severity: sev2", f"severity: {written}")})
    build_ok(source, tmp_path / "site")
    site, _ = load_site(source, NOW)
    assert site.incidents[0].severity == normalised


def test_timestamp_with_offset_is_accepted_and_stored_as_utc(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: changed(changed(
        GOOD_UPDATE, "at: 2026-11-20T09:30:00Z", "at: 2026-11-20T10:30:00+01:00"),
        "next_update: 2026-11-20T10:00:00Z", "next_update: 2026-11-20T05:00:00-05:00")})
    build_ok(source, tmp_path / "site")
    site, _ = load_site(source, NOW)
    update = site.incidents[0].first
    assert update.at == datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    assert update.next_update == datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def test_unicode_rtl_and_emoji_title_is_kept(tmp_path: Path) -> None:
    title = "فشل الدفع بالبطاقة 💳 — Zahlungen schlagen fehl"
    source = write_site(tmp_path / "src", {FILE: changed(GOOD_UPDATE, "title: Card payments failing",
                                                         f"title: {title}")})
    result = build_ok(source, tmp_path / "site")
    assert title in result.read("incidents/card-payments/index.html")
    assert title in result.read("index.html")
    assert title in result.read("feed.xml")


@pytest.mark.parametrize("written, shown", [("No", "No"), ("yes", "yes"), ("off", "off"), ("1.10", "1.10"),
                                            ("0x1F", "0x1F"), ("2026-11-20", "2026-11-20")])
def test_titles_that_yaml_would_turn_into_other_types_stay_text(tmp_path: Path, written: str, shown: str) -> None:
    source = write_site(tmp_path / "src", {FILE: changed(GOOD_UPDATE, "title: Card payments failing",
                                                         f"title: {written}")})
    result = build_ok(source, tmp_path / "site")
    site, _ = load_site(source, NOW)
    assert site.incidents[0].title == shown
    assert f"<h1>{shown}</h1>" in result.read("incidents/card-payments/index.html")


def test_updates_in_a_nested_folder_are_an_error_not_silently_dropped(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {
        "content/incidents/db/1.md": "---\nat: 2026-11-20T14:05:00Z\nphase: resolved\nseverity: sev2\n"
                                     "title: T\n---\nBody.\n",
        "content/incidents/db/later/2.md": "---\nat: 2026-11-20T15:05:00Z\nphase: resolved\n---\nMore.\n",
    })
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "content/incidents/db/later: folders inside an item folder are not read, so its updates would "
        "never be published; move the .md files up into content/incidents/db/")


# --- the file system in the way (issue 12, item 4): a message, never a traceback ----------------

LOOP = LOOPS  # one wording for a looping link, wherever it is


@pytest.mark.parametrize("link, config", [
    pytest.param(f"{INCIDENT}/1000.md", MINIMAL_CONFIG, id="update-file"),
    pytest.param("content/incidents/looping", MINIMAL_CONFIG, id="item-folder"),
    pytest.param("content/maintenance", MINIMAL_CONFIG, id="content-folder"),
    pytest.param("mytheme/assets/images", MINIMAL_CONFIG + "theme: mytheme\n", id="theme-subfolder"),
])
def test_a_symlink_to_itself_is_reported(tmp_path: Path, link: str, config: str) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE, "mytheme/assets/style.css": "p {}\n"},
                        config=config)
    os.symlink(os.path.basename(link), source / link)
    assert_fails_with(run_build(source, tmp_path / "site"), [f"{link}: {LOOP}"])


def test_a_theme_folder_that_links_to_itself_is_reported(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE}, config=MINIMAL_CONFIG + "theme: mytheme\n")
    os.symlink("mytheme", source / "mytheme")
    assert_fails_with(run_build(source, tmp_path / "site"), [f"statusgen.yml:10: theme folder 'mytheme' {LOOP}"])


def test_an_output_path_that_links_to_itself_is_reported(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    os.symlink("site", tmp_path / "site")
    result = run_build(source, tmp_path / "site")
    assert "Traceback" not in result.output and result.exit_code == 1, result.output
    assert result.output == (f"Error: {tmp_path / 'site'} is a symbolic link that leads nowhere or back to "
                             f"itself; remove it or choose another --output\n")


@pytest.mark.parametrize("folder", ["content/incidents", INCIDENT])
def test_a_folder_that_cannot_be_read_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  folder: str) -> None:
    """chmod 000 denies nothing to root (as these tests often run), so the refusal is simulated."""
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    denied = os.path.realpath(source / folder)
    real_scandir = os.scandir

    def scandir(path: str = ".") -> object:
        if os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert_fails_with(run_build(source, tmp_path / "site"), [f"{folder}: cannot be read: Permission denied"])


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="chmod 000 does not deny reading to root; see the simulated case above")
def test_a_folder_with_no_permissions_is_reported(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    os.chmod(source / INCIDENT, 0)
    try:
        assert_fails_with(run_build(source, tmp_path / "site"), [f"{INCIDENT}: cannot be read: Permission denied"])
    finally:
        os.chmod(source / INCIDENT, 0o755)


@pytest.mark.parametrize("name, config, expected", [
    pytest.param(f"{INCIDENT}/caf\udce9.md", MINIMAL_CONFIG,
                 f"{INCIDENT}/caf\\xe9.md: the name is not valid UTF-8; rename it", id="update-file"),
    pytest.param("content/incidents/caf\udce9/0930.md", MINIMAL_CONFIG,
                 "content/incidents/caf\\xe9: folder name 'caf\\xe9' is not a valid id: use lowercase letters, "
                 "digits and '-', starting with a letter or digit", id="item-folder"),
    pytest.param("mytheme/assets/caf\udce9.css", MINIMAL_CONFIG + "theme: mytheme\n",
                 "mytheme/assets/caf\\xe9.css: the name is not valid UTF-8; rename it", id="theme-asset"),
])
def test_file_names_that_are_not_utf8_are_shown_readably(tmp_path: Path, name: str, config: str,
                                                         expected: str) -> None:
    if os.fsencode("\udce9") != b"\xe9":
        pytest.skip("this file system encoding cannot name a file with the byte 0xe9")
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE}, config=config)
    write_bytes(source, name, GOOD_UPDATE.encode("utf-8"))
    result = run_build(source, tmp_path / "site")
    assert_fails_with(result, [expected])
    result.output.encode("utf-8")  # printable: no lone surrogate left in it


# --- Markdown files that are not named .md (issue 12, item 11): refused, never left out ---------

@pytest.mark.parametrize("name", ["1000.MD", "1000.Md", "1000.markdown", "1000.MARKDOWN", "1000.mdown"])
def test_update_files_not_ending_in_lowercase_md_are_refused(tmp_path: Path, name: str) -> None:
    resolution = "---\nat: 2026-11-20T10:00:00Z\nphase: resolved\n---\nFixed.\n"
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE, f"{INCIDENT}/{name}": resolution})
    assert_fails_with(run_build(source, tmp_path / "site"), [
        f"{INCIDENT}/{name}: update files must end in .md (in lowercase), so this one would never be "
        f"published; rename it to 1000.md"])


def test_markdown_files_outside_an_item_folder_are_reported_in_any_spelling(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE, "content/incidents/notes.markdown": "x\n"})
    assert_fails_with(run_build(source, tmp_path / "site"), [
        "content/incidents/notes.markdown: update files belong in a folder per item: "
        "content/incidents/<id>/notes.markdown"])


# --- a full disk, a read-only output (issue 12, item 7): one line, the previous site intact ------

class FullDisk:
    """A file whose every write fails as on a full disk (the error names no file, as write's)."""

    def __init__(self, *_: object, **__: object) -> None:
        pass

    def __enter__(self) -> "FullDisk":
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("cache", [True, False], ids=["spare", "fresh-folder"])
def test_a_full_disk_is_one_line_and_the_previous_site_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             cache: bool) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    output = tmp_path / "out" / "site"
    extra = [] if cache else ["--no-cache"]
    for now in ("2026-11-26T07:00:00Z", "2026-11-26T07:05:00Z"):  # the second leaves a spare
        assert run_build(source, output, now, *extra).exit_code == 0
    before, neighbours = snapshot(output), sorted(p.name for p in output.parent.iterdir())
    monkeypatch.setattr(statusgen.staging, "open", FullDisk, raising=False)
    result = run_build(source, output, "2026-11-26T08:00:00Z", *extra)
    assert "Traceback" not in result.output and result.exit_code == 1, result.output
    assert re.fullmatch(rf"Error: cannot write {re.escape(str(output))}/\S+: No space left on device; "
                        rf"the previous site is unchanged\n", result.output), result.output
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == [n for n in neighbours if "spare" not in n]


def test_a_read_only_output_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root may write anywhere, so the read-only file system is simulated where staging starts."""
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    output = tmp_path / "site"
    assert run_build(source, output, EXAMPLE_NOW, "--no-cache").exit_code == 0
    before = snapshot(output)

    def read_only(prefix: str = "", dir: str = "", **_: object) -> str:
        raise OSError(errno.EROFS, "Read-only file system", os.path.join(dir, prefix + "abcdefgh"))

    monkeypatch.setattr(statusgen.output.tempfile, "mkdtemp", read_only)
    result = run_build(source, output, "2026-11-26T08:00:00Z", "--no-cache")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.output == f"Error: cannot write {output}: Read-only file system; the previous site is unchanged\n"
    assert snapshot(output) == before


def test_a_first_build_that_cannot_write_says_nothing_was_written(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    monkeypatch.setattr(statusgen.staging, "open", FullDisk, raising=False)
    result = run_build(source, tmp_path / "site")
    assert result.output == (f"Error: cannot write {tmp_path / 'site'}/.statusgen-output: No space left on "
                             f"device; nothing was written\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


# --- staging folders of killed builds (issue 12, item 12): the next build removes them ----------

def staging_folders(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".new-" in p.name)


def test_a_build_killed_while_writing_leaves_staging_that_the_next_build_removes(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    output = tmp_path / "out" / "site"
    assert run_build(source, output).exit_code == 0
    slow = ("import sys, time, statusgen.staging as staging\n"
            "real = staging.write_file\n"
            "def write_file(path, data):\n"
            "    real(path, data)\n"
            "    if path.endswith('index.html'):\n"
            "        print('writing', flush=True); time.sleep(120)\n"
            "staging.write_file = write_file\n"
            "import statusgen.output; statusgen.output.write_file = write_file\n"
            "from statusgen.cli import main\n"
            "main(sys.argv[1:])\n")
    child = subprocess.Popen([sys.executable, "-c", slow, "build", "--source", str(source), "--output", str(output),
                              "--now", "2026-11-26T08:00:00Z", "--no-cache"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        assert len(staging_folders(output.parent)) == 1
    finally:
        child.kill()
        child.wait(timeout=60)
    assert len(staging_folders(output.parent)) == 1, "the killed build left its staging folder"
    result = run_build(source, output, "2026-11-26T09:00:00Z")
    assert result.exit_code == 0, result.output
    assert staging_folders(output.parent) == []


def plant_staging(parent: Path, name: str, marker: bool) -> Path:
    folder = parent / name
    (folder / "incidents").mkdir(parents=True)
    (folder / "index.html").write_text("half a site", encoding="utf-8")
    if marker:
        (folder / ".statusgen-output").write_text("This folder is written by `statusgen build`\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_stale_staging_is_removed_but_nothing_else(tmp_path: Path, cache: bool) -> None:
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    output = tmp_path / "out" / "site"
    output.parent.mkdir()
    plant_staging(output.parent, ".site.new-k1ll3d_x", marker=True)
    plant_staging(output.parent, ".site.new-emptyish", marker=False).joinpath("index.html").unlink()
    shutil.rmtree(output.parent / ".site.new-emptyish")
    (output.parent / ".site.new-emptyish").mkdir()  # killed before it wrote anything
    plant_staging(output.parent, ".site.new-notours1", marker=False)  # someone else's: no marker
    plant_staging(output.parent, ".other.new-k1ll3d_x", marker=True)  # another output's
    (output.parent / ".site.new-alink123").symlink_to(output.parent / ".other.new-k1ll3d_x")
    result = run_build(source, output, EXAMPLE_NOW, *([] if cache else ["--no-cache"]))
    assert result.exit_code == 0, result.output
    assert staging_folders(output.parent) == [".other.new-k1ll3d_x", ".site.new-alink123", ".site.new-notours1"]


def test_staging_of_a_build_writing_now_is_left_alone(tmp_path: Path) -> None:
    """Every build holds a shared lock on the output's parent while it writes; a build removes
    staging folders only when it can take that lock alone."""
    fcntl = pytest.importorskip("fcntl")
    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    output = tmp_path / "out" / "site"
    output.parent.mkdir()
    plant_staging(output.parent, ".site.new-writing1", marker=True)
    handle = os.open(output.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)  # as another build writing beside this one
        assert run_build(source, output, EXAMPLE_NOW, "--no-cache").exit_code == 0
        assert staging_folders(output.parent) == [".site.new-writing1"]
    finally:
        os.close(handle)
    assert run_build(source, output, "2026-11-26T08:00:00Z", "--no-cache").exit_code == 0
    assert staging_folders(output.parent) == []


def test_a_full_disk_while_saving_the_cache_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            private_build_cache: Path) -> None:
    import types

    import statusgen.incremental.stores as stores

    source = write_site(tmp_path / "src", {FILE: GOOD_UPDATE})
    monkeypatch.setattr(stores, "os", types.SimpleNamespace(**{**vars(os), "fdopen": FullDisk}))
    result = run_build(source, tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert [p.name for p in private_build_cache.rglob(".tmp-*")] == [], "no half-written cache file is left"
