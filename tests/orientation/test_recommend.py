import json
from io import StringIO

import pytest
from django.core.management import call_command

from maillage.orientation.models import UnmetDemand
from maillage.orientation.recommend import recommend
from maillage.territory.models import Commune
from tests.factories.offer import DispositifFactory, StructureFactory

pytestmark = pytest.mark.django_db


def orient(*args):
    out = StringIO()
    call_command("orient", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def landes(db):
    herm = Commune.objects.get(insee="40123")
    structure = StructureFactory(name="Incubateur landais", commune=herm)
    collective = DispositifFactory(
        ref="collectifs",
        name="Incubateur de projets collectifs",
        structure=structure,
        stages=["ideation-premiers-pas", "emergence-faisabilite"],
        audiences=["collectif-citoyens"],
        sectors=["lien-social"],
        criteria_flags=["collective-only"],
        places=["40123"],
    )
    general = DispositifFactory(
        ref="general",
        name="Accompagnement généraliste",
        structure=structure,
        stages=["ideation-premiers-pas"],
        audiences=["individuel", "collectif-citoyens"],
        sectors=["tous-secteurs"],
        places=["40192"],
    )
    return collective, general


def test_collective_gets_the_collective_incubator_first_with_reasons(landes):
    data = orient(
        "--commune",
        "40123",
        "--stage",
        "ideation-premiers-pas",
        "--collective",
        "--sector",
        "lien-social",
    )
    first = data["recommendations"][0]
    assert first["dispositif_id"] == "collectifs"
    assert first["score"] > data["recommendations"][1]["score"]
    assert any("collectifs" in r for r in first["reasons"])
    assert data["unmet"] is False and data["empty_because"] is None


def test_individual_does_not_get_collective_only_programmes_and_is_told_why(landes):
    data = orient("--commune", "40123", "--stage", "ideation-premiers-pas")
    assert [r["dispositif_id"] for r in data["recommendations"]] == ["general"]
    assert data["excluded"] == [
        {
            "dispositif_id": "collectifs",
            "name": "Incubateur de projets collectifs",
            "why": "réservé aux projets collectifs",
        }
    ]


def test_nothing_fits_records_unmet_demand_with_the_filter(landes):
    data = orient("--commune", "40123", "--stage", "developpement")
    assert data["recommendations"] == []
    assert data["unmet"] is True and data["empty_because"] == "stage"
    demand = UnmetDemand.objects.get()
    assert (demand.commune.insee, demand.stage, demand.empty_because) == (
        "40123",
        "developpement",
        "stage",
    )


def test_far_away_gives_a_warning_and_unmet_demand(db):
    DispositifFactory(stages=["creation-incubation"], places=["23008"])  # Aubusson
    data = orient("--commune", "23096", "--stage", "creation-incubation", "--max-minutes", "30")
    [r] = data["recommendations"]
    assert r["travel_minutes"] > 30
    assert any("au-delà de vos 30 min" in w for w in r["warnings"])
    assert data["unmet"] is True
    assert UnmetDemand.objects.get().empty_because == "distance"


def test_next_stage_counts_but_less_than_current(db):
    gueret = Commune.objects.get(insee="23096")
    DispositifFactory(ref="now", stages=["emergence-faisabilite"], places=["23096"])
    DispositifFactory(ref="next", stages=["creation-incubation"], places=["23096"])
    result = recommend(
        commune=gueret,
        stage="emergence-faisabilite",
        audiences=frozenset({"individuel"}),
        record=False,
    )
    assert [r.dispositif_id for r in result.recommendations] == ["now", "next"]
    assert any("étape suivante" in reason for reason in result.recommendations[1].reasons)


def test_api_matches_the_command(landes, client):
    from django.urls import reverse

    response = client.get(
        reverse("api-v1:orient"),
        {"commune": "40123", "stage": "ideation-premiers-pas", "collective": "true"},
    )
    assert response.status_code == 200
    api = response.json()
    cli = orient("--commune", "40123", "--stage", "ideation-premiers-pas", "--collective")
    assert api == cli


def test_api_errors_are_french(client, db):
    from django.urls import reverse

    response = client.get(reverse("api-v1:orient"), {"commune": "00000", "stage": "x"})
    assert response.status_code == 404 and "Commune inconnue" in response.json()["detail"]
    response = client.get(reverse("api-v1:orient"), {"commune": "23096", "stage": "x"})
    assert response.status_code == 422 and "Valeurs possibles" in response.json()["detail"]


def test_projet_recommendations_start_from_its_main_commune_and_record_once(db):
    from maillage.orientation.recommend import recommend_for_projet
    from tests.factories.orientation import ProjetFactory

    DispositifFactory(stages=["ideation-premiers-pas"], zones=[("departement", "40")])
    projet = ProjetFactory(stage="ideation-premiers-pas")  # porteur lives in Guéret (23)
    assert recommend_for_projet(projet).unmet  # nothing serves Creuse
    projet.commune = Commune.objects.get(insee="40123")  # but the activity is in Herm
    projet.save()
    assert not recommend_for_projet(projet).unmet
    projet.stage = "developpement"
    projet.save()
    for _ in range(3):
        recommend_for_projet(projet)  # displayed three times
    assert UnmetDemand.objects.filter(projet=projet, stage="developpement").count() == 1
