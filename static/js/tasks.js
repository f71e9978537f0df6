// omskevents: the task form's person search and the deadline fields that follow the chosen mode.
// Progressive enhancement only: without this file every field still works as a plain select.
"use strict";

(function () {
  function debounce(fn, wait) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), wait);
    };
  }

  function setupPersonSearch(box) {
    const input = box.querySelector("input[type=search]");
    const select = document.getElementById(box.dataset.target);
    if (!input || !select) {
      return;
    }
    const url = box.dataset.searchUrl;
    const search = debounce(async function () {
      const query = input.value.trim();
      if (query.length < 2) {
        return;
      }
      const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        return;
      }
      const data = await response.json();
      const chosen = select.value;
      const keep = Array.from(select.options).filter((o) => o.value === "" || o.value === chosen);
      select.replaceChildren(...keep);
      for (const person of data.results) {
        if (String(person.id) === chosen) {
          continue;
        }
        select.add(new Option(person.text, person.id));
      }
      if (data.results.length === 1 && !chosen) {
        select.value = String(data.results[0].id);
      }
    }, 250);
    input.addEventListener("input", search);
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
    document.querySelectorAll(".person-search").forEach(setupPersonSearch);
    document.querySelectorAll("form.task-form").forEach(setupDeadlineMode);
  });
})();
