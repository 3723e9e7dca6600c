// anketa staff: optional autosave on interview topic screens. Without this script every
// button (the sidebar's too) saves on the server; with it, what the interviewer types is
// also saved a moment after they stop typing, so a closed lid loses nothing. The server
// counts each stretch of time once, however many saves carry it.
(function () {
  "use strict";
  var form = document.getElementById("interview-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var saving = false;
  var again = false;
  var submitting = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function body() {
    var b = new URLSearchParams(new FormData(form));
    b.set("go", "@stay");
    return b;
  }

  function send(keepalive) {
    return fetch(form.action, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "X-Autosave": "1" }
    });
  }

  function save() {
    timer = null;
    if (submitting) return;
    if (saving) { again = true; return; }
    saving = true;
    send(false).then(function (response) {
      var opened = response.headers.get("X-Opened");
      if (opened) form.elements.opened.value = opened;
      if (response.status === 204) {
        say("Saved at " + new Date().toLocaleTimeString());
      } else if (response.status === 422) {
        say("Saved, except answers that need a look: press Save to see them.");
      } else {
        say("Not saved: you may have been signed out. Press Save to try again.");
      }
    }, function () {
      say("Not saved: no connection. Trying again in a moment.");
      later(10000);
    }).then(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function later(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay || 1500);
  }

  form.addEventListener("input", function () { later(); });
  form.addEventListener("change", function () { later(); });
  // A button submits the form itself: no autosave on top of it.
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  // Leaving with unsaved typing (closing the tab): one last save that outlives the page.
  window.addEventListener("pagehide", function () {
    if (!timer || submitting) return;
    clearTimeout(timer);
    timer = null;
    send(true).catch(function () {});
  });
})();
