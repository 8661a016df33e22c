// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // After a failed submit, move focus to the error summary so it is read first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
