"""The demo ecosystem through data·inclusion: every item validates against
the schema, and a re-import reproduces the same structures and dispositifs."""

import json

import pytest
from data_inclusion.schema import v1

from maillage.demo.offer_loader import load_offer
from maillage.offer.io.files import export_files, import_file
from maillage.offer.models import Dispositif, Structure
from tests.offer.test_io_import import snapshot

pytestmark = pytest.mark.django_db


def test_demo_round_trip_through_datainclusion(tmp_path):
    load_offer()
    before = snapshot()
    assert len(before[0]) == 100 and len(before[1]) == Dispositif.objects.count()
    [(path, _what)] = export_files("datainclusion", tmp_path / "demo.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    for item in document["structures"]:
        v1.Structure.model_validate(item)
    for item in document["services"]:
        v1.Service.model_validate(item)
    assert len(document["services"]) == Dispositif.objects.count()

    Structure.objects.all().delete()
    report = import_file(path, apply=True)
    assert report.errors == [], report.errors[:5]
    assert snapshot() == before
