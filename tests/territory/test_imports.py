import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maillage.territory.imports import import_density_grid, import_frr
from maillage.territory.models import Commune, ReferenceImport

pytestmark = pytest.mark.django_db

GRID = """Grille communale de densité à 7 niveaux, 2024
Source : Insee
CODGEO;LIBGEO;DENS;LIBDENS
23096;Guéret;3;Ceintures urbaines
7204;Saint-Agrève;5;Bourgs ruraux
99999;Inconnue;6;Rural à habitat dispersé
"""


def test_density_grid_official_value_wins(tmp_path):
    path = tmp_path / "grille_densite_2024.csv"
    path.write_text(GRID, encoding="utf-8")
    report = import_density_grid(path, 2024)
    assert report.errors == []
    assert report.matched == 2
    assert report.unknown == ["99999"]
    gueret = Commune.objects.get(insee="23096")
    assert (gueret.rurality_official, gueret.rurality_official_year) == (3, 2024)
    assert gueret.rurality == 3 and not gueret.rurality_is_estimate
    assert Commune.objects.get(insee="07204").rurality_official == 5
    assert ReferenceImport.objects.get().kind == ReferenceImport.Kind.DENSITY_GRID


def test_density_grid_bad_row_writes_nothing(tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text(GRID.replace(";5;", ";9;"), encoding="utf-8")
    report = import_density_grid(path, 2024)
    assert report.errors == ["ligne 5 : niveau de densité « 9 » invalide (attendu de 1 à 7)"]
    assert not report.written
    assert not Commune.objects.filter(rurality_official__isnull=False).exists()


def test_density_grid_command_reads_year_from_file_name(tmp_path):
    path = tmp_path / "grille_densite_2024.csv"
    path.write_text(GRID, encoding="utf-8")
    out = StringIO()
    call_command("territory", "import-density-grid", str(path), stdout=out)
    assert "2 communes mises à jour" in out.getvalue()
    assert Commune.objects.get(insee="23096").rurality_official_year == 2024


def test_density_grid_command_reports_errors_in_french(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("nom;autre\nx;y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="erreur"):
        call_command(
            "territory", "import-density-grid", str(path), "--year", "2024", stderr=StringIO()
        )


def test_frr_list_is_dated_and_exhaustive(tmp_path):
    path = tmp_path / "frr.csv"
    path.write_text("code commune,classement FRR\n23001,Classée\n23096,Non classée\n", "utf-8")
    report = import_frr(path, dt.date(2024, 7, 1))
    assert report.errors == [] and report.written
    assert Commune.objects.get(insee="23001").frr is True
    assert Commune.objects.get(insee="23096").frr is False
    other = Commune.objects.get(insee="07204")
    assert other.frr is False and other.frr_date == dt.date(2024, 7, 1)


def test_frr_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "frr.csv"
    path.write_text("CODGEO\n23001\n", "utf-8")
    out = StringIO()
    call_command(
        "territory", "import-frr", str(path), "--date", "2024-07-01", "--dry-run", stdout=out
    )
    assert "essai" in out.getvalue()
    assert not Commune.objects.filter(frr__isnull=False).exists()
