"""data·inclusion v1: every item validates, the mapping says what it can,
and an exported file re-imports our data exactly."""

import json
from decimal import Decimal

import pytest
from data_inclusion.schema import v1

from maillage.offer.io.datainclusion import export_datainclusion
from maillage.offer.io.datainclusion_map import STAGE_THEMATIQUES
from maillage.offer.io.files import export_files, import_file
from maillage.offer.models import Dispositif, Structure
from maillage.offer.vocabulary import Stage
from tests.factories.offer import DispositifFactory, StructureFactory
from tests.offer.test_io_import import rich_offer, snapshot

pytestmark = pytest.mark.django_db


def by_id(items):
    return {item["id"]: item for item in items}


def test_every_item_validates_with_the_schema():
    rich_offer()
    document = export_datainclusion()
    assert len(document["structures"]) == 2 and len(document["services"]) == 3
    for item in document["structures"]:
        v1.Structure.model_validate(item)
    for item in document["services"]:
        v1.Service.model_validate(item)
    json.dumps(document)  # plain JSON, no dates or decimals left


def test_mapping_of_stages_audiences_formats_zones_and_fees():
    rich_offer()
    document = export_datainclusion()
    services = by_id(document["services"])
    cycle = services["maillage--cycle-idees"]
    assert cycle["structure_id"] == "maillage--tiers-lieu-creuse"
    assert cycle["thematiques"] == [
        "creer-une-entreprise--definir-son-projet-de-creation-dentreprise"
    ]
    assert cycle["publics"] == ["femmes", "jeunes"]
    assert cycle["modes_accueil"] == ["a-distance", "en-presentiel"]
    assert cycle["frais"] == "payant"
    assert cycle["frais_precisions"].startswith("150,50 €")
    # The région has no code in the schema: its départements stand for it.
    zones = cycle["zone_eligibilite"]
    assert zones[:3] == ["07010", "200034825", "23"]
    assert {"87", "19", "33"} <= set(zones)
    assert cycle["nombre_semaines"] == 7  # 6.5 weeks, rounded up
    incubation = services["maillage--incubation-ardeche"]
    assert incubation["zone_eligibilite"] == ["france"]
    assert incubation["frais"] == "gratuit"
    assert incubation["publics"] == ["tous-publics"]
    assert incubation["code_insee"] == "07010"
    cooperation = services["maillage--cooperation-territoire"]
    assert "thematiques" not in cooperation  # no equivalent, kept in the sidecar
    assert document["maillage"]["services"]["maillage--cooperation-territoire"]["etapes"] == (
        "cooperation-territoriale|formation-acteurs"
    )
    structures = by_id(document["structures"])
    assert structures["maillage--pole-ess-ardeche"]["reseaux_porteurs"] == ["communes"]
    assert structures["maillage--tiers-lieu-creuse"]["reseaux_porteurs"] == ["france-active"]


def test_every_stage_maps_to_existing_thematiques():
    values = {t.value for t in v1.Thematique}
    assert set(STAGE_THEMATIQUES) == set(Stage.values)
    for thematiques in STAGE_THEMATIQUES.values():
        assert set(thematiques) <= values
    assert {t for ts in STAGE_THEMATIQUES.values() for t in ts} == {
        v for v in values if v.startswith("creer-une-entreprise--")
    }


def test_round_trip_reproduces_every_field(tmp_path):
    tiers, _ardeche = rich_offer()
    # Values the schema refuses are dropped from the item, not lost.
    Structure.objects.filter(pk=tiers.pk).update(
        website="ftp://quincaillerie.example.org", email="contact@quincaillerie.test", name="QX"
    )
    before = snapshot()
    [(path, _what)] = export_files("datainclusion", tmp_path / "offre.json")
    document = json.loads(path.read_text())
    tiers_item = by_id(document["structures"])["maillage--tiers-lieu-creuse"]
    assert "site_web" not in tiers_item and "courriel" not in tiers_item
    assert tiers_item["nom"] == "QX (Guéret)"

    Structure.objects.all().delete()
    assert Dispositif.objects.count() == 0
    report = import_file(path, apply=True)
    assert report.errors == [], report.errors
    assert report.counts["structures"]["created"] == 2
    assert report.counts["dispositifs"]["created"] == 3
    assert snapshot() == before
    again = import_file(path, apply=True)
    assert set(again.counts["structures"]) | set(again.counts["dispositifs"]) == {"unchanged"}


def test_unpublished_structures_are_not_exported():
    hidden = StructureFactory(ref="en-attente", moderation_status="en-attente")
    DispositifFactory(ref="cache", structure=hidden)
    shown = DispositifFactory(ref="visible")
    shown.co_operators.set([hidden])
    document = export_datainclusion()
    assert [s["id"] for s in document["structures"]] == [f"maillage--{shown.structure.ref}"]
    assert [s["id"] for s in document["services"]] == ["maillage--visible"]
    assert "en-attente" not in json.dumps(document)


def test_a_file_from_another_producer_is_read_by_the_mapping(tmp_path):
    document = {
        "structures": [
            {
                "source": "dora",
                "id": "dora--BGE:23",
                "nom": "BGE Limousin",
                "date_maj": "2024-05-02",
                "code_insee": "23096",
                "siret": None,
                "reseaux_porteurs": ["reseau-bge"],
            }
        ],
        "services": [
            {
                "source": "dora",
                "id": "dora--atelier:1",
                "structure_id": "dora--BGE:23",
                "nom": "Atelier création",
                "description": "Un atelier pour structurer son projet.",
                "date_maj": "2024-05-02",
                "type": "atelier",
                "thematiques": [
                    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise"
                ],
                "publics": ["jeunes"],
                "modes_accueil": ["en-presentiel", "a-distance"],
                "zone_eligibilite": ["23", "87"],
                "frais": "gratuit",
            }
        ],
    }
    path = tmp_path / "dora.json"
    path.write_text(json.dumps(document))
    report = import_file(path, apply=True)
    assert report.errors == [], report.errors
    structure = Structure.objects.get(ref="dora-bge23")
    assert structure.kinds == ["accompagnateur-generaliste"]
    assert structure.networks == ["Réseau BGE"]
    d = Dispositif.objects.get(ref="dora-atelier1")
    assert d.structure == structure
    assert d.stages == ["creation-incubation"]
    assert d.audiences == ["jeune"]
    assert d.formats == ["collective", "remote"]
    assert d.fee_eur == Decimal("0")
    assert sorted(d.zones.values_list("kind", "code")) == [
        ("departement", "23"),
        ("departement", "87"),
    ]


def test_invalid_items_are_reported_in_french(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "structures": [
                    {"source": "x", "id": "x--1", "nom": "AB", "date_maj": "2024-01-01"}
                ],
                "services": [],
            }
        )
    )
    report = import_file(path, apply=True)
    assert report.errors == ["structure n° 1 « x--1 », champ nom : texte trop court"]
    assert Structure.objects.count() == 0
