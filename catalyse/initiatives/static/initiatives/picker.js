// Pickers of the initiative forms (territories, partner organisations): an accessible combobox
// (WAI-ARIA 1.2) whose chosen items are added to the form from a <template> row. Works with the
// territories API ({items: [{level, code, label}]}) and the organisation endpoint ({items: [{id, label, profile}]}).
(function () {
  "use strict";
  var LEVELS = { region: "Région", departement: "Département", epci: "EPCI", commune: "Commune" };

  function setup(box) {
    var input = box.querySelector("[data-picker-input]");
    var list = box.querySelector("[role=listbox]");
    var chosen = box.querySelector("[data-picker-chosen]");
    var template = box.querySelector("template[data-picker-template]");
    var status = box.querySelector("[data-picker-status]");
    var kind = box.dataset.pickerKind;
    var items = [], active = -1, timer = null;

    function valueOf(item) { return kind === "territory" ? item.level + ":" + item.code : String(item.id); }
    function detailOf(item) { return kind === "territory" ? (LEVELS[item.level] || item.level) : (item.profile || ""); }
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (options[i]) { input.setAttribute("aria-activedescendant", options[i].id); }
    }
    function alreadyChosen(value) {
      return Array.prototype.some.call(chosen.querySelectorAll("[data-picker-value], input[type=checkbox]"), function (el) { return el.value === value; });
    }
    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      var value = valueOf(item);
      if (!alreadyChosen(value)) {
        var row = template.content.firstElementChild.cloneNode(true);
        row.querySelector("[data-picker-value]").value = value;
        row.querySelector("[data-picker-label]").textContent = item.label + (kind === "territory" ? " (" + detailOf(item) + ")" : "");
        chosen.appendChild(row);
        if (status) { status.textContent = item.label + " ajouté"; }
      }
      input.value = ""; items = []; close(); input.focus();
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        li.textContent = item.label + " ";
        var small = document.createElement("small");
        small.textContent = "— " + detailOf(item);
        li.appendChild(small);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      if (status) { status.textContent = items.length ? items.length + " suggestion(s)" : "Aucune suggestion"; }
    }
    function fetchItems() {
      var q = input.value.trim();
      if (q.length < 2) { items = []; render(); return; }
      fetch(box.dataset.pickerUrl + "?limit=10&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (q === input.value.trim()) { items = data.items || []; render(); } })
        .catch(function () { items = []; render(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchItems, 150); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter") { e.preventDefault(); if (active >= 0) { choose(active); } else if (items.length === 1) { choose(0); } }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    chosen.addEventListener("click", function (e) {
      var button = e.target.closest("[data-picker-remove]");
      if (button) { button.closest("li").remove(); if (status) { status.textContent = "Retiré"; } input.focus(); }
    });
  }
  document.querySelectorAll("[data-picker]").forEach(setup);
})();
