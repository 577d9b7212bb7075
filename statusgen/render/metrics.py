"""The optional metrics page (`metrics: true`): the figures of stats.py, with charts drawn as SVG.

Charts are inline SVG built here at build time: no JavaScript, no style attributes (colours,
strokes and sizes come from classes in the theme's CSS, so a strict Content-Security-Policy
holds), and each has a `<title>`, a `<desc>` and a table on the page with the same numbers, so
nothing depends on seeing the picture. Pure functions from `Stats` to markup.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Sequence

from markupsafe import Markup, escape

from ..model import Site
from ..vocabulary import PHASE_LABELS
from ..followup import followup_stats
from ..stats import DEFINITIONS, METRICS, OPEN_PHASES, REPORTER_LABELS, REPORTERS, Figure, Stats, site_stats
from ..wording import duration_for_tables, month_abbreviation, month_and_year, percent, severity_label

METRICS_PATH = "metrics/index.html"

WIDTH = 640
_ZERO = timedelta(0)
LABEL_WIDTH = 64
ROW_HEIGHT = 26


def _n(value: float) -> str:
    """A coordinate with at most one decimal, the same on every build."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(chart_id: str, height: float, title: str, desc: str, body: Sequence[str]) -> Markup:
    return Markup(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
    ).format(id=chart_id, w=WIDTH, h=_n(height), title=title, desc=desc) + Markup("".join(body)) + Markup("</svg>")


def _rect(x: float, y: float, width: float, height: float, css: str, tip: str) -> str:
    return str(Markup('<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>').format(
        css, _n(x), _n(y), _n(max(width, 0)), _n(max(height, 0)), tip))


def _text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> str:
    return str(Markup('<text x="{}" y="{}"{}{}>{}</text>').format(
        _n(x), _n(y), Markup(f' class="{escape(css)}"') if css else "",
        Markup(f' text-anchor="{anchor}"') if anchor != "start" else "", text))


def _line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line class="{escape(css)}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'


def monthly_chart(stats: Stats) -> Markup:
    """Stacked columns: incidents started per month, SEV-1 at the bottom."""
    months = stats.months
    top, bottom, left = 12, 36, 32
    height = 200
    plot = height - top - bottom
    peak = max([m.total for m in months] + [1])
    step = max(1, -(-peak // 4))
    scale_top = step * -(-peak // step)
    body = []
    for tick in range(0, scale_top + 1, step):
        y = top + plot - plot * tick / scale_top
        body += [_line(left, y, WIDTH, y, "chart-grid"), _text(left - 6, y + 4, str(tick), "chart-axis", "end")]
    slot = (WIDTH - left) / max(len(months), 1)
    bar = min(slot * 0.6, 48)
    every = max(1, -(-len(months) // 12))
    for index, month in enumerate(months):
        x = left + slot * index + (slot - bar) / 2
        y = top + plot
        name = _month_name(month)
        for severity in stats.severities:
            count = month.counts[severity.severity]
            if count:
                h = plot * count / scale_top
                y -= h
                body.append(_rect(x, y, bar, h, f"chart-sev {severity.severity}",
                                  f"{name}: {count} {severity.label} incident{'s' if count != 1 else ''}"))
        if index % every == 0:
            body.append(_text(x + bar / 2, top + plot + 14, month_abbreviation(month.month),
                              "chart-axis", "middle"))
            if index == 0 or month.month == 1:
                body.append(_text(x + bar / 2, top + plot + 28, str(month.year), "chart-axis", "middle"))
    total = sum(m.total for m in months)
    desc = (f"{total} incidents from {_month_name(months[0])} to {_month_name(months[-1])}; "
            f"the busiest month had {peak}." if months else "No incidents.")
    return _svg("chart-months", height, "Incidents per month by severity", desc, body)


def _month_name(month: Any) -> str:
    return month_and_year(month.year, month.month, short=True)


def duration_chart(chart_id: str, title: str, rows: Sequence[tuple[str, Figure]],
                   target: Sequence[Any] | None = None) -> Markup:
    """Horizontal bars: the median of each row, a tick at its 90th percentile, and optionally
    a dashed mark at each row's target; rows without data say why in text."""
    longest = max([f.p90.total_seconds() for _, f in rows if f.available]
                  + [t.total_seconds() for t in target or []] + [1])
    right = 190
    span = WIDTH - LABEL_WIDTH - right
    body = []
    parts = []
    for index, (label, figure) in enumerate(rows):
        y = 8 + ROW_HEIGHT * index
        body.append(_text(0, y + 13, label, "chart-label"))
        if target is not None:
            x = LABEL_WIDTH + span * target[index].total_seconds() / longest
            body.append(_line(x, y - 2, x, y + 20, "chart-target"))
        if not figure.available:
            body.append(_text(LABEL_WIDTH, y + 13, figure.not_available_in_words, "chart-na"))
            parts.append(f"{label}: {figure.not_available_in_words}")
            continue
        width = span * figure.median.total_seconds() / longest
        p90 = LABEL_WIDTH + span * figure.p90.total_seconds() / longest
        summary = f"median {duration_for_tables(figure.median)}, 90th percentile {duration_for_tables(figure.p90)}"
        body.append(_rect(LABEL_WIDTH, y + 3, width, 12, "chart-bar", f"{label}: {summary} (n={figure.n})"))
        body.append(_line(p90, y, p90, y + 18, "chart-p90"))
        mark = LABEL_WIDTH + span * target[index].total_seconds() / longest if target is not None else 0
        body.append(_text(max(p90, LABEL_WIDTH + width, mark) + 6, y + 13,
                          f"{duration_for_tables(figure.median)} · p90 {duration_for_tables(figure.p90)}", "chart-value"))
        parts.append(f"{label}: {summary}")
    return _svg(chart_id, 16 + ROW_HEIGHT * len(rows), title, "; ".join(parts) + ".", body)


def reporter_chart(stats: Stats) -> Markup:
    """One bar split by who first reported the incidents."""
    body = []
    x = 0.0
    parts = []
    for reporter in REPORTERS:
        count = stats.reported_by[reporter]
        parts.append(f"{REPORTER_LABELS[reporter]}: {count}")
        if not count:
            continue
        width = WIDTH * count / stats.count
        body.append(_rect(x, 4, width, 24, f"chart-reporter {reporter}",
                          f"{REPORTER_LABELS[reporter]}: {count} ({percent(stats.reported_share(reporter))})"))
        x += width
    return _svg("chart-reported", 32, "Who reported incidents first", "; ".join(parts) + ".", body)


def phase_chart(stats: Stats) -> Markup:
    """Per severity, the median time in each phase, one after another."""
    medians = {(p.severity, p.phase): p.time.median for p in stats.phases}
    sums = [sum(((medians[(s.severity, p)] or _ZERO) for p in OPEN_PHASES), _ZERO) for s in stats.severities]
    longest = max([t.total_seconds() for t in sums] + [1])
    span = WIDTH - LABEL_WIDTH - 90
    body, parts = [], []
    for index, severity in enumerate(stats.severities):
        y = 8 + ROW_HEIGHT * index
        body.append(_text(0, y + 13, severity.label, "chart-label"))
        x = float(LABEL_WIDTH)
        known = []
        for phase in OPEN_PHASES:
            median = medians[(severity.severity, phase)]
            if median is None:
                continue
            width = span * median.total_seconds() / longest
            body.append(_rect(x, y + 3, width, 12, f"chart-phase {phase}",
                              f"{severity.label}, {PHASE_LABELS[phase]}: median {duration_for_tables(median)}"))
            x += width
            known.append(f"{PHASE_LABELS[phase].lower()} {duration_for_tables(median)}")
        body.append(_text(x + 6, y + 13, "n/a" if not known else duration_for_tables(sums[index]), "chart-value"))
        parts.append(f"{severity.label}: " + (", ".join(known) if known else "no resolved incidents"))
    return _svg("chart-phases", 16 + ROW_HEIGHT * len(stats.severities), "Median time in each phase",
                "; ".join(parts) + ".", body)


def metrics_context(site: Site) -> dict[str, Any]:
    """What metrics.html gets besides the site: the figures and their charts."""
    stats = site_stats(site)
    charts = {
        "months": monthly_chart(stats),
        "reported": reporter_chart(stats) if stats.count else None,
        "phases": phase_chart(stats),
        "cadence": duration_chart("chart-cadence", "Gap between updates against the cadence target",
                                  [(c.label, c.gaps) for c in stats.cadence], [c.target for c in stats.cadence]),
    }
    for attribute, name, what in METRICS:
        charts[attribute] = duration_chart(f"chart-{attribute}", f"{name} ({what}) by severity",
                                           [(s.label, getattr(s, attribute)) for s in stats.severities])
    worst = stats.worst_broken_promise
    return {
        "page_title": f"Metrics · {site.config.title}",
        "stats": stats,
        "followup": followup_stats(site, stats),
        "worst_incident": next((i for i in stats.incidents if worst and i.id == worst.incident_id), None),
        "charts": charts,
        "metrics": METRICS,
        "definitions": DEFINITIONS,
        "reporters": REPORTERS,
        "reporter_labels": REPORTER_LABELS,
        "open_phases": OPEN_PHASES,
        "span": duration_for_tables,
        "share": percent,
        "severity_label": severity_label,
    }
