(function () {
  var version = Number(document.currentScript.getAttribute("data-version"));
  function poll() {
    fetch("__WAIT_URL__?version=" + version, {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (data) { if (data.version !== version) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
