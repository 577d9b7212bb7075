"""Real receivers on 127.0.0.1 for the `statusgen notify` tests: an HTTP server that records the
JSON webhook posts apprise's json:// sends, and an aiosmtpd SMTP server that records mail. Each
can be told to fail its next N deliveries (HTTP 500, SMTP 554), and each stops when the test ends."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (a connection to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Webhook:
    """An HTTP server recording every JSON post, by path."""

    port: int = 0
    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    """path → how many more posts to answer with 500."""

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def received(self, path: str) -> list[dict[str, Any]]:
        return [post for where, post in self.posts if where == path]


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
            body = self.rfile.read(length)
            path = self.path.split("?", 1)[0]
            if hook.failures.get(path, 0) > 0:
                hook.failures[path] -= 1
                self.send_response(500)
                self.end_headers()
                return
            hook.posts.append((path, json.loads(body)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Mailbox:
    """An SMTP server (aiosmtpd) recording every mail it accepts."""

    port: int = 0
    mails: list[EmailMessage] = field(default_factory=list)
    failures: int = 0
    """How many more mails to refuse with 554."""

    def url(self, to: str = "ops@acme.example") -> str:
        # mailto:// (not mailtos://) with mode=insecure: plain SMTP, no STARTTLS; no user and
        # password, so no login (apprise logs in only when it has both).
        return f"mailto://127.0.0.1:{self.port}?from=status@acme.example&to={to}&mode=insecure"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox(port=free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            if box.failures > 0:
                box.failures -= 1
                return "554 Transaction failed: rejected for the test"
            box.mails.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, ready_timeout=10)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
