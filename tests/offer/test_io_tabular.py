"""Cell syntax and the CSV, XLSX and ODS files: what is exported imports back."""

import datetime as dt
from decimal import Decimal

import pytest

from maillage.offer.io.cells import CellError
from maillage.offer.io.columns import BY_NAME, DISPOSITIFS, STRUCTURES
from maillage.offer.io.files import export_files, import_file
from maillage.offer.io.tabular import read_tables
from maillage.offer.models import Structure
from tests.offer.test_io_import import rich_offer, snapshot

S, D = BY_NAME[STRUCTURES], BY_NAME[DISPOSITIFS]


def test_zones_are_typed_and_normalised():
    zones = D["zones"].codec
    assert zones.parse("departement:7 | France|epci:200034825|commune:7010") == [
        ("departement", "07"),
        ("france", ""),
        ("epci", "200034825"),
        ("commune", "07010"),
    ]
    with pytest.raises(CellError, match="Zone « 23 » sans type"):
        zones.parse("departement:23|23")
    assert zones.text([("departement", "23"), ("france", "")]) == "departement:23|france"


def test_places_and_antennas_keep_labels_and_flags():
    places = D["lieux_insee"].codec
    value = [("23096", "Salle des fêtes", False), ("23008", "", True)]
    assert places.text(value) == "23096=Salle des fêtes|23008*"
    assert places.parse("23096=Salle des fêtes|23008*") == value
    antennas = S["antennes_insee"].codec
    value = [("23096", "Antenne", "2 rue Rollinat"), ("23008", "", "")]
    assert antennas.parse(antennas.text(value)) == value


def test_numbers_dates_booleans_and_labels():
    assert D["cout_eur"].codec.parse("1 200,50 €") == Decimal("1200.50")
    assert D["nb_seances"].codec.parse("6,0") == 6
    with pytest.raises(CellError, match="Nombre entier attendu"):
        D["nb_seances"].codec.parse("6,5")
    with pytest.raises(CellError, match="Nombre positif attendu"):
        D["cout_eur"].codec.parse("-3")
    assert S["latitude"].codec.parse("-0,5") == -0.5
    assert D["date_limite"].codec.parse("01/07/2031") == dt.date(2031, 7, 1)
    assert D["date_limite"].codec.parse("2031-07-01") == dt.date(2031, 7, 1)
    assert D["modele"].codec.parse("Oui") is True
    assert D["modele"].codec.parse("") is False
    assert S["types"].codec.parse("Tiers-lieu|fablab|TIERS-LIEU") == ["tiers-lieu", "fablab"]
    assert S["forme_juridique"].codec.parse("") == "unknown"
    with pytest.raises(CellError, match="Forme juridique inconnu"):
        S["forme_juridique"].codec.parse("sarl")


def test_csv_delimiter_encoding_and_kind_are_detected(tmp_path):
    semicolon = tmp_path / "dispositifs.csv"
    semicolon.write_bytes(
        "\ufeffRef;Structure_ref;Nom\r\na;b;Café\r\n".encode()
    )  # BOM, French headers typed by hand
    [table] = read_tables(semicolon)
    assert table.kind == DISPOSITIFS
    assert table.rows == [(2, {"ref": "a", "structure_ref": "b", "nom": "Café"})]

    legacy = tmp_path / "structures.csv"
    legacy.write_bytes('ref,nom,"Forme juridique"\n\nx,"Pôle, ESS",scic\n'.encode("cp1252"))
    [table] = read_tables(legacy)
    assert table.kind == STRUCTURES
    assert table.rows == [(3, {"ref": "x", "nom": "Pôle, ESS", "forme_juridique": "scic"})]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_export_then_import_reproduces_the_offer(tmp_path, fmt):
    rich_offer()
    before = snapshot()
    written = export_files(fmt, tmp_path / f"offre.{fmt}")
    paths = [path for path, _what in written]
    if fmt == "csv":
        assert [p.name for p in paths] == ["offre-structures.csv", "offre-dispositifs.csv"]
        assert paths[0].read_bytes().startswith("\ufeffref;nom;types;".encode())

    # Re-importing onto the same data changes nothing.
    for path in paths:
        report = import_file(path, apply=True)
        assert report.errors == []
        assert set(report.counts[STRUCTURES]) | set(report.counts[DISPOSITIFS]) <= {"unchanged"}

    Structure.objects.all().delete()
    for path in paths:
        report = import_file(path, apply=True)
        assert report.errors == [], report.errors
    assert snapshot() == before


@pytest.mark.django_db
def test_spreadsheet_errors_name_the_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Notice"
    sheet = workbook.create_sheet("Dispositifs")
    sheet.append(["ref", "structure_ref", "nom", "zones"])
    sheet.append(["a", "nulle-part", "A", "departement:23"])
    path = tmp_path / "offre.xlsx"
    workbook.save(path)
    errors = import_file(path, apply=False).errors
    assert all(e.startswith("feuille Dispositifs, ligne 2, colonne ") for e in errors)
    assert errors[0] == (
        "feuille Dispositifs, ligne 2, colonne structure_ref : Structure inconnue : "
        "« nulle-part » (ni dans le fichier ni dans la base)."
    )


@pytest.mark.django_db
def test_ods_repeated_empty_cells_keep_columns_in_place(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(text):
        c = TableCell(valuetype="string")
        c.addElement(P(text=text))
        return c

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="structures")
    header, row, blank = TableRow(), TableRow(), TableRow(numberrowsrepeated=3)
    for name in ("ref", "nom", "types", "commune_insee"):
        header.addElement(cell(name))
    row.addElement(cell("x"))
    row.addElement(TableCell(numbercolumnsrepeated=2))
    row.addElement(cell("23096"))
    row.addElement(TableCell(numbercolumnsrepeated=1000))
    blank.addElement(TableCell(numbercolumnsrepeated=1000))
    for line in (header, blank, row):
        sheet.addElement(line)
    document.spreadsheet.addElement(sheet)
    path = tmp_path / "offre.ods"
    document.save(str(path))

    [table] = read_tables(path)
    assert table.rows == [(5, {"ref": "x", "nom": "", "types": "", "commune_insee": "23096"})]
