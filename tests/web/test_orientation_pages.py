"""Porteurs' files through the web: who sees them, creation with consent,
projects, follow-up group, data export and erasure."""

import datetime as dt
import json
import re
from html import unescape

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from maillage.offer.index import clear_index
from maillage.orientation import actions
from maillage.orientation.models import AnonymisedStat, Porteur, TimelineEvent
from maillage.orientation.notifications import MAGIC_PATH
from tests.orientation.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def cast(db):
    return Cast()


def url(name, *args):
    return reverse(f"web:{name}", args=args)


def html_of(response):
    # Entities decoded: "l'accord" reads the same whichever way it was escaped.
    return unescape(response.content.decode())


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_magic_link_path_is_the_one_the_emails_use():
    assert reverse("web:orientation-magic", args=["abc"]) == "/orientations/lien/abc/"
    assert reverse("web:orientation-magic", args=["abc"]) == MAGIC_PATH.format(token="abc")


@pytest.mark.parametrize("name", ["porteur-list", "porteur-create", "dashboard"], ids=lambda n: n)
def test_pages_need_a_login(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_porteur_page_is_hidden_from_people_without_rights(client, cast):
    page = url("porteur-detail", cast.porteur.pk)
    for user in (cast.outsider, cast.receiver):  # the receiver has no orientation yet
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.get(url("porteur-export", cast.porteur.pk)).status_code == 404
        assert client.get(url("porteur-erase", cast.porteur.pk)).status_code == 404
        assert "Camille" not in html_of(client.get(url("porteur-list")))
    client.force_login(cast.prescriber)
    response = client.get(page)
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "Camille" in html and "Café associatif" in html
    assert "Télécharger ses données (JSON)" in html and "Effacer le dossier" in html
    assert "Mairie de Guéret" in html  # the follow-up group


def test_list_shows_followed_porteurs_and_flags_inactive_ones(client, cast):
    with time_machine.travel(dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC), tick=False):
        quiet = actions.create_porteur(
            acting_user=cast.prescriber,
            organisation=cast.town_hall,
            name="Dominique",
            commune=cast.porteur.commune,
        )
    client.force_login(cast.prescriber)
    html = html_of(client.get(url("porteur-list")))
    assert "Camille" in html and "Dominique" in html
    assert "1 porteur sans activité depuis plus de 90 jours" in html
    alert = html[html.index('id="titre-inactifs"') : html.index("</section>")]
    assert url("porteur-detail", quiet.pk) in alert and "Camille" not in alert


def test_creating_a_collective_writes_its_consent_with_a_date(client, cast):
    client.force_login(cast.prescriber)
    form = html_of(client.get(url("porteur-create")))
    assert "N'inscrivez aucune donnée sensible" in form
    assert "uniquement pour cette orientation" in form  # the consent text, in full
    assert "data-offer-commune" in form and "commune-autocomplete.js" in form
    response = client.post(
        url("porteur-create"),
        {
            "kind": "collectif",
            "name": "Collectif du café",
            "members": "Alex\n\nSam\n",
            "email": "cafe@exemple.fr",
            "commune_q": "Guéret",  # typed without the autocomplete: resolved by the server
            "commune": "",
            "profiles": ["collectif-citoyens"],
            "has_car": "on",
            "max_travel_minutes": "30",
            "evenings_only": "on",
            "organisation": cast.town_hall.pk,
            "consent": "on",
        },
    )
    porteur = Porteur.objects.get(name="Collectif du café")
    assert response.status_code == 302
    assert response["Location"] == url("porteur-detail", porteur.pk)
    assert porteur.consent_at is not None and porteur.has_consent
    assert porteur.commune.insee == "23096"
    assert porteur.max_travel_minutes == 30 and porteur.evenings_only
    assert sorted(porteur.members.values_list("name", flat=True)) == ["Alex", "Sam"]
    assert porteur.follow_ups.get().organisation == cast.town_hall
    assert porteur.timeline.filter(kind="consentement").exists()
    html = html_of(client.get(response["Location"]))
    assert f"le {porteur.consent_at:%-d}" in html and "Retirer le consentement" in html


def test_creation_without_consent_or_commune(client, cast):
    client.force_login(cast.prescriber)
    post = {"kind": "personne", "name": "Lou", "organisation": cast.town_hall.pk}
    response = client.post(url("porteur-create"), {**post, "commune_q": "Nullepart-sur-Rien"})
    assert response.status_code == 200
    html = html_of(response)
    assert "Aucune commune ne correspond" in html
    assert 'href="#id_commune_q"' in html  # the summary links to the field
    client.post(url("porteur-create"), {**post, "commune_q": "Guéret (23)", "commune": "23096"})
    lou = Porteur.objects.get(name="Lou")
    assert lou.consent_at is None
    html = html_of(client.get(url("porteur-detail", lou.pk)))
    assert "Enregistrer le consentement" in html


def test_consent_is_withdrawn_after_confirmation_then_given_again(client, cast):
    client.force_login(cast.prescriber)
    page = url("porteur-consent", cast.porteur.pk)
    assert "Confirmer le retrait" in html_of(client.get(page))
    client.post(page, {"action": "withdraw"})
    cast.porteur.refresh_from_db()
    assert not cast.porteur.has_consent
    assert client.post(page, {"action": "give"}).status_code == 400  # box not ticked
    client.post(page, {"action": "give", "given": "on"})
    cast.porteur.refresh_from_db()
    assert cast.porteur.has_consent
    assert cast.porteur.timeline.filter(kind="consentement").count() == 2


def test_json_export_is_a_download_of_the_file(client, cast):
    client.force_login(cast.prescriber)
    response = client.get(url("porteur-export", cast.porteur.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["porteur"]["nom"] == "Camille"
    assert data["projets"][0]["titre"] == "Café associatif"


def test_erasure_asks_for_confirmation_and_keeps_anonymous_statistics(client, cast):
    client.force_login(cast.prescriber)
    page = url("porteur-erase", cast.porteur.pk)
    html = html_of(client.get(page))
    assert "statistiques anonymes" in html and "Ce qui est conservé" in html
    assert client.post(page, {}).status_code == 400  # not confirmed: nothing erased
    assert Porteur.objects.get(pk=cast.porteur.pk).anonymised_at is None
    response = client.post(page, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url("porteur-list")
    porteur = Porteur.objects.get(pk=cast.porteur.pk)
    assert porteur.anonymised_at is not None and porteur.name != "Camille"
    assert AnonymisedStat.objects.filter(kind="projet").exists()
    assert client.get(url("porteur-detail", porteur.pk)).status_code == 404


def test_projet_creation_stage_enrolment_and_exit_reach_the_timeline(client, cast):
    client.force_login(cast.prescriber)
    response = client.post(
        url("projet-create", cast.porteur.pk),
        {
            "title": "Épicerie itinérante",
            "stage": "emergence-faisabilite",
            "sector": "commerce-multiservice",
            "needs": ["financement", "etude-de-marche"],
            "commune_q": "Aubusson (23)",
            "commune": "23008",
            "other_communes": "Felletin",
        },
    )
    projet = cast.porteur.projets.get(title="Épicerie itinérante")
    assert response["Location"] == url("projet-detail", projet.pk)
    assert projet.commune.insee == "23008"  # main place: orientation starts there
    assert list(projet.communes.values_list("insee", flat=True)) == ["23079"]
    client.post(url("projet-stage", projet.pk), {"stage": "creation-incubation"})
    client.post(url("projet-enrolment", projet.pk), {"dispositif": cast.dispositif.pk})
    client.post(
        url("projet-exit", projet.pk),
        {"outcome": "abandon", "dispositif": cast.dispositif.pk, "note": "déménagement"},
    )
    projet.refresh_from_db()
    assert projet.stage == "creation-incubation"
    html = html_of(client.get(url("porteur-detail", cast.porteur.pk)))
    timeline = html[html.index('id="titre-parcours"') : html.index('id="titre-suivi"')]
    assert "Émergence, étude de faisabilité → Création, incubation" in timeline
    assert f"Entrée dans « {cast.dispositif.name} »" in timeline
    assert "Sortie : Abandon" in timeline and "<strong>Abandon</strong>" in timeline
    assert "<time datetime=" in timeline


def test_projet_edit_keeps_the_stage_log(client, cast):
    client.force_login(cast.prescriber)
    edit = url("projet-edit", cast.projet.pk)
    assert 'value="Café associatif"' in html_of(client.get(edit))
    client.post(
        edit,
        {"title": "Café-épicerie", "stage": "emergence-faisabilite", "needs": ["financement"]},
    )
    cast.projet.refresh_from_db()
    assert (cast.projet.title, cast.projet.needs) == ("Café-épicerie", ["financement"])
    assert TimelineEvent.objects.filter(projet=cast.projet, kind="etape").exists()
    client.force_login(cast.outsider)
    assert client.get(edit).status_code == 404


def test_follow_up_group_add_and_end_with_confirmation(client, cast):
    client.force_login(cast.prescriber)
    client.post(url("follow-up-add", cast.porteur.pk), {"organisation": cast.incubator_org.pk})
    follow_up = cast.porteur.follow_ups.get(organisation=cast.incubator_org)
    client.force_login(cast.receiver)
    assert client.get(url("porteur-detail", cast.porteur.pk)).status_code == 200
    client.force_login(cast.prescriber)
    end = url("follow-up-end", cast.porteur.pk, follow_up.pk)
    assert "cesse de suivre" in html_of(client.get(end))
    client.post(end)
    follow_up.refresh_from_db()
    assert follow_up.ended_at is not None
    client.force_login(cast.receiver)
    assert client.get(url("porteur-detail", cast.porteur.pk)).status_code == 404


def test_nav_links_for_logged_in_people(client, cast):
    assert "Tableau de bord" not in html_of(client.get(url("home")))
    client.force_login(cast.prescriber)
    html = html_of(client.get(url("home")))
    assert re.search(r'href="/tableau-de-bord/"[^>]*>Tableau de bord<', html)
    assert re.search(r'href="/porteurs/"[^>]*>Porteurs<', html)
