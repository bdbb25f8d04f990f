"""GET /api/v1/diagnosis: the JSON of `maillage diagnose --json`, French 422s."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.offer.index import clear_index
from maillage.offer.vocabulary import PATHWAY
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db

URL = reverse("api-v1:diagnosis")
STAGE = "creation-incubation"


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def offer():
    DispositifFactory(stages=[STAGE], places=["23096", "23008"])
    DispositifFactory(stages=["test-activite"], places=["23096"])


def cli(*args: str):
    out = StringIO()
    call_command("diagnose", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_one_stage_is_the_cli_json(client, offer):
    response = client.get(URL, {"territory": "departement:23", "stage": STAGE, "threshold": "30"})
    assert response.status_code == 200
    data = response.json()
    assert data == cli("--territory", "departement:23", "--stage", STAGE, "--threshold", "30")
    assert data["communes"] == 255 and 0 < data["communes_beyond"] < 255


def test_without_stage_every_stage_of_the_pathway(client, offer):
    response = client.get(URL, {"territory": "epci:200044014", "threshold": "45"})
    assert response.status_code == 200
    data = response.json()
    assert [d["stage"] for d in data] == [s.value for s in PATHWAY]
    assert data == cli("--territory", "epci:200044014", "--threshold", "45")


def test_threshold_defaults_to_30_and_accepts_a_comma(client, offer):
    default = client.get(URL, {"territory": "departement:23", "stage": STAGE}).json()
    assert default["threshold_minutes"] == 30
    comma = client.get(URL, {"territory": "departement:23", "stage": STAGE, "threshold": "22,5"})
    assert comma.json()["threshold_minutes"] == 22.5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"territory": "departement:99"}, "Territoire inconnu « departement:99 »"),
        ({"territory": "canton:1"}, "Territoire inconnu"),
        ({"territory": "communes:23096,99999"}, "Communes inconnues : 99999"),
        ({}, "Le paramètre territory est obligatoire"),
        ({"territory": "departement:23", "stage": "incubation"}, "Étape inconnue « incubation »"),
        ({"territory": "departement:23", "threshold": "abc"}, "Le paramètre threshold"),
        ({"territory": "departement:23", "threshold": "0"}, "entre 1 et 240"),
        ({"territory": "departement:23", "threshold": "600"}, "entre 1 et 240"),
    ],
)
def test_bad_parameters_get_a_french_422(client, params, message):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_unknown_stage_lists_the_allowed_ones(client):
    response = client.get(URL, {"territory": "departement:23", "stage": "x"})
    assert STAGE in response.json()["allowed"]


def test_epci_lookup_by_name_or_siren(client):
    url = reverse("api-v1:diagnosis-epci")
    by_name = client.get(url, {"q": "grand gueret"}).json()
    assert {"siren": "200034825", "name": "Communauté d'agglomération du Grand Guéret"} in by_name
    assert client.get(url, {"q": "200034825"}).json()[0]["name"].endswith("Grand Guéret")
    assert client.get(url, {"q": "g"}).json() == []


def test_the_endpoint_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/diagnosis"]["get"]
    assert "quelques secondes" in operation["description"]
