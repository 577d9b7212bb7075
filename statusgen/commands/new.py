"""`statusgen new incident|update|maintenance`: writes the next update for you (`statusgen init`,
which scaffolds a site, is commands/init.py).

Updates are written from Jinja2 templates in `authoring_templates/` (acknowledgement, progress,
resolution, maintenance); a site overrides any of them with a file of the same name in its own
`templates/` folder. The output is Markdown with YAML front matter, so autoescaping is off and
every free-text value goes into YAML through the `yaml` filter instead: a JSON string is a valid
YAML double-quoted scalar, so `: `, `#` and quotes in a title stay text. Every other value
(ids, statuses, phases, times) is checked against a fixed set or pattern before it gets there.

A written file is loaded back exactly as `statusgen build` loads it; if it would not build (a
site's own template can get things wrong) it is removed again and the problems are reported.

Variables the templates get:

- every template: `at` (ISO 8601, UTC), `phase`, `title` (raw: use `| yaml`), `components`
  (incidents: {id: status}), `affected` ("Checkout and Public API"), `affected_plural`, `affected_count` (for ngettext),
  `site_title`, and a `yaml` filter;
- incidents: `incident_id`, `severity` (sev1..sev4), `severity_name`, `next_update` (ISO, None
  when resolved), `next_update_text` ("14:35 CET": in the site's `timezone`, as the pages show
  it, with the date when it is another day there), `title_changed` (a later update names the title only when it changes), `postmortem_expected`
  (SEV-1/SEV-2 resolutions), `postmortem_due_days`;
- maintenance: `maintenance_id`, `window_start`, `window_end` (ISO), `window_text`
  ("on 3 December 2026 from 03:00 to 05:00 CET", in the site's `timezone`), `component_ids`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

import click
import jinja2

from ..source.load import CONFIG_FILE, INCIDENTS_DIR, MAINTENANCE_DIR, item_problems, load_config, load_incidents
from ..source.fields import ID_PATTERN, ID_RULE, suggest
from ..source.placeholders import BUILTIN_TEMPLATES_DIR, SITE_TEMPLATES_DIR, is_placeholder_problem
from ..source.files import read_site_template
from ..model import SiteConfig, iso_utc
from ..vocabulary import (INCIDENT_PHASES, INCIDENT_STATUSES, SEVERITIES, SEVERITY_ALIASES, SEVERITY_HINTS,
                          SEVERITY_NAMES)
from ..problems import AuthoringError, BuildFailed, Problem, cannot_write
from ..language import ENGLISH, Language
from ..wording import one_of, slug, yaml_quote

TEMPLATES_DIR = BUILTIN_TEMPLATES_DIR

MAX_TITLE_LENGTH = 300
MAX_ID_LENGTH = 100


@dataclass(frozen=True)
class Created:
    """A file `statusgen new` wrote, and problems elsewhere in the site worth mentioning."""

    path: Path
    warnings: tuple[str, ...] = field(default=())


# --- statusgen new incident / update / maintenance ---------------------------------------------

def new(source_dir: Path, now: datetime, edit: bool, write: Callable[[datetime], Created]) -> None:
    """Run one `statusgen new` command: `write` the file at `now`, print its path (and warnings
    about the rest of the site); with `edit`, open it in $EDITOR and check it again after."""
    try:
        created = write(now)
    except OSError as error:
        raise cannot_write(error)
    for warning in created.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(created.path)
    if edit:
        click.edit(filename=str(created.path))
        problems = problems_in(source_dir, created.path, now)
        if problems:
            left = any(is_placeholder_problem(p) for p in problems)
            advice = " (replace the template's [bracketed] hints)" if left else ""
            raise BuildFailed(problems, f"{created.path} was saved but does not build yet; "
                                        f"fix it{advice} before you publish.")


def new_incident(source_dir: Path, incident_id: str, title: str, severity: str,
                 components: Sequence[str], now: datetime, front_matter: Sequence[str] = ()) -> Created:
    """Write the first update of a new incident from the acknowledgement template; `front_matter`
    lines (an alert's detected_at, say: commands/from_alert.py) go at the end of its front matter."""
    config = _load_config(source_dir)
    errors: list[str] = []
    _check_new_id(source_dir, INCIDENTS_DIR, "incident", incident_id, errors,
                  f"add to it with `statusgen new update {incident_id} --phase ...`, or choose another id")
    title = _check_title(title, errors)
    level = _check_severity(severity, errors)
    statuses = _check_statuses(components, config, errors)
    if errors:
        raise AuthoringError(errors)
    context = _incident_context(config, incident_id, "investigating", level, title, statuses)
    return _write_incident(source_dir, config, incident_id, "acknowledgement.md", context, [], now, front_matter)


def new_update(source_dir: Path, incident_id: str, phase: str, now: datetime, severity: str | None = None,
               components: Sequence[str] = (), title: str | None = None, reopen: bool = False) -> Created:
    """Write the next update of an incident from the progress (or, to resolve it, the resolution)
    template, pre-filled with the incident's current severity and component statuses. An update
    that would reopen a resolved incident needs `reopen`."""
    config = _load_config(source_dir)
    problems: list[Problem] = []
    incidents = {i.id: i for i in load_incidents(source_dir, [c.id for c in config.components], problems)}
    folder = f"{INCIDENTS_DIR}/{incident_id}/"
    own = [p for p in problems if p.file.startswith(folder)]
    if own:
        raise BuildFailed(own)
    errors: list[str] = []
    incident = incidents.get(incident_id)
    if incident is None:
        open_ids = sorted((i.id for i in incidents.values() if i.is_open), reverse=True)
        errors.append(f"incident '{incident_id}' does not exist in {INCIDENTS_DIR}/"
                      f"{suggest(incident_id, sorted(incidents))}; {_known(open_ids, 'open incidents')}; "
                      f"start a new one with `statusgen new incident`")
    if phase not in INCIDENT_PHASES:
        errors.append(f"--phase '{phase}' is not one of {one_of(INCIDENT_PHASES)}"
                      f"{suggest(phase, INCIDENT_PHASES)}")
    level = _check_severity(severity, errors) if severity is not None else None
    new_title = _check_title(title, errors) if title is not None else None
    given = _check_statuses(components, config, errors)
    if incident is not None and not incident.is_open and phase in INCIDENT_PHASES and phase != "resolved" \
            and not reopen:
        errors.append(_reopen_refusal(incident, phase))
    if errors or incident is None:
        raise AuthoringError(errors)
    current = dict(incident.latest.components)
    if phase == "resolved":
        current = dict.fromkeys(current, "operational")
    statuses = {**current, **given}
    context = _incident_context(config, incident_id, phase, level or incident.severity,
                                new_title or incident.title, statuses)
    context["title_changed"] = new_title is not None and new_title != incident.title
    template = "resolution.md" if phase == "resolved" else "progress.md"
    created = _write_incident(source_dir, config, incident_id, template, context,
                              [u.at for u in incident.updates], now)
    others = sorted({p.file for p in problems})
    return Created(created.path, tuple(f"{file} has problems; `statusgen build` fails until they are "
                                       f"fixed" for file in others))


def new_maintenance(source_dir: Path, maintenance_id: str, title: str, start: datetime, end: datetime,
                    components: Sequence[str], now: datetime) -> Created:
    """Write the announcement (phase scheduled) of a new maintenance."""
    config = _load_config(source_dir)
    errors: list[str] = []
    _check_new_id(source_dir, MAINTENANCE_DIR, "maintenance", maintenance_id, errors, "choose another id")
    title = _check_title(title, errors)
    if end <= start:
        errors.append(f"--end {iso_utc(end)} must be later than --start {iso_utc(start)}")
    known = [c.id for c in config.components]
    ids: list[str] = []
    if not components:
        errors.append(f"--component is required: name each component the maintenance affects "
                      f"(repeat the option for several); known: {one_of(known)}")
    for raw in components:
        component_id = raw.strip()
        if "=" in component_id:
            errors.append(f"--component '{raw}': a maintenance takes component ids only, like "
                          f"--component {known[0]}; its components show under_maintenance during the window")
        elif component_id not in known:
            errors.append(f"--component '{component_id}' is not defined in {CONFIG_FILE}"
                          f"{suggest(component_id, known)}; known: {one_of(known)}")
        elif component_id not in ids:
            ids.append(component_id)
    if errors:
        raise AuthoringError(errors)
    folder = source_dir / MAINTENANCE_DIR / maintenance_id
    at = _free_moment([], now, folder)
    context = {
        **_common_context(config, "scheduled", title, ids),
        "at": iso_utc(at),
        "maintenance_id": maintenance_id,
        "component_ids": ids,
        "window_start": iso_utc(start),
        "window_end": iso_utc(end),
        "window_text": config.words.window_text(start, end, ZoneInfo(config.timezone)),
    }
    path = folder / file_name(at)
    _write(path, render_template(source_dir, "maintenance.md", context, config.words))
    _verify(source_dir, config, path, now, maintenance=True)
    return Created(path)


# --- checking the input ------------------------------------------------------------------------

def _load_config(source_dir: Path) -> SiteConfig:
    problems: list[Problem] = []
    config = load_config(source_dir, problems)
    if config is None or problems:
        raise BuildFailed(problems)
    return config


def _check_new_id(source_dir: Path, folder: str, kind: str, item_id: str, errors: list[str],
                  advice: str) -> None:
    """A valid id that no incident (or maintenance) in `folder` has yet; `advice` ends the
    message when one has."""
    _check_id(item_id, kind, errors)
    if not errors and _has_updates(source_dir / folder / item_id):
        errors.append(f"{kind} '{item_id}' already exists ({folder}/{item_id}/); {advice}")


def _check_id(value: str, kind: str, errors: list[str]) -> None:
    if ID_PATTERN.match(value) and len(value) <= MAX_ID_LENGTH:
        return
    fixed = slug(value)[:MAX_ID_LENGTH]
    hint = f" (did you mean '{fixed}'?)" if fixed and fixed != value else ""
    if len(value) > MAX_ID_LENGTH:
        errors.append(f"{kind} id is {len(value)} characters long; at most {MAX_ID_LENGTH} are allowed")
    else:
        errors.append(f"{kind} id '{value}' is not a valid id: use {ID_RULE}{hint}")


def _check_title(value: str, errors: list[str]) -> str:
    title = value.strip()
    if not title:
        errors.append("--title must not be empty")
    elif not title.isprintable():
        errors.append("--title must be one line of text, without line breaks, tabs or control characters")
    elif len(title) > MAX_TITLE_LENGTH:
        errors.append(f"--title is {len(title)} characters long; at most {MAX_TITLE_LENGTH} are allowed")
    return title


def _check_severity(value: str, errors: list[str]) -> str:
    level = SEVERITY_ALIASES.get(value.strip().lower())
    if level is None:
        errors.append(f"--severity '{value}' is not one of {one_of(SEVERITIES)} (SEV-1, sev-1 and P1 "
                      f"spellings work too){suggest(value, SEVERITIES, SEVERITY_HINTS)}")
        return SEVERITIES[0]
    return level


def _check_statuses(components: Sequence[str], config: SiteConfig, errors: list[str]) -> dict[str, str]:
    """`id=status` options → {id: status}, in the order given (a later one for the same id wins)."""
    known = [c.id for c in config.components]
    statuses: dict[str, str] = {}
    for raw in components:
        component_id, sep, status = (part.strip() for part in raw.partition("="))
        if not sep:
            errors.append(f"--component '{raw}' must be written id=status, like "
                          f"{known[0]}=partial_outage; statuses: {one_of(INCIDENT_STATUSES)}")
            continue
        ok = True
        if component_id not in known:
            errors.append(f"--component '{raw}': component '{component_id}' is not defined in "
                          f"{CONFIG_FILE}{suggest(component_id, known)}; known: {one_of(known)}")
            ok = False
        if status not in INCIDENT_STATUSES:
            hint = ("; under_maintenance comes from scheduled maintenance (statusgen new maintenance)"
                    if status == "under_maintenance" else suggest(status, INCIDENT_STATUSES))
            errors.append(f"--component '{raw}': status '{status}' is not one of "
                          f"{one_of(INCIDENT_STATUSES)}{hint}")
            ok = False
        if ok:
            statuses[component_id] = status
    return statuses


def _reopen_refusal(incident, phase: str) -> str:
    latest = incident.latest
    return (f"incident '{incident.id}' was resolved at {iso_utc(latest.at)} ({latest.source}); "
            f"an update with --phase {phase} would reopen it. If the problem is back, add --reopen "
            f"(customers see the incident open again); if it is a new problem, start a new incident "
            f"with `statusgen new incident`")


def _known(ids: list[str], what: str) -> str:
    if not ids:
        return f"there are no {what}"
    shown = ids[:10]
    more = f" and {len(ids) - len(shown)} more" if len(ids) > len(shown) else ""
    return f"{what}: {one_of(shown)}{more}"


def _has_updates(folder: Path) -> bool:
    return folder.is_dir() and any(p.suffix == ".md" and not p.name.startswith(".") for p in folder.iterdir())


# --- writing -----------------------------------------------------------------------------------

def _common_context(config: SiteConfig, phase: str, title: str, component_ids: Iterable[str]) -> dict:
    name_of = {c.id: c.name for c in config.components}
    names = [name_of[cid] for cid in component_ids]
    return {
        "phase": phase,
        "title": title,
        "affected": config.words.human_list(names) or config.words.gettext("some of our services"),
        "affected_plural": len(names) != 1,
        "affected_count": len(names) or 3,  # "some of our services": many, for ngettext
        "site_title": config.title,
    }


def _incident_context(config: SiteConfig, incident_id: str, phase: str, severity: str, title: str,
                      statuses: dict[str, str]) -> dict:
    affected = [cid for cid, status in statuses.items() if status != "operational" or phase == "resolved"]
    return {
        **_common_context(config, phase, title, affected or statuses),
        "incident_id": incident_id,
        "severity": severity,
        "severity_name": SEVERITY_NAMES[severity],
        "components": statuses,
        "title_changed": True,
        "postmortem_expected": phase == "resolved" and severity in ("sev1", "sev2"),
        "postmortem_due_days": config.postmortem_due_days,
    }


def _write_incident(source_dir: Path, config: SiteConfig, incident_id: str, template: str, context: dict,
                    taken: list[datetime], now: datetime, front_matter: Sequence[str] = ()) -> Created:
    folder = source_dir / INCIDENTS_DIR / incident_id
    at = _free_moment(taken, now, folder)
    promise = None
    if context["phase"] != "resolved":
        promise = at + timedelta(minutes=config.cadence_minutes[context["severity"]])
    context = {**context, "at": iso_utc(at), "next_update": promise and iso_utc(promise),
               "next_update_text": promise and config.words.promise_text(at, promise, ZoneInfo(config.timezone))}
    path = folder / file_name(at)
    text = render_template(source_dir, template, context, config.words)
    if front_matter:  # before the front matter's closing `---` (the first one after the opening)
        head, fence, body = text.partition("\n---\n")
        text = head + "\n" + "".join(line + "\n" for line in front_matter) + fence.lstrip("\n") + body
    _write(path, text)
    _verify(source_dir, config, path, now, maintenance=False)
    return Created(path)


def _free_moment(taken: list[datetime], now: datetime, folder: Path) -> datetime:
    """`now` to the second, or one second past the latest update if that is not later (every
    update needs its own `at`, and time never runs backwards); moved on while its file name is
    taken, so nothing is ever overwritten."""
    moment = now.astimezone(timezone.utc).replace(microsecond=0)
    if taken and max(taken) >= moment:
        moment = max(taken) + timedelta(seconds=1)
    while (folder / file_name(moment)).exists():
        moment += timedelta(seconds=1)
    return moment


def file_name(at: datetime) -> str:
    """Update file names sort in time order: 2026-11-26T073105Z.md."""
    return f"{at.strftime('%Y-%m-%dT%H%M%SZ')}.md"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise AuthoringError([f"{path} was created by someone else just now; run the command again"])


def render_template(source_dir: Path, name: str, context: dict, words: Language = ENGLISH) -> str:
    """Render an authoring template, the site's own `templates/<name>` if it has one, its words
    (`_()`, `ngettext()`) in the site's language."""
    environment = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.ChoiceLoader([jinja2.FunctionLoader(lambda name: _site_template(source_dir, name)),
                                    jinja2.FileSystemLoader(str(TEMPLATES_DIR))]),
        autoescape=False,  # Markdown and YAML, not HTML: free text is quoted by the `yaml` filter.
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["yaml"] = yaml_quote
    environment.install_gettext_translations(words.translations, newstyle=True)  # type: ignore[attr-defined]
    try:
        text = environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise AuthoringError([f"{_shown(error.filename, source_dir)}:{error.lineno}: template error: "
                              f"{error.message}"])
    except jinja2.TemplateError as error:
        raise AuthoringError([f"{_template_file(environment, name, source_dir)}: template error: {error}"])
    except Exception as error:  # a site's own template may fail any way while it runs ({{ 1/0 }})
        raise AuthoringError([f"{_template_file(environment, name, source_dir)}: template error: "
                              f"{type(error).__name__}: {error}"])
    return text if text.endswith("\n") else text + "\n"


def _site_template(source_dir: Path, name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """The site's own template `name`, read through the site's reading rule (source/files.py)."""
    relative = "/".join([SITE_TEMPLATES_DIR, *jinja2.loaders.split_template_path(name)])
    problems: list[Problem] = []
    text = read_site_template(source_dir, relative, problems)
    if problems:
        raise AuthoringError([str(p) for p in problems])
    return None if text is None else (text, str(source_dir / relative), lambda: False)


def _template_file(environment: jinja2.Environment, name: str, source_dir: Path) -> str:
    source = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
    return _shown(source[1], source_dir)


def _shown(filename: str | None, source_dir: Path) -> str:
    if filename is None:
        return "template"
    try:
        return Path(filename).resolve().relative_to(source_dir.resolve()).as_posix()
    except ValueError:
        return filename


def _verify(source_dir: Path, config: SiteConfig, path: Path, now: datetime, maintenance: bool) -> None:
    """Load the folder back as a build would; remove the new file again if it would not build."""
    problems = _folder_problems(source_dir, config, path, maintenance, placeholders=False)
    if problems:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()  # the folder of a new incident or maintenance, made for this file
        raise AuthoringError([str(p) for p in problems] +
                             [f"the update written from the template would not build, so it was removed; "
                              f"check the template in {SITE_TEMPLATES_DIR}/ if the site has its own"])


def problems_in(source_dir: Path, path: Path, now: datetime) -> list[Problem]:
    """What a build would report about the incident or maintenance `path` belongs to (after
    someone edited it); whether it builds does not depend on `now`."""
    config = _load_config(source_dir)
    maintenance = path.parent.parent.resolve() == (source_dir / MAINTENANCE_DIR).resolve()
    return _folder_problems(source_dir, config, path, maintenance)


def _folder_problems(source_dir: Path, config: SiteConfig, path: Path, maintenance: bool,
                     placeholders: bool = True) -> list[Problem]:
    """What a build would say about the item `path` is in; a file just written from a template
    still has its hints, which are the author's to replace (without `placeholders`)."""
    folder = MAINTENANCE_DIR if maintenance else INCIDENTS_DIR
    return item_problems(source_dir, folder, path.parent.name, [c.id for c in config.components], placeholders)
