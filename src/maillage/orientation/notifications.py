"""French e-mails of the orientation workflow, sent after the transaction
commits (a rolled-back action sends nothing)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Orientation


def _later(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def structure_recipients(orientation: Orientation) -> list[str]:
    structure = orientation.dispositif.structure
    emails = [structure.email, *structure.contacts.values_list("email", flat=True)]
    if structure.organisation_id:
        emails += list(
            structure.organisation.memberships.filter(user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    return emails


# The web layer serves this path (web:orientation-magic); domain code does not
# import the web layer, so the path is shared as a constant (tested).
MAGIC_PATH = "/orientations/lien/{token}/"


def magic_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + MAGIC_PATH.format(token=token)


def orientation_sent(orientation: Orientation, token: str) -> None:
    projet = orientation.projet
    body = _(
        "Bonjour,\n\n%(prescriber)s vous oriente le projet « %(projet)s » pour le dispositif "
        "« %(dispositif)s ».\n\nMessage : %(message)s\n\nPour prendre connaissance du projet et "
        "répondre, même sans compte : %(link)s\n(lien valable %(days)d jours)\n\n— Maillage"
    ) % {
        "prescriber": orientation.prescriber_organisation or _("Un prescripteur"),
        "projet": projet.title,
        "dispositif": orientation.dispositif.name,
        "message": orientation.message or "—",
        "link": magic_url(token),
        "days": settings.ORIENTATION_LINK_DAYS,
    }
    _later(
        _("Nouvelle orientation : %(projet)s") % {"projet": projet.title},
        body,
        structure_recipients(orientation),
    )


def reminder(orientation: Orientation, token: str) -> None:
    body = _(
        "Bonjour,\n\nL'orientation du projet « %(projet)s » vers « %(dispositif)s » attend votre "
        "réponse depuis %(days)d jours. Sans réponse, elle expirera et le prescripteur en sera "
        "informé.\n\nRépondre : %(link)s\n\n— Maillage"
    ) % {
        "projet": orientation.projet.title,
        "dispositif": orientation.dispositif.name,
        "days": settings.ORIENTATION_REMINDER_DAYS,
        "link": magic_url(token),
    }
    _later(
        _("Relance : orientation en attente de réponse"), body, structure_recipients(orientation)
    )


def answered(orientation: Orientation) -> None:
    """Tell the prescriber the structure's answer (with the refusal reason)."""
    if orientation.prescriber is None:
        return
    if orientation.state == "acceptee":
        text = _("L'orientation de « %(projet)s » vers « %(dispositif)s » a été acceptée.")
    else:
        text = _(
            "L'orientation de « %(projet)s » vers « %(dispositif)s » a été refusée.\n"
            "Motif : %(reason)s. %(detail)s\n\nVous pouvez réorienter le projet en un clic "
            "depuis son dossier."
        )
    body = text % {
        "projet": orientation.projet.title,
        "dispositif": orientation.dispositif.name,
        "reason": orientation.get_refusal_reason_display(),
        "detail": orientation.refusal_detail,
    }
    _later(_("Réponse à votre orientation"), body, [orientation.prescriber.email])


def expired(orientation: Orientation, alternatives: list[str]) -> None:
    if orientation.prescriber is None:
        return
    lines = "\n".join(f"- {a}" for a in alternatives) or _("(aucune autre piste trouvée)")
    body = _(
        "Bonjour,\n\nL'orientation de « %(projet)s » vers « %(dispositif)s » a expiré sans "
        "réponse de la structure.\n\nAutres pistes possibles :\n%(alternatives)s\n\n— Maillage"
    ) % {
        "projet": orientation.projet.title,
        "dispositif": orientation.dispositif.name,
        "alternatives": lines,
    }
    _later(_("Orientation expirée sans réponse"), body, [orientation.prescriber.email])


def retention_notice(porteur, recipients: list[str], grace_days: int) -> None:
    body = _(
        "Bonjour,\n\nLe dossier de « %(name)s » n'a connu aucune activité depuis 24 mois. Sans "
        "nouvelle activité d'ici %(days)d jours, il sera anonymisé (seules des statistiques "
        "anonymes seront conservées).\n\n— Maillage"
    ) % {"name": porteur.name, "days": grace_days}
    _later(_("Dossier inactif : anonymisation prochaine"), body, recipients)
