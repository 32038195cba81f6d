/* Link forms in the back-office: warn at once when an address cannot be published (empty, '#',
   or not http(s)/mailto), and let 'nog geen adres' clear the address on purpose. The server applies
   the same rules on save; this only saves the editor a round trip. */
(function () {
  "use strict";
  var USABLE = /^(https?:\/\/[^\s.\/]+\.[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i;

  function row(el) { return el.closest("tr, .inline-related, fieldset, form"); }
  function checkboxFor(input) { var r = row(input); return r && r.querySelector("input[data-link-no-address]"); }
  function urlFor(checkbox) { var r = row(checkbox); return r && r.querySelector("input[data-link-url]"); }

  function message(input) {
    var value = input.value.trim(), box = checkboxFor(input);
    if (box && box.checked) { return ""; }
    if (value === "" || value === "#") {
      return "Nog geen adres: vul een volledig adres in (https://…) of vink ‘nog geen adres’ aan. Zo’n link verschijnt niet op de publieke site.";
    }
    if (!USABLE.test(value)) {
      return "Dit adres werkt niet op de publieke site: begin met https://, http:// of mailto:.";
    }
    return "";
  }

  function check(input) {
    var text = message(input), id = input.id + "_waarschuwing", note = document.getElementById(id);
    if (!note) {
      note = document.createElement("span");
      note.id = id;
      note.className = "kc-link-warning";
      note.setAttribute("role", "status");
      input.insertAdjacentElement("afterend", note);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(id);
      input.setAttribute("aria-describedby", described.join(" "));
    }
    note.textContent = text;
    note.hidden = !text;
    if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function noAddressChanged(box) {
    var input = urlFor(box);
    if (!input) { return; }
    if (box.checked) { input.value = ""; }
    input.readOnly = box.checked;
    check(input);
    if (!box.checked) { input.focus(); }
  }

  function isTemplate(el) { return (el.name || "").indexOf("__prefix__") !== -1; }

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("input[data-link-url]")) { check(e.target); }
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input[data-link-no-address]")) { noAddressChanged(e.target); }
  });
  function init(root) {
    root.querySelectorAll("input[data-link-no-address]").forEach(function (box) {
      var input = urlFor(box);
      if (input && box.checked) { input.readOnly = true; }
    });
    root.querySelectorAll("input[data-link-url]").forEach(function (input) {
      if (!isTemplate(input) && input.value !== "") { check(input); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("formset:added", function (e) { init(e.target); });
})();
