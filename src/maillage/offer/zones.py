"""Typed zones: which zone keys cover a commune, and zone validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.territory.models import EPCI, Commune, Departement, Region

from .vocabulary import ZoneKind


def commune_keys(commune: Commune) -> list[tuple[str, str]]:
    """The (kind, code) zone keys that contain a commune, narrowest first."""
    keys = [(ZoneKind.COMMUNE.value, commune.insee)]
    if commune.epci_id:
        keys.append((ZoneKind.EPCI.value, commune.epci.siren))
    keys.append((ZoneKind.DEPARTEMENT.value, commune.departement.code))
    keys.append((ZoneKind.REGION.value, commune.departement.region.code))
    keys.append((ZoneKind.FRANCE.value, ""))
    return keys


_LOOKUP = {
    ZoneKind.COMMUNE: (Commune, "insee"),
    ZoneKind.EPCI: (EPCI, "siren"),
    ZoneKind.DEPARTEMENT: (Departement, "code"),
    ZoneKind.REGION: (Region, "code"),
}


def validate_zone(kind: str, code: str) -> None:
    if kind not in ZoneKind.values:
        raise ValidationError(
            _("Type de zone inconnu « %(kind)s » (commune, epci, departement, region, france)."),
            params={"kind": kind},
        )
    if kind == ZoneKind.FRANCE:
        return
    model, field = _LOOKUP[ZoneKind(kind)]
    if not model.objects.filter(**{field: code}).exists():
        raise ValidationError(
            _("Zone inconnue : %(kind)s « %(code)s »."), params={"kind": kind, "code": code}
        )


def zone_label(kind: str, code: str) -> str:
    """Readable name of a zone, e.g. "Creuse (département)"."""
    if kind == ZoneKind.FRANCE:
        return str(_("France entière"))
    model, field = _LOOKUP[ZoneKind(kind)]
    obj = model.objects.filter(**{field: code}).first()
    name = obj.name if obj else code
    return f"{name} ({ZoneKind(kind).label.lower()})"


def parse_zone(text: str) -> tuple[str, str]:
    """'departement:23' → ('departement', '23'); 'france' → ('france', '')."""
    kind, _sep, code = text.strip().partition(":")
    kind = kind.strip().lower()
    code = code.strip().upper() if kind != ZoneKind.EPCI else code.strip()
    if kind == ZoneKind.DEPARTEMENT and code.isdigit() and len(code) == 1:
        code = code.zfill(2)
    return kind, code
