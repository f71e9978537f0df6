// omskevents: searchable pickers (Tom Select, static/vendor/tom-select/) for every <select data-picker>.
// Progressive enhancement only: without this file, or without Tom Select, each stays a plain select that posts
// the same values. The options are the server's (already limited to what the reader may see); nothing is
// fetched from elsewhere.
"use strict";

(function () {
  function enhance(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") {
      return;
    }
    const multiple = select.multiple;
    const settings = {
      create: false,
      maxOptions: null,
      allowEmptyOption: !multiple,
      plugins: multiple ? ["remove_button"] : [],
      searchField: ["text"],
      // The options are all here (a few hundred at most): filter as the reader types, not 300 ms later.
      refreshThrottle: 0,
      // The dropdown goes to <body>: a picker in a table or a folded panel is never cut off.
      dropdownParent: "body",
      onItemAdd: function () {
        if (multiple) {
          this.setTextboxValue("");
          this.refreshOptions(false);
        }
      },
    };
    if (!multiple && select.dataset.placeholder) {
      settings.placeholder = select.dataset.placeholder;
    }
    const picker = new window.TomSelect(select, settings);
    // Tom Select moves the label to its own search box; the select it keeps in the page (hidden, still posted)
    // keeps the same name for assistive technology.
    const label = document.querySelector(`label[for="${picker.control_input.id}"]`);
    if (label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-picker]").forEach(enhance);
  });
})();
