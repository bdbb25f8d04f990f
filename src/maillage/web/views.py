"""Public pages: home, commune search (works without JavaScript), commune."""

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from maillage.territory.models import Commune, TerritoryRelease
from maillage.territory.search import search_communes

from . import svgmap


def home(request: HttpRequest) -> HttpResponse:
    release = TerritoryRelease.objects.first()
    return render(request, "web/home.html", {"release": release})


def commune_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    hits = search_communes(query, limit=30) if query else []
    return render(request, "web/commune_search.html", {"query": query, "hits": hits})


def commune_detail(request: HttpRequest, insee: str) -> HttpResponse:
    commune = get_object_or_404(
        Commune.objects.active().select_related("departement__region", "epci"), insee=insee.upper()
    )
    neighbours = []
    epci_population = None
    if commune.epci_id:
        members = Commune.objects.active().filter(epci_id=commune.epci_id)
        neighbours = list(members.exclude(pk=commune.pk).values_list("name", "geometry"))
        epci_population = members.aggregate(total=Sum("population"))["total"]
    shapes = [svgmap.Shape(g, "others", n) for n, g in neighbours]
    shapes.append(svgmap.Shape(commune.geometry, "self", commune.name))
    context = {
        "commune": commune,
        "map": svgmap.render(shapes),
        "map_caption": (
            _("%(commune)s au sein de %(epci)s") % {"commune": commune.name, "epci": commune.epci}
            if commune.epci
            else commune.name
        ),
        "epci_communes": len(neighbours) + 1 if commune.epci_id else None,
        "epci_population": epci_population,
    }
    return render(request, "web/commune_detail.html", context)
