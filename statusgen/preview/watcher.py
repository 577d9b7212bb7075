"""A file watcher for a dev server: bursts of file events in, one "these paths changed" call out.

A watchdog observer reports changes in the watched folders. Editors that save by rename or in
several writes produce bursts of events, so a worker thread waits for a short quiet spell and
then calls back once with every path the burst touched (or says "everything" when there were
too many to be worth listing, as after a `git checkout`). Once nothing has changed for a longer
while after that, it calls an idle callback, for work that may wait: rendering ahead.
It knows nothing about what the files mean.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent,
                             FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer

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

    Both callbacks run on the watcher's own thread, one at a time.
    """

    def __init__(self, changed: Callable[[Changes], None], idle: Callable[[Callable[[], bool]], None],
                 quiet_seconds: float = QUIET_SECONDS, idle_seconds: float = IDLE_SECONDS,
                 everything_after: int = EVERYTHING_AFTER, thread_name: str = "preview-watcher"):
        self.changed = changed
        self.idle = idle
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
        self.thread = threading.Thread(target=self.run, name=thread_name, daemon=True)

    def watch(self, folder: Path, recursive: bool) -> None:
        """Report changes in `folder` (and its subfolders, if `recursive`)."""
        try:
            self.observer.schedule(self, str(folder), recursive=recursive, event_filter=list(WATCHED_EVENTS))
        except TypeError:  # a watchdog without event_filter
            self.observer.schedule(self, str(folder), recursive=recursive)

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
            if changes is None:
                self.idle(self.pending)
            else:
                self.changed(changes)

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
