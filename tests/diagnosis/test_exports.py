"""Exports of a diagnosis: every format opens, and its numbers are those of
`maillage diagnose --json`."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from odf.opendocument import load as load_ods
from odf.table import Table, TableCell, TableRow
from odf.teletype import extractText
from openpyxl import load_workbook

from maillage.diagnosis import exports
from maillage.diagnosis.tasks import diagnose_task
from maillage.offer.index import clear_index
from maillage.offer.vocabulary import PATHWAY
from maillage.orientation.models import UnmetDemand
from maillage.territory.models import Commune
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db

STAGE = "creation-incubation"
PARAMS = {"territory": "departement:23", "stage": STAGE, "threshold": 30}


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def offer():
    DispositifFactory(name="Incubateur creusois", stages=[STAGE], places=["23096", "23008"])
    DispositifFactory(name="Test d'activité à Guéret", stages=["test-activite"], places=["23096"])
    UnmetDemand.objects.create(
        commune=Commune.objects.get(insee="23008"), stage=STAGE, empty_because="distance"
    )


def cli(*args: str):
    out = StringIO()
    call_command("diagnose", "--territory", "departement:23", "--threshold", "30", *args,
                 "--json", stdout=out)  # fmt: skip
    return json.loads(out.getvalue())


def result():
    return diagnose_task(dict(PARAMS), lambda percent, message: None)


def test_minute_classes():
    assert exports.minute_class(None) == "aucun"
    assert exports.minute_class(exports.NO_SUPPORT_MINUTES) == "aucun"
    assert exports.minute_class(0.0) == "0-15"
    assert exports.minute_class(15.0) == "0-15"
    assert exports.minute_class(15.1) == "15-30"
    assert exports.minute_class(59.9) == "45-60"
    assert exports.minute_class(61) == "60+"
    # Rounded to 30.0 but computed beyond the threshold: the flag decides.
    assert exports.minute_class(30.0, beyond=True, threshold=30) == "30-45"
    assert exports.minute_class(30.0, beyond=False, threshold=30) == "15-30"


def test_csv_has_one_row_per_commune_summing_to_the_cli_numbers(offer):
    data = cli("--stage", STAGE)
    content = exports.to_csv(result())
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == data["communes"] == 255
    beyond = [r for r in rows if r["Au-delà du seuil"] == "oui"]
    assert len(beyond) == data["communes_beyond"]
    assert sum(int(r["Population"]) for r in beyond) == data["population_beyond"]
    assert sum(int(r["Population"]) for r in rows) == data["population"]
    gaps = {r["Code INSEE"] for r in rows if r["Rupture de parcours"] == "oui"}
    assert gaps == set(data["chain_gaps"]["insee"])
    minutes = {r["Code INSEE"]: r["Trajet (min)"] for r in rows}
    for b in data["beyond"]:
        assert minutes[b["insee"]] == ("" if b["minutes"] is None else str(b["minutes"]))
    gueret = next(r for r in rows if r["Code INSEE"] == "23096")
    assert gueret["Classe de trajet"] == "0 à 15 min"
    assert gueret["Dispositif le plus proche"] == "Incubateur creusois"


def _summary_matches(summary: dict[str, object], data: dict) -> None:
    for key in (
        "territory",
        "territory_label",
        "stage",
        "threshold_minutes",
        "communes",
        "population",
        "communes_beyond",
        "population_beyond",
        "remote_only_communes",
    ):
        assert summary[key] == data[key], key
    assert summary["chain_gaps.communes"] == data["chain_gaps"]["communes"]
    assert summary["chain_gaps.population"] == data["chain_gaps"]["population"]
    assert summary["unmet.distance"] == data["unmet_demand"]["distance"] == 1


def _rurality_matches(rows: list[list[object]], data: dict) -> None:
    expected = [
        [int(k), v["label"], v["communes"], v["population"], v["communes_beyond"],
         v["population_beyond"]]
        for k, v in sorted(data["by_rurality"].items(), key=lambda kv: int(kv[0]))
    ]  # fmt: skip
    assert [r[:6] for r in rows] == expected


def test_xlsx_sheets_hold_the_cli_numbers(offer):
    data = cli("--stage", STAGE)
    book = load_workbook(io.BytesIO(exports.to_xlsx(result())), read_only=True)
    assert book.sheetnames == ["Communes", "Synthèse", "Par densité", "Au-delà du seuil"]
    values = {
        name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames
    }
    summary = {row[2]: row[1] for row in values["Synthèse"][1:]}
    _summary_matches(summary, data)
    _rurality_matches(values["Par densité"][1:], data)
    beyond = [
        {"insee": r[0], "name": r[1], "population": r[2], "minutes": r[3]}
        for r in values["Au-delà du seuil"][1:]
    ]
    assert beyond == data["beyond"]
    assert len(values["Communes"]) == 1 + 255


def _ods_tables(content: bytes) -> dict[str, list[list[object]]]:
    doc = load_ods(io.BytesIO(content))
    tables = {}
    for table in doc.spreadsheet.getElementsByType(Table):
        rows = []
        for tr in table.getElementsByType(TableRow):
            row = []
            for cell in tr.getElementsByType(TableCell):
                if cell.getAttribute("valuetype") == "float":
                    number = float(cell.getAttribute("value"))
                    row.append(int(number) if number.is_integer() else number)
                else:
                    row.append(extractText(cell))
            rows.append(row)
        tables[table.getAttribute("name")] = rows
    return tables


def test_ods_sheets_hold_the_cli_numbers(offer):
    data = cli("--stage", STAGE)
    tables = _ods_tables(exports.to_ods(result()))
    assert list(tables) == ["Communes", "Synthèse", "Par densité", "Au-delà du seuil"]
    summary = {row[2]: row[1] for row in tables["Synthèse"][1:]}
    _summary_matches(summary, data)
    _rurality_matches(tables["Par densité"][1:], data)
    assert [r[0] for r in tables["Au-delà du seuil"][1:]] == [b["insee"] for b in data["beyond"]]
    assert len(tables["Communes"]) == 1 + 255


def test_pdf_has_pages_drawn_by_reportlab(offer):
    content = exports.to_pdf(result())
    assert content.startswith(b"%PDF-")
    assert b"ReportLab" in content
    pages = content.count(b"/Type /Page") - content.count(b"/Type /Pages")
    # Headline, map and rurality table, then 151 communes beyond the threshold.
    assert pages >= 2


def test_every_stage_exports_one_row_per_stage(offer):
    data = cli()
    everything = {"stages": data}
    rows = list(
        csv.reader(io.StringIO(exports.to_csv(everything).decode("utf-8-sig")), delimiter=";")
    )
    assert [r[1] for r in rows[1:]] == [s.value for s in PATHWAY]
    by_stage = {r[1]: r for r in rows[1:]}
    for s in data:
        assert int(by_stage[s["stage"]][3]) == s["population_beyond"]
        assert int(by_stage[s["stage"]][5]) == s["chain_gaps"]["communes"]
    book = load_workbook(io.BytesIO(exports.to_xlsx(everything)), read_only=True)
    assert book.sheetnames == ["Étapes", "Synthèse"]
    assert _ods_tables(exports.to_ods(everything))["Étapes"][1][1] == PATHWAY[0].value
    assert exports.to_pdf(everything).startswith(b"%PDF-")


def test_export_dispatch_names_the_mime_type(offer):
    content, content_type = exports.export(result(), "xlsx")
    assert content[:2] == b"PK"
    assert content_type.endswith("spreadsheetml.sheet")
    with pytest.raises(KeyError):
        exports.export(result(), "doc")
