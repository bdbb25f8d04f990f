"""Forms of the orientation workflow: send, refuse, cancel.

The workflow itself (who may do what, in which state) is the domain's
(`maillage.orientation.workflow`); these forms only collect what an action
needs.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Organisation
from maillage.orientation.vocabulary import RefusalReason

from .porteur_forms import BaseForm


class SendOrientationForm(BaseForm):
    message = forms.CharField(
        label=_("Message à la structure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ce que la structure doit savoir pour recontacter le porteur. "
            "Aucune donnée sensible (santé, opinions, origine…)."
        ),
    )
    prescriber_organisation = forms.ModelChoiceField(
        label=_("Vous orientez au nom de"),
        queryset=Organisation.objects.none(),
        empty_label=None,
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "Je confirme que le porteur a donné son accord pour que son dossier soit "
            "transmis à cette structure, pour cette orientation."
        ),
        error_messages={"required": _("Confirmez l'accord du porteur pour l'orienter.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prescriber_organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["prescriber_organisation"].initial = organisations.first()
            self.fields["prescriber_organisation"].widget = forms.HiddenInput()
        self.finish()


class RefusalForm(BaseForm):
    reason = forms.ChoiceField(
        label=_("Motif du refus"),
        choices=[("", _("— Choisir un motif —")), *RefusalReason.choices],
        error_messages={"required": _("Choisissez un motif de refus.")},
        help_text=_("Le prescripteur le voit, pour proposer une autre piste au porteur."),
    )
    detail = forms.CharField(
        label=_("Précisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoires pour « Autre motif »."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("reason") == RefusalReason.OTHER and not cleaned.get("detail", "").strip():
            self.add_error("detail", _("Précisez le motif du refus."))
        return cleaned


class CancelForm(BaseForm):
    reason = forms.CharField(
        label=_("Pourquoi annuler ? (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish()
