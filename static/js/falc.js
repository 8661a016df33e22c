// Live easy-read check: progressive enhancement of the authoring forms. Without this file,
// the "Check the easy-to-read text" button shows the same report after a submit, and each
// suggestion is shown as text.
// The field's status line (role=status) receives only the summary ("3 choses à simplifier"),
// so that screen readers announce it; the findings go in the list after the field.
// A suggestion's "Replace with" button replaces exactly its words in the field, puts the
// caret after them and checks the text again.
(function () {
  "use strict";
  var DELAY = 700;

  function csrfToken(field) {
    var form = field.form;
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function showButtons(container) {
    var buttons = container.querySelectorAll("button.falc-replace[data-falc-field]");
    Array.prototype.forEach.call(buttons, function (button) {
      var field = document.getElementById(button.getAttribute("data-falc-field"));
      if (field && field.hasAttribute("data-falc-check")) { button.hidden = false; }
    });
  }

  function show(field, html) {
    var target = document.getElementById(field.id + "-falc-live");
    var status = document.getElementById(field.id + "-falc-status");
    if (!target || !status) { return; }
    var answer = document.createElement("div");
    answer.innerHTML = html;
    var summary = answer.querySelector(".falc-summary");
    var details = answer.querySelector(".falc-report");
    var old = target.querySelector(".falc-report");
    if (old) { target.removeChild(old); }
    if (details) { target.appendChild(details); showButtons(target); }
    // the status line stays the same element: a live region must exist before it changes
    status.innerHTML = summary ? summary.innerHTML : "";
  }

  function check(field) {
    var body = new URLSearchParams();
    body.set("text", field.value);
    body.set("field", field.id);
    body.set("organisation_id", field.getAttribute("data-falc-organisation") || "");
    body.set("csrf_token", csrfToken(field));
    fetch(field.getAttribute("data-falc-check"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrfToken(field)},
      body: body.toString()
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null) { show(field, html); }
    }).catch(function () { /* the button still works */ });
  }

  // Where the finding's words are now: at their offsets when the text did not move, else
  // the nearest place where the same words are (the text may have changed since the check,
  // and offsets count characters differently for some emoji).
  function locate(value, start, original) {
    if (value.substr(start, original.length) === original) { return start; }
    var best = -1;
    var at = value.indexOf(original);
    while (at !== -1) {
      if (best === -1 || Math.abs(at - start) < Math.abs(best - start)) { best = at; }
      at = value.indexOf(original, at + 1);
    }
    return best;
  }

  function replace(button) {
    var field = document.getElementById(button.getAttribute("data-falc-field"));
    if (!field) { return; }
    var original = button.getAttribute("data-original");
    var replacement = button.getAttribute("data-replacement");
    var start = locate(field.value, parseInt(button.getAttribute("data-start"), 10), original);
    field.focus();
    if (start === -1) { check(field); return; }
    var end = start + original.length;
    field.value = field.value.slice(0, start) + replacement + field.value.slice(end);
    var caret = start + replacement.length;
    field.setSelectionRange(caret, caret);
    check(field);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.falc-replace");
    if (button) { event.preventDefault(); replace(button); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("[data-falc-check]");
    Array.prototype.forEach.call(fields, function (field) {
      var timer = null;
      var target = document.getElementById(field.id + "-falc-live");
      if (target) { showButtons(target); }
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { check(field); }, DELAY);
      });
    });
  });
})();
