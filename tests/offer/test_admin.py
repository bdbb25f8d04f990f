import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.offer import DispositifFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "admin:offer_structure_changelist",
        "admin:offer_dispositif_changelist",
        "admin:territory_commune_changelist",
        "admin:territory_epci_changelist",
    ],
)
def test_admin_changelists_load_for_superuser(client, name):
    DispositifFactory()
    client.force_login(UserFactory(superuser=True))
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_admin_change_form_of_a_dispositif(client):
    d = DispositifFactory(places=["23096"])
    client.force_login(UserFactory(superuser=True))
    response = client.get(reverse("admin:offer_dispositif_change", args=[d.pk]))
    assert response.status_code == 200
    assert "Guéret" in response.content.decode()


def test_commune_autocomplete_in_admin(client):
    client.force_login(UserFactory(superuser=True))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "offer", "model_name": "structure", "field_name": "commune", "term": "Guér"},
    )
    assert any(r["text"].startswith("Guéret") for r in response.json()["results"])
