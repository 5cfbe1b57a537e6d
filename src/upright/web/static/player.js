/* Upright's guided session player. It only plays the script the server compiled (GET data-script-url)
   and reports what happened (POST data-results-url, through outbox.js so a dropped connection loses
   nothing). No framework, no build step.

   Timing comes from performance.now() deltas, never from counting timer ticks, so a tab that was in
   the background catches up to the right step when it wakes. Spoken cues use the Web Speech API; the
   same words always show as a caption. Every control is a real button (keyboard and screen reader). */
(function () {
  "use strict";

  var TICK_MS = 200;
  var MAX_ACTIVE = 6 * 3600;
  var HIGH_PAIN = 7;
  var PHONE = "(max-width: 40rem), (max-height: 40rem)"; // as in app.css: the frame fills the window

  function byId(id) { return document.getElementById(id); }
  function show(el, on) { el.hidden = !on; }
  function text(el, value) { el.textContent = value || ""; }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // works on plain http too (a phone on the home network)
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function checked(form, name) {
    var el = form.querySelector("input[name='" + name + "']:checked");
    return el ? el.value : null;
  }

  function Player(root) {
    this.root = root;
    this.muted = root.dataset.voice !== "1";
    this.state = "loading";
    this.i = 0;
    this.stepDone = 0;      // ms of the current step already played before this run
    this.runFrom = null;    // performance.now() when the current run began; null while stopped
    this.activeMs = 0;
    this.painReports = [];
    this.outcome = "completed";
    this.hurtItem = null;
    this.el = {};
    ["exercise", "show", "count", "count-unit", "where", "caption", "details", "next", "progress", "figure",
     "start", "pause", "skip", "mute", "hurt", "end", "controls", "pain", "pain-form", "pain-title",
     "advice", "advice-title", "advice-high", "go-on", "skip-hurt", "end-hurt", "checkin", "checkin-form",
     "checkin-title", "done", "done-title", "done-text", "error"].forEach(function (k) {
      this.el[k] = byId("p-" + k);
    }, this);
  }

  Player.prototype.load = async function () {
    var response;
    try {
      response = await fetch(this.root.dataset.scriptUrl, { headers: { "Accept": "application/json" } });
    } catch (e) {
      return this.fail("Upright could not load your session. Check that Upright is running, then reload.");
    }
    if (!response.ok) {
      var body = await response.json().catch(function () { return {}; });
      if (response.status === 409) { window.location.assign("/today"); return; }
      return this.fail(body.message || "Upright could not load your session.");
    }
    this.script = await response.json();
    this.steps = this.script.steps;
    this.items = this.script.targets.map(function () {
      return { steps: 0, stepsDone: 0, reps: 0, holds: 0, sets: 0, skipped: false, hurt: false };
    });
    this.steps.forEach(function (s, n) {
      if (s.item !== null && s.item !== undefined) { this.items[s.item].steps += 1; }
      var next = this.steps[n + 1];
      s.lastOfRep = s.rep !== null && !(next && next.item === s.item && next.rep === s.rep && next.set === s.set &&
        (next.kind === "move" || next.kind === "hold") && (s.side_name || next.side === s.side));
    }, this);
    this.bind();
    this.el.start.disabled = false; // the server draws it disabled: a press before now would do nothing
    this.state = "ready";
    this.enter(0, true);
    this.renderMute();
  };

  Player.prototype.fail = function (message) {
    text(this.el.error, message);
    show(this.el.error, true);
  };

  Player.prototype.bind = function () {
    var self = this;
    this.el.start.addEventListener("click", function () { self.start(); });
    this.el.pause.addEventListener("click", function () { self.state === "running" ? self.pause() : self.resume(); });
    var more = this.root.querySelector(".player-more");
    this.root.querySelectorAll(".player-more-menu button").forEach(function (b) {
      b.addEventListener("click", function () { if (more) { more.open = false; } });
    });
    this.el.skip.addEventListener("click", function () { self.skipItem(false); });
    this.el.mute.addEventListener("click", function () { self.muted = !self.muted; self.renderMute(); if (self.muted) { self.hush(); } });
    this.el.hurt.addEventListener("click", function () { self.hurts(); });
    this.el.end.addEventListener("click", function () { if (self.outcome === "completed") { self.outcome = "ended_early"; } self.checkIn(); });
    this.el["pain-form"].addEventListener("submit", function (e) { e.preventDefault(); self.painScored(); });
    this.el["go-on"].addEventListener("click", function () { self.afterHurt("continue"); });
    this.el["skip-hurt"].addEventListener("click", function () { self.afterHurt("skip"); });
    this.el["end-hurt"].addEventListener("click", function () { self.afterHurt("end"); });
    this.el["checkin-form"].addEventListener("submit", function (e) { e.preventDefault(); self.finish(); });
    document.addEventListener("visibilitychange", function () { self.tick(); });
    this.timer = window.setInterval(function () { self.tick(); }, TICK_MS);
  };

  // ---- time -----------------------------------------------------------------------------------

  Player.prototype.playedMs = function () {
    return this.stepDone + (this.runFrom === null ? 0 : performance.now() - this.runFrom);
  };

  Player.prototype.begin = function () {
    if (!this.startedAt) { this.clientId = newId(); this.startedAt = new Date(); }
  };

  Player.prototype.start = function () {
    this.begin();
    this.started = true;
    this.keepAwake();
    show(this.el.start, false);
    show(this.el.pause, true);
    show(this.el.skip, true);
    this.run();
    this.enter(this.i, false);
    this.el.pause.focus();
    // On a phone the frame fills the window: bring all of it (countdown, "This hurts") into view.
    if (window.matchMedia(PHONE).matches) { this.root.scrollIntoView({ block: "start" }); }
  };

  Player.prototype.run = function () {
    this.state = "running";
    this.runFrom = performance.now();
    text(this.el.pause, "Pause");
  };

  Player.prototype.stopClock = function () {
    if (this.runFrom !== null) {
      var ran = performance.now() - this.runFrom;
      this.stepDone += ran;
      this.activeMs += ran;
      this.runFrom = null;
    }
  };

  Player.prototype.pause = function () {
    this.stopClock();
    this.state = "paused";
    text(this.el.pause, "Resume");
    this.hush();
    text(this.el.caption, "Paused. Press Resume when you are ready.");
  };

  Player.prototype.resume = function () {
    this.run();
    this.say(this.steps[this.i].say);
  };

  Player.prototype.tick = function () {
    if (this.state !== "running") { return; }
    var now = performance.now();
    var played = this.stepDone + (now - this.runFrom);
    var moved = false;
    // Catch up over every step that ended while we were away (a background tab is throttled).
    while (played >= this.steps[this.i].seconds * 1000 && !this.steps[this.i].needs_answer) {
      played -= this.steps[this.i].seconds * 1000;
      this.complete(this.i);
      this.i += 1;
      moved = true;
    }
    if (moved) {
      this.activeMs += now - this.runFrom;
      this.runFrom = now;
      this.stepDone = played;
      this.enter(this.i, false);
      if (this.steps[this.i].needs_answer) { this.checkIn(); return; }
    }
    this.renderCount();
  };

  // ---- steps ----------------------------------------------------------------------------------

  Player.prototype.complete = function (n) {
    var s = this.steps[n];
    if (s.item === null || s.item === undefined) { return; }
    var it = this.items[s.item];
    it.stepsDone += 1;
    if (s.kind === "hold") { it.holds += 1; }
    if (s.lastOfRep) { it.reps += 1; }
    if (s.kind === "rest") { it.sets += 1; }
    if (it.stepsDone === it.steps) { it.sets = this.script.targets[s.item].sets; }
  };

  Player.prototype.enter = function (n, quiet) {
    var s = this.steps[n];
    var target = s.item !== null && s.item !== undefined ? this.script.targets[s.item] : null;
    text(this.el.exercise, s.exercise_name || this.script.title);
    text(this.el.show, s.show);
    var where = [];
    if (s.rep && s.reps > 1) { where.push("Rep " + s.rep + " of " + s.reps); }
    if (s.set && s.sets > 1) { where.push("Set " + s.set + " of " + s.sets); }
    if (s.side_name) { where.push("Side: " + s.side_name); } else if (s.side && s.sides > 1) { where.push("Side " + s.side + " of " + s.sides); }
    text(this.el.where, where.join(" · "));
    this.el.details.replaceChildren.apply(this.el.details, (s.details || []).map(function (line) {
      var li = document.createElement("li"); li.textContent = line; return li;
    }));
    var next = this.steps[n + 1];
    text(this.el.next, next ? "Next: " + (next.kind === "exercise" ? next.exercise_name : next.show) : "");
    this.renderFigure(target || this.upcoming(n), s.kind === "hold" ? s.phase : null);
    this.root.dataset.kind = s.kind;
    if (!quiet) { this.say(s.say); } else { text(this.el.caption, s.say); }
    this.renderCount();
  };

  Player.prototype.renderCount = function () {
    var s = this.steps[this.i];
    var left = Math.max(0, Math.ceil(s.seconds - this.playedMs() / 1000));
    text(this.el.count, s.needs_answer ? "" : String(left));
    text(this.el["count-unit"], s.needs_answer ? "" : (left === 1 ? "second" : "seconds"));
    var done = s.start + Math.min(s.seconds, this.playedMs() / 1000);
    this.el.progress.value = Math.round(100 * done / this.script.total_seconds);
  };

  // Between exercises (get ready, posture check, rest) the picture shows the one coming next.
  Player.prototype.upcoming = function (n) {
    for (var k = n + 1; k < this.steps.length; k += 1) {
      var item = this.steps[k].item;
      if (item !== null && item !== undefined) { return this.script.targets[item]; }
    }
    return null;
  };

  // The moving picture loops the whole exercise; during a hold the person stays put, so the picture
  // shows the held pose, still.
  Player.prototype.renderFigure = function (target, holding) {
    var url = this.root.dataset.figureUrl;
    var ids = (this.root.dataset.figures || "").split(",");
    var box = this.el.figure;
    if (!url || !target || ids.indexOf(target.exercise) < 0) { box.replaceChildren(); delete box.dataset.showing; return; }
    var showing = target.exercise + (holding ? "/" + holding : "");
    if (box.dataset.showing === showing) { return; }
    var img = document.createElement("img");
    img.src = url.replace("{id}", target.exercise) + (holding ? (url.indexOf("?") < 0 ? "?" : "&") + "hold=" + encodeURIComponent(holding) : "");
    img.alt = (holding ? "Hold this pose: " : "How to do ") + target.name;
    box.replaceChildren(img);
    box.dataset.showing = showing;
    box.dataset.exercise = target.exercise;
  };

  Player.prototype.skipItem = function (forPain) {
    var s = this.steps[this.i];
    var item = s.item;
    this.stopClock();
    var n = this.i + 1;
    if (item !== null && item !== undefined) {
      if (!forPain) { this.items[item].skipped = true; }
      while (n < this.steps.length - 1 && this.steps[n].item === item) { n += 1; }
    }
    this.i = Math.min(n, this.steps.length - 1);
    this.stepDone = 0;
    this.run();
    this.enter(this.i, false);
    if (this.steps[this.i].needs_answer) { this.checkIn(); }
  };

  // ---- voice ----------------------------------------------------------------------------------

  Player.prototype.say = function (words) {
    text(this.el.caption, words);
    if (this.muted || !("speechSynthesis" in window)) { return; }
    window.speechSynthesis.cancel();
    var u = new SpeechSynthesisUtterance(words);
    u.rate = 0.95;
    window.speechSynthesis.speak(u);
  };

  Player.prototype.hush = function () {
    if ("speechSynthesis" in window) { window.speechSynthesis.cancel(); }
  };

  Player.prototype.renderMute = function () {
    this.el.mute.setAttribute("aria-pressed", this.muted ? "true" : "false");
    text(this.el.mute, this.muted ? "Voice is off" : "Voice is on");
  };

  Player.prototype.keepAwake = function () {
    var self = this;
    if (navigator.wakeLock) {
      navigator.wakeLock.request("screen").then(function (lock) { self.lock = lock; }).catch(function () {});
    }
  };

  // ---- "This hurts" -----------------------------------------------------------------------------

  Player.prototype.panel = function (name) {
    ["controls", "pain", "advice", "checkin", "done"].forEach(function (k) { show(this.el[k], k === name); }, this);
    var title = this.el[name + "-title"];
    if (title) { title.focus(); }
  };

  Player.prototype.hurts = function () {
    this.begin();
    this.stopClock();
    this.state = "hurt";
    this.hush();
    var s = this.steps[this.i];
    this.hurtItem = s.item === undefined ? null : s.item;
    this.el["pain-form"].reset();
    this.panel("pain");
    text(this.el.caption, "Stopped. Tell us how bad the pain is.");
  };

  Player.prototype.painScored = function () {
    var score = checked(this.el["pain-form"], "hurt-score");
    if (score === null) { this.el["pain-form"].querySelector("input").focus(); return; }
    this.hurtScore = parseInt(score, 10);
    var high = this.hurtScore >= HIGH_PAIN;
    show(this.el["advice-high"], high);
    show(this.el["go-on"], !high);
    show(this.el["skip-hurt"], this.hurtItem !== null);
    this.panel("advice");
  };

  Player.prototype.afterHurt = function (action) {
    var target = this.hurtItem !== null ? this.script.targets[this.hurtItem] : null;
    this.painReports.push({ at: new Date().toISOString(), score: this.hurtScore, exercise: target ? target.exercise : null, action: action });
    if (action !== "continue" && this.hurtItem !== null) { this.items[this.hurtItem].hurt = true; }
    this.panel("controls");
    if (action === "end") { this.outcome = "stopped_for_pain"; this.checkIn(); return; }
    if (!this.started) { this.state = "ready"; this.el.start.focus(); return; }
    if (action === "skip") { this.skipItem(true); } else { this.resume(); }
    this.el.hurt.focus();
  };

  // ---- end check-in and the result ------------------------------------------------------------------

  Player.prototype.checkIn = function () {
    this.stopClock();
    this.state = "checkin";
    this.hush();
    this.begin();
    this.panel("checkin");
    this.say(this.steps[this.steps.length - 1].say);
  };

  Player.prototype.result = function (form) {
    var self = this;
    var pain = checked(form, "end-pain");
    var location = form.querySelector("select[name='end-location']").value;
    return {
      client_id: this.clientId,
      plan_id: this.script.plan_id,
      program: this.script.program,
      player: "web",
      started_at: this.startedAt.toISOString(),
      ended_at: new Date().toISOString(),
      outcome: this.outcome,
      planned_seconds: Math.round(this.script.total_seconds),
      active_seconds: Math.min(MAX_ACTIVE, Math.round(this.activeMs / 1000)),
      items: this.script.targets.map(function (t, n) {
        var it = self.items[n];
        var status = it.hurt ? "stopped_for_pain" : it.stepsDone === it.steps ? "done" : it.stepsDone > 0 ? "partial" : "skipped";
        return {
          exercise: t.exercise,
          target: { sets: t.sets, reps: t.reps, hold_seconds: t.hold_seconds, each_side: t.each_side },
          done: { sets: it.sets, reps: it.reps, holds: it.holds },
          status: status
        };
      }),
      pain_reports: this.painReports,
      check_in: { pain: pain === null ? null : parseInt(pain, 10), feeling: checked(form, "feeling"), location: location || null }
    };
  };

  Player.prototype.finish = async function () {
    var form = this.el["checkin-form"];
    if (checked(form, "end-pain") === null) { form.querySelector("input").focus(); return; }
    var body = this.result(form);
    window.clearInterval(this.timer);
    if (this.lock) { this.lock.release().catch(function () {}); }
    this.state = "done";
    text(this.el["done-title"], "Saving…");
    text(this.el["done-text"], "");
    this.panel("done");
    var sent = await window.UprightOutbox.send(this.root.dataset.resultsUrl, body);
    if (sent.state === "stored") {
      text(this.el["done-title"], "Saved. Well done!");
      text(this.el["done-text"], "Your session is in your progress.");
    } else if (sent.state === "later") {
      text(this.el["done-title"], "Kept on this device");
      text(this.el["done-text"], "Upright could not be reached. Your session is safe here. It is sent when you open Upright again.");
    } else {
      text(this.el["done-title"], "This session was not saved");
      text(this.el["done-text"], (sent.data && sent.data.message) || "Upright could not take this session.");
    }
    this.el["done-title"].focus();
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = byId("player");
    if (root && root.dataset.scriptUrl && window.fetch) { new Player(root).load(); }
  });
  window.UprightPlayer = Player;
})();
