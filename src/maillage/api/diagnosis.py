"""Territorial diagnosis as JSON: the numbers of `maillage diagnose --json`.

Synchronous: a département answers in well under a second, a région or the
whole of France in a few seconds (the web pages run the same computation as
a background job instead).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema

from maillage.diagnosis.report import diagnose
from maillage.diagnosis.territories import resolve
from maillage.offer.vocabulary import PATHWAY, Stage
from maillage.territory.models import EPCI
from maillage.territory.search import normalize

router = Router(tags=["diagnostic"])

MIN_THRESHOLD, MAX_THRESHOLD = 1.0, 240.0


class ErrorOut(Schema):
    detail: str
    allowed: list[str] | None = None


class DiagnosisParams(Schema):
    # Optional here so that a missing one gets a French message too.
    territory: str | None = None
    stage: str | None = None
    # A string, so that "30,5" or "abc" get a French message, not a schema error.
    threshold: str | None = None


def _error(detail: str, allowed: list[str] | None = None) -> JsonResponse:
    body: dict[str, object] = {"detail": detail}
    if allowed is not None:
        body["allowed"] = allowed
    return JsonResponse(body, status=422)


@router.get(
    "",
    response={200: dict | list[dict], 422: ErrorOut},
    summary="Diagnostic de couverture d'un territoire",
    description=(
        "Pour chaque commune du territoire, le temps de trajet vers le lieu de session le "
        "plus proche d'un dispositif qui la couvre à l'étape demandée ; les communes au-delà "
        "du seuil, par niveau de densité ; les ruptures de parcours ; la demande non "
        "satisfaite. Mêmes chiffres que `maillage diagnose --json`. `territory` : "
        "departement:23, region:75, epci:SIREN, communes:23096,23008 ou france. Sans "
        "`stage`, une liste : une entrée par étape du parcours. Le calcul est fait pendant "
        "la requête : quelques secondes pour une grande région ou la France entière."
    ),
    url_name="diagnosis",
)
def diagnosis(request: HttpRequest, params: Query[DiagnosisParams]):
    if not (params.territory or "").strip():
        return _error(
            "Le paramètre territory est obligatoire : departement:23, region:75, epci:SIREN, "
            "communes:23096,23008 ou france."
        )
    stage = (params.stage or "").strip()
    if stage and stage not in Stage.values:
        allowed = list(Stage.values)
        return _error(
            f"Étape inconnue « {stage} » (paramètre stage). Valeurs possibles : "
            + ", ".join(allowed),
            allowed,
        )
    text = (params.threshold or "30").strip().replace(",", ".")
    try:
        threshold = float(text)
    except ValueError:
        threshold = float("nan")
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        return _error(
            "Le paramètre threshold doit être un nombre de minutes entre "
            f"{MIN_THRESHOLD:g} et {MAX_THRESHOLD:g}."
        )
    try:
        territory = resolve(params.territory)
    except ValidationError as exc:
        return _error(exc.messages[0])
    if not len(territory.communes):
        return _error(f"Le référentiel ne contient aucune commune de « {territory.spec} ».")
    stages = [stage] if stage else [s.value for s in PATHWAY]
    results = [diagnose(territory, s, threshold).as_dict() for s in stages]
    return results[0] if stage else results


class EpciOut(Schema):
    siren: str
    name: str


@router.get(
    "/epci",
    response=list[EpciOut],
    summary="Chercher une intercommunalité (nom ou SIREN)",
    url_name="diagnosis-epci",
)
def epci(request: HttpRequest, q: str = "", limit: int = 10) -> list[dict[str, str]]:
    limit = max(1, min(limit, 50))
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) == 9:
        return list(EPCI.objects.filter(siren=digits).values("siren", "name"))
    wanted = normalize(q)
    if len(wanted) < 2:
        return []
    found = [
        {"siren": siren, "name": name}
        for siren, name in EPCI.objects.order_by("name").values_list("siren", "name")
        if wanted in normalize(name)
    ]
    return found[:limit]
