"""Support structures and their dispositifs (programmes).

Multi-valued vocabularies (kinds, stages, audiences…) are JSON lists of
slugs from `vocabulary.py`: the directory is searched in memory after a
zone look-up (see search.py), so they need no join tables.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Organisation
from maillage.territory.models import Commune

from .vocabulary import LegalForm, ZoneKind

# An entry not updated for this long is flagged "à actualiser".
STALE_AFTER = dt.timedelta(days=365)


class StructureQuerySet(models.QuerySet):
    def published(self) -> StructureQuerySet:
        return self.filter(moderation_status=Structure.Moderation.PUBLISHED)

    def editable_by(self, user) -> StructureQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self
        return self.filter(organisation__memberships__user=user).distinct()

    def stale(self, now: dt.datetime | None = None) -> StructureQuerySet:
        return self.filter(updated_at__lt=(now or timezone.now()) - STALE_AFTER)


class Structure(models.Model):
    class Moderation(models.TextChoices):
        PENDING = "en-attente", _("En attente de modération")
        PUBLISHED = "publiee", _("Publiée")
        REJECTED = "refusee", _("Refusée")

    ref = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kinds = models.JSONField(_("types"), default=list)
    legal_form = models.CharField(
        _("forme juridique"), max_length=20, choices=LegalForm.choices, default=LegalForm.UNKNOWN
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="structures", verbose_name=_("commune")
    )
    # Exact point when known; the commune's reference point otherwise.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Demo data places some seats where the facts give no commune.
    location_is_illustrative = models.BooleanField(_("localisation indicative"), default=False)
    website = models.URLField(_("site internet"), blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    networks = models.JSONField(_("réseaux"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("organisation gestionnaire"),
    )
    moderation_status = models.CharField(
        _("modération"), max_length=12, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_note = models.TextField(_("motif de modération"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mise à jour le"), default=timezone.now)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def point(self) -> tuple[float | None, float | None]:
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        return self.commune.latitude, self.commune.longitude

    @property
    def is_stale(self) -> bool:
        return self.updated_at < timezone.now() - STALE_AFTER


class Antenna(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="antennas")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, verbose_name=_("commune"))
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("antenne")
        verbose_name_plural = _("antennes")
        constraints = [
            models.UniqueConstraint(fields=["structure", "commune"], name="antenna_unique_commune")
        ]

    def __str__(self) -> str:
        return self.label or str(self.commune)


class Contact(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class DispositifQuerySet(models.QuerySet):
    def published(self) -> DispositifQuerySet:
        return self.filter(structure__moderation_status=Structure.Moderation.PUBLISHED)


class Dispositif(models.Model):
    ref = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="dispositifs",
        verbose_name=_("structure opératrice"),
    )
    co_operators = models.ManyToManyField(
        Structure, blank=True, related_name="co_operated", verbose_name=_("co-opérateurs")
    )
    stages = models.JSONField(_("étapes"), default=list)
    audiences = models.JSONField(_("publics"), default=list)
    sectors = models.JSONField(_("secteurs"), default=list)
    formats = models.JSONField(_("formats"), default=list)
    duration_weeks = models.FloatField(_("durée (semaines)"), null=True, blank=True)
    sessions_count = models.PositiveSmallIntegerField(_("nombre de séances"), null=True, blank=True)
    cohort_size = models.PositiveSmallIntegerField(_("taille de promotion"), null=True, blank=True)
    fee_eur = models.DecimalField(
        _("coût pour le participant (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fee_note = models.CharField(_("précision sur le coût"), max_length=255, blank=True)
    entry_criteria = models.TextField(_("conditions d'entrée"), blank=True)
    criteria_flags = models.JSONField(_("critères structurés"), default=list, blank=True)
    how_to_apply = models.TextField(_("comment candidater"), blank=True)
    apply_url = models.URLField(_("lien de candidature"), blank=True)
    next_edition_start = models.DateField(_("prochaine édition"), null=True, blank=True)
    application_deadline = models.DateField(_("date limite de candidature"), null=True, blank=True)
    next_steps = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="previous_steps",
        verbose_name=_("étapes suivantes habituelles"),
    )
    is_template = models.BooleanField(_("modèle essaimable"), default=False)
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("essaimé depuis"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now)

    objects = DispositifQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stale(self) -> bool:
        return self.updated_at < timezone.now() - STALE_AFTER

    @property
    def is_remote_only(self) -> bool:
        return self.formats == ["remote"]


class Zone(models.Model):
    """A typed zone served by a dispositif: never a bare code (53 is both a
    région and a département)."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="zones")
    kind = models.CharField(_("type de zone"), max_length=12, choices=ZoneKind.choices)
    # INSEE code, EPCI SIREN, or "" for France.
    code = models.CharField(_("code"), max_length=9, blank=True)

    class Meta:
        verbose_name = _("zone desservie")
        verbose_name_plural = _("zones desservies")
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "kind", "code"], name="zone_unique")
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}" if self.code else self.kind


class SessionPlace(models.Model):
    dispositif = models.ForeignKey(
        Dispositif, on_delete=models.CASCADE, related_name="session_places"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, verbose_name=_("commune"))
    label = models.CharField(_("lieu"), max_length=200, blank=True)
    # Demo data sometimes has to place sessions where the facts give none.
    is_illustrative = models.BooleanField(_("lieu illustratif"), default=False)

    class Meta:
        verbose_name = _("lieu de session")
        verbose_name_plural = _("lieux de session")
        constraints = [
            models.UniqueConstraint(
                fields=["dispositif", "commune"], name="session_place_unique_commune"
            )
        ]

    def __str__(self) -> str:
        return self.label or str(self.commune)


class ModerationEvent(models.Model):
    """Transition log of a structure's moderation (who, when, from, to, why)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="moderation_events"
    )
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.structure_id}: {self.from_status or '∅'} → {self.to_status}"
