"""Update bodies: Markdown → safe HTML.

Raw HTML is off, so a `<script>` in a body is shown as text. Links keep only schemes that
cannot run code (http, https, mailto, tel, or a relative path); anything else, including
`javascript:`, `data:` and `vbscript:` in any spelling, stays plain text. Images are not
rendered as images: a status page must not load third-party content, so `![alt](url)`
becomes an ordinary link.

A build makes one MarkdownRenderer and hands it to everything that renders bodies (pages,
feeds), starting from the bodies earlier builds rendered (incremental/stores.MarkdownCache);
what it rendered or took goes back into that cache.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

from markdown_it import MarkdownIt

from ..incremental.digests import markdown_key

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^\s*([^:/?#]*):")


def is_safe_link(url: str) -> bool:
    """True for http(s)/mailto/tel links and plain relative paths."""
    if url.lstrip().startswith("//") or "\\" in url:
        return False
    match = _SCHEME.match(url)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


class _SafeMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return is_safe_link(url)


@lru_cache(maxsize=1)  # one parser, never changed: building it takes a few milliseconds
def _parser() -> MarkdownIt:
    parser = _SafeMarkdown("commonmark", {"html": False, "typographer": False})
    return parser.enable(["table", "strikethrough"]).disable("image")


class MarkdownRenderer:
    """Renders update bodies, each once: pages and feeds render the same bodies, and `serve`
    keeps one renderer across rebuilds. Output is a trusted fragment: mark it safe in templates."""

    def __init__(self, earlier: Mapping[str, str] | None = None):
        self._earlier = earlier if earlier is not None else {}
        """Bodies rendered by earlier builds, by markdown_key."""
        self._by_source: dict[str, str] = {}
        self._rendered: dict[str, str] = {}

    def render(self, source: str) -> str:
        """HTML for an update body."""
        html = self._by_source.get(source)
        if html is None:
            key = markdown_key(source)
            html = self._rendered.get(key)
            if html is None:
                html = self._earlier.get(key)
            if html is None:
                html = _parser().render(source)
            self._rendered[key] = self._by_source[source] = html
        return html

    @property
    def rendered(self) -> dict[str, str]:
        """Every body rendered (or taken from `earlier`) so far, by markdown_key: what the
        cache keeps for the next build."""
        return self._rendered

    def merge(self, rendered: Mapping[str, str]) -> None:
        """Take bodies another process rendered (a page worker's `rendered`)."""
        self._rendered.update(rendered)
