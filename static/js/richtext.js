/* A small rich text editor for admin textareas marked data-richtext: headings, bold, italic,
   lists and links. The textarea stays the form field; the server sanitises whatever arrives. */
(function () {
  "use strict";
  var BUTTONS = [
    ["Kop", "formatBlock", "h3", "Tussenkop"],
    ["Subkop", "formatBlock", "h4", "Kleinere tussenkop"],
    ["Alinea", "formatBlock", "p", "Gewone alinea"],
    ["B", "bold", null, "Vet"],
    ["I", "italic", null, "Cursief"],
    ["• Lijst", "insertUnorderedList", null, "Opsomming"],
    ["1. Lijst", "insertOrderedList", null, "Genummerde lijst"],
    ["Link", "createLink", null, "Link toevoegen"],
    ["Link weg", "unlink", null, "Link verwijderen"],
    ["Opmaak weg", "removeFormat", null, "Opmaak verwijderen"]
  ];

  function toHtml(text) {
    if (/<\s*[a-zA-Z!\/]/.test(text)) { return text; }
    return text.split(/\n\s*\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      var div = document.createElement("div");
      div.textContent = p.trim();
      return "<p>" + div.innerHTML.replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function attach(textarea) {
    if (textarea.dataset.richtextReady) { return; }
    textarea.dataset.richtextReady = "1";
    var wrap = document.createElement("div");
    wrap.className = "kc-rt";
    var bar = document.createElement("div");
    bar.className = "kc-rt__bar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Opmaak");
    var area = document.createElement("div");
    area.className = "kc-rt__area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) { area.setAttribute("aria-label", label.textContent.replace(/:$/, "")); }
    area.innerHTML = toHtml(textarea.value);  // shown to the editor only; stored HTML is sanitised server-side

    BUTTONS.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b[0];
      button.title = b[3];
      button.addEventListener("mousedown", function (e) { e.preventDefault(); });
      button.addEventListener("click", function () {
        area.focus();
        var value = b[2];
        if (b[1] === "createLink") {
          value = window.prompt("Adres van de link (https://…)", "https://");
          if (!value || !/^(https?:\/\/|mailto:)/i.test(value)) { return; }
        }
        document.execCommand(b[1], false, value);
        sync();
      });
      bar.appendChild(button);
    });

    function sync() { textarea.value = area.innerHTML.trim() === "<br>" ? "" : area.innerHTML; }
    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    // Pasting keeps only the text: the editor reapplies structure with the toolbar.
    area.addEventListener("paste", function (e) {
      e.preventDefault();
      var text = (e.clipboardData || window.clipboardData).getData("text/plain");
      document.execCommand("insertText", false, text);
    });

    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(bar);
    wrap.appendChild(area);
    wrap.appendChild(textarea);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
  }

  function init(root) {
    (root || document).querySelectorAll("textarea[data-richtext]").forEach(function (t) {
      if (!t.name || t.name.indexOf("__prefix__") === -1) { attach(t); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("formset:added", function (e) { init(e.target); });
})();
