"""The work behind background jobs: plain functions of JSON parameters."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .jobs import Progress
from .optimize import candidates_for, optimise
from .report import diagnose
from .territories import resolve


def diagnose_task(params: dict, progress: Progress) -> dict:
    progress(10, _("Lecture du territoire…"))
    territory = resolve(params["territory"])
    progress(40, _("Temps de trajet vers l'offre existante…"))
    diagnosis = diagnose(territory, params["stage"], float(params["threshold"]))
    progress(90, _("Mise en forme…"))
    return {"summary": diagnosis.as_dict(), "communes": diagnosis.commune_rows()}


def optimise_task(params: dict, progress: Progress) -> dict:
    progress(10, _("Lecture du territoire et des lieux candidats…"))
    territory = resolve(params["territory"])
    candidates = candidates_for(territory, params["candidates"])
    progress(30, _("Recherche des meilleurs lieux (résolution exacte)…"))
    plan = optimise(
        territory,
        params["stage"],
        params["model"],
        threshold=float(params["threshold"]),
        k=params.get("k"),
        candidates=candidates,
        time_limit=float(params.get("time_limit", 60)),
    )
    progress(90, _("Mise en forme…"))
    rows = [
        {
            "insee": territory.communes.insee[i],
            "before": float(plan.before[i]),
            "after": float(plan.after[i]),
        }
        for i in range(len(territory.communes))
    ]
    return {"plan": plan.as_dict(), "communes": rows}
