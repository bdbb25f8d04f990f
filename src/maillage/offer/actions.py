"""Writes to the support offer: validated, atomic, logged.

Every function takes a keyword-only `acting_user` (None for trusted system
writes such as imports and demo data, which are checked upstream).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.territory.models import Commune

from .models import Antenna, Dispositif, ModerationEvent, SessionPlace, Structure, Zone
from .permissions import can_edit_structure, can_moderate
from .validators import (
    normalize_rna,
    normalize_siret,
    validate_choices,
    validate_rna,
    validate_siret,
)
from .vocabulary import Audience, Criterion, Format, Sector, Stage, StructureKind, ZoneKind
from .zones import validate_zone

Moderation = Structure.Moderation

# Moderation workflow: (from, to) → who may do it.
MODERATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (Moderation.PENDING, Moderation.PUBLISHED): "staff",
    (Moderation.PENDING, Moderation.REJECTED): "staff",
    (Moderation.PUBLISHED, Moderation.PENDING): "staff",
    (Moderation.REJECTED, Moderation.PENDING): "owner",
}


def _require_edit(acting_user, structure: Structure) -> None:
    if acting_user is not None and not can_edit_structure(acting_user, structure):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette structure."))


def _clean_structure(fields: dict[str, Any]) -> None:
    if "kinds" in fields:
        validate_choices(fields["kinds"], StructureKind, _("Type de structure"))
    if "siret" in fields:
        fields["siret"] = normalize_siret(fields["siret"])
        validate_siret(fields["siret"])
    if "rna" in fields:
        fields["rna"] = normalize_rna(fields["rna"])
        validate_rna(fields["rna"])


def _clean_dispositif(fields: dict[str, Any]) -> None:
    for key, choices, what in (
        ("stages", Stage, _("Étape")),
        ("audiences", Audience, _("Public")),
        ("sectors", Sector, _("Secteur")),
        ("formats", Format, _("Format")),
        ("criteria_flags", Criterion, _("Critère")),
    ):
        if key in fields:
            validate_choices(fields[key], choices, what)
    if "stages" in fields and not fields["stages"]:
        raise ValidationError(_("Indiquez au moins une étape."))


@transaction.atomic
def save_structure(*, acting_user, structure: Structure | None = None, **fields: Any) -> Structure:
    """Create or update a structure. New structures from non-staff users wait
    for moderation; platform staff and system writes publish directly."""
    _clean_structure(fields)
    if structure is None:
        structure = Structure(**fields)
        trusted = acting_user is None or can_moderate(acting_user)
        structure.moderation_status = Moderation.PUBLISHED if trusted else Moderation.PENDING
        structure.full_clean(exclude=["organisation"])
        structure.save()
        ModerationEvent.objects.create(
            structure=structure,
            actor=acting_user,
            to_status=structure.moderation_status,
            reason=_("création"),
        )
        return structure
    _require_edit(acting_user, structure)
    for key, value in fields.items():
        setattr(structure, key, value)
    structure.updated_at = timezone.now()
    structure.full_clean(exclude=["organisation"])
    structure.save()
    return structure


@transaction.atomic
def save_antennas(
    *, acting_user, structure: Structure, antennas: Iterable[tuple[str, str, str]]
) -> list[Antenna]:
    """Replace a structure's antennas with (INSEE, label, address) triples."""
    _require_edit(acting_user, structure)
    rows = []
    for insee, label, address in antennas:
        commune = Commune.objects.filter(insee=insee).first()
        if commune is None:
            raise ValidationError(
                _("Commune inconnue « %(insee)s » pour une antenne."), params={"insee": insee}
            )
        rows.append(Antenna(structure=structure, commune=commune, label=label, address=address))
    structure.antennas.all().delete()
    created = Antenna.objects.bulk_create(rows)
    structure.updated_at = timezone.now()
    structure.save(update_fields=["updated_at"])
    return created


@transaction.atomic
def moderate_structure(*, acting_user, structure: Structure, to_status: str, reason: str = ""):
    key = (structure.moderation_status, to_status)
    who = MODERATION_TRANSITIONS.get(key)
    if who is None:
        raise ValidationError(_("Transition de modération impossible."))
    allowed = can_moderate(acting_user) or (
        who == "owner" and can_edit_structure(acting_user, structure)
    )
    if not allowed:
        raise PermissionDenied(_("Vous ne pouvez pas effectuer cette modération."))
    if to_status == Moderation.REJECTED and not reason.strip():
        raise ValidationError(_("Indiquez le motif du refus."))
    ModerationEvent.objects.create(
        structure=structure,
        actor=acting_user,
        from_status=structure.moderation_status,
        to_status=to_status,
        reason=reason,
    )
    structure.moderation_status = to_status
    structure.moderation_note = reason
    structure.save(update_fields=["moderation_status", "moderation_note"])
    return structure


def _set_zones(dispositif: Dispositif, zones: Iterable[tuple[str, str]]) -> None:
    clean = []
    for kind, code in zones:
        validate_zone(kind, code)
        clean.append((kind, "" if kind == ZoneKind.FRANCE else code))
    dispositif.zones.all().delete()
    Zone.objects.bulk_create(
        [Zone(dispositif=dispositif, kind=k, code=c) for k, c in dict.fromkeys(clean)]
    )


def _set_places(dispositif: Dispositif, places: Iterable[tuple[str, str, bool]]) -> None:
    dispositif.session_places.all().delete()
    rows = []
    for insee, label, illustrative in places:
        commune = Commune.objects.filter(insee=insee).first()
        if commune is None:
            raise ValidationError(
                _("Commune inconnue « %(insee)s » pour un lieu de session."),
                params={"insee": insee},
            )
        rows.append(
            SessionPlace(
                dispositif=dispositif, commune=commune, label=label, is_illustrative=illustrative
            )
        )
    SessionPlace.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def save_dispositif(
    *,
    acting_user,
    dispositif: Dispositif | None = None,
    zones: Iterable[tuple[str, str]] | None = None,
    session_places: Iterable[tuple[str, str, bool]] | None = None,
    co_operators: Iterable[Structure] | None = None,
    next_steps: Iterable[Dispositif] | None = None,
    **fields: Any,
) -> Dispositif:
    """Create or update a dispositif with its zones, places and links.

    `zones` are (kind, code) pairs; `session_places` (INSEE, label,
    illustrative) triples. Omitted collections are left unchanged.
    """
    _clean_dispositif(fields)
    if dispositif is None:
        dispositif = Dispositif(**fields)
    else:
        for key, value in fields.items():
            setattr(dispositif, key, value)
        dispositif.updated_at = timezone.now()
    _require_edit(acting_user, dispositif.structure)
    dispositif.full_clean(exclude=["origin"])
    dispositif.save()
    if zones is not None:
        _set_zones(dispositif, zones)
    if session_places is not None:
        _set_places(dispositif, session_places)
    if co_operators is not None:
        dispositif.co_operators.set(co_operators)
    if next_steps is not None:
        dispositif.next_steps.set(next_steps)
    return dispositif


@transaction.atomic
def copy_dispositif(
    *, acting_user, template: Dispositif, structure: Structure, ref: str, zones, session_places
) -> Dispositif:
    """Essaimage: another structure runs a template on its own territory."""
    if not template.is_template:
        raise ValidationError(_("Ce dispositif n'est pas proposé à l'essaimage."))
    fields = {
        f: getattr(template, f)
        for f in (
            "name",
            "description",
            "stages",
            "audiences",
            "sectors",
            "formats",
            "duration_weeks",
            "sessions_count",
            "cohort_size",
            "entry_criteria",
            "criteria_flags",
        )
    }
    copy = save_dispositif(
        acting_user=acting_user,
        structure=structure,
        ref=ref,
        zones=zones,
        session_places=session_places,
        **fields,
    )
    copy.origin = template
    copy.save(update_fields=["origin"])
    return copy
