"""`statusgen new incident --from-alert FILE`: a monitoring system's alert → a draft acknowledgement.

The payload is read (bounded, UTF-8) and parsed by its format's parser (alerts/), mapped through
statusgen.yml's `alerts:` table (alerts/mapping.py), and written as `statusgen new incident`
writes any first update (commands/new.py), with `detected_at` (the alert's start: the MTTA clock
starts there, not when someone got round to typing), `reported_by: monitoring`, and a comment
for the reviewer naming each alert and the rule that matched it. The text is the acknowledgement
template's, hints included, so `build` and `check` refuse it until a person has written the
words customers will read.

What it decides:

- A firing alert no rule matches is left out with a warning; when no firing alert matches any
  rule, nothing is written and the error says which rule to add (a draft naming no component
  would only guess).
- A payload with no firing alert (all resolved, Uptime Kuma's test button) writes nothing and
  says so, with exit status 0: a resolution is a person's call (`statusgen new update --phase
  resolved`), and the workflow then opens no pull request.
- Without an ID, the incident is named after the day of detection and the components
  (`2026-11-26-api-checkout`), so a repeated notification of the same alert drafts the same
  incident; if one by that name is still open, nothing is written (add an update to it instead).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Sequence

import click

from ..alerts.formats import AUTO, MAX_PAYLOAD_BYTES, read_payload
from ..alerts.mapping import Draft, describe, map_alerts, one_line
from ..alerts.records import Alert
from ..model import SiteConfig, iso_utc
from ..problems import AuthoringError, BuildFailed, Problem
from ..reading import FileTooLarge, NotRegularFile, read_regular
from ..source.load import CONFIG_FILE, INCIDENTS_DIR, load_config, load_incidents
from ..wording import human_list
from .new import MAX_ID_LENGTH, new, new_incident

LABELS = {"alertmanager": "Alertmanager", "grafana": "Grafana", "uptime-kuma": "Uptime Kuma", "gatus": "Gatus",
          "upptime": "Upptime"}
"""How the draft's comment names each format."""
MAX_SUFFIX = 20
"""How many incidents of the same components a day may get generated ids (…-2 to …-20)."""


def draft_from_alert(source_dir: Path, alert_file: Path, alert_format: str, incident_id: str | None,
                     title: str | None, severity: str | None, components: Sequence[str], now: datetime,
                     edit: bool) -> None:
    """Run `statusgen new incident --from-alert`: print the draft's path (or, when the payload
    calls for no draft, why not, on stderr)."""
    config = _config(source_dir)
    shown = alert_file.as_posix()
    data = _read(alert_file, shown)
    name, alerts, problems = read_payload(data, shown, alert_format)
    if problems:
        raise AuthoringError([str(p) for p in problems] + [f"nothing was written from {shown}"])
    if not any(alert.firing for alert in alerts):
        if alerts:
            click.echo(f"Nothing to draft from {shown}: no alert in it is firing (resolved, or a monitor pending "
                       f"or in maintenance). To resolve an "
                       f"incident, write its last update with `statusgen new update ID --phase resolved`.", err=True)
        else:
            click.echo(f"Nothing to draft from {shown}: it holds no alert (a test notification?).", err=True)
        return
    if config.alerts is None:
        raise AuthoringError([f"{CONFIG_FILE} has no alerts: table, so the alerts in {shown} cannot be "
                              f"mapped to components; add one (see the README, \"From an alert to a draft "
                              f"update\")"])
    draft = map_alerts(alerts, config.alerts, [c.id for c in config.components])
    if not draft.matched:
        raise AuthoringError([f"{shown}: alert {describe(a)} ({a.where}) matches no rule in {CONFIG_FILE} "
                              f"alerts.rules" for a in draft.unmatched] +
                             [f"nothing was written; add a rule such as {_suggested_rule(draft.unmatched[0])}"])
    for alert in draft.unmatched:
        click.echo(f"Warning: {shown}: alert {describe(alert)} matches no rule in {CONFIG_FILE}; "
                   f"the draft leaves it out", err=True)
    detected = min(draft.detected_at, now) if draft.detected_at else now
    chosen = incident_id or _free_id(source_dir, config, draft, detected)
    if chosen is None:
        return
    statuses = [f"{cid}={status}" for cid, status in draft.statuses.items()] + list(components)
    names = human_list([c.name for c in config.components if c.id in draft.statuses])
    lines = _front_matter(name or "", draft, detected, now)
    new(source_dir, now, edit, lambda moment: new_incident(
        source_dir, chosen, title or draft.title or f"Issue affecting {names}", severity or draft.severity,
        statuses, moment, lines))


def _config(source_dir: Path) -> SiteConfig:
    problems: list[Problem] = []
    config = load_config(source_dir, problems)
    if config is None or problems:
        raise BuildFailed(problems)
    return config


def _read(path: Path, shown: str) -> bytes:
    try:
        return read_regular(path, MAX_PAYLOAD_BYTES, follow_links=True)
    except NotRegularFile:
        raise AuthoringError([f"{shown}: is not a regular file; write the alert's payload to a file"]) from None
    except FileTooLarge:
        raise AuthoringError([f"{shown}: is larger than {MAX_PAYLOAD_BYTES:,} bytes, the most an alert "
                              f"payload is read up to; nothing was written"]) from None
    except OSError as error:
        raise AuthoringError([f"{shown}: cannot be read: {error.strerror}"]) from None


def _free_id(source_dir: Path, config: SiteConfig, draft: Draft, detected: datetime) -> str | None:
    """`<day of detection>-<component ids>`, or with -2, -3 … when that is taken by a resolved
    incident; None (after saying why) when one of those is still open."""
    base = f"{detected.strftime('%Y-%m-%d')}-{'-'.join(draft.statuses)}"[:MAX_ID_LENGTH - 3].rstrip("-")
    problems: list[Problem] = []
    incidents = {i.id: i for i in load_incidents(source_dir, [c.id for c in config.components], problems)}
    for number in range(1, MAX_SUFFIX + 1):
        candidate = base if number == 1 else f"{base}-{number}"
        incident = incidents.get(candidate)
        folder = source_dir / INCIDENTS_DIR / candidate
        if incident is not None and incident.is_open:
            click.echo(f"Nothing to draft: incident '{candidate}' about the same components is still open; add "
                       f"to it with `statusgen new update {candidate} --phase ...`.", err=True)
            return None
        if incident is None and not folder.exists():
            return candidate
    raise AuthoringError([f"incidents {base} to {base}-{MAX_SUFFIX} exist already; give the new one an ID"])


def _front_matter(name: str, draft: Draft, detected: datetime, now: datetime) -> list[str]:
    """detected_at and reported_by, then comments a reviewer reads (YAML comments are never
    published): which alerts and rules made the draft."""
    lines = [f"detected_at: {iso_utc(detected)}", "reported_by: monitoring",
             f"# Drafted from {LABELS.get(name, name)} by statusgen new incident --from-alert: review every word, "
             f"then merge to publish."]
    if draft.detected_at is None:
        lines.append("# The alert gives no start time: detected_at is when this draft was written; correct it.")
    elif draft.detected_at > now:
        lines.append(f"# The alert says it started at {iso_utc(draft.detected_at)}, after this draft: check the clocks.")
    for found in draft.matched:
        lines.append(f"# alert {describe(found.alert)} -> rule at {CONFIG_FILE}:{found.rule.line}")
    for alert in draft.unmatched:
        lines.append(f"# alert {describe(alert)} matched no rule and is left out")
    return lines


def _suggested_rule(alert: Alert) -> str:
    """A rule that would match `alert`, for the error that none does."""
    if alert.monitor is not None:
        return f"`- {{monitor: {one_line(alert.monitor, 60)!r}, components: [...]}}`"
    return f"`- {{match: {{alertname: {one_line(alert.name, 60)!r}}}, components: [...]}}`"
