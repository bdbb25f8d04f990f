"""Public pages of the support offer: the search, a structure, a dispositif.

Unpublished structures (and their dispositifs) exist only for the people who
can edit them: anyone else gets a 404, as if they did not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from maillage.offer.models import Dispositif, Structure
from maillage.offer.permissions import can_edit_structure
from maillage.offer.search import OfferOutcome, OfferQuery, OfferResult, search_offer
from maillage.offer.vocabulary import (
    Audience,
    Criterion,
    Format,
    Sector,
    Stage,
    StructureKind,
    labels,
)
from maillage.offer.zones import zone_label
from maillage.territory.models import Commune

from . import offer_maps
from .offer_search_form import FILTERS, OfferSearchForm

Published = Structure.Moderation.PUBLISHED


# --- Search ------------------------------------------------------------------


def _search_url(params: dict[str, object]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("web:offer-search") + (f"?{query}" if query else "")


def _present(results: list[OfferResult]) -> list[dict[str, object]]:
    zone_names: dict[tuple[str, str], str] = {}
    # Co-operators may still wait for moderation: named, but not linked.
    refs = {ref for r in results for ref in r.entry.structure_refs}
    public = set(Structure.objects.published().filter(ref__in=refs).values_list("ref", flat=True))
    rows = []
    for r in results:
        entry = r.entry
        key = (r.zone_kind, r.zone_code)
        if key not in zone_names:
            zone_names[key] = zone_label(*key)
        rows.append(
            {
                "result": r,
                "entry": entry,
                "structures": [
                    (name, ref, ref in public)
                    for name, ref in zip(entry.structures, entry.structure_refs, strict=True)
                ],
                "stages": labels(Stage, list(entry.stage_list)),
                "formats": labels(Format, list(entry.format_list)),
                "zone": zone_names[key],
                "minutes": None if r.travel_minutes is None else round(r.travel_minutes),
            }
        )
    return rows


def _widening(
    form: OfferSearchForm, commune: Commune, base: dict[str, object]
) -> dict[str, object]:
    """Searches one step wider than an empty one, with how many they find."""
    filters = form.filters()

    def count(**changes: object) -> int:
        return len(search_offer(OfferQuery(commune=commune, **{**filters, **changes})).results)

    drop = []
    for name, description in form.active_filters():
        found = count(**{name: None})
        if found:
            drop.append(
                {"description": description, "count": found, "url": _search_url({**base, name: ""})}
            )
    stages = []
    if filters["stage"]:
        for value, label in Stage.choices:
            found = count(stage=value) if value != filters["stage"] else 0
            if found:
                stages.append(
                    {"label": label, "count": found, "url": _search_url({**base, "stage": value})}
                )
    everything = None
    if len(form.active_filters()) > 1:
        found = count(**dict.fromkeys(FILTERS))
        if found:
            plain = {"q": base["q"], "commune": base["commune"]}
            everything = {"count": found, "url": _search_url(plain)}
    return {"drop": drop, "stages": stages, "everything": everything}


def offer_search(request: HttpRequest) -> HttpResponse:
    form = OfferSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        base = {"q": form.data.get("q"), "commune": form.data.get("commune"), **form.filters()}
        commune = form.resolution.commune
        if commune is None:
            context["candidates"] = [
                (
                    hit,
                    _search_url(
                        {**base, "q": f"{hit.name} ({hit.departement})", "commune": hit.insee}
                    ),
                )
                for hit in form.resolution.candidates
            ]
        else:
            outcome: OfferOutcome = search_offer(
                OfferQuery(commune=commune, **form.filters())  # type: ignore[arg-type]
            )
            context.update(
                commune=commune,
                outcome=outcome,
                results=_present(outcome.results),
                active_filters=form.active_filters(),
                map_data=(
                    offer_maps.search_map(commune, outcome.results) if outcome.results else None
                ),
                widening=None if outcome.results else _widening(form, commune, base),
            )
    return render(request, "web/offer/search.html", context)


# --- Structure and dispositif pages -------------------------------------------


def _visible_to(user, structure: Structure) -> bool:
    return structure.moderation_status == Published or can_edit_structure(user, structure)


def _visible_dispositifs(qs: QuerySet[Dispositif], structure: Structure) -> QuerySet[Dispositif]:
    """Published ones, and siblings of a page the person may already see."""
    return qs.filter(Q(structure__moderation_status=Published) | Q(structure=structure))


def structure_detail(request: HttpRequest, ref: str) -> HttpResponse:
    structure = get_object_or_404(
        Structure.objects.select_related("commune__departement", "organisation"), ref=ref
    )
    if not _visible_to(request.user, structure):
        raise Http404
    antennas = list(structure.antennas.select_related("commune__departement"))
    dispositifs = [
        {"dispositif": d, "stages": labels(Stage, d.stages)} for d in structure.dispositifs.all()
    ]
    co_operated = Dispositif.objects.published().filter(co_operators=structure)
    context = {
        "structure": structure,
        "can_edit": can_edit_structure(request.user, structure),
        "kinds": labels(StructureKind, structure.kinds),
        "dispositifs": dispositifs,
        "co_operated": co_operated.select_related("structure"),
        "antennas": antennas,
        "map": offer_maps.places_svg([structure.commune, *(a.commune for a in antennas)]),
    }
    return render(request, "web/offer/structure_detail.html", context)


def dispositif_detail(request: HttpRequest, ref: str) -> HttpResponse:
    dispositif = get_object_or_404(
        Dispositif.objects.select_related("structure__commune", "origin__structure"), ref=ref
    )
    structure = dispositif.structure
    if not _visible_to(request.user, structure):
        raise Http404
    places = list(dispositif.session_places.select_related("commune__departement"))
    origin = dispositif.origin
    if origin and not _visible_to(request.user, origin.structure):
        origin = None
    context = {
        "dispositif": dispositif,
        "structure": structure,
        "can_edit": can_edit_structure(request.user, structure),
        "stages": labels(Stage, dispositif.stages),
        "audiences": labels(Audience, dispositif.audiences),
        "sectors": labels(Sector, dispositif.sectors),
        "formats": labels(Format, dispositif.formats),
        "criteria": labels(Criterion, dispositif.criteria_flags),
        "zones": [zone_label(z.kind, z.code) for z in dispositif.zones.order_by("kind", "code")],
        "places": places,
        "co_operators": [
            (s, s.moderation_status == Published or s == structure)
            for s in dispositif.co_operators.all()
        ],
        "next_steps": _visible_dispositifs(dispositif.next_steps.all(), structure).select_related(
            "structure"
        ),
        "previous_steps": _visible_dispositifs(
            dispositif.previous_steps.all(), structure
        ).select_related("structure"),
        "origin": origin,
        "copies": _visible_dispositifs(dispositif.copies.all(), structure).select_related(
            "structure"
        ),
        "map": offer_maps.places_svg(p.commune for p in places),
    }
    return render(request, "web/offer/dispositif_detail.html", context)
