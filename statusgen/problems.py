"""Problems found in a site's source, and the one family of errors statusgen shows its users.

Validation never stops at the first mistake. Every stage appends `Problem`s to a list and
carries on with what it can; a command that cannot go on raises `BuildFailed` with all of them.

Every mistake a user can fix is a `StatusgenError`, a `click.ClickException`: commands raise
it and click prints it with `show()` (to stderr) and exits with status 1, never a traceback.
There is one way to print each kind:

- `StatusgenError` (and `AuthoringError`, `ImportFailed`, `output.OutputError`): one line
  `Error: <message>` per message;
- `BuildFailed`: every problem as `<file>:<line>: <message>`, sorted by file and line, then a
  summary line, by default `3 errors; nothing was written.`

Messages quote what the user wrote, which can hold any character (a lone surrogate from a broken
`\\ud83d` escape, a U+2028 line separator). Both kinds escape what is unprintable the one way,
`wording.printable`, when they are made, so every output format can print them on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any, Iterable

import click

from .wording import count_of, printable


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the source, located as precisely as we know."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __post_init__(self) -> None:
        for name in ("file", "field", "message"):
            value = getattr(self, name)
            if value is not None and not value.isprintable():
                object.__setattr__(self, name, printable(value))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        """Order for reports: by file, then line (unlocated first), then message."""
        return (self.file, self.line or 0, self.message)


class StatusgenError(click.ClickException):
    """A mistake the user can fix; carries one message or several, each naming what is at fault."""

    exit_code = 1

    def __init__(self, messages: str | Iterable[str]):
        self.messages = [printable(message) for message in ([messages] if isinstance(messages, str) else messages)]
        super().__init__("; ".join(self.messages))

    def lines(self) -> list[str]:
        """What the user sees, one line each."""
        return [f"Error: {message}" for message in self.messages]

    def show(self, file: IO[Any] | None = None) -> None:
        """Print lines() to stderr (or `file`); click calls this before exiting with exit_code."""
        for line in self.lines():
            click.echo(line, file=file, err=True)


class AuthoringError(StatusgenError):
    """`statusgen init` or `statusgen new` was given something it cannot write (an option, a
    template of the site's)."""


class ImportFailed(StatusgenError):
    """`statusgen import` cannot start: an unreadable export, a broken statusgen.yml."""


class BuildFailed(StatusgenError):
    """The site's files have problems; carries all of them, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem], summary: str | None = None):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        self.summary = summary or f"{count_of(len(self.problems), 'error')}; nothing was written."
        super().__init__([str(problem) for problem in self.problems])

    def lines(self) -> list[str]:
        """Every problem, then the summary line."""
        return [*self.messages, self.summary]


def cannot_write(error: OSError) -> StatusgenError:
    """The error to raise when writing a file of the user's failed (a full disk, no permission)."""
    return StatusgenError(f"cannot write {error.filename}: {error.strerror}")
