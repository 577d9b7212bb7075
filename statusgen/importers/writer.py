"""The shared half of every importer: an ImportPlan (plan.py) → statusgen.yml and update files.

An importer describes what it read as an `ImportPlan` (the site, its components, its incidents,
and notes on whatever it could not map). `write_plan` then:

- creates statusgen.yml when the site has none, or adds the components it lacks to the existing
  one (by inserting lines at the end of its `components:` list, so comments and layout stay);
- renders every incident's updates as Markdown files with YAML front matter, and loads them
  back exactly as `statusgen build` would before writing anything, so no import leaves a site
  that does not build;
- writes everything into a staging folder inside the site, then moves it into place
  (statusgen.yml first, then one incident folder at a time), taking it back when anything fails;
- never overwrites a file. An incident folder that already holds exactly the files this import
  would write (an earlier run of the same import) is left as it is, so running an import twice
  creates nothing the second time; a folder with other content is reported and left alone.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from ..source.load import CONFIG_FILE, INCIDENTS_DIR, config_from_text, incident_problems
from ..source.fields import ID_PATTERN, parse_timestamp
from ..model import SiteConfig
from ..problems import ImportFailed, Problem
from ..wording import yaml_quote
from .inputs import Note, read_bytes
from .plan import (ImportedComponent, ImportedIncident, ImportedUpdate, ImportPlan, ImportResult,
                   SiteDraft)

# --- rendering -----------------------------------------------------------------------------------

def iso(moment: datetime) -> str:
    """An instant as ISO 8601 in UTC, with microseconds only when it has them."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{utc.microsecond:06d}" if utc.microsecond else "") + "Z"


def _timestamp_text(moment: datetime, spelled: str | None) -> str:
    if spelled is not None:
        parsed, _ = parse_timestamp(spelled)
        if parsed is not None and parsed == moment:
            return spelled
    return iso(moment)


def render_update(update: ImportedUpdate) -> str:
    """One update file: YAML front matter, then the body."""
    lines = ["---", f"at: {_timestamp_text(update.at, update.at_text)}", f"phase: {update.phase}"]
    if update.severity:
        lines.append(f"severity: {update.severity}")
    if update.title:
        lines.append(f"title: {yaml_quote(update.title)}")
    if update.components:
        lines.append("components:")
        lines += [f"  {cid}: {status}" for cid, status in update.components.items()]
    if update.started_at:
        lines.append(f"started_at: {iso(update.started_at)}")
    if update.next_update and update.phase != "resolved":
        lines.append(f"next_update: {iso(update.next_update)}")
    lines.append("---")
    body = update.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")


def update_files(incident: ImportedIncident) -> dict[str, str]:
    """{file name: text}; names sort in time order (2026-11-26T073105Z.md)."""
    files: dict[str, str] = {}
    for update in incident.updates:
        stem = update.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
        name, n = f"{stem}.md", 2
        while name in files:
            name, n = f"{stem}-{n}.md", n + 1
        files[name] = render_update(update)
    return files


def _unwritable(text: str, file: str) -> Problem | None:
    """A problem when `text` cannot be saved as UTF-8 (a lone surrogate an importer let through)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        line = text[:error.start].count("\n") + 1
        return Problem(file, line, None, f"holds the character U+{ord(text[error.start]):04X}, which cannot be saved")
    return None


def check_incident(incident_id: str, files: Mapping[str, str], component_ids: Sequence[str]) -> list[Problem]:
    """What `statusgen build` would say about these files, loaded exactly as it loads them."""
    unwritable = [p for name, text in files.items()
                  if (p := _unwritable(text, f"{INCIDENTS_DIR}/{incident_id}/{name}")) is not None]
    if unwritable:
        return unwritable
    problems = incident_problems(incident_id, files, component_ids)
    if not ID_PATTERN.match(incident_id) or len(incident_id) > 100:
        problems.append(Problem(f"{INCIDENTS_DIR}/{incident_id}", None, "id", f"'{incident_id}' is not a valid id"))
    return problems


def render_config(site: SiteDraft, components: Sequence[ImportedComponent]) -> str:
    """A new statusgen.yml for `site` with `components`."""
    lines = [f"# statusgen site configuration, made by `statusgen import` from {site.origin}.",
             "# Check title, base_url and the components (see README.md, \"Site configuration\").",
             f"title: {yaml_quote(site.title)}",
             f"base_url: {yaml_quote(site.base_url)}"]
    if site.description:
        lines.append(f"description: {yaml_quote(site.description)}")
    if site.timezone:
        lines.append(f"timezone: {yaml_quote(site.timezone)}")
    lines.append("components:")
    lines += component_lines(components, "  ")
    return "\n".join(lines) + "\n"


def component_lines(components: Iterable[ImportedComponent], indent: str) -> list[str]:
    """The YAML lines of `components` as items of a block list, indented by `indent`."""
    lines = []
    for component in components:
        lines += [f"{indent}- id: {component.id}", f"{indent}  name: {yaml_quote(component.name)}"]
        if component.group:
            lines.append(f"{indent}  group: {yaml_quote(component.group)}")
        if component.description:
            lines.append(f"{indent}  description: {yaml_quote(component.description)}")
    return lines


def add_components(text: str, components: Sequence[ImportedComponent]) -> str | None:
    """statusgen.yml's text with `components` appended to its `components:` list, everything else
    as it was; None when the list is not a plain block list this can safely extend."""
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if re.match(r"^components:\s*(#.*)?$", line)), None)
    if start is None:
        return None
    last, indent = start, None
    for n in range(start + 1, len(lines)):
        line = lines[n]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith((" ", "-")):
            break
        last = n
        if indent is None and stripped.startswith("- "):
            indent = line[:len(line) - len(line.lstrip())]
    if indent is None:
        return None
    return "\n".join(lines[:last + 1] + component_lines(components, indent) + lines[last + 1:])


def _config_problems(text: str) -> tuple[SiteConfig | None, list[Problem]]:
    unwritable = _unwritable(text, CONFIG_FILE)
    if unwritable is not None:
        return None, [unwritable]
    problems: list[Problem] = []
    config = config_from_text(text, problems)
    return config, problems


# --- planning the writes -------------------------------------------------------------------------

@dataclass
class _Writes:
    """Every file an import will write, decided and checked before the first one is written."""

    config_text: str | None = None
    """statusgen.yml's new text, or None when it stays as it is."""
    config_existed: bool = False
    incidents: list[tuple[ImportedIncident, dict[str, str], bool]] = field(default_factory=list)
    """(incident, {file name: text} to write, whether its folder exists already)."""


def write_plan(source_dir: Path, plan: ImportPlan, config: SiteConfig | None) -> ImportResult:
    """Write what `plan` describes into the site in `source_dir`, never overwriting a file.

    Every file is rendered and checked as `statusgen build` would load it first; then all of them
    are written into a staging folder inside the site and moved into place (statusgen.yml first,
    then one incident folder at a time), so a refused plan or a failure leaves the site as it was.
    """
    result = ImportResult(incidents_total=len(plan.incidents), notes=list(plan.notes))
    writes = _Writes(config_existed=config is not None)
    known = _plan_config(source_dir, plan, config, writes, result)
    for incident in plan.incidents:
        _plan_incident(source_dir, incident, known, writes, result)
    if writes.config_text is not None or writes.incidents:
        commit(source_dir, writes)
    if writes.config_text is not None:
        missing = [c for c in plan.components if config is None or c.id not in {k.id for k in config.components}]
        result.config_created = config is None
        result.components_added = [c.id for c in missing]
        if config is None:
            result.created.append(CONFIG_FILE)
    for incident, files, existed in writes.incidents:
        result.created += [f"{INCIDENTS_DIR}/{incident.id}/{name}" for name in files]
        (result.incidents_completed if existed else result.incidents_created).append(incident.id)
    return result


def _plan_config(source_dir: Path, plan: ImportPlan, config: SiteConfig | None, writes: _Writes,
                 result: ImportResult) -> set[str]:
    """Decide statusgen.yml's new text (into `writes`); the component ids the incidents may use."""
    known = {c.id for c in config.components} if config is not None else set()
    missing = [c for c in plan.components if c.id not in known]
    config_text: str | None = None
    if config is None:
        if not plan.components:
            raise ImportFailed([f"no components to put in a new {CONFIG_FILE}: the export names none; "
                                f"create {CONFIG_FILE} with your components first"])
        config_text = render_config(plan.site, plan.components)
    elif missing:
        config_text = add_components((source_dir / CONFIG_FILE).read_text(encoding="utf-8"), missing)
        if config_text is None:
            result.errors.append(Note(CONFIG_FILE, (
                "cannot add components automatically (its `components:` is not a block list); add these "
                "by hand and import again: " + "; ".join(f"id {c.id}, name {c.name!r}" for c in missing))))
    if config_text is None:
        return known
    new_config, problems = _config_problems(config_text)
    if new_config is None or problems:
        result.errors += [Note(CONFIG_FILE, f"the components to add would make it invalid: {p}")
                          for p in problems] or [Note(CONFIG_FILE, "the components to add would make it invalid")]
        return known
    writes.config_text = config_text
    return {c.id for c in new_config.components}


def _plan_incident(source_dir: Path, incident: ImportedIncident, known: set[str], writes: _Writes,
                   result: ImportResult) -> None:
    """Add the incident's files its folder lacks to `writes`, once they are known to build; an
    error instead when they would not, or when its folder holds other updates."""
    files = update_files(incident)
    problems = check_incident(incident.id, files, sorted(known))
    if problems:
        result.errors += [Note(incident.source, f"would not build, not imported: {p}") for p in problems]
        return
    folder = source_dir / INCIDENTS_DIR / incident.id
    present = {p.name for p in folder.glob("*.md") if not p.name.startswith(".")} if folder.is_dir() else set()
    if present and (not present <= set(files) or any(not _holds(folder / name, files[name]) for name in present)):
        result.errors.append(Note(incident.source, (
            f"{INCIDENTS_DIR}/{incident.id}/ already exists with other updates; left alone, not imported")))
        return
    todo = {name: text for name, text in files.items() if name not in present}
    if not todo:
        result.incidents_unchanged.append(incident.id)
        return
    writes.incidents.append((incident, todo, folder.exists()))


def _holds(path: Path, text: str) -> bool:
    """Whether `path` is a file holding exactly `text` (anything unreadable does not)."""
    try:
        return read_bytes(path, path.name, limit=len(text.encode("utf-8"))) == text.encode("utf-8")
    except ImportFailed:
        return False


# --- writing ---------------------------------------------------------------------------------------

STAGING_PREFIX = ".statusgen-import-"
"""An import's staging folder inside the site: `.statusgen-import-<random>/`, removed when it ends
(and, should an import be killed, by the next one)."""


def commit(source_dir: Path, writes: _Writes) -> None:
    """Write everything in `writes` into a staging folder inside the site, then move it into place.

    statusgen.yml goes first (new components, used by nothing yet, still build), then each incident
    folder in one rename (or, for a folder an interrupted import left, file by file, never
    replacing one). Should anything fail, what was moved is taken back and the error raised.
    """
    created_dirs = _make_dirs(source_dir)
    for stale in source_dir.glob(STAGING_PREFIX + "*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=source_dir))
    undo: list[Callable[[], None]] = []
    try:
        _stage(staging, writes)
        if writes.config_text is not None:
            _place_config(source_dir, staging, writes, undo)
        incidents_dir = source_dir / INCIDENTS_DIR
        for incident, files, _ in writes.incidents:
            staged, folder = staging / INCIDENTS_DIR / incident.id, incidents_dir / incident.id
            created_dirs += _make_dirs(incidents_dir)
            if not folder.exists():
                os.rename(staged, folder)
                undo.append(lambda folder=folder: shutil.rmtree(folder, ignore_errors=True))
                continue
            for name in files:
                _place_new(staged / name, folder / name)
                undo.append(lambda path=folder / name: path.unlink(missing_ok=True))
    except BaseException:
        for step in reversed(undo):
            step()
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(created_dirs):
            _remove_if_empty(folder)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _stage(staging: Path, writes: _Writes) -> None:
    if writes.config_text is not None:
        _write_new(staging / CONFIG_FILE, writes.config_text)
    for incident, files, _ in writes.incidents:
        for name, text in files.items():
            _write_new(staging / INCIDENTS_DIR / incident.id / name, text)


def _place_config(source_dir: Path, staging: Path, writes: _Writes, undo: list[Callable[[], None]]) -> None:
    target = source_dir / CONFIG_FILE
    if not writes.config_existed:
        _place_new(staging / CONFIG_FILE, target)
        undo.append(lambda: target.unlink(missing_ok=True))
        return
    original = staging / f"{CONFIG_FILE}.before-import"
    shutil.copy2(target, original)  # adding to the user's file: the only file an import ever changes
    os.replace(staging / CONFIG_FILE, target)
    undo.append(lambda: os.replace(original, target))


def _place_new(staged: Path, target: Path) -> None:
    """Move `staged` to `target`, which must not exist (a hard link refuses atomically)."""
    try:
        os.link(staged, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", str(target))
        os.rename(staged, target)


def _make_dirs(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; the ones created, outermost first."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()][::-1]
    for path in missing:
        path.mkdir()
    return missing


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; never replaces an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
