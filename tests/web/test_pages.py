import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_french_and_offers_commune_search(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Trouver une commune" in html
    assert 'role="combobox"' in html


def test_search_page_without_javascript(client):
    response = client.get(reverse("web:commune-search"), {"q": "chaise dieu"})
    html = response.content.decode()
    assert "La Chaise-Dieu" in html
    assert reverse("web:commune-detail", kwargs={"insee": "43048"}) in html


def test_search_page_says_when_nothing_matches(client):
    response = client.get(reverse("web:commune-search"), {"q": "xyzzy"})
    assert "Aucune commune ne correspond" in response.content.decode()


def test_commune_page(client):
    response = client.get(reverse("web:commune-detail", kwargs={"insee": "23096"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Guéret" in html
    assert "23000" in html
    assert "estimation" in html  # rurality is labelled as an estimate
    assert "<svg" in html and "<path" in html


def test_unknown_commune_is_404(client):
    response = client.get(reverse("web:commune-detail", kwargs={"insee": "00000"}))
    assert response.status_code == 404


def test_english_is_available(client):
    response = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()


def test_api_search(client):
    response = client.get(reverse("api-v1:commune-search"), {"q": "herm"})
    assert response.status_code == 200
    data = response.json()
    assert {"09138", "40123"} <= {row["insee"] for row in data}
    assert set(data[0]) == {"insee", "name", "departement", "postal_codes", "population"}


def test_api_search_validates_limit(client):
    response = client.get(reverse("api-v1:commune-search"), {"q": "herm", "limit": 500})
    assert response.status_code == 422


def test_api_detail(client):
    response = client.get(reverse("api-v1:commune-detail", kwargs={"insee": "43048"}))
    data = response.json()
    assert data["name"] == "La Chaise-Dieu"
    assert data["rurality_is_estimate"] is True
    assert data["cog_year"] == 2025
