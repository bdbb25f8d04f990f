"""Saved scenarios and background jobs of the diagnosis."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A diagnosis or optimisation running in the background, with progress,
    so that long runs never block a page."""

    class Status(models.TextChoices):
        QUEUED = "en-attente", _("En attente")
        RUNNING = "en-cours", _("En cours")
        DONE = "terminee", _("Terminée")
        FAILED = "echec", _("Échec")

    kind = models.CharField(max_length=20)  # "diagnose" | "optimise"
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress}%"


class Scenario(models.Model):
    """A saved "where to act" result, to compare side by side."""

    name = models.CharField(_("nom"), max_length=150)
    territory = models.CharField(_("territoire"), max_length=200)
    stage = models.CharField(_("étape"), max_length=40)
    threshold = models.FloatField(_("seuil (min)"))
    model = models.CharField(_("modèle"), max_length=10)
    k = models.PositiveSmallIntegerField(_("nouveaux sites"), null=True, blank=True)
    candidates = models.CharField(_("candidats"), max_length=200)
    result = models.JSONField(_("résultat"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scénario")
        verbose_name_plural = _("scénarios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
