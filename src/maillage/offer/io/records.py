"""The database as values by field, the shape the importer compares rows with
and the exporters write: one reading of the data for every format."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from ..models import Antenna, Dispositif, SessionPlace, Structure
from ..vocabulary import ZoneKind

_ZONE_ORDER = {kind: n for n, kind in enumerate(ZoneKind.values)}


def structure_queryset() -> QuerySet[Structure]:
    antennas = Antenna.objects.select_related("commune")
    return (
        Structure.objects.select_related("commune")
        .prefetch_related(Prefetch("antennas", queryset=antennas))
        .order_by("ref")
    )


def dispositif_queryset() -> QuerySet[Dispositif]:
    places = SessionPlace.objects.select_related("commune")
    return (
        Dispositif.objects.select_related("structure", "origin")
        .prefetch_related(
            "zones",
            Prefetch("session_places", queryset=places),
            "co_operators",
            "next_steps",
        )
        .order_by("ref")
    )


def structure_values(s: Structure) -> dict[str, Any]:
    return {
        "ref": s.ref,
        "name": s.name,
        "kinds": list(s.kinds),
        "legal_form": s.legal_form,
        "siret": s.siret,
        "rna": s.rna,
        "address": s.address,
        "commune": s.commune.insee,
        "latitude": s.latitude,
        "longitude": s.longitude,
        "website": s.website,
        "email": s.email,
        "phone": s.phone,
        "networks": list(s.networks),
        "description": s.description,
        "antennas": sorted((a.commune.insee, a.label, a.address) for a in s.antennas.all()),
    }


def dispositif_values(d: Dispositif) -> dict[str, Any]:
    zones = sorted(((z.kind, z.code) for z in d.zones.all()), key=lambda z: (_ZONE_ORDER[z[0]], z))
    return {
        "ref": d.ref,
        "structure": d.structure.ref,
        "name": d.name,
        "description": d.description,
        "co_operators": sorted(s.ref for s in d.co_operators.all()),
        "stages": list(d.stages),
        "audiences": list(d.audiences),
        "sectors": list(d.sectors),
        "formats": list(d.formats),
        "duration_weeks": d.duration_weeks,
        "sessions_count": d.sessions_count,
        "cohort_size": d.cohort_size,
        "fee_eur": d.fee_eur,
        "fee_note": d.fee_note,
        "entry_criteria": d.entry_criteria,
        "criteria_flags": list(d.criteria_flags),
        "how_to_apply": d.how_to_apply,
        "apply_url": d.apply_url,
        "next_edition_start": d.next_edition_start,
        "application_deadline": d.application_deadline,
        "zones": zones,
        "session_places": sorted(
            (p.commune.insee, p.label, p.is_illustrative) for p in d.session_places.all()
        ),
        "next_steps": sorted(n.ref for n in d.next_steps.all()),
        "is_template": d.is_template,
        "origin": d.origin.ref if d.origin else "",
    }
