"""Public search of the offer: which dispositifs serve a commune, how far
their sessions are, why they match — and, when nothing does, which filter
emptied the list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.geo import great_circle_km
from maillage.geo.scoring import PERSON_AUDIENCES
from maillage.territory.models import Commune
from maillage.territory.travel import travel_model, travel_time_table

from .index import Entry, OfferIndex, get_index
from .models import STALE_AFTER
from .vocabulary import Audience, Format, Sector, Stage, ZoneKind, labels
from .zones import commune_keys


@dataclass(frozen=True)
class OfferQuery:
    commune: Commune
    stage: str | None = None
    audience: str | None = None
    sector: str | None = None
    format: str | None = None
    max_minutes: float | None = None


@dataclass
class OfferResult:
    entry: Entry
    zone_kind: str
    zone_code: str
    travel_minutes: float | None
    nearest_place: str | None
    other_places: list[tuple[float, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    is_stale: bool = False

    @property
    def is_remote(self) -> bool:
        return Format.REMOTE in self.entry.formats

    @property
    def is_itinerant(self) -> bool:
        return Format.ITINERANT in self.entry.formats

    @property
    def zone_match(self) -> str:
        return f"{self.zone_kind}:{self.zone_code}" if self.zone_code else self.zone_kind

    def as_dict(self) -> dict[str, object]:
        return {
            "dispositif_id": self.entry.ref,
            "name": self.entry.name,
            "structures": list(self.entry.structures),
            "stages": list(self.entry.stage_list),
            "formats": list(self.entry.format_list),
            "travel_minutes": (
                None if self.travel_minutes is None else round(self.travel_minutes, 1)
            ),
            "zone_match": self.zone_match,
            "reasons": self.reasons,
        }


@dataclass
class OfferOutcome:
    query: OfferQuery
    results: list[OfferResult]
    empty_because: str | None = None
    message: str | None = None


def _stage_phrase(stage: str | None) -> str:
    """ "Aucun dispositif d'étape « Création, incubation » ", sentence-initial."""
    if not stage:
        return _("Aucun dispositif")
    return _("Aucun dispositif d'étape « %(stage)s »") % {"stage": Stage(stage).label}


def _audience_ok(entry: Entry, audience: str) -> bool:
    if audience in entry.audiences:
        return True
    # "Grand public" programmes welcome any person or group of persons.
    return "grand-public" in entry.audiences and audience in PERSON_AUDIENCES


def _sector_ok(entry: Entry, sector: str) -> bool:
    return not entry.sectors or "tous-secteurs" in entry.sectors or sector in entry.sectors


def travel_minutes_to_places(
    index: OfferIndex, commune: Commune, positions: list[int]
) -> dict[int, list[tuple[float, str]]]:
    """Entry position → [(minutes, place name)] for all its places, nearest first."""
    if not positions or commune.latitude is None:
        return {}
    wanted = np.zeros(len(index.entries), dtype=bool)
    wanted[positions] = True
    mask = wanted[index.place_owner]
    owners = index.place_owner[mask]
    if not owners.size:
        return {}
    km = great_circle_km(
        commune.latitude, commune.longitude, index.place_lat[mask], index.place_lon[mask]
    )
    minutes = travel_model().minutes_for_distance(
        km, commune.rurality or 5, index.place_class[mask]
    )
    table = travel_time_table()
    if table is not None:
        match = table.match(np.array([commune.insee]), index.place_code[mask].astype(str))
        minutes = match.apply(minutes.reshape(1, -1)).ravel()
    # Sort by (entry, minutes): each entry's places come out nearest first.
    order = np.lexsort((minutes, owners))
    offsets = np.flatnonzero(mask)[order] - np.searchsorted(index.place_owner, owners[order])
    by_entry: dict[int, list[tuple[float, str]]] = {}
    for owner, value, offset in zip(
        owners[order].tolist(), minutes[order].tolist(), offsets.tolist(), strict=True
    ):
        by_entry.setdefault(owner, []).append((value, index.entries[owner].places[offset].name))
    return by_entry


def commune_zone_label(commune: Commune, kind: str) -> str:
    """The zone of `kind` that contains the commune: "Creuse (département)"."""
    names = {
        ZoneKind.COMMUNE: commune.name,
        ZoneKind.EPCI: commune.epci.name if commune.epci_id else "",
        ZoneKind.DEPARTEMENT: commune.departement.name,
        ZoneKind.REGION: commune.departement.region.name,
    }
    if kind == ZoneKind.FRANCE:
        return _("la France entière")
    return f"{names[ZoneKind(kind)]} ({ZoneKind(kind).label.lower()})"


class _Phrases:
    """The French phrases of a search, translated once rather than per result
    (gettext on hundreds of results costs more than the search itself)."""

    def __init__(self, q: OfferQuery, now: dt.datetime) -> None:
        self.today = now.date()
        self.zone = {
            kind: _("Couvre %(zone)s") % {"zone": commune_zone_label(q.commune, kind)}
            for kind in ZoneKind.values
            if kind != ZoneKind.EPCI or q.commune.epci_id
        }
        self.fixed: list[str] = []
        if q.stage:
            self.fixed.append(_("Étape : %(stage)s") % {"stage": Stage(q.stage).label})
        if q.audience:
            self.fixed.append(
                _("Ouvert au public : %(audience)s") % {"audience": Audience(q.audience).label}
            )
        self.sector_own = (
            _("Secteur : %(sector)s") % {"sector": Sector(q.sector).label} if q.sector else ""
        )
        self.sector_any = _("Secteur : %(sector)s") % {"sector": _("tous secteurs")}
        self.place = {
            True: _(
                "Lieu de session le plus proche : %(place)s, à environ %(minutes)d min en voiture"
            ),
            False: _(
                "Locaux de la structure les plus proches : %(place)s, "
                "à environ %(minutes)d min en voiture"
            ),
        }
        self.in_commune = {
            True: _("Lieu de session dans votre commune : %(place)s"),
            False: _("Locaux de la structure dans votre commune : %(place)s"),
        }
        self.others = _("Autres lieux : %(places)s")
        self.remote = _("Se suit aussi à distance")
        self.itinerant = _(
            "Itinérant : les séances se tiennent dans plusieurs communes du territoire"
        )
        self.format = (
            _("Format : %(format)s") % {"format": labels(Format, [q.format])[0]} if q.format else ""
        )
        self.edition = _("Prochaine édition : %(date)s")
        self.deadline = _("Candidatures jusqu'au %(date)s")
        self.stale = _("Fiche non mise à jour depuis plus de 12 mois : à vérifier")


def _reasons(q: OfferQuery, r: OfferResult, p: _Phrases) -> list[str]:
    e = r.entry
    out = [p.zone[r.zone_kind], *p.fixed]
    if q.sector:
        out.append(p.sector_own if q.sector in e.sectors else p.sector_any)
    if r.travel_minutes is not None and r.nearest_place:
        # Same commune: "0 min en voiture" would read as a glitch.
        same = r.nearest_place == q.commune.name and r.travel_minutes < 1
        template = (p.in_commune if same else p.place)[e.places_are_sessions]
        out.append(template % {"place": r.nearest_place, "minutes": round(r.travel_minutes)})
        if r.other_places:
            listed = ", ".join(f"{name} (~{round(m)} min)" for m, name in r.other_places[:4])
            out.append(p.others % {"places": listed})
    if r.is_remote:
        out.append(p.remote)
    if r.is_itinerant:
        out.append(p.itinerant)
    if p.format:
        out.append(p.format)
    if e.next_edition_start and e.next_edition_start >= p.today:
        out.append(p.edition % {"date": date_format(e.next_edition_start)})
    if e.application_deadline and e.application_deadline >= p.today:
        out.append(p.deadline % {"date": date_format(e.application_deadline)})
    if r.is_stale:
        out.append(p.stale)
    return out


def search_offer(q: OfferQuery, index: OfferIndex | None = None) -> OfferOutcome:
    index = index or get_index()
    now = timezone.now()
    covering = index.covering(commune_keys(q.commune))
    candidates = [index.by_id[i] for i in covering]
    where = _("ne couvre %(commune)s") % {"commune": q.commune.name}
    steps = [
        ("zone", lambda e: True, _("Aucun dispositif de l'annuaire %(where)s.") % {"where": where}),
        (
            "stage",
            lambda e: not q.stage or q.stage in e.stages,
            _("%(none)s %(where)s.") % {"none": _stage_phrase(q.stage), "where": where},
        ),
        (
            "audience",
            lambda e: not q.audience or _audience_ok(e, q.audience),
            _("%(none)s n'est ouvert au public « %(audience)s » à %(commune)s.")
            % {
                "none": _stage_phrase(q.stage),
                "audience": Audience(q.audience).label if q.audience else "",
                "commune": q.commune.name,
            },
        ),
        (
            "sector",
            lambda e: not q.sector or _sector_ok(e, q.sector),
            _("%(none)s ne concerne le secteur « %(sector)s » à %(commune)s.")
            % {
                "none": _stage_phrase(q.stage),
                "sector": Sector(q.sector).label if q.sector else "",
                "commune": q.commune.name,
            },
        ),
        (
            "format",
            lambda e: not q.format or q.format in e.formats,
            _("%(none)s au format « %(format)s » pour %(commune)s.")
            % {
                "none": _stage_phrase(q.stage),
                "format": Format(q.format).label if q.format else "",
                "commune": q.commune.name,
            },
        ),
    ]
    for reason, keep, message in steps:
        candidates = [e for e in candidates if keep(e)]
        if not candidates:
            return OfferOutcome(q, [], reason, message)

    positions = [index.position[e.id] for e in candidates]
    travel = travel_minutes_to_places(index, q.commune, positions)
    results = []
    for entry, position in zip(candidates, positions, strict=True):
        places = travel.get(position, [])
        minutes, place = places[0] if places else (None, None)
        kind, code = covering[entry.id]
        results.append(
            OfferResult(
                entry=entry,
                zone_kind=kind,
                zone_code=code,
                travel_minutes=minutes,
                nearest_place=place,
                other_places=places[1:],
                is_stale=entry.updated_at < now - STALE_AFTER,
            )
        )
    if q.max_minutes is not None:
        results = [
            r
            for r in results
            if r.is_remote or (r.travel_minutes is not None and r.travel_minutes <= q.max_minutes)
        ]
        if not results:
            message = _("%(none)s à moins de %(minutes)d min de %(commune)s.") % {
                "none": _stage_phrase(q.stage),
                "minutes": q.max_minutes,
                "commune": q.commune.name,
            }
            return OfferOutcome(q, [], "distance", message)
    phrases = _Phrases(q, now)
    for r in results:
        r.reasons = _reasons(q, r, phrases)
    results.sort(
        key=lambda r: (
            r.is_stale,
            r.travel_minutes if r.travel_minutes is not None else float("inf"),
            r.entry.name,
        )
    )
    return OfferOutcome(q, results)
