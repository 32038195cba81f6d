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
// starts folded under "Inhoud" so the text comes first, and opens whenever a link leads to it
// ("Terug naar inhoud", the floating "Inhoud").
(function () {
  var toc = document.querySelector(".toc__fold");
  if (!toc) return;
  if (window.matchMedia("(max-width: 56rem)").matches && location.hash !== "#inhoudstafel") toc.open = false;
  window.addEventListener("hashchange", function () { if (location.hash === "#inhoudstafel") toc.open = true; });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest('a[href="#inhoudstafel"]')) toc.open = true;
  });
})();

// On a phone the floating "Inhoud" of an edition (templates/reports/edition_detail.html) opens a list of
// its chapters, the first level of the table of contents: any chapter is two taps away from anywhere
// in the edition. Without JavaScript it stays a link to the table of contents.
(function () {
  var jump = document.querySelector(".edition-jump");
  var link = jump && jump.querySelector("a");
  if (!link) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.textContent = link.textContent;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "hoofdstukken");
  var list = document.createElement("ol");
  list.id = "hoofdstukken";
  list.className = "edition-jump__list";
  list.hidden = true;
  function add(href, text) {
    var item = document.createElement("li");
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    item.appendChild(a);
    list.appendChild(item);
  }
  document.querySelectorAll(".toc__item--1 > a").forEach(function (a) { add(a.getAttribute("href"), a.textContent); });
  add("#inhoudstafel", "Volledige inhoudstafel");
  function toggle(open) {
    list.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  }
  button.addEventListener("click", function () { toggle(list.hidden); });
  list.addEventListener("click", function (event) { if (event.target.closest("a")) toggle(false); });
  jump.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !list.hidden) { toggle(false); button.focus(); }
  });
  document.addEventListener("click", function (event) { if (!jump.contains(event.target)) toggle(false); });
  jump.replaceChild(button, link);
  jump.appendChild(list);
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
