"""Inspecting a built site: HTML parsing, link resolution."""

from __future__ import annotations

import re
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import lxml.html


def parse_strict(html: str) -> None:
    """Raise if the HTML has any parse error (html5lib's strict mode)."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) is not None and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(values[name])


def links_and_ids(html: str) -> tuple[list[str], set[str]]:
    collector = _LinkCollector()
    collector.feed(html)
    return collector.links, collector.ids


def broken_internal_links(site: Path) -> list[str]:
    """Every relative href/src in every page that does not resolve to a built file and anchor.

    A path from the root (the 404 page's '/status/assets/style.css') is resolved from base_url's
    path, which robots.txt's sitemap address gives."""
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    ids = {path: links_and_ids(html)[1] for path, html in pages.items()}
    robots = site / "robots.txt"
    sitemap = re.search(r"^Sitemap: (\S+)$", robots.read_text(encoding="utf-8"), re.M) if robots.is_file() else None
    root = posixpath.dirname(urlsplit(sitemap.group(1)).path).rstrip("/") + "/" if sitemap else None
    broken = []
    for page, html in pages.items():
        for link in links_and_ids(html)[0]:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            if parts.path.startswith("/"):
                if root is None or not parts.path.startswith(root):
                    broken.append(f"{page}: {link} (outside the site's path {root})")
                    continue
                parts = parts._replace(path=parts.path[len(root):] or "index.html")
                target = posixpath.normpath(parts.path)
            else:
                target = page if not parts.path else posixpath.normpath(
                    posixpath.join(posixpath.dirname(page), parts.path))
            if parts.path.endswith("/") or (parts.path and (site / target).is_dir()):
                target = posixpath.join(target, "index.html")
            if target.startswith("../") or not (site / target).is_file():
                broken.append(f"{page}: {link} (no file {target})")
            elif parts.fragment and target in ids and parts.fragment not in ids[target]:
                broken.append(f"{page}: {link} (no id {parts.fragment} in {target})")
    return broken
