"""An orientation: its page, the workflow buttons of each role, the one-click
re-orientation, and the magic link a receiving structure answers from
without an account.

The domain decides which transition is allowed (`workflow.py`); a refused
one (e.g. answered meanwhile from the magic link) becomes an error message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.offer.models import Dispositif
from maillage.offer.vocabulary import Stage, labels
from maillage.orientation import actions, magic
from maillage.orientation.models import Orientation
from maillage.orientation.permissions import can_view_porteur, roles_for
from maillage.orientation.recommend import recommend_for_projet
from maillage.orientation.vocabulary import Need, OrientationState, RefusalReason

from .orientation_forms import CancelForm, RefusalForm
from .orientation_lookups import posted, refs_not_to_propose, visible_orientation
from .projet_views import present

S = OrientationState


def _state_label(code: str) -> str:
    return str(OrientationState(code).label) if code in S.values else code


def transition_rows(orientation: Orientation) -> list[dict[str, object]]:
    rows = []
    for t in orientation.transitions.select_related("actor"):
        reason = t.reason
        if t.to_state == S.REFUSED:
            code, _sep, detail = reason.partition(":")
            if code in RefusalReason.values:
                reason = str(RefusalReason(code).label)
                reason += f" — {detail.strip()}" if detail.strip() else ""
        rows.append(
            {
                "at": t.created_at,
                "who": t.actor.get_full_name() if t.actor else (t.actor_label or "—"),
                "from": _state_label(t.from_state) if t.from_state else "—",
                "to": _state_label(t.to_state),
                "to_code": t.to_state,
                "reason": reason,
            }
        )
    return rows


def shared_file(orientation: Orientation) -> dict[str, object]:
    """What the porteur agreed to share with the receiving structure."""
    projet = orientation.projet
    porteur = projet.porteur
    return {
        "shared": porteur.has_consent and porteur.anonymised_at is None,
        "porteur": porteur,
        "projet": projet,
        "stage": Stage(projet.stage).label if projet.stage in Stage.values else "",
        "needs": labels(Need, projet.needs),
        "communes": projet.communes.all(),
    }


def _page(request, orientation: Orientation) -> HttpResponse:
    user = request.user
    roles = roles_for(user, orientation)
    is_receiver = bool(roles & {"receiver", "staff"})
    is_prescriber = bool(roles & {"prescriber", "staff"})
    reorient_rows = None
    if is_prescriber and orientation.state in (S.REFUSED, S.EXPIRED):
        result = recommend_for_projet(
            orientation.projet, exclude=refs_not_to_propose(orientation.projet), record=False
        )
        reorient_rows = {"rows": present(result.recommendations[:5]), "result": result}
    context = {
        "orientation": orientation,
        "file": shared_file(orientation),
        "transitions": transition_rows(orientation),
        "is_receiver": is_receiver,
        "is_prescriber": is_prescriber,
        "can_view_porteur": can_view_porteur(user, orientation.projet.porteur),
        "refusal_form": RefusalForm() if is_receiver else None,
        "reorient": reorient_rows,
        "reorientations": orientation.reorientations.select_related("dispositif"),
    }
    return render(request, "web/orientation/orientation_detail.html", context)


@login_required
def orientation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, visible_orientation(request.user, pk))


def _back(request: HttpRequest, orientation: Orientation) -> HttpResponse:
    """Back where the button was (the dashboard's quick actions), or the page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("web:orientation-detail", pk=orientation.pk)


def _run(request, orientation, action, done: str, **kwargs) -> bool:
    try:
        action(acting_user=request.user, orientation=orientation, **kwargs)
    except (PermissionDenied, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
        return False
    messages.success(request, done)
    return True


@login_required
@require_POST
def orientation_review(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = visible_orientation(request.user, pk)
    _run(request, orientation, actions.start_review, _("L'orientation est en examen."))
    return _back(request, orientation)


@login_required
@require_POST
def orientation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = visible_orientation(request.user, pk)
    _run(
        request,
        orientation,
        actions.accept_orientation,
        _("Orientation acceptée : le prescripteur en est informé."),
    )
    return _back(request, orientation)


@login_required
def orientation_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = visible_orientation(request.user, pk)
    form = RefusalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            orientation,
            actions.refuse_orientation,
            _("Refus enregistré : le prescripteur en connaît le motif."),
            **form.cleaned_data,
        )
        return redirect("web:orientation-detail", pk=orientation.pk)
    status = 400 if form.is_bound else 200
    context = {"orientation": orientation, "form": form}
    return render(request, "web/orientation/refuse.html", context, status=status)


@login_required
def orientation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = visible_orientation(request.user, pk)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            orientation,
            actions.cancel_orientation,
            _("L'orientation est annulée."),
            reason=form.cleaned_data["reason"],
        )
        return redirect("web:orientation-detail", pk=orientation.pk)
    return render(
        request, "web/orientation/cancel.html", {"orientation": orientation, "form": form}
    )


@login_required
@require_POST
def orientation_reorient(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = visible_orientation(request.user, pk)
    dispositif = get_object_or_404(
        Dispositif.objects.published(), ref=request.POST.get("dispositif", "")
    )
    try:
        new = actions.reorient(
            acting_user=request.user, orientation=orientation, dispositif=dispositif
        )
    except (PermissionDenied, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
        return redirect("web:orientation-detail", pk=orientation.pk)
    messages.success(
        request,
        _("Projet réorienté vers « %s » : la structure a reçu un lien pour répondre.")
        % dispositif.name,
    )
    return redirect("web:orientation-detail", pk=new.pk)


@login_required
@require_POST
def orientation_renew_link(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = visible_orientation(request.user, pk)
    try:
        actions.renew_link(acting_user=request.user, orientation=orientation)
    except (PermissionDenied, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
    else:
        messages.success(
            request,
            _("Un nouveau lien est envoyé à la structure ; les liens précédents ne marchent plus."),
        )
    return redirect("web:orientation-detail", pk=orientation.pk)


# --- Magic link (no account) ----------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: keep it out of other sites' referrers, caches
    # and indexes. ("no-referrer" would make browsers send "Origin: null" with
    # the answer forms, which the CSRF check rightly rejects.)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


LINK_ACTIONS = {
    "examen": (actions.start_review, gettext_lazy("Vous examinez cette orientation.")),
    "accepter": (actions.accept_orientation, gettext_lazy("Merci : l'orientation est acceptée.")),
    "refuser": (
        actions.refuse_orientation,
        gettext_lazy("Merci : le refus et son motif sont transmis au prescripteur."),
    ),
}


def orientation_magic(request: HttpRequest, token: str) -> HttpResponse:
    orientation = magic.resolve(token)
    if orientation is None:
        return _private(render(request, "web/orientation/magic_invalid.html", status=410))
    decision = request.POST.get("decision", "")
    form = RefusalForm(request.POST if decision == "refuser" else None)
    status = 200
    if request.method == "POST":
        if decision in LINK_ACTIONS and (decision != "refuser" or form.is_valid()):
            action, done = LINK_ACTIONS[decision]
            extra = form.cleaned_data if decision == "refuser" else {}
            try:
                action(orientation=orientation, via_link=True, **extra)
            except (PermissionDenied, ValidationError) as e:
                messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
            else:
                messages.success(request, str(done))
            return _private(redirect(request.path))
        status = 400
    context = {
        "orientation": orientation,
        "file": shared_file(orientation),
        "form": form,
        "transitions": transition_rows(orientation),
    }
    return _private(render(request, "web/orientation/magic.html", context, status=status))
