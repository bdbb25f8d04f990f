"""The demo support offer (guide « Ruralités ») loads, reloads without churn,
and gives the searches later features rely on something real to find."""

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from maillage.accounts.models import User
from maillage.demo.offer_loader import (
    FIXTURE_PATH,
    FixtureError,
    MissingTerritory,
    load_offer,
    read_fixture,
    required_communes,
)
from maillage.offer.index import clear_index
from maillage.offer.models import Antenna, Dispositif, SessionPlace, Structure, Zone
from maillage.offer.search import OfferQuery, search_offer
from maillage.offer.vocabulary import ZoneKind
from maillage.territory.models import Commune, departement_code
from tests.conftest import TEST_DEPARTEMENTS

pytestmark = pytest.mark.django_db

FIXTURE = read_fixture()
NORD_ARDECHE_EPCIS = {"200072015", "240700716", "200073096", "200016905"}


@pytest.fixture
def loaded():
    result = load_offer()
    clear_index()
    yield result
    clear_index()


def search(insee, **kwargs):
    clear_index()
    return search_offer(OfferQuery(commune=Commune.objects.get(insee=insee), **kwargs))


def result_for(outcome, ref):
    found = [r for r in outcome.results if r.entry.ref == ref]
    assert found, f"{ref} absent : {[r.entry.ref for r in outcome.results]} ({outcome.message})"
    return found[0]


def write_fixture(tmp_path, data):
    path = tmp_path / "offer.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def snapshot():
    return {
        "structures": sorted(Structure.objects.values_list("ref", "updated_at", "id")),
        "dispositifs": sorted(Dispositif.objects.values_list("ref", "updated_at", "id")),
        "zones": sorted(Zone.objects.values_list("id", "dispositif_id", "kind", "code")),
        "places": sorted(SessionPlace.objects.values_list("id", "dispositif_id", "commune_id")),
        "antennas": sorted(Antenna.objects.values_list("id", "structure_id", "commune_id")),
        "co_operators": sorted(
            Dispositif.co_operators.through.objects.values_list(
                "id", "dispositif_id", "structure_id"
            )
        ),
        "next_steps": sorted(
            Dispositif.next_steps.through.objects.values_list(
                "id", "from_dispositif_id", "to_dispositif_id"
            )
        ),
    }


# ---------------------------------------------------------------- the fixture itself


def test_fixture_covers_the_guide():
    # 100 structures and 83 programmes in the guide: at most a few skipped.
    assert len(FIXTURE["structures"]) == 100
    assert len(FIXTURE["dispositifs"]) >= 80


def test_fixture_communes_are_in_the_test_territory():
    needed = {departement_code(insee) for insee in required_communes(FIXTURE)}
    assert needed <= TEST_DEPARTEMENTS, sorted(needed - TEST_DEPARTEMENTS)


def test_zones_are_typed_and_references_exist_in_the_fixture():
    structures = {s["ref"] for s in FIXTURE["structures"]}
    dispositifs = {d["ref"] for d in FIXTURE["dispositifs"]}
    for d in FIXTURE["dispositifs"]:
        assert d["zones"], d["ref"]
        for zone in d["zones"]:
            kind, _sep, code = zone.partition(":")
            assert kind in ZoneKind.values and (code or kind == ZoneKind.FRANCE), zone
        assert d["structure"] in structures
        assert set(d.get("co_operators") or []) <= structures, d["ref"]
        assert set(d.get("next_steps") or []) <= dispositifs, d["ref"]


def test_bare_zone_codes_and_dangling_refs_are_refused(tmp_path):
    data = read_fixture()
    data["dispositifs"][0]["zones"] = ["07"]
    with pytest.raises(FixtureError, match="zone non typée"):
        read_fixture(write_fixture(tmp_path, data))
    data = read_fixture()
    data["dispositifs"][0]["next_steps"] = ["nulle-part"]
    with pytest.raises(FixtureError, match="nulle-part"):
        read_fixture(write_fixture(tmp_path, data))


# ---------------------------------------------------------------- loading


def test_fixture_loads_everything_published(loaded):
    assert loaded.structures.created == len(FIXTURE["structures"]) == Structure.objects.count()
    assert loaded.dispositifs.created == len(FIXTURE["dispositifs"]) == Dispositif.objects.count()
    assert not Structure.objects.exclude(moderation_status=Structure.Moderation.PUBLISHED).exists()
    assert loaded.illustrative_places == SessionPlace.objects.filter(is_illustrative=True).count()
    assert SessionPlace.objects.filter(is_illustrative=False).exists()
    # Zones are stored typed: a code for every kind but France.
    for kind, code in Zone.objects.values_list("kind", "code"):
        assert kind in ZoneKind.values
        assert (code == "") == (kind == ZoneKind.FRANCE)


def test_illustrative_seats_say_so(loaded):
    ronalpia = Structure.objects.get(ref="ronalpia")  # seat not given by the guide
    assert ronalpia.location_is_illustrative
    assert not Structure.objects.get(ref="le-germoir").location_is_illustrative
    assert set(ronalpia.antennas.values_list("commune__insee", flat=True)) == {"42218", "26108"}


def test_every_link_resolves_in_the_database(loaded):
    by_ref = {d["ref"]: d for d in FIXTURE["dispositifs"]}
    for d in Dispositif.objects.prefetch_related("co_operators", "next_steps"):
        entry = by_ref[d.ref]
        assert d.structure.ref == entry["structure"]
        assert {s.ref for s in d.co_operators.all()} == set(entry.get("co_operators") or [])
        assert {n.ref for n in d.next_steps.all()} == set(entry.get("next_steps") or [])
    lance_toi = Dispositif.objects.get(ref="lance-toi")
    assert "ronalpia-incubation" in {n.ref for n in lance_toi.next_steps.all()}


def test_second_load_creates_and_changes_nothing(loaded):
    before = snapshot()
    again = load_offer()
    assert (again.structures.created, again.structures.updated) == (0, 0)
    assert (again.dispositifs.created, again.dispositifs.updated) == (0, 0)
    assert again.structures.unchanged == len(FIXTURE["structures"])
    assert again.dispositifs.unchanged == len(FIXTURE["dispositifs"])
    assert snapshot() == before


def test_changed_entries_are_updated_and_only_them(loaded, tmp_path):
    data = read_fixture()
    by_ref = {d["ref"]: d for d in data["dispositifs"]}
    by_ref["may-idees"]["description"] = "Nouvelle description."
    by_ref["ressort"]["next_steps"] = ["dla"]
    data["structures"][0]["antennas"] = ["75056"]
    before = Dispositif.objects.get(ref="tressons").updated_at

    result = load_offer(write_fixture(tmp_path, data))

    assert (result.dispositifs.created, result.dispositifs.updated) == (0, 2)
    assert (result.structures.created, result.structures.updated) == (0, 1)
    assert Dispositif.objects.get(ref="may-idees").description == "Nouvelle description."
    assert [n.ref for n in Dispositif.objects.get(ref="ressort").next_steps.all()] == ["dla"]
    assert Dispositif.objects.get(ref="tressons").updated_at == before
    assert Structure.objects.get(ref=data["structures"][0]["ref"]).antennas.count() == 1


# ---------------------------------------------------------------- what later features rely on


def test_a_annonay_idea_stage_finds_lance_toi_nearby(loaded):
    result = result_for(search("07010", stage="ideation-premiers-pas"), "lance-toi")
    assert set(result.entry.structure_refs) >= {"ronalpia", "courant-fort"}
    assert result.travel_minutes is not None and result.travel_minutes < 30
    places = Commune.objects.filter(insee__in=[p.insee for p in result.entry.places])
    assert places.count() >= 3  # itinerant: several places
    assert {c.epci.siren for c in places} <= NORD_ARDECHE_EPCIS
    assert all(p.is_illustrative for p in result.entry.places)


def test_b_louvigne_idea_stage_finds_the_tag35_ideateur_there(loaded):
    result = result_for(search("35162", stage="ideation-premiers-pas"), "tag35-ideateur-louvigne")
    assert result.nearest_place == "Louvigné-du-Désert"
    assert result.travel_minutes is not None and result.travel_minutes < 5
    [place] = result.entry.places
    assert place.insee == "35162" and not place.is_illustrative
    assert result.zone_match == "epci:200072452"  # Fougères Agglomération


def test_c_herm_collective_finds_the_ploucs_incubator_first(loaded):
    for stage in ("ideation-premiers-pas", "emergence-faisabilite"):
        for sector in ("lien-social", "commerce-multiservice", "alimentation-circuits-courts"):
            outcome = search("40123", stage=stage, audience="collectif-citoyens", sector=sector)
            result = result_for(outcome, "ploucs-incubateur")
            assert outcome.results[0] is result, (stage, sector)
            assert sector in result.entry.sectors
    assert "collective-only" in result.entry.criteria
    assert "collectif-citoyens" in result.entry.audiences
    assert result.nearest_place == "Herm"


def test_d_creuse_has_real_actors_and_creation_stage_offer(loaded):
    creusois = Structure.objects.filter(commune__departement__code="23")
    assert {"ec3", "revatec", "cae-elan-creuse", "france-active-nouvelle-aquitaine"} <= set(
        creusois.values_list("ref", flat=True)
    )
    outcome = search("23008", stage="creation-incubation")  # Aubusson
    fabrique = result_for(outcome, "fai-creuse")
    assert fabrique.zone_match == "departement:23"
    assert fabrique.travel_minutes is not None
    assert {departement_code(p.insee) for p in fabrique.entry.places} == {"23"}
    # The next step of the Fabrique is tested in Creuse too.
    test = result_for(search("23008", stage="test-activite"), "elan-creuse-test-activite")
    assert test.entry.structure_refs[0] == "cae-elan-creuse"


# ---------------------------------------------------------------- the command


def test_demo_load_command_prints_counts_and_is_idempotent():
    out = StringIO()
    call_command("demo", "load", stdout=out)
    text = out.getvalue()
    assert "demo@maillage.localhost" in text and "mot de passe" in text
    assert f"structures : {len(FIXTURE['structures'])} créé(s)" in text
    out = StringIO()
    call_command("demo", "load", stdout=out)
    assert f"dispositifs : 0 créé(s), 0 mis à jour, {len(FIXTURE['dispositifs'])}" in (
        out.getvalue()
    )
    assert User.objects.filter(email="demo@maillage.localhost").count() == 1


def test_demo_load_without_territory_says_to_load_it_first():
    Commune.objects.filter(insee="75056").delete()  # Paris, seat of national actors
    with pytest.raises(CommandError, match="maillage territory load") as exc:
        call_command("demo", "load", stdout=StringIO())
    assert "75056" in str(exc.value)
    assert not Structure.objects.exists()
    assert not User.objects.filter(email="demo@maillage.localhost").exists()
    with pytest.raises(MissingTerritory):
        load_offer(FIXTURE_PATH)
