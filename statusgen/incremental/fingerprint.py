"""Skipping builds that cannot change anything.

A build is a pure function of its inputs: the site's files, the theme, statusgen's own code
and libraries, and `now`. Their fingerprint is stored in the output's marker file; when the
next build finds the same fingerprint and the output still holds exactly what was written,
it has nothing to do. Any doubt (a file missing, added or changed in the output, an
unreadable input) means a full build, so a skipped build never leaves a different site than a cold one.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path
from typing import Mapping

from .stores import code_digest
from ..source.config import CONFIG_FILE
from ..output import MARKER_FILE, OutputState, digest_of
from ..source.theme import Theme

_FINGERPRINT_PREFIX = "fingerprint: "


def input_fingerprint(source_dir: Path, theme: Theme, content_digest: str | None,
                      now: datetime) -> str | None:
    """A digest of everything a build reads, or None if some input could not be read.

    `content_digest` covers the content files as loading read them (ItemCache.sources_digest);
    the theme is hashed as loaded, so the fingerprint sees exactly what the build used."""
    if content_digest is None:
        return None
    digest = hashlib.sha256()
    digest.update(f"{code_digest()} now {now.isoformat()} content {content_digest}\n".encode())
    try:
        config = (source_dir / CONFIG_FILE).read_bytes()
    except OSError:
        return None
    digest.update(f"{CONFIG_FILE}\0{len(config)}\0".encode() + config)
    digest.update(f"theme {theme.digest}\n".encode())
    return digest.hexdigest()


def output_summary(digests: Mapping[str, str]) -> str:
    """What the marker records of a written site: file count and a digest of names and contents."""
    digest = hashlib.sha256()
    for path in sorted(digests):
        digest.update(f"{path}\0{digests[path]}\n".encode())
    return f"{len(digests)} files, sha256 {digest.hexdigest()}"


def marker_text(fingerprint: str | None, digests: Mapping[str, str]) -> str:
    """The marker file's text; `digests` maps each other output file to its sha256."""
    lines = ["This folder is written by `statusgen build`; it is replaced whole on every build."]
    if fingerprint:
        lines += [_FINGERPRINT_PREFIX + fingerprint, "contents: " + output_summary(digests)]
    return "\n".join(lines) + "\n"


def is_up_to_date(output_dir: Path, fingerprint: str | None, state: OutputState | None = None) -> bool:
    """True when `output_dir` was built from exactly these inputs and still holds what was written.

    With a `state` that vouches for every file, no output file needs to be read."""
    if fingerprint is None:
        return False
    try:
        marker = (output_dir / MARKER_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    if _FINGERPRINT_PREFIX + fingerprint not in marker:
        return False
    if state is not None and state.is_intact():
        written = {path: digest for path, digest in state.current.items() if path != MARKER_FILE}
        return "contents: " + output_summary(written) in marker
    written = {}
    try:
        for folder, _, names in os.walk(output_dir):
            for name in names:
                path = Path(folder, name)
                relative = path.relative_to(output_dir).as_posix()
                if relative != MARKER_FILE:
                    written[relative] = digest_of(path.read_bytes())
    except OSError:
        return False
    return "contents: " + output_summary(written) in marker
