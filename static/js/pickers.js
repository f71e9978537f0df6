// omskevents: searchable pickers (Tom Select, static/vendor/tom-select/) for every <select data-picker>.
// Progressive enhancement only: without this file, or without Tom Select, each stays a plain select that posts
// the same values. The options are the server's (already limited to what the reader may see). A select over a
// long list of tasks carries only the chosen ones and a data-search-url: the others are asked from that address
// of this site as the reader types (a JSON list of {id, text}), nothing from elsewhere.
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
    if (select.dataset.noResults) {
      // Tom Select's own words are English; the page gives them in the reader's language.
      settings.render = {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(select.dataset.noResults) + "</div>";
        },
      };
    }
    const searchUrl = select.dataset.searchUrl;
    if (searchUrl) {
      // The server searches (words in any of their forms, the beginning of a number): the list shows what it found
      // for the words typed now, in its order — nothing found for earlier words, nothing filtered again here.
      settings.refreshThrottle = 250;
      settings.preload = "focus";
      settings.score = function (search) {
        return function (option) {
          return option.foundFor === search ? 1 : 0;
        };
      };
      settings.load = function (query, callback) {
        const picker = this;
        const url = new URL(searchUrl, window.location.href);
        url.searchParams.set("q", query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (picker.inputValue() !== query) {
              callback(); // an answer to words since changed, come after a later one: not shown
              return;
            }
            // What an earlier query found goes; the chosen ones and the empty choice ("No counterpart") stay.
            picker.clearOptions(function (option, value) {
              return value === "" || this.items.indexOf(value) >= 0;
            });
            callback(data.results.map(function (item) {
              return { value: String(item.id), text: item.text, foundFor: query };
            }));
          })
          .catch(function () {
            callback();
          });
      };
      // Asked on focus (the first ones, in the list's order) and for every query, however short.
      settings.shouldLoad = function () {
        return true;
      };
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
