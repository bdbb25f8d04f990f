"""Where to act: the optimisation result page, saved scenarios, comparison.

The pages are tested on stored job results shaped like `tasks.optimise_task`
output; the end-to-end runs need the location engine and are skipped while
`maillage.geo.location` is missing or incomplete.
"""

import html as html_lib
import io
import json
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.diagnosis.models import Job, Scenario
from maillage.diagnosis.optimize import UNSERVED_MINUTES
from maillage.diagnosis.tasks import diagnose_task
from maillage.offer.index import clear_index
from tests.factories.accounts import UserFactory
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db

STAGE = "creation-incubation"
SCENARIOS = reverse("web:diagnosis-scenarios")


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def diagnosis():
    DispositifFactory(name="Incubateur creusois", stages=[STAGE], places=["23096"])
    params = {"territory": "departement:23", "stage": STAGE, "threshold": 30}
    return Job.objects.create(
        kind="diagnose", params=params, status=Job.Status.DONE,
        result=diagnose_task(params, lambda p, m: None),
    )  # fmt: skip


def optimise_job(diagnosis, *, optimal=True, gap=0.0, model="mclp", k=1):
    """A finished job as optimise_task stores it: Aubusson (23008) opened."""
    rows = diagnosis.result["communes"]
    pop = {r["insee"]: r["population"] for r in rows}
    before = {r["insee"]: UNSERVED_MINUTES if r["minutes"] is None else r["minutes"] for r in rows}
    # Communes around Aubusson come within 20 minutes.
    near = {r["insee"] for r in rows if r["beyond"] and r["insee"] <= "23050"}
    after = {i: (20.0 if i in near or i == "23008" else m) for i, m in before.items()}
    plan = {
        "model": model, "territory": "departement:23", "stage": STAGE,
        "threshold_minutes": 30.0, "k": k, "candidates": "mairies",
        "selected": [{"insee": "23008", "name": "Aubusson"}],
        "objective": float(sum(pop[i] for i, m in after.items() if m <= 30)),
        "lower_bound": 0.0, "upper_bound": 0.0, "gap": gap, "optimal": optimal,
        "method": "highs", "seconds": 0.5,
        "population_covered_before": sum(pop[i] for i, m in before.items() if m <= 30),
        "population_covered_after": sum(pop[i] for i, m in after.items() if m <= 30),
        "communes_covered_before": sum(m <= 30 for m in before.values()),
        "communes_covered_after": sum(m <= 30 for m in after.values()),
        "uncoverable": [],
    }  # fmt: skip
    params = {
        "territory": "departement:23", "stage": STAGE, "threshold": 30.0, "model": model, "k": k,
        "candidates": "mairies", "candidate_label": "Les mairies du territoire",
        "candidate_count": 255, "diagnosis_job": diagnosis.pk,
    }  # fmt: skip
    result = {
        "plan": plan,
        "communes": [{"insee": i, "before": before[i], "after": after[i]} for i in before],
    }
    job = Job.objects.create(kind="optimise", params=params, status=Job.Status.DONE, result=result)
    return job, near | ({"23008"} if before["23008"] > 30 else set())


def page(client, job):
    response = client.get(reverse("web:diagnosis-result", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def test_plan_result_shows_sites_before_after_and_optimality(client, diagnosis):
    job, newly = optimise_job(diagnosis)
    html = page(client, job)
    assert html.count("<h1") == 1 and "Où agir : Creuse" in html
    assert reverse("web:commune-detail", kwargs={"insee": "23008"}) in html
    plan = job.result["plan"]
    for n in (plan["population_covered_before"], plan["population_covered_after"]):
        assert f"{n:,}".replace(",", "\u202f") in html or f"{n:,}".replace(",", "\xa0") in html
    assert "Solution optimale prouvée." in html
    for source in ("plan-map-before", "plan-map-after"):
        found = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', html)
        assert len(json.loads(found.group(1))["features"]["features"]) == 255
    assert f"{len(newly)} communes" in html
    # Anyone may compute; saving asks to log in.
    assert "se connecter pour enregistrer" in html
    assert 'name="name"' not in html


def test_a_proven_gap_is_said_in_plain_french(client, diagnosis):
    job, _newly = optimise_job(diagnosis, optimal=False, gap=0.004)
    assert "Solution à au plus 0,4 % de l'optimum" in page(client, job)


def test_before_and_after_svgs(client, diagnosis):
    job, _newly = optimise_job(diagnosis)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    fills = []
    for name in ("web:diagnosis-svg", "web:diagnosis-svg-after"):
        response = client.get(reverse(name, kwargs={"pk": job.pk}))
        root = ET.fromstring(response.content)
        paths = root.findall(".//svg:path", ns)
        assert len(paths) == 255
        fills.append(sorted(p.get("fill") for p in paths))
    assert fills[0] != fills[1]


def test_saving_a_scenario_needs_login(client, diagnosis):
    job, _newly = optimise_job(diagnosis)
    url = reverse("web:diagnosis-save", kwargs={"pk": job.pk})
    response = client.post(url, {"name": "Aubusson"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Scenario.objects.exists()
    assert client.get(SCENARIOS).status_code == 302

    user = UserFactory()
    client.force_login(user)
    assert 'name="name"' in page(client, job)
    response = client.post(url, {"name": "Aubusson d'abord"})
    assert response["Location"] == SCENARIOS
    scenario = Scenario.objects.get()
    assert (scenario.name, scenario.created_by, scenario.model, scenario.k) == (
        "Aubusson d'abord",
        user,
        "mclp",
        1,
    )
    assert scenario.territory == "departement:23" and scenario.threshold == 30
    assert (
        scenario.result["population_covered_after"]
        == job.result["plan"]["population_covered_after"]
    )
    assert "Aubusson d'abord" in html_lib.unescape(client.get(SCENARIOS).content.decode())


def _save(client, job, name):
    client.post(reverse("web:diagnosis-save", kwargs={"pk": job.pk}), {"name": name})
    return Scenario.objects.get(name=name)


def test_comparing_two_or_three_scenarios(client, diagnosis):
    user = UserFactory()
    client.force_login(user)
    first = _save(client, optimise_job(diagnosis)[0], "Premier")
    second = _save(client, optimise_job(diagnosis, model="pmedian", k=2)[0], "Second")
    other = UserFactory()
    theirs = Scenario.objects.create(
        name="Le leur", territory="departement:23", stage=STAGE, threshold=30, model="lscp",
        candidates="mairies", result=first.result, created_by=other,
    )  # fmt: skip
    html = html_lib.unescape(
        client.get(SCENARIOS, {"comparer": [first.pk, second.pk]}).content.decode()
    )
    table = html[html.index('class="compare"') : html.index("</table>")]
    assert "Premier" in table and "Second" in table
    assert "Réduire le trajet moyen" in table and "Couvrir le plus d'habitants" in table
    assert "Le leur" not in html
    one = html_lib.unescape(client.get(SCENARIOS, {"comparer": [first.pk]}).content.decode())
    assert "Cochez deux ou trois scénarios" in one and 'class="compare"' not in one
    # Someone else's scenario cannot be slipped into a comparison.
    mixed = client.get(SCENARIOS, {"comparer": [first.pk, theirs.pk]}).content.decode()
    assert 'class="compare"' not in mixed


# --- End to end, with the location engine -------------------------------------------


def engine():
    location = pytest.importorskip("maillage.geo.location")
    missing = [n for n in ("lscp", "mclp", "p_center", "p_median") if not hasattr(location, n)]
    if missing:
        pytest.skip(f"moteur de localisation incomplet : {', '.join(missing)}")


def diagnose_epci(client):
    form = {"kind": "epci", "epci": "200044014", "stage": STAGE, "threshold": "30"}
    client.post(reverse("web:diagnosis"), form)
    return Job.objects.filter(kind="diagnose").latest("id")


def test_where_to_act_end_to_end_matches_the_cli(client, diagnosis):
    engine()
    job = diagnose_epci(client)
    url = reverse("web:diagnosis-plan", kwargs={"pk": job.pk})
    response = client.post(url, {"candidates": "mairies", "model": "mclp", "k": "2"})
    plan_job = Job.objects.filter(kind="optimise").latest("id")
    assert response["Location"] == reverse("web:diagnosis-result", kwargs={"pk": plan_job.pk})
    assert plan_job.status == Job.Status.DONE, plan_job.error
    out = StringIO()
    call_command("optimize", "--territory", "epci:200044014", "--model", "mclp", "--k", "2",
                 "--stage", STAGE, "--threshold", "30", "--candidates", "mairies", "--json",
                 stdout=out)  # fmt: skip
    cli = json.loads(out.getvalue())
    plan = plan_job.result["plan"]
    for key in ("selected", "population_covered_before", "population_covered_after", "optimal"):
        assert plan[key] == cli[key], key
    html = page(client, plan_job)
    assert "Sites recommandés" in html
    for site in plan["selected"]:
        assert reverse("web:commune-detail", kwargs={"insee": site["insee"]}) in html


def test_where_to_act_with_an_uploaded_list(client, diagnosis):
    engine()
    job = diagnose_epci(client)
    upload = io.BytesIO(b"code_insee;nom\n23008;Aubusson\n23065;Crocq\n")
    upload.name = "candidats.csv"
    url = reverse("web:diagnosis-plan", kwargs={"pk": job.pk})
    client.post(url, {"candidates": "fichier", "model": "lscp", "file": upload})
    plan_job = Job.objects.filter(kind="optimise").latest("id")
    assert plan_job.params["candidates"] == "communes:23008,23065"
    assert plan_job.status == Job.Status.DONE, plan_job.error
    assert {s["insee"] for s in plan_job.result["plan"]["selected"]} <= {"23008", "23065"}
