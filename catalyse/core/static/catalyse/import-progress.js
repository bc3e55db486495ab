// Polls an import's progress endpoint and updates the bar; reloads the page (which then shows the result)
// when the import has finished. No inline script: the URL comes from data-progress-url.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var url = box.getAttribute("data-progress-url");
  var delay = 700;
  var plurals = new Intl.PluralRules("fr");
  function counted(n, one, other) {
    return n.toLocaleString("fr") + " " + (plurals.select(n) === "one" ? one : other);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        text.textContent = counted(data.rows_done, "ligne lue", "lignes lues") + " sur environ " +
          data.rows_total.toLocaleString("fr") + " — " + counted(data.created, "créée", "créées") + ", " +
          counted(data.updated, "mise à jour", "mises à jour") + ", " + counted(data.errors, "refusée", "refusées") + ".";
        if (data.finished) {
          window.location.reload();
        } else {
          delay = Math.min(delay * 1.2, 3000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 300);
})();
