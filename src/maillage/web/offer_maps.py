"""Map data for the offer pages.

The search page hands Leaflet a JSON document (through `json_script`): the
searched commune's outline, the communes of its département as a faint
background, and one marker per place. No basemap unless a tile URL is set
(MAILLAGE_TILES_URL): the page must not depend on a third-party server.
The detail pages draw a small server-side SVG instead (`svgmap`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.offer.search import OfferResult
from maillage.territory.models import Commune

from . import svgmap

# ~100 m: enough for a faint background, and a third lighter than the source.
BACKGROUND_DECIMALS = 3


def _rounded(geometry: dict) -> dict:
    def ring(points: list[list[float]]) -> list[list[float]]:
        out: list[list[float]] = []
        for lon, lat in points:
            point = [round(lon, BACKGROUND_DECIMALS), round(lat, BACKGROUND_DECIMALS)]
            if not out or out[-1] != point:
                out.append(point)
        return out

    if geometry.get("type") == "Polygon":
        coordinates: list = [ring(r) for r in geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        coordinates = [[ring(r) for r in polygon] for polygon in geometry["coordinates"]]
    else:
        return geometry
    return {"type": geometry["type"], "coordinates": coordinates}


def tiles() -> dict[str, str] | None:
    url = getattr(settings, "MAILLAGE_TILES_URL", "")
    if not url:
        return None
    return {"url": url, "attribution": getattr(settings, "MAILLAGE_TILES_ATTRIBUTION", "")}


def search_map(commune: Commune, results: list[OfferResult]) -> dict[str, object]:
    background = [
        _rounded(json.loads(g))
        for g in Commune.objects.active()
        .filter(departement_id=commune.departement_id)
        .exclude(pk=commune.pk)
        .exclude(geometry="")
        .values_list("geometry", flat=True)
    ]
    places: dict[str, dict[str, object]] = {}
    for result in results:
        entry = result.entry
        for place in entry.places:
            marker = places.setdefault(
                place.insee,
                {"name": place.name, "lat": place.latitude, "lon": place.longitude, "items": []},
            )
            marker["items"].append(  # type: ignore[attr-defined]
                {
                    "name": entry.name,
                    "url": reverse("web:dispositif-detail", kwargs={"ref": entry.ref}),
                    "what": _("lieu de session")
                    if entry.places_are_sessions
                    else _("locaux de la structure"),
                }
            )
    return {
        "commune": {
            "name": commune.name,
            "lat": commune.latitude,
            "lon": commune.longitude,
            "geometry": json.loads(commune.geometry) if commune.geometry else None,
        },
        "background": background,
        "places": list(places.values()),
        "tiles": tiles(),
    }


def places_svg(communes: Iterable[Commune]) -> dict[str, object] | None:
    """The given communes highlighted within their intercommunalities."""
    highlighted = {c.pk: c for c in communes}
    if not highlighted:
        return None
    epcis = {c.epci_id for c in highlighted.values() if c.epci_id}
    around = (
        Commune.objects.active()
        .filter(epci_id__in=epcis)
        .exclude(pk__in=highlighted)
        .values_list("name", "geometry")
    )
    shapes = [svgmap.Shape(g, "others", n) for n, g in around]
    shapes += [svgmap.Shape(c.geometry, "self", c.name) for c in highlighted.values()]
    return svgmap.render(shapes)
