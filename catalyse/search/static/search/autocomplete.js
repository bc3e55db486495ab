// Header search box, on the shared combobox (combobox.js): suggestions from the search API while typing
// (prefix on the last word); choosing one opens it, Enter without a choice runs the full search.
(function () {
  "use strict";
  document.querySelectorAll("[data-search-autocomplete]").forEach(function (input) {
    window.catalyseCombobox(input, {
      url: function (q) {
        return input.dataset.searchAutocomplete + "?autocomplete=true&facets=false&limit=6&q=" + encodeURIComponent(q);
      },
      items: function (data) { return data.hits || []; },
      option: function (hit) { return { label: hit.title, href: hit.url }; },
    });
  });
})();
