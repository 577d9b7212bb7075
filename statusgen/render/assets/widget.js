/* statusgen status widget. Add to any page:
   <script src="https://status.example.com/widget.js" async></script>
   While anything is not operational it shows a small, dismissible banner in the bottom corner,
   read from api/v2/summary.json beside this file and linking to the status page. It lives in
   a shadow root, so the page's CSS cannot reach it, and shows data only as text. Its words are
   the site's language's: the build puts them in W (render/extras.py, widget_words). */
(function () {
  "use strict";
  var W = /*WORDS*/null;
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
  // A translation's values go in for \u0001<index>, in the translation's own order.
  function fill(t, v) { return t.replace(/\u0001(\d)/g, function (m, i) { return v[i]; }); }
  function more(n) {  // "(and 2 more)" in the reader's browser's plural category (CLDR's, as Babel's)
    var rule = window.Intl && Intl.PluralRules ? new Intl.PluralRules(W.l).select(n) : "other";
    return fill(W.m[rule] || W.m.other, [n.toLocaleString(W.l)]);
  }
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
    box.lang = W.l;
    box.dir = W.r;
    var icon = element("img");
    icon.alt = "";
    icon.src = new URL("favicon.svg?" + encodeURIComponent(seen), root).href;
    var body = element("div", "text");
    var title = element("strong");
    var description = W.s[indicator] || text(status.description);
    title.textContent = text(page.name) ? fill(W.t, [text(page.name), description]) : description;
    body.appendChild(title);
    if (incidents.length) {
      var first = element("span");
      first.textContent = text(incidents[0] && incidents[0].name) +
        (incidents.length > 1 ? " " + more(incidents.length - 1) : "");
      body.appendChild(first);
    }
    var link = element("a");
    link.href = root.href;
    link.textContent = W.v;
    body.appendChild(link);
    var close = element("button");
    close.type = "button";
    close.setAttribute("aria-label", W.d);
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
