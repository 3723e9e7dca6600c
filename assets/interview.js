// anketa staff: optional autosave on interview topic screens. Without this script every
// button (the sidebar's too) saves on the server; with it, what the interviewer types is
// also saved a moment after they stop typing, so a closed lid loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("interview-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var saving = false;
  var again = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    var body = new URLSearchParams(new FormData(form));
    body.set("go", "@stay");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Autosave": "1" }
    }).then(function (response) {
      if (response.status === 204) {
        var opened = response.headers.get("X-Opened");
        if (opened) form.elements.opened.value = opened;
        say("Saved at " + new Date().toLocaleTimeString());
      } else if (response.status === 403 || response.status === 303 || response.redirected) {
        say("Not saved: you may have been signed out. Press Save to try again.");
      } else {
        say("Not saved yet: check the highlighted answers and press Save.");
      }
    }, function () {
      say("Not saved: no connection. Keep typing; it will be saved when the connection returns.");
    }).then(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Leaving the page saves at once (the sidebar buttons submit normally anyway).
  window.addEventListener("pagehide", function () {
    if (!timer) return;
    clearTimeout(timer);
    var body = new URLSearchParams(new FormData(form));
    body.set("go", "@stay");
    if (navigator.sendBeacon) navigator.sendBeacon(form.action, body);
  });
})();
