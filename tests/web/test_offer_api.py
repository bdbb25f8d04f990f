"""The support offer's JSON API (/api/v1/offer/)."""

import pytest
from django.urls import reverse

from maillage.offer.index import clear_index
from maillage.offer.search import OfferQuery, search_offer
from maillage.offer.vocabulary import Stage
from maillage.territory.models import Commune
from tests.factories.offer import DispositifFactory, StructureFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("api-v1:offer-search")


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


def test_search_returns_the_domain_results(client):
    d = DispositifFactory(name="Cycle idées", places=["23096"])
    response = client.get(SEARCH, {"commune": "23247", "stage": "ideation-premiers-pas"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"results", "empty_because", "message"}
    assert data["empty_because"] is None and data["message"] is None
    [row] = data["results"]
    expected = search_offer(
        OfferQuery(commune=Commune.objects.get(insee="23247"), stage="ideation-premiers-pas")
    ).results[0]
    assert row == expected.as_dict()  # every key of OfferResult.as_dict(), unchanged
    assert row["dispositif_id"] == d.ref
    assert row["zone_match"] == "departement:23"
    assert 5 < row["travel_minutes"] < 25


def test_empty_parameters_mean_no_filter(client):
    DispositifFactory(places=["23096"])
    response = client.get(
        SEARCH,
        {
            "commune": "23096",
            "stage": "",
            "audience": "",
            "sector": "",
            "format": "",
            "max_minutes": "",
        },
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_empty_result_says_why_in_french(client):
    DispositifFactory(stages=["creation-incubation"], places=["23008"])
    response = client.get(
        SEARCH, {"commune": "23096", "stage": "creation-incubation", "max_minutes": 15}
    )
    data = response.json()
    assert response.status_code == 200
    assert data["results"] == []
    assert data["empty_because"] == "distance"
    assert data["message"] == (
        "Aucun dispositif d'étape « Création, incubation » à moins de 15 min de Guéret."
    )


def test_unknown_commune_is_404_with_a_french_message(client):
    response = client.get(SEARCH, {"commune": "99999"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Commune inconnue : aucun code INSEE « 99999 »."}


@pytest.mark.parametrize(
    ("param", "word"),
    [("stage", "Étape"), ("audience", "Public"), ("sector", "Secteur"), ("format", "Format")],
)
def test_unknown_slug_is_422_listing_the_allowed_values(client, param, word):
    response = client.get(SEARCH, {"commune": "23096", param: "n-importe-quoi"})
    assert response.status_code == 422
    data = response.json()
    assert data["detail"].startswith(f"{word} inconnu")
    assert "n-importe-quoi" in data["detail"]
    if param == "stage":
        assert data["allowed"] == list(Stage.values)
        assert "creation-incubation" in data["detail"]


@pytest.mark.parametrize("value", ["abc", "0", "-5", "100000"])
def test_bad_max_minutes_is_422(client, value):
    response = client.get(SEARCH, {"commune": "23096", "max_minutes": value})
    assert response.status_code == 422
    assert "max_minutes" in response.json()["detail"]


def test_missing_commune_is_422(client):
    assert client.get(SEARCH).status_code == 422


def test_dispositif_detail(client):
    partner = StructureFactory(name="Partenaire")
    d = DispositifFactory(name="Cycle idées", places=["23008"], zones=[("departement", "23")])
    d.co_operators.set([partner])
    response = client.get(reverse("api-v1:offer-dispositif", kwargs={"ref": d.ref}))
    assert response.status_code == 200
    data = response.json()
    assert data["ref"] == d.ref
    assert data["structure"] == {"ref": d.structure.ref, "name": d.structure.name}
    assert data["co_operators"] == [{"ref": partner.ref, "name": "Partenaire"}]
    assert data["zones"] == [{"kind": "departement", "code": "23", "label": "Creuse (département)"}]
    assert data["session_places"] == [{"insee": "23008", "name": "Aubusson", "label": ""}]
    assert data["url"].endswith(reverse("web:dispositif-detail", kwargs={"ref": d.ref}))
    assert data["is_stale"] is False


def test_structure_detail(client):
    s = StructureFactory(name="Incubateur", kinds=["incubateur"])
    DispositifFactory(structure=s, name="Programme")
    response = client.get(reverse("api-v1:offer-structure", kwargs={"ref": s.ref}))
    assert response.status_code == 200
    data = response.json()
    assert data["kinds"] == ["incubateur"]
    assert data["commune"] == {"insee": "23096", "name": "Guéret"}
    assert [x["name"] for x in data["dispositifs"]] == ["Programme"]


def test_unpublished_entries_are_404(client):
    s = StructureFactory(moderation_status="en-attente")
    d = DispositifFactory(structure=s)
    for url in [
        reverse("api-v1:offer-structure", kwargs={"ref": s.ref}),
        reverse("api-v1:offer-dispositif", kwargs={"ref": d.ref}),
        reverse("api-v1:offer-structure", kwargs={"ref": "inconnue"}),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "publié" in response.json()["detail"]
