"""The diagnosis of a territory at a stage, as numbers for pages, exports,
the CLI and the API (all read the same `Diagnosis.as_dict()`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from maillage.offer.index import get_index
from maillage.offer.vocabulary import Stage
from maillage.orientation.models import UnmetDemand
from maillage.territory.rurality import RuralityLevel

from .coverage import StageCoverage, chain_gaps, stage_coverage
from .territories import Territory


@dataclass
class Diagnosis:
    territory: Territory
    stage: str
    threshold: float
    coverage: StageCoverage
    next_stage: str | None
    gap_mask: np.ndarray
    unmet: dict[str, int]

    @property
    def beyond_mask(self) -> np.ndarray:
        return ~(self.coverage.minutes <= self.threshold)

    def commune_rows(self) -> list[dict[str, object]]:
        c = self.territory.communes
        rows = []
        for i in range(len(c)):
            minutes = self.coverage.minutes[i]
            j = self.coverage.nearest[i]
            rows.append(
                {
                    "insee": c.insee[i],
                    "name": c.name[i],
                    "population": int(c.population[i]),
                    "rurality": int(c.rurality[i]),
                    "minutes": None if math.isinf(minutes) else round(float(minutes), 1),
                    "nearest": self.coverage.entries[j].name if j >= 0 else None,
                    "beyond": bool(self.beyond_mask[i]),
                    "remote_only": bool(self.coverage.remote_only[i]),
                    "chain_gap": bool(self.gap_mask[i]),
                }
            )
        return rows

    def as_dict(self) -> dict[str, object]:
        c = self.territory.communes
        beyond = self.beyond_mask
        by_rurality = {}
        for level in RuralityLevel:
            m = c.rurality == level.value
            if m.any():
                by_rurality[str(level.value)] = {
                    "label": str(level.label),
                    "communes": int(m.sum()),
                    "population": int(c.population[m].sum()),
                    "communes_beyond": int((m & beyond).sum()),
                    "population_beyond": int(c.population[m & beyond].sum()),
                }
        gaps = self.gap_mask
        order = np.argsort(-c.population[beyond], kind="stable")
        beyond_rows = [
            {
                "insee": c.insee[i],
                "name": c.name[i],
                "population": int(c.population[i]),
                "minutes": (
                    None
                    if math.isinf(self.coverage.minutes[i])
                    else round(float(self.coverage.minutes[i]), 1)
                ),
            }
            for i in np.flatnonzero(beyond)[order]
        ]
        return {
            "territory": self.territory.spec,
            "territory_label": self.territory.label,
            "stage": self.stage,
            "stage_label": str(Stage(self.stage).label),
            "threshold_minutes": self.threshold,
            "communes": len(c),
            "population": int(c.population.sum()),
            "communes_beyond": int(beyond.sum()),
            "population_beyond": int(c.population[beyond].sum()),
            "remote_only_communes": int(self.coverage.remote_only.sum()),
            "by_rurality": by_rurality,
            "chain_gaps": {
                "next_stage": self.next_stage,
                "communes": int(gaps.sum()),
                "population": int(c.population[gaps].sum()),
                "insee": [c.insee[i] for i in np.flatnonzero(gaps)],
            },
            "unmet_demand": self.unmet,
            "beyond": beyond_rows,
        }


def diagnose(territory: Territory, stage: str, threshold: float) -> Diagnosis:
    index = get_index()
    coverage = stage_coverage(territory.communes, stage, index)
    after, gaps = chain_gaps(territory.communes, coverage, threshold, index)
    # Counted in Python: a national territory would overflow an SQL IN list.
    inside = set(territory.communes.insee.tolist())
    unmet: dict[str, int] = {}
    for insee, why in UnmetDemand.objects.filter(stage=stage).values_list(
        "commune__insee", "empty_because"
    ):
        if insee in inside:
            unmet[why] = unmet.get(why, 0) + 1
    return Diagnosis(territory, stage, threshold, coverage, after, gaps, unmet)
