"""Reads and access checks shared by the porteur, projet, orientation and
dashboard pages.

The domain decides who may see what (`maillage.orientation.permissions`);
these helpers turn its answers into HTTP: a file the person may not see is
a 404, as if it did not exist, so that its existence is not revealed.
A few list queries the domain does not offer yet live here too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from maillage.accounts.models import Organisation
from maillage.offer.models import Dispositif
from maillage.orientation.models import Orientation, Porteur, Projet
from maillage.orientation.permissions import (
    can_edit_porteur,
    can_view_orientation,
    can_view_porteur,
)
from maillage.orientation.vocabulary import OrientationState


def visible_porteur(user, pk: int) -> Porteur:
    porteur = get_object_or_404(Porteur.objects.select_related("commune__departement"), pk=pk)
    if not can_view_porteur(user, porteur):
        raise Http404
    return porteur


def editable_porteur(user, pk: int) -> Porteur:
    porteur = visible_porteur(user, pk)
    require_edit(user, porteur)
    return porteur


def require_edit(user, porteur: Porteur) -> None:
    if not can_edit_porteur(user, porteur):
        raise PermissionDenied(_("Seul le groupe de suivi du porteur peut modifier son dossier."))


def visible_projet(user, pk: int) -> Projet:
    projet = get_object_or_404(
        Projet.objects.select_related("porteur__commune__departement"), pk=pk
    )
    if not can_view_porteur(user, projet.porteur):
        raise Http404
    return projet


def visible_orientation(user, pk: int) -> Orientation:
    orientation = get_object_or_404(
        Orientation.objects.select_related(
            "projet__porteur__commune",
            "dispositif__structure__organisation",
            "prescriber",
            "prescriber_organisation",
        ),
        pk=pk,
    )
    if not can_view_orientation(user, orientation):
        raise Http404
    return orientation


def my_organisations(user) -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user).order_by("name")


def dispositif_choices() -> QuerySet[Dispositif]:
    """Dispositifs one may record an enrolment in or an exit from."""
    return Dispositif.objects.published().select_related("structure").order_by("name", "pk")


def answered_refs(projet: Projet) -> dict[str, Orientation]:
    """The latest orientation of the projet towards each dispositif, by ref."""
    latest: dict[str, Orientation] = {}
    for o in projet.orientations.select_related("dispositif").order_by("created_at", "pk"):
        latest[o.dispositif.ref] = o
    return latest


def refs_not_to_propose(projet: Projet) -> list[str]:
    """Dispositifs a re-orientation should skip: refused or expired ones, and
    those already waiting for an answer."""
    skip = {
        OrientationState.REFUSED,
        OrientationState.EXPIRED,
        OrientationState.SENT,
        OrientationState.REVIEW,
    }
    return sorted(
        projet.orientations.filter(state__in=skip).values_list("dispositif__ref", flat=True)
    )


def posted(request):
    """The submitted data, or None for a GET: an empty POST is still a
    submission (an unticked confirmation box must be reported)."""
    return request.POST if request.method == "POST" else None
