// Pickers of the initiative forms (territories, partner organisations), on the shared combobox (combobox.js):
// chosen items are added to the form from a <template> row. Works with the territories API
// ({items: [{level, code, label}]}) and the organisation endpoint ({items: [{id, label, profile}]}).
(function () {
  "use strict";
  var LEVELS = { region: "Région", departement: "Département", epci: "EPCI", commune: "Commune" };

  function setup(box) {
    var input = box.querySelector("[data-picker-input]");
    var chosen = box.querySelector("[data-picker-chosen]");
    var template = box.querySelector("template[data-picker-template]");
    var status = box.querySelector("[data-picker-status]");
    var territory = box.dataset.pickerKind === "territory";

    function valueOf(item) { return territory ? item.level + ":" + item.code : String(item.id); }
    function detailOf(item) { return territory ? (LEVELS[item.level] || item.level) : (item.profile || ""); }
    function alreadyChosen(value) {
      return Array.prototype.some.call(chosen.querySelectorAll("[data-picker-value], input[type=checkbox]"),
        function (el) { return el.value === value; });
    }

    window.catalyseCombobox(input, {
      status: status,
      keepEnter: true,
      url: function (q) { return box.dataset.pickerUrl + "?limit=10&q=" + encodeURIComponent(q); },
      items: function (data) { return data.items || []; },
      option: function (item) { return { label: item.label, detail: detailOf(item) }; },
      choose: function (item) {
        var value = valueOf(item);
        if (!alreadyChosen(value)) {
          var row = template.content.firstElementChild.cloneNode(true);
          row.querySelector("[data-picker-value]").value = value;
          row.querySelector("[data-picker-label]").textContent = item.label + (territory ? " (" + detailOf(item) + ")" : "");
          chosen.appendChild(row);
          if (status) { status.textContent = item.label + " : ajout effectué"; }
        }
        input.value = ""; input.focus();
      },
    });
    chosen.addEventListener("click", function (e) {
      var button = e.target.closest("[data-picker-remove]");
      if (button) { button.closest("li").remove(); if (status) { status.textContent = "Retiré"; } input.focus(); }
    });
  }
  document.querySelectorAll("[data-picker]").forEach(setup);
})();
