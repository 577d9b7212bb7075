"""The `statusgen` command. Thin: parses options, calls one function per verb, maps errors to
exit codes. Problems in the user's files are printed together, never as a traceback."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from . import __version__
from .build import build
from .fields import parse_timestamp
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
def build_command(source_dir: Path, output_dir: Path | None, now: datetime | None) -> None:
    """Build the site into the output folder."""
    output_dir = output_dir if output_dir is not None else source_dir / "site"
    if not source_dir.is_dir():
        raise click.ClickException(f"source folder {source_dir} does not exist")
    if source_dir.resolve().is_relative_to(output_dir.resolve()):
        raise click.ClickException(f"the output folder {output_dir} must not contain the source folder")
    try:
        report = build(source_dir, output_dir, now or default_now())
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
    from .check import check_site, exit_status, format_github, format_json, format_text

    findings = check_site(source_dir, now or default_now())
    if output_format == "json":
        click.echo(format_json(findings))
    elif output_format == "github":
        prefix = os.path.relpath(source_dir).replace(os.sep, "/")
        click.echo(format_github(findings, "" if prefix == "." else prefix))
    else:
        click.echo(format_text(findings))
    sys.exit(exit_status(findings, strict))


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
    from .serve import serve

    try:
        serve(source_dir, host, port, now, log=lambda line: click.echo(line, err=False))
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}")


if __name__ == "__main__":
    main()
