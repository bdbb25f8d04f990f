"""The dashboard: sent and received counts, pending list, the three alerts."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from maillage.offer.index import clear_index
from maillage.orientation import actions
from tests.factories.orientation import ProjetFactory
from tests.orientation.conftest import Cast

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
DASHBOARD = reverse("web:dashboard")


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def cast(db):
    return Cast()


def send(cast, dispositif, projet=None):
    return actions.send_orientation(
        acting_user=cast.prescriber,
        projet=projet or cast.projet,
        dispositif=dispositif,
        consent_confirmed=True,
    )


def card(html, key):
    start = html.index(f'aria-labelledby="carte-{key}"')
    section = html[start : html.index("</section>", start)]
    numbers = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", section))
    bars = dict(
        re.findall(
            r'<span class="bar-label">([^<]+)</span>.*?<span class="bar-value">(\d+)</span>',
            section,
            re.DOTALL,
        )
    )
    return numbers, {label: int(value) for label, value in bars.items()}


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def history(cast):
    """Two orientations sent on T0, one accepted two days later; then an exit
    with no next step."""
    with time_machine.travel(T0, tick=False):
        accepted = send(cast, cast.dispositif)
        waiting = send(cast, cast.other_dispositif)
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        actions.accept_orientation(acting_user=cast.receiver, orientation=accepted)
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        other = ProjetFactory(porteur=cast.porteur, title="Atelier vélo")
        actions.record_exit(acting_user=cast.prescriber, projet=other, outcome="abandon")
    return accepted, waiting


def test_prescriber_sees_sent_counts_median_and_alerts(client, cast, history):
    accepted, waiting = history
    client.force_login(cast.prescriber)
    with time_machine.travel(T0 + dt.timedelta(days=95), tick=False):
        html = unescape(client.get(DASHBOARD).content.decode())
    assert html.count("<h1") == 1
    numbers, bars = card(html, "sent")
    assert numbers["Total"] == "2"
    assert numbers["Délai médian de réponse"] == "2 jours"
    assert bars == {"En attente": 1, "Acceptées": 1, "Refusées": 0, "Expirées": 0, "Annulées": 0}
    assert 'class="bar-fill" width="50"' in html  # one of two: half a bar
    received, _bars = card(html, "received")
    assert received["Total"] == "0"

    overdue = section(html, "alerte-relances")
    assert "1 orientation sans réponse depuis plus de 10 jours" in overdue
    assert reverse("web:orientation-detail", args=[waiting.pk]) in overdue
    assert reverse("web:orientation-detail", args=[accepted.pk]) not in overdue
    assert "1 porteur sans activité depuis 90 jours" in section(html, "alerte-inactifs")
    exits = section(html, "alerte-sorties")
    assert "1 sortie sans suite" in exits and "Camille" in exits and "Abandon" in exits


def test_receiver_sees_received_counts_and_pending_list_with_quick_actions(client, cast, history):
    pending = send(cast, cast.dispositif, projet=ProjetFactory(porteur=cast.porteur))
    client.force_login(cast.receiver)
    html = unescape(client.get(DASHBOARD).content.decode())
    numbers, bars = card(html, "received")
    assert numbers["Total"] == "2" and bars["Acceptées"] == 1 and bars["En attente"] == 1
    listing = section(html, "titre-attente")
    assert pending.projet.title in listing
    review = reverse("web:orientation-review", args=[pending.pk])
    assert f'action="{review}"' in listing
    response = client.post(review, {"next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    pending.refresh_from_db()
    assert pending.state == "en_examen"
    # An outside "next" is ignored: back to the orientation page.
    accept = reverse("web:orientation-accept", args=[pending.pk])
    response = client.post(accept, {"next": "https://ailleurs.example/"})
    assert response["Location"] == reverse("web:orientation-detail", args=[pending.pk])
    pending.refresh_from_db()
    assert pending.state == "acceptee"
    html = unescape(client.get(DASHBOARD).content.decode())
    assert "Aucune orientation reçue n'attend de réponse." in html


def test_outsider_dashboard_is_empty(client, cast, history):
    client.force_login(cast.outsider)
    html = unescape(client.get(DASHBOARD).content.decode())
    assert card(html, "sent")[0]["Total"] == "0"
    assert "Camille" not in html
