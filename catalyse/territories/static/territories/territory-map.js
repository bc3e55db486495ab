// Territory page: a small map of the territory's outline over the offline background (outlines.js).
(function () {
  "use strict";
  var el = document.getElementById("territory-map");
  if (!el || typeof L === "undefined") { return; }
  var d = el.dataset;
  var map = L.map(el, { scrollWheelZoom: false });
  map.fitBounds([[41.2, -5.3], [51.2, 9.7]]);
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 18 }).addTo(map);
  } else {
    el.classList.add("map-plain");
  }
  if (window.CatalyseOutlines) { window.CatalyseOutlines.add(map, d.outlines); }
  var url = d.outlines + d.level + ".json" + (d.parent ? "?parent=" + encodeURIComponent(d.parent) : "");
  fetch(url, { headers: { Accept: "application/geo+json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        interactive: false,
        filter: function (feature) { return feature.properties.code === d.code; },
        style: function () {
          return { className: "outline-current", color: "#b34700", weight: 3, fillColor: "#b34700", fillOpacity: 0.12 };
        }
      }).addTo(map);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [12, 12] });
        el.dataset.outlineShown = "1";
      }
    })
    .catch(function () { /* the page reads the same without its map */ });
})();
