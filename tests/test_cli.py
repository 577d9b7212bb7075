"""The CLI's clock and its errors.

Every command runs at `--now` when given, else at SOURCE_DATE_EPOCH when that is set (the
reproducible-builds convention), else at the real time; a SOURCE_DATE_EPOCH that is not a number
of seconds is a clean error. Every error is a StatusgenError that click prints to stderr with
exit status 1, never a traceback.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_NOW, REPO, run_build, write_site
from statusgen.cli import clock, main
from statusgen.problems import AuthoringError, BuildFailed, ImportFailed, Problem, StatusgenError
from statusgen.output import OutputError
from sites import GOOD_UPDATE
from test_errors import FILE

OPEN_INCIDENT = {FILE: GOOD_UPDATE}
"""An incident opened at 09:30 that promised its next update by 10:00 (see test_errors.py)."""


def epoch(text: str) -> str:
    """SOURCE_DATE_EPOCH for an ISO 8601 time."""
    return str(int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()))


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the clock ----------------------------------------------------------------------------------

def test_clock_is_source_date_epoch_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764140400")
    assert clock() == datetime(2025, 11, 26, 7, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    assert before <= clock() <= datetime.now(timezone.utc) and clock().microsecond == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert clock().tzinfo == timezone.utc


def test_build_honours_source_date_epoch_and_now_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_now = run_build(REPO, tmp_path / "now", EXAMPLE_NOW, "--no-cache")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(EXAMPLE_NOW))
    at_epoch = run_build(REPO, tmp_path / "epoch", None, "--no-cache")
    assert at_now.exit_code == at_epoch.exit_code == 0, at_epoch.output
    assert files_of(at_epoch.site) == files_of(at_now.site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-11-26T09:00:00Z"))  # the webhook promise overdue
    later = run_build(REPO, tmp_path / "later", None, "--no-cache")
    assert later.exit_code == 0 and files_of(later.site) != files_of(at_now.site)
    wins = run_build(REPO, tmp_path / "wins", EXAMPLE_NOW, "--no-cache")
    assert files_of(wins.site) == files_of(at_now.site)


def test_new_honours_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_site(tmp_path / "site", {})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-11-26T07:31:05Z"))
    result = invoke("new", "incident", "2026-11-26-api", "--title", "API down", "--severity", "sev2",
                    "--component", "api=major_outage", "--source", str(source))
    written = source / "content/incidents/2026-11-26-api/2026-11-26T073105Z.md"
    assert result.exit_code == 0 and result.stdout == f"{written}\n", result.output
    assert "at: 2026-11-26T07:31:05Z\n" in written.read_text(encoding="utf-8")


def test_check_honours_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_site(tmp_path / "site", OPEN_INCIDENT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-11-20T09:45:00Z"))
    assert invoke("check", "--source", str(source)).stdout == "No problems found.\n"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-11-20T11:05:00Z"))
    result = invoke("check", "--source", str(source))
    assert "next_update 2026-11-20T10:00:00Z passed 1 h 05 min ago" in result.stdout, result.output


def test_stats_honours_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_site(tmp_path / "site", OPEN_INCIDENT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-11-20T11:05:00Z"))
    result = invoke("stats", "--source", str(source))
    assert result.exit_code == 0, result.output
    assert "1 incident (1 open) as of 20 Nov 2026, 11:05 UTC." in result.stdout
    assert "Worst broken promise: 1 h 05 min late" in result.stdout


def test_serve_is_given_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` reads the time at every rebuild, so it gets the clock itself (or --now's time)."""
    import statusgen.commands.serve

    clocks = []
    monkeypatch.setattr(statusgen.commands.serve, "serve",
                        lambda source_dir, host, port, clock, log: clocks.append(clock))
    source = write_site(tmp_path / "site", {})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-11-20T11:05:00Z"))
    assert invoke("serve", "--source", str(source)).exit_code == 0
    assert invoke("serve", "--source", str(source), "--now", "2026-01-01T00:00:00Z").exit_code == 0
    assert [c() for c in clocks] == [datetime(2026, 11, 20, 11, 5, tzinfo=timezone.utc),
                                     datetime(2026, 1, 1, tzinfo=timezone.utc)]


@pytest.mark.parametrize("value, shown", [
    ("tomorrow", "tomorrow"), ("-5", "-5"), ("1.5", "1.5"), ("99999999999999999999", "99999999999999999999"),
    # Years --now refuses too: year 3000, year 9999 (a build would make a page for every month up
    # to it), and a value too long to repeat in full.
    ("32503680000", "32503680000"), ("253402300799", "253402300799"), ("9" * 5000, "9" * 40 + "…"),
    ("١٧٦٤١٤٠٤٠٠", "١٧٦٤١٤٠٤٠٠"),  # digits, but not ASCII ones
    # Unprintable characters are escaped, as in every message: a line separator, and the byte
    # 0xff of an environment that is not UTF-8 (Python reads it as a lone surrogate).
    ("17\u20286", "17\\u20286"), ("17\udcff", "17\\udcff"),
])
@pytest.mark.parametrize("command", [["build"], ["check"], ["stats"], ["serve"],
                                     ["new", "incident", "x", "--title", "X", "--severity", "sev1"]])
def test_a_bad_source_date_epoch_is_a_clean_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  value: str, shown: str, command: list[str]) -> None:
    source = write_site(tmp_path / "site", {})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = invoke(*command, "--source", str(source))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == (f"Error: SOURCE_DATE_EPOCH '{shown}' is not a time: set it to a whole number of "
                             f"seconds since 1970-01-01 UTC, at most 32503679999 (2999-12-31T23:59:59Z), like "
                             f"1764140400, or unset it to use the real time\n")
    assert sorted(p.name for p in source.iterdir()) == ["statusgen.yml"]


def test_source_date_epoch_at_the_ends_of_its_range_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "32503679999")
    assert clock() == datetime(2999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert clock() == datetime(1970, 1, 1, tzinfo=timezone.utc)


# --- the error family ---------------------------------------------------------------------------

@pytest.mark.parametrize("error", [StatusgenError("x"), AuthoringError(["x"]), ImportFailed(["x"]),
                                   OutputError("x"), BuildFailed([Problem("f", 1, None, "x")])])
def test_every_error_is_a_click_exception_exiting_1(error: StatusgenError) -> None:
    assert isinstance(error, click.ClickException) and error.exit_code == 1


def test_errors_print_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    AuthoringError(["first", "second"]).show()
    BuildFailed([Problem("b.md", 3, None, "late"), Problem("a.md", None, None, "bad"),
                 Problem("b.md", 2, None, "early")]).show()
    BuildFailed([Problem("a.md", 1, None, "bad")], "a.md does not build yet.").show()
    assert capsys.readouterr().err.splitlines() == [
        "Error: first", "Error: second",
        "a.md: bad", "b.md:2: early", "b.md:3: late", "3 errors; nothing was written.",
        "a.md:1: bad", "a.md does not build yet."]
