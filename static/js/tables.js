// Progressive enhancement for school tables: filter rows as one types (the form still works
// without JavaScript), and ask before a destructive POST such as a password reset.
(function () {
  "use strict";
  document.querySelectorAll("[data-table-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-table-filter"));
    var counter = document.getElementById(input.getAttribute("data-table-filter") + "-count");
    if (!table) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("uk");
      var shown = 0;
      table.querySelectorAll("tbody tr[data-filter-text]").forEach(function (row) {
        var match = !needle || row.getAttribute("data-filter-text").indexOf(needle) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (counter) counter.textContent = counter.getAttribute("data-template-shown").replace("{n}", shown);
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
