"""The template context: every name a theme's templates may use, written down (the theme's contract).

A template sees three layers, later ones winning: the globals every template has
(`TemplateGlobals`, set up by environment.py), the context of its page kind (one TypedDict per
kind below, built by pages.py), and `page_path`, the output path being rendered. A theme that
uses only these names keeps working when statusgen changes; anything else a template reaches
(attributes of the model objects) is the model's public API (model.py).

Types are only for reading: at run time a context is a plain dict.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Mapping, Sequence, TypedDict, Union

from dataclasses import dataclass

from markupsafe import Markup

if TYPE_CHECKING:
    from ..language import Language
    from ..model import Component, Incident, Maintenance, Month, MonthUptime, Site, SiteConfig
    from ..followup import FollowUp
    from ..stats import Figure, Stats


class TemplateGlobals(TypedDict):
    """What every template has, whatever its page. Links are relative to `page_path` (absolute
    paths from base_url's path, where the page sets `absolute_links`)."""

    _: Callable[..., Markup]
    """_("Trouble on %(days)s of %(num)s days", days=3, num=90) → the message in the site's language,
    its placeholders filled from the keywords (escaped). Jinja's i18n extension, new style: every
    message is formatted, so a literal per cent sign is written %%. Also named `gettext`."""
    gettext: Callable[..., Markup]
    """The same as `_`."""
    ngettext: Callable[..., Markup]
    """ngettext("%(num)s day ago", "%(num)s days ago", n, **values): the form for n in the
    language's plural rule, %(num)s set to n."""
    pgettext: Callable[..., Markup]
    """pgettext("context", "message", **values): a message whose words depend on where it stands."""
    site: Site
    """The whole site: statuses, incidents (newest first), maintenance, months, daily bars, uptime
    (`site.uptime[component id]`, `site.group_uptime[group name]`: model/uptime.py's Uptime)."""
    config: SiteConfig
    """The site's settings from statusgen.yml (`site.config`)."""
    language: Language
    """The site's language (language.py): `language.tag` for <html lang>, `language.direction`
    ("ltr" or "rtl") for dir; templates translate with `_()`, `ngettext()` and `pgettext()`."""
    status_labels: Mapping[str, str]
    """Component status → label ("Degraded performance")."""
    overall_labels: Mapping[str, str]
    """Overall status → headline ("All systems operational")."""
    phase_labels: Mapping[str, str]
    """Incident or maintenance phase → label ("Investigating")."""
    severity_names: Mapping[str, str]
    """Severity → name ("Critical"); shown as SEV-n with severity[3:]."""
    maintenance_state_labels: Mapping[str, str]
    """Maintenance state (`maintenance.state`: upcoming, active, completed, cancelled) → label
    ("In progress")."""
    status_words: Mapping[str, str]
    """Component status → its words inside a sentence ("partial outage"), where English
    lower-cases the label; other languages translate them (msgctxt "component status, inside a
    sentence")."""
    month_names: Sequence[str]
    """"January" … "December", in the site's language."""
    short_date: Callable[[date], str]
    """short_date(day) → "20 Nov 2026"."""
    long_date: Callable[[date], str]
    """long_date(day) → "20 November 2026"."""
    month_and_year: Callable[..., str]
    """month_and_year(year, month, short=False) → "November 2026" ("Nov 2026")."""
    percent_text: Callable[[object], str]
    """percent_text(uptime or uptime figure) → "99.95 %" ("n/a" when no time was counted)."""
    number: Callable[..., str]
    """number(value, places=0) → "1,234" / "1.234": digits and separators of the language."""
    url: Callable[[str], str]
    """url(output path, optionally with ?query or #fragment) → a link from this page."""
    absolute_url: Callable[..., str]
    """absolute_url(output path = "") → its public address under base_url ("incidents/x/")."""
    incident_url: Callable[[str], str]
    """incident_url(incident id) → a link to the incident's page."""
    postmortem_url: Callable[[str], str]
    """postmortem_url(incident id) → a link to the page of the incident's postmortem.md."""
    maintenance_url: Callable[[str], str]
    """maintenance_url(maintenance id) → a link to the maintenance's page."""
    component_url: Callable[[str], str]
    """component_url(component id) → a link to the component's page."""
    component_feed_url: Callable[[str], str]
    """component_feed_url(component id) → a link to the component's RSS feed."""
    component_badge_url: Callable[[str], str]
    """component_badge_url(component id) → a link to the component's SVG badge."""
    month_url: Callable[[Month], str]
    """month_url(month) → a link to the month's history page."""
    time: Callable[..., Markup]
    """time(moment, with_date=True) → a <time> element in the display zone."""
    local: Callable[..., str]
    """local(moment, with_date=True) → "5 Nov 2026, 14:05 CET" as text."""
    duration: Callable[[timedelta], str]
    """duration(span) → "1 d 2 h 5 min", or "under a minute"."""
    markdown: Callable[[str], Markup]
    """markdown(update body) → safe HTML (no raw HTML, no images, only safe link schemes)."""
    update_anchor: Callable[[datetime], str]
    """update_anchor(update.at) → the id of the update's entry on its page."""
    zone_name: str
    """The display zone's name ("Europe/Berlin")."""
    iso: Callable[[datetime], str]
    """iso(moment) → "2026-11-26T07:00:00Z", for machine-readable attributes."""
    site_root: Callable[[], str]
    """site_root() → the site's root seen from this page ("./", "../../"), or base_url's path ("/status/")."""
    theme_colour: str
    """The overall status's colour in the theme's palette (for <meta name="theme-color">)."""
    absolute_links: bool
    """Default False; see NotFoundPage."""
    live_scope: str | None
    """Default None; see the pages with live updates (IndexPage and others)."""
    live_incidents: str
    """Default ""; see the pages with live updates."""
    as_of: datetime | None
    """Default site.now: the moment the footer says the page shows the status as of."""
    script_strings: Mapping[str, str]
    """What live.js writes, already translated but with their %(name)s placeholders unfilled
    (the script fills them; %% is a literal per cent sign): base.html puts them on <html> as
    data-strings='{{ script_strings | tojson }}', and live.js falls back to English without them.
    Keys: overdue, overdue_promise (%(time)s), your_time_note and your_time (%(time)s),
    date_and_time (%(date)s, %(time)s), day_and_month (%(day)s, %(month)s), day_month_year
    (%(day)s, %(month)s, %(year)s), checked (%(time)s), reload; and, not words, hour_cycle
    ("h23" or "h12") and hour ("2-digit" or "numeric"): the catalog's clock, for
    Intl.DateTimeFormat in the page's language."""


@dataclass(frozen=True)
class FollowLink:
    """One way to follow the status, in the "Get updates" list."""

    label: str
    """The link's text (plain text)."""
    note: str
    """What it is, after the link ("" for the channels statusgen.yml declares)."""
    path: str
    """The output path it links to (link with url(path)), or "" for an address elsewhere."""
    address: str = ""
    """The absolute address of a channel statusgen.yml declares (when path is "")."""


class _Page(TypedDict):
    page_title: str
    """The <title> (and og:title)."""


class _Live(TypedDict):
    """Pages that live.js keeps an eye on (base.html puts these on <body>)."""

    live_scope: str
    """What the page shows: "all", "incident:<id>" or "component:<id>"."""
    live_incidents: str
    """The open incidents shown, as "id@latest-update" tokens (see pages.live_incidents)."""


class _AsOf(TypedDict):
    as_of: datetime | None
    """site.now while the page shows something open (durations and states that move with
    time), else None: the page then says nothing about now and stays the same between builds."""


class _GetUpdates(TypedDict):
    follow: Sequence[FollowLink]
    """Every way to follow what the page shows: feeds, calendar, API, badge, then the channels of
    statusgen.yml's `subscribe:` (the "Get updates" section)."""


class IndexPage(_Page, _Live, _GetUpdates):
    """index.html → index.html: the current status."""


class IncidentPage(_Page, _Live, _AsOf):
    """incident.html → incidents/<id>/index.html."""

    incident: Incident


class PostmortemPage(_Page, _AsOf):
    """postmortem.html → incidents/<id>/postmortem/index.html, for an incident with a
    postmortem.md. `as_of` is site.now while an action item is open (it may become overdue)."""

    incident: Incident
    """The incident; `incident.report` is the postmortem, `incident.timeline` its generated
    timeline, `incident.action_item_overdue(item)` says whether an item is overdue."""


class MaintenancePage(_Page):
    """maintenance.html → maintenance/<id>/index.html."""

    maintenance: Maintenance
    calendar_path: str
    """The output path of the maintenance's own calendar (event.ics): "Add to calendar"."""


class ComponentPage(_Page, _Live, _GetUpdates):
    """component.html → components/<id>/index.html."""

    component: Component
    calendar_path: str
    """The output path of the component's maintenance calendar (components/<id>/maintenance.ics)."""
    uptime_months: Sequence[tuple[str, MonthUptime]]
    """("November 2026", the month's uptime) for each month the history window touches, newest
    first; the window's figure and each day's are `site.uptime[component.id]`."""


class HistoryPage(_Page):
    """history.html → history/index.html: every month, newest first."""


class MonthPage(_Page, _AsOf):
    """month.html → history/<yyyy>/<mm>/index.html."""

    month: Month
    month_name: str
    """"November 2026"."""
    previous_month: Month | None
    """The month before in site.months, None for the first."""
    next_month: Month | None
    """The month after in site.months, None for the last."""


class MetricsPage(_Page):
    """metrics.html → metrics/index.html, with `metrics: true` (filled in by metrics.py)."""

    stats: Stats
    followup: FollowUp
    """The postmortem figures (repeats, who reported per quarter, action items, time to postmortem)."""
    worst_incident: Incident | None
    """The incident of stats.worst_broken_promise, if any."""
    charts: Mapping[str, Markup | None]
    """Chart id ("months", "reported", "phases", "cadence", one per metric) → inline SVG."""
    metrics: Sequence[tuple[str, str, str]]
    """(Stats attribute, name, what it measures) of each duration metric."""
    definitions: Mapping[str, str]
    reporters: Sequence[str]
    reporter_labels: Mapping[str, str]
    open_phases: Sequence[str]
    span: Callable[[timedelta | None], str]
    share: Callable[[float | None], str]
    not_available: Callable[["Figure"], str]
    """'n/a — <why>' for a stats.Figure with no values, in the site's language."""
    severity_label: Callable[[str], str]


class NotFoundPage(_Page):
    """404.html → 404.html, served at any depth: its links are absolute paths ('/status/...')."""

    absolute_links: bool
    """True: url() and site_root() give paths from base_url's path ('/status/assets/style.css'), and
    <head> has no canonical link."""


PageContext = Union[IndexPage, IncidentPage, PostmortemPage, MaintenancePage, ComponentPage, HistoryPage, MonthPage,
                    MetricsPage, NotFoundPage]
"""A page's own context, passed (with `page_path`) over the TemplateGlobals."""

Page = tuple[str, str, PageContext]
"""(output path, template name, context) of one page."""

PAGE_CONTEXTS: Mapping[str, type] = MappingProxyType({
    "index.html": IndexPage,
    "incident.html": IncidentPage,
    "postmortem.html": PostmortemPage,
    "maintenance.html": MaintenancePage,
    "component.html": ComponentPage,
    "history.html": HistoryPage,
    "month.html": MonthPage,
    "metrics.html": MetricsPage,
    "404.html": NotFoundPage,
})
"""Each page template and the TypedDict of the context it is rendered with."""
