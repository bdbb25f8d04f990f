"""Territorial diagnosis pages: the form, the job's progress, the result
(headline, choropleth, accessible table, rurality, chain gaps), the print
SVG and the exports.

Public: the diagnosis describes the published offer. Computing runs as a
background job (`diagnosis.jobs`) so that a large territory never blocks a
page; the result page polls the job, or refreshes itself without JavaScript.
"""

from __future__ import annotations

import importlib

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.diagnosis import exports, jobs, tasks
from maillage.diagnosis.jobs import Progress
from maillage.diagnosis.models import Job
from maillage.diagnosis.report import diagnose
from maillage.diagnosis.territories import resolve
from maillage.offer.vocabulary import PATHWAY, Stage

from . import diagnosis_maps as maps
from .diagnosis_forms import DiagnosisForm, PlanForm, fields_for_spec

FINISHED = (Job.Status.DONE, Job.Status.FAILED)
# What diagnosis.optimize imports from the engine.
ENGINE_MODELS = ("lscp", "mclp", "p_center", "p_median")


def engine_ready() -> bool:
    """The location engine (maillage.geo.location) is being written: until it
    provides every model, "where to act" says so instead of failing."""
    try:
        module = importlib.import_module("maillage.geo.location")
    except ImportError:
        return False
    return all(hasattr(module, name) for name in ENGINE_MODELS)


def diagnose_all_task(params: dict, progress: Progress) -> dict:
    """Every stage of the pathway: what `maillage diagnose` prints without --stage."""
    progress(5, _("Lecture du territoire…"))
    territory = resolve(params["territory"])
    results = []
    for i, stage in enumerate(PATHWAY):
        progress(10 + 85 * i // len(PATHWAY), _("Étape « %(s)s »…") % {"s": stage.label})
        results.append(diagnose(territory, stage.value, float(params["threshold"])).as_dict())
    return {"stages": results}


def start_diagnosis(params: dict, user) -> Job:
    work = tasks.diagnose_task if params.get("stage") else diagnose_all_task
    return jobs.start("diagnose", params, work, user if user.is_authenticated else None)


def diagnosis(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = DiagnosisForm(request.POST)
        if form.is_valid():
            job = start_diagnosis(form.params(), request.user)
            return redirect("web:diagnosis-result", pk=job.pk)
    else:
        initial = fields_for_spec(request.GET.get("territoire", ""))
        if request.GET.get("etape") in Stage.values:
            initial["stage"] = request.GET["etape"]
        form = DiagnosisForm(initial=initial)
    return render(request, "web/diagnosis/form.html", {"form": form})


def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(Job, pk=pk)
    return JsonResponse(
        {
            "id": job.pk,
            "kind": job.kind,
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "message": job.message,
            "done": job.status in FINISHED,
            "url": reverse("web:diagnosis-result", kwargs={"pk": job.pk}),
        }
    )


def _stage_label(stage: str | None) -> str:
    return str(Stage(stage).label) if stage in Stage.values else _("toutes les étapes")


def table_rows(result: dict) -> list[dict[str, object]]:
    summary = result["summary"]
    levels = {int(k): v["label"] for k, v in summary["by_rurality"].items()}
    rows = []
    for r in result["communes"]:
        key = exports.minute_class(r["minutes"], r["beyond"], summary["threshold_minutes"])
        rows.append(
            {
                **r,
                "rurality_label": levels.get(r["rurality"], ""),
                "cls": key,
                "cls_label": exports.CLASS_LABELS[key],
                "colour": exports.CLASS_COLOURS[key],
            }
        )
    rows.sort(key=lambda r: (r["name"].casefold(), r["insee"]))
    return rows


def class_counts(rows: list[dict]) -> list[dict[str, object]]:
    """The legend, with how many communes and inhabitants each class holds."""
    legend = maps.legend()
    for item in legend:
        members = [r for r in rows if r["cls"] == item["key"]]
        item.update(communes=len(members), population=sum(r["population"] for r in members))
    return legend


def result_context(request: HttpRequest, job: Job, plan_form: PlanForm | None = None) -> dict:
    result = job.result or {}
    context: dict[str, object] = {"job": job, "rerun": fields_for_spec(job.params["territory"])}
    if "stages" in result:
        stages = result["stages"]
        rows = []
        for stage in stages:
            pct = exports.share(stage["population_beyond"], stage["population"])
            rows.append(
                {
                    **stage,
                    "share": pct,
                    "share_css": f"{pct:.1f}",
                    "unmet_total": sum(stage["unmet_demand"].values()),
                }
            )
        context.update(rows=rows, first=stages[0] if stages else None)
        return context
    summary = result["summary"]
    small = summary["communes"] <= maps.MAP_MAX_COMMUNES
    rows = table_rows(result) if small else None
    gaps = summary["chain_gaps"]
    context.update(
        summary=summary,
        headline=maps.headline(summary),
        legend=class_counts(rows) if rows else maps.legend(),
        map_data=maps.diagnosis_map(result, maps.geometries(summary["territory"]))
        if small
        else None,
        rows=rows,
        rurality=exports.rurality_rows(summary),
        chart=maps.rurality_chart(summary),
        next_stage_label=_stage_label(gaps["next_stage"]) if gaps["next_stage"] else None,
        gap_names=[r["name"] for r in rows or [] if r["chain_gap"]],
        unmet=[
            {"reason": exports.UNMET_REASONS.get(k, k), "count": v}
            for k, v in sorted(summary["unmet_demand"].items(), key=lambda kv: -kv[1])
        ],
        unmet_total=sum(summary["unmet_demand"].values()),
        plan_form=plan_form or PlanForm(),
        engine_ready=engine_ready(),
    )
    return context


def result(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    if job.status not in FINISHED:
        return render(request, "web/diagnosis/progress.html", {"job": job})
    if job.status == Job.Status.FAILED:
        return render(request, "web/diagnosis/failed.html", {"job": job})
    if job.kind == "optimise":
        from .diagnosis_plan_views import plan_result

        return plan_result(request, job)
    template = "stages" if "stages" in (job.result or {}) else "result"
    return render(request, f"web/diagnosis/{template}.html", result_context(request, job))


def _done(pk: int, kind: str = "diagnose") -> Job:
    job = get_object_or_404(Job, pk=pk, kind=kind)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404(_("Ce calcul n'est pas terminé."))
    return job


def map_svg(request: HttpRequest, pk: int, after: bool = False) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    if job.status != Job.Status.DONE or not job.result or "stages" in job.result:
        raise Http404
    if job.kind == "optimise":
        plan = job.result["plan"]
        shapes = maps.geometries(plan["territory"])
        if len(shapes) > maps.MAP_MAX_COMMUNES:
            raise Http404(_("Territoire trop grand pour une carte : utilisez les exports."))
        before, later = maps.plan_maps(job.result, shapes)
        collection = later if after else before
        label = resolve(plan["territory"]).label
        title = (_("%(t)s — après les nouveaux sites") if after else _("%(t)s — aujourd'hui")) % {
            "t": label
        }
        subtitle = _("Temps de trajet vers l'accompagnement « %(s)s »") % {
            "s": _stage_label(plan["stage"])
        }
    else:
        summary = job.result["summary"]
        if summary["communes"] > maps.MAP_MAX_COMMUNES:
            raise Http404(_("Territoire trop grand pour une carte : utilisez les exports."))
        collection = maps.diagnosis_map(job.result, maps.geometries(summary["territory"]))[
            "features"
        ]
        title = _("%(t)s — temps de trajet vers un accompagnement") % {
            "t": summary["territory_label"]
        }
        subtitle = _("Étape « %(s)s », seuil de %(m)s min") % {
            "s": summary["stage_label"],
            "m": f"{summary['threshold_minutes']:g}",
        }
    if job.kind == "optimise":
        collection = collection["features"]
    drawn = maps.svg_map(collection, title, subtitle)
    if drawn is None:
        raise Http404
    return render(request, "web/diagnosis/map.svg", {"map": drawn}, content_type="image/svg+xml")


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    job = _done(pk)
    content, content_type = exports.export(job.result, fmt)
    params = job.params
    name = slugify(
        f"diagnostic {params['territory'].replace(':', ' ')} "
        f"{params.get('stage') or 'toutes-etapes'} {params['threshold']}min"
    )[:120]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Where to act: an optimisation job from a finished diagnosis."""
    from .diagnosis_plan_views import start_plan

    job = _done(pk)
    if "summary" not in job.result:
        raise Http404
    form = PlanForm(request.POST, request.FILES)
    if form.is_valid() and engine_ready():
        started = start_plan(job, form, request.user)
        if started is not None:
            return redirect("web:diagnosis-result", pk=started.pk)
    context = result_context(request, job, plan_form=form)
    return render(request, "web/diagnosis/result.html", context, status=422)
