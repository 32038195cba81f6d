// Small screens: fold the main menu behind a "Menu" button. Without JavaScript the full menu stays visible.
(function () {
  var button = document.querySelector(".menu-toggle");
  var nav = document.getElementById("hoofdmenu");
  if (!button || !nav) return;
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("is-open", !open);
  });
})();
