"""Maps of a diagnosis: choropleth GeoJSON for Leaflet, the print SVG, the
bar chart by rurality.

Every picture is drawn from the same features (one per commune, coloured by
travel-minute class of `exports.CLASSES`), so that the page, the SVG and the
PDF agree. No basemap unless MAILLAGE_TILES_URL is set (see offer_maps).
"""

from __future__ import annotations

import json
import textwrap

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillage.diagnosis.exports import (
    CLASS_COLOURS,
    CLASS_LABELS,
    CLASSES,
    NO_SUPPORT_MINUTES,
    minute_class,
    share,
)
from maillage.diagnosis.territories import resolve
from maillage.offer.index import get_index
from maillage.territory.models import Commune, Departement, Region

from . import svgmap
from .offer_maps import _rounded, tiles

# Above this, the page would carry megabytes of outlines: the exports and the
# summary still work, the maps and the commune table are left out.
MAP_MAX_COMMUNES = 6000


def of_territory(spec: str, label: str) -> str:
    """'de la Creuse', "de l'Ain", 'des 3 communes choisies'…"""
    if not (get_language() or "fr").startswith("fr"):
        # French needs the articles below; other languages take the plain name.
        return f"of {label}"
    kind, _sep, code = spec.partition(":")
    if kind in ("departement", "region"):
        model = Departement if kind == "departement" else Region
        place = model.objects.filter(code=code).first()
        return place.of_name if place else f"de {label}"
    if kind == "france":
        return "de France"
    if kind == "communes":
        return f"des {label}"
    lowered = (
        label[0].lower() + label[1:] if label.startswith(("Communauté", "Métropole")) else label
    )
    return f"de la {lowered}" if lowered != label else f"de « {label} »"


def headline(summary: dict) -> dict[str, object]:
    return {
        "percent": f"{share(summary['population_beyond'], summary['population']):.0f}",
        "of_territory": of_territory(summary["territory"], summary["territory_label"]),
    }


def legend() -> list[dict[str, str]]:
    return [
        {"key": k, "label": str(label), "colour": c, "communes": None, "population": None}
        for k, label, _u, c in CLASSES
    ]


def geometries(spec: str) -> dict[str, str]:
    communes = resolve(spec).communes
    return dict(zip(communes.insee.tolist(), communes.geometry, strict=True))


def features(
    rows: list[dict], shapes: dict[str, str], threshold: float, minutes: str = "minutes"
) -> dict[str, object]:
    """GeoJSON FeatureCollection of the communes, with class and colour."""
    out = []
    for row in rows:
        text = shapes.get(row["insee"])
        if not text:
            continue
        value = row[minutes]
        if value is not None and value >= NO_SUPPORT_MINUTES:
            value = None
        beyond = row.get("beyond") if minutes == "minutes" else None
        key = minute_class(value, beyond, threshold)
        out.append(
            {
                "type": "Feature",
                "geometry": _rounded(json.loads(text)),
                "properties": {
                    "insee": row["insee"],
                    "name": row.get("name", ""),
                    "minutes": None if value is None else round(value),
                    "cls": key,
                    "label": str(CLASS_LABELS[key]),
                    "colour": CLASS_COLOURS[key],
                    "gap": bool(row.get("chain_gap")),
                },
            }
        )
    return {"type": "FeatureCollection", "features": out}


def nearest_places(stage: str, names: set[str]) -> list[dict[str, object]]:
    """Session places of the dispositifs nearest to some commune (markers)."""
    markers: dict[str, dict[str, object]] = {}
    for entry in get_index().entries:
        if stage not in entry.stages or entry.name not in names or entry.formats == {"remote"}:
            continue
        for place in entry.places:
            marker = markers.setdefault(
                place.insee,
                {"name": place.name, "lat": place.latitude, "lon": place.longitude, "items": []},
            )
            marker["items"].append(  # type: ignore[attr-defined]
                {
                    "name": entry.name,
                    "url": reverse("web:dispositif-detail", kwargs={"ref": entry.ref}),
                }
            )
    return list(markers.values())


def diagnosis_map(result: dict, shapes: dict[str, str]) -> dict[str, object]:
    summary = result["summary"]
    names = {r["nearest"] for r in result["communes"] if r["nearest"]}
    return {
        "features": features(result["communes"], shapes, summary["threshold_minutes"]),
        "places": nearest_places(summary["stage"], names),
        "tiles": tiles(),
    }


def plan_maps(result: dict, shapes: dict[str, str]) -> tuple[dict, dict]:
    """Before and after maps of an optimisation, new sites as markers."""
    plan = result["plan"]
    names = dict(
        Commune.objects.active().filter(insee__in=list(shapes)).values_list("insee", "name")
    )
    rows = [{**r, "name": names.get(r["insee"], r["insee"])} for r in result["communes"]]
    threshold = plan["threshold_minutes"]
    sites = Commune.objects.active().filter(insee__in=[s["insee"] for s in plan["selected"]])
    new = [
        {"name": c.name, "lat": c.latitude, "lon": c.longitude, "new": True, "items": []}
        for c in sites
        if c.latitude is not None
    ]
    before = {"features": features(rows, shapes, threshold, "before"), "places": []}
    after = {"features": features(rows, shapes, threshold, "after"), "places": new}
    return {**before, "tiles": tiles()}, {**after, "tiles": tiles()}


def svg_map(collection: dict, title: str, subtitle: str = "") -> dict[str, object] | None:
    """Projected outlines filled by class, with a legend and a title."""
    feats = collection["features"]
    drawn = svgmap.render(
        [
            svgmap.Shape(json.dumps(f["geometry"]), str(i), f["properties"]["name"])
            for i, f in enumerate(feats)
        ]
    )
    if drawn is None:
        return None
    paths = []
    for p in drawn["paths"]:  # type: ignore[union-attr]
        props = feats[int(p["css_class"])]["properties"]
        minutes = _("%(m)s min") % {"m": props["minutes"]} if props["minutes"] is not None else ""
        paths.append(
            {
                "d": p["d"],
                "fill": props["colour"],
                "gap": props["gap"],
                "title": f"{props['name']} — {minutes or props['label']}",
            }
        )
    # Title lines (wrapped: the drawing is 400 units wide), then the map,
    # then the legend, one line per class.
    lines = [(t, 16, "bold") for t in textwrap.wrap(title, 46)]
    lines += [(t, 12, "normal") for t in textwrap.wrap(subtitle, 62)]
    heading = [
        {"text": t, "size": size, "weight": weight, "y": 18 + i * 18}
        for i, (t, size, weight) in enumerate(lines)
    ]
    top = 18 * len(lines) + 14
    height = float(drawn["height"])  # type: ignore[arg-type]
    items = [{**item, "y": round(top + height + 16 + i * 18)} for i, item in enumerate(legend())]
    gaps = any(p["gap"] for p in paths)
    gap_y = round(top + height + 16 + len(items) * 18) if gaps else None
    # Outlines of chain gaps last, so that no neighbour hides their dashes.
    paths.sort(key=lambda p: p["gap"])
    return {
        "title": title,
        "heading": heading,
        "width": drawn["width"],
        "height": round(top + height + 16 + (len(items) + gaps) * 18 + 8),
        "map_top": top,
        "paths": paths,
        "legend": items,
        "gap_y": gap_y,
    }


def rurality_chart(summary: dict) -> dict[str, object]:
    """Bars: share of inhabitants beyond the threshold, per density level.
    SVG numbers are strings: a localised template would write "55,7"."""
    bars = []
    levels = sorted(summary["by_rurality"].items(), key=lambda kv: int(kv[0]))
    for i, (level, r) in enumerate(levels):
        pct = share(r["population_beyond"], r["population"])
        width = pct * 2.4  # 100 % = 240 units
        bars.append(
            {
                "level": level,
                "label": r["label"],
                "percent": pct,
                "y": str(6 + i * 28),
                "text_y": str(6 + i * 28 + 15),
                "width": f"{width:.1f}",
                "value_x": f"{236 + width + 5:.1f}",
            }
        )
    return {"bars": bars, "height": str(12 + len(bars) * 28)}
