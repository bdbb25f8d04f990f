"""The Django admin for users and organisations."""

import pytest
from django.urls import reverse

from maillage.accounts.models import Membership, User
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(superuser=True, email="admin@exemple.fr"))
    return client


def test_user_changelist_loads_for_a_superuser(superuser_client):
    UserFactory(email="camille@exemple.fr", full_name="Camille Martin")

    response = superuser_client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "camille@exemple.fr" in html
    assert "Camille Martin" in html


def test_user_changelist_search(superuser_client):
    UserFactory(email="camille@exemple.fr")
    UserFactory(email="dominique@exemple.fr")

    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"q": "camille"})

    assert [u.email for u in response.context["cl"].result_list] == ["camille@exemple.fr"]


def test_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_user_change_page_loads(superuser_client):
    membership = MembershipFactory(organisation__name="Tiers-lieu de Felletin")

    response = superuser_client.get(
        reverse("admin:accounts_user_change", args=[membership.user.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Informations personnelles" in html
    assert "Tiers-lieu de Felletin" in html


def test_add_a_user_through_the_admin(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouvelle.Personne@Exemple.FR",
            "full_name": "Nouvelle Personne",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="nouvelle.personne@exemple.fr")
    assert user.full_name == "Nouvelle Personne"
    assert user.password.startswith("argon2")
    assert user.check_password("un-mot-de-passe-solide-42")


def test_adding_a_user_with_an_existing_email_in_another_case_fails(superuser_client):
    UserFactory(email="camille@exemple.fr")

    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "CAMILLE@exemple.fr",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Un compte existe déjà avec cette adresse e-mail."
    ]
    assert User.objects.count() == 2


def test_organisation_pages_load(superuser_client):
    membership = MembershipFactory(organisation__name="Tiers-lieu de Felletin", admin=True)

    changelist = superuser_client.get(reverse("admin:accounts_organisation_changelist"))
    change = superuser_client.get(
        reverse("admin:accounts_organisation_change", args=[membership.organisation.pk])
    )

    assert changelist.status_code == change.status_code == 200
    assert "Tiers-lieu de Felletin" in changelist.content.decode()
    assert membership.user.email in change.content.decode()


def inline_data(organisation, memberships, **overrides):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "siret": organisation.siret,
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, membership in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": str(membership.pk),
            f"memberships-{i}-organisation": str(organisation.pk),
            f"memberships-{i}-user": str(membership.user.pk),
            f"memberships-{i}-role": membership.role,
        }
    return data | overrides


def test_the_admin_inline_keeps_at_least_one_admin(superuser_client):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, admin=True)
    member = MembershipFactory(organisation=organisation)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])

    response = superuser_client.post(
        url, inline_data(organisation, [admin, member], **{"memberships-0-role": "member"})
    )

    assert response.status_code == 200
    assert "au moins un·e administrateur·rice" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN

    response = superuser_client.post(
        url,
        inline_data(
            organisation,
            [admin, member],
            **{"memberships-0-role": "member", "memberships-1-role": "admin"},
        ),
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    member.refresh_from_db()
    assert (admin.role, member.role) == ("member", "admin")


def test_audit_log_is_read_only(superuser_client):
    response = superuser_client.get(reverse("admin:accounts_auditevent_changelist"))

    assert response.status_code == 200
    assert superuser_client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
