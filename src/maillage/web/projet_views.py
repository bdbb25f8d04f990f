"""A porteur's projects: creation and editing, stage, enrolment, exit, and
the recommendations page from which an orientation is sent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.offer.models import Dispositif
from maillage.offer.vocabulary import Sector, Stage, labels
from maillage.orientation import actions
from maillage.orientation.models import Projet
from maillage.orientation.permissions import can_edit_porteur
from maillage.orientation.recommend import recommend_for_projet
from maillage.orientation.vocabulary import Need

from .offer_edit_views import add_action_errors
from .orientation_forms import SendOrientationForm
from .orientation_lookups import (
    answered_refs,
    dispositif_choices,
    editable_porteur,
    my_organisations,
    posted,
    require_edit,
    visible_projet,
)
from .porteur_forms import EnrolmentForm, ExitForm, ProjetForm, StageForm


def _editable_projet(request: HttpRequest, pk: int) -> Projet:
    projet = visible_projet(request.user, pk)
    require_edit(request.user, projet.porteur)
    return projet


@transaction.atomic
@login_required
def projet_create(request: HttpRequest, pk: int) -> HttpResponse:
    porteur = editable_porteur(request.user, pk)
    form = ProjetForm(posted(request), initial={"is_collective": porteur.is_collective})
    if request.method == "POST" and form.is_valid():
        try:
            projet = actions.create_projet(
                acting_user=request.user, porteur=porteur, **form.save_kwargs()
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Le projet « %s » est enregistré.") % projet.title)
            return redirect("web:projet-detail", pk=projet.pk)
    return render(request, "web/orientation/projet_form.html", {"form": form, "porteur": porteur})


@login_required
def projet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    projet = _editable_projet(request, pk)
    form = ProjetForm(posted(request), initial=ProjetForm.initial_for(projet))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_projet(acting_user=request.user, projet=projet, **form.save_kwargs())
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Le projet « %s » est enregistré.") % projet.title)
            return redirect("web:projet-detail", pk=projet.pk)
    context = {"form": form, "porteur": projet.porteur, "projet": projet}
    return render(request, "web/orientation/projet_form.html", context)


def _projet_page(request, projet: Projet, stage_form=None, status=200) -> HttpResponse:
    can_edit = can_edit_porteur(request.user, projet.porteur)
    context = {
        "projet": projet,
        "porteur": projet.porteur,
        "can_edit": can_edit,
        "stage_label": Stage(projet.stage).label if projet.stage in Stage.values else "",
        "sector_label": labels(Sector, [projet.sector])[0] if projet.sector else "",
        "needs": labels(Need, projet.needs),
        "communes": projet.communes.all(),
        "orientations": projet.orientations.select_related("dispositif__structure"),
        "events": projet.timelineevent_set.select_related("structure", "dispositif"),
        "stage_form": stage_form
        or (StageForm(initial={"stage": projet.stage}) if can_edit else None),
    }
    return render(request, "web/orientation/projet_detail.html", context, status=status)


@login_required
def projet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _projet_page(request, visible_projet(request.user, pk))


@login_required
@require_POST
def projet_stage(request: HttpRequest, pk: int) -> HttpResponse:
    projet = _editable_projet(request, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _projet_page(request, projet, stage_form=form, status=400)
    if form.cleaned_data["stage"] != projet.stage:
        actions.change_stage(
            acting_user=request.user, projet=projet, stage=form.cleaned_data["stage"]
        )
        messages.success(request, _("Nouvelle étape enregistrée."))
    return redirect("web:projet-detail", pk=projet.pk)


@login_required
def projet_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    projet = _editable_projet(request, pk)
    form = EnrolmentForm(posted(request), dispositifs=dispositif_choices())
    if request.method == "POST" and form.is_valid():
        dispositif = form.cleaned_data["dispositif"]
        actions.record_enrolment(acting_user=request.user, projet=projet, dispositif=dispositif)
        messages.success(request, _("L'entrée dans « %s » est enregistrée.") % dispositif.name)
        return redirect("web:projet-detail", pk=projet.pk)
    context = {"form": form, "projet": projet, "porteur": projet.porteur}
    return render(request, "web/orientation/enrolment_form.html", context)


@login_required
def projet_exit(request: HttpRequest, pk: int) -> HttpResponse:
    projet = _editable_projet(request, pk)
    form = ExitForm(posted(request), dispositifs=dispositif_choices())
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_exit(acting_user=request.user, projet=projet, **form.cleaned_data)
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("La sortie est enregistrée."))
            return redirect("web:projet-detail", pk=projet.pk)
    context = {"form": form, "projet": projet, "porteur": projet.porteur}
    return render(request, "web/orientation/exit_form.html", context)


# --- Recommendations and sending ----------------------------------------------------


def present(recommendations, latest=None) -> list[dict[str, object]]:
    latest = latest or {}
    return [
        {
            "rec": r,
            "minutes": None if r.travel_minutes is None else round(r.travel_minutes),
            "score": round(r.score),
            "orientation": latest.get(r.dispositif_id),
        }
        for r in recommendations
    ]


@login_required
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    projet = visible_projet(request.user, pk)
    result = recommend_for_projet(projet)
    context = {
        "projet": projet,
        "porteur": projet.porteur,
        "can_edit": can_edit_porteur(request.user, projet.porteur),
        "result": result,
        "rows": present(result.recommendations, answered_refs(projet)),
        "stage_label": Stage(projet.stage).label if projet.stage in Stage.values else "",
    }
    return render(request, "web/orientation/recommendations.html", context)


@login_required
def orientation_send(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    projet = _editable_projet(request, pk)
    porteur = projet.porteur
    dispositif = get_object_or_404(
        Dispositif.objects.published().select_related("structure"), ref=ref
    )
    form = SendOrientationForm(posted(request), organisations=my_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            orientation = actions.send_orientation(
                acting_user=request.user, projet=projet, dispositif=dispositif, **form.cleaned_data
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "L'orientation vers « %s » est envoyée. La structure a reçu par e-mail un "
                    "lien pour répondre, même sans compte."
                )
                % dispositif.name,
            )
            return redirect("web:orientation-detail", pk=orientation.pk)
    matching = [
        r
        for r in recommend_for_projet(projet, record=False).recommendations
        if r.dispositif_id == dispositif.ref
    ]
    context = {
        "form": form,
        "projet": projet,
        "porteur": porteur,
        "dispositif": dispositif,
        "row": present(matching)[0] if matching else None,
        "open": projet.orientations.open().filter(dispositif=dispositif).first(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/orientation/send_form.html", context, status=status)
