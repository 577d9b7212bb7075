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
   - Speaks the page's language: its words come from <html data-strings> (translated by the build,
     with %(name)s placeholders this fills; English when the attribute is missing) and its dates
     and clocks from Intl.DateTimeFormat in <html lang>, with the clock the site's catalog uses.

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

  // The words when the page gives none (a theme whose <html> lacks data-strings).
  var ENGLISH = {
    overdue: "Update overdue:",
    overdue_promise: "the next update was promised by %(time)s. We have not posted it yet.",
    your_time_note: "(%(time)s your time)",
    your_time: "%(time)s your time",
    date_and_time: "%(date)s, %(time)s",
    day_and_month: "%(day)s %(month)s",
    day_month_year: "%(day)s %(month)s %(year)s",
    checked: "Checked for updates at %(time)s your time",
    reload: "New updates \u2014 reload",
    hour_cycle: "h23",
    hour: "2-digit"
  };

  var html = document.documentElement;
  var zone = html.getAttribute("data-zone") || "UTC";
  var root = html.getAttribute("data-root") || "./";
  var statusLabels = parseJson(html.getAttribute("data-status-labels"));
  var overallLabels = parseJson(html.getAttribute("data-overall-labels"));
  var strings = parseJson(html.getAttribute("data-strings"));
  var lang = pageLanguage(html.lang);

  function parseJson(text) {
    try { return JSON.parse(text || "{}") || {}; } catch (e) { return {}; }
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  }

  function word(key) {
    var text = own(strings, key);
    return typeof text === "string" ? text : ENGLISH[key];
  }

  // A message with its %(name)s placeholders filled (and %% a per cent sign), as gettext does.
  function format(message, values) {
    return message.replace(/%\((\w+)\)s|%%/g, function (match, name) {
      if (!name) return "%";
      var value = own(values, name);
      return value === undefined ? match : String(value);
    });
  }

  function pageLanguage(tag) {
    try {
      // Latin digits, as the build writes them (Babel's default), even where a language's
      // browsers would pick others (Arabic's ٢٦): one page, one kind of digit.
      var latin = (tag || "en") + "-u-nu-latn";
      if (Intl.DateTimeFormat.supportedLocalesOf([latin]).length) return latin;
      return Intl.DateTimeFormat.supportedLocalesOf([tag || "en"]).length ? tag : "en";
    } catch (e) {
      return "en"; // no Intl, or a tag it refuses
    }
  }

  // --- times in the reader's zone ------------------------------------------------------------

  // The day, month, year and clock of an instant in a zone (undefined: the reader's), in the
  // page's language; `clock` is the time of day as the site writes it ("14:05", "2:05 PM").
  function clockParts(date, timeZone) {
    var parts = {};
    var clock = {timeZone: timeZone, hour: word("hour"), minute: "2-digit", hourCycle: word("hour_cycle")};
    new Intl.DateTimeFormat(lang, {
      timeZone: timeZone, year: "numeric", month: "short", day: "numeric",
      hour: clock.hour, minute: "2-digit", hourCycle: clock.hourCycle
    }).formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    parts.clock = new Intl.DateTimeFormat(lang, clock).format(date);
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
      var clock = local.clock;
      var sameDay = shown.year === local.year && shown.month === local.month && shown.day === local.day;
      if (sameDay && shown.clock === local.clock) continue;
      var day = format(word("day_and_month"), local);
      var text = sameDay ? clock : format(word("date_and_time"), {date: day, time: clock});
      var full = format(word("date_and_time"), {date: format(word("day_month_year"), local), time: clock});
      element.title = format(word("your_time"), {time: full});
      // The space is a text node of its own, outside the note: a space inside it, at the start of
      // an element, is dropped wherever the note begins a line or a flex or grid item.
      var note = document.createElement("span");
      note.className = "local-time";
      note.textContent = format(word("your_time_note"), {time: text});
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
      // The same words the build writes for a promise it already sees as overdue: the sentence
      // around its time element (kept, with the reader's-time note after it).
      var sentence = word("overdue_promise").split("%(time)s");
      var strong = document.createElement("strong");
      strong.textContent = word("overdue");
      while (promise.firstChild) promise.removeChild(promise.firstChild);
      promise.appendChild(strong);
      promise.appendChild(document.createTextNode(" " + format(sentence[0], {})));
      promise.appendChild(time);
      if (note) {
        promise.appendChild(document.createTextNode(" "));
        promise.appendChild(note);
      }
      promise.appendChild(document.createTextNode(format(sentence.slice(1).join(""), {})));
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
      var parts;
      try { parts = clockParts(new Date(), undefined); } catch (e) { return; }
      asOf.textContent = format(word("checked"), {time: parts.clock});
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
    link.textContent = word("reload");
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
