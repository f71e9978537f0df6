// The print pages' "Print" button (the pages print without it, from the browser's menu).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
