"""Pages of structure staff and of the platform's moderators.

Every write goes through `maillage.offer.actions`, which checks permissions
again and takes the decisions (e.g. whether a new structure is published at
once or waits for moderation); these views only check who may see a form,
and turn the actions' errors into form errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.accounts.models import Organisation
from maillage.accounts.permissions import is_platform_staff
from maillage.offer.actions import moderate_structure, save_dispositif, save_structure
from maillage.offer.models import STALE_AFTER, Dispositif, Structure
from maillage.offer.permissions import can_edit_structure, can_moderate
from maillage.offer.vocabulary import StructureKind, labels

from .offer_forms import DispositifForm, RefusalForm, StructureForm

Moderation = Structure.Moderation


def add_action_errors(form: Form, error: ValidationError) -> None:
    """Attach an action's errors to the form fields they name, if it has them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _editable_structure(request: HttpRequest, ref: str) -> Structure:
    structure = get_object_or_404(Structure.objects.select_related("commune"), ref=ref)
    if not can_edit_structure(request.user, structure):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette structure."))
    return structure


def _organisations(user, current: int | None = None) -> tuple[QuerySet[Organisation], bool]:
    """Organisations a structure may be attached to, and whether one is required."""
    if is_platform_staff(user):
        return Organisation.objects.all(), False
    mine = Q(pk__in=Organisation.objects.for_user(user).values("pk"))
    if current is not None:
        mine |= Q(pk=current)
    return Organisation.objects.filter(mine), True


# --- Mes structures ----------------------------------------------------------------


@login_required
def my_structures(request: HttpRequest) -> HttpResponse:
    stale_before = timezone.now() - STALE_AFTER
    structures = (
        Structure.objects.editable_by(request.user)
        .select_related("commune")
        .annotate(
            dispositif_count=Count("dispositifs", distinct=True),
            stale_dispositif_count=Count(
                "dispositifs", filter=Q(dispositifs__updated_at__lt=stale_before), distinct=True
            ),
        )
        .order_by("name")
    )
    context = {
        "structures": structures,
        "has_organisation": Organisation.objects.for_user(request.user).exists()
        or is_platform_staff(request.user),
    }
    return render(request, "web/offer/my_structures.html", context)


# --- Structures ----------------------------------------------------------------------


@login_required
def structure_create(request: HttpRequest) -> HttpResponse:
    organisations, required = _organisations(request.user)
    form = StructureForm(
        request.POST or None, organisations=organisations, organisation_required=required
    )
    if request.method == "POST" and form.is_valid():
        try:
            structure = save_structure(acting_user=request.user, **form.fields_for_save())
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            if structure.moderation_status == Moderation.PUBLISHED:
                messages.success(request, _("La structure « %s » est publiée.") % structure.name)
            else:
                messages.success(
                    request,
                    _(
                        "La structure « %s » est enregistrée. Elle sera visible de tous "
                        "après relecture par l'équipe de la plateforme."
                    )
                    % structure.name,
                )
            return redirect("web:structure-detail", ref=structure.ref)
    context = {"form": form, "no_organisation": required and not organisations.exists()}
    return render(request, "web/offer/structure_form.html", context)


@login_required
def structure_edit(request: HttpRequest, ref: str) -> HttpResponse:
    structure = _editable_structure(request, ref)
    organisations, required = _organisations(request.user, structure.organisation_id)
    form = StructureForm(
        request.POST or None,
        initial=StructureForm.initial_for(structure),
        organisations=organisations,
        organisation_required=required,
        structure=structure,
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_structure(acting_user=request.user, structure=structure, **form.fields_for_save())
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("La fiche « %s » est enregistrée.") % structure.name)
            return redirect("web:structure-detail", ref=structure.ref)
    return render(request, "web/offer/structure_form.html", {"form": form, "structure": structure})


@login_required
@require_POST
def structure_resubmit(request: HttpRequest, ref: str) -> HttpResponse:
    structure = get_object_or_404(Structure, ref=ref)
    try:
        moderate_structure(
            acting_user=request.user, structure=structure, to_status=Moderation.PENDING
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("La fiche est de nouveau soumise à la modération."))
    return redirect("web:structure-detail", ref=structure.ref)


# --- Dispositifs ---------------------------------------------------------------------


def _dispositif_form_page(
    request: HttpRequest, structure: Structure, dispositif: Dispositif | None
) -> HttpResponse:
    form = DispositifForm(
        request.POST or None,
        initial=DispositifForm.initial_for(dispositif) if dispositif else None,
        structure=structure,
        dispositif=dispositif,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_dispositif(
                acting_user=request.user, dispositif=dispositif, **form.save_kwargs()
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            message = _("Le dispositif « %s » est enregistré.") % saved.name
            if structure.moderation_status != Moderation.PUBLISHED:
                message += " " + _("Il sera visible de tous quand la structure sera publiée.")
            messages.success(request, message)
            return redirect("web:dispositif-detail", ref=saved.ref)
    context = {"form": form, "structure": structure, "dispositif": dispositif}
    return render(request, "web/offer/dispositif_form.html", context)


@login_required
def dispositif_create(request: HttpRequest, ref: str) -> HttpResponse:
    return _dispositif_form_page(request, _editable_structure(request, ref), None)


@login_required
def dispositif_edit(request: HttpRequest, ref: str) -> HttpResponse:
    dispositif = get_object_or_404(Dispositif.objects.select_related("structure"), ref=ref)
    if not can_edit_structure(request.user, dispositif.structure):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce dispositif."))
    return _dispositif_form_page(request, dispositif.structure, dispositif)


# --- Moderation ----------------------------------------------------------------------


def _require_moderator(request: HttpRequest) -> None:
    if not can_moderate(request.user):
        raise PermissionDenied(_("La modération est réservée à l'équipe de la plateforme."))


def _moderation_page(
    request: HttpRequest, failed: tuple[str, RefusalForm] | None = None, status: int = 200
) -> HttpResponse:
    queue = (
        Structure.objects.filter(moderation_status=Moderation.PENDING)
        .select_related("commune", "organisation")
        .annotate(dispositif_count=Count("dispositifs"))
        .order_by("created_at", "pk")
    )
    rows = []
    for structure in queue:
        form = failed[1] if failed and failed[0] == structure.ref else None
        rows.append(
            {
                "structure": structure,
                "kinds": labels(StructureKind, structure.kinds),
                "form": form or RefusalForm(auto_id=f"id_{structure.ref}_%s"),
            }
        )
    return render(request, "web/offer/moderation.html", {"rows": rows}, status=status)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    return _moderation_page(request)


@login_required
@require_POST
def moderation_decide(request: HttpRequest, ref: str) -> HttpResponse:
    _require_moderator(request)
    structure = get_object_or_404(Structure, ref=ref)
    decision = request.POST.get("decision")
    if decision == "publier":
        to_status, reason = Moderation.PUBLISHED, ""
    elif decision == "refuser":
        form = RefusalForm(request.POST, auto_id=f"id_{structure.ref}_%s")
        if not form.is_valid():
            return _moderation_page(request, failed=(structure.ref, form), status=400)
        to_status, reason = Moderation.REJECTED, form.cleaned_data["reason"]
    else:
        return _moderation_page(request, status=400)
    try:
        moderate_structure(
            acting_user=request.user, structure=structure, to_status=to_status, reason=reason
        )
    except ValidationError as e:
        messages.error(request, f"{structure.name} : {' '.join(e.messages)}")
    else:
        done = _("« %s » est publiée.") if decision == "publier" else _("« %s » est refusée.")
        messages.success(request, done % structure.name)
    return redirect("web:moderation")
