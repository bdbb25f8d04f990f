"""The recommendation engine as JSON: same answer as `maillage orient --json`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from maillage.offer.vocabulary import Audience, Sector, Stage
from maillage.orientation.recommend import audiences_for, recommend
from maillage.territory.models import Commune

router = Router(tags=["orientation"])


class RecommendationOut(Schema):
    dispositif_id: str
    name: str
    structures: list[str]
    score: float
    travel_minutes: float | None
    reasons: list[str]
    warnings: list[str]


class ExcludedOut(Schema):
    dispositif_id: str
    name: str
    why: str


class OrientOut(Schema):
    recommendations: list[RecommendationOut]
    unmet: bool
    empty_because: str | None
    message: str | None
    excluded: list[ExcludedOut]


class OrientParams(Schema):
    commune: str
    stage: str
    audience: str | None = None
    sector: str | None = None
    max_minutes: int | None = None
    collective: bool = False


@router.get("", response=OrientOut, summary="Recommander des dispositifs", url_name="orient")
def orient(request: HttpRequest, params: Query[OrientParams]) -> dict[str, object]:
    commune = Commune.objects.active().filter(insee=params.commune.upper()).first()
    if commune is None:
        raise HttpError(404, f"Commune inconnue : {params.commune}")
    for value, choices, what in (
        (params.stage, Stage, "Étape"),
        (params.audience, Audience, "Public"),
        (params.sector, Sector, "Secteur"),
    ):
        if value and value not in choices.values:
            allowed = ", ".join(choices.values)
            raise HttpError(422, f"{what} inconnu(e) « {value} ». Valeurs possibles : {allowed}")
    audiences = (
        frozenset({params.audience}) if params.audience else audiences_for([], params.collective)
    )
    result = recommend(
        commune=commune,
        stage=params.stage,
        audiences=audiences,
        collective=params.collective,
        sector=params.sector,
        max_minutes=params.max_minutes,
        source="api",
    )
    return result.as_dict()
