"""Porteurs de projet, their projects, follow-up group and timeline.

Only what orientation needs is stored (RGPD minimisation): a name to call
people by, a way to reach them, where they live, constraints that matter in
rural areas, and a dated consent. Everything here is access-controlled
(`permissions.py`) and anonymised after the retention period (`rgpd.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Organisation
from maillage.offer.models import Dispositif, Structure
from maillage.territory.models import Commune

from ..vocabulary import EventKind, ExitOutcome, PorteurKind


class Porteur(models.Model):
    kind = models.CharField(
        _("nature"), max_length=10, choices=PorteurKind.choices, default=PorteurKind.PERSON
    )
    name = models.CharField(_("nom ou prénom d'usage"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, verbose_name=_("commune de résidence")
    )
    profiles = models.JSONField(_("profil"), default=list, blank=True)
    has_car = models.BooleanField(_("dispose d'une voiture"), default=True)
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("temps de trajet maximum (min)"), null=True, blank=True
    )
    evenings_only = models.BooleanField(_("disponible en soirée seulement"), default=False)
    needs_childcare = models.BooleanField(_("besoin de garde d'enfants"), default=False)
    limited_internet = models.BooleanField(_("accès à internet limité"), default=False)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "N'inscrivez aucune donnée sensible (santé, opinions, origine, situation "
            "judiciaire…) : seulement ce qui sert l'orientation."
        ),
    )
    consent_at = models.DateTimeField(_("consentement au partage donné le"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consentement retiré le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("dernière activité"), default=timezone.now)
    retention_notice_at = models.DateTimeField(
        _("avis de conservation envoyé le"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("porteur de projet")
        verbose_name_plural = _("porteurs de projet")
        ordering = ["-last_activity_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None and self.consent_withdrawn_at is None

    @property
    def is_collective(self) -> bool:
        return self.kind == PorteurKind.COLLECTIVE


class PorteurMember(models.Model):
    """A member of a collective porteur (name and contact only)."""

    porteur = models.ForeignKey(Porteur, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("membre du collectif")
        verbose_name_plural = _("membres du collectif")

    def __str__(self) -> str:
        return self.name


class Projet(models.Model):
    porteur = models.ForeignKey(Porteur, on_delete=models.CASCADE, related_name="projets")
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.CharField(_("secteur"), max_length=40, blank=True)
    stage = models.CharField(_("étape actuelle"), max_length=40)
    # Where the activity will mainly take place: orientation starts from here.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune principale d'implantation"),
    )
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name=_("autres communes d'activité")
    )
    needs = models.JSONField(_("besoins"), default=list, blank=True)
    is_collective = models.BooleanField(_("projet collectif"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """A professional (and their organisation) accompanying the porteur."""

    porteur = models.ForeignKey(Porteur, on_delete=models.CASCADE, related_name="follow_ups")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("professionnel"),
    )
    is_referent = models.BooleanField(_("référent"), default=False)
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("groupe de suivi")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.porteur}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class TimelineEvent(models.Model):
    porteur = models.ForeignKey(Porteur, on_delete=models.CASCADE, related_name="timeline")
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(_("type"), max_length=15, choices=EventKind.choices)
    happened_at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    structure = models.ForeignKey(Structure, on_delete=models.SET_NULL, null=True, blank=True)
    dispositif = models.ForeignKey(Dispositif, on_delete=models.SET_NULL, null=True, blank=True)
    orientation = models.ForeignKey(
        "orientation.Orientation", on_delete=models.SET_NULL, null=True, blank=True
    )
    outcome = models.CharField(_("issue"), max_length=40, choices=ExitOutcome.choices, blank=True)
    text = models.CharField(_("résumé"), max_length=300)

    class Meta:
        verbose_name = _("événement du parcours")
        verbose_name_plural = _("parcours")
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return self.text
