"""Structure staff editing and platform moderation, through the web forms."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from maillage.offer.index import clear_index
from maillage.offer.models import Dispositif, ModerationEvent, Structure
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.offer import DispositifFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    clear_index()
    yield
    clear_index()


@pytest.fixture
def member():
    return MembershipFactory().user


@pytest.fixture
def structure(member):
    return StructureFactory(name="Fabrique du Sud Creuse", organisation=member.organisations.get())


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name, **kwargs):
    return reverse(f"web:{name}", kwargs=kwargs or None)


DISPOSITIF_POST = {
    "name": "Cycle idées en Creuse",
    "description": "Six ateliers pour passer de l'idée au projet.",
    "stages": ["ideation-premiers-pas", "emergence-faisabilite"],
    "audiences": ["individuel", "collectif-citoyens"],
    "sectors": ["tous-secteurs"],
    "formats": ["collective", "itinerant"],
    "zones": "departement:23\nepci:200034825\n",
    "places": "23096 Tiers-lieu de la gare\n23008\n",
    "duration_weeks": "6,5",
    "fee_eur": "0",
    "criteria_flags": ["social-utility"],
    "how_to_apply": "Écrire à la Fabrique.",
    "next_edition_start": "2027-01-15",
}


# --- Who may edit -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["my-structures", "structure-create", "moderation"], ids=lambda n: n
)
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_reach_edit_forms(client, structure):
    for target in [
        url("structure-edit", ref=structure.ref),
        url("dispositif-create", ref=structure.ref),
        url("dispositif-edit", ref=DispositifFactory(structure=structure).ref),
    ]:
        response = client.get(target)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_member_of_the_organisation_can_edit_outsider_gets_403(client, structure, member):
    dispositif = DispositifFactory(structure=structure)
    targets = [
        url("structure-edit", ref=structure.ref),
        url("dispositif-create", ref=structure.ref),
        url("dispositif-edit", ref=dispositif.ref),
    ]
    client.force_login(UserFactory())
    for target in targets:
        assert client.get(target).status_code == 403
        assert client.post(target, {"name": "Piraté"}).status_code == 403
    structure.refresh_from_db()
    assert structure.name == "Fabrique du Sud Creuse"
    client.force_login(member)
    for target in targets:
        assert client.get(target).status_code == 200
    client.force_login(UserFactory(staff=True))
    for target in targets:
        assert client.get(target).status_code == 200


def test_editors_see_edit_links_on_the_structure_page(client, structure, member):
    page = url("structure-detail", ref=structure.ref)
    assert url("structure-edit", ref=structure.ref) not in client.get(page).content.decode()
    client.force_login(member)
    html = client.get(page).content.decode()
    assert url("structure-edit", ref=structure.ref) in html
    assert url("dispositif-create", ref=structure.ref) in html


# --- Mes structures -------------------------------------------------------------------


def test_my_structures_lists_editable_structures_with_stale_flags(client, structure, member):
    other = StructureFactory(name="Structure d'autrui")
    old = DispositifFactory(structure=structure)
    Dispositif.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=400))
    Structure.objects.filter(pk=structure.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    client.force_login(member)
    html = client.get(url("my-structures")).content.decode()
    assert "Fabrique du Sud Creuse" in html
    assert other.name not in html
    # The structure, and one of its dispositifs:
    assert html.count('<span class="badge badge-warn">') == 2
    assert "1 à actualiser" in html
    assert url("structure-create") in html


def test_user_without_organisation_is_told_how_to_declare(client):
    client.force_login(UserFactory())
    html = client.get(url("my-structures")).content.decode()
    assert "il faut être membre de l'organisation qui la gère" in html
    assert url("structure-create") not in html


# --- Structures ---------------------------------------------------------------------------


def test_member_creates_a_structure_that_waits_for_moderation(client, member):
    organisation = member.organisations.get()
    client.force_login(member)
    response = client.post(
        url("structure-create"),
        {
            "name": "Tiers-lieu de Felletin",
            "kinds": ["tiers-lieu", "fablab"],
            "legal_form": "association",
            "commune_q": "Felletin",  # typed, no JavaScript: the server resolves it
            "commune": "",
            "siret": "",
            "rna": "w231000123",
            "networks": "France Tiers-Lieux\n\nRéseau des fablabs\n",
            "organisation": organisation.pk,
        },
    )
    structure = Structure.objects.get(name="Tiers-lieu de Felletin")
    assert response.status_code == 302
    assert response["Location"] == url("structure-detail", ref=structure.ref)
    assert structure.ref == "tiers-lieu-de-felletin"
    assert structure.commune.insee == "23079"
    assert structure.kinds == ["tiers-lieu", "fablab"]
    assert structure.rna == "W231000123"
    assert structure.networks == ["France Tiers-Lieux", "Réseau des fablabs"]
    assert structure.organisation == organisation
    assert structure.moderation_status == "en-attente"  # decided by save_structure
    assert "après relecture" in messages_of(response)[0]


def test_staff_creation_is_published_at_once(client):
    client.force_login(UserFactory(staff=True))
    response = client.post(
        url("structure-create"),
        {"name": "DLA Creuse", "kinds": ["dla"], "legal_form": "unknown", "commune_q": "Guéret"},
    )
    assert response.status_code == 302
    assert Structure.objects.get(name="DLA Creuse").moderation_status == "publiee"
    assert messages_of(response) == ["La structure « DLA Creuse » est publiée."]


def test_member_cannot_attach_a_structure_to_someone_elses_organisation(client, member):
    foreign = MembershipFactory().organisation
    client.force_login(member)
    response = client.post(
        url("structure-create"),
        {
            "name": "Intrus",
            "kinds": ["other"],
            "legal_form": "unknown",
            "commune_q": "Guéret",
            "organisation": foreign.pk,
        },
    )
    assert response.status_code == 200
    assert not Structure.objects.filter(name="Intrus").exists()


def test_bad_structure_input_rerenders_with_errors_and_keeps_values(client, member):
    client.force_login(member)
    response = client.post(
        url("structure-create"),
        {
            "name": "Ma structure",
            "kinds": [],
            "legal_form": "association",
            "commune_q": "herm",  # Herm (40) or L'Herm (09)?
            "siret": "123",
            "website": "pas une adresse",
            "description": "Un texte à ne pas perdre.",
            "organisation": member.organisations.get().pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Structure.objects.filter(name="Ma structure").exists()
    assert "Le formulaire contient des erreurs" in html
    assert "Cochez au moins un type de structure." in html
    assert "Plusieurs communes correspondent" in html and "40123" in html and "09138" in html
    assert "SIRET invalide" in html
    assert 'value="Ma structure"' in html
    assert "Un texte à ne pas perdre." in html
    assert 'href="#id_kinds_0"' in html and 'href="#id_commune_q"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_siret_helptext id_siret_error"' in html


def test_editing_a_structure_saves_through_the_action(client, structure, member):
    Structure.objects.filter(pk=structure.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    client.force_login(member)
    form_html = client.get(url("structure-edit", ref=structure.ref)).content.decode()
    assert 'value="Fabrique du Sud Creuse"' in form_html
    assert 'value="23096"' in form_html  # the commune's hidden code
    response = client.post(
        url("structure-edit", ref=structure.ref),
        {
            "name": "Fabrique à initiatives du Sud Creuse",
            "kinds": ["fabrique-a-initiatives"],
            "legal_form": "association",
            "commune_q": "Aubusson (23)",
            "commune": "23008",
            "organisation": structure.organisation_id,
        },
    )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.name == "Fabrique à initiatives du Sud Creuse"
    assert structure.commune.insee == "23008"
    assert not structure.is_stale
    assert "est enregistrée" in messages_of(response)[0]


def test_owner_resubmits_a_refused_structure(client, member):
    structure = StructureFactory(
        moderation_status="refusee", organisation=member.organisations.get()
    )
    client.force_login(member)
    response = client.post(url("structure-resubmit", ref=structure.ref))
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.moderation_status == "en-attente"


# --- Dispositifs ---------------------------------------------------------------------------


def test_creating_a_dispositif_writes_zones_places_and_links(client, structure, member):
    partner = StructureFactory(name="Tiers-lieu partenaire")
    follow_up = DispositifFactory(name="Incubation")
    client.force_login(member)
    response = client.post(
        url("dispositif-create", ref=structure.ref),
        {**DISPOSITIF_POST, "co_operators": [partner.pk], "next_steps": [follow_up.pk]},
    )
    d = Dispositif.objects.get(name="Cycle idées en Creuse")
    assert response.status_code == 302
    assert response["Location"] == url("dispositif-detail", ref=d.ref)
    assert d.structure == structure
    assert d.ref == "cycle-idees-en-creuse"
    assert sorted(d.zones.values_list("kind", "code")) == [
        ("departement", "23"),
        ("epci", "200034825"),
    ]
    places = dict(d.session_places.values_list("commune__insee", "label"))
    assert places == {"23096": "Tiers-lieu de la gare", "23008": ""}
    assert d.duration_weeks == 6.5
    assert d.fee_eur == 0
    assert d.next_edition_start == dt.date(2027, 1, 15)
    assert list(d.co_operators.all()) == [partner]
    assert list(d.next_steps.all()) == [follow_up]
    assert messages_of(response) == ["Le dispositif « Cycle idées en Creuse » est enregistré."]
    page = client.get(response["Location"]).content.decode()
    assert "Tiers-lieu de la gare, " in page and "Guéret (23)" in page  # resolved names


def test_bad_dispositif_input_rerenders_with_errors_and_keeps_values(client, structure, member):
    client.force_login(member)
    response = client.post(
        url("dispositif-create", ref=structure.ref),
        {
            **DISPOSITIF_POST,
            "stages": [],
            "zones": "departement:23\ndepartement:99\nplanete:mars",
            "places": "23096\n99999",
            "fee_eur": "gratuit",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Dispositif.objects.filter(name="Cycle idées en Creuse").exists()
    assert "Cochez au moins une étape." in html
    assert "Ligne 2 (« departement:99 ») : Zone inconnue" in html
    assert "Ligne 3 (« planete:mars ») : Type de zone inconnu" in html
    assert "Ligne 2 : aucune commune n&#x27;a le code INSEE « 99999 »." in html
    assert 'href="#id_fee_eur"' in html
    # Nothing typed is lost.
    assert "departement:23\ndepartement:99\nplanete:mars</textarea>" in html
    assert 'value="Cycle idées en Creuse"' in html
    assert 'value="itinerant" id="id_formats_2" checked' in html


def test_editing_a_dispositif_prefills_and_replaces_zones_and_places(client, structure, member):
    d = DispositifFactory(
        structure=structure, zones=[("departement", "23")], places=["23096", "23008"]
    )
    d.session_places.filter(commune__insee="23008").update(is_illustrative=True)
    client.force_login(member)
    form_html = client.get(url("dispositif-edit", ref=d.ref)).content.decode()
    assert "departement:23</textarea>" in form_html
    assert "23096\n23008" in form_html or "23008\n23096" in form_html
    response = client.post(
        url("dispositif-edit", ref=d.ref),
        {**DISPOSITIF_POST, "name": d.name, "zones": "france", "places": "23008\n23031"},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert list(d.zones.values_list("kind", "code")) == [("france", "")]
    assert dict(d.session_places.values_list("commune__insee", "is_illustrative")) == {
        "23008": True,  # the mark survives the edit
        "23031": False,
    }


# --- Moderation ------------------------------------------------------------------------------


def test_moderation_is_for_platform_staff_only(client, member):
    pending = StructureFactory(name="CAE des Combrailles", moderation_status="en-attente")
    client.force_login(member)
    assert client.get(url("moderation")).status_code == 403
    decide = url("moderation-decide", ref=pending.ref)
    assert client.post(decide, {"decision": "publier"}).status_code == 403
    pending.refresh_from_db()
    assert pending.moderation_status == "en-attente"
    client.force_login(UserFactory(staff=True))
    html = client.get(url("moderation")).content.decode()
    assert f'id="moderation-{pending.ref}"' in html and "CAE des Combrailles" in html
    assert "1 structure attend d'être publiée." in html


def test_staff_publishes_a_pending_structure(client):
    pending = StructureFactory(name="CAE Limousin", moderation_status="en-attente")
    staff = UserFactory(staff=True)
    client.force_login(staff)
    response = client.post(url("moderation-decide", ref=pending.ref), {"decision": "publier"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.moderation_status == "publiee"
    event = ModerationEvent.objects.filter(structure=pending).last()
    assert (event.actor, event.to_status) == (staff, "publiee")
    assert messages_of(response) == ["« CAE Limousin » est publiée."]
    assert f'id="moderation-{pending.ref}"' not in client.get(url("moderation")).content.decode()


def test_refusal_needs_a_reason(client):
    pending = StructureFactory(moderation_status="en-attente")
    client.force_login(UserFactory(staff=True))
    decide = url("moderation-decide", ref=pending.ref)
    response = client.post(decide, {"decision": "refuser", "reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{pending.ref}_reason"' in html
    assert 'aria-invalid="true"' in html
    pending.refresh_from_db()
    assert pending.moderation_status == "en-attente"
    response = client.post(decide, {"decision": "refuser", "reason": "Hors du champ de l'ESS."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.moderation_status == "refusee"
    assert pending.moderation_note == "Hors du champ de l'ESS."
