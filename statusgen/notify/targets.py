"""Where messages go: targets, each a label and its apprise URLs, and which messages it wants.

URLs hold secrets (a Slack webhook's token, an SMTP password), so they come only from the
command line and the environment, never from a file in the repository:

- `--to URL` (repeatable): targets `to-1`, `to-2`, … in the order given;
- `STATUSGEN_NOTIFY`, whitespace-separated URLs: targets `env-1`, `env-2`, …;
- each label declared under `notify:` in statusgen.yml (with its filters): its URLs (one or
  more, whitespace-separated) in `STATUSGEN_NOTIFY_<LABEL>`, the label upper-cased with `-` as `_`.

A target's URLs are kept out of its repr and are never printed, written or logged: everything
statusgen says about a target names it by its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..model import NotifyFilter
from ..problems import StatusgenError
from .messages import Message

ENVIRONMENT = "STATUSGEN_NOTIFY"


@dataclass(frozen=True)
class Target:
    label: str
    urls: tuple[str, ...] = field(repr=False)
    filter: NotifyFilter | None = None
    """None for --to and STATUSGEN_NOTIFY targets: they get every message."""


def variable_for(label: str) -> str:
    """The environment variable holding a declared label's URLs: STATUSGEN_NOTIFY_OPS_SLACK."""
    return f"{ENVIRONMENT}_{label.upper().replace('-', '_')}"


def gather_targets(declared: Sequence[NotifyFilter], to_urls: Sequence[str],
                   environ: Mapping[str, str]) -> tuple[list[Target], list[str]]:
    """Every target of this run, and a warning for each declared label whose variable is unset
    (that target is skipped). Raises StatusgenError when a declared label takes a name of the
    unlabelled targets'."""
    targets = [Target(f"to-{n}", (url,)) for n, url in enumerate(to_urls, start=1) if url.strip()]
    targets += [Target(f"env-{n}", (url,)) for n, url in enumerate(environ.get(ENVIRONMENT, "").split(), start=1)]
    taken = {t.label for t in targets}
    warnings: list[str] = []
    for wanted in declared:
        if wanted.label in taken or wanted.label.startswith(("to-", "env-")):
            raise StatusgenError(f"notify label '{wanted.label}' in statusgen.yml looks like the label of a --to "
                                 f"or {ENVIRONMENT} target (to-N, env-N); choose another")
        urls = tuple(environ.get(variable_for(wanted.label), "").split())
        if not urls:
            warnings.append(f"{wanted.label}: skipped, {variable_for(wanted.label)} is not set (set it to the "
                            f"target's apprise URL, as a repository secret in the workflow)")
            continue
        targets.append(Target(wanted.label, urls, wanted))
    return targets, warnings


def wants(target: Target, message: Message) -> bool:
    """Whether the target's filters let the message through: its components (any of them), its
    lowest severity (incidents), whether it takes maintenance."""
    wanted = target.filter
    if wanted is None:
        return True
    if message.kind == "maintenance" and not wanted.maintenance:
        return False
    if wanted.components and not set(wanted.components) & set(message.components):
        return False
    if wanted.min_severity and message.severity and message.severity > wanted.min_severity:
        return False  # sev1 < sev2 < sev3 < sev4: a larger number is less severe
    return True
