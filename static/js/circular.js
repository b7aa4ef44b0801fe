// The sender's table of a circular follows each institution's state live: the events come
// through live.js ("ekabinet:circular.delivery"), only for rows this person may see.
(function () {
  "use strict";
  var section = document.querySelector("[data-circular]");
  if (!section) return;
  var circularId = Number(section.getAttribute("data-circular"));

  function recount() {
    var counts = { delivered: 0, read: 0, acknowledged: 0, replied: 0, overdue: 0 };
    section.querySelectorAll("tr[data-delivery] [data-state]").forEach(function (badge) {
      var state = badge.getAttribute("data-state-value") || badge.className.replace(/.*state--(\w+).*/, "$1");
      if (state in counts) counts[state] += 1;
    });
    Object.keys(counts).forEach(function (state) {
      var cell = section.querySelector('[data-count="' + state + '"]');
      if (cell) cell.textContent = String(counts[state]);
    });
  }

  document.addEventListener("ekabinet:circular.delivery", function (event) {
    var data = event.detail;
    if (data.circular !== circularId) return;
    var row = section.querySelector('tr[data-delivery="' + data.delivery + '"]');
    if (!row) return;
    var badge = row.querySelector("[data-state]");
    badge.className = "badge state state--" + data.state;
    badge.setAttribute("data-state-value", data.state);
    badge.textContent = data.state_label;
    ["read_at", "acknowledged_at", "replied_at", "reply"].forEach(function (field) {
      var cell = row.querySelector('[data-field="' + field + '"]');
      if (cell && data[field] && field !== "reply") cell.textContent = data[field];
      if (cell && field === "reply" && data.reply && !cell.textContent.trim()) cell.textContent = data.reply;
    });
    row.classList.add("changed");
    setTimeout(function () { row.classList.remove("changed"); }, 3000);
    recount();
  });
})();
