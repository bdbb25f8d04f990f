"""`maillage offer import|export|search`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from maillage.offer.index import clear_index
from maillage.offer.models import Structure
from tests.factories.offer import DispositifFactory
from tests.offer.test_io_import import rich_offer, valid_siret

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("offer", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def structures_csv(tmp_path, siret):
    path = tmp_path / "structures.csv"
    path.write_text(
        "ref;nom;types;siret;commune_insee\n"
        f"a;Alpha;incubateur;{valid_siret(1)};23096\n"
        f"b;Bêta;cae;{siret};07010\n",
        encoding="utf-8",
    )
    return path


def test_import_is_a_dry_run_unless_apply(tmp_path):
    path = structures_csv(tmp_path, valid_siret(2))
    out, _err = run("import", str(path))
    assert "Structures : 2 créées, 0 mises à jour, 0 inchangées." in out
    assert "rien n'a été écrit" in out
    assert Structure.objects.count() == 0
    out, _err = run("import", str(path), "--apply")
    assert "Import terminé." in out
    assert Structure.objects.count() == 2
    out, _err = run("import", str(path), "--apply")
    assert "Structures : 0 créées, 0 mises à jour, 2 inchangées." in out


def test_import_errors_fail_the_command_and_write_nothing(tmp_path):
    path = structures_csv(tmp_path, "123")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("offer", "import", str(path), "--apply", stderr=err)
    assert "ligne 3, colonne siret : SIRET invalide « 123 »" in err.getvalue()
    assert Structure.objects.count() == 0


def test_import_of_an_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("import", str(tmp_path / "absent.csv"))
    (tmp_path / "offre.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match=r"Format non pris en charge « \.pdf »"):
        run("import", str(tmp_path / "offre.pdf"))
    (tmp_path / "offre.xlsx").write_bytes(b"pas un classeur")
    with pytest.raises(CommandError, match=r"Fichier illisible « offre\.xlsx »"):
        run("import", str(tmp_path / "offre.xlsx"))
    (tmp_path / "offre.json").write_text("[1, 2]")
    with pytest.raises(CommandError, match="Document data·inclusion attendu"):
        run("import", str(tmp_path / "offre.json"))


def test_export_formats(tmp_path):
    rich_offer()
    out, _err = run("export", "--format", "csv", "--output", str(tmp_path / "offre.csv"))
    assert (tmp_path / "offre-structures.csv").exists()
    assert (tmp_path / "offre-dispositifs.csv").exists()
    assert "2 structures" in out and "3 dispositifs" in out
    run("export", "--format", "csv", "--kind", "dispositifs", "--output", str(tmp_path / "d.csv"))
    assert (tmp_path / "d.csv").read_text(encoding="utf-8-sig").startswith("ref;structure_ref;")
    for fmt in ("xlsx", "ods"):
        run("export", "--format", fmt, "--output", str(tmp_path / f"offre.{fmt}"))
        out, _err = run("import", str(tmp_path / f"offre.{fmt}"))
        assert "Dispositifs : 0 créés, 0 mis à jour, 3 inchangés." in out
    run("export", "--format", "datainclusion", "--output", str(tmp_path / "di.json"))
    assert set(json.loads((tmp_path / "di.json").read_text())) == {
        "structures",
        "services",
        "maillage",
    }


def test_search_json_lists_results():
    DispositifFactory(ref="cycle", name="Cycle idées Creuse", places=["23096"])
    out, _err = run("search", "--commune", "23247", "--stage", "ideation-premiers-pas", "--json")
    [result] = json.loads(out)
    assert result["dispositif_id"] == "cycle"
    assert result["zone_match"] == "departement:23"
    assert result["travel_minutes"] > 0


def test_search_readable_listing_and_empty_message():
    DispositifFactory(name="Cycle idées Creuse", places=["23096"])
    out, _err = run("search", "--commune", "23096")
    assert "1 dispositif(s) pour Guéret (23)" in out
    assert "1. Cycle idées Creuse" in out
    assert "Couvre Creuse (département)" in out
    out, _err = run("search", "--commune", "07010")
    assert out.strip() == "Aucun dispositif de l'annuaire ne couvre Annonay."
    out, err = run("search", "--commune", "07010", "--json")
    assert json.loads(out) == []
    assert "ne couvre Annonay" in err


def test_search_refuses_unknown_commune_and_slugs():
    with pytest.raises(CommandError, match="Commune inconnue « 99999 »"):
        run("search", "--commune", "99999")
    with pytest.raises(CommandError, match="Étape inconnu\\(e\\) « creation »"):
        run("search", "--commune", "23096", "--stage", "creation")
    with pytest.raises(CommandError, match="Public inconnu\\(e\\) « vieux »"):
        run("search", "--commune", "23096", "--audience", "vieux")
