"""Who may edit and moderate the support offer."""

from maillage.accounts.permissions import is_member, is_platform_staff

from .models import Dispositif, Structure


def can_edit_structure(user, structure: Structure) -> bool:
    if is_platform_staff(user):
        return True
    return structure.organisation_id is not None and is_member(user, structure.organisation)


def can_edit_dispositif(user, dispositif: Dispositif) -> bool:
    return can_edit_structure(user, dispositif.structure)


def can_moderate(user) -> bool:
    return is_platform_staff(user)
