"""Who may do what with an organisation: the permission table."""

import pytest
from django.contrib.auth.models import AnonymousUser

from maillage.accounts import permissions
from maillage.accounts.models import Organisation

pytestmark = pytest.mark.django_db

PEOPLE = [
    "admin",
    "member",
    "outsider",
    "staff",
    "superuser",
    "inactive_admin",
    "admin_elsewhere",
]

# person → expected (is_member, is_org_admin, can_view, can_manage_members)
TABLE = {
    "admin": (True, True, True, True),
    "member": (True, False, True, False),
    "outsider": (False, False, False, False),
    "staff": (False, False, True, True),
    "superuser": (False, False, True, True),
    "inactive_admin": (False, False, False, False),
    "admin_elsewhere": (False, False, False, False),
}


@pytest.mark.parametrize("person", PEOPLE)
def test_permission_table(cast, person):
    user = cast[person]
    organisation = cast.organisation

    assert (
        permissions.is_member(user, organisation),
        permissions.is_org_admin(user, organisation),
        permissions.can_view_organisation(user, organisation),
        permissions.can_manage_members(user, organisation),
    ) == TABLE[person]
    assert permissions.can_change_organisation(user, organisation) == TABLE[person][3]


@pytest.mark.parametrize(
    ("person", "expected"),
    [("admin", "admin"), ("member", "member"), ("outsider", None), ("inactive_admin", None)],
)
def test_role_in(cast, person, expected):
    assert permissions.role_in(cast[person], cast.organisation) == expected


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_anonymous_users_are_allowed_nothing(cast, user):
    organisation = cast.organisation

    assert not permissions.is_member(user, organisation)
    assert not permissions.is_org_admin(user, organisation)
    assert not permissions.is_platform_staff(user)
    assert not permissions.can_view_organisation(user, organisation)
    assert not permissions.can_manage_members(user, organisation)
    assert not permissions.can_remove_member(user, organisation, cast.member)
    assert not permissions.can_create_organisation(user)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("admin", True),
        ("member", True),
        ("outsider", True),
        ("staff", True),
        ("inactive_admin", False),
    ],
)
def test_can_create_organisation(cast, person, expected):
    assert permissions.can_create_organisation(cast[person]) is expected


@pytest.mark.parametrize(
    ("person", "target", "expected"),
    [
        ("admin", "member", True),
        ("staff", "member", True),
        ("member", "admin", False),
        ("member", "member", True),  # leaving the organisation
        ("outsider", "member", False),
        ("outsider", "outsider", False),  # not a member: nothing to leave
        ("admin_elsewhere", "member", False),
    ],
)
def test_can_remove_member(cast, person, target, expected):
    assert permissions.can_remove_member(cast[person], cast.organisation, cast[target]) is expected


def test_an_unsaved_organisation_has_no_members(cast):
    assert permissions.role_in(cast.admin, Organisation(name="Pas encore créée")) is None
