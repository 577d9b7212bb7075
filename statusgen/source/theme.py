"""Themes: Jinja2 templates and static assets, read from disk once so rendering stays pure.

A site uses the built-in `themes/default/`. Setting `theme: my-theme` in statusgen.yml points
at a folder in the site's source whose files override the default's one by one, so a site can
change one template or the CSS without copying the rest.
"""

from __future__ import annotations

import functools
import os
import re

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .files import SiteFiles
from ..vocabulary import STATUSES
from ..incremental.digests import theme_digest
from ..problems import Problem

TEMPLATES_DIR = "templates"
ASSETS_DIR = "assets"


def default_theme_dir() -> Path:
    """The built-in theme: beside the package in a source checkout, inside it when installed."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("statusgen's default theme is missing from this installation")


@dataclass(frozen=True)
class Theme:
    templates: Mapping[str, tuple[str, str]]
    """Template name → (source, the file to name in error messages)."""
    assets: Mapping[str, bytes]
    """Path under `assets/` in the output → content."""
    overridden: frozenset[str] = frozenset()
    """Templates the site's own theme replaces (the rest are statusgen's defaults)."""

    @functools.cached_property
    def digest(self) -> str:
        """A digest of every template (with the file it is shown as) and asset."""
        return theme_digest(self.templates, self.assets)


def load_theme(source_dir: Path, theme_setting: str | None, problems: list[Problem]) -> Theme:
    """The default theme with the site's `theme` folder over it; every file of the site's theme
    is read through the site's reading rule (files.SiteFiles), the built-in one is trusted."""
    site = SiteFiles(source_dir)
    folders = [(default_theme_dir(), SiteFiles(default_theme_dir(), trusted=True))]
    if theme_setting:
        custom = (source_dir / theme_setting)
        kind, why = site.kind(custom)
        if not _within(custom, source_dir) or why.startswith("is a symbolic link to a place outside"):
            problems.append(Problem("statusgen.yml", None, "theme",
                                    f"theme '{theme_setting}' must be a folder inside the site's folder"))
        elif kind == "missing":
            problems.append(Problem("statusgen.yml", None, "theme",
                                    f"theme folder '{theme_setting}' does not exist"))
        elif kind != "folder":
            problems.append(Problem("statusgen.yml", None, "theme",
                                    f"theme folder '{theme_setting}' {why or 'is not a folder'}"))
        else:
            folders.append((custom, site))
    templates: dict[str, tuple[str, str]] = {}
    assets: dict[str, bytes] = {}
    overridden: set[str] = set()
    for number, (folder, reader) in enumerate(folders):
        shown_root = _shown(folder, source_dir)
        for name, path in reader.files_under(folder / TEMPLATES_DIR, f"{shown_root}/{TEMPLATES_DIR}", problems):
            if number:
                overridden.add(name)
            shown = f"{shown_root}/{TEMPLATES_DIR}/{name}"
            text = reader.read_template(path, shown, problems)
            if text is not None:
                templates[name] = (text, shown)
        for name, path in reader.files_under(folder / ASSETS_DIR, f"{shown_root}/{ASSETS_DIR}", problems):
            data = reader.read_asset(path, f"{shown_root}/{ASSETS_DIR}/{name}", problems)
            if data is not None:
                assets[name] = data
    return Theme(templates, assets, frozenset(overridden))


def _within(path: Path, folder: Path) -> bool:
    path_text, folder_text = os.path.abspath(path), os.path.abspath(folder)
    return path_text == folder_text or path_text.startswith(folder_text.rstrip(os.sep) + os.sep)


def _shown(folder: Path, source_dir: Path) -> str:
    try:
        return Path(os.path.abspath(folder)).relative_to(os.path.abspath(source_dir)).as_posix()
    except ValueError:
        return str(folder)


DEFAULT_PALETTE = {
    "operational": "#1a7f37",
    "under_maintenance": "#0969da",
    "degraded_performance": "#9a6700",
    "partial_outage": "#bc4c00",
    "major_outage": "#cf222e",
}
"""The default theme's light status colours (themes/default/assets/style.css), used when a theme has none."""

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_COLOUR_PROPERTY = re.compile(r"--([A-Za-z0-9_-]+)\s*:\s*(#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3}))\s*(?=[;}])")
_DARK_MEDIA = re.compile(r"@media[^{]*prefers-color-scheme\s*:\s*dark[^{]*\{")


def css_palettes(css: str) -> dict[str, dict[str, str]]:
    """The colour custom properties (`--name: #rrggbb`) a stylesheet defines, per colour scheme:
    "light" from everything outside an `@media (prefers-color-scheme: dark)` block, "dark" from
    inside such blocks, over the light ones. The first definition of a name wins in each, so a
    later rule cannot change what the badges show by accident. Only hex colours count: anything
    else (`url(…)`, `var(…)`) is not a colour the badges could use."""
    css = _COMMENT.sub("", css)
    light_parts, dark_parts = [], []
    position = 0
    for match in _DARK_MEDIA.finditer(css):
        if match.start() < position:
            continue
        end = _block_end(css, match.end())
        light_parts.append(css[position:match.start()])
        dark_parts.append(css[match.end():end])
        position = end + 1
    light_parts.append(css[position:])
    light = _colours("".join(light_parts))
    return {"light": light, "dark": {**light, **_colours("".join(dark_parts))}}


def _block_end(css: str, start: int) -> int:
    """The index of the `}` closing the block whose `{` is just before `start` (or the end)."""
    depth = 1
    for index in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[index], 0)
        if depth == 0:
            return index
    return len(css)


def _colours(css: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, colour in _COLOUR_PROPERTY.findall(css):
        found.setdefault(name, colour.lower())
    return found


def theme_palette(theme: Theme | None) -> dict[str, str]:
    """Each status's light colour from the theme's `style.css` custom properties, else the
    default's: what the badges, the favicon and <meta name="theme-color"> use (one image for
    every reader, so the light colours, which are made to carry white text)."""
    css = theme.assets.get("style.css", b"").decode("utf-8", "replace") if theme else ""
    light = css_palettes(css)["light"]
    return {status: light.get(status, DEFAULT_PALETTE[status]) for status in STATUSES}
