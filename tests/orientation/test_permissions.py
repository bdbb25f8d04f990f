"""Who sees a porteur's file: a table of roles × actions."""

import pytest

from maillage.orientation import actions
from maillage.orientation.permissions import can_edit_porteur, can_view_porteur
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

# role → (can view the file, can edit it), before any orientation is sent.
EXPECTED = {
    "prescriber": (True, True),  # town hall in the follow-up group
    "receiver": (False, False),  # structure not (yet) in the follow-up group
    "outsider": (False, False),
    "staff": (True, True),
    "anonymous": (False, False),
}


def user_for(cast, role):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return getattr(cast, role)


@pytest.mark.parametrize("role", EXPECTED)
def test_file_access_by_role(cast, role):
    user = user_for(cast, role)
    assert (can_view_porteur(user, cast.porteur), can_edit_porteur(user, cast.porteur)) == (
        EXPECTED[role]
    )


@pytest.mark.parametrize(
    ("role", "after_accept"),
    [("receiver", True), ("outsider", False), ("prescriber", True)],
)
def test_accepting_opens_the_file_to_the_receiving_structure(cast, role, after_accept):
    o = actions.send_orientation(
        acting_user=cast.prescriber,
        projet=cast.projet,
        dispositif=cast.dispositif,
        consent_confirmed=True,
    )
    actions.accept_orientation(acting_user=cast.receiver, orientation=o)
    assert can_view_porteur(user_for(cast, role), cast.porteur) is after_accept


def test_prescriber_of_an_open_orientation_sees_the_file_while_it_is_open(cast):
    # A prescriber outside the follow-up group (e.g. the follow-up ended).
    lone = UserFactory(email="seule@cias.test")
    from tests.factories.accounts import MembershipFactory, OrganisationFactory

    org = OrganisationFactory(name="CIAS")
    MembershipFactory(user=lone, organisation=org)
    follow_up = actions.add_follow_up(
        acting_user=cast.prescriber, porteur=cast.porteur, organisation=org
    )
    o = actions.send_orientation(
        acting_user=lone, projet=cast.projet, dispositif=cast.dispositif, consent_confirmed=True
    )
    actions.end_follow_up(acting_user=cast.prescriber, follow_up=follow_up)
    assert can_view_porteur(lone, cast.porteur)  # open orientation
    actions.cancel_orientation(acting_user=lone, orientation=o)
    assert not can_view_porteur(lone, cast.porteur)  # closed: no more access


def test_a_second_user_without_rights_cannot_see_the_porteur(cast, client):
    client.force_login(cast.outsider)
    assert not can_view_porteur(cast.outsider, cast.porteur)
