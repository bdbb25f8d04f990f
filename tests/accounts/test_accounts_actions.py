"""Writes on organisations and memberships go through the actions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.accounts import actions
from maillage.accounts.models import AuditEvent, Membership, Organisation, User
from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALLOWED_TO_MANAGE = ["admin", "staff", "superuser"]
NOT_ALLOWED_TO_MANAGE = ["member", "outsider", "inactive_admin", "admin_elsewhere"]


def role_of(user, organisation):
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


# --- create_organisation ----------------------------------------------------


def test_create_organisation_makes_the_creator_its_admin():
    user = UserFactory()

    organisation = actions.create_organisation(
        acting_user=user, name="  Tiers-lieu La Quincaillerie ", kind="tiers-lieu"
    )

    assert organisation.name == "Tiers-lieu La Quincaillerie"
    assert organisation.get_kind_display() == "Tiers-lieu"
    assert role_of(user, organisation) == "admin"
    event = AuditEvent.objects.get(verb="organisation.create")
    assert event.actor == user
    assert event.data == {"kind": "tiers-lieu"}
    assert "Tiers-lieu La Quincaillerie" in event.target


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_create_organisation_needs_a_logged_in_user(user):
    with pytest.raises(PermissionDenied, match="connecté·e pour créer une organisation"):
        actions.create_organisation(acting_user=user, name="Asso", kind="association")

    assert not Organisation.objects.exists()


def test_create_organisation_validates_its_fields():
    user = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        actions.create_organisation(acting_user=user, name="Asso", kind="club", siret="123")

    assert set(excinfo.value.message_dict) == {"kind", "siret"}
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


# --- add_member ---------------------------------------------------------------


@pytest.mark.parametrize("person", ALLOWED_TO_MANAGE)
def test_allowed_people_add_members(cast, person):
    newcomer = UserFactory()

    membership = actions.add_member(
        acting_user=cast[person], organisation=cast.organisation, user=newcomer, role="member"
    )

    assert membership.role == "member"
    assert role_of(newcomer, cast.organisation) == "member"
    assert AuditEvent.objects.filter(verb="membership.add", actor=cast[person]).exists()


@pytest.mark.parametrize("person", NOT_ALLOWED_TO_MANAGE)
def test_other_people_cannot_add_members(cast, person):
    newcomer = UserFactory()

    with pytest.raises(PermissionDenied, match="peuvent ajouter des membres"):
        actions.add_member(
            acting_user=cast[person], organisation=cast.organisation, user=newcomer, role="admin"
        )

    assert role_of(newcomer, cast.organisation) is None
    assert not AuditEvent.objects.exists()


def test_add_member_refuses_an_existing_member(cast):
    with pytest.raises(ValidationError, match="déjà membre"):
        actions.add_member(
            acting_user=cast.admin, organisation=cast.organisation, user=cast.member, role="admin"
        )

    assert role_of(cast.member, cast.organisation) == "member"


def test_add_member_refuses_an_unknown_role(cast):
    with pytest.raises(ValidationError, match="Rôle inconnu : « owner »"):
        actions.add_member(
            acting_user=cast.admin, organisation=cast.organisation, user=cast.outsider, role="owner"
        )


# --- change_role --------------------------------------------------------------


@pytest.mark.parametrize("person", ALLOWED_TO_MANAGE)
def test_allowed_people_change_roles(cast, person):
    membership = actions.change_role(
        acting_user=cast[person], organisation=cast.organisation, user=cast.member, role="admin"
    )

    assert membership.role == "admin"
    assert role_of(cast.member, cast.organisation) == "admin"
    event = AuditEvent.objects.get(verb="membership.change_role")
    assert event.data == {"user": cast.member.email, "before": "member", "after": "admin"}


@pytest.mark.parametrize("person", NOT_ALLOWED_TO_MANAGE)
def test_other_people_cannot_change_roles(cast, person):
    with pytest.raises(PermissionDenied, match="peuvent changer les rôles"):
        actions.change_role(
            acting_user=cast[person], organisation=cast.organisation, user=cast.member, role="admin"
        )

    assert role_of(cast.member, cast.organisation) == "member"


def test_a_member_cannot_promote_themself(cast):
    with pytest.raises(PermissionDenied):
        actions.change_role(
            acting_user=cast.member, organisation=cast.organisation, user=cast.member, role="admin"
        )


def test_change_role_of_a_non_member(cast):
    with pytest.raises(ValidationError, match="n'est pas membre"):
        actions.change_role(
            acting_user=cast.admin, organisation=cast.organisation, user=cast.outsider, role="admin"
        )


def test_change_role_to_the_same_role_changes_nothing(cast):
    actions.change_role(
        acting_user=cast.admin, organisation=cast.organisation, user=cast.member, role="member"
    )

    assert not AuditEvent.objects.exists()


def test_an_admin_can_step_down_when_another_admin_remains(cast):
    actions.change_role(
        acting_user=cast.admin, organisation=cast.organisation, user=cast.admin, role="member"
    )

    assert role_of(cast.admin, cast.organisation) == "member"


# --- remove_member ------------------------------------------------------------


@pytest.mark.parametrize("person", ALLOWED_TO_MANAGE)
def test_allowed_people_remove_members(cast, person):
    actions.remove_member(
        acting_user=cast[person], organisation=cast.organisation, user=cast.member
    )

    assert role_of(cast.member, cast.organisation) is None
    event = AuditEvent.objects.get(verb="membership.remove")
    assert event.data == {"user": cast.member.email, "role": "member"}


@pytest.mark.parametrize("person", NOT_ALLOWED_TO_MANAGE)
def test_other_people_cannot_remove_members(cast, person):
    with pytest.raises(PermissionDenied, match="peuvent retirer des membres"):
        actions.remove_member(
            acting_user=cast[person], organisation=cast.organisation, user=cast.admin
        )

    assert role_of(cast.admin, cast.organisation) == "admin"


def test_a_member_can_leave(cast):
    actions.remove_member(acting_user=cast.member, organisation=cast.organisation, user=cast.member)

    assert role_of(cast.member, cast.organisation) is None


def test_remove_a_non_member(cast):
    with pytest.raises(ValidationError, match="n'est pas membre"):
        actions.remove_member(
            acting_user=cast.admin, organisation=cast.organisation, user=cast.outsider
        )


# --- the last administrator ---------------------------------------------------


@pytest.fixture
def lone_admin():
    membership = MembershipFactory(admin=True)
    MembershipFactory(organisation=membership.organisation)
    return membership


@pytest.mark.parametrize("acting", ["self", "staff"])
def test_the_last_admin_cannot_be_removed(lone_admin, acting):
    acting_user = lone_admin.user if acting == "self" else UserFactory(staff=True)

    with pytest.raises(ValidationError, match="au moins un·e administrateur·rice"):
        actions.remove_member(
            acting_user=acting_user, organisation=lone_admin.organisation, user=lone_admin.user
        )

    assert role_of(lone_admin.user, lone_admin.organisation) == "admin"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("acting", ["self", "staff"])
def test_the_last_admin_cannot_be_demoted(lone_admin, acting):
    acting_user = lone_admin.user if acting == "self" else UserFactory(staff=True)

    with pytest.raises(ValidationError, match="au moins un·e administrateur·rice"):
        actions.change_role(
            acting_user=acting_user,
            organisation=lone_admin.organisation,
            user=lone_admin.user,
            role="member",
        )

    assert role_of(lone_admin.user, lone_admin.organisation) == "admin"


def test_the_last_admin_can_go_once_another_admin_is_named(lone_admin):
    organisation, admin = lone_admin.organisation, lone_admin.user
    successor = UserFactory()
    actions.add_member(acting_user=admin, organisation=organisation, user=successor, role="admin")

    actions.remove_member(acting_user=admin, organisation=organisation, user=admin)

    assert list(organisation.memberships.admins().values_list("user", flat=True)) == [successor.pk]


# --- ensure_demo_account ------------------------------------------------------


def test_ensure_demo_account_creates_a_user_administering_an_organisation():
    user, created = actions.ensure_demo_account(
        "Demo@Maillage.example", "demo-mot-de-passe", "Tiers-lieu de démonstration"
    )

    assert created is True
    assert user.email == "demo@maillage.example"
    assert user.check_password("demo-mot-de-passe")
    organisation = Organisation.objects.get()
    assert organisation.name == "Tiers-lieu de démonstration"
    assert role_of(user, organisation) == "admin"


def test_ensure_demo_account_is_idempotent():
    first_user, first_created = actions.ensure_demo_account(
        "demo@maillage.example", "demo-mot-de-passe", "Tiers-lieu de démonstration"
    )
    second_user, second_created = actions.ensure_demo_account(
        "DEMO@maillage.example", "autre-mot-de-passe", "Tiers-lieu de démonstration"
    )

    assert (first_created, second_created) == (True, False)
    assert second_user == first_user
    assert User.objects.count() == 1
    assert Organisation.objects.count() == 1
    assert Membership.objects.count() == 1
    # The existing account is left alone: its password is not reset.
    second_user.refresh_from_db()
    assert second_user.check_password("demo-mot-de-passe")


def test_ensure_demo_account_reuses_and_repairs_existing_rows():
    user = UserFactory(email="demo@maillage.example")
    organisation = OrganisationFactory(name="Tiers-lieu de démonstration")
    MembershipFactory(user=user, organisation=organisation, role="member")

    returned, created = actions.ensure_demo_account(
        "demo@maillage.example", "demo-mot-de-passe", "Tiers-lieu de démonstration"
    )

    assert (returned, created) == (user, False)
    assert Organisation.objects.count() == 1
    assert role_of(user, organisation) == "admin"
    assert returned.check_password(DEFAULT_PASSWORD)
