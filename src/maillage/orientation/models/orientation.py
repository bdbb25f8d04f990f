"""Orientations (a prescriber sends a project to a dispositif), their
transition log, unmet demand and the anonymised statistics kept after purges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Organisation
from maillage.offer.models import Dispositif
from maillage.territory.models import Commune

from ..vocabulary import OPEN_STATES, OrientationState, RefusalReason
from .porteur import Projet


class OrientationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Orientation(models.Model):
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="orientations")
    dispositif = models.ForeignKey(
        Dispositif, on_delete=models.PROTECT, related_name="orientations"
    )
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="orientations_sent",
        verbose_name=_("prescripteur"),
    )
    prescriber_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="orientations_sent"
    )
    message = models.TextField(_("message"), blank=True)
    consent_confirmed = models.BooleanField(_("consentement du porteur confirmé"), default=False)
    state = models.CharField(
        _("état"), max_length=10, choices=OrientationState.choices, default=OrientationState.SENT
    )
    refusal_reason = models.CharField(
        _("motif de refus"), max_length=15, choices=RefusalReason.choices, blank=True
    )
    refusal_detail = models.TextField(_("précisions sur le refus"), blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reorientations",
        verbose_name=_("réorientation de"),
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relance le"), null=True, blank=True)
    # Changing the nonce revokes every magic link issued before.
    link_nonce = models.CharField(max_length=32, blank=True)
    link_issued_at = models.DateTimeField(null=True, blank=True)

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.projet} → {self.dispositif}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class OrientationTransition(models.Model):
    orientation = models.ForeignKey(
        Orientation, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who acted when there is no account: "lien magique", "système".
    actor_label = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class UnmetDemand(models.Model):
    """A request for support that found nothing: the diagnosis counts them."""

    created_at = models.DateTimeField(default=timezone.now)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT)
    stage = models.CharField(max_length=40)
    audience = models.CharField(max_length=40, blank=True)
    sector = models.CharField(max_length=40, blank=True)
    max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    empty_because = models.CharField(max_length=20)
    source = models.CharField(max_length=20, default="web")
    # Set when the demand comes from a project's file: one record per project
    # and stage, however often its recommendations are displayed.
    projet = models.ForeignKey(Projet, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("demande non satisfaite")
        verbose_name_plural = _("demandes non satisfaites")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.stage} @ {self.commune_id} ({self.empty_because})"


class AnonymisedStat(models.Model):
    """What survives a porteur's anonymisation, for reports."""

    month = models.DateField()  # first day of the month of the event
    departement = models.CharField(max_length=3)
    stage = models.CharField(max_length=40)
    outcome = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=15)

    class Meta:
        verbose_name = _("statistique anonymisée")
        verbose_name_plural = _("statistiques anonymisées")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.departement} {self.stage} {self.outcome}"
