// Header search box: suggestions from the search API while typing (prefix on the last word).
(function () {
  "use strict";
  document.querySelectorAll("[data-search-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null, seq = 0;
    function clear() { list.innerHTML = ""; list.hidden = true; input.setAttribute("aria-expanded", "false"); }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { clear(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        var url = input.dataset.searchAutocomplete + "?autocomplete=true&facets=false&limit=6&q=" + encodeURIComponent(q);
        fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
          if (mine !== seq) { return; }
          list.innerHTML = "";
          (data.hits || []).forEach(function (hit) {
            var li = document.createElement("li");
            li.setAttribute("role", "option");
            var a = document.createElement("a");
            a.href = hit.url;
            a.textContent = hit.title;
            li.appendChild(a);
            list.appendChild(li);
          });
          list.hidden = !list.children.length;
          input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
        }).catch(clear);
      }, 150);
    });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") { clear(); } });
  });
})();
