import json

import pytest

from maillage.territory.loader import load_territory
from maillage.territory.models import EPCI, Commune, Departement, Region, TerritoryRelease

pytestmark = pytest.mark.django_db


def test_only_communes_of_type_com_are_loaded():
    # 2025 COG: Creuse has 255 communes, Ardèche 335.
    assert Commune.objects.filter(departement__code="23").count() == 255
    assert Commune.objects.filter(departement__code="07").count() == 335
    # Arrondissements and communes déléguées never appear.
    assert not Commune.objects.filter(insee__in=["75101", "13201"]).exists()


def test_names_carry_their_article():
    assert Commune.objects.get(insee="43048").name == "La Chaise-Dieu"
    assert Commune.objects.get(insee="09138").name == "L'Herm"
    assert Commune.objects.get(insee="40123").name == "Herm"


def test_commune_facts_are_consistent():
    gueret = Commune.objects.select_related("departement__region", "epci").get(insee="23096")
    assert gueret.name == "Guéret"
    assert "23000" in gueret.postal_codes
    assert gueret.departement.name == "Creuse"
    assert gueret.departement.region.code == "75"  # Nouvelle-Aquitaine
    assert gueret.epci.kind == EPCI.Kind.CA
    assert gueret.population > 10_000
    # Guéret covers 26.2 km² (INSEE); our equal-area computation must agree.
    assert gueret.area_km2 == pytest.approx(26.2, rel=0.03)
    assert gueret.density == pytest.approx(gueret.population / gueret.area_km2)
    assert 46.1 < gueret.latitude < 46.2 and 1.8 < gueret.longitude < 1.9
    assert gueret.location_source == Commune.LocationSource.TOWN_HALL
    assert gueret.cog_year == 2025


def test_every_commune_has_a_point_and_a_small_outline():
    sizes = []
    for lat, lon, geometry in Commune.objects.values_list("latitude", "longitude", "geometry"):
        assert lat is not None and lon is not None
        shape = json.loads(geometry)
        assert shape["type"] in {"Polygon", "MultiPolygon"}
        sizes.append(len(geometry))
    sizes.sort()
    assert sizes[len(sizes) // 2] < 800  # "a few hundred bytes per commune"


def test_rurality_is_estimated_from_density():
    gueret = Commune.objects.get(insee="23096")
    small = Commune.objects.get(insee="23001")  # Ahun? any small Creuse commune
    assert gueret.rurality_estimated < small.rurality_estimated
    assert small.rurality_is_estimate
    assert Commune.objects.filter(departement__code="23", rurality_estimated__gte=5).count() > 200


def test_second_load_is_skipped_and_creates_no_duplicates():
    before = (Commune.objects.count(), EPCI.objects.count(), Departement.objects.count())
    result = load_territory({"23"})
    assert result.skipped
    assert (Commune.objects.count(), EPCI.objects.count(), Departement.objects.count()) == before


def test_forced_reload_upserts_and_keeps_official_values():
    Commune.objects.filter(insee="23096").update(
        rurality_official=3, rurality_official_year=2024, name="wrong"
    )
    regions = Region.objects.count()
    result = load_territory({"23"}, force=True)
    assert not result.skipped
    assert result.counts["communes"] == 255
    gueret = Commune.objects.get(insee="23096")
    assert gueret.name == "Guéret"  # source value restored
    assert gueret.rurality_official == 3  # official import survives
    assert Region.objects.count() == regions
    assert TerritoryRelease.objects.first().departements == "23"


def test_communes_gone_from_the_cog_are_deactivated_not_deleted():
    ghost = Commune.objects.get(insee="23096")
    ghost.pk = None
    ghost.insee = "23999"
    ghost.save()
    result = load_territory({"23"}, force=True)
    assert result.deactivated == 1
    assert not Commune.objects.get(insee="23999").is_active
