"""`statusgen notify`: send each update that is new since the last announcement to every target.

The run: load and render the site as `build` would (any error: nothing is sent); read what was
announced (the pending file's record, else the previously published site, `--previous`); work
out what is new (notify/news.py); make the messages (notify/messages.py); send, per target, what
is new and what is still pending for it and passes its filters (notify/targets.py,
notify/delivery.py); and write the pending file again (notify/pending.py): every update of this
run as announced, and for each label what it failed to receive. README "Notifications" explains
why this announces every update exactly once across workflow runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Mapping, Sequence

import click

from ..notify.messages import Message, as_record, site_messages
from ..notify.news import DOCUMENTS, Published, new_updates, published_updates
from ..notify.pending import PendingState, read_pending, write_pending
from ..notify.previous import read_previous, save_previous
from ..notify.targets import ENVIRONMENT, Target, gather_targets, wants
from ..pipeline import render_site
from ..problems import BuildFailed, Problem, StatusgenError
from ..source.load import load_config, load_site
from ..wording import count_of


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    previous: str | None
    pending: Path | None
    to_urls: Sequence[str]
    dry_run: bool
    output_format: str


def notify(source_dir: Path, now: datetime, options: Options, environ: Mapping[str, str]) -> int:
    """`statusgen notify`: the exit status (1 when a target failed). Raises BuildFailed when the
    site has errors and StatusgenError when what was announced cannot be read; nothing is sent then."""
    site, theme = load_site(source_dir, now)
    files = render_site(site, theme).files
    current, _ = published_updates({path: json.loads(files[path]) for path in DOCUMENTS})
    state = read_pending(options.pending) if options.pending is not None else PendingState()
    announced = _announced(options.previous, state, current)
    messages = site_messages(site)
    targets, warnings = gather_targets(site.config.notify, options.to_urls, environ)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    new = new_updates(current, announced)
    plan = {t.label: _to_send(t, new, state.pending.get(t.label, []), messages) for t in targets}
    if options.dry_run:
        _show_plan(plan, targets, messages, options.output_format)
        return 0
    failed = _send(targets, plan, messages, options)
    if options.pending is not None:
        declared = {d.label for d in site.config.notify}
        kept = {label: keys for label, keys in state.pending.items() if label in declared and label not in plan}
        write_pending(options.pending, PendingState({**announced, **current}, {**kept, **failed}))
    return 1 if failed else 0


def snapshot(source_dir: Path, previous: str | None, folder: Path) -> None:
    """`statusgen notify --snapshot DIR`: save what the published site (`previous`, by default the
    site's base_url) announced into DIR, for a later `--previous DIR`; sends nothing. Run before
    a deploy, it keeps what the live site said before the deploy replaces it."""
    if previous is None:
        problems: list[Problem] = []
        config = load_config(source_dir, problems)
        if config is None:
            raise BuildFailed(problems)
        previous = config.base_url
    if save_previous(previous, folder):
        click.echo(f"Saved what {previous} announced into {folder}")
    else:
        click.echo(f"{previous} has not been published yet; {folder} says so")


def _announced(previous: str | None, state: PendingState, current: Published) -> Published:
    """What was announced already: the pending file's record, else the previous site's updates
    (a site never published: everything there is now, so a first publish sends nothing)."""
    if state.announced is not None:
        return state.announced
    if previous is None:
        raise StatusgenError("notify needs to know what was announced already: give --previous SITE (the "
                             "published site's folder or address, as it was before this deploy) or a "
                             "--pending file from an earlier run")
    documents = read_previous(previous)
    if documents is None:
        click.echo(f"Note: {previous} has not been published yet (no {' or '.join(DOCUMENTS)}): nothing "
                   f"is announced now; updates from the next publish on will be", err=True)
        return dict(current)
    found, mistakes = published_updates(documents)
    if mistakes:
        raise StatusgenError([f"--previous {previous}: {mistake}" for mistake in mistakes])
    return found


def _to_send(target: Target, new: Sequence[str], pending: Sequence[str], messages: Mapping[str, Message]) -> list[str]:
    """The keys to send to `target`, oldest first: what is new and what is pending for it, as far
    as the site still has it and the target's filters let it through."""
    keys = [key for key in dict.fromkeys([*pending, *new]) if key in messages and wants(target, messages[key])]
    return sorted(keys, key=lambda key: (messages[key].at, key))


def _show_plan(plan: Mapping[str, list[str]], targets: Sequence[Target], messages: Mapping[str, Message],
               output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps([as_record(messages[key], label) for label, keys in plan.items() for key in keys],
                              indent=2, ensure_ascii=False))
        return
    if not targets:
        click.echo(f"No targets: give --to URL, set {ENVIRONMENT}, or set the variables of the labels of "
                   f"notify: in statusgen.yml. Nothing would be sent.")
        return
    labels_of: dict[str, list[str]] = {}
    for label, keys in plan.items():
        for key in keys:
            labels_of.setdefault(key, []).append(label)
    ordered = sorted(labels_of, key=lambda key: (messages[key].at, key))
    click.echo(f"Would send {count_of(len(ordered), 'update')} (dry run: nothing is sent)"
               + (":" if ordered else "."))
    for key in ordered:
        message = messages[key]
        click.echo(f"\n{message.title}\n  to: {', '.join(labels_of[key])}")
        click.echo("\n".join(f"  {line}" if line else "" for line in message.text.split("\n")))


def _send(targets: Sequence[Target], plan: Mapping[str, list[str]], messages: Mapping[str, Message],
          options: Options) -> dict[str, list[str]]:
    """Deliver the plan; report each target by label; the keys each failed target still has to get."""
    from ..notify.delivery import deliver

    failed: dict[str, list[str]] = {}
    records: list[Mapping[str, str]] = []
    lines: list[str] = []
    for target in targets:
        keys = plan[target.label]
        if not keys:
            lines.append(f"{target.label}: nothing new")
            continue
        outcome = deliver(target, [messages[key] for key in keys])
        records += [as_record(messages[key], target.label) for key in outcome.delivered]
        if outcome.delivered:
            lines.append(f"{target.label}: sent {count_of(len(outcome.delivered), 'update')}")
        if outcome.failed:
            failed[target.label] = outcome.failed
            kept = ("kept for the next run" if options.pending is not None
                    else "not kept (no --pending file): they will not be sent again")
            click.echo(f"Error: {target.label}: not delivered: {outcome.reason}; "
                       f"{count_of(len(outcome.failed), 'update')} {kept}", err=True)
    if options.output_format == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        if not targets:
            lines = [f"No targets: give --to URL, set {ENVIRONMENT}, or set the variables of the labels of "
                     f"notify: in statusgen.yml. Nothing was sent."]
        click.echo("\n".join(lines))
    return failed
