"""Update bodies: Markdown → safe HTML.

Raw HTML is off, so a `<script>` in a body is shown as text. Links keep only schemes that
cannot run code (http, https, mailto, tel, or a relative path); anything else, including
`javascript:`, `data:` and `vbscript:` in any spelling, stays plain text. Images are not
rendered as images: a status page must not load third-party content, so `![alt](url)`
becomes an ordinary link.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


@lru_cache(maxsize=100_000)
def render_markdown(source: str) -> str:
    """HTML for an update body. Output is a trusted fragment: mark it safe in templates.

    Cached: pages, feeds and the API render the same bodies, and `serve` rebuilds often."""
    return _parser().render(source)
