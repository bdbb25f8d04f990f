"""In-memory index of the published offer, for fast searches.

Searching 10,000 dispositifs through the ORM would build 10,000 objects per
query; instead the directory is read once into plain tuples and arrays and
re-read when the database says it changed (see `_stamp`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from .models import Dispositif, ModerationEvent, SessionPlace, Structure, Zone


@dataclass(frozen=True)
class Place:
    insee: str
    name: str
    latitude: float
    longitude: float
    rurality: int
    is_illustrative: bool


@dataclass(frozen=True)
class Entry:
    id: int
    ref: str
    name: str
    structures: tuple[str, ...]
    structure_refs: tuple[str, ...]
    stages: frozenset[str]
    stage_list: tuple[str, ...]
    audiences: frozenset[str]
    sectors: frozenset[str]
    formats: frozenset[str]
    format_list: tuple[str, ...]
    criteria: frozenset[str]
    places: tuple[Place, ...]
    places_are_sessions: bool
    updated_at: object
    next_edition_start: object
    application_deadline: object
    how_to_apply: str
    apply_url: str


class OfferIndex:
    def __init__(self, entries: list[Entry], zones: dict[tuple[str, str], set[int]]):
        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self.zones = zones
        # Flat arrays of every place, grouped by entry, for vectorised travel.
        owners, lats, lons, classes, codes = [], [], [], [], []
        for position, entry in enumerate(entries):
            for p in entry.places:
                owners.append(position)
                lats.append(p.latitude)
                lons.append(p.longitude)
                classes.append(p.rurality)
                codes.append(p.insee)
        self.place_owner = np.array(owners, dtype=np.intp)
        self.place_lat = np.array(lats, dtype=np.float64)
        self.place_lon = np.array(lons, dtype=np.float64)
        self.place_class = np.array(classes, dtype=np.intp)
        self.place_code = np.array(codes, dtype=object)
        self.position = {e.id: i for i, e in enumerate(entries)}

    def covering(self, keys: list[tuple[str, str]]) -> dict[int, tuple[str, str]]:
        """Entry id → the narrowest zone key (of `keys`, narrowest first) it serves."""
        found: dict[int, tuple[str, str]] = {}
        for key in keys:
            for entry_id in self.zones.get(key, ()):
                found.setdefault(entry_id, key)
        return found


def _commune_place(commune, illustrative: bool = False) -> Place | None:
    if commune.latitude is None:
        return None
    return Place(
        commune.insee,
        commune.name,
        commune.latitude,
        commune.longitude,
        commune.rurality or 5,
        illustrative,
    )


def build_index() -> OfferIndex:
    published = Dispositif.objects.published()
    places: dict[int, list[Place]] = defaultdict(list)
    for sp in SessionPlace.objects.filter(dispositif__in=published).select_related("commune"):
        place = _commune_place(sp.commune, sp.is_illustrative)
        if place:
            places[sp.dispositif_id].append(place)
    co_ops: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for did, name, ref in Dispositif.co_operators.through.objects.filter(
        dispositif__in=published
    ).values_list("dispositif_id", "structure__name", "structure__ref"):
        co_ops[did].append((name, ref))
    entries = []
    for d in published.select_related("structure__commune__departement"):
        own = places.get(d.id, [])
        # Without session places, people go to the operator's premises.
        fallback = [] if own else [p for p in [_commune_place(d.structure.commune)] if p]
        others = co_ops.get(d.id, [])
        entries.append(
            Entry(
                id=d.id,
                ref=d.ref,
                name=d.name,
                structures=(d.structure.name, *[n for n, _ in others]),
                structure_refs=(d.structure.ref, *[r for _, r in others]),
                stages=frozenset(d.stages),
                stage_list=tuple(d.stages),
                audiences=frozenset(d.audiences),
                sectors=frozenset(d.sectors),
                formats=frozenset(d.formats),
                format_list=tuple(d.formats),
                criteria=frozenset(d.criteria_flags),
                places=tuple(own or fallback),
                places_are_sessions=bool(own),
                updated_at=d.updated_at,
                next_edition_start=d.next_edition_start,
                application_deadline=d.application_deadline,
                how_to_apply=d.how_to_apply,
                apply_url=d.apply_url,
            )
        )
    zones: dict[tuple[str, str], set[int]] = defaultdict(set)
    for did, kind, code in Zone.objects.filter(dispositif__in=published).values_list(
        "dispositif_id", "kind", "code"
    ):
        zones[(kind, code)].add(did)
    return OfferIndex(entries, dict(zones))


def _stamp() -> tuple[object, ...]:
    """What changes whenever the published directory may have changed.

    Edits go through the actions, which bump `updated_at` and recreate zones
    and places (new ids); deletions lower a count.
    """
    d = Dispositif.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    s = Structure.objects.aggregate(u=Max("updated_at"))
    return (
        d["n"],
        d["u"],
        s["u"],
        Structure.objects.count(),
        Zone.objects.aggregate(m=Max("id"))["m"],
        SessionPlace.objects.aggregate(m=Max("id"))["m"],
        ModerationEvent.objects.aggregate(m=Max("id"))["m"],
    )


_lock = threading.Lock()
_cache: dict[str, object] = {}


def get_index() -> OfferIndex:
    stamp = _stamp()
    with _lock:
        index = _cache.get("index")
        if not isinstance(index, OfferIndex) or _cache.get("stamp") != stamp:
            index = build_index()
            _cache.update(index=index, stamp=stamp)
    return index


def clear_index() -> None:
    with _lock:
        _cache.clear()
