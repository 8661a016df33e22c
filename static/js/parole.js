// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // After a failed submit, move focus to the error summary so it is read first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// "Listen": read a block aloud with the browser's speech synthesis, when it has one.
// The button stays hidden otherwise (no button that does nothing).
document.addEventListener("DOMContentLoaded", function () {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return;
  }
  var buttons = document.querySelectorAll("[data-speak]");
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.querySelector(button.getAttribute("data-speak"));
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(target.innerText);
      utterance.lang = document.documentElement.lang === "en" ? "en-GB" : "fr-FR";
      utterance.rate = 0.9;
      window.speechSynthesis.speak(utterance);
    });
  });
});
