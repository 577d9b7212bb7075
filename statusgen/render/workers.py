"""Rendering pages in forked worker processes, for sites large enough to pay for them."""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING

from ..problems import BuildFailed, Problem

if TYPE_CHECKING:
    from .pages import PageRenderer


PARALLEL_MIN_PAGES = 300
"""Below this many pages, starting worker processes costs more than it saves."""


_forked_work: tuple[PageRenderer, list] | None = None
"""What forked workers render: set just before the pool forks, so nothing is pickled in."""


def _worker_count(pages: int) -> int:
    if pages < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _render_share(share: tuple[int, int]) -> list[tuple[str, bytes]] | list[Problem]:
    worker, workers = share
    renderer, pages = _forked_work  # type: ignore[misc]
    try:
        return renderer.render_some(pages[worker::workers])
    except BuildFailed as failure:
        return failure.problems


def _render_in_processes(renderer: PageRenderer, pages: list, workers: int) -> list[tuple[str, bytes]]:
    """Render pages in `workers` forked processes (every workers-th page each), in page order."""
    global _forked_work
    _forked_work = (renderer, pages)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            shares = pool.map(_render_share, [(worker, workers) for worker in range(workers)])
    finally:
        _forked_work = None
    problems = [item for share in shares for item in share if isinstance(item, Problem)]
    if problems:
        raise BuildFailed(problems)
    rendered: list[tuple[str, bytes]] = [("", b"")] * len(pages)
    for worker, share in enumerate(shares):
        rendered[worker::workers] = share
    return rendered
