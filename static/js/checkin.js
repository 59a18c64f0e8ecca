// Check-in on the day: each tap is saved on its own with a small POST, without reloading the page.
// Without JavaScript the same forms post normally. Poor reception: a failed tap says so and can be repeated.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var status = document.getElementById("checkin-status");

  function say(text) {
    if (status) { status.textContent = text; }
  }

  // Messages come translated from the page (data-* on the status line).
  function message(name) {
    return (status && status.getAttribute("data-" + name)) || "";
  }

  function mark(form, outcome) {
    form.querySelectorAll("button[name=outcome]").forEach(function (button) {
      var on = button.value === outcome;
      var badge = button.getAttribute("data-badge");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("btn-" + badge, on);
      button.classList.toggle("btn-outline-" + badge, !on);
    });
  }

  function updateCounts(counts) {
    document.querySelectorAll("[data-count]").forEach(function (el) {
      var key = el.getAttribute("data-count");
      if (counts && Object.prototype.hasOwnProperty.call(counts, key)) { el.textContent = counts[key]; }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-checkin") || !window.fetch) { return; }
    var button = event.submitter;
    if (!button || button.name !== "outcome") { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.set("outcome", button.value);
    form.setAttribute("aria-busy", "true");
    say(message("saving"));
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && result.body.ok) {
        mark(form, result.body.outcome);
        updateCounts(result.body.counts);
        say(result.body.label);
      } else {
        say(result.body.error || message("error"));
      }
    }).catch(function () {
      say(message("offline"));
    }).finally(function () {
      form.removeAttribute("aria-busy");
    });
  });

  // Live filter of the list while typing (the search button still works without JavaScript).
  var filter = document.getElementById("checkin-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll("#checkin-list [data-name]").forEach(function (row) {
        var name = row.getAttribute("data-name");
        row.hidden = !words.every(function (w) { return name.indexOf(w) !== -1; });
      });
    });
  }
})();
