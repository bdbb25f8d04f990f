"""Writes of the orientation app: porteurs, projects, orientations, pathway.

Every action is atomic, logs what it did (transition log and timeline),
touches the porteur's last activity (which drives retention), and sends its
e-mails only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import Organisation
from maillage.offer.models import Dispositif
from maillage.offer.vocabulary import Stage
from maillage.territory.models import Commune

from . import magic, notifications
from .models import FollowUp, Orientation, OrientationTransition, Porteur, Projet, TimelineEvent
from .permissions import can_edit_porteur, roles_for
from .vocabulary import (
    EventKind,
    ExitOutcome,
    Need,
    OrientationState,
    PorteurKind,
    Profile,
    RefusalReason,
)
from .workflow import allowed

S = OrientationState


def _event(porteur: Porteur, kind: str, text: str, *, actor=None, **links) -> TimelineEvent:
    now = timezone.now()
    Porteur.objects.filter(pk=porteur.pk).update(last_activity_at=now, retention_notice_at=None)
    return TimelineEvent.objects.create(
        porteur=porteur, kind=kind, text=text[:300], actor=actor, happened_at=now, **links
    )


def _require_file_access(acting_user, porteur: Porteur) -> None:
    if acting_user is not None and not can_edit_porteur(acting_user, porteur):
        raise PermissionDenied(_("Vous ne suivez pas ce porteur de projet."))


def _check(values: Iterable[str], choices, what: str) -> None:
    unknown = sorted(set(values) - set(choices.values))
    if unknown:
        raise ValidationError(
            _("%(what)s inconnu : %(v)s") % {"what": what, "v": ", ".join(unknown)}
        )


@transaction.atomic
def create_porteur(
    *,
    acting_user,
    organisation: Organisation,
    name: str,
    commune: Commune,
    kind: str = PorteurKind.PERSON,
    consent: bool = False,
    members: Iterable[str] = (),
    **fields,
) -> Porteur:
    """Open a porteur's file; the acting user's organisation follows them."""
    if (
        acting_user is not None
        and not acting_user.memberships.filter(organisation=organisation).exists()
    ):
        raise PermissionDenied(_("Vous n'êtes pas membre de cette organisation."))
    _check(fields.get("profiles", []), Profile, _("Profil"))
    now = timezone.now()
    porteur = Porteur(
        name=name,
        commune=commune,
        kind=kind,
        created_by=acting_user,
        consent_at=now if consent else None,
        **fields,
    )
    porteur.full_clean()
    porteur.save()
    for member in members:
        if member.strip():
            porteur.members.create(name=member.strip())
    FollowUp.objects.create(
        porteur=porteur, organisation=organisation, user=acting_user, is_referent=True
    )
    _event(
        porteur,
        EventKind.CREATED,
        _("Ouverture du dossier par %(org)s") % {"org": organisation},
        actor=acting_user,
    )
    if consent:
        _event(
            porteur,
            EventKind.CONSENT,
            _("Consentement au partage pour l'orientation"),
            actor=acting_user,
        )
    return porteur


@transaction.atomic
def record_consent(*, acting_user, porteur: Porteur, given: bool) -> Porteur:
    _require_file_access(acting_user, porteur)
    now = timezone.now()
    if given:
        porteur.consent_at, porteur.consent_withdrawn_at = now, None
        text = _("Consentement au partage pour l'orientation")
    else:
        porteur.consent_withdrawn_at = now
        text = _("Retrait du consentement au partage")
    porteur.save(update_fields=["consent_at", "consent_withdrawn_at"])
    _event(porteur, EventKind.CONSENT, text, actor=acting_user)
    return porteur


@transaction.atomic
def create_projet(
    *,
    acting_user,
    porteur: Porteur,
    title: str,
    stage: str,
    commune: Commune | None = None,
    communes: Iterable[Commune] = (),
    needs: Iterable[str] = (),
    **fields,
) -> Projet:
    """`commune`: main place of activity (else the porteur's commune is used
    for orientation); `communes`: other places of activity."""
    _require_file_access(acting_user, porteur)
    _check([stage], Stage, _("Étape"))
    needs = list(needs)
    _check(needs, Need, _("Besoin"))
    projet = Projet(
        porteur=porteur, title=title, stage=stage, needs=needs, commune=commune, **fields
    )
    projet.full_clean()
    projet.save()
    projet.communes.set(communes)
    _event(
        porteur,
        EventKind.STAGE,
        _("Projet « %(title)s » à l'étape %(stage)s")
        % {"title": title, "stage": Stage(stage).label},
        actor=acting_user,
        projet=projet,
    )
    return projet


PROJET_FIELDS = {"title", "description", "sector", "needs", "is_collective", "commune"}


@transaction.atomic
def update_projet(
    *, acting_user, projet: Projet, communes: Iterable[Commune] | None = None, **fields
) -> Projet:
    """Edit a project's description; a stage change goes through
    `change_stage` so that it has its own timeline entry."""
    _require_file_access(acting_user, projet.porteur)
    stage = fields.pop("stage", projet.stage)
    unknown = set(fields) - PROJET_FIELDS
    if unknown:
        raise ValueError(f"unknown projet fields: {sorted(unknown)}")
    if "needs" in fields:
        fields["needs"] = list(fields["needs"])
        _check(fields["needs"], Need, _("Besoin"))
    changed = [k for k, v in fields.items() if getattr(projet, k) != v]
    for key in changed:
        setattr(projet, key, fields[key])
    if communes is not None and set(projet.communes.all()) != set(communes):
        projet.communes.set(communes)
        changed.append("communes")
    if changed:
        projet.updated_at = timezone.now()
        projet.full_clean()
        projet.save()
        _event(
            projet.porteur,
            EventKind.NOTE,
            _("Projet « %(title)s » mis à jour") % {"title": projet.title},
            actor=acting_user,
            projet=projet,
        )
    if stage != projet.stage:
        change_stage(acting_user=acting_user, projet=projet, stage=stage)
    return projet


@transaction.atomic
def change_stage(*, acting_user, projet: Projet, stage: str) -> Projet:
    _require_file_access(acting_user, projet.porteur)
    _check([stage], Stage, _("Étape"))
    previous = projet.stage
    projet.stage, projet.updated_at = stage, timezone.now()
    projet.save(update_fields=["stage", "updated_at"])
    _event(
        projet.porteur,
        EventKind.STAGE,
        _("Étape : %(old)s → %(new)s") % {"old": Stage(previous).label, "new": Stage(stage).label},
        actor=acting_user,
        projet=projet,
    )
    return projet


@transaction.atomic
def add_follow_up(
    *, acting_user, porteur: Porteur, organisation: Organisation, user=None, referent=False
) -> FollowUp:
    _require_file_access(acting_user, porteur)
    follow_up, _created = FollowUp.objects.get_or_create(
        porteur=porteur,
        organisation=organisation,
        ended_at__isnull=True,
        defaults={"user": user, "is_referent": referent},
    )
    _event(
        porteur,
        EventKind.FOLLOW_UP,
        _("%(org)s rejoint le suivi") % {"org": organisation},
        actor=acting_user,
    )
    return follow_up


@transaction.atomic
def end_follow_up(*, acting_user, follow_up: FollowUp) -> FollowUp:
    _require_file_access(acting_user, follow_up.porteur)
    follow_up.ended_at = timezone.now()
    follow_up.save(update_fields=["ended_at"])
    _event(
        follow_up.porteur,
        EventKind.FOLLOW_UP,
        _("%(org)s quitte le suivi") % {"org": follow_up.organisation},
        actor=acting_user,
    )
    return follow_up


def _transition(
    orientation: Orientation,
    to_state: str,
    *,
    acting_user=None,
    via_link=False,
    system=False,
    reason="",
) -> None:
    roles = set()
    if system:
        roles.add("system")
    if via_link:
        roles.add("receiver")
    if acting_user is not None:
        roles |= roles_for(acting_user, orientation)
    if not allowed(orientation.state, to_state, roles):
        raise PermissionDenied(
            _("Action impossible sur cette orientation (%(state)s).")
            % {"state": orientation.get_state_display()}
        )
    OrientationTransition.objects.create(
        orientation=orientation,
        from_state=orientation.state,
        to_state=to_state,
        actor=acting_user,
        actor_label=_("lien sécurisé") if via_link else (_("système") if system else ""),
        reason=reason,
    )
    orientation.state = to_state
    if to_state in (S.ACCEPTED, S.REFUSED):
        orientation.answered_at = timezone.now()
    orientation.save()


@transaction.atomic
def send_orientation(
    *,
    acting_user,
    projet: Projet,
    dispositif: Dispositif,
    message: str = "",
    consent_confirmed: bool,
    prescriber_organisation: Organisation | None = None,
    previous: Orientation | None = None,
) -> Orientation:
    porteur = projet.porteur
    _require_file_access(acting_user, porteur)
    if not (consent_confirmed and porteur.has_consent):
        raise ValidationError(
            _("Le porteur doit avoir consenti au partage de son dossier avant toute orientation.")
        )
    if Orientation.objects.open().filter(projet=projet, dispositif=dispositif).exists():
        raise ValidationError(_("Une orientation vers ce dispositif est déjà en cours."))
    if prescriber_organisation is None and acting_user is not None:
        membership = acting_user.memberships.select_related("organisation").first()
        prescriber_organisation = membership.organisation if membership else None
    orientation = Orientation.objects.create(
        projet=projet,
        dispositif=dispositif,
        prescriber=acting_user,
        prescriber_organisation=prescriber_organisation,
        message=message,
        consent_confirmed=True,
        previous=previous,
    )
    OrientationTransition.objects.create(
        orientation=orientation, to_state=S.SENT, actor=acting_user, reason=message[:500]
    )
    text = (
        _("Réorientée vers « %(d)s » (%(s)s)") if previous else _("Orientée vers « %(d)s » (%(s)s)")
    )
    _event(
        porteur,
        EventKind.ORIENTATION,
        text % {"d": dispositif.name, "s": dispositif.structure.name},
        actor=acting_user,
        projet=projet,
        structure=dispositif.structure,
        dispositif=dispositif,
        orientation=orientation,
    )
    notifications.orientation_sent(orientation, magic.issue(orientation))
    return orientation


def _answer_event(orientation: Orientation, acting_user, text: str) -> None:
    _event(
        orientation.projet.porteur,
        EventKind.ORIENTATION,
        text % {"d": orientation.dispositif.name, "s": orientation.dispositif.structure.name},
        actor=acting_user,
        projet=orientation.projet,
        structure=orientation.dispositif.structure,
        dispositif=orientation.dispositif,
        orientation=orientation,
    )


@transaction.atomic
def start_review(*, acting_user=None, orientation: Orientation, via_link=False) -> Orientation:
    _transition(orientation, S.REVIEW, acting_user=acting_user, via_link=via_link)
    _answer_event(orientation, acting_user, _("« %(d)s » examine l'orientation (%(s)s)"))
    return orientation


@transaction.atomic
def accept_orientation(
    *, acting_user=None, orientation: Orientation, via_link=False
) -> Orientation:
    if orientation.state == S.SENT:
        start_review(acting_user=acting_user, orientation=orientation, via_link=via_link)
    _transition(orientation, S.ACCEPTED, acting_user=acting_user, via_link=via_link)
    _answer_event(orientation, acting_user, _("Orientation acceptée par « %(d)s » (%(s)s)"))
    organisation = orientation.dispositif.structure.organisation
    if organisation is not None:
        FollowUp.objects.get_or_create(
            porteur=orientation.projet.porteur,
            organisation=organisation,
            ended_at__isnull=True,
            defaults={"user": acting_user},
        )
    notifications.answered(orientation)
    return orientation


@transaction.atomic
def refuse_orientation(
    *, acting_user=None, orientation: Orientation, reason: str, detail: str = "", via_link=False
) -> Orientation:
    if reason not in RefusalReason.values:
        raise ValidationError(_("Choisissez un motif de refus."))
    if orientation.state == S.SENT:
        start_review(acting_user=acting_user, orientation=orientation, via_link=via_link)
    orientation.refusal_reason, orientation.refusal_detail = reason, detail
    _transition(
        orientation,
        S.REFUSED,
        acting_user=acting_user,
        via_link=via_link,
        reason=f"{reason}: {detail}",
    )
    _answer_event(
        orientation,
        acting_user,
        _("Orientation refusée par « %(d)s » (%(s)s) : ") + str(RefusalReason(reason).label),
    )
    notifications.answered(orientation)
    return orientation


@transaction.atomic
def cancel_orientation(*, acting_user, orientation: Orientation, reason: str = "") -> Orientation:
    _transition(orientation, S.CANCELLED, acting_user=acting_user, reason=reason)
    _answer_event(orientation, acting_user, _("Orientation vers « %(d)s » annulée (%(s)s)"))
    return orientation


@transaction.atomic
def expire_orientation(*, orientation: Orientation, alternatives: list[str]) -> Orientation:
    _transition(orientation, S.EXPIRED, system=True, reason=_("sans réponse"))
    _answer_event(orientation, None, _("Orientation vers « %(d)s » expirée sans réponse (%(s)s)"))
    notifications.expired(orientation, alternatives)
    return orientation


@transaction.atomic
def reorient(
    *, acting_user, orientation: Orientation, dispositif: Dispositif, message: str = ""
) -> Orientation:
    """One click after a refusal or an expiry: same project, another dispositif,
    history kept through `previous`."""
    if orientation.state not in (S.REFUSED, S.EXPIRED):
        raise ValidationError(_("Seule une orientation refusée ou expirée peut être réorientée."))
    if dispositif.pk == orientation.dispositif_id:
        raise ValidationError(_("Choisissez un autre dispositif."))
    return send_orientation(
        acting_user=acting_user,
        projet=orientation.projet,
        dispositif=dispositif,
        message=message or orientation.message,
        consent_confirmed=orientation.consent_confirmed,
        prescriber_organisation=orientation.prescriber_organisation,
        previous=orientation,
    )


@transaction.atomic
def renew_link(*, acting_user, orientation: Orientation) -> str:
    """A new magic link (the previous ones stop working), sent again."""
    if not orientation.is_open:
        raise ValidationError(_("Cette orientation n'attend plus de réponse."))
    if acting_user is not None and not roles_for(acting_user, orientation):
        raise PermissionDenied(_("Vous ne pouvez pas renouveler ce lien."))
    token = magic.issue(orientation)
    notifications.orientation_sent(orientation, token)
    return token


@transaction.atomic
def record_enrolment(*, acting_user, projet: Projet, dispositif: Dispositif) -> TimelineEvent:
    _require_file_access(acting_user, projet.porteur)
    return _event(
        projet.porteur,
        EventKind.ENROLMENT,
        _("Entrée dans « %(d)s » (%(s)s)") % {"d": dispositif.name, "s": dispositif.structure.name},
        actor=acting_user,
        projet=projet,
        structure=dispositif.structure,
        dispositif=dispositif,
    )


@transaction.atomic
def record_exit(
    *,
    acting_user,
    projet: Projet,
    outcome: str,
    dispositif: Dispositif | None = None,
    next_dispositif: Dispositif | None = None,
    note: str = "",
) -> TimelineEvent:
    _require_file_access(acting_user, projet.porteur)
    _check([outcome], ExitOutcome, _("Issue"))
    text = _("Sortie : %(outcome)s") % {"outcome": ExitOutcome(outcome).label}
    if dispositif:
        text += _(" de « %(d)s »") % {"d": dispositif.name}
    if next_dispositif:
        text += _(", poursuite vers « %(d)s »") % {"d": next_dispositif.name}
    if note:
        text += f" — {note}"
    return _event(
        projet.porteur,
        EventKind.EXIT,
        text,
        actor=acting_user,
        projet=projet,
        structure=dispositif.structure if dispositif else None,
        dispositif=next_dispositif or dispositif,
        outcome=outcome,
    )
