// A small map of one place (an organisation's location) over the offline background (outlines.js).
// The element carries data-lat, data-lon, data-name (text) and data-profile (a pin colour class).
(function () {
  "use strict";
  var el = document.getElementById("point-map");
  if (!el || typeof L === "undefined") { return; }
  var d = el.dataset;
  var lat = parseFloat(d.lat), lon = parseFloat(d.lon);
  if (isNaN(lat) || isNaN(lon)) { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 9);
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 18 }).addTo(map);
  } else {
    el.classList.add("map-plain");
  }
  if (window.CatalyseOutlines) { window.CatalyseOutlines.add(map, d.outlines); }
  var profile = /^[a-z_]+$/.test(d.profile || "") ? d.profile : "autre";
  L.marker([lat, lon], {
    icon: L.divIcon({ className: "map-pin map-pin-" + profile, iconSize: L.point(16, 16), iconAnchor: L.point(8, 8) }),
    title: d.name, keyboard: false, interactive: false
  }).addTo(map);
})();
