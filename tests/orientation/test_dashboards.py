import datetime as dt

import pytest
import time_machine

from maillage.orientation import actions, selectors

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def send(cast, dispositif):
    return actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=dispositif,
        consent_confirmed=True,
    )


def test_counts_and_median_answer_time(cast):
    with time_machine.travel(T0, tick=False):
        a = send(cast, cast.dispositif)
        b = send(cast, cast.other_dispositif)
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        actions.accept_orientation(acting_user=cast.receiver, orientation=a)
    with time_machine.travel(T0 + dt.timedelta(days=12), tick=False):
        sent = selectors.sent_by(cast.prescriber)
        received = selectors.received_by(cast.receiver)
    assert (sent.total, sent.pending, sent.accepted) == (2, 1, 1)
    assert sent.median_answer_days == 2.0
    assert [o.pk for o in sent.overdue] == [b.pk]  # pending beyond the reminder delay
    assert (received.total, received.accepted, received.pending) == (1, 1, 0)


def test_inactive_porteurs_and_exits_without_next_step(cast):
    with time_machine.travel(T0, tick=False):
        actions.record_exit(acting_user=cast.prescriber, projet=cast.projet, outcome="abandon")
    with time_machine.travel(T0 + dt.timedelta(days=91), tick=False):
        assert list(selectors.inactive_porteurs(cast.prescriber)) == [cast.porteur]
        assert [e.porteur for e in selectors.exits_without_next_step(cast.prescriber)] == [
            cast.porteur
        ]
        send(cast, cast.dispositif)  # a next step is found
        assert not selectors.exits_without_next_step(cast.prescriber).exists()
        assert not selectors.inactive_porteurs(cast.prescriber).exists()
    assert not selectors.followed_porteurs(cast.outsider).exists()
