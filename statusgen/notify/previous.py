"""The previously published site, as `--previous SITE` names it: a folder (a copy of the site, or
of just its `api/v2/` files) or its address (http:// or https://, its base_url).

Only the two documents news.py compares are read. A folder is read through reading.read_regular
(no FIFO, no device, a size limit); an address with urllib, with a timeout, a size limit and
redirects only to other http(s) addresses. A site that has not been published yet (the folder
holds neither document, the address answers 404 for both) announced nothing: `None`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ..problems import StatusgenError, cannot_write
from ..reading import FileTooLarge, NotRegularFile, read_regular
from .news import DOCUMENTS

LIMIT = 64 * 1024 * 1024
"""The most a document may hold (the 50 newest incidents with long updates are far less)."""
TIMEOUT = 30.0
"""Seconds to wait for the published site to answer."""


NOT_PUBLISHED = "NOT-PUBLISHED-YET.txt"
"""What save_previous writes into a snapshot of a site that has not been published yet."""


def read_previous(site: str) -> dict[str, Any] | None:
    """{document path: parsed JSON} of the previous site, or None when it was never published.
    Raises StatusgenError (naming the site and the document) when it cannot be read."""
    raw = _read_documents(site)
    if raw is None:
        return None
    return _parsed(site, raw)


def save_previous(site: str, folder: Path) -> bool:
    """Copy the two documents of the published `site` (an address or a folder) into `folder`, as
    a snapshot `--previous folder` reads later; whether the site was published (if not, the
    folder holds only NOT_PUBLISHED, saying so)."""
    raw = _read_documents(site)
    if raw is not None:
        _parsed(site, raw)  # only JSON is kept
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if raw is None:
            (folder / NOT_PUBLISHED).write_text(f"{site} had not been published when this snapshot was taken.\n",
                                                encoding="utf-8")
        for path, data in (raw or {}).items():
            if data is not None:
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                (folder / path).write_bytes(data)
    except OSError as error:
        raise cannot_write(error)
    return raw is not None


def _read_documents(site: str) -> dict[str, bytes | None] | None:
    if site.startswith(("http://", "https://")):
        base = site if site.endswith("/") else site + "/"
        raw = {path: _fetch(base + path) for path in DOCUMENTS}
    else:
        folder = Path(site)
        if not folder.is_dir():
            raise StatusgenError(f"--previous {site}: no such folder (give the previously published site's "
                                 f"folder or its address, like https://acme.github.io/status/)")
        raw = {path: _read_file(folder / path) for path in DOCUMENTS}
    return None if all(data is None for data in raw.values()) else raw


def _parsed(site: str, raw: dict[str, bytes | None]) -> dict[str, Any]:
    documents: dict[str, Any] = {}
    for path, data in raw.items():
        if data is None:
            continue
        try:
            documents[path] = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise StatusgenError(f"--previous {site}: {path} is not JSON ({error})")
    return documents


def _read_file(path: Path) -> bytes | None:
    try:
        return read_regular(path, LIMIT)
    except FileNotFoundError:
        return None
    except FileTooLarge:
        raise StatusgenError(f"{path} is larger than {LIMIT // (1024 * 1024)} MiB")
    except NotRegularFile:
        raise StatusgenError(f"{path} is not a regular file")
    except OSError as error:
        raise StatusgenError(f"cannot read {path}: {error.strerror}")


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address (urllib's own rule, made explicit)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(req.full_url, code, "redirect to a non-http(s) address refused",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str) -> bytes | None:
    opener = urllib.request.build_opener(_HttpOnly())
    request = urllib.request.Request(url, headers={"User-Agent": "statusgen-notify", "Cache-Control": "no-cache"})
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            data = response.read(LIMIT + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise StatusgenError(f"--previous: {url} answered {error.code} {error.reason}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise StatusgenError(f"--previous: cannot read {url}: {reason}")
    if len(data) > LIMIT:
        raise StatusgenError(f"--previous: {url} holds more than {LIMIT // (1024 * 1024)} MiB")
    return data
