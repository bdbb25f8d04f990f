/* Map of an offer search, drawn with Leaflet from our own static files.
 *
 * The data comes from a json_script block: the searched commune's outline,
 * the other communes of its département (faint background), the places of
 * the dispositifs found. No basemap unless the server sends a tile URL.
 *
 * The map repeats the result list for sighted mouse users: it is hidden from
 * assistive technologies and takes no keyboard focus (no tab stop on the
 * map, its markers, zoom buttons or popups), so it cannot trap anyone.
 */
(function () {
  "use strict";

  var figure = document.querySelector("[data-offer-map]");
  var source = figure && document.getElementById(figure.getAttribute("data-source"));
  if (!figure || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var canvas = figure.querySelector(".offer-map-canvas");
  var styles = getComputedStyle(document.documentElement);
  var accent = styles.getPropertyValue("--accent").trim() || "#1f5f3f";

  figure.hidden = false;

  var map = L.map(canvas, {
    keyboard: false,
    attributionControl: false,
    scrollWheelZoom: false,
    zoomSnap: 0.25,
  });

  function untabbable(root) {
    root.querySelectorAll("a, button, [tabindex]").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
  }
  untabbable(map.zoomControl.getContainer());
  map.on("popupopen", function (e) { untabbable(e.popup.getElement()); });

  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, { maxZoom: 18 }).addTo(map);
  }

  var bounds = L.latLngBounds([]);

  if (data.background.length) {
    L.geoJSON(
      { type: "GeometryCollection", geometries: data.background },
      {
        interactive: false,
        renderer: L.canvas({ padding: 0.5 }),
        style: { color: "#8a978f", weight: 0.6, fillColor: "#e4ebe6", fillOpacity: 0.6 },
      }
    ).addTo(map);
  }

  var commune = data.commune;
  if (commune.geometry) {
    var outline = L.geoJSON(commune.geometry, {
      interactive: false,
      style: { color: "#0d2a1b", weight: 2, fillColor: accent, fillOpacity: 0.25 },
    }).addTo(map);
    bounds.extend(outline.getBounds());
  }
  if (commune.lat !== null && commune.lon !== null) {
    L.marker([commune.lat, commune.lon], {
      keyboard: false,
      // Leaflet positions the marker with a transform: the diamond is an inner element.
      icon: L.divIcon({
        className: "pin-holder",
        html: '<span class="pin pin-commune"></span>',
        iconSize: [22, 22],
        iconAnchor: [11, 11],
      }),
    })
      .bindTooltip(commune.name, { direction: "top", offset: [0, -10] })
      .addTo(map);
    bounds.extend([commune.lat, commune.lon]);
  }

  function popup(place) {
    var root = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = place.name;
    root.appendChild(title);
    var list = document.createElement("ul");
    list.className = "map-popup-list";
    place.items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.name;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" (" + item.what + ")"));
      list.appendChild(li);
    });
    root.appendChild(list);
    return root;
  }

  data.places.forEach(function (place) {
    L.marker([place.lat, place.lon], {
      keyboard: false,
      zIndexOffset: 1000, // above the commune's diamond, which stays visible around it
      icon: L.divIcon({
        className: "pin-holder",
        html: '<span class="pin pin-place"></span>',
        iconSize: [16, 16],
        iconAnchor: [8, 8],
      }),
    })
      .bindPopup(popup(place))
      .bindTooltip(place.name, { direction: "top", offset: [0, -8] })
      .addTo(map);
    bounds.extend([place.lat, place.lon]);
  });

  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
  } else {
    map.setView([46.6, 2.4], 5);
  }
})();
