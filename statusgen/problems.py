"""Problems found in a site's source: errors are data, collected across the whole build.

Validation never stops at the first mistake. Every stage appends `Problem`s to a list and
carries on with what it can; the CLI prints them all, sorted by file and line, and decides
the exit status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the source, located as precisely as we know."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.message)


class BuildFailed(Exception):
    """Raised when a build found problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__(f"{len(self.problems)} problem(s)")

