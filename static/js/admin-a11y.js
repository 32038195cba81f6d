/* Accessible names for the admin's select2 (autocomplete) widgets, which render their own combobox
   and search field next to the hidden <select> and leave both without a name. */
(function () {
  "use strict";

  function nameOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var text = label ? label.textContent : select.getAttribute("aria-label") || "";
    return text.replace(/[:\s]+$/, "").trim();
  }

  // select2 puts its "clear" cross directly inside the <ul> of chosen items; a list may only hold
  // items, so it moves next to the list (select2 finds it there again by class).
  function tidy(container, name) {
    container.querySelectorAll(".select2-selection[role=combobox], .select2-search__field, .select2-selection__rendered[role=textbox]").forEach(function (el) {
      if (el.getAttribute("aria-label") !== name) { el.setAttribute("aria-label", name); }
    });
    container.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(function (cross) {
      cross.parentNode.parentNode.insertBefore(cross, cross.parentNode);
    });
  }

  function label(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2") || container.dataset.kcNamed) { return; }
    container.dataset.kcNamed = "1";
    var name = nameOf(select);
    if (!name) { return; }
    tidy(container, name);
    new MutationObserver(function () { tidy(container, name); }).observe(container, { childList: true, subtree: true });
  }

  function init() {
    document.querySelectorAll("select.admin-autocomplete").forEach(label);
  }

  // Django starts select2 on DOMContentLoaded (and for new inline rows on formset:added); name them after that.
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(init, 0); });
  document.addEventListener("formset:added", function () { window.setTimeout(init, 0); });
})();
