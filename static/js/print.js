// The print button of a regulation page (the page has a print stylesheet).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
