"""The orientation workflow through the web: recommendations, sending,
review, refusal, one-click re-orientation, and the magic link."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from maillage.offer.index import clear_index
from maillage.orientation import actions, magic
from maillage.orientation.models import Orientation, UnmetDemand
from tests.factories.offer import DispositifFactory
from tests.orientation.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def cast(db):
    c = Cast()
    # The second structure answers by e-mail only (no account): the magic link.
    c.other_dispositif.structure.email = "contact@fabrique.test"
    c.other_dispositif.structure.save()
    return c


def url(name, *args):
    return reverse(f"web:{name}", args=args)


def html_of(response):
    # Entities decoded: "l'accord" reads the same whichever way it was escaped.
    return unescape(response.content.decode())


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def magic_link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/orientations/lien/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def send_through_the_web(client, cast, dispositif, message="Projet de café, collectif motivé."):
    return client.post(
        url("orientation-send", cast.projet.pk, dispositif.ref),
        {
            "message": message,
            "prescriber_organisation": cast.town_hall.pk,
            "consent_confirmed": "on",
        },
    )


def test_recommendation_page_ranks_explains_and_offers_to_orient(client, cast):
    client.force_login(cast.prescriber)
    response = client.get(url("projet-recommendations", cast.projet.pk))
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "2 dispositifs recommandés" in html
    first = html.index(cast.dispositif.name)
    assert first < html.index(cast.other_dispositif.name)  # Guéret's own one first
    assert url("dispositif-detail", cast.dispositif.ref) in html
    assert "Pertinence :" in html and "/ 100" in html and "min de trajet" in html
    assert "✓" in html and "Couvre votre territoire : Creuse" in html
    assert url("orientation-send", cast.projet.pk, cast.dispositif.ref) in html
    client.force_login(cast.outsider)
    assert client.get(url("projet-recommendations", cast.projet.pk)).status_code == 404


def test_unmet_demand_is_said_and_recorded(client, cast):
    cast.projet.stage = "consolidation"  # nothing in Creuse at this stage
    cast.projet.save()
    client.force_login(cast.prescriber)
    html = html_of(client.get(url("projet-recommendations", cast.projet.pk)))
    assert "Aucun dispositif ne couvre l'étape Consolidation" in html
    assert "Demande non satisfaite enregistrée" in html
    assert UnmetDemand.objects.filter(stage="consolidation").count() == 1


def test_sending_from_the_recommendation_page(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.prescriber)
    form = html_of(client.get(url("orientation-send", cast.projet.pk, cast.dispositif.ref)))
    assert "Je confirme que le porteur a donné son accord" in form
    assert "<fieldset disabled" not in form
    # Without the consent box: refused, nothing sent.
    response = client.post(
        url("orientation-send", cast.projet.pk, cast.dispositif.ref), {"message": "x"}
    )
    assert response.status_code == 400
    assert "Confirmez l'accord du porteur" in html_of(response)
    assert not Orientation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = send_through_the_web(client, cast, cast.dispositif)
    orientation = Orientation.objects.get()
    assert response["Location"] == url("orientation-detail", orientation.pk)
    assert orientation.prescriber_organisation == cast.town_hall
    assert orientation.message == "Projet de café, collectif motivé."
    assert any("est envoyée" in m for m in messages_of(response))
    assert len(mail.outbox) == 1 and "accueil@incubateur.test" in mail.outbox[0].to
    html = html_of(client.get(url("projet-recommendations", cast.projet.pk)))
    assert "Orientation en cours" in html


def test_sending_is_disabled_without_the_porteurs_consent(client, cast):
    actions.record_consent(acting_user=cast.prescriber, porteur=cast.porteur, given=False)
    client.force_login(cast.prescriber)
    page = url("orientation-send", cast.projet.pk, cast.dispositif.ref)
    html = html_of(client.get(page))
    assert "<fieldset disabled" in html
    assert "Orientation impossible pour l'instant." in html
    response = send_through_the_web(client, cast, cast.dispositif)
    assert response.status_code == 400
    assert not Orientation.objects.exists()


def test_full_flow_refusal_then_reorientation_accepted_by_magic_link(
    client, cast, django_capture_on_commit_callbacks
):
    prescriber, receiver, anonymous = Client(), Client(), Client(enforce_csrf_checks=True)
    prescriber.force_login(cast.prescriber)
    receiver.force_login(cast.receiver)

    # 1. The prescriber sends.
    send_through_the_web(prescriber, cast, cast.dispositif)
    first = Orientation.objects.get()
    page = url("orientation-detail", first.pk)

    # 2. The receiver takes it into review, then refuses with a reason.
    html = html_of(receiver.get(page))
    assert "Prendre en examen" in html and "Refuser l'orientation" in html
    assert "Café associatif" in html and "Camille" in html  # the shared file
    receiver.post(url("orientation-review", first.pk))
    first.refresh_from_db()
    assert first.state == "en_examen"
    response = receiver.post(url("orientation-refuse", first.pk), {"reason": "", "detail": ""})
    assert response.status_code == 400 and "Choisissez un motif de refus." in html_of(response)
    receiver.post(
        url("orientation-refuse", first.pk),
        {"reason": "complet", "detail": "Prochaine promotion en septembre."},
    )
    first.refresh_from_db()
    assert first.state == "refusee"

    # 3. The prescriber sees the reason and re-orients in one click.
    html = html_of(prescriber.get(page))
    assert "Promotion complète" in html and "Prochaine promotion en septembre." in html
    reorient = html[html.index('id="titre-reorienter"') :]
    assert cast.other_dispositif.name in reorient
    assert f'value="{cast.dispositif.ref}"' not in reorient  # the refused one is not offered
    with django_capture_on_commit_callbacks(execute=True):
        response = prescriber.post(
            url("orientation-reorient", first.pk), {"dispositif": cast.other_dispositif.ref}
        )
    second = Orientation.objects.exclude(pk=first.pk).get()
    assert response["Location"] == url("orientation-detail", second.pk)
    assert second.previous == first and second.dispositif == cast.other_dispositif

    # 4. The other structure answers from the e-mailed link, without an account.
    link = magic_link_in(mail.outbox[-1])
    html = html_of(anonymous.get(link))
    assert "Camille" in html and "Café associatif" in html
    assert "Projet de café, collectif motivé." in html  # the message follows
    assert anonymous.post(link, {"decision": "accepter"}).status_code == 403  # CSRF
    token = anonymous.cookies["csrftoken"].value
    response = anonymous.post(link, {"decision": "accepter", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == link
    second.refresh_from_db()
    assert second.state == "acceptee"
    html = html_of(anonymous.get(link))
    assert "Orientation acceptée le" in html
    assert "lien sécurisé" in html  # who acted, in the log

    # 5. The porteur's timeline tells every step.
    html = html_of(prescriber.get(url("porteur-detail", cast.porteur.pk)))
    timeline = html[html.index('id="titre-parcours"') : html.index('id="titre-suivi"')]
    for step in (
        f"Orientée vers « {cast.dispositif.name} »",
        f"« {cast.dispositif.name} » examine l'orientation",
        f"Orientation refusée par « {cast.dispositif.name} »",
        f"Réorientée vers « {cast.other_dispositif.name} »",
        f"Orientation acceptée par « {cast.other_dispositif.name} »",
    ):
        assert step in timeline, step
    assert timeline.index("Orientée vers") < timeline.index("Orientation acceptée")


def test_magic_link_refusal_needs_a_reason(client, cast):
    orientation = actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=cast.other_dispositif,
        consent_confirmed=True,
    )
    link = url("orientation-magic", magic.issue(orientation))
    response = client.post(link, {"decision": "refuser", "reason": "autre"})
    assert response.status_code == 400
    assert "Précisez le motif du refus." in html_of(response)
    client.post(link, {"decision": "refuser", "reason": "autre", "detail": "Hors champ."})
    orientation.refresh_from_db()
    assert (orientation.state, orientation.refusal_detail) == ("refusee", "Hors champ.")
    assert "Orientation refusée le" in html_of(client.get(link))


def test_invalid_or_revoked_magic_link_says_so(client, cast):
    response = client.get(url("orientation-magic", "pas-un-jeton"))
    assert response.status_code == 410
    html = html_of(response)
    assert "Ce lien n'est plus valable" in html and "nouveau lien" in html
    assert response["Referrer-Policy"] == "same-origin"
    orientation = actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=cast.dispositif,
        consent_confirmed=True,
    )
    old = magic.issue(orientation)
    client.force_login(cast.prescriber)
    client.post(url("orientation-renew-link", orientation.pk))  # "Renvoyer le lien"
    client.logout()
    assert client.get(url("orientation-magic", old)).status_code == 410


def test_orientation_page_visibility_and_cancellation(client, cast):
    orientation = actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=cast.dispositif,
        consent_confirmed=True,
    )
    page = url("orientation-detail", orientation.pk)
    client.force_login(cast.outsider)
    assert client.get(page).status_code == 404
    client.force_login(cast.receiver)
    assert "Annuler l'orientation" not in html_of(client.get(page))
    client.force_login(cast.prescriber)
    html = html_of(client.get(page))
    assert "Renvoyer le lien" in html and "Annuler l'orientation" in html
    assert "Prendre en examen" not in html
    assert "Confirmer l'annulation" in html_of(
        client.get(url("orientation-cancel", orientation.pk))
    )
    client.post(url("orientation-cancel", orientation.pk))
    orientation.refresh_from_db()
    assert orientation.state == "annulee"
    assert "Annulée" in html_of(client.get(page))  # the state in words


def test_reorientation_offers_nothing_refused_or_pending(client, cast):
    third = DispositifFactory(stages=["ideation-premiers-pas"], places=["23247"])
    refused = actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=cast.dispositif,
        consent_confirmed=True,
    )
    actions.refuse_orientation(acting_user=cast.receiver, orientation=refused, reason="etape")
    actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=cast.other_dispositif,
        consent_confirmed=True,
    )
    client.force_login(cast.prescriber)
    html = html_of(client.get(url("orientation-detail", refused.pk)))
    reorient = html[html.index('id="titre-reorienter"') :]
    assert f'value="{third.ref}"' in reorient
    assert f'value="{cast.other_dispositif.ref}"' not in reorient
    assert f'value="{cast.dispositif.ref}"' not in reorient
