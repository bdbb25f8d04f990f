import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from maillage.orientation import actions, rgpd
from maillage.orientation.models import AnonymisedStat, Porteur

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2024, 1, 10, 9, 0, tzinfo=dt.UTC)


def test_export_holds_what_we_know(cast):
    cast.porteur.email = "camille@example.org"
    cast.porteur.save()
    data = rgpd.export_porteur(cast.porteur)
    json.dumps(data)  # JSON-ready
    assert data["porteur"]["email"] == "camille@example.org"
    assert data["projets"][0]["titre"] == "Café associatif"
    assert data["suivi"][0]["organisation"] == "Mairie de Guéret"


def test_erasure_anonymises_and_keeps_statistics(cast):
    actions.record_exit(acting_user=cast.prescriber, projet=cast.projet, outcome="abandon")
    rgpd.request_erasure(acting_user=cast.prescriber, porteur=cast.porteur)
    p = Porteur.objects.get(pk=cast.porteur.pk)
    assert p.anonymised_at is not None
    assert p.name == "Porteur anonymisé" and p.email == "" and p.commune is None
    assert not p.timeline.exists()
    stat = AnonymisedStat.objects.get(kind="projet")
    assert (stat.departement, stat.stage, stat.outcome) == (
        "23",
        "ideation-premiers-pas",
        "abandon",
    )


def test_erasure_needs_access(cast):
    with pytest.raises(PermissionDenied):
        rgpd.request_erasure(acting_user=cast.outsider, porteur=cast.porteur)


def retention(*args):
    out = StringIO()
    call_command("orientation", "retention", *args, stdout=out)
    return out.getvalue()


def test_retention_notice_then_anonymisation(db):
    from tests.factories.orientation import PorteurFactory

    with time_machine.travel(T0, tick=False):
        porteur = PorteurFactory()
    later = T0 + dt.timedelta(days=731)
    with time_machine.travel(later, tick=False):
        assert "Avis avant anonymisation : 1" in retention()  # dry run
        assert Porteur.objects.get().retention_notice_at is None
        retention("--wet-run")
        assert Porteur.objects.get().retention_notice_at is not None
    with time_machine.travel(later + dt.timedelta(days=29), tick=False):
        assert "Anonymisations : 0" in retention("--wet-run")
    with time_machine.travel(later + dt.timedelta(days=31), tick=False):
        assert "Anonymisations : 1" in retention("--wet-run")
    assert Porteur.objects.get(pk=porteur.pk).anonymised_at is not None


def test_activity_after_the_notice_cancels_anonymisation(cast):
    with time_machine.travel(T0, tick=False):
        Porteur.objects.filter(pk=cast.porteur.pk).update(last_activity_at=T0)
    later = T0 + dt.timedelta(days=731)
    with time_machine.travel(later, tick=False):
        retention("--wet-run")
        actions.change_stage(
            acting_user=cast.prescriber, projet=cast.projet, stage="emergence-faisabilite"
        )
    with time_machine.travel(later + dt.timedelta(days=31), tick=False):
        assert "Anonymisations : 0" in retention("--wet-run")
