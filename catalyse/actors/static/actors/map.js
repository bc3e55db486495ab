// Map island: asks the server for clusters of the visible area at each move (the server groups a
// million rows in SQL), draws server clusters as cluster bubbles and single organisations as markers
// that Leaflet.markercluster spreads when several are close. No tile server is needed.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var status = document.getElementById("map-status");
  var d = el.dataset;
  var map = L.map(el, { minZoom: 2, maxZoom: 18, worldCopyJump: false });
  map.fitBounds([[41.2, -5.3], [51.2, 9.7]]);
  if (window.CatalyseOutlines) {  // région, département and commune outlines: the map works offline
    window.CatalyseOutlines.add(map, d.outlines);
    window.CatalyseOutlines.bindViews(map, document.getElementById("map-views"));
  }
  var profileLabels = JSON.parse((document.getElementById("map-profiles") || {}).textContent || "{}");
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 18 }).addTo(map);
  } else {
    el.classList.add("map-plain");
    var places = document.getElementById("map-places");
    JSON.parse(places ? places.textContent : "[]").forEach(function (p) {
      var text = document.createElement("span");
      text.textContent = p.name;
      L.marker([p.latitude, p.longitude], {
        icon: L.divIcon({ html: text, className: "map-place", iconSize: null }),
        interactive: false, keyboard: false
      }).addTo(map);
    });
  }
  var clusters = L.layerGroup().addTo(map);
  var points = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 }).addTo(map);
  var pending = null;
  var timer = null;

  function label(n) { return n + " " + (n > 1 ? d.labelMany : d.labelOne); }

  function clusterMarker(c) {
    var size = c.count < 10 ? "small" : (c.count < 100 ? "medium" : "large");
    var icon = L.divIcon({
      html: "<div><span>" + c.count.toLocaleString("fr-FR") + "</span></div>",
      className: "marker-cluster marker-cluster-" + size + " server-cluster",
      iconSize: L.point(40, 40)
    });
    var marker = L.marker([c.lat, c.lon], { icon: icon, title: label(c.count), alt: label(c.count), keyboard: true });
    marker.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 18)); });
    return marker;
  }

  function pointMarker(p) {
    // A pin coloured by profile (legend under the map); the profile is a known code, the name is text.
    var profile = /^[a-z_]+$/.test(p.profile || "") ? p.profile : "autre";
    var icon = L.divIcon({ className: "map-pin map-pin-" + profile, iconSize: L.point(16, 16),
                           iconAnchor: L.point(8, 8), popupAnchor: L.point(0, -8) });
    var title = p.name + (profileLabels[p.profile] ? " — " + profileLabels[p.profile] : "");
    var marker = L.marker([p.lat, p.lon], { icon: icon, title: title, alt: p.name, keyboard: true });
    // Popup: name (link to the page), profile, commune and trades; text nodes only (names come from users).
    var box = document.createElement("div");
    box.className = "map-popup";
    var link = document.createElement("a");
    link.href = d.directory + encodeURIComponent(p.slug) + "/";
    link.textContent = p.name;
    var heading = document.createElement("p");
    heading.className = "map-popup-name";
    heading.appendChild(link);
    box.appendChild(heading);
    var facts = document.createElement("dl");
    [[d.labelProfile, profileLabels[p.profile]], [d.labelCommune, p.commune],
     [d.labelTrades, (p.trades || []).join(", ")]].forEach(function (fact) {
      if (!fact[1]) { return; }
      var term = document.createElement("dt");
      term.textContent = fact[0];
      var value = document.createElement("dd");
      value.textContent = fact[1];
      facts.appendChild(term);
      facts.appendChild(value);
    });
    box.appendChild(facts);
    marker.bindPopup(box);
    return marker;
  }

  function refresh() {
    var b = map.getBounds();
    var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
    var params = new URLSearchParams(d.filters || "");
    params.set("bbox", [clamp(b.getWest(), -180, 179.9), clamp(b.getSouth(), -90, 89.9),
                        clamp(b.getEast(), -179.9, 180), clamp(b.getNorth(), -89.9, 90)]
                        .map(function (v) { return v.toFixed(5); }).join(","));
    params.set("zoom", String(Math.round(map.getZoom())));
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(d.endpoint + "?" + params.toString(), { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        clusters.clearLayers();
        points.clearLayers();
        data.clusters.forEach(function (c) { clusters.addLayer(clusterMarker(c)); });
        points.addLayers(data.points.map(pointMarker));
        el.dataset.count = String(data.count);
        if (status) { status.textContent = label(data.count) + " dans la zone affichée."; }
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") { return; }
        if (status) { status.textContent = "La carte n'a pas pu être chargée."; }
      });
  }

  map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  refresh();
})();
