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


def plain_text(source: str) -> str:
    """An update body as plain text, for places that show no markup (calendar descriptions):
    paragraphs apart, a paragraph's lines joined (unless the break was a hard one), list items
    on their own lines with "- ", a link as its text with the
    address after it in brackets (unless they are the same), code as its characters. Markup
    characters that were only syntax are gone; raw HTML, which Markdown here never renders,
    stays as the literal text it is."""
    blocks: list[str] = []
    lists: list[str] = []
    """The marker of each open list, innermost last ("- ", or "" for numbered)."""
    item: str | None = None
    """The marker of the list item whose first line comes next."""
    in_list_block = False
    """Whether the last block holds the lines of the open list."""
    for token in _parser().parse(source):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("- " if token.type == "bullet_list_open" else "")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            in_list_block = in_list_block and bool(lists)
        elif token.type == "list_item_open":
            item = "  " * (len(lists) - 1) + (lists[-1] or f"{token.info or '1'}. ")
        elif token.type == "inline":
            line = (item if item is not None else "  " * len(lists)) + _inline_text(token.children or [])
            if in_list_block:
                blocks[-1] += "\n" + line
            else:
                blocks.append(line)
                in_list_block = bool(lists)
            item = None
        elif token.type in ("fence", "code_block", "html_block"):
            blocks.append(token.content.rstrip("\n"))
            in_list_block = False
    return "\n\n".join(block for block in blocks if block.strip()).strip()


def _inline_text(children: list) -> str:
    parts: list[str] = []
    links: list[tuple[str, int]] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":  # a line break in the source, not in the text
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "link_open":
            links.append((str(child.attrGet("href") or ""), len(parts)))
        elif child.type == "link_close" and links:
            href, start = links.pop()
            if href and "".join(parts[start:]) not in (href, href.removeprefix("mailto:")):
                parts.append(f" ({href})")
    return "".join(parts)
