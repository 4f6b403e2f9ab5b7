// llct-sched web page: live progress of a running solve (polling) and the pin form's defaults.
// Plain JavaScript, no build step, no network access beyond this server.
(function () {
  "use strict";

  function show(value) {
    if (value === null || value === undefined) return "—";
    return typeof value === "number" ? String(Math.round(value * 100) / 100) : String(value);
  }

  function poll(panel) {
    var id = panel.getAttribute("data-version");
    fetch("/api/versions/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.state !== "queued" && state.state !== "running") {
          window.location.reload();
          return;
        }
        var progress = state.progress || {};
        progress.stage = state.stage;
        ["stage", "objective", "bound", "elapsed"].forEach(function (name) {
          var cell = panel.querySelector('[data-field="' + name + '"]');
          if (cell) cell.textContent = show(progress[name]);
        });
        window.setTimeout(function () { poll(panel); }, 1000);
      })
      .catch(function () { window.setTimeout(function () { poll(panel); }, 3000); });
  }

  function pinDefaults() {
    var select = document.getElementById("pin-class");
    var starts = document.getElementById("pin-starts");
    var room = document.getElementById("pin-room");
    if (!select || !starts) return;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      starts.value = option.getAttribute("data-starts") || "";
      if (room) room.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("progress");
    if (panel) poll(panel);
    pinDefaults();
  });
})();
