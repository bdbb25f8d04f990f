"""Territorial diagnosis pages: form, job progress, result, map, exports."""

import csv
import html as html_lib
import io
import json
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from maillage.diagnosis.models import Job
from maillage.diagnosis.report import diagnose
from maillage.diagnosis.territories import resolve
from maillage.offer.index import clear_index
from maillage.offer.vocabulary import PATHWAY
from maillage.web import diagnosis_views
from maillage.web.diagnosis_maps import of_territory
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db

FORM = reverse("web:diagnosis")
STAGE = "creation-incubation"
CREUSE = {"kind": "departement", "departement": "23", "stage": STAGE, "threshold": "30"}


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def offer():
    DispositifFactory(name="Incubateur creusois", stages=[STAGE], places=["23096", "23008"])
    DispositifFactory(name="Test à Guéret", stages=["test-activite"], places=["23096"])


def run(client, **data):
    response = client.post(FORM, {**CREUSE, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get()
    assert response["Location"] == reverse("web:diagnosis-result", kwargs={"pk": job.pk})
    return job


def page(client, job):
    response = client.get(reverse("web:diagnosis-result", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    # Entities decoded: "d'un" reads as such, not "d&#x27;un".
    return html_lib.unescape(response.content.decode())


def map_data(html, source="diagnosis-map-data"):
    found = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', html)
    assert found, "the map data is missing"
    return json.loads(found.group(1))


def expected():
    return diagnose(resolve("departement:23"), STAGE, 30)


# --- Form -------------------------------------------------------------------------


def test_form_is_public_with_labelled_fields(client):
    html = client.get(FORM).content.decode()
    assert html.count("<h1") == 1
    assert '<option value="23" selected>Creuse (23)</option>' in html
    for name in ("departement", "region", "epci", "communes", "stage", "threshold"):
        assert f'for="id_{name}"' in html and f'id="id_{name}"' in html
    assert 'value="creation-incubation" selected' in html
    assert '<option value="30" selected>30 minutes</option>' in html
    assert "Toutes les étapes du parcours" in html
    assert reverse("web:diagnosis") in client.get(reverse("web:home")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "epci", "epci": "creuse"}, "Plusieurs intercommunalités correspondent"),
        ({"kind": "epci", "epci": "zzzz"}, "Aucune intercommunalité ne correspond"),
        ({"kind": "communes", "communes": "23096 99999"}, "Codes INSEE inconnus : 99999"),
        ({"kind": "communes", "communes": "Guéret"}, "au moins un code INSEE"),
        ({"kind": "departement", "departement": "13"}, "aucune commune de ce territoire"),
        ({"threshold": "25"}, "Seuil de temps de trajet"),
    ],
)
def test_form_errors_are_french_and_start_nothing(client, data, message):
    response = client.post(FORM, {**CREUSE, **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert message in html
    assert not Job.objects.exists()


def test_epci_by_siren_and_a_list_of_communes(client, offer):
    job = run(client, kind="epci", epci="CC Creuse Grand Sud (200044014)")
    assert job.params["territory"] == "epci:200044014"
    Job.objects.all().delete()
    job = run(client, kind="communes", communes="23096, 23008\n23247")
    assert job.params["territory"] == "communes:23096,23008,23247"
    html = page(client, job)
    assert len(map_data(html)["features"]["features"]) == 3


# --- Job progress -------------------------------------------------------------------


def test_a_running_job_shows_a_polite_progress_bar_and_refreshes(client):
    job = Job.objects.create(
        kind="diagnose", params={"territory": "departement:23", "stage": STAGE, "threshold": 30},
        status=Job.Status.RUNNING, progress=40, message="Temps de trajet…",
    )  # fmt: skip
    html = page(client, job)
    assert '<progress id="job-progress" max="100" value="40">' in html
    assert 'aria-live="polite"' in html and "Temps de trajet…" in html
    assert '<meta http-equiv="refresh"' in html
    assert "Actualiser" in html
    status = client.get(reverse("web:diagnosis-job", kwargs={"pk": job.pk})).json()
    assert status["status"] == "en-cours" and status["progress"] == 40
    assert status["done"] is False
    assert client.get(reverse("web:diagnosis-export", args=[job.pk, "csv"])).status_code == 404


def test_job_status_when_done(client, offer):
    job = run(client)
    status = client.get(reverse("web:diagnosis-job", kwargs={"pk": job.pk})).json()
    assert status == {
        "id": job.pk, "kind": "diagnose", "status": "terminee", "status_label": "Terminée",
        "progress": 100, "message": "Terminé", "done": True,
        "url": reverse("web:diagnosis-result", kwargs={"pk": job.pk}),
    }  # fmt: skip
    assert client.get(reverse("web:diagnosis-job", kwargs={"pk": 999999})).status_code == 404


def test_a_failed_job_says_so(client):
    job = Job.objects.create(
        kind="diagnose", params={"territory": "departement:23", "stage": STAGE, "threshold": 30},
        status=Job.Status.FAILED, error="KeyError: 'x'",
    )  # fmt: skip
    html = page(client, job)
    assert "Le calcul a échoué" in html and str(job.pk) in html


# --- Result ----------------------------------------------------------------------


def test_creuse_at_creation_renders_headline_map_and_table(client, offer):
    job = run(client)
    html = page(client, job)
    d = expected()
    numbers = d.as_dict()
    pct = round(numbers["population_beyond"] / numbers["population"] * 100)
    assert f"<strong>{pct} %</strong> des habitants de la Creuse sont à plus de 30 min" in html
    assert html.count("<h1") == 1
    data = map_data(html)
    features = data["features"]["features"]
    assert len(features) == 255
    rows = {r["insee"]: r for r in d.commune_rows()}
    for f in features:
        p = f["properties"]
        row = rows[p["insee"]]
        assert p["gap"] == row["chain_gap"]
        assert (p["cls"] in ("30-45", "45-60", "60+", "aucun")) == row["beyond"]
    assert {p["name"] for p in data["places"]} == {"Guéret", "Aubusson"}
    # The accessible table: one row per commune, classes as words.
    table = html[html.index('class="numbers diagnosis-table"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr") == 1 + 255
    assert "0 à 15 min" in table and "30 à 45 min" in table
    assert "Incubateur creusois" in table
    # The legend counts add up, and the print SVG is linked.
    counts = re.findall(r"— (\d+) communes?, [\d\s\u202f\xa0]+ hab\.", html)
    assert sum(int(c) for c in counts) == 255
    assert reverse("web:diagnosis-svg", kwargs={"pk": job.pk}) in html


def test_result_numbers_match_the_cli_json(client, offer):
    job = run(client)
    out = StringIO()
    call_command("diagnose", "--territory", "departement:23", "--stage", STAGE,
                 "--threshold", "30", "--json", stdout=out)  # fmt: skip
    cli = json.loads(out.getvalue())
    assert json.loads(json.dumps(Job.objects.get().result["summary"])) == cli
    html = page(client, job)
    n = f"{cli['population_beyond']:,}".replace(",", "\u202f")
    assert n in html or f"{cli['population_beyond']:,}".replace(",", "\xa0") in html
    gaps = cli["chain_gaps"]
    assert f"{gaps['communes']} communes" in html and "Test d'activité" in html
    # The XLSX export of the page carries the same numbers.
    response = client.get(reverse("web:diagnosis-export", args=[job.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    summary = {r[2]: r[1] for r in book["Synthèse"].iter_rows(min_row=2, values_only=True)}
    for key in ("communes", "population", "communes_beyond", "population_beyond"):
        assert summary[key] == cli[key]


def test_rurality_table_and_chart(client, offer):
    html = page(client, run(client))
    numbers = expected().as_dict()
    section = html[html.index('id="densite"') : html.index('id="ruptures"')]
    for level in numbers["by_rurality"].values():
        assert level["label"] in section
    assert section.count('class="bar"') == len(numbers["by_rurality"])
    assert 'role="img"' in section


def test_print_svg_is_valid_xml_with_one_path_per_commune(client, offer):
    job = run(client)
    response = client.get(reverse("web:diagnosis-svg", kwargs={"pk": job.pk}))
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//svg:path", ns)) == 255
    assert "Creuse" in root.find("svg:title", ns).text
    texts = [t.text for t in root.findall(".//svg:text", ns)]
    assert "plus de 60 min" in texts and "0 à 15 min" in texts


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "pdf"])
def test_export_downloads(client, offer, fmt):
    job = run(client)
    response = client.get(reverse("web:diagnosis-export", args=[job.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="diagnostic-')
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 1 + 255
    elif fmt == "pdf":
        assert response.content.startswith(b"%PDF-")
    else:
        assert response.content[:2] == b"PK"
    assert client.get(reverse("web:diagnosis-export", args=[job.pk, "doc"])).status_code == 404


def test_every_stage_gives_a_summary_table(client, offer):
    job = run(client, stage="")
    assert [s["stage"] for s in job.result["stages"]] == [s.value for s in PATHWAY]
    html = page(client, job)
    assert html.count("<h1") == 1
    assert "toutes les étapes" in html
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert table.count("<tr>") == len(PATHWAY)
    # Each stage offers its own map, re-using the territory and the threshold.
    assert table.count('name="departement" value="23"') == len(PATHWAY)


def test_a_large_territory_skips_the_map_but_keeps_the_numbers(client, offer, monkeypatch):
    monkeypatch.setattr("maillage.web.diagnosis_maps.MAP_MAX_COMMUNES", 100)
    job = run(client)
    html = page(client, job)
    assert 'id="diagnosis-map-data"' not in html
    assert "trop de communes" in html
    assert client.get(reverse("web:diagnosis-svg", kwargs={"pk": job.pk})).status_code == 404


def test_where_to_act_says_when_the_engine_is_missing(client, offer, monkeypatch):
    job = run(client)
    monkeypatch.setattr(diagnosis_views, "engine_ready", lambda: False)
    html = page(client, job)
    assert "moteur d'optimisation n'est pas encore installé" in html
    assert 'name="model"' not in html
    monkeypatch.setattr(diagnosis_views, "engine_ready", lambda: True)
    html = page(client, job)
    assert 'name="model"' in html and 'value="pcenter"' in html
    assert "Couvrir le plus d'habitants avec k nouveaux sites" in html


def test_where_to_act_form_errors(client, offer, monkeypatch):
    monkeypatch.setattr(diagnosis_views, "engine_ready", lambda: True)
    job = run(client)
    url = reverse("web:diagnosis-plan", kwargs={"pk": job.pk})
    response = client.post(url, {"candidates": "fichier", "model": "mclp", "k": "2"})
    assert response.status_code == 422
    assert "Joignez le fichier CSV" in response.content.decode()
    response = client.post(url, {"candidates": "mairies", "model": "mclp", "k": ""})
    assert "Indiquez le nombre de nouveaux sites" in response.content.decode()
    upload = io.BytesIO(b"code\n99999\n")
    upload.name = "candidats.csv"
    response = client.post(url, {"candidates": "fichier", "model": "lscp", "file": upload})
    assert "Communes candidates inconnues : 99999" in response.content.decode()
    assert Job.objects.filter(kind="optimise").count() == 0


@pytest.mark.parametrize(
    ("spec", "label", "phrase"),
    [
        ("departement:23", "Creuse", "de la Creuse"),
        ("departement:01", "Ain", "de l'Ain"),
        ("departement:13", "Bouches-du-Rhône", "des Bouches-du-Rhône"),
        ("departement:75", "Paris", "de Paris"),
        ("region:11", "Île-de-France", "d'Île-de-France"),
        ("epci:200044014", "Communauté de communes Creuse Grand Sud",
         "de la communauté de communes Creuse Grand Sud"),
        ("communes:23096,23008", "2 communes choisies", "des 2 communes choisies"),
        ("france", "France entière", "de France"),
    ],
)  # fmt: skip
def test_headline_names_the_territory_with_its_article(spec, label, phrase):
    assert of_territory(spec, label) == phrase
