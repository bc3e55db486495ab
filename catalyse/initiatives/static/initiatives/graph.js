// Partnership graph island: draws every .graph-canvas with cytoscape.js. Data come from a json_script
// (data-graph-json = its id) or from the API (data-graph-url). No inline script or style (CSP).
(function () {
  "use strict";
  var LARGE = 400; // above this many nodes the force layout is too slow in a browser: concentric by degree
  var LABELLED = 80; // above this many nodes, labels only on hover and selection (the table lists them all)

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

  function box(node) {  // a copy: the separation below moves it, cytoscape's own is cached
    var b = node.boundingBox({ includeLabels: true, includeOverlays: false });
    return { x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2 };
  }
  function overlap(a, b) {
    return Math.min(a.x2 - b.x1, b.x2 - a.x1, a.y2 - b.y1, b.y2 - a.y1) > 0;
  }

  // cose keeps nodes apart but not always their labels: push overlapping boxes apart along the axis that
  // needs the smaller move, a few rounds; labels that still collide (a dense core) are kept for the more
  // central node, the other one shows its label on hover and selection.
  function separate(cy) {
    var nodes = cy.nodes().toArray();
    var gap = 4;
    for (var round = 0; round < 30; round++) {
      var moved = false;
      var boxes = nodes.map(box);
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = boxes[i], b = boxes[j];
          var dx = Math.min(a.x2 - b.x1, b.x2 - a.x1) + gap, dy = Math.min(a.y2 - b.y1, b.y2 - a.y1) + gap;
          // Apart by `gap` already on one axis: nothing to do. (Only overlapping pairs were pushed before, and
          // two labels 0.3 px apart touched once drawn with the node's overlay.)
          if (dx <= 0 || dy <= 0) { continue; }
          var pi = nodes[i].position(), pj = nodes[j].position();
          var sx = (a.x1 + a.x2) <= (b.x1 + b.x2) ? -1 : 1, sy = (a.y1 + a.y2) <= (b.y1 + b.y2) ? -1 : 1;
          if (dx < dy) {
            nodes[i].position({ x: pi.x + sx * dx / 2, y: pi.y });
            nodes[j].position({ x: pj.x - sx * dx / 2, y: pj.y });
            a.x1 += sx * dx / 2; a.x2 += sx * dx / 2; b.x1 -= sx * dx / 2; b.x2 -= sx * dx / 2;
          } else {
            nodes[i].position({ x: pi.x, y: pi.y + sy * dy / 2 });
            nodes[j].position({ x: pj.x, y: pj.y - sy * dy / 2 });
            a.y1 += sy * dy / 2; a.y2 += sy * dy / 2; b.y1 -= sy * dy / 2; b.y2 -= sy * dy / 2;
          }
          moved = true;
        }
      }
      if (!moved) { return; }
    }
    nodes.sort(function (x, y) { return y.data("size") - x.data("size") || y.data("degree") - x.data("degree"); });
    var kept = [];
    nodes.forEach(function (node) {
      var b = box(node);
      if (kept.some(function (k) { return overlap(k, b); })) { node.addClass("quiet"); } else { kept.push(b); }
    });
  }

  // The table alternative of an embedded graph (the /graphe/ page has its own, rendered by the server).
  function fillTable(view, data) {
    var rows = view && view.querySelector("[data-graph-rows]");
    if (!rows) { return; }
    data.nodes.forEach(function (node) {
      var tr = document.createElement("tr");
      var name = document.createElement("td");
      if (node.url) {
        var link = document.createElement("a");
        link.href = node.url;
        link.textContent = node.label;
        name.appendChild(link);
      } else { name.textContent = node.label; }
      tr.appendChild(name);
      [node.profile_label, node.initiatives, node.degree].forEach(function (value, i) {
        var td = document.createElement("td");
        td.textContent = typeof value === "number" ? value.toLocaleString(lang) : value;
        if (i) { td.className = "num"; }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    rows.closest("details").hidden = false;
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
    // A graph of one or two organisations gets a small box, a few a medium one: no wide empty canvas.
    if (n <= 2) { container.classList.add("graph-canvas-compact"); } else if (n <= 6) { container.classList.add("graph-canvas-small"); }
    var cy = window.cytoscape({
      container: container,
      elements: elements(data),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", width: "data(size)", height: "data(size)",
          label: n <= LABELLED ? "data(label)" : "", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "wrap", "text-max-width": 110, color: "#1d1d1f",
          "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
          "min-zoomed-font-size": 6
        } },
        { selector: "node[bridge = 1]", style: { "border-width": 3, "border-color": "#1d1d1f" } },
        { selector: "node.quiet", style: { label: "" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#9aa5b1", opacity: 0.7, "curve-style": "haystack" } },
        { selector: "node.hover, node:selected", style: { label: "data(label)", "z-index": 10 } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#c2410c" } },
        { selector: ".faded", style: { opacity: 0.15 } }
      ],
      layout: n > LARGE
        ? { name: "concentric", concentric: function (node) { return node.data("degree"); }, levelWidth: function () { return 2; }, animate: false }
        : { name: "cose", animate: false, randomize: true, padding: 30, nodeOverlap: 40, componentSpacing: 80,
            nodeDimensionsIncludeLabels: true, nodeRepulsion: function () { return 60000; },
            idealEdgeLength: function () { return 110; } }
    });
    if (n <= LARGE) { separate(cy); }
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(); }  // one or two nodes are not blown up to fill the box
    cy.on("mouseover", "node", function (evt) { evt.target.addClass("hover"); });
    cy.on("mouseout", "node", function (evt) { evt.target.removeClass("hover"); });
    fillTable(container.closest(".graph-embed"), data);
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
