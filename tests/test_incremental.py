"""Incremental builds must give exactly the site a cold build gives.

`statusgen build` is incremental: it keeps a build cache outside the repository (in the
folder named by STATUSGEN_CACHE_DIR, by default the user's cache folder) and reuses parsed
files, rendered pages and files of the previous output folder. The requirement that makes this
safe: **a cache must never produce a different site than a cold build.** These tests hold it.

Every comparison is between

- an *incremental* build: the same source folder, the same persistent cache folder and the same
  output folder as the builds before it, and
- a *cold* build of the same content and the same `--now`: a fresh, empty cache folder and a
  fresh output folder,

and asks for byte-identical output folders: the same files with the same bytes (the
`.statusgen-output` marker included), no symbolic links, the same folders and the same
permissions. Hidden siblings of the output folder (a spare folder such as `.site.statusgen-spare`
kept for the next build) are the cache's business and are not compared.

The property test starts from the shipped example, applies random sequences of the edits authors
really make (bodies, titles, severities, new, resolved and deleted incidents, renamed
components, a new `--now`, a touched file, a theme override), rebuilding incrementally after
each, and compares the last incremental build with a cold build. The plain tests below it are readable regression
cases for the situations a cache gets wrong: deleted caches, failed builds, hand-edited output,
a deleted output folder, edits a timestamp check would miss, corrupt caches and shared caches.

Every build here runs with STATUSGEN_CACHE_DIR (and XDG_CACHE_HOME) pointing into a temporary
folder, so the tests never read or write the user's real cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_NOW, REPO
from statusgen.cli import main

MARKER = ".statusgen-output"
OPEN_INCIDENT = "content/incidents/2026-11-26-webhook-delivery-delays"
OPEN_UPDATE = f"{OPEN_INCIDENT}/2026-11-26T0631Z.md"
OPEN_PAGE = "incidents/2026-11-26-webhook-delivery-delays/index.html"
NOW_RANGE = (datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc), datetime(2026, 11, 27, 0, 0, tzinfo=timezone.utc))


# --- Looking at an output folder ----------------------------------------------------------------

def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative posix path → bytes), hidden ones such as the
    `.statusgen-output` marker included. A symbolic link is recorded as its target, never
    followed, so an output that links into the cache does not pass for a cold build's copy."""
    files: dict[str, bytes] = {}
    for parent, folders, names in os.walk(folder):
        for name in names + folders:
            path = Path(parent, name)
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                files[relative] = b"symbolic link to " + os.fsencode(os.readlink(path))
            elif name in names:
                files[relative] = path.read_bytes()
    return files


def layout(folder: Path) -> dict[str, str]:
    """Every folder (with a trailing `/`, the output folder itself as `./`) and file under
    `folder`, with its permissions: an empty folder left behind by a deleted page, or a page the
    web server may not read, is a different site too."""
    entries = {"./": oct(stat.S_IMODE(folder.stat().st_mode))}
    for parent, folders, names in os.walk(folder):
        for name in folders + names:
            path = Path(parent, name)
            mode = path.lstat().st_mode
            relative = path.relative_to(folder).as_posix() + ("/" if stat.S_ISDIR(mode) else "")
            entries[relative] = oct(stat.S_IMODE(mode))
    return entries


def first_difference(a: bytes, b: bytes) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def explain(incremental: dict[str, bytes], cold: dict[str, bytes], paths: list[str]) -> str:
    lines = ["the incremental output differs from a cold build of the same content:"]
    for path in paths:
        mine, theirs = incremental.get(path), cold.get(path)
        if mine is None:
            lines.append(f"  {path}: missing from the incremental output")
        elif theirs is None:
            lines.append(f"  {path}: only in the incremental output ({len(mine)} bytes)")
        else:
            at = first_difference(mine, theirs)
            lines.append(f"  {path}: {len(mine)} vs {len(theirs)} bytes, first difference at byte {at}:"
                         f"\n    incremental: {mine[max(0, at - 60):at + 60]!r}"
                         f"\n    cold:        {theirs[max(0, at - 60):at + 60]!r}")
    return "\n".join(lines)


def assert_same_site(incremental_output: Path, cold_output: Path) -> None:
    mine, theirs = tree(incremental_output), tree(cold_output)
    differing = sorted(p for p in mine.keys() | theirs.keys() if mine.get(p) != theirs.get(p))
    assert differing == [], explain(mine, theirs, differing)
    assert mine == theirs
    assert MARKER in mine
    assert layout(incremental_output) == layout(cold_output), "same files, but not the same folders or permissions"


# --- Building -----------------------------------------------------------------------------------

def run_build(source: Path, output: Path, cache: Path, now: str):  # type: ignore[no-untyped-def]
    """One `statusgen build`, with the build cache in `cache` (the user's cache is never used)."""
    env = {"STATUSGEN_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(cache.parent / f"{cache.name}-xdg")}
    return CliRunner().invoke(main, ["build", "--source", str(source), "--output", str(output), "--now", now],
                              env=env, catch_exceptions=False)


def copy_example(source: Path) -> Path:
    source.mkdir(parents=True)
    shutil.copy(REPO / "statusgen.yml", source / "statusgen.yml")
    shutil.copytree(REPO / "content", source / "content")
    return source


class Workspace:
    """A site being edited and rebuilt: one source folder, one output folder and one cache
    folder that persist across its incremental builds. Cold builds go to fresh folders beside."""

    def __init__(self, root: Path, source: Path | None = None) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.source = source if source is not None else copy_example(root / "source")
        self.output = root / "out" / "site"
        self.cache = root / "cache"
        self.now = EXAMPLE_NOW
        self.added = 0
        self.builds = 0

    def build(self) -> str:
        """An incremental build; it must succeed."""
        self.builds += 1
        result = run_build(self.source, self.output, self.cache, self.now)
        assert result.exit_code == 0, f"incremental build {self.builds} failed:\n{result.output}"
        return result.output

    def failing_build(self) -> str:
        result = run_build(self.source, self.output, self.cache, self.now)
        assert result.exit_code == 1, f"this build should have failed:\n{result.output}"
        return result.output

    def cold_build(self) -> Path:
        """A cold build of the same content and `now`: fresh, empty cache and fresh output folder."""
        fresh = Path(tempfile.mkdtemp(prefix="cold-", dir=self.root))
        (fresh / "cache").mkdir()
        result = run_build(self.source, fresh / "site", fresh / "cache", self.now)
        assert result.exit_code == 0, f"cold build failed:\n{result.output}"
        return fresh / "site"

    def assert_same_as_cold(self) -> None:
        assert_same_site(self.output, self.cold_build())

    # What the edits below pick from, always in a fixed order.

    def update_files(self) -> list[Path]:
        return sorted(p for p in (self.source / "content").glob("*/*/*.md") if p.name != "postmortem.md")

    def postmortems(self) -> list[Path]:
        return sorted((self.source / "content" / "incidents").glob("*/postmortem.md"))

    def incidents(self) -> list[Path]:
        return sorted(p for p in (self.source / "content" / "incidents").iterdir() if p.is_dir())

    def all_files(self) -> list[Path]:
        return sorted(p for p in self.source.rglob("*") if p.is_file())

    def config(self) -> Path:
        return self.source / "statusgen.yml"


def update_files_in(folder: Path) -> list[Path]:
    """The update files of an item folder (its postmortem.md is not one)."""
    return [p for p in folder.glob("*.md") if p.name != "postmortem.md"]


def pick(items: list, index: int):  # type: ignore[no-untyped-def]
    return items[index % len(items)]


def split_front_matter(text: str) -> tuple[str, str]:
    """('---\\n…\\n---\\n', body) of an update file."""
    end = text.index("\n---\n", 3) + len("\n---\n")
    return text[:end], text[end:]


def front_matter_field(text: str, name: str) -> str | None:
    match = re.search(rf"^{name}:[ \t]*(.*)$", split_front_matter(text)[0], re.MULTILINE)
    return match.group(1).strip() if match else None


def parse_instant(value: str) -> datetime:
    return datetime.fromisoformat(value.strip("'\"").replace("Z", "+00:00")).astimezone(timezone.utc)


def instant(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_name(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%MZ.md")


def yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def rel(workspace: Workspace, path: Path) -> str:
    return path.relative_to(workspace.source).as_posix()


# --- Edits an author makes; each keeps the site valid -------------------------------------------

SENTENCES = [
    "We're keeping a close eye on it.",
    "Customers in **Zürich** may have seen a short delay — sorry!",
    "See [our API documentation](https://acme.example/docs/api) for details.",
    "Error rates are < 0.1% & falling; <b>nothing</b> was lost.",
    "顧客への影響はありません。 ✅",
    "- one more thing\n- and another",
    "| region | impact |\n|---|---|\n| EU | none |",
]
TITLES = [
    "Webhooks slow",
    "Card payments failing at checkout",
    "Delays & \"errors\" for <some> customers",
    "Zahlungen verzögert — Überprüfung läuft",
    "Slow API: 99th percentile above 2 s",
]
COMPONENT_NAMES = ["Public REST API", "Pay & Checkout", "Login <SSO>", "Webhooks (v2)", "Auszahlungen"]
SITE_TITLES = ["Acme Status", "Acme Cloud — Status & Incidents", "État des services Acme"]
SEVERITIES = ["sev1", "sev2", "sev3", "sev4"]
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]


@dataclass(frozen=True)
class AppendSentence:
    """Append a paragraph to the body of an update (incident or maintenance)."""
    file: int
    sentence: str

    def apply(self, site: Workspace) -> str:
        path = pick(site.update_files(), self.file)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n\n" + self.sentence + "\n", encoding="utf-8")
        return f"appended {self.sentence!r} to {rel(site, path)}"


@dataclass(frozen=True)
class EditPostmortem:
    """Change a postmortem's summary and flip one action item's `done` (same file size or not)."""
    item: int
    sentence: str

    def apply(self, site: Workspace) -> str:
        if not site.postmortems():
            return "no postmortem left to edit"
        path = pick(site.postmortems(), 0)
        head, body = split_front_matter(path.read_text(encoding="utf-8"))
        flags = list(re.finditer(r"^    done: (true|false)$", head, re.MULTILINE))
        if flags:
            flag = pick(flags, self.item)
            head = head[:flag.start()] + ("    done: false" if flag.group(1) == "true" else "    done: true") \
                + head[flag.end():]
        head = re.sub(r"^summary: >-\n", lambda _: f"summary: >-\n  {self.sentence}\n", head, count=1,
                      flags=re.MULTILINE) if "|" not in self.sentence and "\n" not in self.sentence else head
        path.write_text(head + body, encoding="utf-8")
        return f"edited {rel(site, path)}"


@dataclass(frozen=True)
class ChangeIncidentTitle:
    """Change the title given by an incident's first update."""
    incident: int
    title: str

    def apply(self, site: Workspace) -> str:
        if not site.incidents():
            return "no incident left to retitle"
        folder = pick(site.incidents(), self.incident)
        updates = sorted(update_files_in(folder), key=lambda p: parse_instant(front_matter_field(p.read_text(), "at")))
        first = updates[0]
        head, body = split_front_matter(first.read_text(encoding="utf-8"))
        head, count = re.subn(r"^title:.*$", lambda _: f"title: {yaml_string(self.title)}", head, count=1,
                              flags=re.MULTILINE)
        assert count == 1, f"{first} has no title"
        first.write_text(head + body, encoding="utf-8")
        return f"retitled {rel(site, first)} to {self.title!r}"


@dataclass(frozen=True)
class ChangeSeverity:
    """Reassess an incident: change its first update's severity, spelled as before, so the file
    keeps its size (only the bytes tell the difference)."""
    incident: int
    level: int

    def apply(self, site: Workspace) -> str:
        if not site.incidents():
            return "no incident left to reassess"
        folder = pick(site.incidents(), self.incident)
        first = min(update_files_in(folder), key=lambda p: parse_instant(front_matter_field(p.read_text(), "at")))
        head, body = split_front_matter(first.read_text(encoding="utf-8"))
        head, count = re.subn(r"^(severity:\s*(?:sev-?|p)?)\d", lambda m: f"{m.group(1)}{self.level}", head,
                              count=1, flags=re.MULTILINE | re.IGNORECASE)
        assert count == 1, f"{first} has no severity"
        first.write_text(head + body, encoding="utf-8")
        return f"{rel(site, first)} is now severity {self.level}"


@dataclass(frozen=True)
class AddIncident:
    """Add a new, resolved incident with one or two updates, before EXAMPLE_NOW."""
    day: int
    minute: int
    two_updates: bool
    resolve_after: int
    severity: str
    component: int | None
    status: str
    title: str
    sentence: str

    def apply(self, site: Workspace) -> str:
        site.added += 1
        start = datetime(2026, 11, self.day, tzinfo=timezone.utc) + timedelta(minutes=self.minute)
        incident_id = f"{start:%Y-%m-%d}-added-incident-{site.added}"
        folder = site.source / "content" / "incidents" / incident_id
        folder.mkdir()
        components = ""
        if self.component is not None:
            ids = re.findall(r"^  - id: (\S+)$", site.config().read_text(encoding="utf-8"), re.MULTILINE)
            components = f"components:\n  {pick(ids, self.component)}: {self.status}\n"
        first_phase = "investigating" if self.two_updates else "resolved"
        promise = f"next_update: {instant(start + timedelta(minutes=30))}\n" if self.two_updates else ""
        (folder / file_name(start)).write_text(
            f"---\nat: {instant(start)}\nphase: {first_phase}\nseverity: {self.severity}\n"
            f"title: {yaml_string(self.title)}\n{components}{promise}---\n{self.sentence}\n", encoding="utf-8")
        if self.two_updates:
            end = min(start + timedelta(minutes=self.resolve_after), parse_instant(EXAMPLE_NOW) - timedelta(minutes=1))
            (folder / file_name(end)).write_text(
                f"---\nat: {instant(end)}\nphase: resolved\n---\nThis is resolved. {self.sentence}\n",
                encoding="utf-8")
        return f"added incident {incident_id} ({'two updates' if self.two_updates else 'one update'})"


@dataclass(frozen=True)
class DeleteIncident:
    """Delete a whole incident folder (any incident, even the open one: the site stays valid)."""
    incident: int

    def apply(self, site: Workspace) -> str:
        if not site.incidents():
            return "no incident left to delete"
        folder = pick(site.incidents(), self.incident)
        shutil.rmtree(folder)
        return f"deleted {rel(site, folder)}"


@dataclass(frozen=True)
class ResolveOpenIncident:
    """Resolve an open incident with an update a few minutes after its latest one."""
    incident: int
    minutes_later: int

    def apply(self, site: Workspace) -> str:
        open_ones = []
        for folder in site.incidents():
            updates = [(parse_instant(front_matter_field(p.read_text(), "at")), p) for p in update_files_in(folder)]
            latest_at, latest = max(updates)
            if front_matter_field(latest.read_text(), "phase") != "resolved":
                open_ones.append((folder, latest_at))
        if not open_ones:
            return "no open incident to resolve"
        folder, latest_at = pick(open_ones, self.incident)
        at = latest_at + timedelta(minutes=self.minutes_later)
        if at >= parse_instant(EXAMPLE_NOW) > latest_at + timedelta(minutes=1):
            at = parse_instant(EXAMPLE_NOW) - timedelta(minutes=1)
        path = folder / file_name(at)
        assert not path.exists()
        path.write_text(f"---\nat: {instant(at)}\nphase: resolved\n---\n"
                        "Everything is working normally again. We're sorry for the trouble.\n", encoding="utf-8")
        return f"resolved {rel(site, folder)} with {path.name}"


@dataclass(frozen=True)
class RenameComponent:
    """Change a component's `name:` in statusgen.yml (never its id)."""
    component: int
    name: str

    def apply(self, site: Workspace) -> str:
        text = site.config().read_text(encoding="utf-8")
        match = pick(list(re.finditer(r"^    name: .*$", text, re.MULTILINE)), self.component)
        site.config().write_text(text[:match.start()] + f"    name: {yaml_string(self.name)}" + text[match.end():],
                                 encoding="utf-8")
        return f"renamed component ({match.group().strip()}) to {self.name!r}"


@dataclass(frozen=True)
class ChangeSiteTitle:
    """Change the site's `title:` in statusgen.yml."""
    title: str

    def apply(self, site: Workspace) -> str:
        text = site.config().read_text(encoding="utf-8")
        text, count = re.subn(r"^title: .*$", lambda _: f"title: {yaml_string(self.title)}", text, count=1,
                              flags=re.MULTILINE)
        assert count == 1
        site.config().write_text(text, encoding="utf-8")
        return f"site title is now {self.title!r}"


@dataclass(frozen=True)
class ChangeNow:
    """Build as of another instant between 2026-11-26T06:00Z and 2026-11-27T00:00Z."""
    seconds_after_six: int

    def apply(self, site: Workspace) -> str:
        site.now = instant(NOW_RANGE[0] + timedelta(seconds=self.seconds_after_six))
        return f"--now {site.now}"


@dataclass(frozen=True)
class Touch:
    """Set a source file's modification time without changing its bytes."""
    file: int
    days_after_2001: int

    def apply(self, site: Workspace) -> str:
        path = pick(site.all_files(), self.file)
        moment = datetime(2001, 1, 1, tzinfo=timezone.utc) + timedelta(days=self.days_after_2001)
        os.utime(path, (moment.timestamp(), moment.timestamp()))
        return f"touched {rel(site, path)} ({moment:%Y-%m-%d})"


@dataclass(frozen=True)
class EditTheme:
    """Override the default theme's incident.html with a site theme (README, "Themes"), or edit
    the override again: each time one harmless HTML comment more, inside the page's main block."""
    comment: int

    def apply(self, site: Workspace) -> str:
        override = site.source / "my-theme" / "templates" / "incident.html"
        if not override.exists():
            override.parent.mkdir(parents=True)
            shutil.copy(REPO / "themes" / "default" / "templates" / "incident.html", override)
            with site.config().open("a", encoding="utf-8") as config:
                config.write("theme: my-theme\n")
        text = override.read_text(encoding="utf-8")
        assert "{% block main %}\n" in text
        text = text.replace("{% block main %}\n", f"{{% block main %}}\n<!-- site theme note {self.comment} -->\n", 1)
        override.write_text(text, encoding="utf-8")
        return f"theme override of incident.html, comment {self.comment}"


small = st.integers(min_value=0, max_value=99)
edits = st.one_of(
    st.builds(AppendSentence, small, st.sampled_from(SENTENCES)),
    st.builds(ChangeIncidentTitle, small, st.sampled_from(TITLES)),
    st.builds(EditPostmortem, small, st.sampled_from(SENTENCES)),
    st.builds(ChangeSeverity, small, st.integers(1, 4)),
    st.builds(AddIncident, st.integers(1, 25), st.integers(0, 24 * 60 - 1), st.booleans(), st.integers(5, 600),
              st.sampled_from(SEVERITIES), st.none() | small, st.sampled_from(STATUSES), st.sampled_from(TITLES),
              st.sampled_from(SENTENCES)),
    st.builds(DeleteIncident, small),
    st.builds(ResolveOpenIncident, small, st.integers(1, 25)),
    st.builds(RenameComponent, small, st.sampled_from(COMPONENT_NAMES)),
    st.builds(ChangeSiteTitle, st.sampled_from(SITE_TITLES)),
    st.builds(ChangeNow, st.integers(0, int((NOW_RANGE[1] - NOW_RANGE[0]).total_seconds()))),
    st.builds(Touch, small, st.integers(0, 12000)),
    st.builds(EditTheme, small),
)


# --- The property -------------------------------------------------------------------------------

@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(edits, min_size=1, max_size=4))
# Every kind of edit once on its own, whatever the random draws: 20 random sequences may miss one.
@example(steps=[AppendSentence(34, SENTENCES[1])])  # the open incident's latest update
@example(steps=[ChangeIncidentTitle(2, TITLES[2])])
@example(steps=[ChangeSeverity(9, 2)])  # the open incident, sev3 → sev2
@example(steps=[AddIncident(20, 600, True, 45, "sev2", 4, "partial_outage", TITLES[1], SENTENCES[0])])
@example(steps=[DeleteIncident(3)])
@example(steps=[ResolveOpenIncident(0, 10)])
@example(steps=[RenameComponent(3, COMPONENT_NAMES[3])])
@example(steps=[ChangeSiteTitle(SITE_TITLES[1])])
@example(steps=[ChangeNow(5 * 3600)])  # the open incident's promise is overdue by then
@example(steps=[Touch(0, 9000)])
@example(steps=[EditTheme(1)])
@example(steps=[EditPostmortem(3, SENTENCES[3])])  # the open action item is done now
@example(steps=[ResolveOpenIncident(0, 5), ChangeNow(60), DeleteIncident(0), EditTheme(2)])
def test_incremental_builds_after_random_edits_equal_a_cold_build(steps: list) -> None:
    with tempfile.TemporaryDirectory(prefix="statusgen-incremental-") as root:
        site = Workspace(Path(root))
        site.build()
        for number, edit in enumerate(steps, 1):
            note(f"step {number}: {edit.apply(site)}")
            note(f"  build: {site.build().strip()}")
        site.assert_same_as_cold()


# --- Regression cases ---------------------------------------------------------------------------

def test_cold_builds_are_deterministic(tmp_path: Path) -> None:
    """The oracle: two cold builds of the same content are identical (or nothing here means anything)."""
    site = Workspace(tmp_path)
    assert_same_site(site.cold_build(), site.cold_build())


def test_a_cold_build_here_equals_one_in_a_fresh_process(tmp_path: Path) -> None:
    """Cold builds in this process follow incremental ones; an in-memory cache must not make them
    warm. A fresh process, with another hash seed, must build the very same site."""
    site = Workspace(tmp_path)
    site.build()
    AppendSentence(3, SENTENCES[1]).apply(site)
    site.build()
    fresh = tmp_path / "fresh"
    env = {**os.environ, "STATUSGEN_CACHE_DIR": str(fresh / "cache"), "XDG_CACHE_HOME": str(fresh / "xdg"),
           "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-m", "statusgen", "build", "--source", str(site.source),
                             "--output", str(fresh / "site"), "--now", site.now],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same_site(site.cold_build(), fresh / "site")
    assert_same_site(site.output, fresh / "site")


def test_an_edited_update_shows_up_and_equals_a_cold_build(tmp_path: Path) -> None:
    site = Workspace(tmp_path)
    site.build()
    update = site.source / OPEN_UPDATE
    update.write_text(update.read_text(encoding="utf-8").rstrip("\n") + "\n\nThe second queue is now live.\n",
                      encoding="utf-8")
    site.build()
    assert "The second queue is now live." in (site.output / OPEN_PAGE).read_text(encoding="utf-8")
    site.assert_same_as_cold()


POSTMORTEM = "content/incidents/2026-10-14-api-dashboard-checkout-outage/postmortem.md"
POSTMORTEM_PAGE = "incidents/2026-10-14-api-dashboard-checkout-outage/postmortem/index.html"


def test_an_edited_postmortem_rebuilds_its_pages_and_equals_a_cold_build(tmp_path: Path) -> None:
    site = Workspace(tmp_path)
    site.build()
    pages = {path: (site.output / path).read_bytes() for path in (
        POSTMORTEM_PAGE, "incidents/2026-11-19-checkout-page-errors/index.html", "api/v2/incidents.json")}
    postmortem = site.source / POSTMORTEM
    text = postmortem.read_text(encoding="utf-8")
    assert "    done: false" in text
    postmortem.write_text(text.replace("    done: false", "    done: true").replace(
        "## What went well", "## What went well\n\nThe standby copy was never at risk.", 1), encoding="utf-8")
    site.build()
    page = (site.output / POSTMORTEM_PAGE).read_text(encoding="utf-8")
    assert "The standby copy was never at risk." in page and "Open</td>" not in page
    assert (site.output / "api/v2/incidents.json").read_bytes() != pages["api/v2/incidents.json"]
    # Another incident's page was kept as it was.
    assert (site.output / "incidents/2026-11-19-checkout-page-errors/index.html").read_bytes() == \
        pages["incidents/2026-11-19-checkout-page-errors/index.html"]
    site.assert_same_as_cold()


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path: Path) -> None:
    """Same size, same mtime, different bytes in the body and the front matter (an editor or a
    checkout within one timestamp tick): a cache that trusts size and mtime alone, or keys what
    it parsed by file size, would keep serving the old page."""
    site = Workspace(tmp_path)
    site.build()
    update = site.source / OPEN_UPDATE
    before = update.stat()
    text = update.read_text(encoding="utf-8")
    assert text.count("up to 20 minutes late") == 1 and text.count("next_update: 2026-11-26T07:30:00Z") == 1
    update.write_text(text.replace("up to 20 minutes late", "up to 25 minutes late")
                      .replace("next_update: 2026-11-26T07:30:00Z", "next_update: 2026-11-26T07:35:00Z"),
                      encoding="utf-8")
    os.utime(update, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert update.stat().st_size == before.st_size
    site.build()
    page = (site.output / OPEN_PAGE).read_text(encoding="utf-8")
    assert "up to 25 minutes late" in page and 'data-next-update="2026-11-26T07:35:00Z"' in page
    site.assert_same_as_cold()


@pytest.mark.parametrize("edit_too", [False, True], ids=["unchanged", "edited"])
def test_a_deleted_cache_folder_changes_nothing(tmp_path: Path, edit_too: bool) -> None:
    site = Workspace(tmp_path)
    site.build()
    shutil.rmtree(site.cache, ignore_errors=True)
    if edit_too:
        ChangeIncidentTitle(0, TITLES[2]).apply(site)
    site.build()
    site.assert_same_as_cold()


def test_a_corrupt_cache_is_not_trusted(tmp_path: Path) -> None:
    """Every file in the cache damaged (a crash, a full disk): the next build still succeeds and
    gives the cold build's site."""
    site = Workspace(tmp_path)
    site.build()
    AppendSentence(5, SENTENCES[0]).apply(site)
    site.build()
    for path in sorted(p for p in site.cache.rglob("*") if p.is_file() and not p.is_symlink()):
        size = path.stat().st_size
        path.write_bytes((b"\x00garbage\xff" * (size // 10 + 1))[:max(size // 2, 1)])
    AppendSentence(5, SENTENCES[2]).apply(site)
    site.build()
    site.assert_same_as_cold()


def test_a_failed_build_leaves_the_output_alone_and_the_next_one_recovers(tmp_path: Path) -> None:
    site = Workspace(tmp_path)
    site.build()
    AppendSentence(0, SENTENCES[0]).apply(site)  # so the cache holds something the failure may not spoil
    site.build()
    before, before_layout = tree(site.output), layout(site.output)
    first_update = site.source / OPEN_INCIDENT / "2026-11-26T0552Z.md"
    good = first_update.read_text(encoding="utf-8")
    assert good.count("severity: sev3\n") == 1
    first_update.write_text(good.replace("severity: sev3\n", "severity: sev9\n"), encoding="utf-8")
    failure = site.failing_build()
    assert "sev9" in failure
    assert tree(site.output) == before
    assert layout(site.output) == before_layout
    first_update.write_text(good, encoding="utf-8")
    site.build()
    site.assert_same_as_cold()


@pytest.mark.parametrize("tampering", ["planted-page", "edited-index-same-size-and-mtime", "deleted-page"])
def test_hand_made_changes_to_the_output_are_undone(tmp_path: Path, tampering: str) -> None:
    site = Workspace(tmp_path)
    site.build()
    AppendSentence(0, SENTENCES[0]).apply(site)  # two builds, so a cache has a previous output to reuse
    site.build()
    if tampering == "planted-page":
        (site.output / "incidents" / "x").mkdir()
        (site.output / "incidents" / "x" / "evil.html").write_text("<script>alert(1)</script>\n")
    elif tampering == "edited-index-same-size-and-mtime":
        index = site.output / "index.html"
        before = index.stat()
        data = index.read_bytes()
        assert b"Degraded" in data
        index.write_bytes(data.replace(b"Degraded", b"Defaced!"))
        os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
    else:
        (site.output / OPEN_PAGE).unlink()
    site.build()
    assert not (site.output / "incidents" / "x").exists()
    site.assert_same_as_cold()
    AppendSentence(7, SENTENCES[3]).apply(site)  # and once more with an input changed
    if tampering == "planted-page":
        (site.output / "incidents" / "x").mkdir()
        (site.output / "incidents" / "x" / "evil.html").write_text("<script>alert(1)</script>\n")
    site.build()
    site.assert_same_as_cold()


def test_a_deleted_output_folder_is_built_again_in_full(tmp_path: Path) -> None:
    site = Workspace(tmp_path)
    site.build()
    AppendSentence(2, SENTENCES[4]).apply(site)
    site.build()
    shutil.rmtree(site.output)
    site.build()
    site.assert_same_as_cold()
    shutil.rmtree(site.output)
    DeleteIncident(1).apply(site)
    site.build()
    site.assert_same_as_cold()


def test_sites_and_outputs_sharing_one_cache_folder_do_not_mix(tmp_path: Path) -> None:
    """The default cache folder is per user, not per site: builds of different sites, and of the
    same site into another output at another `now` (a preview), meet in it and must not borrow
    from each other."""
    first = Workspace(tmp_path / "first")
    second = Workspace(tmp_path / "second")
    preview = Workspace(tmp_path / "preview", source=first.source)
    second.cache = preview.cache = first.cache
    ChangeSiteTitle(SITE_TITLES[2]).apply(second)
    AppendSentence(4, SENTENCES[6]).apply(second)
    preview.now = "2026-11-26T09:15:00Z"
    for site in (first, second, preview):
        site.build()
    for site in (first, second, preview):
        site.assert_same_as_cold()
    AppendSentence(4, SENTENCES[6]).apply(first)  # now the same bytes as in the second site
    RenameComponent(0, COMPONENT_NAMES[1]).apply(second)
    for site in (first, second, preview):
        site.build()
    for site in (first, second, preview):
        site.assert_same_as_cold()


def test_two_sites_taking_turns_in_one_output_folder(tmp_path: Path) -> None:
    first = Workspace(tmp_path / "first")
    second = Workspace(tmp_path / "second")
    second.output = first.output
    ChangeIncidentTitle(9, TITLES[0]).apply(second)
    for site in (first, second, first, second):
        site.build()
        site.assert_same_as_cold()
    AppendSentence(34, SENTENCES[2]).apply(first)
    first.build()
    first.assert_same_as_cold()


@pytest.fixture(autouse=True)
def quick_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache trusts its copy of a file only if the file was last changed RACY_SECONDS before
    it was read; tests edit and build within milliseconds, so a shorter margin (still far above
    the file system clock's tick) lets them exercise the copies too."""
    from statusgen.incremental.stores import SourceCopies
    monkeypatch.setattr(SourceCopies, "RACY_SECONDS", 0.05)


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from statusgen.source.files import SiteFiles

    reads: list[str] = []
    real = SiteFiles.read_bytes

    def counting(self, path, shown, problems, *args):  # type: ignore[no-untyped-def]
        if shown.startswith("content/"):  # statusgen.yml and the theme are read on every build
            reads.append(shown)
        return real(self, path, shown, problems, *args)

    monkeypatch.setattr(SiteFiles, "read_bytes", counting)
    source, output, cache = tmp_path / "site", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(REPO / "content", source / "content")
    shutil.copy(REPO / "statusgen.yml", source)
    time.sleep(0.1)
    env = {"STATUSGEN_CACHE_DIR": str(cache)}
    runner = CliRunner()

    def build(now: str) -> None:
        result = runner.invoke(main, ["build", "--source", str(source), "--output", str(output), "--now", now],
                               env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output

    build(EXAMPLE_NOW)
    files = sorted(p.relative_to(source).as_posix() for p in (source / "content").rglob("*.md"))
    assert sorted(reads) == files
    reads.clear()
    build("2026-11-26T07:05:00Z")
    assert reads == []  # every file comes from the cache's copies
    update = source / OPEN_UPDATE
    update.write_text(update.read_text(encoding="utf-8").replace("We've", "We have"), encoding="utf-8")
    time.sleep(0.1)
    build("2026-11-26T07:10:00Z")
    assert reads == [OPEN_UPDATE]
    cold = tmp_path / "cold"
    assert runner.invoke(main, ["build", "--source", str(source), "--output", str(cold), "--now",
                                "2026-11-26T07:10:00Z", "--no-cache"]).exit_code == 0
    assert tree(output) == tree(cold)


def test_a_parallel_cold_build_saves_every_rendered_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site renders its pages in forked workers; the Markdown bodies they render must
    reach the parent's cache all the same (they once stayed in the workers' memory: 455 of 988
    bodies of a 1,000-update site were saved)."""
    from statusgen.incremental.digests import markdown_key
    from statusgen.render import workers
    from statusgen.render.markdown import MarkdownRenderer
    from statusgen.source.load import load_site

    sys.path.insert(0, str(REPO / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    source, cache = tmp_path / "site", tmp_path / "cache"
    assert generate.main(["--updates", "1000", "--out", str(source)]) == 0
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # forked workers even on a one-core machine
    result = run_build(source, tmp_path / "out", cache, generate.NOW_ARG)
    assert result.exit_code == 0, result.output
    pages = int(re.search(r"into (\d+) pages", result.output).group(1))  # type: ignore[union-attr]
    assert pages >= workers.PARALLEL_MIN_PAGES

    site, _ = load_site(source, datetime.fromisoformat(generate.NOW_ARG.replace("Z", "+00:00")))
    bodies = {update.body for item in [*site.incidents, *site.maintenances] for update in item.updates}
    [saved_file] = cache.rglob("markdown.json")
    saved = json.loads(saved_file.read_bytes())["entries"]
    missing = [body for body in bodies if markdown_key(body) not in saved]
    assert missing == [], f"{len(missing)} of {len(bodies)} rendered bodies were not saved"
    fresh = MarkdownRenderer()
    assert all(saved[markdown_key(body)] == fresh.render(body) for body in bodies)


def test_a_second_build_parses_no_unchanged_item_again(example_source: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse cache really hits: every item of the example (updates with and without a
    `postmortem:` link, and a postmortem.md) comes back from the cache, none is parsed again."""
    from conftest import run_build
    from statusgen.source import items
    parsed: list[str] = []
    real = items.parse_item
    monkeypatch.setattr(items, "parse_item", lambda folder, item_id, *rest: parsed.append(item_id) or
                        real(folder, item_id, *rest))
    first = run_build(example_source, tmp_path / "site")
    assert first.exit_code == 0, first.output
    assert len(parsed) >= 10 and any((example_source / "content/incidents" / i / "postmortem.md").exists()
                                     for i in parsed)
    parsed.clear()
    second = run_build(example_source, tmp_path / "site")
    assert second.exit_code == 0, second.output
    assert parsed == []
