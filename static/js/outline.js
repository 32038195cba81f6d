/* The outline of an edition as a tree (templates/admin/reports/edition/outline.html).

   The server renders the lines as nested lists with their inputs; this adds per line a toolbar
   (up, down, outdent, indent, remove: one tab stop, arrow keys between the buttons), a drag handle
   for pointers (native drag events), the panels that add a chapter, a track's text or a free text,
   "Nummers doortellen" and a live preview of the table of contents. Every change is announced in
   the status line (role=status). When the edition form is sent, the whole outline goes as one JSON
   field (`inhoud`: each line with its key, parent, order and inputs, removed lines marked);
   nothing is saved before that, and reports/forms.py checks the tree. */
(function () {
  "use strict";
  var MAX_DEPTH = 3;  // reports.forms.MAX_DEPTH
  var BUTTONS = [
    ["up", "↑", "Omhoog"],
    ["down", "↓", "Omlaag"],
    ["outdent", "←", "Een niveau hoger (uitspringen)"],
    ["indent", "→", "Onder de regel erboven (inspringen)"],
    ["remove", "✕", "Uit de inhoud halen"]
  ];

  function Outline(root) {
    this.root = root;
    this.prefix = root.getAttribute("data-outline");
    this.tree = root.querySelector("[data-outline-tree]");
    this.removed = root.querySelector("[data-outline-removed]");
    this.status = root.querySelector("[data-outline-status]");
    this.data = root.querySelector("[data-outline-data]");
    this.nextKey = 1 + this.allLines().concat(lines(this.removed)).reduce(function (most, li) {
      var match = /^n(\d+)$/.exec(li.getAttribute("data-key") || "");
      return match ? Math.max(most, parseInt(match[1], 10)) : most;
    }, 0);
    this.template = root.querySelector("template[data-outline-new]");
    this.previewList = root.querySelector("[data-outline-preview-list]");
    this.current = null;
    this.dragged = null;
  }

  // --- reading the tree ---------------------------------------------------------------------

  function childList(li) { return li.querySelector(":scope > ol.kc-outline__children"); }
  function lines(ol) { return ol ? Array.prototype.filter.call(ol.children, function (el) { return el.matches("li.kc-outline__item"); }) : []; }
  function parentLine(li) { var ol = li.parentElement; return ol && ol.classList.contains("kc-outline__children") ? ol.parentElement : null; }
  function depth(li) { var d = 1, p = parentLine(li); while (p) { d += 1; p = parentLine(p); } return d; }
  function height(li) { return 1 + lines(childList(li)).reduce(function (most, child) { return Math.max(most, height(child)); }, 0); }
  function input(li, name) { return li.querySelector(':scope > .kc-outline__row [data-field="' + name + '"]'); }
  function heading(li) {
    var title = input(li, "title");
    return (title.value.trim() || title.placeholder || "(zonder kop)");
  }
  function quoted(li) { return "‘" + heading(li) + "’"; }
  function siblingsOf(li) { return lines(li.parentElement); }
  function previous(li) { var s = siblingsOf(li), i = s.indexOf(li); return i > 0 ? s[i - 1] : null; }
  function next(li) { var s = siblingsOf(li), i = s.indexOf(li); return i < s.length - 1 ? s[i + 1] : null; }
  function ensureChildren(li) {
    var ol = childList(li);
    if (!ol) {
      ol = document.createElement("ol");
      ol.className = "kc-outline__children";
      li.appendChild(ol);
    }
    return ol;
  }
  function contains(ancestor, li) { return ancestor === li || ancestor.contains(li); }

  Outline.prototype.allLines = function () { return Array.prototype.slice.call(this.tree.querySelectorAll("li.kc-outline__item")); };

  // --- what may happen to a line --------------------------------------------------------------

  Outline.prototype.target = function (li, action) {
    var parent = parentLine(li), prev = previous(li), nxt = next(li), neighbour;
    if (action === "up") {
      if (prev) { return { before: prev }; }
      neighbour = parent && previous(parent);  // into the previous chapter, at its end
      return neighbour ? { into: neighbour, last: true } : null;
    }
    if (action === "down") {
      if (nxt) { return { after: nxt }; }
      neighbour = parent && next(parent);  // into the next chapter, at its start
      return neighbour ? { into: neighbour, first: true } : null;
    }
    if (action === "indent") {
      return prev && depth(li) + height(li) <= MAX_DEPTH ? { into: prev, last: true } : null;
    }
    if (action === "outdent") { return parent ? { after: parent } : null; }
    return { remove: true };
  };

  Outline.prototype.place = function (li, where) {
    if (where.before) { where.before.parentElement.insertBefore(li, where.before); }
    else if (where.after) { where.after.parentElement.insertBefore(li, where.after.nextSibling); }
    else if (where.into) {
      var ol = ensureChildren(where.into);
      ol.insertBefore(li, where.first ? ol.firstChild : null);
    }
    else if (where.top) { this.tree.appendChild(li); }
  };

  Outline.prototype.describe = function (li) {
    var parent = parentLine(li), s = siblingsOf(li);
    var place = "plaats " + (s.indexOf(li) + 1) + " van " + s.length;
    return quoted(li) + " staat nu op " + place + (parent ? " onder " + quoted(parent) : " op het hoogste niveau") + ".";
  };

  var BLOCKED = {
    up: "kan niet verder omhoog.",
    down: "kan niet verder omlaag.",
    outdent: "staat al op het hoogste niveau.",
    indent: "kan niet inspringen: dat kan alleen onder een regel erboven op hetzelfde niveau, en de inhoud heeft hoogstens drie niveaus."
  };

  Outline.prototype.act = function (li, action, button) {
    if (action === "remove") { this.remove(li); return; }
    var where = this.target(li, action);
    if (!where) { this.announce(quoted(li) + " " + BLOCKED[action]); return; }
    this.place(li, where);
    this.setCurrent(li);
    this.changed();
    this.announce(this.describe(li));
    if (button) { this.focusButton(li, action); }
  };

  Outline.prototype.remove = function (li) {
    var children = lines(childList(li)), focusNext = next(li) || previous(li) || parentLine(li);
    children.forEach(function (child) { li.parentElement.insertBefore(child, li); });
    if (children.length) { focusNext = children[0]; }
    li.setAttribute("data-removed", "1");
    this.removed.appendChild(li);
    this.changed();
    var text = quoted(li) + " gaat bij het bewaren uit de inhoud";
    if (children.length) { text += "; de " + children.length + " regel" + (children.length > 1 ? "s" : "") + " eronder schuiven een niveau op"; }
    this.announce(text + ". De tekst zelf blijft bewaard bij het werkspoor.");
    if (focusNext) { this.focusButton(focusNext, "remove"); }
    else { this.root.querySelector("[data-outline-open]").focus(); }
  };

  // --- keeping the form and the screen in step ------------------------------------------------

  // Orders follow the lines under each parent from top to bottom. Lines that are already in increasing
  // order keep their number (the longest such run), so a move rewrites the moved line, not its neighbours.
  function increasingRun(values) {
    var tails = [], previousOf = [], keep = values.map(function () { return false; });
    values.forEach(function (v, i) {
      var lo = 0, hi = tails.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (values[tails[mid]] < v) { lo = mid + 1; } else { hi = mid; } }
      previousOf[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
    });
    for (var i = tails.length ? tails[tails.length - 1] : -1; i !== -1; i = previousOf[i]) { keep[i] = true; }
    return keep;
  }

  function newOrders(values) {
    var keep = increasingRun(values), out = values.slice(), i = 0;
    while (i < values.length) {
      if (keep[i]) { i += 1; continue; }
      var j = i;
      while (j < values.length && !keep[j]) { j += 1; }
      var lo = i > 0 ? out[i - 1] : 0, hi = j < values.length ? values[j] : lo + (j - i + 1) * 10;
      var step = Math.floor((hi - lo) / (j - i + 1));
      if (step < 1) { return values.map(function (_, k) { return (k + 1) * 10; }); }
      for (var k = i; k < j; k += 1) { out[k] = lo + step * (k - i + 1); }
      i = j;
    }
    return out[out.length - 1] > 32000 ? values.map(function (_, k) { return k + 1; }) : out;
  }

  Outline.prototype.changed = function () {
    // `order` sorts the lines under one parent (reports.forms.OutlineFormSet.kept_forms).
    var levels = [this.tree].concat(this.allLines().map(childList).filter(Boolean));
    levels.forEach(function (ol) {
      var siblings = lines(ol);
      var orders = newOrders(siblings.map(function (li) { return parseInt(li.getAttribute("data-order"), 10) || 0; }));
      siblings.forEach(function (li, i) { li.setAttribute("data-order", String(orders[i])); });
    });
    this.refresh();
  };

  // Buttons that cannot act say so (aria-disabled keeps them focusable), the preview and the picker follow.
  Outline.prototype.refresh = function () {
    var self = this;
    this.allLines().forEach(function (li) {
      var empty = childList(li);
      if (empty && !empty.children.length) { empty.remove(); }
      BUTTONS.forEach(function (b) {
        var button = li.querySelector(':scope > .kc-outline__row [data-action="' + b[0] + '"]');
        if (button) { button.setAttribute("aria-disabled", String(b[0] !== "remove" && !self.target(li, b[0]))); }
      });
    });
    this.preview();
    this.markPlaced();
  };

  Outline.prototype.announce = function (text) {
    // Cleared first, so the same sentence twice is still read out.
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  };

  Outline.prototype.preview = function () {
    var list = this.previewList;
    if (!list) { return; }
    list.textContent = "";
    this.allLines().forEach(function (li) {
      var number = input(li, "number").value.trim(), item = document.createElement("li");
      item.className = "kc-outline__toc kc-outline__toc--" + depth(li);
      item.textContent = (number ? number + " " : "") + heading(li);
      list.appendChild(item);
    });
  };

  Outline.prototype.markPlaced = function () {
    var placed = {};
    this.allLines().forEach(function (li) { if (li.getAttribute("data-text")) { placed[li.getAttribute("data-text")] = true; } });
    this.root.querySelectorAll("[data-outline-texts] option").forEach(function (option) {
      option.disabled = Boolean(placed[option.value]);
    });
  };

  // --- the toolbar of a line --------------------------------------------------------------------

  Outline.prototype.enhance = function (li) {
    var row = li.querySelector(":scope > .kc-outline__row"), self = this;
    if (row.querySelector(".kc-outline__toolbar")) { return; }
    var handle = document.createElement("span");
    handle.className = "kc-outline__handle";
    handle.setAttribute("draggable", "true");
    handle.setAttribute("aria-hidden", "true");
    handle.title = "Slepen om te verplaatsen";
    handle.textContent = "⠿";
    row.insertBefore(handle, row.firstChild);
    var bar = document.createElement("span");
    bar.className = "kc-outline__toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Verplaatsen");
    BUTTONS.forEach(function (b, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kc-outline__button" + (b[0] === "remove" ? " kc-outline__button--remove" : "");
      button.setAttribute("data-action", b[0]);
      button.setAttribute("aria-label", b[2]);
      button.title = b[2];
      button.tabIndex = i === 0 ? 0 : -1;
      button.textContent = b[1];
      bar.appendChild(button);
    });
    row.appendChild(bar);
    input(li, "title").addEventListener("input", function () { self.preview(); });
    input(li, "number").addEventListener("input", function () { self.preview(); });
  };

  Outline.prototype.focusButton = function (li, action) {
    var bar = li.querySelector(":scope > .kc-outline__row > .kc-outline__toolbar");
    if (!bar) { return; }
    var button = bar.querySelector('[data-action="' + action + '"]');
    bar.querySelectorAll("button").forEach(function (b) { b.tabIndex = b === button ? 0 : -1; });
    button.focus();
  };

  Outline.prototype.onToolbarKey = function (event) {
    var button = event.target.closest(".kc-outline__toolbar button");
    if (!button) { return; }
    var buttons = Array.prototype.slice.call(button.parentElement.querySelectorAll("button")), i = buttons.indexOf(button), to = null;
    if (event.key === "ArrowRight") { to = buttons[(i + 1) % buttons.length]; }
    else if (event.key === "ArrowLeft") { to = buttons[(i - 1 + buttons.length) % buttons.length]; }
    else if (event.key === "Home") { to = buttons[0]; }
    else if (event.key === "End") { to = buttons[buttons.length - 1]; }
    if (!to) { return; }
    event.preventDefault();
    buttons.forEach(function (b) { b.tabIndex = b === to ? 0 : -1; });
    to.focus();
  };

  // --- adding lines ----------------------------------------------------------------------------

  Outline.prototype.setCurrent = function (li) {
    if (this.current) { this.current.classList.remove("kc-outline__item--current"); }
    this.current = li;
    li.classList.add("kc-outline__item--current");
  };

  Outline.prototype.insertion = function (kind) {
    var current = this.current && this.tree.contains(this.current) ? this.current : null;
    if (kind === "chapter") {
      var top = current;
      while (top && parentLine(top)) { top = parentLine(top); }
      return top ? { after: top } : { top: true };
    }
    if (!current) { return { top: true }; }
    var isChapter = !parentLine(current) && current.getAttribute("data-kind") !== "track";
    if (isChapter) { return { into: current, last: true }; }
    return { after: current };
  };

  Outline.prototype.whereText = function (where) {
    if (where.top) { return "Komt achteraan, op het hoogste niveau."; }
    if (where.into) { return "Komt als laatste onder " + quoted(where.into) + "."; }
    return "Komt na " + quoted(where.after) + (parentLine(where.after) ? ", onder " + quoted(parentLine(where.after)) : ", op het hoogste niveau") + ".";
  };

  Outline.prototype.newLine = function (kind, values) {
    var key = "n" + this.nextKey, holder = document.createElement("ol");
    this.nextKey += 1;
    holder.innerHTML = this.template.innerHTML.replace(/__prefix__/g, key);
    var li = holder.firstElementChild;
    li.setAttribute("data-key", key);
    li.setAttribute("data-kind", kind);
    li.setAttribute("data-programme", values.programme || "");
    li.setAttribute("data-text", values.text || "");
    li.setAttribute("data-activities", "1");
    li.className = "kc-outline__item kc-outline__item--" + kind;
    input(li, "title").placeholder = values.fallback || "";
    li.querySelector(".kc-outline__source").textContent = values.source;
    if (kind !== "track") { var activities = li.querySelector(".kc-outline__activities"); if (activities) { activities.remove(); } }
    if (kind !== "text") { var text = li.querySelector(".kc-outline__text"); if (text) { text.remove(); } }
    return li;
  };

  // --- sending the outline with the edition form ------------------------------------------------

  function lineData(li, parentKey) {
    var text = li.querySelector(':scope > .kc-outline__text [data-field="text"]'), activities = input(li, "show_activities");
    var data = {
      id: li.getAttribute("data-id") ? parseInt(li.getAttribute("data-id"), 10) : null,
      key: li.getAttribute("data-key"),
      parent: parentKey,
      order: parseInt(li.getAttribute("data-order"), 10) || 0,
      number: input(li, "number").value,
      title: input(li, "title").value,
      programme: li.getAttribute("data-programme") ? parseInt(li.getAttribute("data-programme"), 10) : null,
      track_year: li.getAttribute("data-text") ? parseInt(li.getAttribute("data-text"), 10) : null,
      show_activities: activities ? activities.checked : li.getAttribute("data-activities") === "1"
    };
    if (text) { data.text = text.value; }
    return data;
  }

  Outline.prototype.serialise = function () {
    var all = [];
    this.allLines().forEach(function (li) {
      var parent = parentLine(li);
      all.push(lineData(li, parent ? parent.getAttribute("data-key") : ""));
    });
    lines(this.removed).forEach(function (li) {
      if (li.getAttribute("data-id")) { all.push({ id: parseInt(li.getAttribute("data-id"), 10), key: li.getAttribute("data-key"), removed: true }); }
    });
    return JSON.stringify(all);
  };

  Outline.prototype.add = function (kind, values) {
    var where = this.insertion(kind === "chapter" ? "chapter" : "line");
    var li = this.newLine(kind === "chapter" ? (values.programme ? "programme" : "text") : kind, values);
    if (where.into && depth(where.into) >= MAX_DEPTH) { where = { after: where.into }; }
    this.place(li, where);
    this.enhance(li);
    li.dispatchEvent(new CustomEvent("formset:added", { bubbles: true, detail: { formsetName: this.prefix } }));
    this.setCurrent(li);
    this.changed();
    var said = values.fallback ? "‘" + values.fallback + "’" : "Een nieuwe regel";
    this.announce(said + " is toegevoegd: " + this.describe(li).replace(/^‘[^’]*’ staat nu /, "") + " Vul nummer en kop in.");
    input(li, values.fallback ? "number" : "title").focus();
  };

  Outline.prototype.openPanel = function (name, opener) {
    var panel = this.root.querySelector('[data-outline-panel="' + name + '"]');
    this.closePanels(false);
    panel.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    this.opener = opener;
    panel.querySelector("[data-outline-where]").textContent = this.whereText(this.insertion(name === "hoofdstuk" ? "chapter" : "line"));
    if (name === "werkspoor") { this.filter(""); panel.querySelector("[data-outline-search]").value = ""; }
    (panel.querySelector("[data-outline-search]") || panel.querySelector("select")).focus();
  };

  Outline.prototype.closePanels = function (refocus) {
    this.root.querySelectorAll("[data-outline-panel]").forEach(function (panel) { panel.hidden = true; });
    this.root.querySelectorAll("[data-outline-open]").forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
    if (refocus && this.opener) { this.opener.focus(); }
  };

  Outline.prototype.filter = function (query) {
    var words = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean), shown = 0, placed = 0;
    var select = this.root.querySelector("[data-outline-texts]"), first = null;
    select.querySelectorAll("option").forEach(function (option) {
      // Every word typed starts a word of the track or programme ('sc' finds SC, not 'strategische').
      var haystack = " " + (option.getAttribute("data-search") || "").replace(/[^\p{L}\p{N}]+/gu, " ");
      var match = words.every(function (w) { return haystack.indexOf(" " + w) !== -1; });
      option.hidden = !match;
      if (match && option.disabled) { placed += 1; }
      if (match && !option.disabled) { shown += 1; if (!first) { first = option; } }
    });
    if (select.selectedOptions.length && (select.selectedOptions[0].hidden || select.selectedOptions[0].disabled)) { select.value = ""; }
    if (!select.value && first) { first.selected = true; }
    var text = shown === 1 ? "1 tekst gevonden" : (shown || "Geen") + " teksten gevonden";
    if (placed) { text += placed === 1 ? "; 1 andere staat al in de inhoud" : "; " + placed + " andere staan al in de inhoud"; }
    this.root.querySelector("[data-outline-count]").textContent = text + ".";
  };

  Outline.prototype.confirm = function (panel) {
    var name = panel.getAttribute("data-outline-panel");
    if (name === "hoofdstuk") {
      var select = panel.querySelector("[data-outline-programme]"), option = select.selectedOptions[0];
      this.closePanels(false);
      this.add("chapter", select.value ? { programme: select.value, fallback: option.textContent, source: "Hoofdstuk over een programma" }
        : { source: "Vrije kop met tekst" });
      return;
    }
    var texts = panel.querySelector("[data-outline-texts]"), chosen = texts.selectedOptions[0];
    if (!chosen || chosen.disabled || chosen.hidden) {
      this.announce("Kies eerst een tekst in de lijst.");
      texts.focus();
      return;
    }
    this.closePanels(false);
    this.add("track", { text: chosen.value, fallback: chosen.getAttribute("data-title"), source: chosen.getAttribute("data-source") });
  };

  Outline.prototype.renumber = function () {
    var changed = 0;
    function walk(ol) {
      var numbered = lines(ol).filter(function (li) { return input(li, "number").value.trim(); });
      if (numbered.length) {
        var first = input(numbered[0], "number").value.trim(), match = /^(.*?)(\d+)$/.exec(first);
        if (match) {
          numbered.forEach(function (li, i) {
            var field = input(li, "number"), value = match[1] + (parseInt(match[2], 10) + i);
            if (field.value.trim() !== value) { field.value = value; changed += 1; }
          });
        }
      }
      lines(ol).forEach(function (li) { walk(childList(li)); });
    }
    walk(this.tree);
    this.preview();
    this.announce(changed ? "Nummers doorgeteld: " + changed + " nummer" + (changed > 1 ? "s" : "") + " aangepast."
      : "De nummers liepen al door; er is niets veranderd.");
  };

  // --- dragging with a pointer ------------------------------------------------------------------

  Outline.prototype.dropPlace = function (event) {
    var li = event.target.closest && event.target.closest("li.kc-outline__item");
    if (!li || !this.dragged || contains(this.dragged, li) || !this.tree.contains(li)) { return null; }
    var row = li.querySelector(":scope > .kc-outline__row").getBoundingClientRect();
    var y = (event.clientY - row.top) / row.height;
    if (y < 0.3) { return { line: li, where: { before: li }, mark: "before" }; }
    if (y > 0.7 && !childList(li)) { return { line: li, where: { after: li }, mark: "after" }; }
    if (depth(li) + height(this.dragged) <= MAX_DEPTH) { return { line: li, where: { into: li, first: true }, mark: "inside" }; }
    return { line: li, where: { after: li }, mark: "after" };
  };

  Outline.prototype.clearMarks = function () {
    this.tree.querySelectorAll("[data-drop]").forEach(function (el) { el.removeAttribute("data-drop"); });
  };

  Outline.prototype.bindDrag = function () {
    var self = this;
    this.tree.addEventListener("dragstart", function (event) {
      var handle = event.target.closest && event.target.closest(".kc-outline__handle");
      if (!handle) { return; }
      self.dragged = handle.closest("li.kc-outline__item");
      self.dragged.classList.add("kc-outline__item--dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", heading(self.dragged));
      event.dataTransfer.setDragImage(self.dragged.querySelector(".kc-outline__row"), 12, 12);
    });
    this.tree.addEventListener("dragover", function (event) {
      var drop = self.dropPlace(event);
      self.clearMarks();
      if (!drop) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      drop.line.setAttribute("data-drop", drop.mark);
    });
    this.tree.addEventListener("drop", function (event) {
      var drop = self.dropPlace(event);
      self.clearMarks();
      if (!drop) { return; }
      event.preventDefault();
      self.place(self.dragged, drop.where);
      self.changed();
      self.announce(self.describe(self.dragged));
    });
    this.tree.addEventListener("dragend", function () {
      self.clearMarks();
      if (self.dragged) { self.dragged.classList.remove("kc-outline__item--dragged"); }
      self.dragged = null;
    });
  };

  // --- start ------------------------------------------------------------------------------------

  Outline.prototype.start = function () {
    var self = this, root = this.root;
    this.allLines().forEach(function (li) { self.enhance(li); });
    root.querySelector("[data-outline-tools]").hidden = false;
    root.querySelector("[data-outline-preview]").hidden = false;
    root.classList.add("kc-outline--ready");
    this.tree.addEventListener("click", function (event) {
      var button = event.target.closest(".kc-outline__toolbar button");
      if (button) { self.act(button.closest("li.kc-outline__item"), button.getAttribute("data-action"), button); }
    });
    this.tree.addEventListener("keydown", function (event) { self.onToolbarKey(event); });
    // New lines go next to the line the editor last worked on (typed in, clicked, moved), not the
    // last one the focus passed: tabbing back up to "Werkspoor toevoegen" crosses every line above.
    function work(event) {
      var li = event.target.closest && event.target.closest("li.kc-outline__item");
      if (li && self.tree.contains(li)) { self.setCurrent(li); }
    }
    this.tree.addEventListener("input", work);
    this.tree.addEventListener("pointerdown", work);
    this.tree.addEventListener("click", work);
    root.querySelectorAll("[data-outline-open]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-expanded") === "true") { self.closePanels(true); }
        else { self.openPanel(button.getAttribute("data-outline-open"), button); }
      });
    });
    root.querySelector("[data-outline-add-text]").addEventListener("click", function () {
      self.closePanels(false);
      self.add("text", { source: "Vrije kop met tekst" });
    });
    root.querySelector("[data-outline-renumber]").addEventListener("click", function () { self.renumber(); });
    root.querySelectorAll("[data-outline-panel]").forEach(function (panel) {
      panel.querySelector("[data-outline-confirm]").addEventListener("click", function () { self.confirm(panel); });
      panel.querySelector("[data-outline-cancel]").addEventListener("click", function () { self.closePanels(true); });
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); self.closePanels(true); }
        else if (event.key === "Enter" && event.target.matches("input, select")) { event.preventDefault(); self.confirm(panel); }
        else if (event.key === "ArrowDown" && event.target.matches("[data-outline-search]")) {
          event.preventDefault();
          panel.querySelector("[data-outline-texts]").focus();
        }
      });
      var search = panel.querySelector("[data-outline-search]");
      if (search) { search.addEventListener("input", function () { self.filter(search.value); }); }
    });
    this.bindDrag();
    // The form's data is gathered after every submit handler ran (the rich text editors copy their
    // text back on submit), so the outline sent is the one on screen.
    var form = root.closest("form");
    if (form) { form.addEventListener("formdata", function (event) { event.formData.set(self.prefix, self.serialise()); }); }
    this.refresh();
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-outline]").forEach(function (root) {
      if (root.querySelector("[data-outline-tree]")) { new Outline(root).start(); }
    });
  });
})();
