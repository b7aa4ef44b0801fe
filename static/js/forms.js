// Forms: filter a long <select multiple> by typing, and keep a form from being sent twice
// (the server also ignores a repeated submission; this spares the person the wait).
(function () {
  "use strict";
  document.querySelectorAll("input.select-filter[data-filters]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filters"));
    if (!select) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("uk");
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && !option.selected && option.text.toLocaleLowerCase("uk").indexOf(needle) === -1;
      });
    });
  });
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
