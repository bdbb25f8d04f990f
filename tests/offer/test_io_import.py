"""Import of offer tables: every error reported, nothing written unless all
is valid, idempotent writes."""

import datetime as dt
from decimal import Decimal

import pytest
from stdnum import luhn

from maillage.offer.io.files import import_file
from maillage.offer.io.records import (
    dispositif_queryset,
    dispositif_values,
    structure_queryset,
    structure_values,
)
from maillage.offer.models import Antenna, Dispositif, SessionPlace, Structure
from maillage.territory.models import Commune
from tests.factories.offer import DispositifFactory, StructureFactory, commune

pytestmark = pytest.mark.django_db

STRUCTURE_HEADER = "ref,nom,types,forme_juridique,siret,commune_insee"


def valid_siret(n: int) -> str:
    """A SIRET whose SIREN and full number pass the Luhn check."""
    seed = f"{31000000 + n:08d}"
    siren = seed + luhn.calc_check_digit(seed)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def write(tmp_path, name, lines, encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def rich_offer():
    """Structures and dispositifs using every column, on Creuse and Ardèche."""
    gueret = commune("23096")
    tiers = StructureFactory(
        ref="tiers-lieu-creuse",
        name="La Quincaillerie",
        kinds=["tiers-lieu", "fablab"],
        legal_form="association",
        siret=valid_siret(1),
        rna="W231000123",
        address="2 rue Maurice Rollinat",
        commune=gueret,
        latitude=46.1702,
        longitude=1.8712,
        website="https://quincaillerie.example.org",
        email="contact@quincaillerie.example.org",
        phone="05 55 00 00 00",
        networks=["France Tiers-Lieux", "France Active"],
        description="Tiers-lieu numérique et fabrique de projets.",
    )
    Antenna.objects.create(structure=tiers, commune=commune("23008"), label="Antenne d'Aubusson")
    Antenna.objects.create(
        structure=tiers, commune=commune("23176"), label="Permanence", address="Mairie"
    )
    ardeche = StructureFactory(
        ref="pole-ess-ardeche",
        name="Pôle ESS Ardèche",
        kinds=["pole-ess", "collectivite"],
        commune=commune("07010"),
    )
    cycle = DispositifFactory(
        ref="cycle-idees",
        name="Cycle idées",
        description="Six ateliers  pour passer de l'idée au projet.\n\nInscription libre.",
        structure=tiers,
        stages=["sensibilisation", "ideation-premiers-pas"],
        audiences=["individuel", "jeune", "femme"],
        sectors=["alimentation-circuits-courts", "numerique"],
        formats=["collective", "remote"],
        duration_weeks=6.5,
        sessions_count=6,
        cohort_size=12,
        fee_eur=Decimal("150.50"),
        fee_note="Tarif réduit pour les demandeurs d'emploi",
        entry_criteria="Habiter la Creuse.",
        criteria_flags=["resident", "application-call"],
        how_to_apply="Écrire à l'équipe.",
        apply_url="https://quincaillerie.example.org/candidater",
        next_edition_start=dt.date(2031, 9, 15),
        application_deadline=dt.date(2031, 7, 1),
        is_template=True,
        zones=[
            ("departement", "23"),
            ("epci", gueret.epci.siren),
            ("commune", "07010"),
            ("region", "75"),
        ],
        places=[],
    )
    SessionPlace.objects.create(dispositif=cycle, commune=gueret, label="Salle des fêtes")
    SessionPlace.objects.create(dispositif=cycle, commune=commune("23008"), is_illustrative=True)
    cycle.co_operators.set([ardeche])
    incubation = DispositifFactory(
        ref="incubation-ardeche",
        name="Incubateur rural",
        structure=ardeche,
        stages=["creation-incubation", "test-activite"],
        audiences=["collectif-citoyens", "grand-public"],
        sectors=["tous-secteurs"],
        formats=["individual"],
        fee_eur=Decimal("0"),
        zones=[("france", "")],
        places=["07010"],
        origin=cycle,
    )
    cycle.next_steps.set([incubation])
    incubation.next_steps.set([cycle])  # a loop must survive the import too
    DispositifFactory(
        ref="cooperation-territoire",
        name="Coopérer en territoire",
        structure=ardeche,
        stages=["cooperation-territoriale", "formation-acteurs"],
        audiences=["elus-techniciens", "professionnels-accompagnement"],
        formats=["itinerant"],
    )
    return tiers, ardeche


def snapshot():
    return (
        [structure_values(s) for s in structure_queryset()],
        [dispositif_values(d) for d in dispositif_queryset()],
    )


def test_fifty_structures_with_one_bad_siret_write_nothing_until_fixed(tmp_path):
    communes = list(
        Commune.objects.filter(departement__code="23")
        .order_by("insee")
        .values_list("insee", flat=True)[:50]
    )
    assert len(communes) == 50
    lines = [STRUCTURE_HEADER]
    for n, insee in enumerate(communes):
        siret = "123" if n == 15 else valid_siret(n)
        lines.append(f"s-{n},Structure {n},incubateur,association,{siret},{insee}")
    path = write(tmp_path, "structures.csv", lines)

    for apply in (False, True):
        report = import_file(path, apply=apply)
        assert not report.applied
        assert report.errors == [
            "ligne 17, colonne siret : SIRET invalide « 123 » : "
            "14 chiffres dont la clé de contrôle."
        ]
        assert Structure.objects.count() == 0

    lines[16] = lines[16].replace(",123,", f",{valid_siret(15)},")
    write(tmp_path, "structures.csv", lines)
    report = import_file(path, apply=True)
    assert report.errors == []
    assert report.applied
    assert Structure.objects.count() == 50
    assert report.counts["structures"]["created"] == 50
    assert Structure.objects.get(ref="s-15").siret == valid_siret(15)


def test_every_error_of_every_row_is_reported(tmp_path):
    StructureFactory(ref="existante")
    path = write(
        tmp_path,
        "dispositifs.csv",
        [
            "ref;structure_ref;nom;etapes;publics;secteurs;formats;zones;date_limite;"
            "nb_seances;lieux_insee;etapes_suivantes_refs",
            "a;existante;A;ideation-premiers-pas;jeune;tous-secteurs;collective;"
            "departement:23;31/12/2030;4;23096;b",
            "b;inconnue;B;etape-bidon;jeune;tous-secteurs;collective;23;2030-02-30;quatre;"
            "99999|23096|07010=Annonay|99998;",
            "a;existante;A bis;ideation-premiers-pas;jeune;tous-secteurs;collective;"
            "departement:98|epci:123456789;;;;zzz",
        ],
    )
    report = import_file(path, apply=True)
    assert not report.applied
    assert Dispositif.objects.count() == 0
    errors = "\n".join(report.errors)
    expected = [
        "ligne 3, colonne structure_ref : Structure inconnue : « inconnue »",
        "ligne 3, colonne etapes : Étape inconnu(s) : etape-bidon",
        "ligne 3, colonne zones : Zone « 23 » sans type",
        "ligne 3, colonne date_limite : Date invalide « 2030-02-30 »",
        "ligne 3, colonne nb_seances : Nombre attendu, reçu « quatre »",
        "ligne 3, colonne lieux_insee : Commune inconnue « 99999 »",
        "ligne 3, colonne lieux_insee : Commune inconnue « 99998 »",
        "ligne 4, colonne ref : Identifiant « a » déjà utilisé (ligne 2)",
        "ligne 4, colonne zones : Zone inconnue : departement « 98 »",
        "ligne 4, colonne zones : Zone inconnue : epci « 123456789 »",
        "ligne 4, colonne etapes_suivantes_refs : Dispositif(s) inconnu(s) : « zzz »",
    ]
    for message in expected:
        assert message in errors
    assert len(report.errors) == len(expected)
    assert not any(e.startswith("ligne 2") for e in report.errors)


def test_reimport_is_idempotent_and_updates_only_what_changed(tmp_path):
    path = write(
        tmp_path,
        "structures.csv",
        [
            "ref;nom;types;commune_insee;antennes_insee;reseaux",
            "ardeche;Pôle ESS Ardèche;Pôle ESS;07010;07186=Antenne;CRESS",
            "creuse;Incubateur creusois;incubateur|tiers-lieu;23096;;",
        ],
    )
    first = import_file(path, apply=True)
    assert first.counts["structures"]["created"] == 2
    before = snapshot()
    stamps = dict(Structure.objects.values_list("ref", "updated_at"))

    again = import_file(path, apply=True)
    assert again.applied
    assert again.counts["structures"] == {"unchanged": 2}
    assert snapshot() == before
    assert dict(Structure.objects.values_list("ref", "updated_at")) == stamps
    assert Structure.objects.count() == 2 and Antenna.objects.count() == 1

    path.write_text(
        path.read_text().replace("Incubateur creusois", "Incubateur de la Creuse"), "utf-8"
    )
    third = import_file(path, apply=True)
    assert third.counts["structures"] == {"updated": 1, "unchanged": 1}
    assert Structure.objects.get(ref="creuse").name == "Incubateur de la Creuse"
    assert Structure.objects.get(ref="ardeche").kinds == ["pole-ess"]  # French label read


def test_dispositifs_resolve_refs_in_file_and_database_in_two_passes(tmp_path):
    StructureFactory(ref="operateur")
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "structures"
    workbook.active.append(["ref", "nom", "types", "commune_insee"])
    workbook.active.append(["nouvelle", "Nouvelle", "cae", 7010])  # leading zero lost
    sheet = workbook.create_sheet("dispositifs")
    header = ["ref", "structure_ref", "nom", "etapes", "publics", "secteurs", "formats", "zones"]
    sheet.append(
        [*header, "co_operateurs_refs", "etapes_suivantes_refs", "origine_ref", "prochaine_edition"]
    )
    common = ["individuel", "tous-secteurs", "individual", "departement:7"]
    sheet.append(["d1", "operateur", "D1", "emergence-faisabilite", *common, "nouvelle", "d2", ""])
    sheet.append(["d2", "nouvelle", "D2", "test-activite", *common, "", "", "d1"])
    sheet["L2"] = dt.datetime(2031, 3, 1)
    path = tmp_path / "offre.xlsx"
    workbook.save(path)

    report = import_file(path, apply=True)
    assert report.errors == []
    d1, d2 = Dispositif.objects.get(ref="d1"), Dispositif.objects.get(ref="d2")
    assert Structure.objects.get(ref="nouvelle").commune.insee == "07010"
    assert [s.ref for s in d1.co_operators.all()] == ["nouvelle"]
    assert [d.ref for d in d1.next_steps.all()] == ["d2"]
    assert d2.origin == d1
    assert d1.next_edition_start == dt.date(2031, 3, 1)
    assert list(d1.zones.values_list("kind", "code")) == [("departement", "07")]
    assert import_file(path, apply=True).counts["dispositifs"] == {"unchanged": 2}


def test_new_rows_need_their_required_columns(tmp_path):
    path = write(tmp_path, "s.csv", ["ref,nom", "sans-commune,Sans commune"])
    report = import_file(path, apply=False)
    assert report.errors == [
        "ligne 2, colonne types : Ce champ ne peut pas être vide.",
        "ligne 2, colonne commune_insee : Valeur obligatoire pour une nouvelle structure.",
    ]


def test_unknown_header_is_refused(tmp_path):
    path = write(tmp_path, "s.csv", ["ref,nom,siren,commune_insee", "a,A,123,23096"])
    errors = import_file(path, apply=False).errors
    assert errors[0].startswith("ligne 1 : colonne inconnue « siren » (colonnes possibles : ref,")
    assert Structure.objects.count() == 0


def test_dry_run_counts_without_writing(tmp_path):
    StructureFactory(ref="deja", name="Déjà là", kinds=["cae"], commune=commune("23096"))
    path = write(
        tmp_path,
        "s.csv",
        ["ref,nom,types,commune_insee", "deja,Déjà là,cae,23096", "neuve,Neuve,cae,23008"],
    )
    report = import_file(path, apply=False)
    assert report.errors == [] and not report.applied
    assert report.counts["structures"] == {"unchanged": 1, "created": 1}
    assert not Structure.objects.filter(ref="neuve").exists()
