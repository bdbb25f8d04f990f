"""Travel-time model and user-supplied override table."""

import io
import math
from pathlib import Path

import numpy as np
import pytest

from maillage.geo import (
    DEFAULT_SPEED_KMH,
    EARTH_RADIUS_KM,
    TravelModel,
    TravelTimeTable,
    TravelTimeTableError,
)

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
SETTINGS_SPEEDS = {1: 20.0, 2: 30.0, 3: 40.0, 4: 45.0, 5: 55.0, 6: 60.0, 7: 60.0}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def expected_minutes(road_km: float, v_o: float, v_d: float, road=75.0, local=5.0) -> float:
    """The model written out once more, scalar and plainly."""
    e = min(road_km / 2, local)
    return 60 * (e / v_o + e / v_d + (road_km - 2 * e) / road)


# --- TravelModel -------------------------------------------------------------


def test_defaults_match_the_settings() -> None:
    model = TravelModel()
    assert model.circuity == 1.3
    assert dict(model.speed_kmh) == SETTINGS_SPEEDS == dict(DEFAULT_SPEED_KMH)


def test_ten_km_by_hand() -> None:
    model = TravelModel()
    # 10 km × 1.3 = 13 km of road: 5 km at each end at the local speed, 3 km
    # at 75 km/h. Level 3 both ends: 10 km at 40 km/h (15 min) + 2.4 min.
    assert float(model.minutes_for_distance(10.0, 3, 3)) == pytest.approx(15 + 2.4)
    # Rural (7, 60 km/h) to urban (1, 20 km/h): 5 + 15 + 2.4 = 22.4 min,
    # whichever the direction.
    assert float(model.minutes_for_distance(10.0, 7, 1)) == pytest.approx(22.4)
    assert float(model.minutes_for_distance(10.0, 1, 7)) == pytest.approx(22.4)
    # A short trip (2 km, 2.6 km of road) is local at both ends: 1.3 km each.
    assert float(model.minutes_for_distance(2.0, 7, 1)) == pytest.approx(1.3 + 3.9)
    # A long trip is mostly road: 100 km → 130 km, 10 km local.
    assert float(model.minutes_for_distance(100.0, 5, 5)) == pytest.approx(
        10 / 55 * 60 + 120 / 75 * 60
    )


def test_matrix_minutes_ten_km_by_hand() -> None:
    lat = [45.0, 45.0 + 10.0 / KM_PER_DEGREE]  # exactly 10 km apart on a meridian
    lon = [5.0, 5.0]
    minutes = TravelModel().matrix_minutes(lat, lon, [7, 1], lat, lon, [7, 1])
    expected = [[0.0, 22.4], [22.4, 0.0]]
    np.testing.assert_allclose(minutes, expected, rtol=0, atol=1e-6)


def test_matrix_minutes_against_independent_formula() -> None:
    rng = np.random.default_rng(10)
    o_lat, o_lon, o_cls = (
        rng.uniform(42.5, 51, 20),
        rng.uniform(-4.5, 8, 20),
        rng.integers(1, 8, 20),
    )
    d_lat, d_lon, d_cls = (
        rng.uniform(42.5, 51, 15),
        rng.uniform(-4.5, 8, 15),
        rng.integers(1, 8, 15),
    )
    model = TravelModel(circuity=1.25, speed_kmh={1: 20, 2: 30, 3: 40, 4: 50, 5: 60, 6: 70, 7: 80})
    speeds = {1: 20, 2: 30, 3: 40, 4: 50, 5: 60, 6: 70, 7: 80}
    expected = np.array(
        [
            [
                expected_minutes(
                    haversine_km(o_lat[i], o_lon[i], d_lat[j], d_lon[j]) * 1.25,
                    speeds[o_cls[i]],
                    speeds[d_cls[j]],
                )
                for j in range(15)
            ]
            for i in range(20)
        ]
    )
    got = model.matrix_minutes(o_lat, o_lon, o_cls, d_lat, d_lon, d_cls)
    assert got.shape == (20, 15)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-6)
    got32 = model.matrix_minutes(o_lat, o_lon, o_cls, d_lat, d_lon, d_cls, dtype=np.float32)
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32, expected, rtol=1e-6, atol=1e-4)


def test_matrix_minutes_symmetric_for_the_same_places() -> None:
    rng = np.random.default_rng(11)
    lat, lon, cls = rng.uniform(42.5, 51, 200), rng.uniform(-4.5, 8, 200), rng.integers(1, 8, 200)
    minutes = TravelModel().matrix_minutes(lat, lon, cls, lat, lon, cls)
    np.testing.assert_allclose(minutes, minutes.T, rtol=0, atol=1e-6)


def test_circuity_one_and_60_kmh_gives_one_minute_per_km() -> None:
    model = TravelModel(
        circuity=1.0, speed_kmh=dict.fromkeys(range(1, 8), 60.0), road_speed_kmh=60.0
    )
    minutes = model.matrix_minutes([45.0], [5.0], [4], [46.0], [5.0], [6])
    assert minutes[0, 0] == pytest.approx(KM_PER_DEGREE)


def test_integral_float_classes_are_accepted() -> None:
    a = TravelModel().matrix_minutes([45.0], [5.0], [3.0], [46.0], [5.0], np.array([5.0]))
    b = TravelModel().matrix_minutes([45.0], [5.0], [3], [46.0], [5.0], [5])
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("bad", [[0], [8], [1.5], [-1], ["3"]])
def test_unknown_density_level_raises(bad: list[float | str]) -> None:
    with pytest.raises(ValueError, match="density level"):
        TravelModel().matrix_minutes([45.0], [5.0], [3], [46.0], [5.0], bad)
    with pytest.raises(ValueError, match="density level"):
        TravelModel().minutes_for_distance(1.0, bad, 3)


def test_unknown_level_is_named() -> None:
    with pytest.raises(ValueError, match=r"orig_class: unknown INSEE density level\(s\) 0, 9"):
        TravelModel().matrix_minutes([45, 45, 45], [5, 5, 5], [9, 0, 3], [46.0], [5.0], [5])


def test_class_length_mismatch_raises() -> None:
    with pytest.raises(ValueError, match="dest_class has 2 values for 1 destinations"):
        TravelModel().matrix_minutes([45.0], [5.0], [3], [46.0], [5.0], [5, 5])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"circuity": 0.9}, "circuity must be a finite number >= 1"),
        ({"circuity": math.nan}, "circuity"),
        ({"speed_kmh": {1: 25.0, 2: 35.0, 3: 45.0, 4: 50.0, 5: 60.0}}, "missing .* 6, 7"),
        ({"speed_kmh": {**SETTINGS_SPEEDS, 8: 70.0}}, "unknown density level.* 8"),
        ({"speed_kmh": {**SETTINGS_SPEEDS, 4: 0.0}}, r"speed_kmh\[4\] must be a finite speed > 0"),
        ({"speed_kmh": {**SETTINGS_SPEEDS, 2: -5.0}}, r"speed_kmh\[2\]"),
    ],
)
def test_invalid_model_raises(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TravelModel(**kwargs)  # type: ignore[arg-type]


def test_model_is_immutable_and_hashable() -> None:
    speeds = dict(SETTINGS_SPEEDS)
    model = TravelModel(speed_kmh=speeds)
    speeds[1] = 1.0  # the caller's dict is copied
    assert model.speed_kmh[1] == 20.0
    with pytest.raises(TypeError):
        model.speed_kmh[1] = 1.0  # type: ignore[index]
    assert model == TravelModel()
    assert hash(model) == hash(TravelModel())
    assert model != TravelModel(circuity=1.4)


# --- TravelTimeTable ---------------------------------------------------------


def test_from_csv_path_with_commas(tmp_path: Path) -> None:
    path = tmp_path / "temps.csv"
    path.write_text("origine,destination,minutes\n01001,01002,12\n2A004,2B033,95.5\n")
    table = TravelTimeTable.from_csv(path)
    assert table.origins.tolist() == ["01001", "2A004"]
    assert table.destinations.tolist() == ["01002", "2B033"]
    assert table.minutes.tolist() == [12.0, 95.5]
    assert TravelTimeTable.from_csv(str(path)).minutes.tolist() == [12.0, 95.5]


def test_from_csv_french_spreadsheet_bytes() -> None:
    # Excel export: BOM-less cp1252, ";" delimiter, decimal comma, padding cells.
    data = "départ;arrivée;durée\r\n01001;01002;12,5;;\r\n\r\n01002;01001;13\r\n".encode("cp1252")
    table = TravelTimeTable.from_csv(io.BytesIO(data))
    assert table.minutes.tolist() == [12.5, 13.0]
    bom = "\ufefforigine,destination,minutes\n01001,01002,3\n".encode()
    assert TravelTimeTable.from_csv(io.BytesIO(bom)).origins.tolist() == ["01001"]


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        (
            "01001,01002,10\n01001,01003,11\n01001,01004,abc\n",
            "ligne 4 : minutes invalides « abc »",
            4,
        ),
        ("01001,01002,-3\n", "ligne 2 : minutes négatives « -3 »", 2),
        ("01001,01002,nan\n", "ligne 2 : minutes invalides « nan »", 2),
        ("01001,01002,\n", "ligne 2 : minutes manquantes", 2),
        ("1001,01002,10\n", "ligne 2 : code commune d'origine invalide « 1001 »", 2),
        ("01001,2C004,10\n", "ligne 2 : code commune de destination invalide « 2C004 »", 2),
        ("01001,01002\n", "ligne 2 : 3 colonnes attendues", 2),
        ("01001,01002,10\n\n01001,01002,11\n", "ligne 4 : paire 01001 → 01002 en double", 4),
    ],
)
def test_from_csv_bad_rows_name_the_line(body: str, message: str, line: int) -> None:
    source = io.StringIO("origine,destination,minutes\n" + body)
    with pytest.raises(TravelTimeTableError) as info:
        TravelTimeTable.from_csv(source)
    assert str(info.value).startswith(message)
    assert info.value.line == line
    assert isinstance(info.value, ValueError)


def test_from_csv_requires_a_header() -> None:
    with pytest.raises(ValueError, match="ligne 1 : en-tête attendu"):
        TravelTimeTable.from_csv(io.StringIO("01001,01002,10\n"))
    with pytest.raises(ValueError, match="fichier vide"):
        TravelTimeTable.from_csv(io.StringIO("\n"))
    assert len(TravelTimeTable.from_csv(io.StringIO("o;d;m\n"))) == 0


def test_apply_replaces_exactly_the_listed_cells() -> None:
    origins = ["01001", "01002", "2A004", "01003"]
    dests = ["01002", "2A004", "01005"]
    matrix = np.arange(12, dtype=np.float64).reshape(4, 3) + 100.0
    before = matrix.copy()
    table = TravelTimeTable(
        [
            ("2A004", "01005", 7.0),  # row 2, col 2
            ("01001", "01002", 1.5),  # row 0, col 0
            ("01002", "01001", 9.0),  # 01001 is not a destination: ignored
            ("99999", "01002", 4.0),  # unknown origin: ignored
        ]
    )
    match = table.match(origins, dests)
    assert (match.matched, match.ignored) == (2, 2)
    result = table.apply(matrix, origins, dests)
    expected = before.copy()
    expected[2, 2] = 7.0
    expected[0, 0] = 1.5
    np.testing.assert_array_equal(result, expected)
    np.testing.assert_array_equal(matrix, before)  # the input is left alone


def test_apply_is_directional_and_covers_repeated_codes() -> None:
    # Two destinations in the same commune both get the override.
    table = TravelTimeTable([("01001", "01002", 5.0)])
    result = table.apply(np.zeros((2, 3)), ["01001", "01002"], ["01002", "01001", "01002"])
    np.testing.assert_array_equal(result, [[5.0, 0.0, 5.0], [0.0, 0.0, 0.0]])


def test_apply_many_overrides_against_a_loop() -> None:
    rng = np.random.default_rng(12)
    origins = [f"{i:05d}" for i in rng.permutation(90_000)[:3_000] + 1_000]
    dests = [f"{i:05d}" for i in rng.permutation(90_000)[:500] + 1_000]
    cells = rng.choice(3_000 * 500, size=100_000, replace=False)
    rows, cols = np.divmod(cells, 500)
    minutes = rng.uniform(0, 300, 100_000).round(1)
    pairs = [(origins[r], dests[c], m) for r, c, m in zip(rows, cols, minutes, strict=True)]
    pairs += [("00001", dests[0], 1.0), (origins[0], "00002", 2.0)]  # two unknown pairs
    matrix = rng.uniform(0, 300, (3_000, 500))
    match = TravelTimeTable(pairs).match(origins, dests)
    assert (match.matched, match.ignored) == (100_000, 2)
    result = match.apply(matrix)
    expected = matrix.copy()
    position = {code: i for i, code in enumerate(origins)}, {c: j for j, c in enumerate(dests)}
    for origin, dest, value in pairs[:-2]:
        expected[position[0][origin], position[1][dest]] = value
    np.testing.assert_array_equal(result, expected)
    assert np.count_nonzero(result != matrix) == 100_000


def test_apply_keeps_float32_and_checks_shape() -> None:
    table = TravelTimeTable([("01001", "01002", 5.0)])
    out = table.apply(np.ones((1, 1), dtype=np.float32), ["01001"], ["01002"])
    assert out.dtype == np.float32 and out[0, 0] == 5.0
    with pytest.raises(ValueError, match="shape"):
        table.apply(np.ones((2, 1)), ["01001"], ["01002"])
    with pytest.raises(ValueError, match="str codes"):
        table.apply(np.ones((1, 1)), [1001], ["01002"])


def test_rows_accept_numpy_numbers_and_reject_non_numbers() -> None:
    table = TravelTimeTable([("01001", "01002", np.int64(3)), ("01001", "01003", np.float32(2.5))])
    assert table.minutes.tolist() == [3.0, 2.5]
    with pytest.raises(TravelTimeTableError, match="ligne 2 : minutes invalides « None »"):
        TravelTimeTable([("01001", "01002", 1.0), ("01001", "01003", None)])
