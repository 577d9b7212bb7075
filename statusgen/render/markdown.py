"""Update bodies: Markdown → safe HTML.

Raw HTML is off, so a `<script>` in a body is shown as text. Links keep only schemes that
cannot run code (http, https, mailto, tel, or a relative path); anything else, including
`javascript:`, `data:` and `vbscript:` in any spelling, stays plain text. Images are not
rendered as images: a status page must not load third-party content, so `![alt](url)`
becomes an ordinary link.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Mapping

from markdown_it import MarkdownIt

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


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = _SafeMarkdown("commonmark", {"html": False, "typographer": False})
    return parser.enable(["table", "strikethrough"]).disable("image")


_earlier: dict[str, str] = {}
"""Bodies rendered by earlier builds, by markdown_key: see remember()."""
_rendered: dict[str, str] = {}


def markdown_key(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def remember(earlier: Mapping[str, str]) -> None:
    """Take bodies an earlier build rendered (by markdown_key), and forget what this process
    rendered so far, so rendered() tells what the coming build used."""
    _earlier.clear()
    _earlier.update(earlier)
    _rendered.clear()
    render_markdown.cache_clear()


def rendered() -> dict[str, str]:
    """The bodies rendered (or taken from earlier builds) in this process since remember()."""
    return dict(_rendered)


@lru_cache(maxsize=100_000)
def render_markdown(source: str) -> str:
    """HTML for an update body. Output is a trusted fragment: mark it safe in templates.

    Cached: pages, feeds and the API render the same bodies, `serve` rebuilds often, and a
    build may start from the bodies the previous one rendered (remember())."""
    key = markdown_key(source)
    html = _earlier.get(key)
    if html is None:
        html = _parser().render(source)
    _rendered[key] = html
    return html
