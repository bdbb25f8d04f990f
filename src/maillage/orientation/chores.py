"""Reminders and expiry of unanswered orientations (run from cron).

Idempotent: a reminder is sent once (`reminded_at`), an expired orientation
is no longer open. Dry run unless `wet` is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import actions, magic, notifications
from .models import Orientation
from .recommend import recommend_for_projet


@dataclass
class ChoresReport:
    reminders: list[Orientation] = field(default_factory=list)
    expiries: list[Orientation] = field(default_factory=list)
    wet: bool = False


def due(now: dt.datetime | None = None) -> ChoresReport:
    now = now or timezone.now()
    remind_before = now - dt.timedelta(days=settings.ORIENTATION_REMINDER_DAYS)
    expire_before = now - dt.timedelta(days=settings.ORIENTATION_EXPIRY_DAYS)
    pending = Orientation.objects.open().select_related("dispositif__structure", "projet")
    return ChoresReport(
        reminders=list(
            pending.filter(
                created_at__lte=remind_before, created_at__gt=expire_before, reminded_at=None
            )
        ),
        expiries=list(pending.filter(created_at__lte=expire_before)),
    )


def alternatives_for(orientation: Orientation, limit: int = 3) -> list[str]:
    result = recommend_for_projet(
        orientation.projet, exclude=[orientation.dispositif.ref], record=False
    )
    return [f"{r.name} ({', '.join(r.structures)})" for r in result.recommendations[:limit]]


def run(now: dt.datetime | None = None, *, wet: bool = False) -> ChoresReport:
    now = now or timezone.now()
    report = due(now)
    report.wet = wet
    if not wet:
        return report
    for orientation in report.reminders:
        with transaction.atomic():
            orientation.reminded_at = now
            orientation.save(update_fields=["reminded_at"])
            notifications.reminder(orientation, magic.issue(orientation))
    for orientation in report.expiries:
        actions.expire_orientation(
            orientation=orientation, alternatives=alternatives_for(orientation)
        )
    return report
