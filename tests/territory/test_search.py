import json
from io import StringIO

import pytest
from django.core.management import call_command

from maillage.territory.search import CommuneHit, CommuneIndex, normalize, search_communes

pytestmark = pytest.mark.django_db


def first(text):
    return search_communes(text)[0]


@pytest.mark.parametrize(
    ("text", "insee", "name"),
    [
        ("louvigne", "35162", "Louvigné-du-Désert"),
        ("23000", "23096", "Guéret"),
        ("saint agreve", "07204", "Saint-Agrève"),
        ("Saint-Agrève", "07204", "Saint-Agrève"),
        ("ST AGREVE", "07204", "Saint-Agrève"),
        ("chaise dieu", "43048", "La Chaise-Dieu"),
        ("la chaise-dieu", "43048", "La Chaise-Dieu"),
        ("07204", "07204", "Saint-Agrève"),
        ("gueret", "23096", "Guéret"),
    ],
)
def test_examples(text, insee, name):
    hit = first(text)
    assert (hit.insee, hit.name) == (insee, name)


def test_homonyms_come_with_their_departement():
    hits = {(h.insee, h.name, h.departement) for h in search_communes("herm")}
    assert ("09138", "L'Herm", "09") in hits
    assert ("40123", "Herm", "40") in hits


def test_louvigne_lists_the_other_louvigne_too():
    names = [h.name for h in search_communes("louvigne")]
    assert names[0] == "Louvigné-du-Désert"
    assert "Louvigné" in names  # the Mayenne commune (53), smaller


def test_nothing_found():
    assert search_communes("xyzzy") == []
    assert search_communes("   ") == []


def test_every_word_must_match():
    assert all("agreve" in normalize(h.name) for h in search_communes("saint agr"))


def test_index_ranks_code_match_first():
    index = CommuneIndex(
        [
            CommuneHit("01001", "Big", "01", ("01002",), 10),
            CommuneHit("01002", "Small", "01", ("01500",), 1),
        ]
    )
    # Small's INSEE code beats Big's population (Big only has it as postal code).
    assert [h.insee for h in index.search("01002")] == ["01002", "01001"]
    assert [h.insee for h in index.search("01500")] == ["01002"]


def test_cli_json():
    out = StringIO()
    call_command("territory", "search", "louvigne", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data[0] == {
        "insee": "35162",
        "name": "Louvigné-du-Désert",
        "departement": "35",
        "postal_codes": ["35420"],
        "population": data[0]["population"],
    }
    assert isinstance(data[0]["population"], int) and data[0]["population"] > 3000
