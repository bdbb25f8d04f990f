"""Reminders at J+10, expiry at J+30: idempotent, frozen time."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.orientation import actions
from maillage.orientation.models import Orientation

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def chores(*args):
    out = StringIO()
    call_command("orientation", "chores", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sent(cast):
    with time_machine.travel(T0, tick=False):
        return actions.send_orientation(
            acting_user=cast.prescriber,
            projet=cast.projet,
            dispositif=cast.dispositif,
            consent_confirmed=True,
        )


def test_nothing_to_do_before_ten_days(sent):
    with time_machine.travel(T0 + dt.timedelta(days=9), tick=False):
        assert "Relances : 0" in chores("--wet-run")


def test_reminder_sent_once_at_j10(sent, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with time_machine.travel(T0 + dt.timedelta(days=10, hours=1), tick=False):
        dry = chores()
        assert "Relances : 1" in dry and "simulation" in dry
        assert Orientation.objects.get().reminded_at is None  # dry run changed nothing
        with django_capture_on_commit_callbacks(execute=True):
            chores("--wet-run")
        assert len(mail.outbox) == 1
        assert "Relance" in mail.outbox[0].subject
        assert "accueil@incubateur.test" in mail.outbox[0].to
        with django_capture_on_commit_callbacks(execute=True):
            assert "Relances : 0" in chores("--wet-run")  # second run: nothing more
        assert len(mail.outbox) == 1


def test_expiry_at_j30_tells_the_prescriber_with_alternatives(
    sent, cast, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with time_machine.travel(T0 + dt.timedelta(days=30, hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            out = chores("--wet-run")
        assert "Expirations : 1" in out
        o = Orientation.objects.get()
        assert o.state == "expiree"
        [message] = mail.outbox
        assert message.to == ["prescriptrice@mairie.test"]
        assert cast.other_dispositif.name in message.body  # an alternative is suggested
        assert o.transitions.last().actor_label == "système"
        with django_capture_on_commit_callbacks(execute=True):
            assert "Expirations : 0" in chores("--wet-run")
        assert len(mail.outbox) == 1


def test_answered_orientations_are_left_alone(sent, cast):
    actions.accept_orientation(acting_user=cast.receiver, orientation=sent)
    with time_machine.travel(T0 + dt.timedelta(days=40), tick=False):
        out = chores("--wet-run")
    assert "Relances : 0" in out and "Expirations : 0" in out
    assert Orientation.objects.get().state == "acceptee"
    assert timezone.now()  # real time restored
