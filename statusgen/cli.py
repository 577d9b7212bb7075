"""The `statusgen` command: click declarations only. Each command parses its options and calls
one function of `statusgen.commands`; what goes wrong is a `StatusgenError` (problems.py), which
click prints to stderr before exiting with status 1, never with a traceback.

The CLI also owns the one clock: every command runs at `--now` when given, else at `clock()`,
which honours SOURCE_DATE_EPOCH (the reproducible-builds convention). Nothing below the CLI
reads the time; `serve`, which needs the time at each rebuild, is handed the clock itself.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import click

from . import __version__
from .problems import StatusgenError
from .source.fields import EARLIEST_YEAR, LATEST_YEAR, OUTSIDE_YEARS, parse_timestamp


def clock() -> datetime:
    """The time now, in UTC to the second; SOURCE_DATE_EPOCH (seconds since 1970) when it is set,
    within the years a timestamp may have (1970 to fields.LATEST_YEAR, as --now)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc).replace(microsecond=0)
    latest = int(datetime(LATEST_YEAR, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp())
    if epoch.isascii() and epoch.isdigit() and len(epoch) <= len(str(latest)) and int(epoch) <= latest:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
    raise StatusgenError(f"SOURCE_DATE_EPOCH '{shown}' is not a time: set it to a whole number of seconds "
                         f"since 1970-01-01 UTC, at most {latest} ({LATEST_YEAR}-12-31T23:59:59Z), like "
                         f"1764140400, or unset it to use the real time")


class TimestampType(click.ParamType):
    """An ISO 8601 timestamp with a zone, like 2026-11-20T14:05:00Z."""

    name = "TIMESTAMP"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        """The parsed timestamp, or a usage error saying what is wrong with it."""
        if isinstance(value, datetime):
            return value
        parsed, why_not = parse_timestamp(value)
        if parsed is None:
            self.fail(f"'{value}' {why_not}", param, ctx)
        return parsed


class DayOrTimestampType(click.ParamType):
    """A date (YYYY-MM-DD, a whole day in the site's display zone) or an ISO 8601 timestamp, in
    the years a timestamp may have (a day at the ends of the calendar has no whole day around it
    in every zone)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """A date, or a timestamp when it is not a plain date."""
        if not isinstance(value, str):
            return value
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
                self.fail(f"'{value}' {OUTSIDE_YEARS}", param, ctx)
            return day
        parsed, why_not = parse_timestamp(value)
        if parsed is None:
            if why_not == OUTSIDE_YEARS:
                self.fail(f"'{value}' {why_not}", param, ctx)
            self.fail(f"'{value}' is neither a date like 2026-11-01 nor a timestamp with a zone "
                      f"like 2026-11-01T00:00:00Z", param, ctx)
        return parsed


def source_option(exists: bool = True, help_text: str = "The site's folder, holding statusgen.yml and "
                                                         "content/.") -> Callable[[Any], Any]:
    """--source, the site's folder (default: here); `exists` makes click check that it is there."""
    return click.option("--source", "source_dir", type=click.Path(file_okay=False, exists=exists, path_type=Path),
                        default=".", show_default=True, help=help_text)


@click.group()
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Build a static status page from incident updates written in Markdown."""


@main.command("build")
@source_option(exists=False)
@click.option("--output", "output_dir", type=click.Path(path_type=Path), default=None,
              help="Where to write the site.  [default: SOURCE/site]")
@click.option("--now", type=TimestampType(), default=None,
              help="Build as if it were this time (ISO 8601 with zone), e.g. 2026-11-20T14:05:00Z. "
                   "Decides which promises are overdue and which maintenance is upcoming.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to keep what the next build can reuse.  "
                   "[default: $STATUSGEN_CACHE_DIR, else ~/.cache/statusgen]")
@click.option("--no-cache", is_flag=True, help="Build everything from scratch and keep no cache.")
def build_command(source_dir: Path, output_dir: Path | None, now: datetime | None,
                  cache_dir: Path | None, no_cache: bool) -> None:
    """Build the site into the output folder.

    Rebuilds reuse what has not changed since the last build (parsed files, rendered pages,
    written files); the result is always the same as a build from scratch."""
    from .commands.build import build_site

    build_site(source_dir, output_dir, now or clock(), cache_dir, no_cache)


@main.command("check")
@source_option()
@click.option("--now", type=TimestampType(), default=None,
              help="Check as if it were this time (ISO 8601 with zone).")
@click.option("--format", "output_format", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="github prints GitHub Actions annotations; json a list of findings.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def check_command(source_dir: Path, now: datetime | None, output_format: str, strict: bool) -> None:
    """Validate the site and the communication rules without writing anything."""
    from .commands.check import check

    raise SystemExit(check(source_dir, now or clock(), output_format, strict))


@main.command("schema")
@click.argument("which", type=click.Choice(["config", "incident", "maintenance", "postmortem"]), default="config")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A site's folder: the update schemas then accept only its component ids (and the "
                   "postmortem schema only its causes).")
def schema_command(which: str, source_dir: Path | None) -> None:
    """Print the JSON Schema of statusgen.yml, of update front matter or of a postmortem's."""
    from .commands.schema import schema

    schema(which, source_dir)


@main.command("serve")
@source_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--now", type=TimestampType(), default=None,
              help="Preview as if it were this time, instead of the real time at each rebuild.")
def serve_command(source_dir: Path, host: str, port: int, now: datetime | None) -> None:
    """Preview the site locally; rebuild and reload the browser on every save."""
    from .commands.serve import serve

    clock()  # a bad SOURCE_DATE_EPOCH is reported now, not at the first rebuild
    try:
        serve(source_dir, host, port, (lambda: now) if now else clock, log=click.echo)
    except OSError as error:
        raise StatusgenError(f"cannot listen on {host}:{port}: {error.strerror}")


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite those of statusgen's files that exist already.")
@click.option("--install", metavar="REQUIREMENT", default=None,
              help="What the workflow installs with pip: a requirement such as 'statusgen==0.2.1', a "
                   "git+https:// URL or a wheel's URL.  [default: the releases compatible with this "
                   "version, as 'statusgen>=0.1,<0.2' from 0.1.0]")
@click.option("--alerts", is_flag=True, help="Also write .github/workflows/alert.yml, which drafts an incident's "
                                           "first update from a monitoring alert and opens a pull request.")
def init_command(directory: Path, force: bool, install: str | None, alerts: bool) -> None:
    """Start a new status site in DIRECTORY (default: here): statusgen.yml, content folders,
    .gitignore and a GitHub Actions workflow that publishes to GitHub Pages."""
    from .commands.init import init

    init(directory, force, install, alerts)


def authoring_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--source, --now and --edit, shared by the `statusgen new` commands."""
    command = click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")(command)
    command = click.option("--now", type=TimestampType(), default=None,
                           help="Write as if it were this time (ISO 8601 with zone); for scripts "
                                "and tests. Default: the real time (UTC, to the second).")(command)
    return source_option(exists=False)(command)


@main.group("new")
def new_group() -> None:
    """Write a new incident, update, maintenance or postmortem from a template; prints the file's path."""


@new_group.command("incident")
@click.argument("incident_id", metavar="ID", required=False)
@click.option("--title", help="What customers see, e.g. \"Card payments failing\". Required unless --from-alert.")
@click.option("--severity", help="sev1..sev4 (SEV-1, P1 ... work too). Required unless --from-alert.")
@click.option("--component", "components", multiple=True, metavar="ID=STATUS",
              help="An affected component and its status, e.g. checkout=partial_outage. Repeatable.")
@click.option("--from-alert", "alert_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Draft it from a monitoring alert's payload (Alertmanager, Grafana, Uptime Kuma, Gatus, "
                   "Upptime), mapped through statusgen.yml's alerts: table; ID, --title and --severity "
                   "then default to what the alert says.")
@click.option("--alert-format", type=click.Choice(["auto", "alertmanager", "grafana", "uptime-kuma", "gatus",
                                                   "upptime"]),
              default="auto", show_default=True, help="The payload's format (auto: recognise it).")
@authoring_options
def new_incident_command(incident_id: str | None, title: str | None, severity: str | None,
                         components: tuple[str, ...], alert_file: Path | None, alert_format: str,
                         source_dir: Path, now: datetime | None, edit: bool) -> None:
    """Start incident ID with its first update (an acknowledgement), or draft it from an alert."""
    if alert_file is not None:
        from .commands.from_alert import draft_from_alert

        return draft_from_alert(source_dir, alert_file, alert_format, incident_id, title, severity, components,
                                now or clock(), edit)
    from .commands.new import new, new_incident

    for value, what in ((incident_id, "argument 'ID'"), (title, "option '--title'"),
                        (severity, "option '--severity'")):
        if value is None:
            raise click.UsageError(f"Missing {what}.")
    new(source_dir, now or clock(), edit,
        lambda moment: new_incident(source_dir, incident_id, title, severity, components, moment))


@new_group.command("update")
@click.argument("incident_id", metavar="ID")
@click.option("--phase", required=True, help="investigating, identified, monitoring or resolved.")
@click.option("--severity", default=None, help="Change the severity (default: the current one).")
@click.option("--component", "components", multiple=True, metavar="ID=STATUS",
              help="Change a component's status, e.g. checkout=degraded_performance. Repeatable.")
@click.option("--title", default=None, help="Change the title.")
@click.option("--reopen", is_flag=True, help="Allow a phase other than resolved after the incident was resolved.")
@authoring_options
def new_update_command(incident_id: str, phase: str, severity: str | None, components: tuple[str, ...],
                       title: str | None, reopen: bool, source_dir: Path, now: datetime | None, edit: bool) -> None:
    """Add the next update to incident ID, pre-filled with its current state."""
    from .commands.new import new, new_update

    new(source_dir, now or clock(), edit,
        lambda moment: new_update(source_dir, incident_id, phase, moment, severity=severity,
                                  components=components, title=title, reopen=reopen))


@new_group.command("maintenance")
@click.argument("maintenance_id", metavar="ID")
@click.option("--title", required=True, help="What customers see, e.g. \"Database upgrade\".")
@click.option("--start", required=True, type=TimestampType(), help="Start of the window (ISO 8601 with zone).")
@click.option("--end", required=True, type=TimestampType(), help="End of the window (ISO 8601 with zone).")
@click.option("--component", "components", multiple=True, metavar="ID",
              help="A component the maintenance affects. Repeatable.")
@authoring_options
def new_maintenance_command(maintenance_id: str, title: str, start: datetime, end: datetime,
                            components: tuple[str, ...], source_dir: Path, now: datetime | None,
                            edit: bool) -> None:
    """Announce maintenance ID (phase scheduled) with its window and components."""
    from .commands.new import new, new_maintenance

    new(source_dir, now or clock(), edit,
        lambda moment: new_maintenance(source_dir, maintenance_id, title, start, end, components, moment))


@new_group.command("postmortem")
@click.argument("incident_id", metavar="ID")
@authoring_options
def new_postmortem_command(incident_id: str, source_dir: Path, now: datetime | None, edit: bool) -> None:
    """Write the postmortem of resolved incident ID (content/incidents/ID/postmortem.md)."""
    from .commands.new import new
    from .commands.new_postmortem import new_postmortem

    new(source_dir, now or clock(), edit, lambda moment: new_postmortem(source_dir, incident_id, moment))


@main.command("stats")
@source_option()
@click.option("--since", type=DayOrTimestampType(), default=None,
              help="Only incidents that started on or after this date (YYYY-MM-DD, in the site's time "
                   "zone) or timestamp.")
@click.option("--until", type=DayOrTimestampType(), default=None,
              help="Only incidents that started on or before this date (the whole day counts) or "
                   "before this timestamp.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people; json and csv for other tools.")
@click.option("--now", type=TimestampType(), default=None,
              help="Compute as if it were this time (ISO 8601 with zone): decides which promises are overdue.")
@click.option("--repeat-window", "repeat_window", type=click.IntRange(1, 3650), default=None, metavar="DAYS",
              help="An incident whose postmortem cause matches an earlier one's within DAYS is a repeat. "
                   "Default: repeat_window_days in statusgen.yml (90).")
def stats_command(source_dir: Path, since: date | None, until: date | None, output_format: str,
                  now: datetime | None, repeat_window: int | None) -> None:
    """Incident metrics per severity: MTTD, MTTA, MTTR, incidents per month, who reported them,
    promises kept, update cadence, time in each phase, and from the postmortems: repeat incidents,
    action items and time to postmortem."""
    from .commands.stats import stats

    stats(source_dir, since, until, output_format, now or clock(), repeat_window)


@main.command("notify")
@source_option()
@click.option("--previous", "previous", metavar="SITE", default=None,
              help="What was announced: the published site as it was before this deploy, as a folder or "
                   "its address (reads api/v2/incidents.json and api/v2/scheduled-maintenances.json).")
@click.option("--pending", "pending", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A JSON file kept between runs: what was announced, and per target what failed to "
                   "arrive (sent again next time). Holds no URLs.")
@click.option("--to", "to_urls", multiple=True, metavar="URL",
              help="An apprise URL to notify (targets to-1, to-2, ...). Repeatable. Also: $STATUSGEN_NOTIFY.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent, to which targets; send nothing.")
@click.option("--snapshot", "snapshot_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Only save what the published site (--previous, default: base_url) announced into this "
                   "folder, for a later --previous; send nothing. The workflow runs it before deploying.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints a list of {target, incident_id, update_at, title, body, url}.")
@click.option("--now", type=TimestampType(), default=None,
              help="Load the site as if it were this time (ISO 8601 with zone).")
def notify_command(source_dir: Path, previous: str | None, pending: Path | None, to_urls: tuple[str, ...],
                   dry_run: bool, snapshot_dir: Path | None, output_format: str, now: datetime | None) -> None:
    """Send every incident and maintenance update that is new since the last announcement to
    Slack, Teams, email, webhooks, ... (apprise URLs from --to, $STATUSGEN_NOTIFY and the labels
    of notify: in statusgen.yml, whose URLs are in $STATUSGEN_NOTIFY_<LABEL>)."""
    from .commands.notify import Options, notify, snapshot

    if snapshot_dir is not None:
        return snapshot(source_dir, previous, snapshot_dir)
    options = Options(previous, pending, to_urls, dry_run, output_format)
    raise SystemExit(notify(source_dir, now or clock(), options, os.environ))


@main.group("import")
def import_group() -> None:
    """Import incidents and components from cState or Atlassian Statuspage into this site.

    Writes into the site given by --source; never overwrites a file, and running the same import
    again creates nothing.
    """


def import_source_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--source, the site an import writes into."""
    return source_option(exists=False, help_text="The statusgen site to import into (created if missing).")(command)


@import_group.command("cstate")
@click.argument("cstate_dir", metavar="CSTATE_SITE", type=click.Path(file_okay=False, exists=True, path_type=Path))
@import_source_option
def import_cstate_command(cstate_dir: Path, source_dir: Path) -> None:
    """Import a cState site's issues (content/issues/*.md) and systems (config.yml)."""
    from .commands.imports import import_into
    from .importers.cstate import plan_cstate

    raise SystemExit(import_into(source_dir, lambda config: plan_cstate(cstate_dir, config)))


@import_group.command("statuspage")
@click.argument("incidents_json", metavar="INCIDENTS_JSON", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--components", "components_json", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Statuspage's components.json: its components go into statusgen.yml.")
@import_source_option
def import_statuspage_command(incidents_json: Path, components_json: Path | None, source_dir: Path) -> None:
    """Import an export of Statuspage's /api/v2/incidents.json (and components.json)."""
    from .commands.imports import import_into
    from .importers.statuspage import plan_statuspage

    raise SystemExit(import_into(source_dir, lambda config: plan_statuspage(incidents_json, components_json, config)))


if __name__ == "__main__":
    main()
