"""`statusgen new postmortem ID`: writes content/incidents/<id>/postmortem.md from the template
`authoring_templates/postmortem.md` (a site's own `templates/postmortem.md` overrides it),
pre-filled from the incident's record.

It refuses an unknown incident, one still open (the build refuses a postmortem before the
resolution, since its timeline and its numbers would be guesses) and one that has a postmortem
already (nothing is overwritten). The written file is loaded back as a build would load it, and
removed again if it would not build; its [bracketed] hints are the author's to replace, and the
build refuses to publish them.

Variables the template gets: `incident_id`, `title`, `severity`, `severity_label` ("SEV-1"),
`severity_name`, `affected` ("Public API and Checkout"), `affected_plural`, `started_text`,
`resolved_text`, `detected_text` (local times in the site's zone; detected_text is "" without
`detected_at`), `duration` (first update → resolution), `time_to_resolve` (detection →
resolution, "" without `detected_at`), `impact` (a first sentence from those facts),
`published_at` (ISO, UTC), `causes` (statusgen.yml's postmortem_causes), `cause` (the first of
them), `due` (a date 30 days on, for the first action item) and a `yaml` filter.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from ..model import IncidentRecord, iso_utc
from ..model.postmortem import due_date
from ..problems import AuthoringError, BuildFailed, Problem
from ..source.fields import suggest
from ..source.load import INCIDENTS_DIR, item_problems, load_incidents
from ..source.postmortems import POSTMORTEM_FILE
from ..vocabulary import SEVERITY_NAMES
from ..language import ENGLISH, Language
from ..wording import severity_label
from .new import Created, _known, _load_config, _write, render_template

ACTION_ITEM_DAYS = 30
"""The first action item's due date, from the day the postmortem is written."""


def new_postmortem(source_dir: Path, incident_id: str, now: datetime) -> Created:
    """Write the postmortem of resolved incident `incident_id` from the template."""
    config = _load_config(source_dir)
    path = source_dir / INCIDENTS_DIR / incident_id / POSTMORTEM_FILE
    if path.exists() or path.is_symlink():
        raise AuthoringError([f"{INCIDENTS_DIR}/{incident_id}/{POSTMORTEM_FILE} exists already; edit it "
                              f"(nothing was written)"])
    problems: list[Problem] = []
    incidents = {i.id: i for i in load_incidents(source_dir, [c.id for c in config.components], problems)}
    own = [p for p in problems if p.file.startswith(f"{INCIDENTS_DIR}/{incident_id}/")]
    if own:
        raise BuildFailed(own)
    incident = incidents.get(incident_id)
    if incident is None:
        resolved = sorted((i.id for i in incidents.values() if not i.is_open), reverse=True)
        raise AuthoringError([f"incident '{incident_id}' does not exist in {INCIDENTS_DIR}/"
                              f"{suggest(incident_id, sorted(incidents))}; {_known(resolved, 'resolved incidents')}"])
    if incident.is_open:
        raise AuthoringError([f"incident '{incident_id}' is still open (phase {incident.phase}); a postmortem "
                              f"follows the resolution: resolve it first with `statusgen new update "
                              f"{incident_id} --phase resolved`"])
    names = {c.id: c.name for c in config.components}
    _write(path, render_template(source_dir, "postmortem.md",
                                 postmortem_context(incident, names, config.postmortem_causes,
                                                    ZoneInfo(config.timezone), now, config.words),
                                 config.words))
    found = item_problems(source_dir, INCIDENTS_DIR, incident_id, [c.id for c in config.components],
                          placeholders=False)
    if found:
        path.unlink()
        raise AuthoringError([str(p) for p in found] + [
            "the postmortem written from the template would not build, so it was removed; check the "
            "template in templates/ if the site has its own"])
    others = sorted({p.file for p in problems})
    return Created(path, tuple(f"{file} has problems; `statusgen build` fails until they are fixed"
                               for file in others))


def postmortem_context(incident: IncidentRecord, names: dict[str, str], causes: tuple[str, ...],
                       zone: ZoneInfo, now: datetime, words: Language = ENGLISH) -> dict:
    """The template's variables (see the module's docstring), from the record alone, in the
    site's language."""
    resolved = incident.resolved_at
    assert resolved is not None
    detected = next((u.detected_at for u in reversed(incident.updates) if u.detected_at), None)
    affected = [names[cid] for cid in incident.affected_component_ids]
    duration = words.duration(resolved - incident.started_at)
    published = max(now.astimezone(timezone.utc).replace(microsecond=0), resolved)
    affected_text = words.human_list(affected) or words.gettext("Our services")  # begins the impact sentence
    # Translators: in "... was a SEV-2 (Major) incident affecting our services", when no component is named.
    affected_in_sentence = words.human_list(affected) or words.gettext("our services")
    plural = len(affected) != 1
    return {
        "incident_id": incident.id,
        "title": incident.title,
        "severity": incident.severity,
        "severity_label": severity_label(incident.severity),
        "severity_name": words.labels(SEVERITY_NAMES)[incident.severity],
        "affected": affected_in_sentence,
        "affected_plural": plural,
        "affected_count": len(affected) or 3,
        "started_text": words.local_time(incident.started_at, zone),
        "resolved_text": words.local_time(resolved, zone),
        "detected_text": words.local_time(detected, zone) if detected else "",
        "duration": duration,
        "time_to_resolve": words.duration(resolved - detected) if detected else "",
        "impact": words.ngettext("%(affected)s was affected for %(duration)s, from %(start)s to %(end)s.",
                                 "%(affected)s were affected for %(duration)s, from %(start)s to %(end)s.",
                                 len(affected) or 3, affected=affected_text, duration=duration,
                                 start=words.local_time(incident.started_at, zone),
                                 end=words.local_time(resolved, zone)),
        "published_at": iso_utc(published),
        "causes": list(causes),
        "cause": causes[0],
        "due": due_date(published, ACTION_ITEM_DAYS).isoformat(),
    }
