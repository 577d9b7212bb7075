"""`statusgen stats`: the figures of stats.py as a text table, JSON or CSV.

Loads the site and formats; every number comes from `statusgen.stats.Stats`. A figure without data is
printed as "n/a — <reason>" (JSON: null with a `note`; CSV: an empty value with a `note`),
never as 0.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Sequence

import click

from ..model import iso_utc
from ..vocabulary import PHASE_LABELS, SEVERITY_NAMES
from ..problems import BuildFailed, StatusgenError
from ..source.load import load_site
from ..followup import FOLLOWUP_DEFINITIONS, FollowUp, followup_stats
from ..stats import (DEFINITIONS, METRICS, OPEN_PHASES, REPORTER_LABELS, REPORTERS, Figure, Promise, Stats,
                     period_bounds, site_stats)
from ..wording import count_of, duration_for_tables, local_time, percent


def stats(source_dir: Path, since: date | None, until: date | None, output_format: str, now: datetime,
          repeat_window: int | None = None) -> None:
    """Print the metrics of the incidents that started in the period (dates are whole days in the
    site's zone, `until` inclusive; timestamps are instants) in `output_format`; repeats are
    counted within `repeat_window` days (default: statusgen.yml's repeat_window_days)."""
    try:
        site, _ = load_site(source_dir, now)
    except BuildFailed as failure:
        count = count_of(len(failure.problems), "error")
        raise BuildFailed(failure.problems, f"{count} in the site; fix them to compute metrics.") from None
    start, end = period_bounds(since, until, site.zone)
    if start is not None and end is not None and end <= start:
        raise StatusgenError("--until must be later than --since")
    figures = site_stats(site, start, end)
    click.echo(format_stats(figures, output_format, followup_stats(site, figures, repeat_window)), nl=False)


def period_text(stats: Stats) -> str:
    """'all incidents', or 'incidents that started from ... until ...' in the site's zone."""
    if stats.since is None and stats.until is None:
        return "all incidents"
    start = f"from {local_time(stats.since, stats.zone)}" if stats.since else ""
    end = f"until {local_time(stats.until, stats.zone)}" if stats.until else ""
    return "incidents that started " + " ".join(p for p in (start, end) if p)


def broken_promise_text(promise: Promise, stats: Stats) -> str:
    """'<incident>: next update promised by <time>, came 12 min late (<file>)'."""
    what = ("still no update" if promise.kept_at is None
            else f"came {duration_for_tables(promise.late)} late")
    return (f"{promise.incident_id}: next update promised by {local_time(promise.due, stats.zone)}, "
            f"{what} ({promise.source})")


# --- table -------------------------------------------------------------------------------------

def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Aligned columns. A row shorter than the header ends in a note that spans the rest."""
    widths = [len(h) for h in header]
    for row in rows:
        cells = row if len(row) == len(header) else row[:-1]
        for index, cell in enumerate(cells):
            widths[index] = max(widths[index], len(cell))

    def line(cells: Sequence[str]) -> str:
        if len(cells) < len(header):
            *aligned, note = cells
            return "  ".join(c.ljust(w) for c, w in zip(aligned, widths)) + "  " + note
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return [line(header), *(line(row).rstrip() for row in rows)]


def _figure_cells(figure: Figure) -> list[str]:
    if not figure.available:
        return [figure.not_available]
    return [duration_for_tables(figure.median), duration_for_tables(figure.p90), str(figure.n)]


def format_table(stats: Stats, followup: FollowUp | None = None) -> str:
    """The figures as aligned text tables, for people."""
    lines = [f"Incident metrics: {period_text(stats)}",
             f"{count_of(stats.count, 'incident')} ({stats.open_count} open) as of "
             f"{local_time(stats.now, stats.zone)}.",
             "Durations: median and 90th percentile (nearest rank); n = incidents (or gaps) with the data.",
             "Detection = detected_at when given, else the first update.", ""]

    lines.append("Response times by severity")
    rows = []
    for severity in stats.severities:
        for index, (attribute, name, what) in enumerate(METRICS):
            first = [severity.label if index == 0 else "", str(severity.count) if index == 0 else "",
                     f"{name} ({what})"]
            rows.append(first + _figure_cells(getattr(severity, attribute)))
    lines += _table(["severity", "incidents", "metric", "median", "p90", "n"], rows)

    lines += ["", "Incidents per month (started, by severity)"]
    if stats.months:
        rows = [[f"{m.key}", *(str(m.counts[s.severity]) for s in stats.severities), str(m.total)]
                for m in stats.months]
        lines += _table(["month", *(s.label for s in stats.severities), "total"], rows)
    else:
        lines.append("n/a — no incidents")

    lines += ["", "First reported by"]
    if stats.count:
        rows = [[REPORTER_LABELS[r], str(stats.reported_by[r]), percent(stats.reported_share(r))]
                for r in REPORTERS]
        lines += _table(["reporter", "incidents", "share"], rows)
    else:
        lines.append("n/a — no incidents")

    lines += ["", "Communication"]
    if stats.promises:
        lines.append(f"Promised next updates kept: {stats.promises_kept} of {len(stats.promises)} "
                     f"({percent(stats.promise_share)})")
        worst = stats.worst_broken_promise
        lines.append("Worst broken promise: " + (f"{duration_for_tables(worst.late)} late — "
                                                 f"{broken_promise_text(worst, stats)}" if worst else "none"))
    else:
        lines.append("Promised next updates kept: n/a — no promised next update has come due")
    rows = []
    for cadence in stats.cadence:
        gaps = cadence.gaps
        rows.append([cadence.label, duration_for_tables(cadence.target)] + (
            [duration_for_tables(gaps.median), duration_for_tables(gaps.p90), f"{cadence.within_target} of {gaps.n}"]
            if gaps.available else [gaps.not_available]))
    lines += ["Gaps between updates while open, against the cadence target (statusgen.yml cadence):"]
    lines += _table(["severity", "target", "median gap", "p90 gap", "within target"], rows)

    lines += ["", "Time in each phase (resolved incidents)"]
    rows = []
    for severity in stats.severities:
        for index, phase in enumerate(OPEN_PHASES):
            rows.append([severity.label if index == 0 else "", PHASE_LABELS[phase]]
                        + _figure_cells(stats.phase(severity.severity, phase).time))
    lines += _table(["severity", "phase", "median", "p90", "n"], rows)
    return "\n".join(lines + (followup_table(followup, stats) if followup is not None else [])) + "\n"


def followup_table(followup: FollowUp, stats: Stats) -> list[str]:
    """The postmortem figures (followup.py) as text tables."""
    repeats = followup.repeats
    lines = ["", f"Repeat incidents (same postmortem cause within {repeats.window_days} days)"]
    if repeats.based_on:
        lines.append(f"{len(repeats.repeats)} of {count_of(repeats.based_on, 'incident')} with a postmortem "
                     f"({percent(repeats.rate)})")
        lines += [f"  {r.incident.id}: {r.cause}, as {r.earlier.id} {duration_for_tables(r.apart)} before"
                  for r in repeats.repeats]
    else:
        lines.append("n/a — no incidents with a postmortem")
    lines += ["", "First reported by, per quarter"]
    if followup.quarters:
        rows = [[q.key, str(q.total), *(f"{q.counts[r]} ({percent(q.share(r))})" for r in REPORTERS)]
                for q in followup.quarters]
        lines += _table(["quarter", "incidents", *(REPORTER_LABELS[r] for r in REPORTERS)], rows)
    else:
        lines.append("n/a — no incidents")
    lines += ["", "Postmortem action items (incidents with a postmortem)"]
    rows = [[a.label, str(a.incidents), str(a.total), str(a.done), str(a.open), str(a.overdue)]
            for a in followup.action_items]
    lines += _table(["severity", "incidents", "items", "done", "open", "overdue"], rows)
    lines += ["", "Time from resolution to postmortem"]
    rows = [[d.label] + ([duration_for_tables(d.median), duration_for_tables(d.longest), f"{d.n} of {d.resolved}"]
                         if d.n else [d.missing]) for d in followup.delays]
    lines += _table(["severity", "median", "longest", "n (of resolved)"], rows)
    return lines


# --- JSON --------------------------------------------------------------------------------------

def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso_utc(moment)


def _seconds(span: timedelta | None) -> int | None:
    return None if span is None else int(span.total_seconds())


def _figure_json(figure: Figure) -> dict[str, Any]:
    return {"median_seconds": _seconds(figure.median), "p90_seconds": _seconds(figure.p90), "n": figure.n,
            "note": None if figure.available else figure.not_available}


def _promise_json(promise: Promise | None) -> dict[str, Any] | None:
    if promise is None:
        return None
    return {"incident_id": promise.incident_id, "source": promise.source, "made_at": _iso(promise.made_at),
            "due": _iso(promise.due), "next_update_at": _iso(promise.kept_at), "late_seconds": _seconds(promise.late)}


def followup_json(followup: FollowUp) -> dict[str, Any]:
    """The postmortem figures as plain data."""
    repeats = followup.repeats
    return {
        "repeats": {
            "window_days": repeats.window_days, "incidents_with_postmortem": repeats.based_on,
            "repeats": len(repeats.repeats), "rate": repeats.rate,
            "note": None if repeats.based_on else "n/a — no incidents with a postmortem",
            "list": [{"incident_id": r.incident.id, "earlier_incident_id": r.earlier.id, "cause": r.cause,
                      "apart_seconds": _seconds(r.apart)} for r in repeats.repeats],
        },
        "reported_by_quarter": [{"quarter": q.key, "incidents": q.total, **q.counts,
                                 "share": {r: q.share(r) for r in REPORTERS}} for q in followup.quarters],
        "action_items": [{"severity": a.severity, "incidents_with_postmortem": a.incidents, "items": a.total,
                          "done": a.done, "open": a.open, "overdue": a.overdue} for a in followup.action_items],
        "time_to_postmortem": [{"severity": d.severity, "resolved": d.resolved, "n": d.n,
                                "median_seconds": _seconds(d.median), "max_seconds": _seconds(d.longest),
                                "note": None if d.n else d.missing} for d in followup.delays],
    }


def stats_json(stats: Stats, followup: FollowUp | None = None) -> dict[str, Any]:
    """The figures as plain data (durations in whole seconds, times in UTC)."""
    no_incidents = None if stats.count else "n/a — no incidents"
    extra = {} if followup is None else {"postmortems": followup_json(followup)}
    return {
        "period": {"since": _iso(stats.since), "until": _iso(stats.until), "now": _iso(stats.now)},
        "definitions": DEFINITIONS,
        "incidents": stats.count,
        "open": stats.open_count,
        "severities": [
            {"severity": s.severity, "name": SEVERITY_NAMES[s.severity], "incidents": s.count,
             **{attribute: _figure_json(getattr(s, attribute)) for attribute, _, _ in METRICS}}
            for s in stats.severities],
        "months": [{"month": m.key, **m.counts, "total": m.total} for m in stats.months],
        "reported_by": {
            "incidents": dict(stats.reported_by),
            "share": {r: stats.reported_share(r) for r in REPORTERS},
            "note": no_incidents,
        },
        "communication": {
            "promises": len(stats.promises),
            "kept": stats.promises_kept,
            "share_kept": stats.promise_share,
            "note": None if stats.promises else "n/a — no promised next update has come due",
            "worst_broken": _promise_json(stats.worst_broken_promise),
            "cadence": [{"severity": c.severity, "target_seconds": _seconds(c.target),
                         "within_target": c.within_target, **_figure_json(c.gaps)} for c in stats.cadence],
        },
        "phases": [{"severity": p.severity, "phase": p.phase, **_figure_json(p.time)} for p in stats.phases],
        **extra,
    }


def format_json(stats: Stats, followup: FollowUp | None = None) -> str:
    """stats_json as indented JSON."""
    document = stats_json(stats, followup)
    if followup is not None:
        document["definitions"] = {**DEFINITIONS, **FOLLOWUP_DEFINITIONS}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = ("section", "severity", "subject", "metric", "value", "unit", "n", "note")


def format_csv(stats: Stats, followup: FollowUp | None = None) -> str:
    """One figure per row (a long table that spreadsheets pivot easily)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def figure_rows(section: str, severity: str, subject: str, name: str, figure: Figure) -> None:
        for statistic, value in (("median", figure.median), ("p90", figure.p90)):
            writer.writerow([section, severity, subject, f"{name}_{statistic}", _blank(_seconds(value)),
                             "seconds", figure.n, "" if figure.available else figure.not_available])

    for s in stats.severities:
        writer.writerow(["response", s.severity, "", "incidents", s.count, "count", "", ""])
        for attribute, _, _ in METRICS:
            figure_rows("response", s.severity, "", attribute, getattr(s, attribute))
    for m in stats.months:
        for severity, count in m.counts.items():
            writer.writerow(["month", severity, m.key, "incidents", count, "count", "", ""])
    note = "" if stats.count else "n/a — no incidents"
    for reporter in REPORTERS:
        writer.writerow(["reported_by", "", reporter, "incidents", stats.reported_by[reporter], "count", "", ""])
        share = stats.reported_share(reporter)
        writer.writerow(["reported_by", "", reporter, "share", _blank(_ratio(share)), "ratio", "", note])
    note = "" if stats.promises else "n/a — no promised next update has come due"
    writer.writerow(["communication", "", "", "promises", len(stats.promises), "count", "", ""])
    writer.writerow(["communication", "", "", "kept", stats.promises_kept, "count", "", ""])
    writer.writerow(["communication", "", "", "share_kept", _blank(_ratio(stats.promise_share)), "ratio", "", note])
    worst = stats.worst_broken_promise
    writer.writerow(["communication", "", worst.incident_id if worst else "", "worst_broken_late",
                     _blank(_seconds(worst.late) if worst else None), "seconds", "",
                     broken_promise_text(worst, stats) if worst else "none broken" if stats.promises else note])
    for c in stats.cadence:
        writer.writerow(["cadence", c.severity, "", "target", _seconds(c.target), "seconds", "", ""])
        figure_rows("cadence", c.severity, "", "gap", c.gaps)
        writer.writerow(["cadence", c.severity, "", "within_target", c.within_target, "count", c.gaps.n, ""])
    for p in stats.phases:
        figure_rows("phase", p.severity, p.phase, "time", p.time)
    if followup is not None:
        _followup_rows(writer, followup)
    return out.getvalue()


def _followup_rows(writer: Any, followup: FollowUp) -> None:
    repeats = followup.repeats
    note = "" if repeats.based_on else "n/a — no incidents with a postmortem"
    writer.writerow(["repeats", "", "", "rate", _blank(_ratio(repeats.rate)), "ratio", repeats.based_on, note])
    for r in repeats.repeats:
        writer.writerow(["repeats", r.incident.severity, r.incident.id, "repeat_of", r.earlier.id, "id", "", r.cause])
    for q in followup.quarters:
        for reporter in REPORTERS:
            writer.writerow(["reported_by_quarter", "", q.key, reporter, q.counts[reporter], "count", q.total, ""])
    for a in followup.action_items:
        for name in ("total", "done", "open", "overdue"):
            writer.writerow(["action_items", a.severity, "", name, getattr(a, name), "count", a.incidents, ""])
    for d in followup.delays:
        for name, value in (("time_to_postmortem_median", d.median), ("time_to_postmortem_max", d.longest)):
            writer.writerow(["postmortem", d.severity, "", name, _blank(_seconds(value)), "seconds", d.n,
                             "" if d.n else d.missing])


def _ratio(share: float | None) -> str | None:
    return None if share is None else f"{share:.4f}"


def _blank(value: object) -> object:
    return "" if value is None else value


def format_stats(stats: Stats, output_format: str, followup: FollowUp | None = None) -> str:
    """The figures in `output_format`: 'table', 'json' or 'csv' (with the postmortem figures when
    `followup` is given)."""
    return {"table": format_table, "json": format_json, "csv": format_csv}[output_format](stats, followup)
