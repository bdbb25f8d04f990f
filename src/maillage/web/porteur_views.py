"""Porteurs' files: list, creation, the file itself (identity, consent,
projects, timeline, follow-up group, orientations), data export and erasure.

A file the person may not see answers 404 (its existence is not revealed);
writes go through `maillage.orientation.actions` (and `rgpd`), which check
permissions again.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.offer.vocabulary import Sector, Stage, labels
from maillage.orientation import actions, rgpd
from maillage.orientation.models import FollowUp, Orientation
from maillage.orientation.permissions import can_edit_porteur, can_view_orientation
from maillage.orientation.selectors import followed_porteurs
from maillage.orientation.vocabulary import OPEN_STATES, Need, Profile

from .offer_edit_views import add_action_errors
from .orientation_lookups import editable_porteur, my_organisations, posted, visible_porteur
from .porteur_forms import (
    CONSENT_TEXT,
    SENSITIVE_WARNING,
    ConsentForm,
    ErasureForm,
    FollowUpForm,
    PorteurForm,
)


def _inactive_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.PORTEUR_INACTIVE_DAYS)


@login_required
def porteur_list(request: HttpRequest) -> HttpResponse:
    porteurs = list(
        followed_porteurs(request.user)
        .select_related("commune")
        .annotate(
            projet_count=Count("projets", distinct=True),
            open_count=Count(
                "projets__orientations",
                filter=Q(projets__orientations__state__in=OPEN_STATES),
                distinct=True,
            ),
        )
        .order_by("-last_activity_at", "pk")
    )
    before = _inactive_before()
    for p in porteurs:
        p.is_inactive = p.last_activity_at <= before
    context = {
        "porteurs": porteurs,
        "inactive": [p for p in porteurs if p.is_inactive],
        "inactive_days": settings.PORTEUR_INACTIVE_DAYS,
        "can_create": my_organisations(request.user).exists(),
    }
    return render(request, "web/orientation/porteur_list.html", context)


@login_required
def porteur_create(request: HttpRequest) -> HttpResponse:
    organisations = my_organisations(request.user)
    form = PorteurForm(posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            porteur = actions.create_porteur(acting_user=request.user, **form.create_kwargs())
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Le dossier de « %s » est ouvert.") % porteur.name)
            return redirect("web:porteur-detail", pk=porteur.pk)
    context = {
        "form": form,
        "no_organisation": not organisations.exists(),
        "sensitive_warning": SENSITIVE_WARNING,
    }
    return render(request, "web/orientation/porteur_form.html", context)


def _detail_page(request, porteur, follow_up_form=None, status=200) -> HttpResponse:
    user = request.user
    projets = list(porteur.projets.prefetch_related("communes"))
    orientations = list(
        Orientation.objects.filter(projet__porteur=porteur).select_related(
            "projet", "dispositif__structure", "prescriber_organisation"
        )
    )
    for o in orientations:
        o.viewable = can_view_orientation(user, o)
    for projet in projets:
        projet.stage_label = Stage(projet.stage).label if projet.stage in Stage.values else ""
        projet.sector_label = labels(Sector, [projet.sector])[0] if projet.sector else ""
        projet.need_labels = labels(Need, projet.needs)
        projet.orientation_list = [o for o in orientations if o.projet_id == projet.pk]
    viewable = {o.pk for o in orientations if o.viewable}
    timeline = list(porteur.timeline.select_related("projet", "structure", "dispositif"))
    for event in timeline:
        event.orientation_link = event.orientation_id in viewable
    can_edit = can_edit_porteur(user, porteur)
    context = {
        "porteur": porteur,
        "can_edit": can_edit,
        "members": porteur.members.all(),
        "profiles": labels(Profile, porteur.profiles),
        "projets": projets,
        "orientations": orientations,
        "timeline": timeline,
        "follow_ups": porteur.follow_ups.select_related("organisation", "user"),
        "follow_up_form": follow_up_form or (FollowUpForm() if can_edit else None),
        "is_inactive": porteur.last_activity_at <= _inactive_before(),
        "inactive_days": settings.PORTEUR_INACTIVE_DAYS,
    }
    return render(request, "web/orientation/porteur_detail.html", context, status=status)


@login_required
def porteur_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, visible_porteur(request.user, pk))


@login_required
def porteur_consent(request: HttpRequest, pk: int) -> HttpResponse:
    porteur = editable_porteur(request.user, pk)
    form = ConsentForm(request.POST if request.POST.get("action") == "give" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "withdraw" and porteur.has_consent:
            actions.record_consent(acting_user=request.user, porteur=porteur, given=False)
            messages.success(request, _("Le retrait du consentement est enregistré."))
            return redirect("web:porteur-detail", pk=porteur.pk)
        if action == "give" and form.is_valid():
            actions.record_consent(acting_user=request.user, porteur=porteur, given=True)
            messages.success(request, _("Le consentement au partage est enregistré."))
            return redirect("web:porteur-detail", pk=porteur.pk)
    context = {"porteur": porteur, "form": form, "consent_text": CONSENT_TEXT}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/orientation/consent.html", context, status=status)


@login_required
@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    porteur = editable_porteur(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, porteur, follow_up_form=form, status=400)
    organisation = form.cleaned_data["organisation"]
    is_member = request.user.memberships.filter(organisation=organisation).exists()
    actions.add_follow_up(
        acting_user=request.user,
        porteur=porteur,
        organisation=organisation,
        user=request.user if is_member else None,
        referent=form.cleaned_data["referent"],
    )
    messages.success(request, _("%s rejoint le groupe de suivi.") % organisation)
    return redirect("web:porteur-detail", pk=porteur.pk)


@login_required
def follow_up_end(request: HttpRequest, pk: int, follow_up: int) -> HttpResponse:
    porteur = editable_porteur(request.user, pk)
    item = get_object_or_404(
        FollowUp.objects.select_related("organisation"),
        pk=follow_up,
        porteur=porteur,
        ended_at=None,
    )
    if request.method == "POST":
        actions.end_follow_up(acting_user=request.user, follow_up=item)
        messages.success(request, _("%s quitte le groupe de suivi.") % item.organisation)
        if can_edit_porteur(request.user, porteur):
            return redirect("web:porteur-detail", pk=porteur.pk)
        return redirect("web:porteur-list")
    leaving_myself = request.user.memberships.filter(organisation=item.organisation).exists()
    context = {"porteur": porteur, "follow_up": item, "leaving_myself": leaving_myself}
    return render(request, "web/orientation/follow_up_end.html", context)


@login_required
def porteur_export(request: HttpRequest, pk: int) -> HttpResponse:
    porteur = editable_porteur(request.user, pk)
    data = rgpd.export_porteur(porteur)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"maillage-porteur-{porteur.pk}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def porteur_erase(request: HttpRequest, pk: int) -> HttpResponse:
    porteur = editable_porteur(request.user, pk)
    form = ErasureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        name = porteur.name
        rgpd.request_erasure(acting_user=request.user, porteur=porteur)
        messages.success(
            request,
            _("Le dossier de « %s » est effacé. Seules des statistiques anonymes sont conservées.")
            % name,
        )
        return redirect("web:porteur-list")
    status = 400 if form.is_bound and form.errors else 200
    context = {"porteur": porteur, "form": form}
    return render(request, "web/orientation/erase.html", context, status=status)
