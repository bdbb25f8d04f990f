"""The custom user model, organisations and memberships."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from maillage.accounts.models import AuditEvent, Membership, Organisation, User
from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_the_user_model_is_the_email_based_one():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    assert User.REQUIRED_FIELDS == []


def test_create_user_normalises_the_email_and_hashes_with_argon2():
    user = User.objects.create_user("  Camille.Martin@Exemple.FR ", "un-long-mot-de-passe")

    user.refresh_from_db()
    assert user.email == "camille.martin@exemple.fr"
    assert user.password.startswith("argon2$argon2id$")
    assert "un-long-mot-de-passe" not in user.password
    assert user.check_password("un-long-mot-de-passe")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active


def test_create_user_without_password_makes_an_unusable_one():
    user = User.objects.create_user("sans-mot-de-passe@exemple.fr")

    assert not user.has_usable_password()


def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="adresse e-mail est obligatoire"):
        User.objects.create_user("   ", "un-long-mot-de-passe")


def test_create_superuser_sets_the_flags():
    user = User.objects.create_superuser("Chef@Exemple.fr", "un-long-mot-de-passe")

    assert (user.email, user.is_staff, user.is_superuser) == ("chef@exemple.fr", True, True)


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_create_superuser_refuses_to_drop_a_flag(flag):
    with pytest.raises(ValueError, match=flag):
        User.objects.create_superuser("chef@exemple.fr", "un-long-mot-de-passe", **{flag: False})


def test_saving_a_user_directly_also_lowercases_the_email():
    user = User(email="Dominique@Exemple.FR")
    user.set_unusable_password()
    user.save()

    assert User.objects.get(pk=user.pk).email == "dominique@exemple.fr"


def test_clean_lowercases_the_email():
    user = User(email="Sacha@Exemple.FR")
    user.clean()

    assert user.email == "sacha@exemple.fr"


def test_email_is_unique_whatever_its_case():
    UserFactory(email="alix@exemple.fr")

    with pytest.raises(IntegrityError):
        UserFactory(email="ALIX@exemple.fr")


def test_natural_key_lookup_ignores_case():
    user = UserFactory(email="noa@exemple.fr")

    assert User.objects.get_by_natural_key("NOA@Exemple.fr ") == user


def test_authenticate_ignores_the_case_of_the_email():
    user = UserFactory(email="lou@exemple.fr")

    assert authenticate(username="Lou@EXEMPLE.fr", password=DEFAULT_PASSWORD) == user
    assert authenticate(username="lou@exemple.fr", password="pas-le-bon") is None


def test_createsuperuser_command_takes_an_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "un-long-mot-de-passe-admin")

    call_command("createsuperuser", "--noinput", "--email", "Admin@Exemple.fr", verbosity=0)

    user = User.objects.get(email="admin@exemple.fr")
    assert user.is_superuser and user.is_staff
    assert user.check_password("un-long-mot-de-passe-admin")


def test_display_names_fall_back_to_the_email():
    user = UserFactory(email="eden@exemple.fr", full_name="")

    assert str(user) == "eden@exemple.fr"
    assert user.get_full_name() == "eden@exemple.fr"
    user.full_name = "Eden Moreau"
    assert user.get_full_name() == user.get_short_name() == "Eden Moreau"


def test_organisation_kinds_have_french_labels():
    labels = dict(Organisation.Kind.choices)

    assert list(labels) == [
        "commune",
        "epci",
        "departement",
        "region",
        "etat",
        "structure-accompagnement",
        "tiers-lieu",
        "association",
        "service-social",
        "financeur",
        "autre",
    ]
    assert labels["tiers-lieu"] == "Tiers-lieu"
    assert labels["structure-accompagnement"] == "Structure d'accompagnement"
    assert labels["departement"] == "Département"


def test_roles_have_french_labels():
    assert dict(Membership.Role.choices) == {"admin": "Administrateur·rice", "member": "Membre"}


def test_verbose_names_are_french():
    assert str(User._meta.verbose_name) == "utilisateur·rice"
    assert str(Organisation._meta.verbose_name) == "organisation"
    assert str(Membership._meta.verbose_name) == "adhésion"
    assert str(User._meta.get_field("email").verbose_name) == "adresse e-mail"


@pytest.mark.parametrize(
    ("siret", "valid"),
    [("", True), ("12345678900012", True), ("1234567890001", False), ("1234567890001A", False)],
)
def test_siret_is_optional_but_has_fourteen_digits(siret, valid):
    organisation = Organisation(name="Mairie de Felletin", kind="commune", siret=siret)

    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            organisation.full_clean()
        assert excinfo.value.message_dict["siret"] == [
            "Un numéro SIRET comporte exactement 14 chiffres."
        ]


def test_a_user_is_member_of_an_organisation_only_once():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, organisation=membership.organisation)


def test_organisations_for_user():
    user = UserFactory()
    first = MembershipFactory(user=user, organisation__name="B").organisation
    second = MembershipFactory(user=user, organisation__name="A", admin=True).organisation
    MembershipFactory()  # someone else's organisation
    OrganisationFactory()  # an organisation without members

    assert list(Organisation.objects.for_user(user)) == [second, first]
    assert list(Organisation.objects.administered_by(user)) == [second]
    assert list(Organisation.objects.for_user(UserFactory())) == []


def test_organisations_for_anonymous_user_is_empty():
    MembershipFactory()

    assert not Organisation.objects.for_user(AnonymousUser()).exists()
    assert not Organisation.objects.for_user(None).exists()
    assert not Membership.objects.for_user(AnonymousUser()).exists()


def test_memberships_helpers():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, admin=True)
    member = MembershipFactory(organisation=organisation)

    assert list(organisation.memberships.admins()) == [admin]
    assert admin.is_admin and not member.is_admin
    assert str(member) == f"{member.user.email} · {organisation.name} (Membre)"
    assert set(organisation.members.all()) == {admin.user, member.user}


def test_deleting_a_user_keeps_the_audit_log():
    user = UserFactory()
    event = AuditEvent.objects.create(actor=user, verb="essai", target="x")

    user.delete()

    event.refresh_from_db()
    assert event.actor is None
    assert str(event) == "essai · x"
