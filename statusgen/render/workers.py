"""Work shared among forked worker processes, for sites large enough to pay for them.

Each worker is forked with its share of the work in memory (nothing is pickled in) and sends
back everything it computed (pickled through a pipe), so the parent ends up knowing all the
workers know: the pages, and the Markdown bodies rendered for them (render/pages.py).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from multiprocessing.connection import Connection
from typing import Callable, Sequence, TypeVar

from ..problems import BuildFailed

PARALLEL_MIN_PAGES = 300
"""Below this many pages, starting worker processes costs more than it saves."""

T = TypeVar("T")
R = TypeVar("R")


def worker_count(pages: int) -> int:
    """How many processes to render `pages` pages in (1: render them here)."""
    if pages < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def in_processes(work: Callable[[list[T]], R], items: Sequence[T], workers: int) -> list[R]:
    """`work(items[i::workers])` for each i, each in a forked process; their results in that
    order. Problems (BuildFailed) of all workers are raised together."""
    context = multiprocessing.get_context("fork")
    receivers: list[Connection] = []
    processes = []
    try:
        for worker in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run_share, args=(work, list(items[worker::workers]), sender),
                                      daemon=True)
            process.start()
            sender.close()
            receivers.append(receiver)
            processes.append(process)
        outcomes = [_outcome(receiver) for receiver in receivers]
    finally:
        for process in processes:
            process.join()
        for receiver in receivers:
            receiver.close()
    problems = [problem for kind, value in outcomes if kind == "problems" for problem in value]
    if problems:
        raise BuildFailed(problems)
    failed = [value for kind, value in outcomes if kind == "failed"]
    if failed:
        raise RuntimeError(f"a worker process failed:\n{failed[0]}")
    return [value for _, value in outcomes]


def interleaved(shares: Sequence[Sequence[T]]) -> list[T]:
    """The items in_processes split into `shares`, back in their order."""
    merged: list[T] = [None] * sum(len(share) for share in shares)  # type: ignore[list-item]
    for worker, share in enumerate(shares):
        merged[worker::len(shares)] = share
    return merged


def _run_share(work: Callable[[list[T]], R], share: list[T], sender: Connection) -> None:
    """In the worker: do the share and send the outcome to the parent."""
    outcome: tuple[str, object]
    try:
        outcome = ("done", work(share))
    except BuildFailed as failure:
        outcome = ("problems", failure.problems)
    except BaseException:  # whatever it is, the parent must hear of it, not wait for a result
        outcome = ("failed", traceback.format_exc())
    try:
        sender.send(outcome)
    finally:
        sender.close()


def _outcome(receiver: Connection) -> tuple[str, object]:
    try:
        return receiver.recv()
    except EOFError:  # the worker died before it could say why
        return ("failed", "it exited without a result")

