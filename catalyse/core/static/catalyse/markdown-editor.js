// Markdown editor island: every textarea[data-markdown-editor] gets EasyMDE (vendored) with a French toolbar
// of labelled buttons and a live preview rendered by the server (core.views_markdown: the same renderer and
// sanitiser as the page). No CDN: icons, spell-check dictionaries and fonts are not downloaded.
(function () {
  "use strict";
  if (typeof EasyMDE === "undefined") { return; }

  function previewer(textarea) {
    var form = textarea.form;
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var last = null;
    return function (text, preview) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (text === last) { return; }
        var body = new URLSearchParams({ text: text });
        fetch(textarea.getAttribute("data-preview-url"), {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "" }
        }).then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) { last = text; preview.innerHTML = html; })  // sanitised by the server
          .catch(function () { preview.textContent = JSON.parse(textarea.getAttribute("data-editor-texts") || "{}").error || ""; });
      }, 200);
      return preview.innerHTML;
    };
  }

  function enhance(textarea) {
    var texts = JSON.parse(textarea.getAttribute("data-editor-texts") || "{}");  // translated by the widget
    // Visible text names each button (no aria-label or tooltip: the text says it).
    function button(name, action) { return { name: name, action: action, text: texts[name] }; }
    var editor = new EasyMDE({
      element: textarea,
      forceSync: true,  // the form posts the textarea: keep it up to date
      autoDownloadFontAwesome: false,
      spellChecker: false,
      nativeSpellcheck: true,
      status: false,
      sideBySideFullscreen: false,
      minHeight: "12rem",
      previewRender: previewer(textarea),
      previewClass: ["editor-preview", "prose"],
      toolbar: [
        button("bold", EasyMDE.toggleBold),
        button("italic", EasyMDE.toggleItalic),
        button("heading", EasyMDE.toggleHeadingSmaller),
        "|",
        button("unordered-list", EasyMDE.toggleUnorderedList),
        button("ordered-list", EasyMDE.toggleOrderedList),
        button("quote", EasyMDE.toggleBlockquote),
        button("link", EasyMDE.drawLink),
        "|",
        button("side-by-side", EasyMDE.toggleSideBySide),
        button("preview", EasyMDE.togglePreview)
      ]
    });
    // CodeMirror types into its own hidden textarea: give it the field's label and description.
    var input = editor.codemirror.getInputField();
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      input.setAttribute("aria-labelledby", label.id);
    }
    if (textarea.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    var toolbar = editor.gui && editor.gui.toolbar;
    if (toolbar) {
      toolbar.setAttribute("role", "toolbar");
      toolbar.setAttribute("aria-label", texts.toolbar);
    }
  }

  function start() { document.querySelectorAll("textarea[data-markdown-editor]").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
