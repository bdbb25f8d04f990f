"""Coverage of a territory by the support offer, stage by stage.

For each commune: the travel minutes to the nearest session place of a
dispositif that serves that commune at the stage (its zone covers the
commune; sessions count where they are held). Remote-only dispositifs do not
count as reachable support — they are reported separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from maillage.offer.index import Entry, OfferIndex, get_index
from maillage.offer.vocabulary import ZoneKind, next_stage
from maillage.territory.travel import travel_model, travel_time_table

from .territories import CommuneTable


def _covers(entry_zones: set[tuple[str, str]], communes: CommuneTable) -> np.ndarray:
    """Boolean mask of the communes a dispositif's typed zones contain."""
    mask = np.zeros(len(communes), dtype=bool)
    for kind, code in entry_zones:
        if kind == ZoneKind.FRANCE:
            return np.ones(len(communes), dtype=bool)
        column = {
            ZoneKind.COMMUNE: communes.insee,
            ZoneKind.EPCI: communes.epci,
            ZoneKind.DEPARTEMENT: communes.departement,
            ZoneKind.REGION: communes.region,
        }[ZoneKind(kind)]
        mask |= column == code
    return mask


def _zones_by_entry(index: OfferIndex) -> dict[int, set[tuple[str, str]]]:
    zones: dict[int, set[tuple[str, str]]] = {}
    for key, ids in index.zones.items():
        for entry_id in ids:
            zones.setdefault(entry_id, set()).add(key)
    return zones


@dataclass
class StageCoverage:
    stage: str
    # Minutes to the nearest reachable session place; inf when none serves.
    minutes: np.ndarray
    # Index into `entries` of that nearest dispositif, -1 when none.
    nearest: np.ndarray
    entries: list[Entry] = field(default_factory=list)
    remote_only: np.ndarray | None = None  # communes served only remotely


def stage_coverage(
    communes: CommuneTable, stage: str, index: OfferIndex | None = None
) -> StageCoverage:
    index = index or get_index()
    zones = _zones_by_entry(index)
    n = len(communes)
    entries = [e for e in index.entries if stage in e.stages]
    in_person = [e for e in entries if e.formats != {"remote"} and e.places]
    remote = [e for e in entries if "remote" in e.formats]
    remote_mask = np.zeros(n, dtype=bool)
    for e in remote:
        remote_mask |= _covers(zones.get(e.id, set()), communes)
    best = np.full(n, np.inf)
    nearest = np.full(n, -1, dtype=np.intp)
    if in_person and n:
        lat = np.array([p.latitude for e in in_person for p in e.places])
        lon = np.array([p.longitude for e in in_person for p in e.places])
        cls = np.array([p.rurality for e in in_person for p in e.places], dtype=np.intp)
        codes = np.array([p.insee for e in in_person for p in e.places], dtype=object)
        matrix = travel_model().matrix_minutes(
            communes.latitude, communes.longitude, communes.rurality, lat, lon, cls
        )
        table = travel_time_table()
        if table is not None:
            matrix = table.apply(matrix, communes.insee.astype(str), codes.astype(str))
        starts = np.cumsum([0] + [len(e.places) for e in in_person[:-1]])
        per_entry = np.minimum.reduceat(matrix, starts, axis=1)
        for j, e in enumerate(in_person):
            covered = _covers(zones.get(e.id, set()), communes)
            better = covered & (per_entry[:, j] < best)
            best[better] = per_entry[better, j]
            nearest[better] = j
    served_in_person = np.isfinite(best)
    return StageCoverage(
        stage=stage,
        minutes=best,
        nearest=nearest,
        entries=in_person,
        remote_only=remote_mask & ~served_in_person,
    )


def chain_gaps(
    communes: CommuneTable,
    current: StageCoverage,
    threshold: float,
    index: OfferIndex | None = None,
) -> tuple[str | None, np.ndarray]:
    """(next stage, mask of communes where the current stage is within reach
    and the next one is not) — the breaks in the pathway."""
    after = next_stage(current.stage)
    if after is None:
        return None, np.zeros(len(communes), dtype=bool)
    there = stage_coverage(communes, after, index).minutes <= threshold
    return after, (current.minutes <= threshold) & ~there
