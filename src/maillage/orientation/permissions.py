"""Who may see and act on porteurs and orientations.

A porteur's file is visible only to members of the organisations in its
active follow-up group, to the prescriber of an open orientation, and to
platform staff (tested as a table: tests/orientation/test_permissions.py).
"""

from __future__ import annotations

from maillage.accounts.permissions import is_platform_staff

from .models import Orientation, Porteur
from .vocabulary import OPEN_STATES


def organisation_ids(user) -> set[int]:
    """Organisations of an active, logged-in user (empty otherwise)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(user.memberships.values_list("organisation_id", flat=True))


def can_view_porteur(user, porteur: Porteur) -> bool:
    if porteur.anonymised_at is not None:
        return is_platform_staff(user)
    if is_platform_staff(user):
        return True
    orgs = organisation_ids(user)
    if not orgs:
        return False
    if porteur.follow_ups.filter(ended_at__isnull=True, organisation_id__in=orgs).exists():
        return True
    return Orientation.objects.filter(
        projet__porteur=porteur, state__in=OPEN_STATES, prescriber=user
    ).exists()


def can_edit_porteur(user, porteur: Porteur) -> bool:
    """Editing needs to be in the follow-up group (or platform staff)."""
    if is_platform_staff(user):
        return porteur.anonymised_at is None
    orgs = organisation_ids(user)
    return (
        bool(orgs)
        and porteur.follow_ups.filter(ended_at__isnull=True, organisation_id__in=orgs).exists()
    )


def roles_for(user, orientation: Orientation) -> set[str]:
    """The workflow roles a user holds on an orientation."""
    roles: set[str] = set()
    if is_platform_staff(user):
        roles.add("staff")
    orgs = organisation_ids(user)
    structure = orientation.dispositif.structure
    if structure.organisation_id and structure.organisation_id in orgs:
        roles.add("receiver")
    sent_it = orientation.prescriber_id is not None and orientation.prescriber_id == getattr(
        user, "id", None
    )
    if sent_it or orientation.prescriber_organisation_id in orgs:
        roles.add("prescriber")
    return roles


def can_view_orientation(user, orientation: Orientation) -> bool:
    return bool(roles_for(user, orientation))
