"""Forms of structure staff: a structure, a dispositif, a moderation decision.

Plain forms (not ModelForms): they only check and shape the input, then the
views hand `cleaned_data` to `maillage.offer.actions`, which decides.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Organisation
from maillage.offer.models import Dispositif, Structure
from maillage.offer.validators import normalize_rna, normalize_siret, validate_rna, validate_siret
from maillage.offer.vocabulary import (
    Audience,
    Criterion,
    Format,
    LegalForm,
    Sector,
    Stage,
    StructureKind,
    ZoneKind,
)
from maillage.offer.zones import parse_zone, validate_zone
from maillage.territory.models import Commune

from .offer_communes import resolve_commune

REQUIRED_SUFFIX = _(" (obligatoire)")
COMBOBOX_ATTRS = {
    "autocomplete": "off",
    "role": "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
}


def _checkboxes(choices: type, label: str, help_text: str = "", required: str = ""):
    """Checkboxes; `required` is the message shown when none is ticked."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices.choices,
        required=bool(required),
        error_messages={"required": required},
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def mark_required(form: forms.Form) -> None:
    """Required fields say so in words, in their label or legend."""
    for field in form.fields.values():
        if field.required and not field.widget.is_hidden:
            field.label_suffix = REQUIRED_SUFFIX


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def unique_ref(model: type, name: str) -> str:
    """A free identifier for the URL, from the name: "cycle-idees", "cycle-idees-2"…"""
    base = slugify(name)[:70].strip("-") or "fiche"
    ref, n = base, 1
    while model.objects.filter(ref=ref).exists():
        n += 1
        ref = f"{base}-{n}"
    return ref


class RefField(forms.SlugField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Identifiant dans l'adresse de la page"),
            required=False,
            max_length=70,
            help_text=_(
                "Facultatif : lettres minuscules, chiffres et tirets. "
                "Laissé vide, il est tiré du nom. Il ne change plus ensuite."
            ),
            **kwargs,
        )


# --- Structure -----------------------------------------------------------------


class StructureForm(forms.Form):
    name = forms.CharField(label=_("Nom de la structure"), max_length=200)
    ref = RefField()
    kinds = _checkboxes(
        StructureKind,
        _("Types de structure"),
        _("Cochez tout ce qui décrit la structure."),
        required=_("Cochez au moins un type de structure."),
    )
    legal_form = forms.ChoiceField(
        label=_("Forme juridique"), choices=LegalForm.choices, initial=LegalForm.UNKNOWN
    )
    commune_q = forms.CharField(
        label=_("Commune du siège"),
        max_length=120,
        help_text=_("Nom, code postal ou code INSEE ; choisissez dans la liste proposée."),
        widget=forms.TextInput(attrs=COMBOBOX_ATTRS),
    )
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 chiffres (facultatif)."),
    )
    rna = forms.CharField(
        label=_("Numéro RNA"),
        max_length=12,
        required=False,
        help_text=_("Pour une association : W suivi de 9 caractères (facultatif)."),
    )
    website = forms.URLField(
        label=_("Site internet"),
        required=False,
        assume_scheme="https",
        help_text=_("Par exemple https://www.exemple.fr"),
    )
    email = forms.EmailField(label=_("E-mail de contact"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    networks = forms.CharField(
        label=_("Réseaux"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un réseau par ligne, par exemple « France Active » ou « Avise »."),
    )
    description = forms.CharField(
        label=_("Présentation"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation gestionnaire"),
        queryset=Organisation.objects.none(),
        help_text=_("Les membres de cette organisation pourront modifier la fiche."),
    )

    def __init__(self, *args, organisations, organisation_required: bool, structure=None, **kw):
        self.structure = structure
        super().__init__(*args, label_suffix="", **kw)
        listbox = f"{self['commune_q'].auto_id}-listbox"
        self.fields["commune_q"].widget.attrs["aria-controls"] = listbox
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = organisation_required
        if structure is not None:
            del self.fields["ref"]
        mark_required(self)

    @classmethod
    def initial_for(cls, structure: Structure) -> dict[str, object]:
        return {
            "name": structure.name,
            "kinds": structure.kinds,
            "legal_form": structure.legal_form,
            "commune_q": structure.commune.label,
            "commune": structure.commune.insee,
            "address": structure.address,
            "siret": structure.siret,
            "rna": structure.rna,
            "website": structure.website,
            "email": structure.email,
            "phone": structure.phone,
            "networks": "\n".join(structure.networks),
            "description": structure.description,
            "organisation": structure.organisation_id,
        }

    def clean_ref(self) -> str:
        ref = self.cleaned_data["ref"]
        if ref and Structure.objects.filter(ref=ref).exists():
            raise ValidationError(_("Cet identifiant est déjà pris : choisissez-en un autre."))
        return ref

    def clean_siret(self) -> str:
        siret = normalize_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def clean_rna(self) -> str:
        rna = normalize_rna(self.cleaned_data["rna"])
        validate_rna(rna)
        return rna

    def clean_networks(self) -> list[str]:
        return [line for _n, line in _lines(self.cleaned_data["networks"])]

    def clean(self) -> dict:
        cleaned = super().clean()
        if "commune_q" in cleaned:
            resolution = resolve_commune(cleaned.get("commune", ""), cleaned["commune_q"])
            if resolution.commune is not None:
                cleaned["commune"] = resolution.commune
            elif resolution.candidates:
                self.add_error(
                    "commune_q",
                    _(
                        "Plusieurs communes correspondent : %(names)s. "
                        "Précisez, par exemple avec le code INSEE."
                    )
                    % {
                        "names": ", ".join(
                            f"{h.name} ({h.departement}, {h.insee})"
                            for h in resolution.candidates[:8]
                        )
                    },
                )
            else:
                self.add_error("commune_q", _("Aucune commune ne correspond à cette saisie."))
        return cleaned

    def fields_for_save(self) -> dict[str, object]:
        """Keyword arguments for `save_structure`."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"commune_q", "ref"}}
        if self.structure is None:
            data["ref"] = self.cleaned_data.get("ref") or unique_ref(Structure, data["name"])
        return data


# --- Dispositif ------------------------------------------------------------------


ZONES_HELP = _(
    "Une zone par ligne, sous la forme type:code — « departement:23 » (Creuse), "
    "« epci:200034825 » (SIREN de l'intercommunalité, ici le Grand Guéret), "
    "« commune:23096 » (code INSEE), "
    "« region:75 », ou « france » pour tout le territoire national."
)
PLACES_HELP = _(
    "Une commune par ligne, par son code INSEE, éventuellement suivi du nom du lieu : "
    "« 23096 Tiers-lieu de la gare ». Laissez vide si l'accompagnement a lieu dans les "
    "locaux de la structure ou à distance."
)


EDITABLE_DISPOSITIF_FIELDS = [
    "name",
    "description",
    "stages",
    "audiences",
    "sectors",
    "formats",
    "duration_weeks",
    "sessions_count",
    "cohort_size",
    "fee_eur",
    "fee_note",
    "criteria_flags",
    "entry_criteria",
    "how_to_apply",
    "apply_url",
    "next_edition_start",
    "application_deadline",
    "is_template",
]


def zones_field() -> forms.CharField:
    return forms.CharField(
        label=_("Territoire couvert"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=ZONES_HELP,
    )


def places_field() -> forms.CharField:
    return forms.CharField(
        label=_("Lieux de session"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=PLACES_HELP,
    )


def zones_from_lines(text: str) -> list[tuple[str, str]]:
    """Typed zones, one per line ("departement:23"), every bad line reported."""
    zones, errors = [], []
    for n, line in _lines(text):
        kind, code = parse_zone(line)
        try:
            validate_zone(kind, code)
        except ValidationError as e:
            errors.append(
                _("Ligne %(n)d (« %(line)s ») : %(error)s")
                % {"n": n, "line": line, "error": " ".join(e.messages)}
            )
        else:
            zones.append((kind, code))
    if errors:
        raise ValidationError(errors)
    if not zones:
        raise ValidationError(_("Indiquez au moins une zone, par exemple « departement:23 »."))
    return zones


def places_from_lines(
    text: str, illustrative: frozenset[str] | set[str] = frozenset()
) -> list[tuple[str, str, bool]]:
    """Session places, one per line: an INSEE code then an optional label."""
    rows, errors = [], []
    for n, line in _lines(text):
        insee, _sep, label = line.partition(" ")
        insee = insee.strip().upper()
        if not Commune.objects.active().filter(insee=insee).exists():
            errors.append(
                _("Ligne %(n)d : aucune commune n'a le code INSEE « %(insee)s ».")
                % {"n": n, "insee": insee}
            )
        else:
            rows.append((insee, label.strip()[:200], insee in illustrative))
    if errors:
        raise ValidationError(errors)
    return rows


class DispositifForm(forms.Form):
    name = forms.CharField(label=_("Nom du dispositif"), max_length=200)
    ref = RefField()
    description = forms.CharField(
        label=_("Présentation"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    stages = _checkboxes(
        Stage,
        _("Étapes du projet"),
        _("À quelles étapes d'un projet le dispositif accompagne-t-il ?"),
        required=_("Cochez au moins une étape."),
    )
    audiences = _checkboxes(
        Audience,
        _("Publics accueillis"),
        _("« Grand public » vaut pour toute personne ou tout collectif."),
        required=_("Cochez au moins un public."),
    )
    sectors = _checkboxes(
        Sector,
        _("Secteurs"),
        _("Cochez « Tous secteurs » pour un dispositif généraliste."),
        required=_("Cochez au moins un secteur."),
    )
    formats = _checkboxes(
        Format,
        _("Formats"),
        _("« Itinérant » : les séances se tiennent dans plusieurs communes."),
        required=_("Cochez au moins un format."),
    )
    zones = zones_field()
    places = places_field()
    duration_weeks = forms.FloatField(
        label=_("Durée (en semaines)"), required=False, min_value=0, localize=True
    )
    sessions_count = forms.IntegerField(
        label=_("Nombre de séances"), required=False, min_value=0, max_value=32767
    )
    cohort_size = forms.IntegerField(
        label=_("Taille de promotion"), required=False, min_value=0, max_value=32767
    )
    fee_eur = forms.DecimalField(
        label=_("Coût pour le participant (en euros)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
        help_text=_("0 pour un accompagnement gratuit ; vide si non renseigné."),
    )
    fee_note = forms.CharField(label=_("Précision sur le coût"), max_length=255, required=False)
    criteria_flags = _checkboxes(Criterion, _("Conditions d'entrée"))
    entry_criteria = forms.CharField(
        label=_("Autres conditions d'entrée"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_to_apply = forms.CharField(
        label=_("Comment candidater"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    apply_url = forms.URLField(
        label=_("Lien de candidature"), required=False, assume_scheme="https"
    )
    next_edition_start = forms.DateField(
        label=_("Début de la prochaine édition"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    application_deadline = forms.DateField(
        label=_("Date limite de candidature"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_template = forms.BooleanField(
        label=_("Modèle essaimable"),
        required=False,
        help_text=_("D'autres structures peuvent reprendre ce dispositif sur leur territoire."),
    )
    co_operators = forms.ModelMultipleChoiceField(
        label=_("Structures co-opératrices"),
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    next_steps = forms.ModelMultipleChoiceField(
        label=_("Et après ? Dispositifs suivants habituels"),
        queryset=Dispositif.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Vers quels dispositifs les porteurs de projet poursuivent-ils souvent ? "
            "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."
        ),
    )

    def __init__(self, *args, structure: Structure, dispositif: Dispositif | None = None, **kw):
        self.structure = structure
        self.dispositif = dispositif
        super().__init__(*args, label_suffix="", **kw)
        mark_required(self)
        if dispositif is not None:
            del self.fields["ref"]
        linked_structures = Q(pk__in=dispositif.co_operators.all()) if dispositif else Q()
        self.fields["co_operators"].queryset = (
            Structure.objects.filter(
                Q(moderation_status=Structure.Moderation.PUBLISHED) | linked_structures
            )
            .exclude(pk=structure.pk)
            .select_related("commune")
        )
        self.fields["co_operators"].label_from_instance = lambda s: f"{s.name} — {s.commune}"
        linked_steps = Q(pk__in=dispositif.next_steps.all()) if dispositif else Q()
        steps = Dispositif.objects.filter(
            Q(structure__moderation_status=Structure.Moderation.PUBLISHED)
            | Q(structure=structure)
            | linked_steps
        ).select_related("structure")
        if dispositif is not None:
            steps = steps.exclude(pk=dispositif.pk)
        self.fields["next_steps"].queryset = steps
        self.fields["next_steps"].label_from_instance = lambda d: f"{d.name} — {d.structure.name}"

    @classmethod
    def initial_for(cls, d: Dispositif) -> dict[str, object]:
        initial = {name: getattr(d, name) for name in EDITABLE_DISPOSITIF_FIELDS}
        initial["zones"] = "\n".join(
            z.kind if z.kind == ZoneKind.FRANCE else f"{z.kind}:{z.code}"
            for z in d.zones.order_by("kind", "code")
        )
        initial["places"] = "\n".join(
            f"{p.commune.insee} {p.label}".strip()
            for p in d.session_places.select_related("commune")
        )
        initial["co_operators"] = list(d.co_operators.all())
        initial["next_steps"] = list(d.next_steps.all())
        return initial

    def clean_ref(self) -> str:
        ref = self.cleaned_data["ref"]
        if ref and Dispositif.objects.filter(ref=ref).exists():
            raise ValidationError(_("Cet identifiant est déjà pris : choisissez-en un autre."))
        return ref

    def clean_zones(self) -> list[tuple[str, str]]:
        return zones_from_lines(self.cleaned_data["zones"])

    def clean_places(self) -> list[tuple[str, str, bool]]:
        # An edit keeps the "illustrative" mark of places already recorded.
        illustrative: set[str] = set()
        if self.dispositif is not None:
            illustrative = set(
                self.dispositif.session_places.filter(is_illustrative=True).values_list(
                    "commune__insee", flat=True
                )
            )
        return places_from_lines(self.cleaned_data["places"], illustrative)

    def save_kwargs(self) -> dict[str, object]:
        """Keyword arguments for `save_dispositif`."""
        data = dict(self.cleaned_data)
        data["session_places"] = data.pop("places")
        if self.dispositif is None:
            data["structure"] = self.structure
            data["ref"] = data.get("ref") or unique_ref(Dispositif, data["name"])
        return data


# --- Moderation -------------------------------------------------------------------


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il est montré à l'organisation qui gère la fiche."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        mark_required(self)


class CopyForm(forms.Form):
    """Essaimage: run a template dispositif in one's own structure and territory."""

    structure = forms.ModelChoiceField(
        label=_("Structure qui le portera"), queryset=Structure.objects.none(), empty_label=None
    )
    zones = zones_field()
    places = places_field()

    def __init__(self, *args, structures=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["structure"].queryset = structures
        mark_required(self)

    def clean_zones(self) -> list[tuple[str, str]]:
        return zones_from_lines(self.cleaned_data["zones"])

    def clean_places(self) -> list[tuple[str, str, bool]]:
        return places_from_lines(self.cleaned_data["places"])
