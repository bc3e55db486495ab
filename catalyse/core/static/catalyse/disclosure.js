// Disclosure buttons of the layout: the header's menu and the "Filtres" button of listing pages, both folded
// on phones only (the CSS decides when the target is folded). A button is written hidden in the page:
//   <button type="button" data-disclosure aria-expanded="false" aria-controls="ID" hidden>…</button>
// so that without this script there is no button and the target is simply shown. `data-disclosure-remember`
// keeps the open state across the page loads of one visit (filters submit the page at each change).
(function () {
  "use strict";
  document.querySelectorAll("button[data-disclosure]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    var key = button.hasAttribute("data-disclosure-remember") ? "catalyse-open-" + target.id : null;

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      target.classList.toggle("is-open", open);
      if (key) sessionStorage.setItem(key, open ? "1" : "");
    }

    target.classList.add("is-collapsible");
    button.hidden = false;
    setOpen(Boolean(key && sessionStorage.getItem(key)));
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    target.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" &&
          getComputedStyle(button).display !== "none") {
        setOpen(false);
        button.focus();
      }
    });
  });
})();
