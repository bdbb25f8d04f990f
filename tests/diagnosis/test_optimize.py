"""`maillage optimize`: the proven-optimal LSCP of the Creuse on its town halls."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from maillage.offer.index import clear_index
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    clear_index()
    yield
    clear_index()


def optimize(*args):
    out = StringIO()
    call_command("optimize", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_lscp_on_town_halls_puts_every_creuse_commune_within_30_minutes():
    DispositifFactory(stages=["creation-incubation"], places=["23096"])  # Guéret
    data = optimize(
        "--territory",
        "departement:23",
        "--model",
        "lscp",
        "--threshold",
        "30",
        "--candidates",
        "mairies",
    )
    assert data["optimal"] is True and data["gap"] == 0.0
    assert data["lower_bound"] == data["objective"]
    assert data["communes_covered_after"] == 255
    assert data["population_covered_after"] > data["population_covered_before"]
    assert data["uncoverable"] == []
    assert all(site["insee"].startswith("23") for site in data["selected"])


def test_mclp_with_k_new_sites_never_loses_coverage():
    DispositifFactory(stages=["creation-incubation"], places=["23096"])
    data = optimize(
        "--territory",
        "departement:23",
        "--model",
        "mclp",
        "--k",
        "2",
        "--threshold",
        "30",
        "--candidates",
        "mairies",
    )
    assert len(data["selected"]) == 2
    assert data["population_covered_after"] >= data["population_covered_before"]
    assert data["gap"] <= 0.005
