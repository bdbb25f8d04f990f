"""Fixtures of the accounts tests: one organisation and a person in every role."""

from dataclasses import dataclass

import pytest

from maillage.accounts.models import Membership, Organisation, User
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory


@dataclass
class Cast:
    """An organisation and people in every position towards it."""

    organisation: Organisation
    admin: User
    member: User
    outsider: User
    staff: User
    superuser: User
    inactive_admin: User
    admin_elsewhere: User

    def __getitem__(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture
def cast(db) -> Cast:
    organisation = OrganisationFactory(name="Tiers-lieu de Felletin")
    other = OrganisationFactory(name="Communauté de communes Creuse Grand Sud")
    admin = MembershipFactory(organisation=organisation, admin=True).user
    member = MembershipFactory(organisation=organisation).user
    inactive_admin = MembershipFactory(
        organisation=organisation, admin=True, user__is_active=False
    ).user
    admin_elsewhere = MembershipFactory(organisation=other, admin=True).user
    return Cast(
        organisation=organisation,
        admin=admin,
        member=member,
        outsider=UserFactory(),
        staff=UserFactory(staff=True),
        superuser=UserFactory(superuser=True),
        inactive_admin=inactive_admin,
        admin_elsewhere=admin_elsewhere,
    )


@pytest.fixture
def admin_membership(cast: Cast) -> Membership:
    return Membership.objects.get(organisation=cast.organisation, user=cast.admin)
