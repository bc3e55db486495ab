// Accessible combobox (WAI-ARIA 1.2 pattern) for every input[data-autocomplete-url].
// The endpoint returns {items: [{label, page, level, code, ...}]}. Choosing an item:
//   - opens its page (default);
//   - with data-autocomplete-target="<id>": writes "level:code" into that (hidden) input, the label into this one;
//   - with data-autocomplete-append="<list id>" and data-autocomplete-name="<field>": adds a ticked checkbox
//     <field>=level:code to that list (untick to remove), and empties this input.
// data-autocomplete-level="commune" restricts suggestions to one level.
(function () {
  "use strict";
  var LEVELS = { region: "Région", departement: "Département", epci: "EPCI", commune: "Commune" };

  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var box = input.closest("[data-autocomplete-box]") || input.form;
    var status = box.querySelector("[data-autocomplete-status]");
    var target = input.dataset.autocompleteTarget && document.getElementById(input.dataset.autocompleteTarget);
    var chips = input.dataset.autocompleteAppend && document.getElementById(input.dataset.autocompleteAppend);
    var items = [], active = -1, timer = null, lastQuery = "";

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (options[i]) { input.setAttribute("aria-activedescendant", options[i].id); options[i].scrollIntoView({ block: "nearest" }); }
    }
    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      var key = item.level + ":" + item.code;
      if (target) {
        target.value = key; input.value = item.label; lastQuery = item.label; close();
      } else if (chips) {
        var id = input.id + "-" + item.level + "-" + item.code;
        if (!document.getElementById(id)) {
          var li = document.createElement("li"), box = document.createElement("input"), label = document.createElement("label");
          box.type = "checkbox"; box.name = input.dataset.autocompleteName; box.value = key; box.id = id; box.checked = true;
          var level = document.createElement("span");
          level.className = "muted"; level.textContent = LEVELS[item.level] || item.level;
          label.htmlFor = id; label.textContent = item.label + " "; label.appendChild(level);
          li.appendChild(box); li.appendChild(document.createTextNode(" ")); li.appendChild(label); chips.appendChild(li);
        }
        input.value = ""; lastQuery = ""; close();
        if (status) { status.textContent = item.label + " ajouté"; }
      } else {
        window.location.href = item.page;
      }
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        li.textContent = item.label + " ";
        var small = document.createElement("small");
        small.textContent = "— " + (LEVELS[item.level] || item.level) + (item.postal_codes && item.postal_codes.length ? " · " + item.postal_codes.slice(0, 3).join(", ") : "");
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
      if (q === lastQuery) { return; }
      lastQuery = q;
      var level = input.dataset.autocompleteLevel ? "&level=" + encodeURIComponent(input.dataset.autocompleteLevel) : "";
      fetch(input.dataset.autocompleteUrl + "?limit=10" + level + "&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (q === input.value.trim()) { items = data.items || []; render(); } })
        .catch(function () { items = []; render(); });
    }
    input.addEventListener("input", function () {
      // A hand-edited name no longer matches the chosen code: the server looks the text up instead.
      if (target) { target.value = ""; }
      clearTimeout(timer); timer = setTimeout(fetchItems, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) { fetchItems(); } highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.querySelectorAll("input[data-autocomplete-url]").forEach(setup);
})();
