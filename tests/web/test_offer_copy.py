"""Essaimage: copying a template dispositif to one's own structure."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maillage.offer.actions import copy_dispositif
from maillage.offer.index import clear_index
from maillage.offer.models import Dispositif
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.offer import DispositifFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def setting():
    template = DispositifFactory(
        ref="cycle-idees",
        name="Cycle idées",
        is_template=True,
        stages=["ideation-premiers-pas"],
        audiences=["collectif-citoyens"],
        criteria_flags=["collective-only"],
    )
    org = OrganisationFactory(name="Tiers-lieu ardéchois")
    user = UserFactory(email="anim@tierslieu.test")
    MembershipFactory(user=user, organisation=org)
    mine = StructureFactory(ref="tl-ardeche", name="Tiers-lieu ardéchois", organisation=org)
    return template, user, mine


def test_copy_keeps_the_programme_and_links_to_its_origin(setting):
    template, user, mine = setting
    copy = copy_dispositif(
        acting_user=user,
        template=template,
        structure=mine,
        ref="cycle-idees-ardeche",
        zones=[("departement", "07")],
        session_places=[("07010", "Annonay", False)],
    )
    assert copy.origin == template and copy.structure == mine
    assert copy.stages == template.stages and copy.criteria_flags == ["collective-only"]
    assert list(copy.zones.values_list("kind", "code")) == [("departement", "07")]
    assert list(template.copies.all()) == [copy]


def test_only_templates_can_be_copied(setting):
    template, user, mine = setting
    template.is_template = False
    template.save()
    with pytest.raises(ValidationError):
        copy_dispositif(
            acting_user=user,
            template=template,
            structure=mine,
            ref="x",
            zones=[],
            session_places=[],
        )


def test_copy_page_creates_the_copy_and_opens_its_editor(client, setting):
    template, user, mine = setting
    client.force_login(user)
    page = client.get(reverse("web:dispositif-detail", kwargs={"ref": template.ref}))
    assert reverse("web:dispositif-copy", kwargs={"ref": template.ref}) in page.content.decode()
    response = client.post(
        reverse("web:dispositif-copy", kwargs={"ref": template.ref}),
        {"structure": mine.pk, "zones": "departement:07", "places": "07010 Annonay"},
    )
    copy = Dispositif.objects.get(origin=template)
    assert response["Location"] == reverse("web:dispositif-edit", kwargs={"ref": copy.ref})
    assert copy.session_places.get().commune.insee == "07010"


def test_copy_page_reports_bad_zones_and_keeps_input(client, setting):
    template, user, mine = setting
    client.force_login(user)
    response = client.post(
        reverse("web:dispositif-copy", kwargs={"ref": template.ref}),
        {"structure": mine.pk, "zones": "departement:99", "places": "07010"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ligne 1" in html and "departement:99" in html
    assert not Dispositif.objects.filter(origin=template).exists()


def test_structures_of_others_cannot_be_chosen(client, setting):
    template, user, _mine = setting
    other = StructureFactory(ref="autre")
    client.force_login(user)
    client.post(
        reverse("web:dispositif-copy", kwargs={"ref": template.ref}),
        {"structure": other.pk, "zones": "departement:07"},
    )
    assert not Dispositif.objects.filter(origin=template).exists()
