"""The professional's dashboard: orientations sent and received by their
organisations, what waits for an answer, and the three alerts (porteurs
without activity, exits without next step, orientations left unanswered)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.orientation import selectors
from maillage.orientation.selectors import Counts

from .orientation_lookups import my_organisations


def card(title: str, counts: Counts, key: str) -> dict[str, object]:
    """A card's figures, with a bar per state (its width a share of the total)."""
    total = counts.total or 1
    bars = [
        ("pending", _("En attente"), counts.pending),
        ("accepted", _("Acceptées"), counts.accepted),
        ("refused", _("Refusées"), counts.refused),
        ("expired", _("Expirées"), counts.expired),
        ("cancelled", _("Annulées"), counts.cancelled),
    ]
    return {
        "key": key,
        "title": title,
        "counts": counts,
        "bars": [
            {"code": code, "label": label, "value": value, "width": round(100 * value / total)}
            for code, label, value in bars
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    sent = selectors.sent_by(user, now)
    received = selectors.received_by(user, now)
    overdue = {o.pk: o for o in [*sent.overdue, *received.overdue]}
    context = {
        "organisations": my_organisations(user),
        "cards": [
            card(_("Orientations envoyées"), sent, "sent"),
            card(_("Orientations reçues"), received, "received"),
        ],
        "pending": selectors.received_pending(user),
        "inactive": selectors.inactive_porteurs(user, now).select_related("commune"),
        "exits": selectors.exits_without_next_step(user).select_related("projet"),
        "overdue": sorted(overdue.values(), key=lambda o: (o.created_at, o.pk)),
        "inactive_days": settings.PORTEUR_INACTIVE_DAYS,
        "reminder_days": settings.ORIENTATION_REMINDER_DAYS,
    }
    return render(request, "web/orientation/dashboard.html", context)
