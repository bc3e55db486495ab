// Partnership graph island: draws every .graph-canvas with cytoscape.js. Data come from a json_script
// (data-graph-json = its id) or from the API (data-graph-url). No inline script or style (CSP).
(function () {
  "use strict";
  var LARGE = 400; // above this many nodes the force layout is too slow in a browser: concentric by degree

  function text(el, key) { return el.getAttribute("data-text-" + key) || ""; }
  // "1 lien", "3 liens", "1 234 organisations": the page's language decides the plural and the digits.
  var lang = document.documentElement.lang || "fr";
  var plurals = new Intl.PluralRules(lang);
  function counted(el, n, one, other) {
    return n.toLocaleString(lang) + " " + text(el, plurals.select(n) === "one" ? one : other);
  }

  function elements(data) {
    var out = [];
    var maxBetweenness = 0;
    data.nodes.forEach(function (n) { maxBetweenness = Math.max(maxBetweenness, n.betweenness); });
    data.nodes.forEach(function (n) {
      out.push({ group: "nodes", data: {
        id: n.id, label: n.label, colour: n.colour, url: n.url, degree: n.degree, profile: n.profile_label,
        size: 14 + 26 * (maxBetweenness ? n.betweenness / maxBetweenness : 0), bridge: n.articulation ? 1 : 0
      } });
    });
    data.edges.forEach(function (e, i) {
      out.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight,
        width: Math.min(1 + e.weight, 8) } });
    });
    return out;
  }

  function draw(container, data) {
    var view = container.closest(".graph-view");
    var count = view && view.querySelector("[data-graph-count]");
    var selection = view && view.querySelector("[data-graph-selection]");
    var n = data.nodes.length;
    if (count) {
      count.textContent = counted(container, n, "organisation", "organisations") + ", " +
        counted(container, data.edges.length, "link", "links");
    }
    if (!n) {
      container.classList.add("graph-canvas-empty");
      container.textContent = text(container, "empty");
      container.setAttribute("data-graph-rendered", "0");
      return;
    }
    var cy = window.cytoscape({
      container: container,
      elements: elements(data),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", width: "data(size)", height: "data(size)",
          label: n <= 80 ? "data(label)" : "", "font-size": 9, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 120, color: "#1d1d1f", "min-zoomed-font-size": 6
        } },
        { selector: "node[bridge = 1]", style: { "border-width": 3, "border-color": "#1d1d1f" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#9aa5b1", opacity: 0.7, "curve-style": "haystack" } },
        { selector: "node:selected", style: { label: "data(label)", "border-width": 4, "border-color": "#c2410c" } },
        { selector: ".faded", style: { opacity: 0.15 } }
      ],
      layout: n > LARGE
        ? { name: "concentric", concentric: function (node) { return node.data("degree"); }, levelWidth: function () { return 2; }, animate: false }
        : { name: "cose", animate: false, randomize: false, padding: 30, nodeOverlap: 20, componentSpacing: 60,
            nodeRepulsion: function () { return 40000; }, idealEdgeLength: function () { return 90; } }
    });
    cy.on("tap", "node", function (evt) {
      var node = evt.target;
      var neighbourhood = node.closedNeighborhood();
      cy.elements().addClass("faded");
      neighbourhood.removeClass("faded");
      if (selection) {
        selection.textContent = node.data("label") + " — " + node.data("profile") + ", " + counted(container, node.data("degree"), "partner", "partners") + " ";
        if (node.data("url")) {
          var link = document.createElement("a");
          link.href = node.data("url");
          link.textContent = text(container, "open");
          selection.appendChild(link);
        }
      }
    });
    cy.on("tap", function (evt) {
      if (evt.target === cy) { cy.elements().removeClass("faded"); if (selection) { selection.textContent = ""; } }
    });
    container.setAttribute("data-graph-rendered", String(n));
  }

  function failed(container, detail) {
    container.classList.add("graph-canvas-empty");
    container.textContent = detail || text(container, "error");
  }

  function load(container) {
    var source = container.getAttribute("data-graph-json");
    if (source) {
      var script = document.getElementById(source);
      draw(container, JSON.parse(script.textContent));
      return;
    }
    fetch(container.getAttribute("data-graph-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) { draw(container, data); } else { failed(container, data.detail); }
        });
      })
      .catch(function () { failed(container); });
  }

  // cytoscape injects a <style> element (position: relative on its container) unless an element with this id
  // exists; the CSP forbids inline styles, so graph.css carries that rule and this placeholder stops the injection.
  function preventInlineStylesheet() {
    var id = "__________cytoscape_stylesheet";
    if (!document.getElementById(id)) {
      var placeholder = document.createElement("meta");
      placeholder.id = id;
      document.head.appendChild(placeholder);
    }
  }

  function start() {
    if (!window.cytoscape) { return; }
    preventInlineStylesheet();
    document.querySelectorAll(".graph-canvas").forEach(load);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
