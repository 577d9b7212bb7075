"""Delivery through apprise, the one place statusgen imports it (lazily: `statusgen --help` and
`build` never load it).

Each URL of a target gets an Apprise object of its own, so a failure is known per target and
per URL. Messages go out oldest first; at a target's first failure the rest of its messages
are not tried (they would most likely fail the same way, each after a timeout) and stay
pending with the failed one. apprise says why a delivery failed only in its log, which can
carry the URL and so the secret (a Telegram bot token is the URL's host, a Slack token its
path): the log is captured while sending, never shown as it is, and the reason given is its
warnings with every part of the URL blanked out, plus an `[Errno …]` text from its details.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Sequence
from urllib.parse import unquote

from .messages import Message
from .targets import Target

PLAIN_WEBHOOKS = {"json", "jsons", "xml", "xmls", "form", "forms"}
"""Generic webhooks: a program reads them, so they get the plain text even though they would
take Markdown."""
_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")\]]+")


@dataclass
class Outcome:
    """What one target received."""

    delivered: list[str] = field(default_factory=list)
    """Keys of the messages it accepted."""
    failed: list[str] = field(default_factory=list)
    """Keys of the messages not delivered (the failed one and those after it)."""
    reason: str | None = None
    """Why it failed, with the URL's parts blanked out."""


def deliver(target: Target, messages: Sequence[Message]) -> Outcome:
    """Send `messages` to `target`, each to every URL of it; a message counts as delivered when
    every URL accepted it."""
    import apprise  # here only: a heavy import, and only needed when something is sent

    outcome = Outcome()
    senders = []
    for number, url in enumerate(target.urls, start=1):
        sender = apprise.Apprise(asset=apprise.AppriseAsset(async_mode=False, storage_mode="memory"))
        with _Capture(url) as log:
            added = sender.add(url)
        if not added or len(sender) == 0:
            scheme = url.split("://", 1)[0] if "://" in url else ""
            where = f"URL {number}" if len(target.urls) > 1 else "its URL"
            outcome.failed = [m.key for m in messages]
            outcome.reason = (f"apprise cannot use {where} (scheme '{_redact(scheme, url)}')"
                              + (f": {log.reason()}" if log.reason() else ""))
            return outcome
        senders.append((sender, url))
    for index, message in enumerate(messages):
        for sender, url in senders:
            with _Capture(url) as log:
                sent = _send(apprise, sender, message)
            if not sent:
                outcome.failed = [m.key for m in messages[index:]]
                outcome.reason = log.reason() or "apprise reported a failure without a reason"
                return outcome
        outcome.delivered.append(message.key)
    return outcome


def _send(apprise: Any, sender: Any, message: Message) -> bool:
    server = sender[0]
    formats = server.notify_format if isinstance(server.notify_format, (tuple, list)) else (server.notify_format,)
    protocol = {str(p).lower() for p in _as_tuple(getattr(server, "protocol", None))
                + _as_tuple(getattr(server, "secure_protocol", None))}
    markdown = apprise.NotifyFormat.MARKDOWN in [apprise.NotifyFormat(f) for f in formats] \
        and not protocol & PLAIN_WEBHOOKS
    if markdown:
        return bool(sender.notify(body=message.markdown, title=message.title,
                                  body_format=apprise.NotifyFormat.MARKDOWN))
    return bool(sender.notify(body=message.text, title=message.title, body_format=apprise.NotifyFormat.TEXT))


def _as_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


class _Log(logging.Handler):
    """apprise's log records while one URL is used: kept, never printed."""

    def __init__(self, url: str):
        super().__init__(logging.DEBUG)
        self.url = url
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def reason(self) -> str:
        """The warnings and errors, and any `[Errno …]` in the details, with the URL blanked out."""
        said: list[str] = []
        for record in self.records:
            try:
                text = record.getMessage()
            except Exception:  # a record whose arguments do not fit its format says nothing
                continue
            if record.levelno >= logging.WARNING:
                said.append(text)
            said += _ERRNO.findall(text) if record.levelno < logging.WARNING else []
        unique = list(dict.fromkeys(" ".join(text.split()) for text in said))
        return "; ".join(_redact(text, self.url) for text in unique)[:500]


class _Capture:
    """Attach a _Log to apprise's logger for the time of a `with`, and keep its records from every
    other handler (apprise's log is never shown)."""

    def __init__(self, url: str):
        self.log = _Log(url)
        self.logger = logging.getLogger("apprise")

    def __enter__(self) -> _Log:
        self.saved = (self.logger.level, self.logger.propagate, list(self.logger.handlers))
        for handler in self.saved[2]:
            self.logger.removeHandler(handler)
        self.logger.addHandler(self.log)
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        return self.log

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.log)
        for handler in self.saved[2]:
            self.logger.addHandler(handler)
        self.logger.setLevel(self.saved[0])
        self.logger.propagate = self.saved[1]


def secret_parts(url: str) -> list[str]:
    """Every part of `url` that may be secret, longest first: the whole URL, and each piece
    between its delimiters (user, password, host, path segments, query names and values), as
    written and percent-decoded, of three characters or more."""
    pieces = {url, unquote(url)}
    for text in (url, unquote(url)):
        rest = text.split("://", 1)[-1]
        pieces.update(re.split(r"[/?&#\s]+", rest))  # whole segments first: user:password@host
        pieces.update(re.split(r"[/:@?&=#,;+\s]+", rest))
    return sorted((p for p in pieces if len(p) >= 3), key=len, reverse=True)


def _redact(text: str, url: str) -> str:
    for part in secret_parts(url):
        text = text.replace(part, "***")
    return text
