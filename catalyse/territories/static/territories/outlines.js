// Offline map background shared by every Leaflet map: région and département outlines, and commune
// outlines from zoom 9 (loaded by département for the départements in view), from the site's own
// GeoJSON endpoint (/territoires/contours/<level>.json). Drawn in a pane under the tile pane: when a tile
// server is configured, its tiles cover this background; without one, the outlines are the map.
// Usage: CatalyseOutlines.add(map, "/territoires/contours/") → the L.LayerGroup of the outlines.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var COMMUNE_ZOOM = 9;
  var cache = {};

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); });
    }
    return cache[url];
  }

  function add(map, base) {
    base = base || "/territoires/contours/";
    var pane = map.createPane("outlines");
    pane.style.zIndex = 150;  // under tiles (200) and markers (600)
    pane.style.pointerEvents = "none";
    pane.classList.add("outlines-pane");
    var renderer = L.svg({ pane: "outlines", padding: 0.5 });
    var group = L.layerGroup().addTo(map);
    var communes = {};
    var departements = null;

    function layer(data, options) {
      return L.geoJSON(data, {
        pane: "outlines", renderer: renderer, interactive: false,
        style: function () { return options; }
      });
    }

    load(base + "region.json").then(function (data) {
      group.addLayer(layer(data, { className: "outline-region", color: "#6b7f8e", weight: 1.6, fill: true,
                                   fillColor: "#f4f1ea", fillOpacity: 1 }));
      map.getContainer().dataset.outlinesReady = "1";  // for tests and styles
    }).catch(function () { /* the map still works without its background */ });
    load(base + "departement.json").then(function (data) {
      departements = layer(data, { className: "outline-departement", color: "#9aa8b3", weight: 0.8, fill: false });
      group.addLayer(departements);
      showCommunes();
    }).catch(function () {});

    function showCommunes() {
      if (!departements) { return; }
      var zoomed = map.getZoom() >= COMMUNE_ZOOM;
      var view = map.getBounds();
      departements.eachLayer(function (dep) {
        var code = dep.feature.properties.code;
        var wanted = zoomed && view.intersects(dep.getBounds());
        if (wanted && !communes[code]) {
          communes[code] = L.layerGroup();
          load(base + "commune.json?parent=departement:" + encodeURIComponent(code)).then(function (data) {
            communes[code].addLayer(layer(data, { className: "outline-commune", color: "#b9c3ca", weight: 0.5,
                                                  fill: false }));
          }).catch(function () {});
        }
        if (communes[code]) {
          if (wanted && !group.hasLayer(communes[code])) { group.addLayer(communes[code]); }
          if (!wanted && group.hasLayer(communes[code])) { group.removeLayer(communes[code]); }
        }
      });
    }

    map.on("moveend", showCommunes);
    return group;
  }

  // The overseas départements, for a selector of views (France's default view leaves them out).
  var VIEWS = {
    metropole: [[41.2, -5.3], [51.2, 9.7]],
    guadeloupe: [[15.8, -61.85], [16.55, -60.95]],
    martinique: [[14.38, -61.25], [14.9, -60.8]],
    guyane: [[2.1, -54.6], [5.8, -51.6]],
    reunion: [[-21.4, 55.2], [-20.85, 55.85]],
    mayotte: [[-13.02, 44.98], [-12.6, 45.32]]
  };

  function bindViews(map, root) {
    if (!root) { return; }
    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-view]");
      if (!button || !VIEWS[button.dataset.view]) { return; }
      map.fitBounds(VIEWS[button.dataset.view]);
      root.querySelectorAll("[data-view]").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
    });
  }

  window.CatalyseOutlines = { add: add, bindViews: bindViews, views: VIEWS };
})();
