/* Choropleth maps of a diagnosis, drawn with Leaflet from our own files.
 *
 * Each [data-diagnosis-map] figure names a json_script block: a GeoJSON
 * FeatureCollection of communes (class colour, chain gap), places as markers
 * and an optional tile URL (no basemap otherwise). The map repeats the table
 * for sighted mouse users: hidden from assistive technologies and without any
 * tab stop, so it cannot trap the keyboard. Without JavaScript, and in print,
 * the server-drawn SVG shows instead.
 */
(function () {
  "use strict";
  if (!window.L) return;

  function untabbable(root) {
    root.querySelectorAll("a, button, [tabindex]").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
  }

  function popup(place) {
    var root = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = place.name;
    root.appendChild(title);
    if (place.items && place.items.length) {
      var list = document.createElement("ul");
      list.className = "map-popup-list";
      place.items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.name;
        li.appendChild(link);
        list.appendChild(li);
      });
      root.appendChild(list);
    }
    return root;
  }

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-source"));
    var canvas = figure.querySelector(".diagnosis-map-canvas");
    if (!source || !canvas) return;
    var data = JSON.parse(source.textContent);
    canvas.hidden = false;
    figure.classList.add("is-interactive");

    var map = L.map(canvas, {
      keyboard: false,
      attributionControl: false,
      scrollWheelZoom: false,
      zoomSnap: 0.25,
    });
    untabbable(map.zoomControl.getContainer());
    map.on("popupopen", function (e) { untabbable(e.popup.getElement()); });
    if (data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { maxZoom: 18 }).addTo(map);
    }

    // Canvas, not SVG: hundreds of communes draw faster, and no outline
    // becomes a focusable element (Chromium tabs into interactive SVG paths).
    var renderer = L.canvas({ padding: 0.2 });
    var layer = L.geoJSON(data.features, {
      renderer: renderer,
      style: function (feature) {
        var p = feature.properties;
        return {
          color: "#ffffff",
          weight: 0.6,
          fillColor: p.colour,
          fillOpacity: data.tiles ? 0.75 : 1,
        };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        var text = p.name + " — " + (p.minutes === null ? p.label : p.minutes + " min");
        shape.bindTooltip(text, { sticky: true, className: "map-tooltip" });
      },
    }).addTo(map);

    var gaps = data.features.features.filter(function (f) { return f.properties.gap; });
    if (gaps.length) {
      L.geoJSON({ type: "FeatureCollection", features: gaps }, {
        interactive: false,
        renderer: renderer,
        style: { color: "#08306b", weight: 2, dashArray: "4 3", fill: false },
      }).addTo(map);
    }

    (data.places || []).forEach(function (place) {
      var html = place.new
        ? '<span class="pin pin-new"></span>'
        : '<span class="pin pin-place"></span>';
      var marker = L.marker([place.lat, place.lon], {
        keyboard: false,
        zIndexOffset: place.new ? 2000 : 1000,
        icon: L.divIcon({ className: "pin-holder", html: html, iconSize: [16, 16], iconAnchor: [8, 8] }),
      }).bindTooltip(place.name, { direction: "top", offset: [0, -8] });
      if (place.items && place.items.length) marker.bindPopup(popup(place));
      marker.addTo(map);
    });

    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    else map.setView([46.6, 2.4], 5);
    // The table is the keyboard way through the data: nothing in the map takes focus.
    untabbable(canvas);
    canvas.setAttribute("tabindex", "-1");
  }

  document.querySelectorAll("[data-diagnosis-map]").forEach(draw);
})();
