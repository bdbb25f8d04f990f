"""Essaimage: a structure runs a template dispositif on its own territory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.offer.actions import copy_dispositif
from maillage.offer.models import Dispositif, Structure

from .offer_edit_views import add_action_errors
from .offer_forms import CopyForm, unique_ref


@login_required
def dispositif_copy(request: HttpRequest, ref: str) -> HttpResponse:
    template = get_object_or_404(
        Dispositif.objects.published().select_related("structure"), ref=ref
    )
    if not template.is_template:
        raise Http404(_("Ce dispositif n'est pas proposé à l'essaimage."))
    structures = Structure.objects.editable_by(request.user).order_by("name")
    form = CopyForm(request.POST if request.method == "POST" else None, structures=structures)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            copy = copy_dispositif(
                acting_user=request.user,
                template=template,
                structure=data["structure"],
                ref=unique_ref(Dispositif, f"{template.name} {data['structure'].name}"),
                zones=data["zones"],
                session_places=data["places"],
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(
                request,
                _("« %(name)s » est essaimé : complétez les dates et les modalités.")
                % {"name": copy.name},
            )
            return redirect("web:dispositif-edit", ref=copy.ref)
    context = {"template": template, "form": form, "has_structures": structures.exists()}
    return render(request, "web/offer/dispositif_copy.html", context)
