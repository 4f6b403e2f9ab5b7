// llct-sched web page: live progress of a running solve (polling) and the pin form.
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

  // The pin form: choosing a class shows where it is now (as hints) and fills in what is pinned
  // now (as values), so that submitting unchanged fields changes nothing; its modules fill the
  // module list; choosing a module selects its pinned lecturer and hides lecturers of other topics.
  function pinForm() {
    var select = document.getElementById("pin-class");
    var starts = document.getElementById("pin-starts");
    var now = document.getElementById("pin-now");
    var room = document.getElementById("pin-room");
    var module = document.getElementById("pin-module");
    var lecturer = document.getElementById("pin-lecturer");
    if (!select || !starts || !room || !module || !lecturer) return;

    function showLecturers() {
      var chosen = module.options[module.selectedIndex];
      var topic = chosen ? chosen.getAttribute("data-topic") : null;
      Array.prototype.forEach.call(lecturer.options, function (option) {
        var topics = (option.getAttribute("data-topics") || "").split(" ");
        option.hidden = Boolean(option.value && topic && topics.indexOf(topic) < 0);
      });
      lecturer.value = (chosen && chosen.getAttribute("data-pinned")) || "";
    }

    function showClass() {
      var option = select.options[select.selectedIndex];
      starts.value = option.getAttribute("data-pinned-starts") || "";
      starts.placeholder = option.getAttribute("data-starts") || "";
      if (now) now.textContent = option.getAttribute("data-starts") || "";
      room.value = option.getAttribute("data-pinned-room") || "";
      var modules = [];
      try {
        modules = JSON.parse(option.getAttribute("data-modules") || "[]");
      } catch (error) {
        modules = [];
      }
      while (module.options.length > 1) module.remove(1);
      modules.forEach(function (m) {
        var item = document.createElement("option");
        item.value = m.id;
        item.textContent = m.id + " — " + m.name + " (" + (m.current || "—") + ")";
        item.setAttribute("data-pinned", m.pinned || "");
        item.setAttribute("data-current", m.current || "");
        item.setAttribute("data-topic", m.topic || "");
        module.appendChild(item);
      });
      module.value = "";
      showLecturers();
    }

    select.addEventListener("change", showClass);
    module.addEventListener("change", showLecturers);
  }

  // The re-plan form: only the fields the chosen kind of change reads are shown.
  function replanForm() {
    var kind = document.getElementById("replan-kind");
    var form = document.getElementById("replan-form");
    if (!kind || !form) return;
    function show() {
      Array.prototype.forEach.call(form.querySelectorAll("[data-kinds]"), function (field) {
        field.hidden = field.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", show);
    show();
  }

  // The variants table while some variants still solve: reload when none is running any more.
  function waitFor(panel) {
    var ids = (panel.getAttribute("data-versions") || "").split(",").filter(Boolean);
    Promise.all(ids.map(function (id) {
      return fetch("/api/versions/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (response) { return response.json(); });
    }))
      .then(function (states) {
        var running = states.some(function (s) { return s.state === "queued" || s.state === "running"; });
        if (running) window.setTimeout(function () { waitFor(panel); }, 1000);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(function () { waitFor(panel); }, 3000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("progress");
    if (panel) poll(panel);
    var waiting = document.getElementById("waiting");
    if (waiting) waitFor(waiting);
    pinForm();
    replanForm();
  });
})();
