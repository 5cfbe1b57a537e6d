/* Upright break reminders while the app is open (the Today page, the Breaks page).
 *
 * The server decides when a break is due (GET /api/me/breaks); this script only waits, asks again,
 * and shows the reminder: a system notification when the person allowed them, and always an
 * in-page dialog (native <dialog>: focus moves in, Tab stays in, Escape closes) with the answers.
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
  var routineUrl = panel.getAttribute("data-routine-url");
  var reasonEl = document.getElementById("next-break-reason");
  var dialog = document.getElementById("break-dialog");
  var errorEl = document.getElementById("break-dialog-error");
  var permissionButton = document.getElementById("break-notify-permission");
  var reopenButton = document.getElementById("break-reopen");
  var postponeButton = dialog ? dialog.querySelector('[data-break-action="postponed"]') : null;
  var pageTitle = document.title;
  var dueAt = null;
  var timer = null;
  var promptShown = false;
  var lastPromptTry = 0;

  function request(url, body) {
    var options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
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
    if (next.phase !== "prompted") {
      promptShown = false;
      closeDialog();
    }
    if (next.is_due) {
      remind(status);
    }
    schedule();
  }

  function schedule() {
    window.clearTimeout(timer);
    var wait = dueAt === null ? CHECK_MS : Math.max(0, dueAt - Date.now());
    timer = window.setTimeout(tick, Math.min(wait, CHECK_MS));
  }

  function tick() {
    if (dueAt !== null && Date.now() >= dueAt && !promptShown) {
      refresh();
    } else {
      schedule();
    }
  }

  function remind(status) {
    if (status.next.phase === "prompted") {
      show(status);
      return;
    }
    if (Date.now() - lastPromptTry < RETRY_MS) {
      return;
    }
    lastPromptTry = Date.now();
    request(eventsUrl, { kind: "prompted" }).then(function (r) {
      if (r.ok || r.status === 409) {
        // 409: another window or `upright breaks` showed it first; the status says what is open.
        if (r.ok) { update(r.body); } else { refresh(); }
      }
    });
  }

  function show(status) {
    if (promptShown) {
      return;
    }
    promptShown = true;
    if (postponeButton) {
      postponeButton.hidden = !status.next.can_postpone;
    }
    if ("Notification" in window && Notification.permission === "granted") {
      try {
        var note = new Notification("Upright", { body: "Time for a short break.", tag: "upright-break" });
        note.onclick = function () { window.focus(); note.close(); };
      } catch (err) {
        /* Some browsers only notify from a service worker; the dialog below is enough. */
      }
    }
    document.title = "Time for a short break · Upright";
    errorEl.textContent = "";
    openDialog();
  }

  function openDialog() {
    if (!dialog || dialog.open) {
      return;
    }
    if (reopenButton) { reopenButton.hidden = true; }
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    var first = dialog.querySelector("[data-break-action]");
    if (first) { first.focus(); }
  }

  function closeDialog() {
    document.title = pageTitle;
    if (dialog && dialog.open) {
      dialog.close();
    }
  }

  function act(action) {
    if (action === "start") {
      window.location.href = routineUrl;
      return;
    }
    var body = { kind: action };
    if (action === "paused") { body.minutes = 60; }
    request(eventsUrl, body).then(function (r) {
      if (r.ok) {
        closeDialog();
        update(r.body);
      } else {
        errorEl.textContent = (r.body && r.body.message) || "That did not work. Please try again.";
      }
    }, function () {
      errorEl.textContent = "Upright did not answer. Please try again.";
    });
  }

  if (dialog) {
    dialog.addEventListener("click", function (event) {
      var button = event.target.closest("[data-break-action]");
      if (button) { act(button.getAttribute("data-break-action")); }
    });
    // Escape closes the dialog; the break stays open and the panel offers to show it again.
    dialog.addEventListener("close", function () {
      document.title = pageTitle;
      if (promptShown && reopenButton) { reopenButton.hidden = false; }
    });
  }
  if (reopenButton) {
    reopenButton.addEventListener("click", openDialog);
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
