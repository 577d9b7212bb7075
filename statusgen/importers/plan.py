"""What an importer makes of another tool's export: an ImportPlan of statusgen records.

An importer (cstate.py, statuspage.py) reads an export into a plan: the site, its components
(mapped onto ids, reusing those statusgen.yml already has), its incidents with their updates,
and notes on whatever it could not map. writer.py turns the plan into files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Mapping, Sequence

from ..model import Component, SiteConfig
from ..problems import ImportFailed, Problem
from ..source.fields import ID_PATTERN
from ..source.load import CONFIG_FILE, INCIDENTS_DIR, load_config
from ..source.spec import DEFAULT_CADENCE_MINUTES
from ..wording import ascii_slug, count_of, unique
from .inputs import Note


MAX_SLUG_LENGTH = 60
"""Incident ids are `<date>-<slug of the title>`; long titles are cut at a word boundary."""


PLACEHOLDER_BASE_URL = "https://status.example.com/"


@dataclass(frozen=True)
class ImportedComponent:
    """A component as statusgen.yml will list it."""

    id: str
    name: str
    group: str | None = None
    description: str | None = None


@dataclass
class ImportedUpdate:
    """One update as it will be written: front matter fields and the Markdown body."""

    at: datetime
    phase: str
    body: str
    at_text: str | None = None
    """The source's own spelling of `at`, written as it is when statusgen accepts it."""
    severity: str | None = None
    title: str | None = None
    components: dict[str, str] = field(default_factory=dict)
    next_update: datetime | None = None
    started_at: datetime | None = None


@dataclass
class ImportedIncident:
    """An incident to write, under the statusgen id chosen for it."""

    id: str
    source: str
    """Where it came from, for messages: a file, or an export and the incident's id in it."""
    updates: list[ImportedUpdate]
    """Oldest first, each with its own `at`."""


@dataclass(frozen=True)
class SiteDraft:
    """What a new statusgen.yml says besides its components."""

    title: str
    base_url: str
    description: str | None = None
    timezone: str | None = None
    origin: str = ""
    """What it was made from, for the comment at the top of the file."""


@dataclass
class ImportPlan:
    """Everything an importer read, ready for write_plan."""

    site: SiteDraft
    components: list[ImportedComponent]
    """Every component the imported incidents use (and any the source lists), in page order."""
    incidents: list[ImportedIncident]
    notes: list[Note] = field(default_factory=list)


@dataclass
class ImportResult:
    """What write_plan did, and what it did not and why."""

    incidents_total: int = 0
    """How many incidents the source had that the importer could read."""
    created: list[str] = field(default_factory=list)
    """Every file written, relative to the site's folder."""
    config_created: bool = False
    components_added: list[str] = field(default_factory=list)
    incidents_created: list[str] = field(default_factory=list)
    incidents_completed: list[str] = field(default_factory=list)
    incidents_unchanged: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    errors: list[Note] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """1 when anything could not be imported, else 0."""
        return 1 if self.errors else 0

    def lines(self) -> list[str]:
        """What the command prints: what was written, each note, each error, then a summary."""
        lines = []
        if self.config_created:
            lines.append(f"Created {CONFIG_FILE} with {len(self.components_added)} components: "
                         f"check its title and base_url")
        elif self.components_added:
            lines.append(f"Added {len(self.components_added)} component(s) to {CONFIG_FILE}: "
                         f"{', '.join(self.components_added)}")
        written = sorted(self.incidents_created + self.incidents_completed)
        for incident_id in written:
            count = sum(p.startswith(f"{INCIDENTS_DIR}/{incident_id}/") for p in self.created)
            lines.append(f"Created {INCIDENTS_DIR}/{incident_id}/ ({count} update{'s' if count != 1 else ''})")
        lines += [f"Note: {note}" for note in self.notes]
        lines += [f"Error: {error}" for error in self.errors]
        updates = sum(p.startswith(INCIDENTS_DIR) for p in self.created)
        if not self.created:
            if self.incidents_unchanged and not self.errors:
                lines.append(f"Nothing to import: all {len(self.incidents_unchanged)} incidents are already in "
                             f"{INCIDENTS_DIR}/ and {CONFIG_FILE} lists every component.")
            else:
                lines.append(f"Nothing was imported ({len(self.incidents_unchanged)} incident(s) already there, "
                             f"{count_of(len(self.errors), 'error')}).")
        else:
            lines.append(f"Imported {len(written)} of {self.incidents_total} incidents ({updates} update "
                         f"files); {len(self.incidents_unchanged)} already there, {count_of(len(self.errors), 'error')}. "
                         f"Run `statusgen check` to review them.")
        return lines


def incident_id(at: datetime, title: str, taken: set[str]) -> str:
    """`<date of the first update, UTC>-<slug of the title>`, unique among `taken`."""
    slug = ascii_slug(title, MAX_SLUG_LENGTH) or "incident"
    return unique(f"{at.astimezone(timezone.utc):%Y-%m-%d}-{slug}", taken)


def is_valid_id(value: object) -> bool:
    """Whether `value` can be used as a statusgen id as it is."""
    return isinstance(value, str) and len(value) <= 100 and bool(ID_PATTERN.match(value))


class ComponentMapper:
    """Finds or makes a statusgen component id for each component an import names.

    An existing component (in statusgen.yml) is matched by id, then by name (ignoring case); a
    component seen earlier in the same import by its source id or name; anything else becomes a
    new component whose id is its name as a slug.
    """

    def __init__(self, existing: Sequence[Component]):
        self.existing = list(existing)
        self.new: list[ImportedComponent] = []
        self._by_source: dict[str, str] = {}
        self._by_name = {c.name.casefold(): c.id for c in self.existing}
        self._ids = {c.id for c in self.existing}
        self._taken = set(self._ids)

    def id_for(self, name: str, source_id: str | None = None, group: str | None = None,
               description: str | None = None) -> str:
        """The component id for a component named `name` (with its id in the source, if any)."""
        if source_id is not None and source_id in self._by_source:
            return self._by_source[source_id]
        if source_id is not None and source_id in self._ids:
            found = source_id
        elif name.casefold() in self._by_name:
            found = self._by_name[name.casefold()]
        else:
            found = unique(ascii_slug(name, 100) or "component", self._taken)
            self._ids.add(found)
            self._by_name[name.casefold()] = found
            self.new.append(ImportedComponent(found, name.strip()[:200], _text(group, 200),
                                              _text(description, 1000)))
        if source_id is not None:
            self._by_source[source_id] = found
        return found

    @property
    def components(self) -> list[ImportedComponent]:
        """The existing components, then the new ones."""
        kept = [ImportedComponent(c.id, c.name, c.group, c.description) for c in self.existing]
        return kept + self.new


def _text(value: object, limit: int) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text[:limit] or None


def existing_config(source_dir: Path) -> SiteConfig | None:
    """The site's statusgen.yml, None when there is none; ImportFailed when it is broken."""
    path = source_dir / CONFIG_FILE
    if not os.path.lexists(path):
        return None
    if not path.is_file():
        raise ImportFailed([f"{CONFIG_FILE}: is not a regular file; the import adds components to it"])
    problems: list[Problem] = []
    config = load_config(source_dir, problems)
    if config is None or problems:
        raise ImportFailed([str(p) for p in problems] +
                           [f"fix {CONFIG_FILE} first: the import adds components to it"])
    return config


def cadence_minutes(config: SiteConfig | None) -> Mapping[str, int]:
    """The site's update cadence per severity, or the defaults without a site."""
    return config.cadence_minutes if config is not None else DEFAULT_CADENCE_MINUTES


def promise_after(at: datetime, severity: str, config: SiteConfig | None) -> datetime:
    """The rule for a `next_update` the source never gave: one cadence of the severity after `at`
    (to the second)."""
    return (at + timedelta(minutes=cadence_minutes(config)[severity])).replace(microsecond=0)
