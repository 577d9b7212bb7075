"""A file watcher for a dev server: bursts of file events in, one "these paths changed" call out.

A watchdog observer reports changes in the watched folders. Editors that save by rename or in
several writes produce bursts of events, so a worker thread waits for a short quiet spell and
then calls back once with every path the burst touched (or says "everything" when there were
too many to be worth listing, as after a `git checkout`). Once nothing has changed for a longer
while after that, it calls an idle callback, for work that may wait: rendering ahead.
A callback that raises does not stop the watcher: the error goes to the `failed` callback
(by default one line on stderr) and the next change is reported as usual.
It knows nothing about what the files mean.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent,
                             FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

WATCHED_EVENTS = (FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
                  DirCreatedEvent, DirDeletedEvent, DirMovedEvent)
"""Changes only. Reading files makes inotify report opens and closes too; with 10,000s of files
a rebuild's own reads (and watchdog's, adding watches) overflow the kernel's event queue."""
EVERYTHING_AFTER = 500
"""More changed paths than this in one go (a `git checkout`, a lost-events rescan): reload all."""
QUIET_SECONDS = 0.04
"""How long the files must stay unchanged before the change callback runs: inotify reports a
save within milliseconds, and an editor's burst of events (write, rename) within a few more."""
IDLE_SECONDS = 3.0
"""How long after the change callback (or the start) nothing must change before the idle
callback runs."""
EDITOR_DEBRIS = ("~", ".swp", ".swx", ".tmp")
"""Endings of the backup and swap files editors write beside the file being saved."""


@dataclass(frozen=True)
class Watch:
    """A folder to watch: its subfolders too if `recursive`; with `names`, only the entries of
    those names directly in it (a config file beside folders that must not be watched)."""

    folder: Path
    recursive: bool
    names: frozenset[str] | None = None


@dataclass(frozen=True)
class Changes:
    """What one burst of file events changed."""

    paths: tuple[Path, ...]
    """Every path an event named (a move names both ends), sorted; empty when `everything`."""
    last: Path
    """The path to name in a message: the last file that changed (not its folder)."""
    everything: bool = False
    """Too many paths changed to be worth listing: treat everything as changed."""


def ignored(event: FileSystemEvent) -> bool:
    """Events that are not edits: opening and reading a file, hidden files, editors' debris
    (backups, swap files, vim's `4913` probe)."""
    name = Path(str(getattr(event, "dest_path", "") or event.src_path)).name
    return event.event_type in ("opened", "closed_no_write") or name.startswith(".") \
        or name.endswith(EDITOR_DEBRIS) or name == "4913"


class Watcher(FileSystemEventHandler):
    """Watches folders; after each quiet burst of changes calls `changed(Changes)`, and after a
    longer calm `idle(pending)`, where `pending()` says whether it should give way to a change.

    Both callbacks run on the watcher's own thread, one at a time; an exception either raises
    is passed to `failed(error)`, and the watcher carries on.
    """

    def __init__(self, changed: Callable[[Changes], None], idle: Callable[[Callable[[], bool]], None],
                 quiet_seconds: float = QUIET_SECONDS, idle_seconds: float = IDLE_SECONDS,
                 everything_after: int = EVERYTHING_AFTER, thread_name: str = "preview-watcher",
                 failed: Callable[[Exception], None] | None = None):
        self.changed = changed
        self.idle = idle
        self.failed = failed or _report
        self.quiet_seconds = quiet_seconds
        self.idle_seconds = idle_seconds
        self.everything_after = everything_after
        self.dirty_since: float | None = None
        self.changed_paths: set[str] = set()
        self.last_path = ""
        self.idle_due = True
        self.lock = threading.Condition()
        self.stopped = False
        self.observer = Observer()
        self.watches: dict[Watch, tuple[ObservedWatch, tuple[int, int]]] = {}
        """What is watched, and the identity (device, inode) of its folder when it was scheduled."""
        self.thread = threading.Thread(target=self.run, name=thread_name, daemon=True)

    def watch(self, folder: Path, recursive: bool) -> None:
        """Report changes in `folder` (and its subfolders, if `recursive`)."""
        self.watch_only([*self.watches, Watch(folder, recursive)])

    def watch_only(self, watches: Iterable[Watch]) -> list[tuple[Watch, OSError]]:
        """Watch exactly `watches`: start the new ones, stop the others, and start again one
        whose folder was replaced (deleted and made anew). One whose folder does not exist is
        left out until it does; returns those that could not be watched, with why."""
        wanted = {watch: _identity(watch.folder) for watch in watches}
        for watch, (observed, identity) in list(self.watches.items()):
            if wanted.get(watch) != identity:
                del self.watches[watch]
                try:
                    self.observer.unschedule(observed)
                except (KeyError, OSError):  # its folder is gone, and its watch with it
                    pass
        failures = []
        for watch, identity in wanted.items():
            if identity is not None and watch not in self.watches:
                try:
                    self.watches[watch] = (self._schedule(watch), identity)
                except OSError as error:  # inotify's limit of watches reached, say
                    failures.append((watch, error))
        return failures

    def _schedule(self, watch: Watch) -> ObservedWatch:
        handler = self if watch.names is None else _Only(self, str(watch.folder), watch.names)
        try:
            return self.observer.schedule(handler, str(watch.folder), recursive=watch.recursive,
                                          event_filter=list(WATCHED_EVENTS))
        except TypeError:  # a watchdog without event_filter
            return self.observer.schedule(handler, str(watch.folder), recursive=watch.recursive)

    def start(self) -> None:
        self.observer.start()
        self.thread.start()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if ignored(event):
            return
        path = str(getattr(event, "dest_path", "") or event.src_path)
        with self.lock:
            if self.dirty_since is None or not event.is_directory:
                self.last_path = path  # name the file that changed, not its folder
            self.changed_paths.update(p for p in (event.src_path, getattr(event, "dest_path", "")) if p)
            self.dirty_since = time.monotonic()
            self.lock.notify_all()

    def pending(self) -> bool:
        """Whether a change is waiting (or the watcher is stopping)."""
        return self.dirty_since is not None or self.stopped

    def run(self) -> None:
        """The watcher thread: wait, then call back, until stopped."""
        while True:
            with self.lock:
                self.lock.wait_for(lambda: self.pending() or self.idle_due, timeout=self.idle_seconds)
                if self.stopped:
                    return
                if self.dirty_since is None:
                    if not self.idle_due or not self._calm():
                        continue
                    self.idle_due = False
                    changes = None
                else:
                    changes = self._burst()
                    if changes is None:
                        continue
                    self.idle_due = True
            try:
                if changes is None:
                    self.idle(self.pending)
                else:
                    self.changed(changes)
            except Exception as error:  # the thread must outlive any callback's failure
                self._failed(error)

    def _failed(self, error: Exception) -> None:
        try:
            self.failed(error)
        except Exception:
            _report(error)

    def _calm(self) -> bool:
        """Whether nothing changed for `idle_seconds` more; called holding the lock."""
        self.lock.wait(self.idle_seconds)
        return not self.pending()

    def _burst(self) -> Changes | None:
        """The burst's changes once it has been quiet long enough, else None after waiting a
        little; called holding the lock."""
        quiet_for = time.monotonic() - self.dirty_since  # type: ignore[operator]
        if quiet_for < self.quiet_seconds:
            self.lock.wait(self.quiet_seconds - quiet_for)
            return None
        self.dirty_since = None
        last, paths, self.changed_paths = self.last_path, self.changed_paths, set()
        if len(paths) > self.everything_after:
            return Changes((), Path(last), everything=True)
        return Changes(tuple(Path(p) for p in sorted(paths)), Path(last))

    def stop(self) -> None:
        """Stop calling back and stop the observer; `join` waits for it."""
        with self.lock:
            self.stopped = True
            self.lock.notify_all()
        self.observer.stop()

    def join(self, timeout: float) -> None:
        self.observer.join(timeout=timeout)


class _Only(FileSystemEventHandler):
    """Passes on the events about the entries named `names` directly in `folder`."""

    def __init__(self, watcher: Watcher, folder: str, names: frozenset[str]):
        self.watcher = watcher
        self.folder = folder
        self.names = names

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = (str(event.src_path), str(getattr(event, "dest_path", "") or ""))
        if any(os.path.dirname(p) == self.folder and os.path.basename(p) in self.names for p in paths if p):
            self.watcher.on_any_event(event)


def _identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of `folder`, None if it is not a folder."""
    try:
        status = os.stat(folder)
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISDIR(status.st_mode) else None


def _report(error: Exception) -> None:
    """The default `failed` callback: one line on stderr, no traceback."""
    print(f"{threading.current_thread().name}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
