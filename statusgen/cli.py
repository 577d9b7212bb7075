"""The `statusgen` command. Thin: parses options, calls one function per verb, maps errors to
exit codes. Problems in the user's files are printed together, never as a traceback."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from . import __version__
from .commands.build import build
from .source.fields import parse_timestamp
from .output import OutputError
from .problems import BuildFailed


class TimestampType(click.ParamType):
    name = "TIMESTAMP"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, datetime):
            return value
        parsed, why_not = parse_timestamp(value)
        if parsed is None:
            self.fail(f"'{value}' {why_not}", param, ctx)
        return parsed


def default_now() -> datetime:
    """The real time, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def report_problems(failure: BuildFailed) -> None:
    for problem in failure.problems:
        click.echo(str(problem), err=True)
    count = len(failure.problems)
    click.echo(f"{count} error{'s' if count != 1 else ''}; nothing was written.", err=True)


@click.group()
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Build a static status page from incident updates written in Markdown."""


@main.command("build")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The site's folder, holding statusgen.yml and content/.")
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
    from .incremental.stores import site_cache_dir
    output_dir = output_dir if output_dir is not None else source_dir / "site"
    if not source_dir.is_dir():
        raise click.ClickException(f"source folder {source_dir} does not exist")
    if source_dir.resolve().is_relative_to(output_dir.resolve()):
        raise click.ClickException(f"the output folder {output_dir} must not contain the source folder")
    try:
        report = build(source_dir, output_dir, now or default_now(),
                       None if no_cache else site_cache_dir(source_dir, cache_dir))
    except BuildFailed as failure:
        report_problems(failure)
        sys.exit(1)
    except OutputError as error:
        raise click.ClickException(str(error))
    click.echo(report.summary(output_dir))


@main.command("check")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=".", show_default=True, help="The site's folder, holding statusgen.yml and content/.")
@click.option("--now", type=TimestampType(), default=None,
              help="Check as if it were this time (ISO 8601 with zone).")
@click.option("--format", "output_format", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="github prints GitHub Actions annotations; json a list of findings.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def check_command(source_dir: Path, now: datetime | None, output_format: str, strict: bool) -> None:
    """Validate the site and the communication rules without writing anything."""
    from .commands.check import check_site, exit_status, format_github, format_json, format_text

    findings = check_site(source_dir, now or default_now())
    if output_format == "json":
        click.echo(format_json(findings))
    elif output_format == "github":
        prefix = os.path.relpath(source_dir).replace(os.sep, "/")
        click.echo(format_github(findings, "" if prefix == "." else prefix))
    else:
        click.echo(format_text(findings))
    sys.exit(exit_status(findings, strict))


@main.command("schema")
@click.argument("which", type=click.Choice(["config", "incident", "maintenance"]), default="config")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A site's folder: the update schemas then accept only its component ids.")
def schema_command(which: str, source_dir: Path | None) -> None:
    """Print the JSON Schema of statusgen.yml or of update front matter."""
    from .source.config import load_config
    from .source.schema import schema_json

    component_ids = None
    if source_dir is not None and which != "config":
        problems: list = []
        config = load_config(source_dir, problems)
        if config is None:
            report_problems(BuildFailed(problems))
            sys.exit(1)
        component_ids = [c.id for c in config.components]
    click.echo(schema_json(which, component_ids), nl=False)


@main.command("serve")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=".", show_default=True, help="The site's folder, holding statusgen.yml and content/.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--now", type=TimestampType(), default=None,
              help="Preview as if it were this time, instead of the real time at each rebuild.")
def serve_command(source_dir: Path, host: str, port: int, now: datetime | None) -> None:
    """Preview the site locally; rebuild and reload the browser on every save."""
    from .commands.serve import serve

    try:
        serve(source_dir, host, port, now, log=lambda line: click.echo(line, err=False))
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}")


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite those of statusgen's files that exist already.")
@click.option("--install", metavar="REQUIREMENT", default=None,
              help="What the workflow installs with pip: a requirement such as 'statusgen==0.2.1', a "
                   "git+https:// URL or a wheel's URL.  [default: the releases compatible with this "
                   "version, as 'statusgen>=0.1,<0.2' from 0.1.0]")
def init_command(directory: Path, force: bool, install: str | None) -> None:
    """Start a new status site in DIRECTORY (default: here): statusgen.yml, content folders,
    .gitignore and a GitHub Actions workflow that publishes to GitHub Pages."""
    from .commands.new import AuthoringError, init_site

    try:
        written = init_site(directory, force, install)
    except AuthoringError as error:
        exit_with_errors(error.messages)
    except OSError as error:
        raise click.ClickException(f"cannot write {error.filename}: {error.strerror}")
    for path in written:
        click.echo(f"Created {path}")
    click.echo("Next: set title, base_url and components in statusgen.yml, then run `statusgen build`.")


def exit_with_errors(messages: list[str]) -> None:
    for message in messages:
        click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def authoring_options(command):  # type: ignore[no-untyped-def]
    """--source, --now and --edit, shared by the `statusgen new` commands."""
    command = click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")(command)
    command = click.option("--now", type=TimestampType(), default=None,
                           help="Write as if it were this time (ISO 8601 with zone); for scripts "
                                "and tests. Default: the real time (UTC, to the second).")(command)
    return click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=".", show_default=True,
                        help="The site's folder, holding statusgen.yml and content/.")(command)


def run_authoring(source_dir: Path, now: datetime | None, edit: bool, action) -> None:  # type: ignore[no-untyped-def]
    """Run one `statusgen new` action, print the path it wrote, optionally open it in $EDITOR."""
    from .commands.new import AuthoringError, problems_in

    moment = now or datetime.now(timezone.utc).replace(microsecond=0)
    try:
        created = action(moment)
    except BuildFailed as failure:
        report_problems(failure)
        sys.exit(1)
    except AuthoringError as error:
        exit_with_errors(error.messages)
    except OSError as error:
        raise click.ClickException(f"cannot write {error.filename}: {error.strerror}")
    for warning in created.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(created.path)
    if edit:
        click.edit(filename=str(created.path))
        problems = problems_in(source_dir, created.path, moment)
        if problems:
            for problem in problems:
                click.echo(str(problem), err=True)
            click.echo(f"{created.path} was saved but does not build yet; fix it before you publish.", err=True)
            sys.exit(1)


@main.group("new")
def new_group() -> None:
    """Write a new incident, update or maintenance from a template; prints the file's path."""


@new_group.command("incident")
@click.argument("incident_id", metavar="ID")
@click.option("--title", required=True, help="What customers see, e.g. \"Card payments failing\".")
@click.option("--severity", required=True, help="sev1..sev4 (SEV-1, P1 ... work too).")
@click.option("--component", "components", multiple=True, metavar="ID=STATUS",
              help="An affected component and its status, e.g. checkout=partial_outage. Repeatable.")
@authoring_options
def new_incident_command(incident_id: str, title: str, severity: str, components: tuple[str, ...],
                         source_dir: Path, now: datetime | None, edit: bool) -> None:
    """Start incident ID with its first update (an acknowledgement)."""
    from .commands.new import new_incident

    run_authoring(source_dir, now, edit,
                  lambda moment: new_incident(source_dir, incident_id, title, severity, components, moment))


@new_group.command("update")
@click.argument("incident_id", metavar="ID")
@click.option("--phase", required=True, help="investigating, identified, monitoring or resolved.")
@click.option("--severity", default=None, help="Change the severity (default: the current one).")
@click.option("--component", "components", multiple=True, metavar="ID=STATUS",
              help="Change a component's status, e.g. checkout=degraded_performance. Repeatable.")
@click.option("--title", default=None, help="Change the title.")
@authoring_options
def new_update_command(incident_id: str, phase: str, severity: str | None, components: tuple[str, ...],
                       title: str | None, source_dir: Path, now: datetime | None, edit: bool) -> None:
    """Add the next update to incident ID, pre-filled with its current state."""
    from .commands.new import new_update

    run_authoring(source_dir, now, edit,
                  lambda moment: new_update(source_dir, incident_id, phase, moment, severity=severity,
                                            components=components, title=title))


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
    from .commands.new import new_maintenance

    run_authoring(source_dir, now, edit,
                  lambda moment: new_maintenance(source_dir, maintenance_id, title, start, end, components,
                                                 moment))


class DayOrTimestampType(click.ParamType):
    """A date (YYYY-MM-DD, a whole day in the site's display zone) or an ISO 8601 timestamp."""

    name = "DATE"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if not isinstance(value, str):
            return value
        from datetime import date

        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
        parsed, why_not = parse_timestamp(value)
        if parsed is None:
            self.fail(f"'{value}' is neither a date like 2026-11-01 nor a timestamp with a zone "
                      f"like 2026-11-01T00:00:00Z", param, ctx)
        return parsed


@main.command("stats")
@click.option("--source", "source_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=".", show_default=True, help="The site's folder, holding statusgen.yml and content/.")
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
def stats_command(source_dir: Path, since, until, output_format: str, now: datetime | None) -> None:  # type: ignore[no-untyped-def]
    """Incident metrics per severity: MTTD, MTTA, MTTR, incidents per month, who reported them,
    promises kept, update cadence and time in each phase."""
    from .source.load import load_site
    from .stats import period_bounds, site_stats
    from .commands.stats import format_stats

    try:
        site, _ = load_site(source_dir, now or default_now())
    except BuildFailed as failure:
        for problem in failure.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(failure.problems)} error(s) in the site; fix them to compute metrics.", err=True)
        sys.exit(1)
    start, end = period_bounds(since, until, site.zone)
    if start is not None and end is not None and end <= start:
        raise click.ClickException("--until must be later than --since")
    click.echo(format_stats(site_stats(site, start, end), output_format), nl=False)


@main.group("import")
def import_group() -> None:
    """Import incidents and components from cState or Atlassian Statuspage into this site.

    Writes into the site given by --source; never overwrites a file, and running the same import
    again creates nothing.
    """


def import_source_option(command):  # type: ignore[no-untyped-def]
    return click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=".", show_default=True,
                        help="The statusgen site to import into (created if missing).")(command)


def run_import(source_dir: Path, plan_for) -> None:  # type: ignore[no-untyped-def]
    """Plan an import against the site's statusgen.yml (if any), write it, print what happened."""
    from .importers.writer import ImportFailed, existing_config, write_plan

    try:
        config = existing_config(source_dir)
        plan = plan_for(config)
        source_dir.mkdir(parents=True, exist_ok=True)
        result = write_plan(source_dir, plan, config)
    except ImportFailed as failure:
        exit_with_errors(failure.messages)
    except OSError as error:
        raise click.ClickException(f"cannot write {error.filename}: {error.strerror}")
    for line in result.lines():
        click.echo(line, err=line.startswith("Error: "))
    sys.exit(result.exit_status)


@import_group.command("cstate")
@click.argument("cstate_dir", metavar="CSTATE_SITE", type=click.Path(file_okay=False, exists=True, path_type=Path))
@import_source_option
def import_cstate_command(cstate_dir: Path, source_dir: Path) -> None:
    """Import a cState site's issues (content/issues/*.md) and systems (config.yml)."""
    from .importers.cstate import plan_cstate

    run_import(source_dir, lambda config: plan_cstate(cstate_dir, config))


@import_group.command("statuspage")
@click.argument("incidents_json", metavar="INCIDENTS_JSON", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--components", "components_json", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Statuspage's components.json: its components go into statusgen.yml.")
@import_source_option
def import_statuspage_command(incidents_json: Path, components_json: Path | None, source_dir: Path) -> None:
    """Import an export of Statuspage's /api/v2/incidents.json (and components.json)."""
    from .importers.statuspage import plan_statuspage

    run_import(source_dir, lambda config: plan_statuspage(incidents_json, components_json, config))


if __name__ == "__main__":
    main()
