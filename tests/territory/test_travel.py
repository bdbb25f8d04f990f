import numpy as np
import pytest

from maillage.territory.models import Commune
from maillage.territory.travel import travel_model, travel_time_table

pytestmark = pytest.mark.django_db


def _matrix(origins, destinations):
    rows = [Commune.objects.get(insee=i) for i in origins]
    cols = [Commune.objects.get(insee=i) for i in destinations]

    def arrays(cs):
        return (
            np.array([c.latitude for c in cs]),
            np.array([c.longitude for c in cs]),
            np.array([c.rurality for c in cs]),
        )

    return travel_model().matrix_minutes(*arrays(rows), *arrays(cols))


def test_model_follows_settings(settings):
    settings.TRAVEL_CIRCUITY = 1.5
    assert travel_model().circuity == 1.5


def test_creuse_trip_takes_plausible_minutes():
    # Aubusson → Guéret: 34 km in a straight line, about 40–45 min by road.
    minutes = _matrix(["23008"], ["23096"])[0, 0]
    assert 35 < minutes < 50


def test_user_table_overrides_the_estimate(settings, tmp_path):
    path = tmp_path / "temps.csv"
    path.write_text("origine,destination,minutes\n23008,23096,41.5\n", encoding="utf-8")
    settings.TRAVEL_TIME_TABLE = str(path)
    table = travel_time_table()
    codes = np.array(["23008"])
    patched = table.apply(_matrix(["23008"], ["23096"]), codes, np.array(["23096"]))
    assert patched[0, 0] == 41.5


def test_no_table_by_default(settings):
    settings.TRAVEL_TIME_TABLE = ""
    assert travel_time_table() is None
