// Directory filters: the form works without JavaScript (a "Filtrer" button); with it, ticking a facet or
// changing the sort submits at once. Each state is a plain GET URL, so links can be shared and the back
// button restores the previous selection. Focus returns to the control the person used.
(function () {
  "use strict";
  var KEY = "catalyse-directory-focus";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) { return; }
  var last = sessionStorage.getItem(KEY);
  if (last) {
    sessionStorage.removeItem(KEY);
    var el = document.getElementById(last);
    if (el) { el.focus(); }
  }
  // Coming back with the back button, browsers restore the page as it was left (the box just ticked) or
  // refill the form: reset it to what the server drew for this address, so that form and results agree.
  window.addEventListener("pageshow", function () { form.reset(); });
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.type === "checkbox" || t.type === "radio" || t.tagName === "SELECT") {
      if (t.id) { sessionStorage.setItem(KEY, t.id); }
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
