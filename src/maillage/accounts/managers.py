"""Managers and query sets of the accounts app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import BaseUserManager
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def normalise_email(email: str | None) -> str:
    """Return the canonical form of an e-mail address: trimmed and in lower case.

    >>> normalise_email("  Camille.Martin@Exemple.FR ")
    'camille.martin@exemple.fr'
    >>> normalise_email(None)
    ''
    """
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    """Users log in with their e-mail address, stored in lower case."""

    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> Any:
        # Used by the authentication backend: makes the login case-insensitive.
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> Any:
        email = normalise_email(email)
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> Any:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> Any:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True:
            raise ValueError("Un·e super-utilisateur·rice doit avoir is_staff=True.")
        if extra_fields.get("is_superuser") is not True:
            raise ValueError("Un·e super-utilisateur·rice doit avoir is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user: AbstractBaseUser | AnonymousUser | None) -> OrganisationQuerySet:
        """Organisations the user is a member of (any role)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()

    def administered_by(
        self, user: AbstractBaseUser | AnonymousUser | None
    ) -> OrganisationQuerySet:
        """Organisations where the user has the administrator role."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role="admin").distinct()


class MembershipQuerySet(models.QuerySet):
    def admins(self) -> MembershipQuerySet:
        return self.filter(role="admin")

    def for_user(self, user: AbstractBaseUser | AnonymousUser | None) -> MembershipQuerySet:
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)
