"""`statusgen notify` against real receivers on 127.0.0.1: JSON webhooks (apprise's json://) to an
HTTP server and email (apprise's mailto://) to an aiosmtpd SMTP server.

A publish is played as the workflow plays it: `previous` is the published site before the
deploy (a build of the content as it was), the pending file is kept from run to run."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import MINIMAL_CONFIG, REPO, run_build, write_site
from notify_receivers import Mailbox, Webhook, free_port, mailbox, webhook  # noqa: F401 - fixtures
from sites import GOOD_MAINTENANCE, GOOD_UPDATE
from statusgen.cli import main
from statusgen.notify.messages import escape_markdown

NOW = "2026-11-20T12:00:00Z"
SECRET = "s3cr3t-T0KEN-9f8e7d"
INCIDENT = "content/incidents/2026-11-20-card-payments"

SECOND_UPDATE = """\
---
at: 2026-11-20T09:50:00Z
phase: identified
components:
  checkout: degraded_performance
next_update: 2026-11-20T10:30:00Z
---
We've found the cause and are **rolling back**.
"""

HOSTILE_UPDATE = """\
---
at: 2026-11-20T10:10:00Z
phase: monitoring
components:
  checkout: degraded_performance
next_update: 2026-11-20T10:40:00Z
---
<script>alert(1)</script> <b>bold</b> [click here](https://evil.example/x) [js](javascript:alert(1))
@channel @everyone <!channel> **loud** _quiet_ # not a heading
"""

API_UPDATE = """\
---
at: 2026-11-20T11:00:00Z
phase: investigating
severity: sev3
title: Slow API responses
components:
  api: degraded_performance
next_update: 2026-11-20T12:00:00Z
---
Some API requests are slow.
"""


def notify(source: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    environment = {"STATUSGEN_NOTIFY": None, **(env or {})}
    return CliRunner().invoke(main, ["notify", "--source", str(source), "--now", NOW, *args],
                              env=environment, catch_exceptions=False)


def published(source: Path, folder: Path) -> Path:
    """The site as the workflow publishes it (what the next run's --previous reads)."""
    result = run_build(source, folder, NOW, "--no-cache")
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site with one incident of one update, published as `tmp_path/before`; then a second update."""
    source = write_site(tmp_path / "source", {f"{INCIDENT}/0930.md": GOOD_UPDATE})
    published(source, tmp_path / "before")
    (source / INCIDENT / "0950.md").write_text(SECOND_UPDATE, encoding="utf-8")
    return source


def test_a_new_update_goes_to_a_webhook_and_by_email(site: Path, tmp_path: Path, webhook: Webhook,
                                                     mailbox: Mailbox) -> None:
    result = notify(site, "--previous", str(tmp_path / "before"),
                    "--to", webhook.url(f"/hook/{SECRET}"), "--to", mailbox.url())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["to-1: sent 1 update", "to-2: sent 1 update"]
    (post,) = webhook.received(f"/hook/{SECRET}")
    assert post["title"] == "[SEV-2, Identified] Card payments failing"
    assert post["message"] == textwrap.dedent("""\
        SEV-2 (Major) · Identified · 20 Nov 2026, 09:50 UTC
        Affected: Checkout (Degraded performance)

        We've found the cause and are rolling back.

        Next update by 10:30 UTC.
        Details: https://example.test/status/incidents/2026-11-20-card-payments/#update-20261120T095000Z""")
    (mail,) = mailbox.mails
    assert mail["Subject"] == "[SEV-2, Identified] Card payments failing"
    assert mail["To"] == "ops@acme.example" and mail["From"] == "status@acme.example"
    assert mail.get_content_type() == "text/plain" and not mail.is_multipart()
    assert mail.get_content().replace("\r\n", "\n").strip() == post["message"]


def test_exactly_once_and_never_lost_across_workflow_runs(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    """Run after run as the workflow runs them, one receiver failing (HTTP 500) the first time."""
    pending = tmp_path / "cache/pending.json"
    webhook.failures["/b"] = 1
    env = {"STATUSGEN_NOTIFY": f"{webhook.url('/a')} {webhook.url('/b')}"}
    run = ["--previous", str(tmp_path / "before"), "--pending", str(pending)]

    first = notify(site, *run, env=env)
    assert first.exit_code == 1
    assert "env-1: sent 1 update" in first.stdout
    assert first.stderr.startswith("Error: env-2: not delivered: ")
    assert "error=500" in first.stderr and "1 update kept for the next run" in first.stderr
    assert (len(webhook.received("/a")), len(webhook.received("/b"))) == (1, 0)
    state = json.loads(pending.read_text())
    assert state["pending"] == {"env-2": ["incident/2026-11-20-card-payments-20261120T095000Z"]}

    # The re-run of that run (same snapshot, the pending file it left): only the failed target.
    second = notify(site, *run, env=env)
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == ["env-1: nothing new", "env-2: sent 1 update"]
    assert (len(webhook.received("/a")), len(webhook.received("/b"))) == (1, 1)
    assert json.loads(pending.read_text())["pending"] == {}

    # Once more, and a run after the deploy with nothing new: nothing is sent twice.
    for previous in (tmp_path / "before", published(site, tmp_path / "deployed")):
        again = notify(site, "--previous", str(previous), "--pending", str(pending), env=env)
        assert again.exit_code == 0 and again.stdout.splitlines() == ["env-1: nothing new", "env-2: nothing new"]
    assert (len(webhook.received("/a")), len(webhook.received("/b"))) == (1, 1)

    # The next update: each receiver gets it, once.
    (site / INCIDENT / "1010.md").write_text(HOSTILE_UPDATE, encoding="utf-8")
    for _ in range(2):
        assert notify(site, "--previous", str(tmp_path / "deployed"), "--pending", str(pending), env=env).exit_code == 0
    assert [p["title"] for p in webhook.received("/a")] == ["[SEV-2, Identified] Card payments failing",
                                                           "[SEV-2, Monitoring] Card payments failing"]
    assert [p["title"] for p in webhook.received("/b")] == [p["title"] for p in webhook.received("/a")]
    assert "://" not in pending.read_text() and str(webhook.port) not in pending.read_text()


def test_a_previous_site_that_holds_every_update_sends_nothing(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    result = notify(site, "--previous", str(published(site, tmp_path / "now")), "--to", webhook.url("/a"))
    assert result.exit_code == 0 and result.stdout == "to-1: nothing new\n"
    assert webhook.posts == []


def test_an_edited_update_is_sent_again(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    previous = published(site, tmp_path / "now")
    (site / INCIDENT / "0950.md").write_text(SECOND_UPDATE.replace("rolling back", "rolling the change back"))
    assert notify(site, "--previous", str(previous), "--to", webhook.url("/a")).exit_code == 0
    (post,) = webhook.received("/a")
    assert "rolling the change back" in post["message"]


def test_the_previous_site_is_read_from_its_address(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    """--previous https://… as the workflow could give it: here a local server holding the old site."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        result = notify(site, "--previous", base + "before/", "--to", webhook.url("/a"))
        assert result.exit_code == 0, result.output
        assert len(webhook.received("/a")) == 1
        never = notify(site, "--previous", base + "never-published/", "--to", webhook.url("/b"))
        assert never.exit_code == 0 and "has not been published yet" in never.stderr
        assert webhook.received("/b") == []
        # --snapshot, as the workflow takes it before deploying: the same, read later from a folder.
        saved = notify(site, "--snapshot", str(tmp_path / "snap"), "--previous", base + "before/")
        assert saved.exit_code == 0 and sorted(p.name for p in (tmp_path / "snap/api/v2").iterdir()) == [
            "incidents.json", "scheduled-maintenances.json"]
        assert notify(site, "--previous", str(tmp_path / "snap"), "--to", webhook.url("/c")).exit_code == 0
        assert webhook.received("/c") == webhook.received("/a")
        unpublished = notify(site, "--snapshot", str(tmp_path / "none"), "--previous", base + "nothing/")
        assert unpublished.exit_code == 0 and [p.name for p in (tmp_path / "none").iterdir()] == ["NOT-PUBLISHED-YET.txt"]
        assert notify(site, "--previous", str(tmp_path / "none"), "--to", webhook.url("/d")).exit_code == 0
        assert webhook.received("/d") == []
        broken = notify(site, "--snapshot", str(tmp_path / "z"), "--previous", f"http://127.0.0.1:{free_port()}/")
        assert broken.exit_code == 1 and broken.stderr.startswith("Error: --previous: cannot read http://127.0.0.1:")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_first_publish_announces_nothing_then_each_new_update(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    pending = tmp_path / "pending.json"
    first = notify(site, "--previous", str(empty), "--pending", str(pending), "--to", webhook.url("/a"))
    assert first.exit_code == 0 and "has not been published yet" in first.stderr and webhook.posts == []
    (site / INCIDENT / "1010.md").write_text(HOSTILE_UPDATE, encoding="utf-8")
    after = notify(site, "--previous", str(published(site, tmp_path / "x")), "--pending", str(pending),
                   "--to", webhook.url("/a"))
    # The pending file's record comes first: the update is new since the last run.
    assert after.exit_code == 0 and len(webhook.received("/a")) == 1


def test_what_was_announced_must_be_given(site: Path, webhook: Webhook) -> None:
    result = notify(site, "--to", webhook.url("/a"))
    assert result.exit_code == 1 and "give --previous SITE" in result.stderr and webhook.posts == []


def test_labelled_targets_get_what_their_filters_let_through(tmp_path: Path, webhook: Webhook) -> None:
    config = MINIMAL_CONFIG + textwrap.dedent("""\
        notify:
          payments:
            components: [checkout]
          serious:
            min_severity: sev2
            maintenance: false
          everything:
          not-set-up: {}
        """)
    source = write_site(tmp_path / "source", {}, config)
    published(source, tmp_path / "before")
    write_site(source, {f"{INCIDENT}/0930.md": GOOD_UPDATE, "content/incidents/2026-11-20-slow-api/1100.md": API_UPDATE,
                        "content/maintenance/2026-11-28-db/0900.md": GOOD_MAINTENANCE}, None)
    env = {f"STATUSGEN_NOTIFY_{label.upper()}": webhook.url(f"/{label}") for label in ("payments", "serious", "everything")}
    result = notify(source, "--previous", str(tmp_path / "before"), env=env)
    assert result.exit_code == 0, result.output
    assert ("Warning: not-set-up: skipped, STATUSGEN_NOTIFY_NOT_SET_UP is not set") in result.stderr
    titles = {label: [p["title"] for p in webhook.received(f"/{label}")] for label in ("payments", "serious", "everything")}
    assert titles == {
        "payments": ["[Maintenance, Scheduled] Database upgrade", "[SEV-2, Investigating] Card payments failing"],
        "serious": ["[SEV-2, Investigating] Card payments failing"],
        "everything": ["[Maintenance, Scheduled] Database upgrade", "[SEV-2, Investigating] Card payments failing",
                       "[SEV-3, Investigating] Slow API responses"],
    }
    maintenance = webhook.received("/everything")[0]["message"]
    assert maintenance.splitlines()[:3] == ["Maintenance · Scheduled · 20 Nov 2026, 09:00 UTC",
                                           "Window: on 28 November 2026 from 02:00 to 03:00 UTC",
                                           "Affected: Checkout"]
    assert maintenance.endswith("Details: https://example.test/status/maintenance/2026-11-28-db/#update-20261120T090000Z")


def test_hostile_text_stays_plain_text_in_every_message(site: Path, tmp_path: Path, webhook: Webhook,
                                                        mailbox: Mailbox) -> None:
    (site / INCIDENT / "1010.md").write_text(HOSTILE_UPDATE, encoding="utf-8")
    result = notify(site, "--previous", str(published(site, tmp_path / "x").parent / "before"),
                    "--to", webhook.url("/a"), "--to", mailbox.url(), "--dry-run", "--format", "json")
    (record,) = [r for r in json.loads(result.stdout) if r["target"] == "to-1" and "Monitoring" in r["title"]]
    words = ("<script>alert(1)</script> <b>bold</b> click here (https://evil.example/x) [js](javascript:alert(1)) "
             "@channel @everyone <!channel> loud quiet # not a heading")
    assert words in record["body"]
    assert notify(site, "--previous", str(tmp_path / "before"), "--to", webhook.url("/a"),
                  "--to", mailbox.url()).exit_code == 0
    hostile = [p["message"] for p in webhook.received("/a") if words in p["message"]]
    assert len(hostile) == 1
    (mail,) = [m for m in mailbox.mails if "Monitoring" in m["Subject"]]
    assert mail.get_content_type() == "text/plain" and words in " ".join(mail.get_content().split())


def test_the_markdown_form_shows_every_character_and_mentions_no_one() -> None:
    from markdown_it import MarkdownIt

    text = "<script>x</script> [a](https://evil.example) **b** _c_ `d` @channel\n# e\n- f\n1. g"
    html = MarkdownIt("commonmark").render(escape_markdown(text))
    assert "<script>" not in html and "<a " not in html and "<strong>" not in html and "<em>" not in html
    assert "<code>" not in html and "<h1>" not in html and "<li>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; [a](https://evil.example) **b** _c_ `d` @\u2060channel" in html


def test_dry_run_sends_nothing_writes_nothing_and_prints_no_secret(site: Path, tmp_path: Path,
                                                                   webhook: Webhook) -> None:
    pending = tmp_path / "pending.json"
    env = {"STATUSGEN_NOTIFY": webhook.url(f"/{SECRET}")}
    result = notify(site, "--previous", str(tmp_path / "before"), "--pending", str(pending), "--dry-run",
                    "--to", f"json://user:{SECRET}@127.0.0.1:{webhook.port}/x", env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Would send 1 update (dry run: nothing is sent):\n\n"
                                    "[SEV-2, Identified] Card payments failing\n  to: to-1, env-1\n")
    assert SECRET not in result.output and str(webhook.port) not in result.output
    assert webhook.posts == [] and not pending.exists()


def test_json_format_lists_each_message_per_target(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    args = ["--previous", str(tmp_path / "before"), "--to", webhook.url("/a"), "--format", "json"]
    planned = json.loads(notify(site, *args, "--dry-run").stdout)
    sent = notify(site, *args)
    assert sent.exit_code == 0 and json.loads(sent.stdout) == planned
    (record,) = planned
    assert record == {"target": "to-1", "incident_id": "2026-11-20-card-payments", "update_at": "2026-11-20T09:50:00Z",
                      "title": "[SEV-2, Identified] Card payments failing", "body": webhook.received("/a")[0]["message"],
                      "url": "https://example.test/status/incidents/2026-11-20-card-payments/#update-20261120T095000Z"}


def test_a_refused_connection_is_reported_by_label_and_the_others_still_get_it(
        site: Path, tmp_path: Path, webhook: Webhook, mailbox: Mailbox) -> None:
    pending = tmp_path / "pending.json"
    closed = free_port()
    result = notify(site, "--previous", str(tmp_path / "before"), "--pending", str(pending),
                    "--to", f"json://127.0.0.1:{closed}/{SECRET}", "--to", webhook.url("/a"), "--to", mailbox.url())
    assert result.exit_code == 1
    (error,) = result.stderr.splitlines()
    assert error.startswith("Error: to-1: not delivered: ") and "Connection refused" in error
    assert SECRET not in result.output and str(closed) not in result.output
    assert len(webhook.received("/a")) == 1 and len(mailbox.mails) == 1
    text = pending.read_text()
    assert SECRET not in text and "://" not in text and json.loads(text)["pending"] == {
        "to-1": ["incident/2026-11-20-card-payments-20261120T095000Z"]}


def test_an_smtp_error_is_reported_by_label(site: Path, tmp_path: Path, webhook: Webhook, mailbox: Mailbox) -> None:
    mailbox.failures = 1
    env = {"STATUSGEN_NOTIFY": f"{mailbox.url()} {webhook.url('/a')}"}
    result = notify(site, "--previous", str(tmp_path / "before"), env=env)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: env-1: not delivered: ") and "not kept (no --pending file)" in result.stderr
    assert mailbox.mails == [] and len(webhook.received("/a")) == 1


def test_nothing_is_sent_when_the_build_has_errors(site: Path, tmp_path: Path, webhook: Webhook) -> None:
    (site / INCIDENT / "1010.md").write_text(HOSTILE_UPDATE.replace("monitoring", "monitorng"), encoding="utf-8")
    result = notify(site, "--previous", str(tmp_path / "before"), "--to", webhook.url("/a"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{INCIDENT}/1010.md:3: phase 'monitorng' is not one of investigating, identified, monitoring, "
        f"resolved (did you mean 'monitoring'?)", "1 error; nothing was written."]
    assert webhook.posts == []


@pytest.mark.parametrize("notify_yml, message", [
    ("  ops:\n    url: https://hooks.slack.com/services/T0/B0/" + SECRET + "\n",
     "statusgen.yml:12: notify.ops.url holds what looks like a notification URL; URLs hold secrets and never go "
     "in statusgen.yml: remove it (and treat it as leaked) and set the URL in the environment variable "
     "STATUSGEN_NOTIFY_OPS (a repository secret in the workflow)"),
    ("  ops: slack://T0/B0/" + SECRET + "\n",
     "statusgen.yml:11: notify.ops holds what looks like a notification URL; URLs hold secrets and never go "
     "in statusgen.yml: remove it (and treat it as leaked) and set the URL in the environment variable "
     "STATUSGEN_NOTIFY_OPS (a repository secret in the workflow)"),
    ("  ops:\n    components: [chekout]\n",
     "statusgen.yml:12: notify.ops.components[0] 'chekout' is not a component defined in statusgen.yml "
     "(did you mean 'checkout'?); known: api, checkout"),
    ("  Ops_Slack: {}\n", "statusgen.yml:11: notify label 'Ops_Slack' is not a valid label: use lowercase "
     "letters, digits and '-', starting with a letter or digit, like ops-slack"),
    ("  ops:\n    min_severity: sev5\n", "statusgen.yml:12: notify.ops.min_severity 'sev5' is not one of sev1, "
     "sev2, sev3, sev4"),
    ("  ops:\n    chanel: x\n", "statusgen.yml:12: unknown field 'notify.ops.chanel'; allowed: components, "
     "min_severity, maintenance"),
])
def test_notify_in_statusgen_yml_is_checked(tmp_path: Path, notify_yml: str, message: str) -> None:
    source = write_site(tmp_path / "s", {}, MINIMAL_CONFIG + "notify:\n" + notify_yml)
    result = CliRunner().invoke(main, ["check", "--source", str(source), "--now", NOW])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == message.replace(": ", ": error: ", 1)
    assert SECRET not in result.output


def test_apprise_is_imported_only_when_notify_sends(example_source: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from click.testing import CliRunner
        from statusgen.cli import main
        runner = CliRunner()
        assert runner.invoke(main, ["--help"]).exit_code == 0
        assert runner.invoke(main, ["notify", "--help"]).exit_code == 0
        assert runner.invoke(main, ["build", "--source", {str(example_source)!r}, "--output", {str(tmp_path / "out")!r},
                                    "--now", "2026-11-26T07:00:00Z"]).exit_code == 0
        assert runner.invoke(main, ["notify", "--source", {str(example_source)!r}, "--previous", {str(tmp_path / "out")!r},
                                    "--now", "2026-11-26T07:00:00Z", "--dry-run", "--to", "json://127.0.0.1:9/x"]).exit_code == 0
        print("apprise" in sys.modules)
        """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"


def test_a_failure_reason_never_carries_the_url() -> None:
    """apprise's log names the host, which for some services is the token (Telegram's bot token)."""
    import logging

    from statusgen.notify.delivery import _Log

    url = "tgram://123456789:AAH-secret-bot-token/-100200300"
    log = _Log(url)
    for level, text in [(logging.WARNING, "Failed to send Telegram notification to 123456789:AAH-secret-bot-token."),
                        (logging.DEBUG, "Socket Exception: HTTPSConnectionPool(host='api.telegram.org'): "
                                        "/bot123456789:AAH-secret-bot-token/sendMessage [Errno 111] Connection refused')"),
                        (logging.DEBUG, f"Loaded URL {url}")]:
        log.emit(logging.LogRecord("apprise", level, __file__, 1, text, None, None))
    reason = log.reason()
    assert "secret" not in reason and "123456789" not in reason and "-100200300" not in reason
    assert reason == "Failed to send Telegram notification to ***.; [Errno 111] Connection refused"
