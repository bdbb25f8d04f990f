"""Reads for dashboards: counts, median answer time, alerts."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from maillage.accounts.permissions import is_platform_staff

from .models import Orientation, Porteur, TimelineEvent
from .permissions import organisation_ids
from .vocabulary import EventKind, ExitOutcome, OrientationState


@dataclass
class Counts:
    total: int = 0
    pending: int = 0
    accepted: int = 0
    refused: int = 0
    expired: int = 0
    cancelled: int = 0
    median_answer_days: float | None = None
    overdue: list[Orientation] = field(default_factory=list)


def _counts(qs: QuerySet[Orientation], now: dt.datetime) -> Counts:
    states = list(qs.values_list("state", flat=True))
    delays = [
        (answered - created).total_seconds() / 86400
        for created, answered in qs.exclude(answered_at=None).values_list(
            "created_at", "answered_at"
        )
    ]
    overdue_before = now - dt.timedelta(days=settings.ORIENTATION_REMINDER_DAYS)
    return Counts(
        total=len(states),
        pending=sum(s in (OrientationState.SENT, OrientationState.REVIEW) for s in states),
        accepted=states.count(OrientationState.ACCEPTED),
        refused=states.count(OrientationState.REFUSED),
        expired=states.count(OrientationState.EXPIRED),
        cancelled=states.count(OrientationState.CANCELLED),
        median_answer_days=round(statistics.median(delays), 1) if delays else None,
        overdue=list(
            qs.open().filter(created_at__lte=overdue_before).select_related("projet", "dispositif")
        ),
    )


def sent_by(user, now: dt.datetime | None = None) -> Counts:
    """Orientations sent by the user's organisations (the prescriber's view)."""
    qs = Orientation.objects.filter(
        Q(prescriber=user) | Q(prescriber_organisation_id__in=organisation_ids(user))
    )
    return _counts(qs, now or timezone.now())


def received_by(user, now: dt.datetime | None = None) -> Counts:
    """Orientations received by the structures of the user's organisations."""
    qs = Orientation.objects.filter(
        dispositif__structure__organisation_id__in=organisation_ids(user)
    )
    return _counts(qs, now or timezone.now())


def received_pending(user) -> QuerySet[Orientation]:
    """Open orientations sent to the structures of the user's organisations."""
    return (
        Orientation.objects.open()
        .filter(dispositif__structure__organisation_id__in=organisation_ids(user))
        .select_related("projet__porteur__commune", "dispositif", "prescriber_organisation")
        .order_by("created_at", "pk")
    )


def followed_porteurs(user) -> QuerySet[Porteur]:
    qs = Porteur.objects.filter(anonymised_at=None)
    if is_platform_staff(user):
        return qs
    return qs.filter(
        follow_ups__ended_at=None, follow_ups__organisation_id__in=organisation_ids(user)
    ).distinct()


def inactive_porteurs(user, now: dt.datetime | None = None) -> QuerySet[Porteur]:
    before = (now or timezone.now()) - dt.timedelta(days=settings.PORTEUR_INACTIVE_DAYS)
    return followed_porteurs(user).filter(last_activity_at__lte=before)


def exits_without_next_step(user) -> QuerySet[TimelineEvent]:
    """Exits (other than a launched project) with no orientation or enrolment
    after them: the porteurs most at risk of being lost."""
    later = TimelineEvent.objects.filter(
        porteur=OuterRef("porteur"),
        happened_at__gt=OuterRef("happened_at"),
        kind__in=[EventKind.ORIENTATION, EventKind.ENROLMENT],
    )
    return (
        TimelineEvent.objects.filter(porteur__in=followed_porteurs(user), kind=EventKind.EXIT)
        .exclude(outcome=ExitOutcome.LAUNCHED)
        .filter(dispositif=None)
        .annotate(followed=Exists(later))
        .filter(followed=False)
        .select_related("porteur")
    )
