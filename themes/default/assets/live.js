/* statusgen live page. Progressive enhancement only: every page is complete without it.

   - Shows each <time datetime> of an instant (not of a calendar date) also in the reader's
     time zone when that differs from the page's display zone (<html data-zone>).
   - Re-checks next-update promises (<p class="promise" data-next-update>) against the reader's
     clock: a static page can be minutes old, so a promise that passes while it is read is
     switched to the overdue presentation the build would have given it.
   - Every 60 s (and when the tab becomes visible again) fetches api/v2/summary.json from the
     site's root (<html data-root>) and updates the overall banner ([data-live-overall]) and the
     component status labels ([data-component-status]). If the open incidents differ from the
     ones the page shows (<body data-live-incidents>), it offers a reload instead of rebuilding
     the page. Offline, from file:// or on any error it does nothing.

   No inline code, and nothing from JSON is ever parsed as markup: it goes in as text. */
(function () {
  "use strict";

  var POLL_MS = 60 * 1000;
  var PROMISE_CHECK_MS = 15 * 1000;
  // Statuspage's status.indicator for each overall status (statusgen/model.py STATUS_INDICATORS).
  var INDICATOR_STATUS = {
    none: "operational",
    maintenance: "under_maintenance",
    minor: "degraded_performance",
    major: "partial_outage",
    critical: "major_outage"
  };

  var html = document.documentElement;
  var zone = html.getAttribute("data-zone") || "UTC";
  var root = html.getAttribute("data-root") || "./";
  var statusLabels = parseJson(html.getAttribute("data-status-labels"));
  var overallLabels = parseJson(html.getAttribute("data-overall-labels"));

  function parseJson(text) {
    try { return JSON.parse(text || "{}") || {}; } catch (e) { return {}; }
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  }

  // --- times in the reader's zone ------------------------------------------------------------

  function clockParts(date, timeZone) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone, year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    return parts;
  }

  function localiseTimes() {
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var element = times[i];
      if (element.hasAttribute("data-local-time")) continue;
      // A calendar date (an action item's due date, 2026-12-15) is a day, not an instant.
      if (element.getAttribute("datetime").indexOf("T") < 0) continue;
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date.getTime())) continue;
      var shown, local;
      try {
        shown = clockParts(date, zone);
        local = clockParts(date, undefined);
      } catch (e) {
        return; // no Intl, or a zone this browser does not know
      }
      element.setAttribute("data-local-time", "");
      var clock = local.hour + ":" + local.minute;
      var sameDay = shown.year === local.year && shown.month === local.month && shown.day === local.day;
      if (sameDay && shown.hour === local.hour && shown.minute === local.minute) continue;
      var text = (sameDay ? "" : local.day + " " + local.month + ", ") + clock + " your time";
      element.title = local.day + " " + local.month + " " + local.year + ", " + clock + " your time";
      // The space is a text node of its own, outside the note: a space inside it, at the start of
      // an element, is dropped wherever the note begins a line or a flex or grid item.
      var note = document.createElement("span");
      note.className = "local-time";
      note.textContent = "(" + text + ")";
      element.parentNode.insertBefore(note, element.nextSibling);
      element.parentNode.insertBefore(document.createTextNode(" "), note);
    }
  }

  // --- overdue promises ------------------------------------------------------------------------

  function checkPromises() {
    var now = Date.now();
    var promises = document.querySelectorAll(".promise[data-next-update]");
    for (var i = 0; i < promises.length; i++) {
      var promise = promises[i];
      if (promise.classList.contains("overdue")) continue;
      var due = Date.parse(promise.getAttribute("data-next-update"));
      if (!(now > due)) continue;
      var time = promise.querySelector("time");
      if (!time) continue;
      var next = time.nextSibling && time.nextSibling.nodeType === 3 && time.nextSibling.data === " "
        ? time.nextSibling.nextSibling : time.nextSibling;
      var note = next && next.nodeType === 1 && next.classList.contains("local-time") ? next : null;
      // The same words the build writes for a promise it already sees as overdue.
      var strong = document.createElement("strong");
      strong.textContent = "Update overdue:";
      while (promise.firstChild) promise.removeChild(promise.firstChild);
      promise.appendChild(strong);
      promise.appendChild(document.createTextNode(" the next update was promised by "));
      promise.appendChild(time);
      if (note) {
        promise.appendChild(document.createTextNode(" "));
        promise.appendChild(note);
      }
      promise.appendChild(document.createTextNode(". We have not posted it yet."));
      promise.classList.add("overdue");
      promise.setAttribute("data-overdue-by-reader-clock", "");
    }
  }

  // --- live status -----------------------------------------------------------------------------

  function hasLiveParts() {
    return document.querySelector("[data-live-overall], [data-component-status], [data-live-scope]") !== null;
  }

  function setLabel(element, status, label) {
    var icon = element.querySelector(".status-icon");
    element.className = element.className.replace(/(^|\s)status-[a-z_]+/g, "").trim() + " status-" + status;
    while (element.firstChild) element.removeChild(element.firstChild);
    if (icon) element.appendChild(icon);
    element.appendChild(document.createTextNode(label));
  }

  function updateOverall(data) {
    var banner = document.querySelector("[data-live-overall]");
    var status = own(INDICATOR_STATUS, data.status && data.status.indicator);
    var label = status && own(overallLabels, status);
    if (!banner || typeof label !== "string") return;
    banner.className = banner.className.replace(/(^|\s)overall-[a-z_]+/g, "").trim() + " overall-" + status;
    var text = banner.querySelector("[data-live-overall-label]");
    if (text) text.textContent = label;
    var asOf = banner.querySelector("[data-live-as-of]");
    if (asOf) {
      var parts = clockParts(new Date(), undefined);
      asOf.textContent = "Checked for updates at " + parts.hour + ":" + parts.minute + " your time";
    }
  }

  function updateComponents(data) {
    var statuses = {};
    (data.components || []).forEach(function (component) {
      if (component && typeof component.id === "string") statuses[component.id] = component.status;
    });
    var labels = document.querySelectorAll("[data-component-status]");
    for (var i = 0; i < labels.length; i++) {
      var status = own(statuses, labels[i].getAttribute("data-component-status"));
      var label = typeof status === "string" ? own(statusLabels, status) : undefined;
      if (typeof label === "string") setLabel(labels[i], status, label);
    }
  }

  function incidentsChanged(data) {
    var body = document.body;
    var scope = body.getAttribute("data-live-scope");
    if (!scope) return false;
    var shown = {};
    var shownCount = 0;
    (body.getAttribute("data-live-incidents") || "").split(/\s+/).forEach(function (token) {
      var at = token.lastIndexOf("@");
      if (at > 0) { shown[token.slice(0, at)] = Date.parse(token.slice(at + 1)); shownCount++; }
    });
    var live = (data.incidents || []).filter(function (incident) {
      if (!incident || typeof incident.id !== "string") return false;
      if (scope === "all") return true;
      if (scope === "incident:" + incident.id) return true;
      return (incident.components || []).some(function (c) { return c && scope === "component:" + c.id; });
    });
    if (live.length !== shownCount) return true;
    return live.some(function (incident) {
      var seen = own(shown, incident.id);
      return seen === undefined || Date.parse(incident.updated_at) > seen;
    });
  }

  function offerReload() {
    if (document.querySelector(".live-notice")) return;
    var notice = document.createElement("p");
    notice.className = "live-notice";
    notice.setAttribute("role", "status");
    var link = document.createElement("a");
    link.href = location.href.split("#")[0];
    link.textContent = "New updates \u2014 reload";
    notice.appendChild(link);
    var main = document.getElementById("main") || document.body;
    main.insertBefore(notice, main.firstChild);
  }

  function apply(data) {
    if (!data || typeof data !== "object" || !data.status) return;
    updateOverall(data);
    updateComponents(data);
    if (incidentsChanged(data)) offerReload();
  }

  function refresh() {
    if (document.hidden || location.protocol === "file:" || !window.fetch || !hasLiveParts()) return;
    var url;
    try { url = new URL(root + "api/v2/summary.json", location.href).href; } catch (e) { return; }
    fetch(url, {cache: "no-cache"})
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(apply)
      .catch(function () { /* offline or not served: the page as built stands */ });
  }

  function start() {
    checkPromises();
    localiseTimes();
    refresh();
    setInterval(checkPromises, PROMISE_CHECK_MS);
    setInterval(refresh, POLL_MS);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { checkPromises(); refresh(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
