#!/usr/bin/env python3
"""Generate a synthetic but realistic status site for benchmarking, for statusgen and for Hugo.

    python bench/generate.py --updates 10000 --out /tmp/site-10000 [--seed 6]

writes
    OUT/statusgen.yml, OUT/content/...   a statusgen source folder
    OUT/hugo/                            the same updates as a Hugo site (bench/hugo/ + content)
    OUT/hugo-minimal/                    bench/hugo-minimal/: the floor layout over OUT/hugo/content

The site: `--updates` incident updates (exactly) in incidents of 1-8 updates each, over the
five years before END (fixed), 12 components in 3 groups, SEV-1..SEV-4 with the default
cadences, next_update promises on every open update, phases investigating → identified →
monitoring → resolved, bodies of a few paragraphs with lists and links. Every incident is
resolved except the newest, which is open and not overdue at END. About one maintenance
(2-3 updates) per 250 incident updates, the newest one upcoming at END. The same seed and
size always give byte-identical files.

Hugo reads the very same update files (copied byte for byte) as the content resources of one
page bundle per incident (`content/incidents/<id>/index.md` + the update files), Hugo's own
shape for "a page made of several Markdown files": each update is a page resource whose
`.Content` Hugo renders from Markdown. `index.md` carries only what Hugo cannot derive itself:
the incident's title, start and severity and the taxonomies for monthly history (`history`)
and component pages (`affects`).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

END = datetime(2026, 11, 26, 0, 0, tzinfo=timezone.utc)
"""The fixed 'now' of every generated site: build with `--now 2026-11-26T00:00:00Z`."""
NOW_ARG = "2026-11-26T00:00:00Z"
START = END - timedelta(days=5 * 365)
HUGO_LAYOUT = Path(__file__).resolve().parent / "hugo"
HUGO_MINIMAL = Path(__file__).resolve().parent / "hugo-minimal"
"""The floor: index, one page per incident, section lists; it mounts hugo/content (no copy)."""

GROUPS = {
    "Platform": [("api", "Public API"), ("dashboard", "Web dashboard"), ("auth", "Login & SSO"),
                 ("webhooks", "Webhooks")],
    "Payments": [("checkout", "Checkout"), ("card-processing", "Card processing"),
                 ("payouts", "Payouts"), ("invoicing", "Invoicing")],
    "Data": [("exports", "Exports"), ("reporting", "Reporting"), ("search", "Search"),
             ("notifications", "Email notifications")],
}
NAMES = {cid: name for members in GROUPS.values() for cid, name in members}

# (slug, title, components it touches, what customers see, the cause, the fix)
SCENARIOS = [
    ("api-errors", "Elevated error rates on the API", ["api", "webhooks"],
     "API requests failing with `502` or `503` errors", "an overloaded load balancer pool",
     "added capacity and moved traffic to healthy nodes"),
    ("slow-api", "Slow API responses", ["api", "dashboard"],
     "API calls taking several seconds to complete", "a slow database query after a deploy",
     "rolled back the deploy and added an index"),
    ("login-failures", "Login failures", ["auth", "dashboard"],
     "people being sent back to the login page with an error", "an expired signing certificate",
     "installed a renewed certificate"),
    ("sso-errors", "Single sign-on errors", ["auth"],
     "single sign-on logins failing for some identity providers", "a configuration change at our identity proxy",
     "reverted the configuration change"),
    ("webhook-delays", "Webhook delivery delays", ["webhooks", "notifications"],
     "webhooks arriving minutes to hours late", "a backlog in our event queue",
     "scaled up the delivery workers and drained the backlog"),
    ("checkout-errors", "Checkout page errors", ["checkout", "card-processing"],
     "the hosted checkout page not loading or showing an error", "a faulty release of the checkout front end",
     "rolled back to the previous release"),
    ("card-declines", "Card payments declined", ["card-processing", "checkout"],
     "card payments declined with a generic error", "an outage at one of our card processors",
     "routed payments to our secondary processor"),
    ("payouts-delayed", "Payouts delayed", ["payouts"],
     "payouts arriving later than usual", "a delayed settlement file from our banking partner",
     "processed the settlement file manually"),
    ("invoice-pdfs", "Invoice PDFs not generating", ["invoicing", "dashboard"],
     "invoices stuck in *Generating* without a PDF", "a full disk on the PDF rendering service",
     "freed space and added monitoring for it"),
    ("exports-slow", "Exports taking longer than usual", ["exports", "reporting"],
     "CSV and Excel exports taking much longer to finish", "a backlog of large exports",
     "added workers and split large exports"),
    ("reports-stale", "Reports showing stale data", ["reporting"],
     "reports showing numbers that are hours old", "a stalled data pipeline job",
     "restarted the pipeline and backfilled the missing data"),
    ("search-down", "Search unavailable", ["search", "dashboard"],
     "search returning no results or an error", "a failed search cluster node",
     "replaced the node and rebuilt the index"),
    ("email-delays", "Email notifications delayed", ["notifications"],
     "emails such as login codes and receipts arriving late", "throttling at our email provider",
     "switched to a backup email provider"),
    ("dashboard-outage", "Dashboard unavailable", ["dashboard", "api", "auth"],
     "the dashboard not loading at all", "a network problem in one of our data centres",
     "failed over to our second data centre"),
]

SEVERITY_WEIGHTS = {"sev1": 4, "sev2": 18, "sev3": 46, "sev4": 32}
CADENCE_MINUTES = {"sev1": 30, "sev2": 60, "sev3": 180, "sev4": 1440}
SIZE_WEIGHTS = {1: 8, 2: 10, 3: 22, 4: 25, 5: 15, 6: 10, 7: 6, 8: 4}
BAD = {"sev1": "major_outage", "sev2": "partial_outage", "sev3": "degraded_performance",
       "sev4": "degraded_performance"}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def severity_spelling(rng: random.Random, severity: str) -> str:
    """Mostly `sev2`; sometimes the other accepted spellings, so normalisation gets exercised."""
    roll = rng.random()
    if roll < 0.1:
        return f"SEV-{severity[3]}"
    if roll < 0.15:
        return f"P{severity[3]}"
    return severity


def phases_for(rng: random.Random, count: int, open_: bool) -> list[str]:
    """A realistic phase sequence: never backwards, ends resolved unless the incident is open."""
    if count == 1:
        return ["investigating"] if open_ else ["resolved"]
    middle = count - 1 if not open_ else count
    order = ["investigating", "identified", "monitoring"]
    steps = [rng.choice(["investigating", "investigating", "identified"])]
    for _ in range(middle - 1):
        now_index = order.index(steps[-1])
        steps.append(order[min(now_index + rng.choice([0, 1, 1]), 2)])
    return steps if open_ else steps + ["resolved"]


def body(rng: random.Random, scenario: tuple, phase: str, components: list[str], next_at: datetime | None,
         started: datetime, at: datetime) -> str:
    """A few paragraphs of customer-facing text, with a list or a link now and then."""
    _slug, _title, _comps, symptom, cause, fix = scenario
    names = ", ".join(NAMES[c] for c in components)
    promise = f" Next update by {next_at:%H:%M} UTC." if next_at else ""
    link = rng.choice(["https://acme.example/help/status", "https://acme.example/docs/errors",
                       "https://acme.example/blog/reliability", "mailto:support@acme.example"])
    if phase == "investigating":
        parts = [
            f"We're investigating reports of {symptom}. This affects **{names}**.",
            "What you may notice:\n\n"
            f"- {symptom[0].upper() + symptom[1:]}\n"
            "- Retries may succeed after a few attempts\n"
            "- No data has been lost",
            f"If this affects you, see [our help page]({link}) for workarounds.{promise}",
        ]
    elif phase == "identified":
        parts = [
            f"We've found the cause: {cause}. We're working on a fix now.",
            f"Until it is in place you may still see {symptom}. Requests that fail can be retried "
            f"safely; nothing will be charged or sent twice.{promise}",
        ]
    elif phase == "monitoring":
        parts = [
            f"We {fix}, and {names} {'is' if len(components) == 1 else 'are'} working normally again.",
            "We're watching closely to make sure everything has fully recovered:\n\n"
            "1. Error rates are back to normal levels\n"
            "2. Queued work is being processed\n"
            "3. We'll confirm once the backlog is gone",
            f"Thank you for your patience.{promise}",
        ]
    else:  # resolved
        took = int((at - started).total_seconds() // 60) - rng.randint(0, 10)
        parts = [
            f"This incident is resolved. From {started:%H:%M} UTC, for about {took} minutes, customers "
            f"saw {symptom} because of {cause}.",
            f"We {fix} and have confirmed recovery. We're sorry for the trouble; "
            f"[read more about how we work on reliability]({link}).",
        ]
    if rng.random() < 0.3:
        parts.append(rng.choice([
            "| Region | Impact |\n|---|---|\n| EU | degraded |\n| US | none |",
            "If you need help, reply to your last ticket or write to support@acme.example.",
            "~~Scheduled exports~~ are paused until this is resolved.",
        ]))
    return "\n\n".join(parts)


def front_matter(fields: list[tuple[str, object]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Site:
    """Collects files in memory, then writes statusgen's tree and Hugo's tree."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.hugo: dict[str, str] = {}

    def add_update(self, kind: str, owner: str, at: datetime, text: str) -> None:
        path = f"content/{kind}/{owner}/{at:%Y-%m-%dT%H%MZ}.md"
        assert path not in self.files, path
        self.files[path] = text
        self.hugo[f"hugo/{path}"] = text


def size_sequence(rng: random.Random, updates: int) -> list[int]:
    sizes, remaining = [], updates
    choices, weights = list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values())
    while remaining > 0:
        size = min(rng.choices(choices, weights)[0], remaining)
        sizes.append(size)
        remaining -= size
    return sizes


def generate(updates: int, seed: int) -> Site:
    rng = random.Random(seed)
    site = Site()
    sizes = size_sequence(rng, updates)
    # Start times of the closed incidents, spread over five years, leaving room for the longest
    # incident (8 SEV-4 updates a day apart) to end before END; the newest incident is open.
    room = (END - START - timedelta(days=10)).total_seconds() / 60
    starts = sorted(START + timedelta(minutes=int(rng.random() * room)) for _ in sizes[:-1])
    taken: dict[str, int] = {}
    for number, count in enumerate(sizes):
        is_open = number == len(sizes) - 1
        scenario = rng.choice(SCENARIOS)
        if is_open:
            severity = "sev2"
            gaps = [40] * (count - 1)
            first_at = END - timedelta(minutes=40 * (count - 1) + 35)
        else:
            severity = rng.choices(list(SEVERITY_WEIGHTS), list(SEVERITY_WEIGHTS.values()))[0]
            first_at = starts[number]
            cadence = CADENCE_MINUTES[severity]
            # Mostly on time; now and then a little late (a broken promise, as in real life).
            gaps = [max(5, int(cadence * rng.choice([0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.2])) // 5 * 5)
                    for _ in range(count - 1)]
        first_at = first_at.replace(second=0, microsecond=0)
        slug = f"{first_at:%Y-%m-%d}-{scenario[0]}"
        taken[slug] = taken.get(slug, 0) + 1
        incident_id = slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
        affected = rng.sample(scenario[2], rng.randint(1, len(scenario[2])))
        phases = phases_for(rng, count, is_open)
        at = first_at
        started = first_at - timedelta(minutes=rng.randint(3, 40))
        title = scenario[1]
        for index, phase in enumerate(phases):
            if index:
                at = at + timedelta(minutes=gaps[index - 1])
            resolved = phase == "resolved"
            next_at = None if resolved else at + timedelta(minutes=CADENCE_MINUTES[severity])
            if resolved:
                components = {c: "operational" for c in affected} if rng.random() < 0.5 else None
            elif phase == "monitoring":
                components = {c: "operational" for c in affected}
            else:
                components = {c: BAD[severity] if i == 0 or phase == "investigating" else "degraded_performance"
                              for i, c in enumerate(affected)}
            fields: list[tuple[str, object]] = [("at", iso(at)), ("phase", phase)]
            if index == 0:
                fields += [("severity", severity_spelling(rng, severity)), ("title", yaml_string(title))]
            fields.append(("components", components))
            if index == 0 and rng.random() < 0.6:
                fields += [("started_at", iso(started)),
                           ("detected_at", iso(started + timedelta(minutes=rng.randint(0, 3)))),
                           ("reported_by", rng.choice(["monitoring", "monitoring", "customer", "internal"]))]
            if resolved and severity in ("sev1", "sev2"):
                fields.append(("postmortem", f"https://acme.example/blog/postmortem-{incident_id}"))
            fields.append(("next_update", iso(next_at) if next_at else None))
            text = front_matter(fields) + body(rng, scenario, phase, affected, next_at, started, at) + "\n"
            site.add_update("incidents", incident_id, at, text)
        month = f"{first_at:%Y-%m}"
        site.hugo[f"hugo/content/incidents/{incident_id}/index.md"] = front_matter([
            ("title", yaml_string(title)), ("date", iso(first_at)), ("severity", severity),
            ("history", [month]), ("affects", affected)])
    add_maintenances(rng, site, max(2, round(updates / 250)))
    site.files["statusgen.yml"] = config_yaml()
    return site


def add_maintenances(rng: random.Random, site: Site, count: int) -> None:
    room = (END - START - timedelta(days=12)).total_seconds() / 60
    windows = sorted(START + timedelta(days=8, minutes=int(rng.random() * room)) for _ in range(count - 1))
    windows.append(END + timedelta(days=3))  # the newest is still upcoming
    for number, window_start in enumerate(windows):
        window_start = window_start.replace(hour=2, minute=0, second=0, microsecond=0)
        window_end = window_start + timedelta(minutes=rng.choice([30, 60, 90, 120]))
        members = rng.sample([c for group in GROUPS.values() for c, _ in group], rng.randint(1, 3))
        names = ", ".join(NAMES[c] for c in members)
        maintenance_id = f"{window_start:%Y-%m-%d}-maintenance-{number + 1}"
        upcoming = number == len(windows) - 1
        announced = window_start - timedelta(days=rng.randint(3, 7), hours=rng.randint(0, 12))
        if upcoming:
            announced = END - timedelta(days=1)
        steps = [("scheduled", announced)]
        if not upcoming:
            if rng.random() < 0.05:
                steps.append(("cancelled", window_start - timedelta(hours=6)))
            else:
                steps.append(("in_progress", window_start))
                steps.append(("completed", window_end - timedelta(minutes=10)))
        title = f"Planned maintenance: {names}"
        for index, (phase, at) in enumerate(steps):
            fields: list[tuple[str, object]] = [("at", iso(at)), ("phase", phase)]
            if index == 0:
                fields += [("title", yaml_string(title)),
                           ("window", {"start": iso(window_start), "end": iso(window_end)}),
                           ("components", members)]
            text = front_matter(fields) + {
                "scheduled": f"We'll upgrade the systems behind **{names}** during this window. "
                             f"They may be unavailable for a few minutes.\n\n"
                             f"- No action is needed from you\n- Requests that fail can be retried\n",
                "in_progress": "The maintenance has started. We'll post again when it is complete.\n",
                "completed": "The maintenance is complete and everything is working normally.\n",
                "cancelled": "We've cancelled this maintenance; we'll announce a new date.\n",
            }[phase]
            site.add_update("maintenance", maintenance_id, at, text)
        site.hugo[f"hugo/content/maintenance/{maintenance_id}/index.md"] = front_matter([
            ("title", yaml_string(title)), ("date", iso(window_start)),
            ("history", [f"{window_start:%Y-%m}"] if window_start < END else None)])


def config_yaml() -> str:
    lines = ["title: Acme Cloud Status", "base_url: https://status.acme.example/",
             "description: Live status and incident history of Acme Cloud.", "timezone: Europe/Berlin",
             "history_days: 90", "feed_limit: 50", "components:"]
    for group, members in GROUPS.items():
        for cid, name in members:
            lines += [f"  - id: {cid}", f"    name: {name}", f"    group: {group}"]
    return "\n".join(lines) + "\n"


def hugo_static_files() -> dict[str, str]:
    """bench/hugo/ and bench/hugo-minimal/: Hugo configs, layouts and section front matter."""
    files = {}
    for layout in (HUGO_LAYOUT, HUGO_MINIMAL):
        for path in sorted(layout.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[f"{layout.name}/{path.relative_to(layout).as_posix()}"] = path.read_text(encoding="utf-8")
    return files


def write(site: Site, out: Path) -> int:
    if out.exists():
        shutil.rmtree(out)
    count = 0
    made: set[Path] = set()
    for path, text in {**site.files, **site.hugo, **hugo_static_files()}.items():
        target = out / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, encoding="utf-8")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, required=True, help="number of incident updates")
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    site = generate(args.updates, args.seed)
    count = write(site, args.out)
    incidents = len({p.split("/")[2] for p in site.files if p.startswith("content/incidents/")})
    maintenance_updates = sum(p.startswith("content/maintenance/") for p in site.files)
    print(f"Wrote {count} files to {args.out}: {args.updates} incident updates in {incidents} incidents, "
          f"{maintenance_updates} maintenance updates. Build with --now {NOW_ARG}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
