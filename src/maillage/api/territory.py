"""Commune search and detail, behind the autocomplete widget."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from maillage.territory.models import Commune
from maillage.territory.search import search_communes

router = Router(tags=["communes"])


class CommuneOut(Schema):
    insee: str
    name: str
    departement: str
    postal_codes: list[str]
    population: int | None


class CommuneDetailOut(CommuneOut):
    epci: str | None
    latitude: float | None
    longitude: float | None
    area_km2: float | None
    density: float | None
    rurality: int | None
    rurality_label: str
    rurality_is_estimate: bool
    cog_year: int


class SearchParams(Schema):
    q: str
    limit: int = 10


@router.get(
    "", response=list[CommuneOut], summary="Chercher une commune", url_name="commune-search"
)
def search(request: HttpRequest, params: Query[SearchParams]) -> list[dict[str, object]]:
    if not 1 <= params.limit <= 50:
        raise HttpError(422, "Le paramètre limit doit être compris entre 1 et 50.")
    return [hit.as_dict() for hit in search_communes(params.q, params.limit)]


@router.get("/{insee}", response=CommuneDetailOut, summary="Une commune", url_name="commune-detail")
def detail(request: HttpRequest, insee: str) -> dict[str, object]:
    c = get_object_or_404(
        Commune.objects.active().select_related("departement", "epci"), insee=insee.upper()
    )
    return {
        "insee": c.insee,
        "name": c.name,
        "departement": c.departement.code,
        "postal_codes": c.postal_codes,
        "population": c.population,
        "epci": c.epci.name if c.epci else None,
        "latitude": c.latitude,
        "longitude": c.longitude,
        "area_km2": c.area_km2,
        "density": c.density,
        "rurality": c.rurality,
        "rurality_label": c.get_rurality_display(),
        "rurality_is_estimate": c.rurality_is_estimate,
        "cog_year": c.cog_year,
    }
