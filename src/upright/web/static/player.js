/* Upright's guided session player. It only plays the script the server compiled and put in the page
   (<script type="application/json" id="p-script">) and reports which parts of each exercise were
   played to their end (POST data-results-url, through outbox.js so a dropped connection loses
   nothing); the server counts them (domain.tally), as for every player. No framework, no build step.
   The words around a step ("Rep 2 of 5", "seconds") are the catalog's, put in the page with the
   script (<script type="application/json" id="p-words">, vocabulary.yaml's `player`).

   Timing comes from performance.now() deltas, never from counting timer ticks, so a tab that was in
   the background catches up to the right step when it wakes. Spoken cues use the Web Speech API; the
   same words always show as a caption. Every control is a real button (keyboard and screen reader). */
(function () {
  "use strict";

  var TICK_MS = 200;
  var MAX_ACTIVE = 6 * 3600;
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

  // "Rep {n} of {of}" with {n} and {of} filled in.
  function fill(words, values) {
    return String(words || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
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

  Player.prototype.load = function (data) {
    try {
      this.script = JSON.parse(data.textContent);
      this.words = JSON.parse(byId("p-words").textContent);
    } catch (e) {
      return this.fail("Upright could not read your session. Please reload the page.");
    }
    this.steps = this.script.steps;
    this.items = this.script.targets.map(function () { return { partsDone: [], hurt: false }; });
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
    this.el.skip.addEventListener("click", function () { self.skipItem(); });
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

  // A step played to its end: note its part of the exercise (the server counts the parts).
  Player.prototype.complete = function (n) {
    var s = this.steps[n];
    if (s.item === null || s.item === undefined || s.part === null || s.part === undefined) { return; }
    this.items[s.item].partsDone.push(s.part);
  };

  Player.prototype.enter = function (n, quiet) {
    var s = this.steps[n];
    var target = s.item !== null && s.item !== undefined ? this.script.targets[s.item] : null;
    text(this.el.exercise, s.exercise_name || this.script.title);
    text(this.el.show, s.show);
    var where = [];
    var w = this.words;
    if (s.rep && s.reps > 1) { where.push(fill(w.rep_of, { n: s.rep, of: s.reps })); }
    if (s.set && s.sets > 1) { where.push(fill(w.set_of, { n: s.set, of: s.sets })); }
    if (s.side_name) { where.push(fill(w.side_named, { side: s.side_name })); } else if (s.side && s.sides > 1) { where.push(fill(w.side_of, { n: s.side, of: s.sides })); }
    text(this.el.where, where.join(" · "));
    this.el.details.replaceChildren.apply(this.el.details, (s.details || []).map(function (line) {
      var li = document.createElement("li"); li.textContent = line; return li;
    }));
    var next = this.steps[n + 1];
    text(this.el.next, next ? fill(this.words.next, { what: next.kind === "exercise" ? next.exercise_name : next.show }) : "");
    this.renderFigure(target || this.upcoming(n), s.kind === "hold" ? s.phase : null);
    this.root.dataset.kind = s.kind;
    if (!quiet) { this.say(s.say); } else { text(this.el.caption, s.say); }
    this.renderCount();
  };

  Player.prototype.renderCount = function () {
    var s = this.steps[this.i];
    var left = Math.max(0, Math.ceil(s.seconds - this.playedMs() / 1000));
    text(this.el.count, s.needs_answer ? "" : String(left));
    text(this.el["count-unit"], s.needs_answer ? "" : this.words[left === 1 ? "second" : "seconds"]);
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
    img.alt = fill(this.words[holding ? "hold_pose" : "how_to"], { name: target.name });
    box.replaceChildren(img);
    box.dataset.showing = showing;
    box.dataset.exercise = target.exercise;
  };

  Player.prototype.skipItem = function () {
    var s = this.steps[this.i];
    var item = s.item;
    this.stopClock();
    var n = this.i + 1;
    if (item !== null && item !== undefined) {
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
    text(this.el.mute, this.words[this.muted ? "voice_off" : "voice_on"]);
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
    var high = this.hurtScore >= this.script.pain_threshold;
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
    if (action === "skip") { this.skipItem(); } else { this.resume(); }
    this.el.hurt.focus();
  };

  // ---- end check-in and the result ------------------------------------------------------------------

  // Ended for pain: the score was just given with "This hurts", so the check-in does not ask it again.
  Player.prototype.endedForPain = function () {
    return this.outcome === "stopped_for_pain" && this.hurtScore !== undefined;
  };

  Player.prototype.checkIn = function () {
    this.stopClock();
    this.state = "checkin";
    this.hush();
    this.begin();
    var scale = this.el["checkin-form"].querySelector(".pain-scale");
    if (scale) { show(scale, !this.endedForPain()); }
    if (this.endedForPain()) {
      text(this.el["checkin-title"], "You stopped because it hurt");
      this.panel("checkin");
      this.say("You stopped because it hurt. That was the right thing to do.");
      return;
    }
    this.panel("checkin");
    this.say(this.steps[this.steps.length - 1].say);
  };

  // The calm end of a session stopped for pain: say so, and give the advice again. Never "Well done!".
  Player.prototype.painEnd = function () {
    text(this.el["done-title"], "Saved. Please rest now.");
    var words = "You stopped because it hurt. That was the right thing to do. No more exercise today.";
    if (this.hurtScore >= this.script.pain_threshold) { words += " " + this.el["advice-high"].textContent; }
    text(this.el["done-text"], words);
    var advice = this.el.advice.querySelector("ul.advice");
    if (advice && !this.el.done.querySelector("ul.advice")) {
      this.el["done-text"].insertAdjacentElement("afterend", advice.cloneNode(true));
    }
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
        var item = {
          exercise: t.exercise,
          target: { sets: t.sets, reps: t.reps, hold_seconds: t.hold_seconds, each_side: t.each_side },
          steps_done: it.partsDone
        };
        if (it.hurt) { item.status = "stopped_for_pain"; }
        return item;
      }),
      pain_reports: this.painReports,
      check_in: { pain: pain === null || this.endedForPain() ? null : parseInt(pain, 10), feeling: checked(form, "feeling"), location: location || null }
    };
  };

  Player.prototype.finish = async function () {
    var form = this.el["checkin-form"];
    if (checked(form, "end-pain") === null && !this.endedForPain()) { form.querySelector("input").focus(); return; }
    var body = this.result(form);
    window.clearInterval(this.timer);
    if (this.lock) { this.lock.release().catch(function () {}); }
    this.state = "done";
    text(this.el["done-title"], "Saving…");
    text(this.el["done-text"], "");
    this.panel("done");
    var sent = await window.UprightOutbox.send(this.root.dataset.resultsUrl, body);
    if (sent.state === "stored" && this.endedForPain()) {
      this.painEnd();
    } else if (sent.state === "stored") {
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
    var data = byId("p-script");
    if (root && data && window.fetch) { new Player(root).load(data); }
  });
  window.UprightPlayer = Player;
})();
