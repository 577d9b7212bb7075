"""The site's non-page extras: favicon.svg, sitemap.xml, robots.txt and the embeddable widget.js.

Like every renderer these are pure functions of the model. The favicon takes its colours from
the theme's palette (read by badges.py), so it always matches the page and the badges. The
sitemap's `lastmod` values are the times of published updates, never the clock, so unchanged
content gives unchanged files. widget.js is one fixed file: everything it shows it reads from
api/v2/summary.json at run time, beside its own address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable
from xml.sax.saxutils import escape

from ..model import Site, iso_utc
from ..vocabulary import STATUS_LABELS
from ..source.theme import Theme
from ..source.theme import theme_palette
from .paths import NOT_FOUND_PATH, component_path, incident_path, maintenance_path, month_path, pretty

FAVICON_PATH = "favicon.svg"
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
WIDGET_PATH = "widget.js"

WIDGET_MAX_BYTES = 5 * 1024
"""widget.js loads on other people's pages: it has to stay small."""

_GLYPHS = {
    "operational": '<path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.5" '
                   'stroke-linecap="round" stroke-linejoin="round"/>',
    "under_maintenance": '<circle cx="16" cy="9.5" r="2.3" fill="#fff"/>'
                         '<path d="M16 14.5v9" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>',
    "degraded_performance": '<path d="M16 8v9.5" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>'
                            '<circle cx="16" cy="23" r="2.3" fill="#fff"/>',
    "partial_outage": '<path d="M9.5 16h13" stroke="#fff" stroke-width="4" stroke-linecap="round"/>',
    "major_outage": '<path d="M11 11l10 10M21 11L11 21" fill="none" stroke="#fff" stroke-width="3.5" '
                    'stroke-linecap="round"/>',
}
"""A white glyph per status on the status colour: a tick, an "i", an "!", a bar (partly blocked),
a cross. Drawn as paths, so no font is needed and every browser shows the same icon."""


def render_extras(site: Site, theme: Theme | None, page_paths: Iterable[str]) -> dict[str, bytes]:
    """favicon.svg, sitemap.xml, robots.txt and widget.js, by output path.

    `page_paths` are the paths of the site's other output files; every HTML page among them
    except 404.html goes into the sitemap.
    """
    return {
        FAVICON_PATH: favicon_svg(site, theme),
        SITEMAP_PATH: sitemap_xml(site, page_paths),
        ROBOTS_PATH: robots_txt(site),
        WIDGET_PATH: WIDGET_JS.encode("utf-8"),
    }


def favicon_svg(site: Site, theme: Theme | None = None) -> bytes:
    """A circle in the overall status's theme colour with the status's glyph on it."""
    status = site.overall_status
    colour = theme_palette(theme)[status]
    title = escape(f"{' '.join(site.config.title.split())}: {STATUS_LABELS[status]}")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">\n'
        f'  <title>{title}</title>\n'
        f'  <circle cx="16" cy="16" r="15" fill="{colour}"/>\n'
        f'  {_GLYPHS[status]}\n'
        '</svg>\n'
    ).encode("utf-8")


def content_times(site: Site) -> dict[str, datetime]:
    """For each page whose content is one thing's updates, when it last changed: its newest update."""
    times: dict[str, datetime] = {}
    for incident in site.incidents:
        times[incident_path(incident.id)] = incident.latest.at
    for maintenance in site.maintenances:
        times[maintenance_path(maintenance.id)] = maintenance.latest.at
    for component in site.components:
        moments = [i.latest.at for i in site.incidents_affecting(component.id)]
        moments += [m.latest.at for m in site.maintenances_affecting(component.id)]
        if moments:
            times[component_path(component.id)] = max(moments)
    for month in site.months:
        moments = [i.latest.at for i in month.incidents] + [m.latest.at for m in month.maintenances]
        if moments:
            times[month_path(month)] = max(moments)
    return times


def sitemap_xml(site: Site, page_paths: Iterable[str]) -> bytes:
    """Every HTML page (but 404.html) with its absolute address, in path order.

    A page's `lastmod` is its newest update; pages that show the whole site (the front page,
    the history) take the site's newest update. A site with no content has no `lastmod`.
    """
    times = content_times(site)
    pages = sorted((p for p in page_paths if p.endswith(".html") and p != NOT_FOUND_PATH), key=pretty)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in pages:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(site.config.base_url + pretty(path))}</loc>")
        modified = times.get(path, site.last_update_at)
        if modified is not None:
            stamp = iso_utc(modified)
            lines.append(f"    <lastmod>{stamp}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(site: Site) -> bytes:
    """Everything may be crawled; the sitemap is named by its absolute address."""
    return (f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}{SITEMAP_PATH}\n").encode("utf-8")


WIDGET_JS = r"""/* statusgen status widget. Add to any page:
   <script src="https://status.example.com/widget.js" async></script>
   While anything is not operational it shows a small, dismissible banner in the bottom corner,
   read from api/v2/summary.json beside this file and linking to the status page. It lives in
   a shadow root, so the page's CSS cannot reach it, and shows data only as text. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.fetch || !window.URL || !document.documentElement.attachShadow) return;
  var root = new URL(".", script.src);
  var key = "statusgen-widget:" + root.href;
  var css = ":host{all:initial}" +
    ".box{position:fixed;right:16px;bottom:16px;z-index:2147483647;box-sizing:border-box;display:flex;" +
    "gap:10px;align-items:flex-start;max-width:min(360px,calc(100vw - 32px));padding:12px 14px;" +
    "background:#fff;color:#1f2328;border:1px solid #d1d9e0;border-radius:8px;" +
    "box-shadow:0 4px 16px rgba(0,0,0,.18);font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    "img{flex:none;width:20px;height:20px}.text{flex:1}strong,span,a{display:block}" +
    "a{color:#0550ae;text-decoration:underline}" +
    "button{flex:none;border:0;background:none;color:#59636e;font:inherit;font-size:20px;line-height:1;" +
    "cursor:pointer;padding:0 2px}" +
    "a:focus-visible,button:focus-visible{outline:2px solid #0550ae;outline-offset:2px}";

  function text(value) { return typeof value === "string" ? value : ""; }
  function element(name, className) {
    var node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  function show(data) {
    var status = (data && data.status) || {};
    var indicator = text(status.indicator);
    if (!indicator || indicator === "none") return;
    var page = data.page || {};
    var incidents = Array.isArray(data.incidents) ? data.incidents : [];
    var seen = [indicator, text(page.updated_at)].concat(incidents.map(function (i) { return text(i && i.id); })).join(" ");
    try { if (window.sessionStorage.getItem(key) === seen) return; } catch (e) { /* storage blocked */ }

    var host = element("div");
    host.setAttribute("data-statusgen-widget", "");
    var shadow = host.attachShadow({mode: "open"});
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } catch (e) {
      var style = element("style");
      style.textContent = css;
      shadow.appendChild(style);
    }
    var box = element("div", "box");
    box.setAttribute("role", "status");
    var icon = element("img");
    icon.alt = "";
    icon.src = new URL("favicon.svg?" + encodeURIComponent(seen), root).href;
    var body = element("div", "text");
    var title = element("strong");
    title.textContent = (text(page.name) ? text(page.name) + ": " : "") + text(status.description);
    body.appendChild(title);
    if (incidents.length) {
      var first = element("span");
      first.textContent = text(incidents[0] && incidents[0].name) +
        (incidents.length > 1 ? " (and " + (incidents.length - 1) + " more)" : "");
      body.appendChild(first);
    }
    var link = element("a");
    link.href = root.href;
    link.textContent = "View the status page";
    body.appendChild(link);
    var close = element("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () {
      host.remove();
      try { window.sessionStorage.setItem(key, seen); } catch (e) { /* storage blocked */ }
    });
    box.appendChild(icon);
    box.appendChild(body);
    box.appendChild(close);
    shadow.appendChild(box);
    (document.body || document.documentElement).appendChild(host);
  }

  fetch(new URL("api/v2/summary.json", root).href, {cache: "no-cache", credentials: "omit"})
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(show)
    .catch(function () { /* offline or blocked: show nothing */ });
})();
"""
"""The widget's source. Fixed: it learns its site's address from its own `src` and everything
else from summary.json, so there is nothing to escape into it at build time."""
