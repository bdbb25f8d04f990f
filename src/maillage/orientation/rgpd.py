"""Personal data: export, erasure and retention of porteurs' files.

Anonymisation keeps what reports need — month, département, stage, outcome —
as AnonymisedStat rows, and removes everything that identifies a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import AnonymisedStat, Orientation, Porteur, TimelineEvent
from .permissions import can_edit_porteur
from .vocabulary import EventKind


def export_porteur(porteur: Porteur) -> dict[str, object]:
    """Everything Maillage holds about a porteur, as JSON-ready data."""
    return {
        "porteur": {
            "nom": porteur.name,
            "nature": porteur.kind,
            "email": porteur.email,
            "telephone": porteur.phone,
            "commune": porteur.commune.insee if porteur.commune else None,
            "profils": porteur.profiles,
            "contraintes": {
                "voiture": porteur.has_car,
                "trajet_max_minutes": porteur.max_travel_minutes,
                "soir_uniquement": porteur.evenings_only,
                "garde_enfants": porteur.needs_childcare,
                "internet_limite": porteur.limited_internet,
            },
            "notes": porteur.notes,
            "consentement": porteur.consent_at.isoformat() if porteur.consent_at else None,
            "consentement_retire": (
                porteur.consent_withdrawn_at.isoformat() if porteur.consent_withdrawn_at else None
            ),
            "membres": list(porteur.members.values_list("name", flat=True)),
        },
        "projets": [
            {
                "titre": p.title,
                "description": p.description,
                "secteur": p.sector,
                "etape": p.stage,
                "besoins": p.needs,
                "collectif": p.is_collective,
                "communes": list(p.communes.values_list("insee", flat=True)),
                "orientations": [
                    {
                        "dispositif": o.dispositif.name,
                        "etat": o.state,
                        "envoyee_le": o.created_at.isoformat(),
                        "message": o.message,
                        "motif_refus": o.refusal_reason,
                    }
                    for o in p.orientations.select_related("dispositif")
                ],
            }
            for p in porteur.projets.all()
        ],
        "suivi": [
            {
                "organisation": f.organisation.name,
                "debut": f.started_at.isoformat(),
                "fin": f.ended_at.isoformat() if f.ended_at else None,
                "referent": f.is_referent,
            }
            for f in porteur.follow_ups.select_related("organisation")
        ],
        "parcours": [
            {"date": e.happened_at.isoformat(), "type": e.kind, "texte": e.text}
            for e in porteur.timeline.all()
        ],
    }


def _month(value: dt.datetime) -> dt.date:
    return value.date().replace(day=1)


@transaction.atomic
def anonymise(porteur: Porteur) -> Porteur:
    if porteur.anonymised_at is not None:
        return porteur
    departement = porteur.commune.departement.code if porteur.commune else ""
    stats = []
    for projet in porteur.projets.all():
        exit_event = (
            projet.timelineevent_set.filter(kind=EventKind.EXIT).order_by("-happened_at").first()
        )
        stats.append(
            AnonymisedStat(
                month=_month(projet.created_at),
                departement=departement,
                stage=projet.stage,
                outcome=exit_event.outcome if exit_event else "",
                kind="projet",
            )
        )
        for o in Orientation.objects.filter(projet=projet):
            stats.append(
                AnonymisedStat(
                    month=_month(o.created_at),
                    departement=departement,
                    stage=projet.stage,
                    outcome=o.state,
                    kind="orientation",
                )
            )
    AnonymisedStat.objects.bulk_create(stats)
    TimelineEvent.objects.filter(porteur=porteur).delete()
    porteur.members.all().delete()
    Orientation.objects.filter(projet__porteur=porteur).update(message="", refusal_detail="")
    for projet in porteur.projets.all():
        projet.title, projet.description = _("Projet anonymisé"), ""
        projet.save(update_fields=["title", "description"])
        projet.communes.clear()
    porteur.name = _("Porteur anonymisé")
    porteur.email = porteur.phone = porteur.notes = ""
    porteur.profiles = []
    porteur.commune = None
    porteur.max_travel_minutes = None
    porteur.anonymised_at = timezone.now()
    porteur.save()
    porteur.follow_ups.filter(ended_at=None).update(ended_at=porteur.anonymised_at)
    return porteur


def request_erasure(*, acting_user, porteur: Porteur) -> Porteur:
    """The porteur asked to be forgotten: anonymise now."""
    if acting_user is not None and not can_edit_porteur(acting_user, porteur):
        raise PermissionDenied(_("Vous ne suivez pas ce porteur de projet."))
    return anonymise(porteur)


@dataclass
class RetentionReport:
    notices: list[Porteur] = field(default_factory=list)
    anonymisations: list[Porteur] = field(default_factory=list)
    wet: bool = False


def run_retention(now: dt.datetime | None = None, *, wet: bool = False) -> RetentionReport:
    now = now or timezone.now()
    inactive_before = now - dt.timedelta(days=settings.RETENTION_INACTIVE_DAYS)
    grace_before = now - dt.timedelta(days=settings.RETENTION_GRACE_DAYS)
    alive = Porteur.objects.filter(anonymised_at=None, last_activity_at__lte=inactive_before)
    report = RetentionReport(
        notices=list(alive.filter(retention_notice_at=None)),
        anonymisations=list(alive.filter(retention_notice_at__lte=grace_before)),
        wet=wet,
    )
    if not wet:
        return report
    for porteur in report.notices:
        with transaction.atomic():
            recipients = list(
                porteur.follow_ups.filter(ended_at=None)
                .exclude(user=None)
                .values_list("user__email", flat=True)
            )
            for follow_up in porteur.follow_ups.filter(ended_at=None, user=None):
                recipients += list(
                    follow_up.organisation.memberships.values_list("user__email", flat=True)
                )
            Porteur.objects.filter(pk=porteur.pk).update(retention_notice_at=now)
            notifications.retention_notice(porteur, recipients, settings.RETENTION_GRACE_DAYS)
    for porteur in report.anonymisations:
        anonymise(porteur)
    return report
