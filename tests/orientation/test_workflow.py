"""The orientation workflow, walked as a table."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.orientation import actions, magic
from maillage.orientation.models import Orientation, OrientationTransition
from maillage.orientation.notifications import MAGIC_PATH
from maillage.orientation.workflow import TRANSITIONS, allowed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("frm", "to", "roles", "ok"),
    [
        ("envoyee", "en_examen", {"receiver"}, True),
        ("envoyee", "en_examen", {"prescriber"}, False),
        ("en_examen", "acceptee", {"receiver"}, True),
        ("en_examen", "refusee", {"receiver"}, True),
        ("en_examen", "acceptee", {"prescriber"}, False),
        ("envoyee", "acceptee", {"receiver"}, False),  # must be examined first
        ("envoyee", "annulee", {"prescriber"}, True),
        ("en_examen", "annulee", {"receiver"}, False),
        ("envoyee", "expiree", {"system"}, True),
        ("envoyee", "expiree", {"staff"}, False),  # expiry is the system's
        ("en_examen", "refusee", {"staff"}, True),
        ("acceptee", "refusee", {"receiver", "staff"}, False),
        ("refusee", "acceptee", {"receiver"}, False),
        ("annulee", "envoyee", {"prescriber"}, False),
    ],
)
def test_transition_table(frm, to, roles, ok):
    assert allowed(frm, to, roles) is ok


def test_every_declared_transition_names_who_may_do_it():
    assert all(roles for roles in TRANSITIONS.values())


def _send(cast, **kwargs):
    return actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=kwargs.pop("dispositif", cast.dispositif),
        message="Collectif motivé, idée de café associatif.",
        consent_confirmed=True,
        **kwargs,
    )


def test_full_journey_refused_then_reoriented_then_accepted(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(cast)
    assert first.state == "envoyee"
    assert len(mail.outbox) == 1 and "accueil@incubateur.test" in mail.outbox[0].to
    actions.start_review(acting_user=cast.receiver, orientation=first)
    with django_capture_on_commit_callbacks(execute=True):
        actions.refuse_orientation(
            acting_user=cast.receiver, orientation=first, reason="complet", detail="Promo pleine"
        )
    assert "Promotion complète" in mail.outbox[-1].body  # reason visible to the prescriber
    second = actions.reorient(
        acting_user=cast.prescriber, orientation=first, dispositif=cast.other_dispositif
    )
    assert second.previous == first
    token = magic.issue(second)
    opened = magic.resolve(token)
    actions.start_review(orientation=opened, via_link=True)
    actions.accept_orientation(orientation=opened, via_link=True)
    second.refresh_from_db()
    assert second.state == "acceptee"

    steps = list(
        OrientationTransition.objects.filter(orientation__projet=cast.projet)
        .order_by("id")
        .values_list("from_state", "to_state")
    )
    assert steps == [
        ("", "envoyee"),
        ("envoyee", "en_examen"),
        ("en_examen", "refusee"),
        ("", "envoyee"),
        ("envoyee", "en_examen"),
        ("en_examen", "acceptee"),
    ]
    texts = list(cast.porteur.timeline.values_list("text", flat=True))
    assert any("Orientée vers" in t for t in texts)
    assert any("refusée" in t and "Promotion complète" in t for t in texts)
    assert any("Réorientée vers" in t for t in texts)
    assert any("acceptée" in t for t in texts)
    # The accepting side now follows the porteur (its organisation, if any).
    link_actor = OrientationTransition.objects.filter(to_state="acceptee").get()
    assert link_actor.actor is None and link_actor.actor_label == "lien sécurisé"


def test_only_allowed_actors_act(cast):
    o = _send(cast)
    with pytest.raises(PermissionDenied):
        actions.start_review(acting_user=cast.prescriber, orientation=o)
    with pytest.raises(PermissionDenied):
        actions.accept_orientation(acting_user=cast.outsider, orientation=o)
    with pytest.raises(PermissionDenied):
        actions.cancel_orientation(acting_user=cast.receiver, orientation=o)
    actions.cancel_orientation(acting_user=cast.prescriber, orientation=o, reason="doublon")
    assert Orientation.objects.get(pk=o.pk).state == "annulee"


def test_orientation_needs_consent(cast):
    cast.porteur.consent_at = None
    cast.porteur.save()
    with pytest.raises(ValidationError):
        _send(cast)
    assert not Orientation.objects.exists()


def test_accepting_adds_the_structure_to_the_follow_up_group(cast):
    o = _send(cast)
    actions.accept_orientation(acting_user=cast.receiver, orientation=o)
    assert cast.porteur.follow_ups.filter(organisation=cast.incubator_org, ended_at=None).exists()


def test_magic_link_is_revoked_by_renewal_and_expires(cast, settings):
    o = _send(cast)
    old = magic.issue(o)
    new = actions.renew_link(acting_user=cast.prescriber, orientation=o)
    assert magic.resolve(old) is None
    assert magic.resolve(new) == o
    assert magic.resolve("not-a-token") is None
    settings.ORIENTATION_LINK_DAYS = 0
    assert magic.resolve(new) is None


def test_refusal_needs_a_reason(cast):
    o = _send(cast)
    with pytest.raises(ValidationError):
        actions.refuse_orientation(acting_user=cast.receiver, orientation=o, reason="")


def test_magic_link_path_is_served_by_the_web_layer():
    from django.urls import reverse

    assert reverse("web:orientation-magic", args=["abc"]) == MAGIC_PATH.format(token="abc")


def test_update_projet_logs_changes_and_stage_separately(cast):
    actions.update_projet(
        acting_user=cast.prescriber,
        projet=cast.projet,
        title="Café-épicerie associatif",
        needs=["financement"],
        stage="emergence-faisabilite",
    )
    texts = list(cast.porteur.timeline.values_list("text", flat=True))
    assert any("mis à jour" in t for t in texts)
    assert any("Étape : Idéation, premiers pas → Émergence" in t for t in texts)
    before = cast.porteur.timeline.count()
    actions.update_projet(acting_user=cast.prescriber, projet=cast.projet, needs=["financement"])
    assert cast.porteur.timeline.count() == before  # nothing changed, nothing logged
    with pytest.raises(PermissionDenied):
        actions.update_projet(acting_user=cast.outsider, projet=cast.projet, title="x")
