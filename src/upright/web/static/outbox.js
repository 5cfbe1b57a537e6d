/* Upright outbox: a finished session waits here (localStorage) until the server has stored it.
   The server stores a result once per client_id, so sending again is always safe.
   Used by player.js; Today and the player page load it, so anything left over is resent. */
(function () {
  "use strict";
  var KEY = "upright.outbox.v1";

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(list) {
    try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* private mode: send only */ }
  }
  function drop(id) {
    save(load().filter(function (e) { return e.body.client_id !== id; }));
  }
  function keep(url, body) {
    var list = load().filter(function (e) { return e.body.client_id !== body.client_id; });
    list.push({ url: url, body: body });
    save(list);
  }

  // Clinic mode asks JSON writes made with a login cookie for the session's token (base.html has it).
  function csrfToken() {
    var meta = document.querySelector("meta[name='csrf-token']");
    return meta ? meta.getAttribute("content") : "";
  }

  // Resolves to {state: "stored" | "rejected" | "later", data}. "later": kept for the next try.
  async function sendOne(entry) {
    var response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify(entry.body)
      });
    } catch (e) {
      return { state: "later", data: null };
    }
    var data = await response.json().catch(function () { return {}; });
    if (response.ok) {
      drop(entry.body.client_id);
      return { state: "stored", data: data };
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      drop(entry.body.client_id); // the server will never take it; keeping it would retry forever
      return { state: "rejected", data: data };
    }
    return { state: "later", data: data };
  }

  var flushing = null;
  function flush() {
    if (!flushing) {
      flushing = (async function () {
        var list = load();
        for (var i = 0; i < list.length; i++) { await sendOne(list[i]); }
      })().finally(function () { flushing = null; });
    }
    return flushing;
  }

  window.UprightOutbox = {
    send: function (url, body) { keep(url, body); return sendOne({ url: url, body: body }); },
    flush: flush,
    pending: function () { return load().length; }
  };
  window.addEventListener("online", flush);
  flush();
})();
