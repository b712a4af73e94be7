/* Ward choropleth with the vendored Leaflet. No tiles unless the server configures a URL. */
(function () {
  var COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  function classes(values) {
    var sorted = values.filter(function (v) { return v !== null; }).sort(function (a, b) { return a - b; });
    var breaks = [];
    for (var i = 1; i < COLOURS.length; i++) {
      breaks.push(sorted.length ? sorted[Math.floor(i * sorted.length / COLOURS.length)] : 0);
    }
    return breaks;
  }
  function colour(value, breaks) {
    if (value === null || value === undefined) { return "#ffffff"; }
    var i = 0;
    while (i < breaks.length && value >= breaks[i]) { i++; }
    return COLOURS[i];
  }
  function textNode(tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    return node;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("ward-map");
    if (!el || typeof L === "undefined") { return; }
    var measure = el.getAttribute("data-measure");
    var map = L.map(el, { zoomSnap: 0.25 });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    }
    fetch(el.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.features || !data.features.length) {
          el.textContent = "No ward boundaries are loaded.";
          return;
        }
        var breaks = classes(data.features.map(function (f) { return f.properties[measure]; }));
        var layer = L.geoJSON(data, {
          style: function (f) {
            return { color: "#1b1b1b", weight: 1, fillOpacity: 0.8,
                     fillColor: colour(f.properties[measure], breaks) };
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            var value = p[measure] === null ? "no data" : p[measure].toLocaleString("en-GB");
            // A DOM node, not a string: Leaflet puts strings in as HTML, and ward names are data.
            lyr.bindTooltip(textNode("span", p.name + ": " + value));
            lyr.on("click", function () { window.location.href = p.url; });
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds());
        var legend = L.control({ position: "bottomright" });
        legend.onAdd = function () {
          var div = L.DomUtil.create("div", "map-legend");
          div.appendChild(textNode("strong", measure));
          var lower = ["lowest"].concat(breaks.map(function (b) { return "≥ " + b.toLocaleString("en-GB"); }));
          for (var i = 0; i < COLOURS.length; i++) {
            var swatch = document.createElement("span");
            swatch.style.cssText = "display:inline-block;width:1rem;height:1rem;border:1px solid #1b1b1b;margin-right:.3rem";
            swatch.style.background = COLOURS[i];
            var row = document.createElement("div");
            row.appendChild(swatch);
            row.appendChild(document.createTextNode(lower[i]));
            div.appendChild(row);
          }
          div.style.background = "#fff"; div.style.padding = ".4rem"; div.style.font = "12px sans-serif";
          return div;
        };
        legend.addTo(map);
      })
      .catch(function (err) { el.textContent = "The map could not be drawn: " + err; });
  });
})();
