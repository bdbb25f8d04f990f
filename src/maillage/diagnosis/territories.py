"""Territories of a diagnosis: "departement:23", "epci:200067130",
"region:75", "communes:23096,23008" or "france"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.territory.models import EPCI, Commune, Departement, Region


@dataclass
class CommuneTable:
    """The communes of a territory as parallel arrays (one query)."""

    insee: np.ndarray
    name: list[str]
    population: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    rurality: np.ndarray
    epci: np.ndarray
    departement: np.ndarray
    region: np.ndarray
    geometry: list[str]

    def __len__(self) -> int:
        return len(self.name)


@dataclass
class Territory:
    spec: str
    label: str
    communes: CommuneTable


def _table(qs) -> CommuneTable:
    rows = list(
        qs.filter(latitude__isnull=False)
        .order_by("insee")
        .values_list(
            "insee",
            "name",
            "population",
            "latitude",
            "longitude",
            "rurality_official",
            "rurality_estimated",
            "epci__siren",
            "departement__code",
            "departement__region__code",
            "geometry",
        )
    )
    return CommuneTable(
        insee=np.array([r[0] for r in rows], dtype=object),
        name=[r[1] for r in rows],
        population=np.array([r[2] or 0 for r in rows], dtype=np.int64),
        latitude=np.array([r[3] for r in rows], dtype=np.float64),
        longitude=np.array([r[4] for r in rows], dtype=np.float64),
        rurality=np.array([r[5] or r[6] or 5 for r in rows], dtype=np.intp),
        epci=np.array([r[7] or "" for r in rows], dtype=object),
        departement=np.array([r[8] for r in rows], dtype=object),
        region=np.array([r[9] for r in rows], dtype=object),
        geometry=[r[10] for r in rows],
    )


def resolve(spec: str) -> Territory:
    """Parse a territory spec; French ValidationError when unknown."""
    kind, _sep, code = spec.strip().partition(":")
    kind = kind.lower()
    communes = Commune.objects.active()
    if kind == "france":
        return Territory("france", _("France entière"), _table(communes))
    if kind == "departement":
        code = code.upper().zfill(2)
        dep = Departement.objects.filter(code=code).first()
        if dep:
            return Territory(
                f"departement:{code}", dep.name, _table(communes.filter(departement=dep))
            )
    elif kind == "region":
        region = Region.objects.filter(code=code).first()
        if region:
            return Territory(
                f"region:{code}", region.name, _table(communes.filter(departement__region=region))
            )
    elif kind == "epci":
        epci = EPCI.objects.filter(siren=code).first()
        if epci:
            return Territory(f"epci:{code}", epci.name, _table(communes.filter(epci=epci)))
    elif kind == "communes":
        codes = [c.strip().upper() for c in code.split(",") if c.strip()]
        table = _table(communes.filter(insee__in=codes))
        if len(table):
            missing = sorted(set(codes) - set(table.insee.tolist()))
            if missing:
                raise ValidationError(_("Communes inconnues : %(c)s") % {"c": ", ".join(missing)})
            return Territory(
                f"communes:{','.join(codes)}",
                _("%(n)d communes choisies") % {"n": len(table)},
                table,
            )
    raise ValidationError(
        _(
            "Territoire inconnu « %(spec)s » : utilisez departement:23, region:75, "
            "epci:SIREN, communes:23096,23008 ou france."
        )
        % {"spec": spec}
    )
