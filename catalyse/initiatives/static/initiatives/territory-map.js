// Small map of an initiative's territories: one marker per territory (its centre), linking to its page.
// Points come from a json_script element; without a configured tile server the background stays plain.
(function () {
  "use strict";
  var el = document.getElementById("initiative-map");
  var data = document.getElementById("initiative-map-points");
  if (!el || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(el, { scrollWheelZoom: false });
  if (window.CatalyseOutlines) { window.CatalyseOutlines.add(map, el.dataset.outlines); }  // offline background
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  } else {
    el.classList.add("map-plain");
  }
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.lon], { title: p.name, alt: p.name, keyboard: true }).addTo(map);
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;  // text, never HTML
    marker.bindPopup(link);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 9); } else { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 }); }
})();
