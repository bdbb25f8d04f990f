"""Factories for users, organisations and memberships."""

import functools

import factory
from django.contrib.auth.hashers import make_password

from maillage.accounts.models import Membership, Organisation, User

DEFAULT_PASSWORD = "mot-de-passe-de-test-2024"


@functools.cache
def _hash(raw_password: str) -> str:
    # Argon2 is deliberately slow: hash each distinct test password only once.
    return make_password(raw_password)


class UserFactory(factory.django.DjangoModelFactory):
    """A user who logs in with `email` and `DEFAULT_PASSWORD` (or `password=`)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD, transform=_hash)
    is_active = True
    is_staff = False

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation n°{n}")
    kind = Organisation.Kind.STRUCTURE_ACCOMPAGNEMENT
    siret = ""


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER

    class Params:
        admin = factory.Trait(role=Membership.Role.ADMIN)
