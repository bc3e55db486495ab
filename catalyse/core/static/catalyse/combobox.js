// The one accessible combobox (WAI-ARIA 1.2 list autocomplete) behind every suggestion box of the site: the
// territory search and pickers, the initiative forms' pickers and the header search box. Each of those
// scripts only says where suggestions come from and what choosing one does:
//   catalyseCombobox(input, {
//     url(q)       -> address of the JSON suggestions for the typed text,
//     items(data)  -> the suggestions in that JSON,
//     option(item) -> {label, detail?, href?}: an option's text (a link when href is given),
//     choose(item) -> what choosing does (default: open option(item).href); it may rewrite the input,
//     onType()     -> optional, called on every keystroke,
//     status       -> optional live region told how many suggestions there are,
//     keepEnter    -> Enter never submits the form; it picks the highlighted or the only suggestion.
//   })
// Typing waits 150 ms and asks nothing under 2 characters; an answer to an older query is ignored.
(function () {
  "use strict";

  window.catalyseCombobox = function (input, config) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = [], active = -1, timer = null, seq = 0, lastQuery = "";

    function announce(text) { if (config.status) { config.status.textContent = text; } }
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (options[i]) { input.setAttribute("aria-activedescendant", options[i].id); options[i].scrollIntoView({ block: "nearest" }); }
    }
    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      if (config.choose) { config.choose(item); } else { window.location.href = config.option(item).href; }
      lastQuery = input.value.trim(); items = []; close();
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var shown = config.option(item);
        var li = document.createElement("li");
        li.id = list.id + "-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        if (shown.href) {
          var a = document.createElement("a");
          a.href = shown.href; a.textContent = shown.label; a.tabIndex = -1;
          li.appendChild(a);
          li.appendChild(document.createTextNode(" "));
        } else {
          li.textContent = shown.label + " ";
        }
        if (shown.detail) {
          var small = document.createElement("small");
          small.textContent = "— " + shown.detail;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
      announce(items.length ? items.length + " suggestion(s)" : "Aucune suggestion");
    }
    function fetchItems() {
      var q = input.value.trim();
      if (q.length < 2) { items = []; lastQuery = ""; render(); return; }
      if (q === lastQuery) { return; }
      lastQuery = q;
      var mine = ++seq;
      fetch(config.url(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (mine === seq) { items = data ? config.items(data) : []; render(); } })
        .catch(function () { if (mine === seq) { items = []; render(); } });
    }

    input.addEventListener("input", function () {
      if (config.onType) { config.onType(); }
      clearTimeout(timer); timer = setTimeout(fetchItems, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden && items.length) { render(); } else if (list.hidden) { fetchItems(); }
        highlight(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp") {
        e.preventDefault(); highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter") {
        if (active >= 0) { e.preventDefault(); choose(active); }
        else if (config.keepEnter) { e.preventDefault(); if (items.length === 1) { choose(0); } }
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    return { close: close };
  };
})();
