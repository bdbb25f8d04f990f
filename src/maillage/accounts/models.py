"""Users, organisations and memberships.

A person logs in with an e-mail address (stored in lower case, so that the
login is case-insensitive) and belongs to organisations — communes, EPCI,
support structures, tiers-lieux… — as an administrator or a plain member.
Writes that involve permissions go through `maillage.accounts.actions`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .managers import MembershipQuerySet, OrganisationQuerySet, UserManager, normalise_email


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(
        _("adresse e-mail"),
        unique=True,
        error_messages={"unique": _("Un compte existe déjà avec cette adresse e-mail.")},
    )
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("équipe de la plateforme"),
        default=False,
        help_text=_("Peut se connecter à l'interface d'administration."),
    )
    is_active = models.BooleanField(
        _("actif"),
        default=True,
        help_text=_(
            "Décochez cette case plutôt que de supprimer le compte : "
            "la personne ne pourra plus se connecter."
        ),
    )
    date_joined = models.DateTimeField(_("date d'inscription"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité (EPCI)")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")
        ETAT = "etat", _("Services de l'État")
        STRUCTURE_ACCOMPAGNEMENT = "structure-accompagnement", _("Structure d'accompagnement")
        TIERS_LIEU = "tiers-lieu", _("Tiers-lieu")
        ASSOCIATION = "association", _("Association")
        SERVICE_SOCIAL = "service-social", _("Service social")
        FINANCEUR = "financeur", _("Financeur")
        AUTRE = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices, default=Kind.AUTRE)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[
            RegexValidator(r"^\d{14}$", _("Un numéro SIRET comporte exactement 14 chiffres."))
        ],
        help_text=_("14 chiffres, sans espace (facultatif)."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("membres"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrateur·rice")
        MEMBER = "member", _("Membre")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utilisateur·rice"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("membre depuis"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="accounts_membership_unique_user_organisation",
                violation_error_message=_("Cette personne est déjà membre de l'organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class AuditEvent(models.Model):
    """Trace of a write made through `maillage.accounts.actions`."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur·rice"),
    )
    verb = models.CharField(_("action"), max_length=64)
    target = models.CharField(_("objet"), max_length=255, blank=True)
    data = models.JSONField(_("données"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.verb} · {self.target}"
