"""Login, logout and profile pages."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories.accounts import DEFAULT_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_ERROR = "Adresse e-mail ou mot de passe incorrect."


def h1_count(response):
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def test_urls():
    assert reverse("accounts:login") == "/comptes/connexion/"
    assert reverse("accounts:logout") == "/comptes/deconnexion/"
    assert reverse("accounts:profile") == "/comptes/profil/"


def test_login_page_is_french_and_labelled(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert '<label for="id_username">Adresse e-mail' in html
    assert '<label for="id_password">Mot de passe' in html
    assert 'type="email" name="username"' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_email_redirects_home(client):
    user = UserFactory(email="claude@exemple.fr")

    response = client.post(
        reverse("accounts:login"), {"username": "claude@exemple.fr", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_follows_a_safe_next(client):
    UserFactory(email="claude@exemple.fr")
    profile = reverse("accounts:profile")

    response = client.post(
        reverse("accounts:login"),
        {"username": "claude@exemple.fr", "password": DEFAULT_PASSWORD, "next": profile},
    )

    assert response.url == profile


def test_login_ignores_the_case_of_the_email(client):
    user = UserFactory(email="claude@exemple.fr")

    response = client.post(
        reverse("accounts:login"),
        {"username": "  Claude@EXEMPLE.fr", "password": DEFAULT_PASSWORD},
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("claude@exemple.fr", "mauvais-mot-de-passe"),
        ("inconnu@exemple.fr", DEFAULT_PASSWORD),
    ],
)
def test_wrong_credentials_show_a_french_error(client, email, password):
    UserFactory(email="claude@exemple.fr")

    response = client.post(reverse("accounts:login"), {"username": email, "password": password})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert LOGIN_ERROR in html
    assert 'role="alert"' in html
    assert h1_count(response) == 1


def test_an_inactive_user_cannot_log_in(client):
    UserFactory(email="claude@exemple.fr", is_active=False)

    response = client.post(
        reverse("accounts:login"), {"username": "claude@exemple.fr", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert LOGIN_ERROR in response.content.decode()


def test_missing_fields_errors_are_linked_to_their_fields(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})

    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert 'id="id_username_error"' in html
    assert re.search(
        r'<input[^>]*aria-describedby="id_username_error"[^>]*name="username"', html
    ) or (re.search(r'<input[^>]*name="username"[^>]*aria-describedby="id_username_error"', html))
    assert 'aria-invalid="true"' in html
    assert 'href="#id_username"' in html


def test_logout_is_a_post(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert SESSION_KEY in client.session

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert SESSION_KEY not in client.session


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"


def test_profile_shows_the_user_and_their_organisations(client):
    user = UserFactory(email="claude@exemple.fr", full_name="Claude Bernard")
    MembershipFactory(
        user=user,
        organisation__name="Tiers-lieu de Felletin",
        organisation__kind="tiers-lieu",
        admin=True,
    )
    MembershipFactory(
        user=user, organisation__name="Mairie d'Aubusson", organisation__kind="commune"
    )
    MembershipFactory(organisation__name="Organisation d'autrui")
    client.force_login(user)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    assert "claude@exemple.fr" in html
    assert "Claude Bernard" in html
    assert "Mes organisations" in html
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html
    )
    assert rows == [
        ("Mairie d&#x27;Aubusson", "Commune", "Membre"),
        ("Tiers-lieu de Felletin", "Tiers-lieu", "Administrateur·rice"),
    ]
    assert "Organisation d&#x27;autrui" not in html


def test_profile_without_organisation(client):
    client.force_login(UserFactory(full_name=""))

    response = client.get(reverse("accounts:profile"))

    html = response.content.decode()
    assert "membre d'aucune organisation" in html
    assert "Non renseigné" in html


def test_a_logged_in_user_is_sent_away_from_the_login_page(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:login"))

    assert response.status_code == 302
    assert response.url == reverse("web:home")
