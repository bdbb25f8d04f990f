import datetime as dt

import pytest
from django.utils import timezone

from maillage.offer.index import clear_index
from maillage.offer.search import OfferQuery, search_offer
from maillage.territory.models import Commune
from tests.factories.offer import DispositifFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


def query(insee, **kwargs):
    return OfferQuery(commune=Commune.objects.get(insee=insee), **kwargs)


def test_zone_covers_commune_and_travel_is_to_nearest_session_place():
    d = DispositifFactory(name="Cycle idées Creuse", places=["23008", "23096"])  # Aubusson, Guéret
    outcome = search_offer(query("23247", stage="ideation-premiers-pas"))  # Saint-Vaury
    [result] = outcome.results
    assert result.entry.ref == d.ref
    assert result.zone_match == "departement:23"
    assert result.nearest_place == "Guéret"  # 10 km from Saint-Vaury, Aubusson is 40 km
    assert 5 < result.travel_minutes < 25
    assert any("Creuse (département)" in r for r in result.reasons)
    assert any("Guéret" in r and "min" in r for r in result.reasons)


def test_commune_outside_the_zone_gets_nothing_and_a_reason():
    DispositifFactory(zones=[("departement", "23")])
    outcome = search_offer(query("07010"))  # Annonay
    assert outcome.results == []
    assert outcome.empty_because == "zone"
    assert "Annonay" in outcome.message


def test_stage_filter_explains_what_is_missing():
    DispositifFactory(stages=["ideation-premiers-pas"])
    outcome = search_offer(query("23096", stage="creation-incubation"))
    assert outcome.empty_because == "stage"
    assert "Création, incubation" in outcome.message


def test_max_minutes_filter_says_how_far():
    DispositifFactory(stages=["creation-incubation"], places=["23008"])  # Aubusson
    outcome = search_offer(query("23096", stage="creation-incubation", max_minutes=20))
    assert outcome.empty_because == "distance"
    assert "à moins de 20 min" in outcome.message
    assert search_offer(query("23096", stage="creation-incubation", max_minutes=90)).results


def test_remote_dispositif_passes_distance_filter_without_travel():
    DispositifFactory(formats=["remote"], zones=[("france", "")], places=[])
    [r] = search_offer(query("07010", max_minutes=10)).results
    assert r.is_remote
    assert r.zone_match == "france"


def test_audience_and_grand_public():
    DispositifFactory(audiences=["collectivite"])
    assert search_offer(query("23096", audience="jeune")).empty_because == "audience"
    DispositifFactory(audiences=["grand-public"])
    assert len(search_offer(query("23096", audience="jeune")).results) == 1


def test_unpublished_structures_are_hidden():
    structure = StructureFactory(moderation_status="en-attente")
    DispositifFactory(structure=structure)
    assert search_offer(query("23096")).results == []


def test_stale_entries_are_flagged_and_listed_last():
    old = DispositifFactory(name="A ancien", places=["23096"])
    old.updated_at = timezone.now() - dt.timedelta(days=400)
    old.save()
    DispositifFactory(name="B récent", places=["23008"])
    results = search_offer(query("23096")).results
    assert [r.entry.name for r in results] == ["B récent", "A ancien"]
    assert results[1].is_stale
    assert any("12 mois" in reason for reason in results[1].reasons)


def test_json_shape():
    DispositifFactory(places=["23096"])
    [r] = search_offer(query("23096")).results
    data = r.as_dict()
    assert set(data) == {
        "dispositif_id",
        "name",
        "structures",
        "stages",
        "formats",
        "travel_minutes",
        "zone_match",
        "reasons",
    }
    assert data["travel_minutes"] == 0.0
