// Live workshop board: polls the board's changes every few seconds and posts its forms without reloading.
// Without this script the board still works: forms post and redirect, and a reload shows others' cards.
(function () {
  "use strict";
  const live = document.getElementById("workshop-live");
  if (!live) return;
  const message = document.getElementById("workshop-message");
  const url = live.dataset.changesUrl;
  let version = parseInt(live.dataset.version, 10) || 0;
  let status = null;
  let busy = false;
  const PERIOD_MS = 1500;

  function sortKey(el) {
    return [el.dataset.pinned === "1" ? 0 : 1, parseInt(el.dataset.order, 10), parseInt(el.dataset.number, 10)];
  }

  function place(container, el) {
    const key = sortKey(el);
    for (const other of container.children) {
      const k = sortKey(other);
      if (k[0] > key[0] || (k[0] === key[0] && (k[1] > key[1] || (k[1] === key[1] && k[2] > key[2])))) {
        container.insertBefore(el, other);
        return;
      }
    }
    container.appendChild(el);
  }

  function apply(data) {
    if (status !== null && data.status !== status) {
      window.location.reload(); // opened or closed: the forms change
      return;
    }
    status = data.status;
    const announced = [];
    for (const card of data.cards) {
      const old = document.getElementById("carte-" + card.number);
      const focused = old && old.contains(document.activeElement);
      if (old) old.remove();
      if (card.merged) continue;
      const column = document.querySelector('[data-column="' + card.column + '"] [data-cards]');
      if (!column) continue;
      const holder = document.createElement("div");
      holder.innerHTML = card.html; // rendered and escaped by the server
      const el = holder.firstElementChild;
      place(column, el);
      bind(el);
      if (focused) {
        const button = el.querySelector("button, summary");
        if (button) button.focus();
      }
      if (!old) announced.push(card.reference + " : " + card.text);
    }
    if (announced.length) {
      live.textContent = (announced.length === 1 ? "Nouvelle carte " : announced.length + " nouvelles cartes : ")
        + announced.slice(0, 3).join(" ; ");
    }
    version = Math.max(version, data.version);
  }

  async function poll() {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(url + "?since=" + version, {headers: {Accept: "application/json"}});
      if (response.ok) apply(await response.json());
    } catch (e) {
      // Offline for a moment: the next poll catches up from the same version.
    } finally {
      busy = false;
    }
  }

  function bind(root) {
    for (const form of root.querySelectorAll("form[data-workshop-form]")) {
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        const button = form.querySelector("button[type=submit]");
        if (button) button.disabled = true;
        try {
          const response = await fetch(form.action, {
            method: "POST", body: new FormData(form), headers: {Accept: "application/json"},
          });
          const data = await response.json();
          message.textContent = data.detail || "";
          message.classList.toggle("is-error", !response.ok);
          if (response.ok && form.hasAttribute("data-reset")) form.reset();
        } catch (e) {
          message.textContent = "Envoi impossible : vérifiez votre connexion et réessayez.";
          message.classList.add("is-error");
        } finally {
          if (button) button.disabled = false;
        }
        await poll();
      });
    }
  }

  bind(document);
  poll();
  window.setInterval(function () {
    if (!document.hidden) poll();
  }, PERIOD_MS);
})();
