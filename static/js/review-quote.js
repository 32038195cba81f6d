/* Review link page: "Selectie overnemen" puts the passage the reviewer selected in the text into the
   "Over welke passage?" field of that box. The button only appears with JavaScript; without it the
   reviewer copies the passage by hand. The server checks that the passage stands in the text. */
(function () {
  "use strict";
  var lastSelection = "";

  document.addEventListener("selectionchange", function () {
    var text = String(window.getSelection ? window.getSelection() : "").trim();
    var active = document.activeElement;
    // Selecting inside a form field (the quote or comment box itself) is not a passage of the text.
    if (text && !(active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT"))) {
      lastSelection = text;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-quote-take]");
    Array.prototype.forEach.call(buttons, function (button) {
      var field = document.getElementById(button.getAttribute("data-quote-take"));
      var status = button.parentNode.querySelector("[data-quote-status]");
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        if (!lastSelection) {
          status.textContent = "Selecteer eerst een zin in de tekst.";
          return;
        }
        field.value = lastSelection.replace(/\s+/g, " ").slice(0, 1000);
        status.textContent = "Passage overgenomen.";
        field.focus();
      });
    });
  });
}());
