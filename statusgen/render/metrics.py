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

from ..language import ENGLISH, N_, NP_, Language
from ..model import Site
from ..vocabulary import PHASE_LABELS
from ..followup import followup_stats
from ..stats import DEFINITIONS, METRICS, OPEN_PHASES, REPORTER_LABELS, REPORTERS, Figure, Stats, site_stats
from ..wording import severity_label

METRICS_PATH = "metrics/index.html"

METRIC_WORDS = {
    # Translators: MTTD, mean time to detect: how long from an incident's start to its detection.
    "mttd": (N_("MTTD"), N_("started → detected"), N_("MTTD (started → detected) by severity")),
    # Translators: MTTA, mean time to acknowledge: from detection to the first update.
    "mtta": (N_("MTTA"), N_("detected → first update"), N_("MTTA (detected → first update) by severity")),
    # Translators: MTTR, mean time to resolve: from detection to resolution.
    "mttr": (N_("MTTR"), N_("detected → resolved"), N_("MTTR (detected → resolved) by severity")),
}
"""stats.METRICS' name and what it measures, and its chart's title, for the page's readers."""
WHO_REPORTED = "who first reported an incident"
REPORTER_WORDS = {"monitoring": NP_("who first reported an incident", "Monitoring"),
                  "customer": NP_("who first reported an incident", "Customers"),
                  "internal": NP_("who first reported an incident", "Internal"),
                  "unknown": NP_("who first reported an incident", "Unknown")}
"""stats.REPORTER_LABELS, for the page's readers (who first reported an incident)."""

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


def monthly_chart(stats: Stats, words: Language = ENGLISH) -> Markup:
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
        name = words.month_and_year(month.year, month.month, short=True)
        for severity in stats.severities:
            count = month.counts[severity.severity]
            if count:
                h = plot * count / scale_top
                y -= h
                # Translators: a column's tooltip on the metrics page: 'Mar 2026: 2 SEV-1 incidents'.
                tip = words.ngettext("%(month)s: %(num)s %(severity)s incident",
                                     "%(month)s: %(num)s %(severity)s incidents", count, month=name,
                                     severity=severity.label)
                body.append(_rect(x, y, bar, h, f"chart-sev {severity.severity}", tip))
        if index % every == 0:
            body.append(_text(x + bar / 2, top + plot + 14, words.month_abbreviation(month.month),
                              "chart-axis", "middle"))
            if index == 0 or month.month == 1:
                body.append(_text(x + bar / 2, top + plot + 28, str(month.year), "chart-axis", "middle"))
    return _svg("chart-months", height, words.gettext("Incidents per month by severity"), _months_desc(stats, words),
                body)


def _months_desc(stats: Stats, words: Language) -> str:
    months = stats.months
    if not months:
        return words.gettext("No incidents.")
    first, last = (words.month_and_year(m.year, m.month, short=True) for m in (months[0], months[-1]))
    # Translators: the monthly chart's description for screen readers; %(peak)s is a number of incidents.
    return words.ngettext("%(num)s incident from %(first)s to %(last)s; the busiest month had %(peak)s.",
                          "%(num)s incidents from %(first)s to %(last)s; the busiest month had %(peak)s.",
                          sum(m.total for m in months), first=first, last=last,
                          peak=max([m.total for m in months] + [1]))


def table_span(words: Language, span: timedelta | None) -> str:
    """'45 s', '0 min', '12 min', '1 h 05 min', '2 d 3 h', 'n/a' for None: compact, as
    wording.duration_for_tables (`statusgen stats`) says it, in the page's language."""
    if span is None:
        return words.gettext("n/a")
    seconds = int(span.total_seconds())
    if seconds < 60:
        if not seconds:
            return words.gettext("%(minutes)s min", minutes=0)
        return words.gettext("%(seconds)s s", seconds=seconds)
    hours, minutes = divmod(seconds // 60, 60)
    days, hours = divmod(hours, 24)
    if seconds < 60 * 60:
        return words.gettext("%(minutes)s min", minutes=minutes)
    if days == 0:
        parts = [words.gettext("%(hours)s h", hours=hours),
                 words.gettext("%(minutes)s min", minutes=str(minutes).zfill(2)) if minutes else ""]
    else:
        parts = [words.gettext("%(days)s d", days=days), words.gettext("%(hours)s h", hours=hours) if hours else ""]
    return words.join_units(parts)


def duration_chart(chart_id: str, title: str, rows: Sequence[tuple[str, Figure]],
                   target: Sequence[Any] | None = None, words: Language = ENGLISH) -> Markup:
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
            why = not_available(words, figure)
            body.append(_text(LABEL_WIDTH, y + 13, why, "chart-na"))
            parts.append(words.gettext("%(label)s: %(value)s", label=label, value=why))
            continue
        width = span * figure.median.total_seconds() / longest
        p90 = LABEL_WIDTH + span * figure.p90.total_seconds() / longest
        median, p90_text = table_span(words, figure.median), table_span(words, figure.p90)
        summary = words.gettext("median %(median)s, 90th percentile %(p90)s", median=median, p90=p90_text)
        # Translators: a bar's tooltip: a severity, its median and 90th percentile, how many incidents.
        tip = words.gettext("%(label)s: %(summary)s (n=%(n)s)", label=label, summary=summary, n=figure.n)
        body.append(_rect(LABEL_WIDTH, y + 3, width, 12, "chart-bar", tip))
        body.append(_line(p90, y, p90, y + 18, "chart-p90"))
        mark = LABEL_WIDTH + span * target[index].total_seconds() / longest if target is not None else 0
        body.append(_text(max(p90, LABEL_WIDTH + width, mark) + 6, y + 13,
                          words.gettext("%(median)s · p90 %(p90)s", median=median, p90=p90_text), "chart-value"))
        parts.append(words.gettext("%(label)s: %(value)s", label=label, value=summary))
    return _svg(chart_id, 16 + ROW_HEIGHT * len(rows), title, _sentences(words, parts), body)


def reporter_words(words: Language) -> dict[str, str]:
    """Who first reported an incident, in the site's language ("Monitoring" here is not the phase)."""
    return {reporter: words.pgettext(WHO_REPORTED, label) for reporter, label in REPORTER_WORDS.items()}


def not_available(words: Language, figure: Figure) -> str:
    """'n/a — no SEV-1 incidents with a known start time', in the site's language."""
    values = dict(figure.reason_values)
    if "phase" in values:
        values["phase"] = words.pgettext("phase, inside a sentence", values["phase"])
    reason = words.gettext(figure.reason, **values) if figure.reason else figure.missing_in_words or figure.missing
    return words.gettext("n/a — %(reason)s", reason=reason)


def _sentences(words: Language, parts: Sequence[str]) -> str:
    """'A: 1; B: 2.': a chart's description from one part per row."""
    # Translators: a chart's description for screen readers: its parts, one per row of the chart.
    return words.gettext("%(parts)s.", parts=words.gettext("; ").join(parts))


def reporter_chart(stats: Stats, words: Language = ENGLISH) -> Markup:
    """One bar split by who first reported the incidents."""
    body = []
    x = 0.0
    parts = []
    labels = reporter_words(words)
    for reporter in REPORTERS:
        count = stats.reported_by[reporter]
        parts.append(words.gettext("%(label)s: %(value)s", label=labels[reporter], value=count))
        if not count:
            continue
        width = WIDTH * count / stats.count
        # Translators: a part of the bar of who reported incidents: 'Customers: 3 (25%)'.
        tip = words.gettext("%(label)s: %(count)s (%(share)s)", label=labels[reporter], count=count,
                            share=words.percent(stats.reported_share(reporter)))
        body.append(_rect(x, 4, width, 24, f"chart-reporter {reporter}", tip))
        x += width
    return _svg("chart-reported", 32, words.gettext("Who reported incidents first"), _sentences(words, parts), body)


def phase_chart(stats: Stats, words: Language = ENGLISH) -> Markup:
    """Per severity, the median time in each phase, one after another."""
    medians = {(p.severity, p.phase): p.time.median for p in stats.phases}
    sums = [sum(((medians[(s.severity, p)] or _ZERO) for p in OPEN_PHASES), _ZERO) for s in stats.severities]
    longest = max([t.total_seconds() for t in sums] + [1])
    span = WIDTH - LABEL_WIDTH - 90
    body, parts = [], []
    phases = words.labels(PHASE_LABELS)
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
            # Translators: a part of a bar's tooltip: 'SEV-1, Investigating: median 12 min'.
            tip = words.gettext("%(severity)s, %(phase)s: median %(span)s", severity=severity.label,
                                phase=phases[phase], span=table_span(words, median))
            body.append(_rect(x, y + 3, width, 12, f"chart-phase {phase}", tip))
            x += width
            # Translators: a phase and its median time, in a chart's description: 'investigating 12 min'.
            known.append(words.gettext("%(phase)s %(span)s", phase=words.pgettext("phase, inside a sentence", phase),
                                       span=table_span(words, median)))
        total = table_span(words, sums[index]) if known else words.gettext("n/a")
        body.append(_text(x + 6, y + 13, total, "chart-value"))
        times = words.list_separator().join(known) if known else words.gettext("no resolved incidents")
        parts.append(words.gettext("%(label)s: %(value)s", label=severity.label, value=times))
    return _svg("chart-phases", 16 + ROW_HEIGHT * len(stats.severities), words.gettext("Median time in each phase"),
                _sentences(words, parts), body)


def metrics_context(site: Site) -> dict[str, Any]:
    """What metrics.html gets besides the site: the figures and their charts, in the site's language."""
    words = site.config.words
    stats = site_stats(site)
    charts = {
        "months": monthly_chart(stats, words),
        "reported": reporter_chart(stats, words) if stats.count else None,
        "phases": phase_chart(stats, words),
        "cadence": duration_chart("chart-cadence", words.gettext("Gap between updates against the cadence target"),
                                  [(c.label, c.gaps) for c in stats.cadence], [c.target for c in stats.cadence],
                                  words),
    }
    metrics = tuple((attribute, words.gettext(METRIC_WORDS[attribute][0]), words.gettext(METRIC_WORDS[attribute][1]))
                    for attribute, _, _ in METRICS)
    for attribute, _, _ in METRICS:
        charts[attribute] = duration_chart(f"chart-{attribute}", words.gettext(METRIC_WORDS[attribute][2]),
                                           [(s.label, getattr(s, attribute)) for s in stats.severities], words=words)
    worst = stats.worst_broken_promise
    return {
        "page_title": words.gettext("%(page)s · %(site)s", page=words.gettext("Metrics"), site=site.config.title),
        "stats": stats,
        "followup": followup_stats(site, stats),
        "worst_incident": next((i for i in stats.incidents if worst and i.id == worst.incident_id), None),
        "charts": charts,
        "metrics": metrics,
        "definitions": DEFINITIONS,
        "reporters": REPORTERS,
        "reporter_labels": {**REPORTER_LABELS, **reporter_words(words)},
        "open_phases": OPEN_PHASES,
        "span": lambda span: table_span(words, span),
        "share": words.percent,
        "not_available": lambda figure: not_available(words, figure),
        "severity_label": severity_label,
    }
