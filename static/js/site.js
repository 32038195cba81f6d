// Small screens: fold the main menu and the search box behind a "Menu" button.
// Without JavaScript the full menu and the search box stay visible.
(function () {
  var button = document.querySelector(".menu-toggle");
  var nav = document.getElementById("hoofdmenu");
  var search = document.getElementById("site-zoeken");
  if (!button || !nav) return;
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("is-open", !open);
    if (search) search.classList.toggle("is-open", !open);
  });
})();

// An edition's table of contents is open in the markup (and so without JavaScript); on a phone it
// starts folded under "Inhoud" so the text comes first.
(function () {
  var toc = document.querySelector(".toc__fold");
  if (toc && window.matchMedia("(max-width: 56rem)").matches) toc.open = false;
})();

// Folded parts ("Eerdere periodes", a programme's introductions) print open, and fold again after.
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.earlier:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
