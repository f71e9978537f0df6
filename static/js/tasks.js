// omskevents: the plan's filter panel (remembered open or closed) and the task form's deadline fields.
// Progressive enhancement only: without this file every field still works as a plain select.
"use strict";

(function () {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The plan's filter panel: whether the person keeps it open is remembered for them on the server.
  function setupFilterPanel(panel) {
    const url = panel.dataset.panelUrl;
    if (!url) {
      return;
    }
    panel.addEventListener("toggle", function () {
      const body = new URLSearchParams({ open: panel.open ? "1" : "0" });
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      }).catch(function () {
        // Only a preference: the panel works the same if it is not remembered.
      });
    });
  }

  function setupDeadlineMode(form) {
    const radios = form.querySelectorAll("input[name=deadline_mode]");
    if (!radios.length) {
      return;
    }
    const fixed = form.querySelector("#id_deadline");
    const relative = [form.querySelector("#id_days_before"), form.querySelector("#id_relative_anchor")];
    function update() {
      const mode = form.querySelector("input[name=deadline_mode]:checked");
      const isRelative = mode && mode.value === "relative";
      if (fixed) {
        fixed.disabled = isRelative;
      }
      for (const field of relative) {
        if (field) {
          field.disabled = !isRelative;
        }
      }
    }
    radios.forEach((radio) => radio.addEventListener("change", update));
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details.plan-filters").forEach(setupFilterPanel);
    document.querySelectorAll("form.task-form").forEach(setupDeadlineMode);
  });
})();
