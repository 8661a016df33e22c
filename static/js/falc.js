// Live easy-read check: progressive enhancement of the authoring forms. Without this file,
// the "Check the easy-to-read text" button shows the same report after a submit.
(function () {
  "use strict";
  var DELAY = 700;

  function csrfToken(field) {
    var form = field.form;
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function check(field) {
    var target = document.getElementById(field.id + "-falc-live");
    if (!target) { return; }
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
      if (html !== null) { target.innerHTML = html; }
    }).catch(function () { /* the button still works */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("[data-falc-check]");
    Array.prototype.forEach.call(fields, function (field) {
      var timer = null;
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { check(field); }, DELAY);
      });
    });
  });
})();
