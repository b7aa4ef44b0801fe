// The live client: one WebSocket per page to /ws/events/, carrying only this person's events.
// It keeps the bell's count, shows a short notice for a new notification, and re-broadcasts
// every event as a DOM event ("ekabinet:<type>") for the page's own scripts (circular tables,
// conversations). When the socket drops it reconnects with backoff and asks for what it missed.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var bell = document.querySelector("[data-bell]");
  var counter = document.querySelector("[data-unread]");
  var toast = document.getElementById("live-toast");
  var lastId = config.lastId || 0;
  var attempt = 0;
  var socket = null;
  var toastTimer = null;

  function setUnread(n) {
    if (!counter) return;
    counter.textContent = String(n);
    counter.hidden = n === 0;
    if (bell) bell.setAttribute("aria-label", config.unreadLabel + ": " + n);
    document.documentElement.setAttribute("data-unread", String(n));
  }

  function showToast(notification) {
    if (!toast) return;
    toast.textContent = "";
    var link = document.createElement("a");
    link.href = "/notifications/" + notification.id + "/";
    link.textContent = notification.title;
    toast.appendChild(link);
    toast.classList.toggle("toast--important", !!notification.important);
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.hidden = true; }, 8000);
  }

  function emit(type, detail) {
    document.dispatchEvent(new CustomEvent("ekabinet:" + type, { detail: detail }));
  }

  function received(notification) {
    if (notification.id > lastId) lastId = notification.id;
    emit("notification", notification);
  }

  function handle(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    if (data.type === "hello") {
      setUnread(data.unread);
      socket.send(JSON.stringify({ action: "catch_up", after: lastId }));
    } else if (data.type === "catch_up") {
      data.notifications.forEach(received);
      if (data.notifications.length) showToast(data.notifications[data.notifications.length - 1]);
      setUnread(data.unread);
    } else if (data.type === "notification") {
      received(data.notification);
      setUnread(data.unread);
      showToast(data.notification);
    } else if (data.type === "unread") {
      setUnread(data.unread);
    } else {
      emit(data.type, data);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + config.url);
    socket.onopen = function () {
      attempt = 0;
      document.documentElement.setAttribute("data-live", "open");
    };
    socket.onmessage = handle;
    socket.onclose = function (event) {
      document.documentElement.setAttribute("data-live", "closed");
      if (event.code === 4401) return;  // logged out: nothing to wait for
      // 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not stormed.
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(connect, delay);
    };
  }

  if ("WebSocket" in window) connect();
})();
