"""Where to act: choose sites for new support so that more people are within
reach, keeping what exists.

Existing support enters the location models as one fixed column: each
commune's current travel minutes to the support that serves it (from the
coverage diagnosis, zones respected). Candidate columns are travel minutes
to each candidate place, which would serve everyone around it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.offer.models import Structure
from maillage.territory.models import Commune
from maillage.territory.travel import travel_model

from .coverage import stage_coverage
from .territories import Territory

MODELS = ("mclp", "lscp", "pmedian", "pcenter")
# Minutes standing for "no support at all" in the fixed column: far beyond
# any threshold, finite so that sums and maxima stay meaningful.
UNSERVED_MINUTES = 10_000.0


@dataclass
class Candidates:
    insee: list[str]
    name: list[str]
    latitude: np.ndarray
    longitude: np.ndarray
    rurality: np.ndarray
    source: str


def _from_communes(qs, source: str) -> Candidates:
    rows = list(
        qs.filter(latitude__isnull=False)
        .order_by("insee")
        .values_list(
            "insee", "name", "latitude", "longitude", "rurality_official", "rurality_estimated"
        )
    )
    return Candidates(
        insee=[r[0] for r in rows],
        name=[r[1] for r in rows],
        latitude=np.array([r[2] for r in rows], dtype=np.float64),
        longitude=np.array([r[3] for r in rows], dtype=np.float64),
        rurality=np.array([r[4] or r[5] or 5 for r in rows], dtype=np.intp),
        source=source,
    )


def read_candidate_codes(data: str) -> list[str]:
    """INSEE codes from an uploaded CSV (first column, header optional)."""
    codes = []
    for row in csv.reader(io.StringIO(data), delimiter=";" if ";" in data[:200] else ","):
        if row and row[0].strip():
            code = row[0].strip().upper()
            code = code.zfill(5) if code.isdigit() else code
            if len(code) == 5:
                codes.append(code)
    return codes


def candidates_for(territory: Territory, spec: str) -> Candidates:
    """'mairies' (town halls of the territory), 'structures', 'tiers-lieux',
    a CSV file path, or 'communes:23096,23008'."""
    inside = territory.communes.insee.tolist()
    communes = Commune.objects.active()
    if spec == "mairies":
        return _from_communes(communes.filter(insee__in=inside), "mairies")
    if spec in ("structures", "tiers-lieux"):
        structures = Structure.objects.published()
        seats = set(structures.values_list("commune__insee", flat=True))
        seats |= set(structures.values_list("antennas__commune__insee", flat=True))
        if spec == "tiers-lieux":
            seats = {
                s.commune.insee
                for s in structures.select_related("commune")
                if "tiers-lieu" in s.kinds
            }
        return _from_communes(communes.filter(insee__in=sorted(seats & set(inside))), spec)
    if spec.startswith("communes:"):
        codes = [c.strip().upper() for c in spec.partition(":")[2].split(",") if c.strip()]
    else:
        path = Path(spec)
        if not path.exists():
            raise ValidationError(
                _(
                    "Candidats inconnus « %(s)s » : mairies, structures, tiers-lieux "
                    "ou un fichier CSV."
                )
                % {"s": spec}
            )
        codes = read_candidate_codes(path.read_text(encoding="utf-8-sig"))
    found = _from_communes(communes.filter(insee__in=codes), "liste")
    missing = sorted(set(codes) - set(found.insee))
    if missing:
        raise ValidationError(
            _("Communes candidates inconnues : %(c)s") % {"c": ", ".join(missing[:10])}
        )
    return found


@dataclass
class Plan:
    model: str
    territory: Territory
    stage: str
    threshold: float
    k: int | None
    candidates: Candidates
    solution: object
    selected: list[int]
    before: np.ndarray
    after: np.ndarray

    def as_dict(self) -> dict[str, object]:
        pop = self.territory.communes.population
        s = self.solution
        return {
            "model": self.model,
            "territory": self.territory.spec,
            "stage": self.stage,
            "threshold_minutes": self.threshold,
            "k": self.k,
            "candidates": self.candidates.source,
            "selected": [
                {"insee": self.candidates.insee[j], "name": self.candidates.name[j]}
                for j in self.selected
            ],
            "objective": float(s.objective),
            "lower_bound": float(s.lower_bound),
            "upper_bound": float(s.upper_bound),
            "gap": float(s.gap),
            "optimal": bool(s.optimal),
            "method": s.method,
            "seconds": round(float(s.seconds), 3),
            "population_covered_before": int(pop[self.before <= self.threshold].sum()),
            "population_covered_after": int(pop[self.after <= self.threshold].sum()),
            "communes_covered_before": int((self.before <= self.threshold).sum()),
            "communes_covered_after": int((self.after <= self.threshold).sum()),
            "uncoverable": [
                self.territory.communes.insee[i] for i in getattr(s, "uncovered", ()) or ()
            ],
        }


def optimise(
    territory: Territory,
    stage: str,
    model: str,
    *,
    threshold: float = 30,
    k: int | None = None,
    candidates: Candidates,
    time_limit: float | None = 60,
) -> Plan:
    from maillage.geo.location import lscp, mclp, p_center, p_median

    if model not in MODELS:
        raise ValidationError(_("Modèle inconnu « %(m)s ».") % {"m": model})
    if model != "lscp" and not k:
        raise ValidationError(_("Indiquez le nombre de nouveaux sites (k)."))
    if not candidates.insee:
        raise ValidationError(_("Aucun lieu candidat dans ce territoire."))
    communes = territory.communes
    current = stage_coverage(communes, stage).minutes
    existing = np.where(np.isfinite(current), current, UNSERVED_MINUTES)
    to_candidates = travel_model().matrix_minutes(
        communes.latitude,
        communes.longitude,
        communes.rurality,
        candidates.latitude,
        candidates.longitude,
        candidates.rurality,
    )
    cost = np.column_stack([existing, to_candidates])
    weights = communes.population.astype(np.float64)
    fixed = (0,)
    if model == "lscp":
        solution = lscp(cost, threshold, fixed=fixed, time_limit=time_limit)
    elif model == "mclp":
        solution = mclp(cost, weights, threshold, k, fixed=fixed, time_limit=time_limit)
    elif model == "pmedian":
        solution = p_median(cost, weights, k, fixed=fixed, time_limit=time_limit)
    else:
        solution = p_center(cost, k, fixed=fixed, time_limit=time_limit)
    chosen = [j for j in solution.selected if j != 0]
    after = cost[:, [0, *chosen]].min(axis=1)
    return Plan(
        model=model,
        territory=territory,
        stage=stage,
        threshold=threshold,
        k=k,
        candidates=candidates,
        solution=solution,
        selected=[j - 1 for j in chosen],
        before=existing,
        after=after,
    )
