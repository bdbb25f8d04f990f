"""Who may do what with organisations.

Small functions without side effects, shared by the actions, the views and
the API. Inactive or anonymous users are never allowed anything; platform
staff (`is_staff` or `is_superuser`) may manage every organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Membership, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser | None


def _is_active_user(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_platform_staff(user: AnyUser) -> bool:
    """Member of the platform team (staff or superuser), with an active account."""
    return _is_active_user(user) and bool(
        getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
    )


def role_in(user: AnyUser, organisation: Organisation) -> str | None:
    """The user's role in the organisation (`Membership.Role` value), or None."""
    if not _is_active_user(user) or organisation.pk is None:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user: AnyUser, organisation: Organisation) -> bool:
    """Member of the organisation, whatever the role."""
    return role_in(user, organisation) is not None


def is_org_admin(user: AnyUser, organisation: Organisation) -> bool:
    """Administrator of the organisation."""
    return role_in(user, organisation) == Membership.Role.ADMIN


def can_create_organisation(user: AnyUser) -> bool:
    """Any active, logged-in user may create an organisation (and becomes its admin)."""
    return _is_active_user(user)


def can_view_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Members and platform staff see an organisation's details and members."""
    return is_platform_staff(user) or is_member(user, organisation)


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    """Add members, change roles, remove members: organisation admins and platform staff."""
    return is_platform_staff(user) or is_org_admin(user, organisation)


def can_change_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Edit the organisation's name, kind or SIRET: same people as for members."""
    return can_manage_members(user, organisation)


def can_remove_member(user: AnyUser, organisation: Organisation, member: AnyUser) -> bool:
    """Those who manage members, and any member leaving the organisation themself."""
    if can_manage_members(user, organisation):
        return True
    return (
        member is not None
        and _is_active_user(user)
        and user.pk == member.pk
        and is_member(user, organisation)
    )
