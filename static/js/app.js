// omskevents: progressive enhancement only; every page works without it.
"use strict";

// A table wider than a phone scrolls sideways inside its .table-responsive box: that box takes the keyboard
// focus (arrow keys scroll it), so that a reader without a mouse or touch reaches the columns past the edge.
(function () {
  function focusableWhenScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableWhenScrolling);
  window.addEventListener("resize", focusableWhenScrolling);
})();
