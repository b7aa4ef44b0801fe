// A conversation page appends new messages live ("ekabinet:message.created" from live.js),
// building the DOM with textContent so that a message's text can never become markup.
(function () {
  "use strict";
  var thread = document.querySelector("[data-conversation]");
  if (!thread) return;
  var conversationId = Number(thread.getAttribute("data-conversation"));

  document.addEventListener("ekabinet:message.created", function (event) {
    var data = event.detail;
    if (data.conversation !== conversationId) return;
    var message = data.message;
    if (thread.querySelector('[data-message="' + message.id + '"]')) return;
    var item = document.createElement("li");
    item.className = "message-item" + (message.own ? " message-item--own" : "") + " changed";
    item.setAttribute("data-message", String(message.id));
    var meta = document.createElement("div");
    meta.className = "message-item__meta";
    var who = document.createElement("strong");
    who.textContent = message.author;
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(" · " + message.institution + " · " + message.created_at));
    var body = document.createElement("div");
    body.className = "message-item__body";
    message.body.split("\n").forEach(function (line, index) {
      if (index) body.appendChild(document.createElement("br"));
      body.appendChild(document.createTextNode(line));
    });
    item.appendChild(meta);
    item.appendChild(body);
    message.attachments.forEach(function (file) {
      var line = document.createElement("div");
      var link = document.createElement("a");
      link.href = file.url;
      link.textContent = file.name;
      link.setAttribute("download", "");
      line.appendChild(link);
      item.appendChild(line);
    });
    thread.appendChild(item);
  });
})();
