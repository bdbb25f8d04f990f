"""The public offer search form: GET parameters, so every state is a URL."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.offer.vocabulary import Audience, Format, Sector, Stage

from .offer_communes import Resolution, resolve_commune

MAX_MINUTES_CHOICES = [15, 30, 45, 60, 90]
# Filters a person can drop to widen an empty search, in the order offered.
FILTERS = ["stage", "max_minutes", "audience", "sector", "format"]


class SearchInput(forms.TextInput):
    input_type = "search"


def _optional(choices: type, everything: str) -> list[tuple[str, str]]:
    return [("", everything), *choices.choices]


class OfferSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Votre commune"),
        required=False,
        max_length=120,
        help_text=_("Nom, code postal ou code INSEE — par exemple « Guéret » ou « 23000 »."),
        widget=SearchInput(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "id_q-listbox",
            }
        ),
    )
    # Filled by the autocomplete; without JavaScript the server reads `q`.
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    stage = forms.ChoiceField(
        label=_("Étape du projet"),
        required=False,
        choices=_optional(Stage, _("Toutes les étapes")),
    )
    audience = forms.ChoiceField(
        label=_("Public"), required=False, choices=_optional(Audience, _("Tous les publics"))
    )
    sector = forms.ChoiceField(
        label=_("Secteur d'activité"),
        required=False,
        choices=_optional(Sector, _("Tous les secteurs")),
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=_optional(Format, _("Tous les formats"))
    )
    max_minutes = forms.TypedChoiceField(
        label=_("Temps de trajet maximum"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Sans limite"))]
        + [(m, _("%(minutes)d min en voiture") % {"minutes": m}) for m in MAX_MINUTES_CHOICES],
        help_text=_("Les dispositifs qui se suivent à distance restent affichés."),
    )

    resolution: Resolution

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        self.resolution = resolve_commune(cleaned.get("commune", ""), cleaned.get("q", ""))
        commune = self.resolution.commune
        if commune is not None:
            # Show the commune that was understood, and keep its code in the URL.
            self.data = self.data.copy()
            self.data["q"] = commune.label
            self.data["commune"] = commune.insee
        elif self.resolution.candidates:
            pass  # the page lists them; not an error
        elif cleaned.get("q"):
            self.add_error(
                "q",
                _("Aucune commune ne correspond à « %(text)s ». Vérifiez l'orthographe.")
                % {"text": cleaned["q"]},
            )
        else:
            self.add_error("q", _("Indiquez votre commune."))
        return cleaned

    def filters(self) -> dict[str, object]:
        """The valid filters, named as OfferQuery's fields."""
        return {name: self.cleaned_data.get(name) or None for name in FILTERS}

    def active_filters(self) -> list[tuple[str, str]]:
        """(name, readable description) of each filter in use."""
        out = []
        for name in FILTERS:
            value = self.cleaned_data.get(name)
            if value:
                label = dict(self.fields[name].choices).get(value, value)
                out.append((name, f"{self.fields[name].label} : {label}"))
        return out
