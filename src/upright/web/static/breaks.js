/* Upright break reminders while the app is open (the Today page, the Breaks page).
 *
 * The server decides when a break is due (GET /api/me/breaks): never while reminders are off, and
 * never while the person should rest (a safety stop, high pain today). This script only waits, asks
 * again, and shows the reminder: a banner inside the page (never a dialog over it, so it cannot
 * cover the session start, an alert or a form), the tab title, and a system notification when the
 * person allowed them. The banner's buttons are plain form posts, the same as without JavaScript.
 * It checks the wall clock every 30 seconds instead of trusting one long timer, because timers stop
 * while a computer sleeps: on waking it asks the server once, and the server has only one due break,
 * so there is one reminder, never a burst. Nothing here says anything about health.
 */
(function () {
  "use strict";

  var CHECK_MS = 30000;
  var RETRY_MS = 60000;
  var panel = document.getElementById("next-break");
  if (!panel) {
    return;
  }

  var statusUrl = panel.getAttribute("data-status-url");
  var eventsUrl = panel.getAttribute("data-events-url");
  var reasonEl = document.getElementById("next-break-reason");
  var dueEl = document.getElementById("break-due");
  var laterButton = document.getElementById("break-later");
  var permissionButton = document.getElementById("break-notify-permission");
  var pageTitle = document.title;
  var dueAt = null;
  var timer = null;
  var notified = false;
  var lastPromptTry = 0;

  function request(url, body) {
    var options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      var meta = document.querySelector("meta[name='csrf-token']");  // clinic mode: the session's token
      if (meta) { options.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().then(
        function (data) { return { ok: response.ok, status: response.status, body: data }; },
        function () { return { ok: false, status: response.status, body: {} }; }
      );
    });
  }

  function refresh() {
    return request(statusUrl).then(function (r) {
      if (r.ok) {
        update(r.body);
      } else {
        schedule();
      }
    }, schedule);
  }

  function update(status) {
    var next = status.next;
    reasonEl.textContent = next.reason;
    dueAt = next.seconds_until === null ? null : Date.now() + next.seconds_until * 1000;
    if (next.is_due) {
      remind(status);
    } else {
      showBanner(false);
    }
    schedule();
  }

  function schedule() {
    window.clearTimeout(timer);
    var wait = dueAt === null ? CHECK_MS : Math.max(0, dueAt - Date.now());
    timer = window.setTimeout(tick, Math.min(wait, CHECK_MS));
  }

  function tick() {
    if (dueAt !== null && Date.now() >= dueAt && !(dueEl && !dueEl.hidden)) {
      refresh();
    } else {
      schedule();
    }
  }

  function remind(status) {
    if (status.next.phase === "prompted") {
      showBanner(true, status);
      return;
    }
    if (Date.now() - lastPromptTry < RETRY_MS) {
      return;
    }
    lastPromptTry = Date.now();
    request(eventsUrl, { kind: "prompted" }).then(function (r) {
      // 409: another window or `upright breaks` showed it first; the status says what is open.
      if (r.ok) { update(r.body); } else if (r.status === 409) { refresh(); }
    });
  }

  function showBanner(isDue, status) {
    if (!dueEl) {
      return;
    }
    dueEl.hidden = !isDue;
    panel.classList.toggle("is-due", isDue);
    if (!isDue) {
      document.title = pageTitle;
      notified = false;
      return;
    }
    if (laterButton) {
      laterButton.hidden = !status.next.can_postpone;
    }
    document.title = "Time for a short break · Upright";
    if (!notified && "Notification" in window && Notification.permission === "granted") {
      notified = true;
      try {
        var note = new Notification("Upright", { body: "Time for a short break.", tag: "upright-break" });
        note.onclick = function () { window.focus(); panel.scrollIntoView(); note.close(); };
      } catch (err) {
        /* Some browsers only notify from a service worker; the banner is enough. */
      }
    }
  }

  if (permissionButton && "Notification" in window && Notification.permission === "default") {
    permissionButton.hidden = false;
    permissionButton.addEventListener("click", function () {
      Notification.requestPermission().then(function () { permissionButton.hidden = true; });
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refresh(); }
  });
  window.addEventListener("focus", tick);
  refresh();
})();
