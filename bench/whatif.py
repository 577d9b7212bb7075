#!/usr/bin/env python3
"""What would the recommended fixes buy? Each one applied in-process as a patch, output checked.

    python bench/whatif.py --updates 10000

Builds the generated site in-process (load_site + render_site, no writing) once as statusgen
is today and then with each fix of bench/README.md's "Where the time goes" added on top of
the previous ones, and checks that every fix leaves every output file byte-identical. The
patches live only here, in this process: they are sketches of the change to make in
statusgen/, not the change itself.

  feeds-top-n     render_feeds: choose the newest feed_limit updates first, render only those
  sitemap-once    sitemap_xml: Site.last_update_at computed once, not once per page
  markdown-once   one Markdown render per body per build, shared by pages and feeds
  yaml-libyaml    located_yaml.load_mapping: compose with libyaml (yaml.CSafeLoader)
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402


def patch_feeds_top_n() -> None:
    """Sort cheap (time, guid) keys first; build the HTML of the kept entries only."""
    from statusgen.render import feeds
    from statusgen.render.pages import incident_path, maintenance_path, pretty, update_anchor

    def feed_entries(site, component=None):
        base = site.config.base_url
        if component is None:
            incidents, maintenances = site.incidents, site.maintenances
        else:
            incidents = site.incidents_affecting(component.id)
            maintenances = site.maintenances_affecting(component.id)
        candidates = []
        for incident in incidents:
            for update in incident.updates:
                link = f"{base}{pretty(incident_path(incident.id))}#{update_anchor(update.at)}"
                candidates.append((update.at, link, "incident", update))
        for maintenance in maintenances:
            for m_update in maintenance.updates:
                link = f"{base}{pretty(maintenance_path(maintenance.id))}#{update_anchor(m_update.at)}"
                candidates.append((m_update.at, link, "maintenance", m_update))
        candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
        entries = []
        for at, link, kind, update in candidates[: site.config.feed_limit]:
            if kind == "incident":
                entries.append(feeds.FeedEntry(link, link, f"[{feeds.PHASE_LABELS[update.phase]}] {update.title}",
                                               feeds._incident_html(site, update), at))
            else:
                entries.append(feeds.FeedEntry(link, link,
                                               f"[Maintenance: {feeds.PHASE_LABELS[update.phase]}] {update.title}",
                                               feeds._maintenance_html(site, update), at))
        return entries

    feeds.feed_entries = feed_entries


def patch_sitemap_once() -> None:
    from statusgen.model import Site

    getter = Site.last_update_at.fget
    cached = functools.cached_property(getter)
    cached.__set_name__(Site, "last_update_at")
    Site.last_update_at = cached


def patch_markdown_once() -> None:
    from statusgen.render import feeds, markdown, pages

    render = functools.lru_cache(maxsize=None)(markdown.render_markdown)
    for module in (markdown, pages, feeds):
        module.render_markdown = render


def patch_yaml_libyaml() -> None:
    import yaml

    from statusgen import located_yaml

    # The C composer cannot stop at an alias, but it shares the aliased node, and the builder
    # already rejects a node it meets twice; a real change would scan yaml.parse()'s events
    # for an AliasEvent first, to keep today's message that names the anchor.
    located_yaml._NoAliasLoader = yaml.CSafeLoader


PATCHES = {
    "feeds-top-n": patch_feeds_top_n,
    "sitemap-once": patch_sitemap_once,
    "markdown-once": patch_markdown_once,
    "yaml-libyaml": patch_yaml_libyaml,
}


def build_once(source: Path, now) -> tuple[dict[str, bytes], dict[str, float]]:
    from statusgen import build as b

    started = time.perf_counter()
    site, theme = b.load_site(source, now)
    loaded = time.perf_counter()
    files = b.render_site(site, theme)
    done = time.perf_counter()
    return files, {"load": loaded - started, "render": done - loaded, "total": done - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=2, help="builds per step; the median is shown")
    args = parser.parse_args(argv)
    now = generate.END
    with tempfile.TemporaryDirectory(prefix="statusgen-whatif-") as tmp:
        source = Path(tmp) / "site"
        generate.write(generate.generate(args.updates, args.seed), source)
        steps = [("as is", None), *PATCHES.items()]
        baseline: dict[str, bytes] | None = None
        first_total = None
        print(f"{args.updates} updates, in-process load + render (no writing), median of {args.repeat}:")
        for name, patch in steps:
            if patch:
                patch()
            runs = [build_once(source, now) for _ in range(args.repeat)]
            files = runs[-1][0]
            timing = {k: statistics.median(r[1][k] for r in runs) for k in ("load", "render", "total")}
            if baseline is None:
                baseline, first_total = files, timing["total"]
                same = "baseline"
            else:
                same = "identical output" if files == baseline else \
                    f"OUTPUT DIFFERS in {sum(files.get(p) != baseline.get(p) for p in set(files) | set(baseline))} files"
            label = name if patch is None else f"+ {name}"
            print(f"  {label:<16} load {timing['load']:6.2f} s  render {timing['render']:6.2f} s  "
                  f"total {timing['total']:6.2f} s  ({100 * timing['total'] / first_total:5.1f}% of as is)  {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
