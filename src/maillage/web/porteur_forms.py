"""Forms of a porteur's file: identity, consent, follow-up group, erasure,
and their projects (stage, enrolment, exit).

Plain forms: they check and shape the input; the views hand it to
`maillage.orientation.actions`, which decides and logs.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Organisation
from maillage.offer.models import Dispositif
from maillage.offer.vocabulary import Sector, Stage
from maillage.orientation.vocabulary import ExitOutcome, Need, PorteurKind, Profile

from .offer_communes import resolve_commune
from .offer_forms import COMBOBOX_ATTRS, mark_required

# What the porteur agrees to, word for word: shown on the form and the file.
CONSENT_TEXT = _(
    "Le porteur de projet accepte que son dossier (nom, commune, coordonnées, projet et "
    "besoins) soit partagé avec les structures d'accompagnement vers lesquelles il est "
    "orienté, uniquement pour cette orientation."
)
CONSENT_HELP = _(
    "L'accord est enregistré avec sa date. Le porteur peut le retirer à tout moment : "
    "aucune orientation n'est alors possible."
)
SENSITIVE_WARNING = _(
    "N'inscrivez aucune donnée sensible (santé, opinions, origine, religion, situation "
    "judiciaire ou financière détaillée…) : seulement ce qui sert l'orientation."
)
TRAVEL_CHOICES = [("", _("Pas de limite indiquée"))] + [
    (m, _("%(m)d min") % {"m": m}) for m in (15, 20, 30, 45, 60, 90)
]


class BaseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def finish(self) -> None:
        for name, field in self.fields.items():
            if field.widget.attrs.get("role") == "combobox":
                field.widget.attrs["aria-controls"] = f"{self[name].auto_id}-listbox"
        mark_required(self)


def _checkboxes(choices: type, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices.choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def commune_input(label: str, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=120,
        required=required,
        help_text=help_text
        or _("Nom, code postal ou code INSEE ; choisissez dans la liste proposée."),
        widget=forms.TextInput(attrs=dict(COMBOBOX_ATTRS)),
    )


def resolve_into(form: forms.Form, cleaned: dict, text_field: str, code_field: str) -> None:
    """Replace the hidden INSEE code by the commune meant (same rules as the
    offer pages), or attach the reason it could not be found."""
    text = cleaned.get(text_field, "")
    if not text:
        cleaned[code_field] = None
        return
    resolution = resolve_commune(cleaned.get(code_field) or "", text)
    cleaned[code_field] = resolution.commune
    if resolution.commune is not None:
        return
    if resolution.candidates:
        names = ", ".join(
            f"{h.name} ({h.departement}, {h.insee})" for h in resolution.candidates[:8]
        )
        form.add_error(
            text_field,
            _(
                "Plusieurs communes correspondent : %(names)s. "
                "Précisez, par exemple avec le code INSEE."
            )
            % {"names": names},
        )
    else:
        form.add_error(text_field, _("Aucune commune ne correspond à cette saisie."))


def dispositif_field(label: str, queryset, required: bool = True, help_text: str = ""):
    field = forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        help_text=help_text,
        empty_label=_("— Choisir un dispositif —") if required else _("— Aucun —"),
    )
    field.label_from_instance = lambda d: f"{d.name} — {d.structure.name}"
    return field


# --- Porteur ---------------------------------------------------------------------


class PorteurForm(BaseForm):
    kind = forms.ChoiceField(
        label=_("Le dossier concerne"),
        choices=PorteurKind.choices,
        initial=PorteurKind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Nom ou prénom d'usage"),
        max_length=150,
        help_text=_("Pour un collectif, son nom (par exemple « Collectif du café de Felletin »)."),
    )
    members = forms.CharField(
        label=_("Membres du collectif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un nom par ligne (collectif seulement)."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    commune_q = commune_input(_("Commune de résidence"))
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    profiles = _checkboxes(Profile, _("Profil"), _("Cochez ce qui correspond, s'il y a lieu."))
    has_car = forms.BooleanField(label=_("Dispose d'une voiture"), required=False, initial=True)
    max_travel_minutes = forms.TypedChoiceField(
        label=_("Temps de trajet maximum accepté"),
        choices=TRAVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    evenings_only = forms.BooleanField(label=_("Disponible en soirée seulement"), required=False)
    needs_childcare = forms.BooleanField(label=_("Besoin de garde d'enfants"), required=False)
    limited_internet = forms.BooleanField(label=_("Accès à internet limité"), required=False)
    # The warning is shown above the field, in a notice the textarea points to.
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "avertissement-notes"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation qui ouvre le dossier"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Elle rejoint le groupe de suivi ; vous en êtes le ou la référent·e."),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False, help_text=CONSENT_HELP)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.finish()

    def clean_members(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["members"].splitlines() if line.strip()]

    def clean(self) -> dict:
        cleaned = super().clean()
        resolve_into(self, cleaned, "commune_q", "commune")
        if cleaned.get("members") and cleaned.get("kind") != PorteurKind.COLLECTIVE:
            self.add_error(
                "members", _("Seul un collectif a des membres : choisissez « Collectif ».")
            )
        return cleaned

    def create_kwargs(self) -> dict[str, object]:
        """Keyword arguments for `actions.create_porteur`."""
        data = dict(self.cleaned_data)
        data.pop("commune_q")
        return data


class ConsentForm(BaseForm):
    given = forms.BooleanField(label=CONSENT_TEXT, help_text=CONSENT_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given"].error_messages["required"] = _(
            "Cochez la case pour confirmer l'accord du porteur."
        )
        self.finish()


class FollowUpForm(BaseForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation à ajouter au groupe de suivi"),
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("— Choisir une organisation —"),
        help_text=_("Ses membres pourront consulter et compléter le dossier."),
    )
    referent = forms.BooleanField(label=_("Devient l'organisation référente"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish()


class ErasureForm(BaseForm):
    confirm = forms.BooleanField(
        label=_("Je confirme que le porteur demande l'effacement de son dossier.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish()


# --- Projet -----------------------------------------------------------------------


class ProjetForm(BaseForm):
    title = forms.CharField(label=_("Intitulé du projet"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=SENSITIVE_WARNING,
    )
    sector = forms.ChoiceField(
        label=_("Secteur d'activité"),
        required=False,
        choices=[("", _("Non précisé")), *Sector.choices],
    )
    stage = forms.ChoiceField(label=_("Étape actuelle"), choices=Stage.choices)
    needs = _checkboxes(Need, _("Besoins"), _("Ce sur quoi le projet a besoin d'être accompagné."))
    is_collective = forms.BooleanField(label=_("Projet porté collectivement"), required=False)
    commune_q = commune_input(
        _("Commune d'implantation"),
        required=False,
        help_text=_(
            "Facultatif : sans commune, les recommandations partent de la commune de "
            "résidence du porteur."
        ),
    )
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    other_communes = forms.CharField(
        label=_("Autres communes d'activité"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("Une commune par ligne : nom ou code INSEE, par exemple « Felletin (23) »."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish()

    @classmethod
    def initial_for(cls, projet) -> dict[str, object]:
        first = projet.commune
        others = list(projet.communes.all())
        return {
            "title": projet.title,
            "description": projet.description,
            "sector": projet.sector,
            "stage": projet.stage,
            "needs": projet.needs,
            "is_collective": projet.is_collective,
            "commune_q": first.label if first else "",
            "commune": first.insee if first else "",
            "other_communes": "\n".join(c.label for c in others),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        resolve_into(self, cleaned, "commune_q", "commune")
        others, errors = [], []
        for line in cleaned.get("other_communes", "").splitlines():
            if not line.strip():
                continue
            resolution = resolve_commune("", line)
            if resolution.commune is None:
                errors.append(_("« %(line)s » : commune introuvable ou ambiguë.") % {"line": line})
            else:
                others.append(resolution.commune)
        if errors:
            self.add_error("other_communes", errors)
        cleaned["communes"] = others
        return cleaned

    def save_kwargs(self) -> dict[str, object]:
        """Keyword arguments for `actions.create_projet`."""
        keep = (
            "title",
            "description",
            "sector",
            "stage",
            "needs",
            "is_collective",
            "commune",
            "communes",
        )
        return {name: self.cleaned_data[name] for name in keep}


class StageForm(BaseForm):
    stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=Stage.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish()


class EnrolmentForm(BaseForm):
    dispositif = dispositif_field(_("Dispositif"), Dispositif.objects.none())

    def __init__(self, *args, dispositifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = dispositifs
        self.finish()


class ExitForm(BaseForm):
    outcome = forms.ChoiceField(
        label=_("Issue"), choices=[("", _("— Choisir une issue —")), *ExitOutcome.choices]
    )
    dispositif = dispositif_field(_("Dispositif quitté"), Dispositif.objects.none(), required=False)
    next_dispositif = dispositif_field(
        _("Dispositif suivant"),
        Dispositif.objects.none(),
        required=False,
        help_text=_("Sans suite connue, le porteur est signalé au tableau de bord."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=SENSITIVE_WARNING,
    )

    def __init__(self, *args, dispositifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = dispositifs
        self.fields["next_dispositif"].queryset = dispositifs
        self.finish()
