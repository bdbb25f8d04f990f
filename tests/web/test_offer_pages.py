"""Public pages of the support offer: search, structure, dispositif."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.offer.index import clear_index
from maillage.offer.models import Dispositif, Structure
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.offer import DispositifFactory, StructureFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("web:offer-search")


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def map_data(html):
    found = re.search(r'<script id="offer-map-data" type="application/json">(.*?)</script>', html)
    assert found, "the map data is missing"
    return json.loads(found.group(1))


# --- Search ------------------------------------------------------------------------


def test_empty_search_page_shows_the_form_only(client):
    html = search(client)
    assert html.count("<h1") == 1
    assert 'name="q"' in html and 'name="commune"' in html
    assert 'role="combobox"' in html
    assert "Temps de trajet maximum" in html
    assert "accompagnement pour" not in html


def test_results_show_travel_minutes_nearest_place_zone_and_reasons(client):
    d = DispositifFactory(name="Cycle idées Creuse", places=["23008", "23096"])  # Aubusson, Guéret
    html = search(client, commune="23247")  # Saint-Vaury, 10 km from Guéret
    assert "1 dispositif d'accompagnement pour Saint-Vaury" in html
    assert reverse("web:dispositif-detail", kwargs={"ref": d.ref}) in html
    article = html[html.index("<article") : html.index("</article>")]
    minutes = re.search(r"À environ <strong>(\d+) min</strong> en voiture", article)
    assert minutes and 5 <= int(minutes.group(1)) <= 25
    assert "lieu de session le plus proche : Guéret" in article
    assert "Creuse (département)" in article  # zone matched, readable
    assert "Pourquoi ce dispositif ?" in article
    assert "<li>Couvre Creuse (département)</li>" in article
    assert reverse("web:structure-detail", kwargs={"ref": d.structure.ref}) in article


def test_filters_live_in_the_url_and_stay_selected(client):
    DispositifFactory(stages=["creation-incubation"], formats=["collective"], places=["23096"])
    html = search(
        client, commune="23096", stage="creation-incubation", max_minutes="30", format="collective"
    )
    assert '<option value="creation-incubation" selected>' in html
    assert '<option value="30" selected>' in html
    assert '<option value="collective" selected>' in html
    assert "1 dispositif" in html
    assert "Étape du projet : Création, incubation" in html  # active filters, in words


def test_invalid_filter_value_is_reported_on_its_field(client):
    html = search(client, commune="23096", stage="pas-une-etape")
    assert 'aria-invalid="true"' in html
    assert "pas-une-etape" in html
    assert "accompagnement pour" not in html


def test_remote_and_itinerant_badges_and_stale_warning(client):
    DispositifFactory(name="En ligne", formats=["remote"], zones=[("france", "")])
    old = DispositifFactory(name="Tournée", formats=["itinerant"], places=["23096"])
    Dispositif.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=400))
    html = search(client, commune="23096")
    assert '<span class="badge">À distance</span>' in html
    assert '<span class="badge">Itinérant</span>' in html
    assert "À actualiser" in html
    assert "Fiche non mise à jour depuis plus de 12 mois" in html


def test_empty_outcome_shows_the_domain_message_and_ways_to_widen(client):
    DispositifFactory(stages=["creation-incubation"], places=["23008"])  # Aubusson, ~40 km
    html = search(client, commune="23096", stage="creation-incubation", max_minutes="15")
    assert "Aucun dispositif trouvé pour Guéret" in html
    assert (
        '<p class="empty-message">Aucun dispositif d&#x27;étape « Création, incubation » '
        "à moins de 15 min de Guéret.</p>"
    ) in html
    # Dropping the time limit finds it again: the page offers that search.
    assert "Sans le filtre « Temps de trajet maximum : 15 min en voiture » : 1 dispositif" in html
    assert 'href="/accompagnement/?q=Gu%C3%A9ret+%2823%29&amp;commune=23096&amp;stage=' in html
    assert "offer-map-data" not in html


def test_empty_stage_suggests_other_stages(client):
    DispositifFactory(stages=["ideation-premiers-pas"])
    html = search(client, commune="23096", stage="creation-incubation")
    assert "Une autre étape ?" in html
    assert "Idéation, premiers pas : 1 dispositif" in html
    assert "stage=ideation-premiers-pas" in html


def test_map_data_draws_commune_background_and_places_without_tiles(client, settings):
    settings.MAILLAGE_TILES_URL = ""
    d = DispositifFactory(name="Cycle idées", places=["23008"])
    html = search(client, commune="23096")
    data = map_data(html)
    assert data["commune"]["name"] == "Guéret"
    assert data["commune"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert len(data["background"]) > 100  # the other communes of the Creuse
    [place] = data["places"]
    assert place["name"] == "Aubusson"
    assert place["items"][0]["name"] == "Cycle idées"
    assert place["items"][0]["url"] == reverse("web:dispositif-detail", kwargs={"ref": d.ref})
    assert data["tiles"] is None
    # Leaflet is served from our static files; the map is hidden from assistive tech.
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html
    assert 'class="offer-map-canvas" aria-hidden="true"' in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_map_uses_structure_premises_without_session_places(client):
    DispositifFactory(structure=StructureFactory())  # in Guéret, no session place
    data = map_data(search(client, commune="23096"))
    assert data["places"][0]["items"][0]["what"] == "locaux de la structure"


def test_tile_layer_only_when_configured(client, settings):
    settings.MAILLAGE_TILES_URL = "https://tuiles.exemple.fr/{z}/{x}/{y}.png"
    settings.MAILLAGE_TILES_ATTRIBUTION = "© contributeurs OpenStreetMap"
    DispositifFactory(places=["23096"])
    html = search(client, commune="23096")
    assert map_data(html)["tiles"]["url"] == "https://tuiles.exemple.fr/{z}/{x}/{y}.png"
    assert "Fond de carte : © contributeurs OpenStreetMap" in html


def test_typed_commune_name_is_resolved_without_javascript(client):
    DispositifFactory(places=["23096"])
    html = search(client, q="saint-vaury", commune="")
    assert 'value="23247"' in html  # the hidden INSEE field, filled by the server
    assert 'value="Saint-Vaury (23)"' in html
    assert "pour Saint-Vaury" in html


def test_typed_name_wins_over_a_stale_code(client):
    html = search(client, q="Aubusson", commune="23096")
    assert "pour Aubusson" in html


def test_ambiguous_commune_name_lists_choices_keeping_filters(client):
    html = search(client, q="herm", stage="creation-incubation")
    assert "laquelle est la vôtre ?" in html
    assert "Herm (40)" in html and "L&#x27;Herm (09)" in html
    assert "commune=40123" in html and "commune=09138" in html
    assert "L&#x27;Hermitage" not in html  # only the communes named exactly so
    assert "stage=creation-incubation" in html
    assert "accompagnement pour" not in html


def test_unknown_commune_name_is_an_error_on_the_field(client):
    html = search(client, q="xyzzy")
    assert "Aucune commune ne correspond à « xyzzy »" in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_q"' in html  # the error summary links to the field


def test_submitting_without_commune_asks_for_one(client):
    html = search(client, q="", stage="creation-incubation")
    assert "Indiquez votre commune." in html


def test_unpublished_dispositifs_are_not_listed(client):
    DispositifFactory(name="Caché", structure=StructureFactory(moderation_status="en-attente"))
    html = search(client, commune="23096")
    assert "Caché" not in html
    assert "Aucun dispositif trouvé pour Guéret" in html


# --- Navigation ---------------------------------------------------------------------


def test_header_and_home_lead_to_the_search(client):
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{SEARCH}"' in html
    assert "Trouver un accompagnement" in html
    assert "data-offer-commune" in html
    assert reverse("web:my-structures") not in html
    assert reverse("web:moderation") not in html


def test_member_sees_my_structures_and_staff_sees_moderation(client):
    member = MembershipFactory().user
    client.force_login(member)
    html = client.get(reverse("web:home")).content.decode()
    assert reverse("web:my-structures") in html
    assert reverse("web:moderation") not in html
    client.force_login(UserFactory(staff=True))
    html = client.get(reverse("web:home")).content.decode()
    assert reverse("web:moderation") in html


# --- Structure and dispositif pages --------------------------------------------------


def test_published_structure_page(client):
    structure = StructureFactory(
        name="Incubateur de la Creuse",
        kinds=["incubateur", "tiers-lieu"],
        legal_form="association",
        website="https://incubateur.example.org",
    )
    DispositifFactory(structure=structure, name="Programme d'incubation")
    response = client.get(reverse("web:structure-detail", kwargs={"ref": structure.ref}))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<h1>Incubateur de la Creuse</h1>" in html
    assert "Incubateur · Tiers-lieu" in html  # vocabulary labels, not slugs
    assert "Association" in html
    assert "Programme d&#x27;incubation" in html
    assert "Guéret (23)" in html
    assert "Dernière mise à jour" in html
    assert "<svg" in html
    assert "Modifier la structure" not in html


def test_stale_structure_says_so(client):
    structure = StructureFactory()
    Structure.objects.filter(pk=structure.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    html = client.get(reverse("web:structure-detail", kwargs={"ref": structure.ref})).content
    assert "Fiche non mise à jour depuis plus de 12 mois" in html.decode()


@pytest.mark.parametrize("status", ["en-attente", "refusee"])
def test_unpublished_structure_is_404_except_for_its_editors(client, status):
    membership = MembershipFactory()
    structure = StructureFactory(moderation_status=status, organisation=membership.organisation)
    dispositif = DispositifFactory(structure=structure)
    urls = [
        reverse("web:structure-detail", kwargs={"ref": structure.ref}),
        reverse("web:dispositif-detail", kwargs={"ref": dispositif.ref}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(membership.user)
    for url in urls:
        assert client.get(url).status_code == 200
    client.force_login(UserFactory(staff=True))
    for url in urls:
        assert client.get(url).status_code == 200


def test_unknown_refs_are_404(client):
    assert client.get(reverse("web:structure-detail", kwargs={"ref": "nope"})).status_code == 404
    assert client.get(reverse("web:dispositif-detail", kwargs={"ref": "nope"})).status_code == 404


def test_dispositif_page_shows_facts_in_french_and_the_pathway(client):
    operator = StructureFactory(name="Fabrique du Sud Creuse")
    partner = StructureFactory(name="Tiers-lieu partenaire")
    hidden_partner = StructureFactory(name="Partenaire en attente", moderation_status="en-attente")
    template = DispositifFactory(name="Modèle national", is_template=True)
    nxt = DispositifFactory(name="Incubation ensuite")
    hidden_next = DispositifFactory(
        name="Suite non publiée", structure=StructureFactory(moderation_status="en-attente")
    )
    d = DispositifFactory(
        structure=operator,
        name="Cycle idées",
        stages=["ideation-premiers-pas", "emergence-faisabilite"],
        audiences=["neorural"],
        sectors=["alimentation-circuits-courts"],
        formats=["collective", "itinerant"],
        criteria_flags=["collective-only"],
        zones=[("departement", "23"), ("epci", "200034825")],
        places=["23008"],
        fee_eur=0,
        origin=template,
    )
    d.co_operators.set([partner, hidden_partner])
    d.next_steps.set([nxt, hidden_next])
    html = client.get(reverse("web:dispositif-detail", kwargs={"ref": d.ref})).content.decode()
    assert html.count("<h1") == 1
    for text in [
        "Idéation, premiers pas, Émergence, étude de faisabilité",
        "Néorural",
        "Alimentation, circuits courts",
        "Collectif, Itinérant",
        "Projets collectifs uniquement",
        "Creuse (département)",
        "Communauté d&#x27;agglomération du Grand Guéret (intercommunalité)",
        "Aubusson (23)",
        "Gratuit",
        "Essaimé depuis",
        "Modèle national",
        "Et après ?",
        "Incubation ensuite",
    ]:
        assert text in html, text
    assert "Suite non publiée" not in html
    partner_url = reverse("web:structure-detail", kwargs={"ref": partner.ref})
    hidden_url = reverse("web:structure-detail", kwargs={"ref": hidden_partner.ref})
    assert partner_url in html
    assert "Partenaire en attente" in html and hidden_url not in html  # named, not linked
    template_html = client.get(
        reverse("web:dispositif-detail", kwargs={"ref": template.ref})
    ).content.decode()
    assert "Essaimé ailleurs" in template_html and "Cycle idées" in template_html
