import json
from io import StringIO

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from maillage.diagnosis.report import diagnose
from maillage.diagnosis.territories import resolve
from maillage.offer.index import clear_index
from maillage.orientation.models import UnmetDemand
from maillage.territory.models import Commune
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    clear_index()
    yield
    clear_index()


def test_territory_specs():
    assert len(resolve("departement:23").communes) == 255
    assert resolve("departement:7").spec == "departement:07"
    assert len(resolve("communes:23096,23008").communes) == 2
    with pytest.raises(ValidationError):
        resolve("departement:99")
    with pytest.raises(ValidationError):
        resolve("canton:1")


def test_a_dispositif_in_gueret_covers_what_is_within_reach():
    DispositifFactory(stages=["creation-incubation"], places=["23096"])
    d = diagnose(resolve("departement:23"), "creation-incubation", 30).as_dict()
    assert d["communes"] == 255
    assert 0 < d["communes_beyond"] < 255
    rows = {
        r["insee"]: r
        for r in diagnose(resolve("departement:23"), "creation-incubation", 30).commune_rows()
    }
    assert rows["23096"]["minutes"] == 0.0 and not rows["23096"]["beyond"]
    # Every commune within 30 min is counted as covered, and the rest beyond.
    reachable = [r for r in rows.values() if not r["beyond"]]
    assert len(reachable) == 255 - d["communes_beyond"]
    assert all(r["minutes"] <= 30.05 for r in reachable)
    assert all(r["minutes"] is None or r["minutes"] >= 29.95 for r in rows.values() if r["beyond"])
    assert d["population_beyond"] == sum(r["population"] for r in rows.values() if r["beyond"])
    assert sum(v["communes_beyond"] for v in d["by_rurality"].values()) == d["communes_beyond"]


def test_zone_limits_coverage_even_when_sessions_are_close():
    # Sessions in Guéret, but the dispositif serves only Guéret itself.
    DispositifFactory(
        stages=["creation-incubation"], places=["23096"], zones=[("commune", "23096")]
    )
    d = diagnose(resolve("departement:23"), "creation-incubation", 30).as_dict()
    assert d["communes_beyond"] == 254


def test_remote_only_is_reported_separately():
    DispositifFactory(stages=["creation-incubation"], formats=["remote"], places=[])
    d = diagnose(resolve("departement:23"), "creation-incubation", 30).as_dict()
    assert d["communes_beyond"] == 255
    assert d["remote_only_communes"] == 255


def test_chain_gaps_and_unmet_demand():
    DispositifFactory(stages=["ideation-premiers-pas"], places=["23096"])
    UnmetDemand.objects.create(
        commune=Commune.objects.get(insee="23096"),
        stage="ideation-premiers-pas",
        empty_because="distance",
    )
    d = diagnose(resolve("departement:23"), "ideation-premiers-pas", 30).as_dict()
    gaps = d["chain_gaps"]
    assert gaps["next_stage"] == "emergence-faisabilite"
    assert gaps["communes"] == 255 - d["communes_beyond"]  # nothing at the next stage
    assert "23096" in gaps["insee"]
    assert d["unmet_demand"] == {"distance": 1}


def test_cli_json_matches_the_report():
    DispositifFactory(stages=["creation-incubation"], places=["23096", "23008"])
    out = StringIO()
    call_command(
        "diagnose",
        "--territory",
        "departement:23",
        "--stage",
        "creation-incubation",
        "--threshold",
        "30",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data == json.loads(
        json.dumps(diagnose(resolve("departement:23"), "creation-incubation", 30).as_dict())
    )
    for key in (
        "territory",
        "stage",
        "threshold_minutes",
        "communes",
        "population",
        "communes_beyond",
        "population_beyond",
        "by_rurality",
        "chain_gaps",
        "beyond",
    ):
        assert key in data
    beyond_pop = [r["population"] for r in data["beyond"]]
    assert beyond_pop == sorted(beyond_pop, reverse=True)
    assert np.isclose(sum(beyond_pop), data["population_beyond"])
