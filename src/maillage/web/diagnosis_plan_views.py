"""Where to act: the optimisation job, its result, saved scenarios and their
comparison. Computing is open to anyone; saving needs an account."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.diagnosis import jobs, tasks
from maillage.diagnosis.models import Job, Scenario
from maillage.diagnosis.optimize import candidates_for
from maillage.diagnosis.territories import resolve
from maillage.offer.vocabulary import Stage

from . import diagnosis_maps as maps
from .diagnosis_forms import CANDIDATE_LABELS, MODEL_LABELS, PlanForm, ScenarioForm

# Beyond this many (commune, candidate) pairs the exact models would need
# gigabytes: better to say so before starting than to fail in the worker.
MAX_PAIRS = 25_000_000
TIME_LIMIT_SECONDS = 60


def start_plan(diagnosis: Job, form: PlanForm, user) -> Job | None:
    """The optimisation job, or None with the problem added to the form."""
    summary = diagnosis.result["summary"]
    territory = resolve(summary["territory"])
    try:
        candidates = candidates_for(territory, form.candidate_spec)
    except ValidationError as exc:
        form.add_error("file" if form.codes else "candidates", exc.messages[0])
        return None
    if not candidates.insee:
        form.add_error("candidates", _("Aucun lieu candidat de ce type dans ce territoire."))
        return None
    if len(candidates.insee) * len(territory.communes) > MAX_PAIRS:
        form.add_error(
            "candidates",
            _("Trop de lieux candidats pour ce territoire : choisissez un territoire plus petit."),
        )
        return None
    data = form.cleaned_data
    params = {
        "territory": summary["territory"],
        "stage": summary["stage"],
        "threshold": summary["threshold_minutes"],
        "model": data["model"],
        "k": data["k"],
        "candidates": form.candidate_spec,
        "candidate_label": str(CANDIDATE_LABELS[data["candidates"]]),
        "candidate_count": len(candidates.insee),
        "time_limit": TIME_LIMIT_SECONDS,
        "diagnosis_job": diagnosis.pk,
    }
    return jobs.start(
        "optimise", params, tasks.optimise_task, user if user.is_authenticated else None
    )


def optimality(plan: dict) -> str:
    """The proven quality of a solution, in plain French."""
    if plan["optimal"]:
        return _("Solution optimale prouvée.")
    gap = plan.get("gap")
    if gap is None or not math.isfinite(gap):
        return _("Solution trouvée dans le temps imparti, sans garantie d'optimalité.")
    return _("Solution à au plus %(g)s %% de l'optimum (écart prouvé par le calcul).") % {
        "g": number_format(gap * 100, decimal_pos=1)
    }


def objective(plan: dict, population: int | None) -> str:
    value = plan["objective"]
    model = plan["model"]
    if model == "mclp":
        return _("%(n)s habitants à moins de %(t)s min") % {
            "n": number_format(round(value), force_grouping=True),
            "t": f"{plan['threshold_minutes']:g}",
        }
    if model == "lscp":
        return _("%(n)d nouveau(x) site(s) suffisent à couvrir tout le territoire possible") % {
            "n": len(plan["selected"])
        }
    if model == "pmedian" and population:
        return _("trajet moyen de %(m)s min par habitant") % {
            "m": number_format(value / population, decimal_pos=1)
        }
    if model == "pcenter":
        return _("trajet le plus long : %(m)s min") % {"m": number_format(value, decimal_pos=1)}
    return number_format(value, decimal_pos=1)


def plan_summary(plan: dict, population: int | None = None) -> dict[str, object]:
    before, after = plan["population_covered_before"], plan["population_covered_after"]
    return {
        "model_label": MODEL_LABELS.get(plan["model"], plan["model"]),
        "stage_label": Stage(plan["stage"]).label if plan["stage"] in Stage.values else "",
        "optimality": optimality(plan),
        "objective": objective(plan, population),
        "newly_covered": after - before,
        "sites": len(plan["selected"]),
    }


def plan_result(request: HttpRequest, job: Job) -> HttpResponse:
    plan = job.result["plan"]
    diagnosis = Job.objects.filter(pk=job.params.get("diagnosis_job"), kind="diagnose").first()
    summary = (diagnosis.result or {}).get("summary") if diagnosis else None
    territory = resolve(plan["territory"])
    population = int(territory.communes.population.sum())
    shapes = dict(zip(territory.communes.insee.tolist(), territory.communes.geometry, strict=True))
    names = dict(zip(territory.communes.insee.tolist(), territory.communes.name, strict=True))
    pops = dict(
        zip(territory.communes.insee.tolist(), territory.communes.population.tolist(), strict=True)
    )
    threshold = plan["threshold_minutes"]
    newly = sorted(
        (
            {
                "insee": r["insee"],
                "name": names.get(r["insee"], r["insee"]),
                "population": pops.get(r["insee"], 0),
                "before": None if r["before"] >= maps.NO_SUPPORT_MINUTES else r["before"],
                "after": r["after"],
            }
            for r in job.result["communes"]
            if r["before"] > threshold >= r["after"]
        ),
        key=lambda r: -r["population"],
    )
    small = len(territory.communes) <= maps.MAP_MAX_COMMUNES
    before_map, after_map = maps.plan_maps(job.result, shapes) if small else (None, None)
    default_name = _("%(t)s — %(m)s, %(n)d site(s)") % {
        "t": territory.label,
        "m": MODEL_LABELS.get(plan["model"], plan["model"]),
        "n": len(plan["selected"]),
    }
    context = {
        "job": job,
        "plan": plan,
        "about": plan_summary(plan, population),
        "territory": territory,
        "population": population,
        "diagnosis": diagnosis,
        "summary": summary,
        "newly": newly,
        "before_map": before_map,
        "after_map": after_map,
        "legend": maps.legend(),
        "save_form": ScenarioForm(initial={"name": default_name[:150]}),
    }
    return render(request, "web/diagnosis/plan.html", context)


@login_required
@require_POST
def scenario_save(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk, kind="optimise", status=Job.Status.DONE)
    form = ScenarioForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez un nom au scénario."))
        return redirect("web:diagnosis-result", pk=job.pk)
    plan, params = job.result["plan"], job.params
    label = params.get("candidate_label") or plan["candidates"]
    Scenario.objects.create(
        name=form.cleaned_data["name"],
        territory=plan["territory"],
        stage=plan["stage"],
        threshold=plan["threshold_minutes"],
        model=plan["model"],
        k=plan["k"],
        candidates=f"{label} ({params.get('candidate_count', '?')})"[:200],
        result={**plan, "job": job.pk, "territory_label": resolve(plan["territory"]).label},
        created_by=request.user,
    )
    messages.success(request, _("Scénario enregistré."))
    return redirect("web:diagnosis-scenarios")


@login_required
def scenarios(request: HttpRequest) -> HttpResponse:
    mine = Scenario.objects.filter(created_by=request.user)
    chosen_ids = request.GET.getlist("comparer")
    compared = []
    error = None
    if chosen_ids:
        ids = [int(i) for i in chosen_ids if i.isdigit()]
        compared = list(mine.filter(pk__in=ids).order_by("created_at"))
        if not 2 <= len(compared) <= 3:
            error = _("Cochez deux ou trois scénarios à comparer.")
            compared = []
    rows = [{"scenario": s, "about": plan_summary(s.result)} for s in compared]
    context = {
        "scenarios": [{"scenario": s, "about": plan_summary(s.result)} for s in mine],
        "compared": rows,
        "chosen": {str(s.pk) for s in compared} or set(chosen_ids),
        "error": error,
    }
    return render(request, "web/diagnosis/scenarios.html", context)
