// Territory suggestions (the territories API, {items: [{label, page, level, code, postal_codes}]}) for every
// input[data-autocomplete-url], on the shared combobox (combobox.js). Choosing a territory:
//   - opens its page (default);
//   - with data-autocomplete-target="<id>": writes "level:code" into that (hidden) input, the label into this one;
//   - with data-autocomplete-append="<list id>" and data-autocomplete-name="<field>": adds a ticked checkbox
//     <field>=level:code to that list (untick to remove), and empties this input.
// data-autocomplete-level="commune" restricts suggestions to one level.
(function () {
  "use strict";
  var LEVELS = { region: "Région", departement: "Département", epci: "EPCI", commune: "Commune" };

  function setup(input) {
    var box = input.closest("[data-autocomplete-box]") || input.form;
    var status = box.querySelector("[data-autocomplete-status]");
    var target = input.dataset.autocompleteTarget && document.getElementById(input.dataset.autocompleteTarget);
    var chips = input.dataset.autocompleteAppend && document.getElementById(input.dataset.autocompleteAppend);
    var level = input.dataset.autocompleteLevel ? "&level=" + encodeURIComponent(input.dataset.autocompleteLevel) : "";

    function addChip(item) {
      var id = input.id + "-" + item.level + "-" + item.code;
      if (!document.getElementById(id)) {
        var li = document.createElement("li"), check = document.createElement("input"), label = document.createElement("label");
        check.type = "checkbox"; check.name = input.dataset.autocompleteName; check.value = item.level + ":" + item.code;
        check.id = id; check.checked = true;
        var levelName = document.createElement("span");
        levelName.className = "muted"; levelName.textContent = LEVELS[item.level] || item.level;
        label.htmlFor = id; label.textContent = item.label + " "; label.appendChild(levelName);
        li.appendChild(check); li.appendChild(document.createTextNode(" ")); li.appendChild(label); chips.appendChild(li);
      }
      input.value = "";
      if (status) { status.textContent = item.label + " : ajout effectué"; }
    }

    window.catalyseCombobox(input, {
      status: status,
      url: function (q) { return input.dataset.autocompleteUrl + "?limit=10" + level + "&q=" + encodeURIComponent(q); },
      items: function (data) { return data.items || []; },
      option: function (item) {
        var postal = item.postal_codes && item.postal_codes.length ? " · " + item.postal_codes.slice(0, 3).join(", ") : "";
        return { label: item.label, detail: (LEVELS[item.level] || item.level) + postal, href: target || chips ? "" : item.page };
      },
      // A hand-edited name no longer matches the chosen code: the server looks the text up instead.
      onType: function () { if (target) { target.value = ""; } },
      choose: target ? function (item) { target.value = item.level + ":" + item.code; input.value = item.label; }
        : chips ? addChip : null,
    });
  }
  document.querySelectorAll("input[data-autocomplete-url]").forEach(setup);
})();
