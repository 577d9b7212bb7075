"""The one check of a link someone wrote (a postmortem link, base_url's path): what it points at
is decided after percent-decoding, because that is what browsers and servers act on.

`/%2e%2e/x`, `.%2E/x` and `/a%2f..%2fb` all reach `..` once decoded, and a browser resolves
`%2e%2e` as `..`, so a check of the text as written would let them climb above the site's
sub-path. Decoding repeats until nothing changes (a server may decode `%252e` twice).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .fields import split_url
from .spec import LINK_REGEX

_MAX_DECODINGS = 5
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def decoded(text: str) -> str:
    """`text` percent-decoded until decoding changes nothing more (at most a few times)."""
    for _ in range(_MAX_DECODINGS):
        once = unquote(text, errors="strict") if "%" in text else text
        if once == text:
            break
        text = once
    return text


def path_stays_in_place(path: str) -> bool:
    """True when the path, decoded, has no `..` segment, no backslash and no control character:
    it can lead nowhere above where it starts."""
    try:
        plain = decoded(path)
    except UnicodeDecodeError:
        return False
    if "\\" in plain or _CONTROL.search(plain):
        return False
    return ".." not in plain.split("/")


def is_web_address(value: str) -> bool:
    """An absolute http:// or https:// address with a host."""
    parts = split_url(value)  # None where urllib cannot split it ('https://[x/', a bad port)
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def is_site_path(value: str) -> bool:
    """A path on this site ('/postmortems/x.html', 'notes/', '#anchor'): no scheme, no host, and
    no way above the site's root, before or after decoding. A query or fragment is not a path."""
    if value.startswith("//") or "\\" in value or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        return False
    path = re.split(r"[?#]", value, maxsplit=1)[0]
    return path_stays_in_place(path) and not decoded(path).startswith("//")


def is_link(value: str) -> bool:
    """What a link field accepts (spec.LINK_REGEX, which the JSON Schema carries): an http(s)
    address, or a path on this site."""
    if not re.match(LINK_REGEX, value):
        return False
    return is_web_address(value) or is_site_path(value)
