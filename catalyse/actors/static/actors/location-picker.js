// Organisation form: the location is chosen on a map (over the offline outlines), not typed as numbers.
// Clicking the map or dragging the pin fills the hidden latitude/longitude fields; "Revenir au centre de la
// commune" empties them, and the server then places the organisation at its head office's centre.
(function () {
  "use strict";
  var el = document.getElementById("location-map");
  if (!el || typeof L === "undefined") { return; }
  var d = el.dataset;
  var latInput = document.getElementById(d.latInput), lonInput = document.getElementById(d.lonInput);
  var status = document.getElementById("location-status");
  var reset = document.getElementById("location-reset");
  var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
  var officeLat = parseFloat(d.officeLat), officeLon = parseFloat(d.officeLon);
  var hasPoint = !isNaN(lat) && !isNaN(lon);
  var hasOffice = !isNaN(officeLat) && !isNaN(officeLon);
  var map = L.map(el, { scrollWheelZoom: false });
  el.classList.add("map-plain");
  if (window.CatalyseOutlines) { window.CatalyseOutlines.add(map, d.outlines); }
  if (hasPoint) { map.setView([lat, lon], 12); } else if (hasOffice) { map.setView([officeLat, officeLon], 11); } else { map.setView([46.6, 2.4], 5); }
  var marker = L.marker(hasPoint ? [lat, lon] : (hasOffice ? [officeLat, officeLon] : [46.6, 2.4]), {
    draggable: true, keyboard: false, title: d.textPin,
    icon: L.divIcon({ className: "map-pin map-pin-autre", iconSize: L.point(18, 18), iconAnchor: L.point(9, 9) })
  });
  if (hasPoint || hasOffice) { marker.addTo(map); }

  function say(text) { if (status) { status.textContent = text; } }
  function set(latlng) {
    latInput.value = latlng.lat.toFixed(5);
    lonInput.value = latlng.lng.toFixed(5);
    marker.setLatLng(latlng).addTo(map);
    say(d.textChosen + " " + latlng.lat.toFixed(5).replace(".", ",") + " ; " + latlng.lng.toFixed(5).replace(".", ","));
  }
  map.on("click", function (evt) { set(evt.latlng); });
  marker.on("dragend", function () { set(marker.getLatLng()); });
  if (reset) {
    reset.hidden = false;
    reset.addEventListener("click", function () {
      latInput.value = "";
      lonInput.value = "";
      if (hasOffice) { marker.setLatLng([officeLat, officeLon]); map.setView([officeLat, officeLon], 11); } else { map.removeLayer(marker); }
      say(d.textReset);
    });
  }
  el.setAttribute("data-ready", "");
})();
