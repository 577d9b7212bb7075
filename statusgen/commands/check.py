"""`statusgen check`: everything the build validates, without writing anything, plus the
communication rules of incident practice (domain.md) as warnings.

The rules read the model at `now`; they never touch the disk. Each finding names the update
file and the line of the field it is about, so it can be shown inline on a pull request.
"""

from __future__ import annotations

import json
import os
import posixpath
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable

import click

from ..source.load import load_site
from ..pipeline import render_site
from ..model import Incident, Site, iso_utc
from ..model.postmortem import days_overdue
from ..problems import BuildFailed, Problem
from ..wording import count_of, duration_for_messages, severity_label

LEVELS = ("error", "warning", "notice")
QUICK_RESOLVE_MINUTES = 10
"""Investigating → resolved faster than this is more often a mistake than a real incident."""


@dataclass(frozen=True)
class Finding:
    """A problem `statusgen check` reports, with its level and the rule that found it."""

    level: str
    """'error' (the build fails), 'warning' (a communication rule is broken) or 'notice'."""
    code: str
    """Stable name of the rule, for filtering: e.g. 'overdue-promise'."""
    problem: Problem

    def sort_key(self) -> tuple:
        """By file and line, then errors before warnings before notes."""
        return (*self.problem.sort_key(), LEVELS.index(self.level))


def check(source_dir: Path, now: datetime, output_format: str, strict: bool) -> int:
    """`statusgen check`: print the site's findings as text, GitHub annotations or JSON; the exit
    status (1 on errors, and with `strict` on warnings too)."""
    findings = check_site(source_dir, now)
    if output_format == "json":
        click.echo(format_json(findings))
    elif output_format == "github":
        prefix = os.path.relpath(source_dir).replace(os.sep, "/")
        click.echo(format_github(findings, "" if prefix == "." else prefix))
    else:
        click.echo(format_text(findings))
    return exit_status(findings, strict)


def check_site(source_dir: Path, now: datetime) -> list[Finding]:
    """All findings for the site in `source_dir` at `now`, sorted by file and line."""
    try:
        site, theme = load_site(source_dir, now)
        render_site(site, theme)  # template errors are build errors too
    except BuildFailed as failure:
        return [Finding("error", "invalid", problem) for problem in failure.problems]
    return sorted(communication_findings(site), key=Finding.sort_key)


def communication_findings(site: Site) -> list[Finding]:
    """The communication rules' warnings and notes for the site at its `now`: broken and overdue promises,
    slow cadence, missing postmortems, overdue action items, quick resolutions, reopened incidents,
    updates (and postmortems) in the future."""
    findings: list[Finding] = []
    for incident in site.incidents:
        findings += _promises(site, incident)
        findings += _cadence(site, incident)
        findings += _postmortem(site, incident)
        findings += _action_items(site, incident)
        findings += _quick_resolve(incident)
        findings += _reopened(incident)
        findings += _future(site, incident.updates)
    for maintenance in site.maintenances:
        findings += _future(site, maintenance.updates)
    return findings


def _finding(level: str, code: str, update, field: str, message: str) -> Finding:
    return Finding(level, code, Problem(update.source, update.line_of(field), field, message))


def _promises(site: Site, incident: Incident) -> Iterable[Finding]:
    for previous, current in zip(incident.updates, incident.updates[1:]):
        if previous.next_update and current.at > previous.next_update:
            late = current.at - previous.next_update
            yield _finding("warning", "broken-promise", current, "at", (
                f"this update came {duration_for_messages(late)} after the time promised in "
                f"{posixpath.basename(previous.source)} ({iso_utc(previous.next_update)}); customers "
                f"noticed the silence"))
    if incident.is_overdue:
        latest = incident.latest
        yield _finding("warning", "overdue-promise", latest, "next_update", (
            f"next_update {iso_utc(latest.next_update)} passed "
            f"{duration_for_messages(site.now - latest.next_update)} ago and the incident is still open: "
            f"post an update now"))


def _cadence(site: Site, incident: Incident) -> Iterable[Finding]:
    for update in incident.updates:
        if update.next_update is None:
            continue
        gap = update.next_update - update.at
        target = timedelta(minutes=site.config.cadence_minutes[update.severity])
        if gap > target:
            yield _finding("warning", "slow-cadence", update, "next_update", (
                f"next update promised {duration_for_messages(gap)} after this one; "
                f"{severity_label(update.severity)} incidents should be updated at least every "
                f"{duration_for_messages(target)} (cadence.{update.severity} in statusgen.yml)"))


def _postmortem(site: Site, incident: Incident) -> Iterable[Finding]:
    due = timedelta(days=site.config.postmortem_due_days)
    if incident.is_open or incident.severity not in ("sev1", "sev2") or incident.postmortem or incident.report:
        return
    if site.now - incident.resolved_at > due:
        yield _finding("warning", "missing-postmortem", incident.latest, "phase", (
            f"{severity_label(incident.severity)} incident resolved "
            f"{duration_for_messages(site.now - incident.resolved_at)} ago has no postmortem; write one "
            f"with `statusgen new postmortem {incident.id}` or link one with `postmortem:` "
            f"(due after {site.config.postmortem_due_days} days)"))


def _action_items(site: Site, incident: Incident) -> Iterable[Finding]:
    """Open action items past their due date, at their line; a postmortem published in the future."""
    report = incident.report
    if report is None:
        return
    for index, item in enumerate(report.action_items):
        late = days_overdue(item, site.now)
        if late:
            yield Finding("warning", "overdue-action-item", Problem(report.source, item.line, f"action_items[{index}].due", (
                f"action item '{item.title}' ({item.owner}) was due on {item.due.isoformat()}, "
                f"{count_of(late, 'day')} ago, and is not done: do it, set a new due date, or mark it "
                f"`done: true`")))
    if report.published_at > site.now:
        yield _finding("warning", "future-postmortem", report, "published_at", (
            f"published_at {iso_utc(report.published_at)} is "
            f"{duration_for_messages(report.published_at - site.now)} in the future; it is already "
            f"shown as published"))


def _quick_resolve(incident: Incident) -> Iterable[Finding]:
    if len(incident.updates) < 2:
        return
    first, second = incident.updates[0], incident.updates[1]
    took = second.at - first.at
    if first.phase == "investigating" and second.phase == "resolved" and took < timedelta(minutes=QUICK_RESOLVE_MINUTES):
        yield _finding("notice", "quick-resolve", second, "phase", (
            f"went from investigating straight to resolved in {duration_for_messages(took)}; if this was "
            f"a false alarm, say so in the update, and check that the times are right"))


def _reopened(incident: Incident) -> Iterable[Finding]:
    for previous, current in zip(incident.updates, incident.updates[1:]):
        if previous.phase == "resolved" and current.phase != "resolved":
            yield _finding("warning", "reopened", current, "phase", (
                f"phase {current.phase} reopens the incident resolved in {posixpath.basename(previous.source)} "
                f"({iso_utc(previous.at)}), which customers saw as resolved for "
                f"{duration_for_messages(current.at - previous.at)}; say in this update why it is open "
                f"again, or, if it is a new problem, make it a new incident"))


def _future(site: Site, updates: Iterable) -> Iterable[Finding]:
    for update in updates:
        if update.at > site.now:
            yield _finding("warning", "future-update", update, "at", (
                f"at {iso_utc(update.at)} is {duration_for_messages(update.at - site.now)} in the future; "
                f"it is already shown as published"))


# --- output formats ----------------------------------------------------------------------------

def format_text(findings: list[Finding]) -> str:
    """One `<file>:<line>: <level>: <message>` line per finding, then the counts ('1 error, 2 warnings.')."""
    lines = []
    for finding in findings:
        problem = finding.problem
        where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
        lines.append(f"{where}: {finding.level}: {problem.message}")
    counts = {level: sum(f.level == level for f in findings) for level in LEVELS}
    if not findings:
        lines.append("No problems found.")
    else:
        names = {"error": "error", "warning": "warning", "notice": "note"}
        lines.append(", ".join(count_of(n, names[level]) for level, n in counts.items() if n) + ".")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Finding], source_prefix: str) -> str:
    """GitHub Actions workflow commands, so findings show inline on a pull request.

    `source_prefix` is the site's folder relative to the repository root (the working
    directory of the workflow), because annotations name files from the repository root.
    """
    lines = []
    for finding in findings:
        problem = finding.problem
        path = posixpath.normpath(posixpath.join(source_prefix, problem.file))
        properties = f"file={_escape_property(path)}"
        if problem.line is not None:
            properties += f",line={problem.line}"
        properties += f",title={_escape_property('statusgen ' + finding.code)}"
        lines.append(f"::{finding.level} {properties}::{_escape_data(problem.message)}")
    lines.append(format_text(findings).splitlines()[-1])
    return "\n".join(lines)


def format_json(findings: list[Finding]) -> str:
    """The findings as a JSON list of {level, code, file, line, field, message}."""
    return json.dumps([
        {"level": f.level, "code": f.code, "file": f.problem.file, "line": f.problem.line,
         "field": f.problem.field, "message": f.problem.message}
        for f in findings
    ], indent=2, ensure_ascii=False)


def exit_status(findings: list[Finding], strict: bool) -> int:
    """1 when there are errors (with `strict`, warnings too), else 0."""
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(f.level in failing for f in findings) else 0
