"""Writes on organisations and memberships.

Every action takes the acting user as the keyword-only `acting_user`, checks
the rules of `maillage.accounts.permissions`, runs in a transaction and
leaves an `AuditEvent`. Refusals are raised as Django exceptions with a
French message: `PermissionDenied` when the acting user is not allowed,
`ValidationError` when the change would break a rule (e.g. an organisation
must keep at least one administrator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions
from .managers import normalise_email
from .models import AuditEvent, Membership, Organisation, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser | None


def _record(actor: AnyUser, verb: str, target: object, **data: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target=repr(target)[:255],
        data=data,
    )


def _check_role(role: str) -> str:
    if role not in Membership.Role.values:
        raise ValidationError(
            _("Rôle inconnu : « %(role)s »."), code="invalid_role", params={"role": role}
        )
    return role


def _lock(organisation: Organisation) -> Organisation:
    """Serialise membership changes of one organisation (row lock where supported)."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _refuse_if_last_admin(organisation: Organisation, membership: Membership) -> None:
    if membership.role != Membership.Role.ADMIN:
        return
    other_admins = organisation.memberships.admins().exclude(pk=membership.pk)
    if not other_admins.exists():
        raise ValidationError(
            _(
                "L'organisation doit garder au moins un·e administrateur·rice : "
                "désignez-en un·e autre avant."
            ),
            code="last_admin",
        )


def _membership(organisation: Organisation, user: AnyUser) -> Membership:
    try:
        return Membership.objects.select_related("user").get(organisation=organisation, user=user)
    except Membership.DoesNotExist:
        raise ValidationError(
            _("Cette personne n'est pas membre de l'organisation."), code="not_member"
        ) from None


@transaction.atomic
def create_organisation(
    *, acting_user: AnyUser, name: str, kind: str = Organisation.Kind.AUTRE, siret: str = ""
) -> Organisation:
    """Create an organisation; its creator becomes its first administrator."""
    if not permissions.can_create_organisation(acting_user):
        raise PermissionDenied(_("Vous devez être connecté·e pour créer une organisation."))
    organisation = Organisation(name=name.strip(), kind=kind, siret=siret.strip())
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        user=acting_user, organisation=organisation, role=Membership.Role.ADMIN
    )
    _record(acting_user, "organisation.create", organisation, kind=str(kind))
    return organisation


@transaction.atomic
def add_member(
    *,
    acting_user: AnyUser,
    organisation: Organisation,
    user: User,
    role: str = Membership.Role.MEMBER,
) -> Membership:
    """Add `user` to the organisation with the given role."""
    organisation = _lock(organisation)
    if not permissions.can_manage_members(acting_user, organisation):
        raise PermissionDenied(
            _("Seul·es les administrateur·rices de l'organisation peuvent ajouter des membres.")
        )
    _check_role(role)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("Cette personne est déjà membre de l'organisation."), code="already_member"
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    _record(acting_user, "membership.add", membership, user=user.email, role=role)
    return membership


@transaction.atomic
def change_role(
    *, acting_user: AnyUser, organisation: Organisation, user: User, role: str
) -> Membership:
    """Change the role of a member; the last administrator cannot be demoted."""
    organisation = _lock(organisation)
    if not permissions.can_manage_members(acting_user, organisation):
        raise PermissionDenied(
            _("Seul·es les administrateur·rices de l'organisation peuvent changer les rôles.")
        )
    _check_role(role)
    membership = _membership(organisation, user)
    previous = membership.role
    if previous == role:
        return membership
    if role != Membership.Role.ADMIN:
        _refuse_if_last_admin(organisation, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    _record(
        acting_user,
        "membership.change_role",
        membership,
        user=user.email,
        before=previous,
        after=role,
    )
    return membership


@transaction.atomic
def remove_member(*, acting_user: AnyUser, organisation: Organisation, user: User) -> None:
    """Remove a member (or let a member leave); the last administrator cannot go."""
    organisation = _lock(organisation)
    if not permissions.can_remove_member(acting_user, organisation, user):
        raise PermissionDenied(
            _("Seul·es les administrateur·rices de l'organisation peuvent retirer des membres.")
        )
    membership = _membership(organisation, user)
    _refuse_if_last_admin(organisation, membership)
    _record(acting_user, "membership.remove", membership, user=user.email, role=membership.role)
    membership.delete()


@transaction.atomic
def ensure_demo_account(
    email: str,
    password: str,
    organisation_name: str,
    *,
    full_name: str = "",
    organisation_kind: str = Organisation.Kind.STRUCTURE_ACCOMPAGNEMENT,
) -> tuple[User, bool]:
    """Make sure a demo user exists and administers an organisation of that name.

    Idempotent: an existing account is left as it is (its password is not
    reset); the organisation and the admin membership are created only when
    missing. Returns the user and whether the account was created.
    """
    email = normalise_email(email)
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email, password, full_name=full_name)
        _record(None, "user.create_demo", user)

    organisation = (
        Organisation.objects.filter(name=organisation_name, memberships__user=user)
        .order_by("pk")
        .first()
        or Organisation.objects.filter(name=organisation_name).order_by("pk").first()
    )
    if organisation is None:
        organisation = Organisation.objects.create(name=organisation_name, kind=organisation_kind)
        _record(None, "organisation.create", organisation, kind=str(organisation_kind))

    membership, membership_created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
    )
    if membership_created:
        _record(None, "membership.add", membership, user=user.email, role=membership.role)
    elif membership.role != Membership.Role.ADMIN:
        previous, membership.role = membership.role, Membership.Role.ADMIN
        membership.save(update_fields=["role"])
        _record(
            None,
            "membership.change_role",
            membership,
            user=user.email,
            before=previous,
            after=membership.role,
        )
    return user, created
