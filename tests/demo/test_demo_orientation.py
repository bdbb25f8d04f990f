"""Orientation on the demo ecosystem: the examples the issue names."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from maillage.demo.offer_loader import load_offer
from maillage.offer.index import clear_index
from maillage.orientation.models import UnmetDemand

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo():
    load_offer()
    clear_index()
    yield
    clear_index()


def orient(*args):
    out = StringIO()
    call_command("orient", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_citizens_collective_in_herm_gets_the_landes_collective_incubator_first():
    data = orient(
        "--commune",
        "40123",
        "--stage",
        "ideation-premiers-pas",
        "--collective",
        "--sector",
        "lien-social",
    )
    first = data["recommendations"][0]
    assert first["dispositif_id"] == "ploucs-incubateur"
    assert first["travel_minutes"] == 0.0
    assert "Conçu pour les projets collectifs" in first["reasons"]
    assert any("Landes" in r for r in first["reasons"])


def test_individual_in_herm_is_told_why_collective_programmes_are_excluded():
    data = orient("--commune", "40123", "--stage", "ideation-premiers-pas")
    refs = [r["dispositif_id"] for r in data["recommendations"]]
    assert "ploucs-incubateur" not in refs
    assert {k: v for k, v in data["excluded"][0].items() if k != "name"} == {
        "dispositif_id": "ploucs-incubateur",
        "why": "réservé aux projets collectifs",
    }


def test_gueret_creation_within_30_minutes_or_warned_and_recorded():
    data = orient("--commune", "23096", "--stage", "creation-incubation", "--max-minutes", "30")
    within = [
        r
        for r in data["recommendations"]
        if r["travel_minutes"] is not None and r["travel_minutes"] <= 30
    ]
    if within:
        assert data["unmet"] is False
        assert not within[0]["warnings"]
    else:
        assert data["unmet"] is True
        assert all(r["warnings"] for r in data["recommendations"] if r["travel_minutes"])
        assert UnmetDemand.objects.filter(commune__insee="23096").exists()
