// Safety questions: a follow-up shows only after a "yes" to the question it follows, and an answer
// that means "get help now" sends the form at once, so the stop screen comes next. Without this
// script the page still works: every follow-up shows (with a hint), and the server stops on submit.
(function () {
  "use strict";
  const form = document.getElementById("screening-form");
  if (!form) return;
  const sets = Array.from(form.querySelectorAll("fieldset.yes-no"));

  function answer(id) {
    const picked = form.querySelector('input[name="' + CSS.escape(id) + '"]:checked');
    return picked ? picked.value : "";
  }

  function update() {
    // In page order, so a follow-up of a follow-up sees its parent's state already set.
    for (const set of sets) {
      const parent = set.dataset.follows;
      if (!parent) continue;
      const parentSet = document.getElementById("q-" + parent);
      const show = answer(parent) === "yes" && parentSet && !parentSet.hidden;
      set.hidden = !show;
      if (!show) {
        for (const input of set.querySelectorAll("input")) input.checked = false;
      }
    }
  }

  for (const hint of form.querySelectorAll(".follow-hint")) hint.hidden = true;
  update();

  form.addEventListener("change", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
    update();
    const set = input.closest("fieldset.yes-no");
    if (set && set.dataset.stopOn && input.value === set.dataset.stopOn) {
      form.submit(); // no "submit" event: nothing may hold the stop back
    }
  });
})();
