"""Ranking of support programmes for a project: hard filters, then a score.

Pure Python, no Django: the `orientation` app turns its data into
:class:`Candidate` and :class:`Need` values and renders the returned reason
codes in French. Codes (not sentences) keep this module free of i18n.

Scoring (0–100, documented so that people can argue with it):

- stage fit: 40 when the programme works on the project's current stage,
  25 when it works on the next stage only;
- needs covered: up to 15, in proportion of the project's needs that the
  programme's sectors/stages address (given by the caller as a count);
- sector: 10 for the project's own sector, 5 for an all-sector programme;
- travel: 20 within the porteur's limit (or 30 min without one), falling
  linearly to 0 at twice the limit; remote or itinerant formats earn 15
  when the sessions are beyond the limit, since they come to the porteur;
- next edition: 10 when it starts within 90 days, 5 within 180 days;
- known co-operator: 5 when a structure already known to the porteur runs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Audiences that designate a person or group rather than an institution.
PERSON_AUDIENCES = frozenset(
    {"individuel", "neorural", "jeune", "neet", "femme", "collectif-citoyens"}
)
DEFAULT_COMFORT_MINUTES = 30.0


@dataclass(frozen=True)
class Need:
    """What the porteur asks for."""

    stage: str
    next_stage: str | None
    audiences: frozenset[str]
    collective: bool
    sector: str | None = None
    max_minutes: float | None = None
    known_structures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """A programme that serves the porteur's commune (zone already checked)."""

    key: str
    stages: frozenset[str]
    audiences: frozenset[str]
    sectors: frozenset[str]
    formats: frozenset[str]
    criteria: frozenset[str]
    structures: frozenset[str]
    travel_minutes: float | None
    needs_covered: int = 0
    needs_total: int = 0
    days_to_next_edition: int | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str) -> object:
        return dict(self.params)[name]


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]


@dataclass(frozen=True)
class Ranking:
    ranked: tuple[Ranked, ...]
    # The hard filter that removed the last candidates, None when some remain.
    empty_because: str | None
    # Candidates excluded by each filter (code → keys), for explanations.
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _audience_ok(need: Need, c: Candidate) -> bool:
    if not c.audiences or need.audiences & c.audiences:
        return True
    return "grand-public" in c.audiences and bool(need.audiences & PERSON_AUDIENCES)


def _criteria_ok(need: Need, c: Candidate) -> bool:
    if "collective-only" in c.criteria and not need.collective:
        return False
    return not ("individual-only" in c.criteria and need.collective)


FILTERS = (
    ("stage", lambda n, c: n.stage in c.stages or (n.next_stage in c.stages)),
    ("audience", _audience_ok),
    ("criteria", _criteria_ok),
)


def _travel_points(need: Need, c: Candidate) -> tuple[float, list[Reason], list[Reason]]:
    limit = need.max_minutes if need.max_minutes is not None else DEFAULT_COMFORT_MINUTES
    mobile = bool(c.formats & {"remote", "itinerant"})
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    if c.travel_minutes is None:
        if "remote" in c.formats:
            reasons.append(Reason("remote"))
            return 15.0, reasons, warnings
        return 0.0, reasons, warnings
    minutes = c.travel_minutes
    if minutes <= limit:
        reasons.append(Reason("within-reach", (("minutes", round(minutes)),)))
        return 20.0, reasons, warnings
    if need.max_minutes is not None:
        warnings.append(
            Reason("beyond-limit", (("minutes", round(minutes)), ("limit", round(limit))))
        )
    if mobile:
        reasons.append(Reason("comes-to-you", (("formats", tuple(sorted(c.formats))),)))
        return 15.0, reasons, warnings
    return max(0.0, 20.0 * (2 - minutes / limit)), reasons, warnings


def score(need: Need, c: Candidate) -> Ranked:
    reasons: list[Reason] = []
    total = 0.0
    if need.stage in c.stages:
        total += 40
        reasons.append(Reason("stage-current", (("stage", need.stage),)))
    else:
        total += 25
        reasons.append(Reason("stage-next", (("stage", need.next_stage),)))
    if need.audiences & c.audiences:
        reasons.append(
            Reason("audience", (("audiences", tuple(sorted(need.audiences & c.audiences))),))
        )
    if "collective-only" in c.criteria:
        reasons.append(Reason("collective-welcome"))
    if c.needs_total:
        total += 15 * c.needs_covered / c.needs_total
        if c.needs_covered:
            reasons.append(
                Reason("needs", (("covered", c.needs_covered), ("total", c.needs_total)))
            )
    if need.sector and need.sector in c.sectors:
        total += 10
        reasons.append(Reason("sector", (("sector", need.sector),)))
    elif "tous-secteurs" in c.sectors or not c.sectors:
        total += 5
    points, travel_reasons, warnings = _travel_points(need, c)
    total += points
    reasons.extend(travel_reasons)
    if c.days_to_next_edition is not None and c.days_to_next_edition >= 0:
        if c.days_to_next_edition <= 90:
            total += 10
            reasons.append(Reason("next-edition", (("days", c.days_to_next_edition),)))
        elif c.days_to_next_edition <= 180:
            total += 5
    known = sorted(need.known_structures & c.structures)
    if known:
        total += 5
        reasons.append(Reason("known-structure", (("structures", tuple(known)),)))
    return Ranked(c, round(total, 1), tuple(reasons), tuple(warnings))


def rank(need: Need, candidates: Sequence[Candidate]) -> Ranking:
    """Apply the hard filters in order, then rank the survivors.

    Examples
    --------
    >>> need = Need("ideation-premiers-pas", "emergence-faisabilite",
    ...             frozenset({"individuel"}), collective=False)
    >>> only_groups = Candidate("a", frozenset({"ideation-premiers-pas"}),
    ...     frozenset({"collectif-citoyens"}), frozenset(), frozenset({"collective"}),
    ...     frozenset({"collective-only"}), frozenset({"S"}), 10.0)
    >>> r = rank(need, [only_groups])
    >>> r.empty_because, r.excluded["audience"]
    ('audience', ('a',))
    """
    remaining = list(candidates)
    excluded: dict[str, tuple[str, ...]] = {}
    if not remaining:
        return Ranking((), "zone", excluded)
    for code, keep in FILTERS:
        kept = [c for c in remaining if keep(need, c)]
        excluded[code] = tuple(c.key for c in remaining if not keep(need, c))
        if not kept:
            return Ranking((), code, excluded)
        remaining = kept
    ranked = sorted(
        (score(need, c) for c in remaining),
        key=lambda r: (-r.score, r.candidate.travel_minutes or 0.0, r.candidate.key),
    )
    return Ranking(tuple(ranked), None, excluded)
