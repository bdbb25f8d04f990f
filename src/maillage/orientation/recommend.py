"""Recommendation adapter: offer index + travel times → pure scoring
(`maillage.geo.scoring`) → French reasons; records unmet demand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.geo.scoring import Candidate, Need, Ranked, Reason, rank
from maillage.offer.index import get_index
from maillage.offer.search import commune_zone_label, travel_minutes_to_places
from maillage.offer.vocabulary import Audience, Sector, Stage, labels, next_stage
from maillage.offer.zones import commune_keys
from maillage.territory.models import Commune

from .models import UnmetDemand
from .vocabulary import NEED_STAGES, PROFILE_AUDIENCES


@dataclass
class Recommendation:
    dispositif_id: str
    name: str
    structures: list[str]
    score: float
    travel_minutes: float | None
    reasons: list[str]
    warnings: list[str]

    def as_dict(self) -> dict[str, object]:
        return {
            "dispositif_id": self.dispositif_id,
            "name": self.name,
            "structures": self.structures,
            "score": self.score,
            "travel_minutes": None
            if self.travel_minutes is None
            else round(self.travel_minutes, 1),
            "reasons": self.reasons,
            "warnings": self.warnings,
        }


@dataclass
class OrientResult:
    recommendations: list[Recommendation]
    unmet: bool
    empty_because: str | None
    message: str | None = None
    excluded: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "recommendations": [r.as_dict() for r in self.recommendations],
            "unmet": self.unmet,
            "empty_because": self.empty_because,
            "message": self.message,
            "excluded": self.excluded,
        }


def audiences_for(profiles: Iterable[str], collective: bool) -> frozenset[str]:
    found: set[str] = set()
    for profile in profiles:
        found |= PROFILE_AUDIENCES.get(profile, set())
    found.add("collectif-citoyens" if collective else "individuel")
    return frozenset(found)


def _render(reason: Reason, places: dict[str, str]) -> str:
    p = dict(reason.params)
    code = reason.code
    if code == "stage-current":
        return _("Accompagne l'étape où en est le projet : %(s)s") % {"s": Stage(p["stage"]).label}
    if code == "stage-next":
        return _("Prépare l'étape suivante : %(s)s") % {"s": Stage(p["stage"]).label}
    if code == "audience":
        return _("Ouvert à : %(a)s") % {"a": ", ".join(labels(Audience, list(p["audiences"])))}
    if code == "collective-welcome":
        return _("Conçu pour les projets collectifs")
    if code == "needs":
        return _("Répond à %(c)d des %(t)d besoins exprimés") % {"c": p["covered"], "t": p["total"]}
    if code == "sector":
        return _("Secteur du projet : %(s)s") % {"s": Sector(p["sector"]).label}
    if code == "within-reach":
        if p["minutes"] == 0:
            return _("Lieu de session dans votre commune : %(place)s") % {
                "place": places.get("place", "?")
            }
        return _("Lieu le plus proche : %(place)s, à environ %(m)d min") % {
            "place": places.get("place", "?"),
            "m": p["minutes"],
        }
    if code == "remote":
        return _("Se suit à distance, sans déplacement")
    if code == "comes-to-you":
        return _("Format itinérant ou à distance : l'accompagnement se rapproche de vous")
    if code == "next-edition":
        return _("Prochaine édition dans %(d)d jours") % {"d": p["days"]}
    if code == "known-structure":
        return _("Avec une structure déjà connue du porteur")
    if code == "beyond-limit":
        return _("Lieux de session à %(m)d min, au-delà de vos %(l)d min") % {
            "m": p["minutes"],
            "l": p["limit"],
        }
    return code


def _zone_reason(commune: Commune, kind: str) -> str:
    return _("Couvre votre territoire : %(z)s") % {"z": commune_zone_label(commune, kind)}


def _empty_message(
    why: str, commune: Commune, stage: str, audiences: frozenset[str], collective: bool
) -> str:
    after = next_stage(stage)
    if why == "zone":
        return _("Aucun dispositif de l'annuaire ne couvre %(c)s.") % {"c": commune.name}
    if why == "stage":
        steps = Stage(stage).label + (f" / {Stage(after).label}" if after else "")
        return _("Aucun dispositif ne couvre l'étape %(s)s à %(c)s.") % {
            "s": steps,
            "c": commune.name,
        }
    if why == "audience":
        return _(
            "Les dispositifs de cette étape à %(c)s ne sont pas ouverts à ce public (%(a)s)."
        ) % {
            "c": commune.name,
            "a": ", ".join(labels(Audience, sorted(audiences))),
        }
    if collective:
        return _("Les dispositifs restants sont réservés aux projets individuels.")
    return _(
        "Les dispositifs restants sont réservés aux projets collectifs : un porteur "
        "individuel ne peut pas y entrer."
    )


def _excluded_why(code: str, collective: bool, criteria: frozenset[str]) -> str:
    # The entry criterion is the clearest explanation, whichever filter hit first.
    if "collective-only" in criteria and not collective:
        return _("réservé aux projets collectifs")
    if "individual-only" in criteria and collective:
        return _("réservé aux projets individuels")
    if code == "audience":
        return _("pas ouvert à ce public")
    return _("conditions d'entrée non remplies")


def recommend(
    *,
    commune: Commune,
    stage: str,
    audiences: frozenset[str],
    collective: bool = False,
    sector: str | None = None,
    max_minutes: float | None = None,
    needs: Iterable[str] = (),
    known_structures: Iterable[str] = (),
    exclude: Iterable[str] = (),
    record: bool = True,
    source: str = "web",
    projet=None,
) -> OrientResult:
    index = get_index()
    covering = index.covering(commune_keys(commune))
    excluded_refs = set(exclude)
    entries = [index.by_id[i] for i in covering if index.by_id[i].ref not in excluded_refs]
    positions = [index.position[e.id] for e in entries]
    travel = travel_minutes_to_places(index, commune, positions)
    today = timezone.localdate()
    needs = list(needs)
    candidates, by_ref, places = [], {}, {}
    for entry, position in zip(entries, positions, strict=True):
        minutes, place = (travel.get(position) or [(None, None)])[0]
        start = entry.next_edition_start
        candidates.append(
            Candidate(
                key=entry.ref,
                stages=entry.stages,
                audiences=entry.audiences,
                sectors=entry.sectors,
                formats=entry.formats,
                criteria=entry.criteria,
                structures=frozenset(entry.structure_refs),
                travel_minutes=minutes,
                needs_covered=sum(1 for n in needs if NEED_STAGES.get(n, set()) & entry.stages),
                needs_total=len(needs),
                days_to_next_edition=(start - today).days if isinstance(start, dt.date) else None,
            )
        )
        by_ref[entry.ref] = entry
        places[entry.ref] = {"place": place or ""}
    need = Need(
        stage=stage,
        next_stage=next_stage(stage),
        audiences=audiences,
        collective=collective,
        sector=sector,
        max_minutes=max_minutes,
        known_structures=frozenset(known_structures),
    )
    ranking = rank(need, candidates)
    excluded = [
        {
            "dispositif_id": ref,
            "name": by_ref[ref].name,
            "why": _excluded_why(code, collective, by_ref[ref].criteria),
        }
        for code, refs in ranking.excluded.items()
        if code in ("criteria", "audience")
        for ref in refs
        if by_ref[ref].stages & {stage, need.next_stage}
    ]
    recommendations = [
        _recommendation(r, by_ref, places, commune, covering) for r in ranking.ranked
    ]
    message = None
    unmet_reason = ranking.empty_because
    if unmet_reason:
        message = _empty_message(unmet_reason, commune, stage, audiences, collective)
    elif max_minutes is not None and not any(
        (r.candidate.travel_minutes is not None and r.candidate.travel_minutes <= max_minutes)
        or r.candidate.formats & {"remote", "itinerant"}
        for r in ranking.ranked
    ):
        unmet_reason = "distance"
        message = _(
            "Aucun dispositif à moins de %(m)d min de %(c)s : les propositions ci-dessous "
            "demandent un trajet plus long."
        ) % {"m": max_minutes, "c": commune.name}
    if unmet_reason and record:
        values = {
            "commune": commune,
            "audience": sorted(audiences)[0] if audiences else "",
            "sector": sector or "",
            "max_minutes": max_minutes,
            "empty_because": unmet_reason,
            "source": source,
        }
        if projet is not None:
            UnmetDemand.objects.update_or_create(projet=projet, stage=stage, defaults=values)
        else:
            UnmetDemand.objects.create(stage=stage, **values)
    return OrientResult(
        recommendations=recommendations,
        unmet=bool(unmet_reason),
        empty_because=ranking.empty_because,
        message=message,
        excluded=excluded,
    )


def _recommendation(
    r: Ranked, by_ref, places, commune: Commune, covering: dict[int, tuple[str, str]]
) -> Recommendation:
    entry = by_ref[r.candidate.key]
    zone_kind = covering[entry.id][0]
    reasons = [_zone_reason(commune, zone_kind)]
    reasons += [_render(reason, places[entry.ref]) for reason in r.reasons]
    return Recommendation(
        dispositif_id=entry.ref,
        name=entry.name,
        structures=list(entry.structures),
        score=r.score,
        travel_minutes=r.candidate.travel_minutes,
        reasons=reasons,
        warnings=[_render(w, places[entry.ref]) for w in r.warnings],
    )


def recommend_for_projet(
    projet, *, exclude: Iterable[str] = (), record: bool = True
) -> OrientResult:
    porteur = projet.porteur
    commune = projet.commune or porteur.commune
    known = set(porteur.timeline.exclude(structure=None).values_list("structure__ref", flat=True))
    max_minutes = porteur.max_travel_minutes
    return recommend(
        commune=commune,
        stage=projet.stage,
        audiences=audiences_for(porteur.profiles, projet.is_collective or porteur.is_collective),
        collective=projet.is_collective or porteur.is_collective,
        sector=projet.sector or None,
        max_minutes=max_minutes,
        needs=projet.needs,
        known_structures=known,
        exclude=exclude,
        record=record,
        projet=projet,
    )
