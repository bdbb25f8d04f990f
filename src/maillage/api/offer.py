"""The support offer as JSON: search by commune, published structures and dispositifs."""

from __future__ import annotations

import datetime as dt

from django.db.models import TextChoices
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from maillage.offer.models import Dispositif, Structure
from maillage.offer.search import OfferQuery, search_offer
from maillage.offer.vocabulary import Audience, Format, Sector, Stage
from maillage.offer.zones import zone_label
from maillage.territory.models import Commune

router = Router(tags=["offre"])


class ErrorOut(Schema):
    detail: str


class InvalidParameterOut(Schema):
    detail: str
    # The accepted values, when the parameter takes a vocabulary slug.
    allowed: list[str] | None = None


class OfferResultOut(Schema):
    dispositif_id: str
    name: str
    structures: list[str]
    stages: list[str]
    formats: list[str]
    travel_minutes: float | None
    zone_match: str
    reasons: list[str]


class OfferSearchOut(Schema):
    results: list[OfferResultOut]
    empty_because: str | None
    message: str | None


class SearchParams(Schema):
    commune: str
    stage: str | None = None
    audience: str | None = None
    sector: str | None = None
    format: str | None = None
    # A string, so that an empty "max_minutes=" means "no limit".
    max_minutes: str | None = None


_VOCABULARIES: dict[str, tuple[type[TextChoices], str]] = {
    "stage": (Stage, "Étape inconnue"),
    "audience": (Audience, "Public inconnu"),
    "sector": (Sector, "Secteur inconnu"),
    "format": (Format, "Format inconnu"),
}


def _error(status: int, detail: str, allowed: list[str] | None = None) -> JsonResponse:
    # A plain response (documented by ErrorOut / InvalidParameterOut) works
    # with every django-ninja version the project accepts.
    body: dict[str, object] = {"detail": detail}
    if allowed is not None:
        body["allowed"] = allowed
    return JsonResponse(body, status=status)


def _minutes(raw: str | None) -> float | None:
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    minutes = float(text)
    if not 1 <= minutes <= 24 * 60:
        raise ValueError(raw)
    return minutes


@router.get(
    "/search",
    response={200: OfferSearchOut, 404: ErrorOut, 422: InvalidParameterOut},
    summary="Dispositifs qui couvrent une commune",
    url_name="offer-search",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    filters: dict[str, object] = {}
    for name, (choices, unknown) in _VOCABULARIES.items():
        value = (getattr(params, name) or "").strip()
        if value and value not in choices.values:
            allowed = list(choices.values)
            detail = f"{unknown} « {value} » (paramètre {name}). Valeurs possibles : " + ", ".join(
                allowed
            )
            return _error(422, detail, allowed)
        filters[name] = value or None
    try:
        filters["max_minutes"] = _minutes(params.max_minutes)
    except ValueError:
        return _error(
            422, "Le paramètre max_minutes doit être un nombre de minutes entre 1 et 1440."
        )
    commune = (
        Commune.objects.active()
        .select_related("departement__region", "epci")
        .filter(insee=params.commune.strip().upper())
        .first()
    )
    if commune is None:
        return _error(404, f"Commune inconnue : aucun code INSEE « {params.commune} ».")
    outcome = search_offer(OfferQuery(commune=commune, **filters))  # type: ignore[arg-type]
    return {
        "results": [r.as_dict() for r in outcome.results],
        "empty_because": outcome.empty_because,
        "message": outcome.message,
    }


class Link(Schema):
    ref: str
    name: str


class ZoneOut(Schema):
    kind: str
    code: str
    label: str


class CommuneRef(Schema):
    insee: str
    name: str


class PlaceOut(CommuneRef):
    label: str


class DispositifOut(Schema):
    ref: str
    name: str
    url: str
    description: str
    structure: Link
    co_operators: list[Link]
    stages: list[str]
    audiences: list[str]
    sectors: list[str]
    formats: list[str]
    criteria: list[str]
    entry_criteria: str
    zones: list[ZoneOut]
    session_places: list[PlaceOut]
    duration_weeks: float | None
    sessions_count: int | None
    cohort_size: int | None
    fee_eur: float | None
    fee_note: str
    how_to_apply: str
    apply_url: str
    next_edition_start: dt.date | None
    application_deadline: dt.date | None
    next_steps: list[Link]
    origin: Link | None
    is_template: bool
    updated_at: dt.datetime
    is_stale: bool


class StructureOut(Schema):
    ref: str
    name: str
    url: str
    kinds: list[str]
    legal_form: str
    siret: str
    rna: str
    commune: CommuneRef
    address: str
    website: str
    email: str
    phone: str
    networks: list[str]
    description: str
    dispositifs: list[Link]
    antennas: list[PlaceOut]
    updated_at: dt.datetime
    is_stale: bool


def _link(obj: Structure | Dispositif) -> dict[str, str]:
    return {"ref": obj.ref, "name": obj.name}


@router.get(
    "/dispositifs/{ref}",
    response={200: DispositifOut, 404: ErrorOut},
    summary="Un dispositif publié",
    url_name="offer-dispositif",
)
def dispositif(request: HttpRequest, ref: str):
    d = (
        Dispositif.objects.published()
        .select_related("structure", "origin__structure")
        .filter(ref=ref)
        .first()
    )
    if d is None:
        raise HttpError(404, f"Aucun dispositif publié n'a l'identifiant « {ref} ».")
    published = Dispositif.objects.published()
    origin = d.origin if d.origin and published.filter(pk=d.origin.pk).exists() else None
    return {
        "ref": d.ref,
        "name": d.name,
        "url": request.build_absolute_uri(reverse("web:dispositif-detail", kwargs={"ref": d.ref})),
        "description": d.description,
        "structure": _link(d.structure),
        "co_operators": [_link(s) for s in d.co_operators.published()],
        "stages": d.stages,
        "audiences": d.audiences,
        "sectors": d.sectors,
        "formats": d.formats,
        "criteria": d.criteria_flags,
        "entry_criteria": d.entry_criteria,
        "zones": [
            {"kind": z.kind, "code": z.code, "label": zone_label(z.kind, z.code)}
            for z in d.zones.order_by("kind", "code")
        ],
        "session_places": [
            {"insee": p.commune.insee, "name": p.commune.name, "label": p.label}
            for p in d.session_places.select_related("commune")
        ],
        "duration_weeks": d.duration_weeks,
        "sessions_count": d.sessions_count,
        "cohort_size": d.cohort_size,
        "fee_eur": None if d.fee_eur is None else float(d.fee_eur),
        "fee_note": d.fee_note,
        "how_to_apply": d.how_to_apply,
        "apply_url": d.apply_url,
        "next_edition_start": d.next_edition_start,
        "application_deadline": d.application_deadline,
        "next_steps": [_link(n) for n in d.next_steps.published()],
        "origin": _link(origin) if origin else None,
        "is_template": d.is_template,
        "updated_at": d.updated_at,
        "is_stale": d.is_stale,
    }


@router.get(
    "/structures/{ref}",
    response={200: StructureOut, 404: ErrorOut},
    summary="Une structure publiée",
    url_name="offer-structure",
)
def structure(request: HttpRequest, ref: str):
    s = Structure.objects.published().select_related("commune").filter(ref=ref).first()
    if s is None:
        raise HttpError(404, f"Aucune structure publiée n'a l'identifiant « {ref} ».")
    return {
        "ref": s.ref,
        "name": s.name,
        "url": request.build_absolute_uri(reverse("web:structure-detail", kwargs={"ref": s.ref})),
        "kinds": s.kinds,
        "legal_form": s.legal_form,
        "siret": s.siret,
        "rna": s.rna,
        "commune": {"insee": s.commune.insee, "name": s.commune.name},
        "address": s.address,
        "website": s.website,
        "email": s.email,
        "phone": s.phone,
        "networks": s.networks,
        "description": s.description,
        "dispositifs": [_link(d) for d in s.dispositifs.all()],
        "antennas": [
            {"insee": a.commune.insee, "name": a.commune.name, "label": a.label}
            for a in s.antennas.select_related("commune")
        ],
        "updated_at": s.updated_at,
        "is_stale": s.is_stale,
    }
