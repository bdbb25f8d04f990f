"""Forms of the territorial diagnosis: the territory, stage and threshold to
diagnose; where to act (candidates, model, k); a scenario's name."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.diagnosis.optimize import read_candidate_codes
from maillage.offer.vocabulary import Stage
from maillage.territory.models import EPCI, Commune, Departement, Region
from maillage.territory.search import normalize

KINDS = [
    ("departement", _("Un département")),
    ("region", _("Une région")),
    ("epci", _("Une intercommunalité (EPCI)")),
    ("communes", _("Une liste de communes")),
    ("france", _("La France entière")),
]
THRESHOLDS = [15, 20, 30, 45, 60]
INSEE_CODE = re.compile(r"\b(\d{5}|2[AB]\d{3})\b", re.IGNORECASE)
SIREN = re.compile(r"\b(\d{9})\b")
MAX_COMMUNES = 2000
MAX_UPLOAD_BYTES = 1_000_000


def find_epcis(text: str, limit: int = 10) -> list[EPCI]:
    """EPCIs by SIREN (anywhere in the text) or by accent-blind name."""
    siren = SIREN.search(text)
    if siren:
        return list(EPCI.objects.filter(siren=siren.group(1)))
    wanted = normalize(text)
    if not wanted:
        return []
    found = [e for e in EPCI.objects.order_by("name") if wanted in normalize(e.name)]
    exact = [e for e in found if normalize(e.name) == wanted]
    return (exact or found)[:limit]


class DiagnosisForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de territoire"),
        choices=KINDS,
        initial="departement",
        widget=forms.RadioSelect,
    )
    departement = forms.ChoiceField(label=_("Département"), required=False, initial="23")
    region = forms.ChoiceField(label=_("Région"), required=False)
    epci = forms.CharField(
        label=_("Intercommunalité"),
        required=False,
        max_length=200,
        help_text=_("Nom ou numéro SIREN — par exemple « Creuse Grand Sud » ou « 200067130 »."),
        widget=forms.TextInput(attrs={"list": "epci-suggestions", "autocomplete": "off"}),
    )
    communes = forms.CharField(
        label=_("Communes"),
        required=False,
        help_text=_("Codes INSEE séparés par des virgules, des espaces ou des retours à la ligne."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
    )
    stage = forms.ChoiceField(
        label=_("Étape du parcours"),
        required=False,
        initial=Stage.CREATION.value,
        choices=[("", _("Toutes les étapes du parcours (tableau récapitulatif)")), *Stage.choices],
    )
    threshold = forms.TypedChoiceField(
        label=_("Seuil de temps de trajet"),
        choices=[(t, _("%(n)d minutes") % {"n": t}) for t in THRESHOLDS],
        coerce=int,
        initial=30,
        help_text=_("En voiture, vers le lieu de session le plus proche."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [
            (d.code, f"{d.name} ({d.code})") for d in Departement.objects.order_by("code")
        ]
        self.fields["region"].choices = [(r.code, r.name) for r in Region.objects.order_by("name")]
        self.spec = ""

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == "departement":
            code = data.get("departement")
            if not code:
                self.add_error("departement", _("Choisissez un département."))
                return data
            self.spec = f"departement:{code}"
            communes = Commune.objects.active().filter(departement__code=code)
        elif kind == "region":
            code = data.get("region")
            if not code:
                self.add_error("region", _("Choisissez une région."))
                return data
            self.spec = f"region:{code}"
            communes = Commune.objects.active().filter(departement__region__code=code)
        elif kind == "epci":
            epci = self._epci(data.get("epci", ""))
            if epci is None:
                return data
            self.spec = f"epci:{epci.siren}"
            communes = Commune.objects.active().filter(epci=epci)
        elif kind == "communes":
            codes = self._communes(data.get("communes", ""))
            if not codes:
                return data
            self.spec = "communes:" + ",".join(codes)
            communes = Commune.objects.active().filter(insee__in=codes)
        elif kind == "france":
            self.spec = "france"
            communes = Commune.objects.active()
        else:
            return data
        if not communes.filter(latitude__isnull=False).exists():
            self.spec = ""
            raise ValidationError(
                _(
                    "Le référentiel ne contient aucune commune de ce territoire : "
                    "il faut d'abord le charger (maillage territory load)."
                )
            )
        return data

    def _epci(self, text: str) -> EPCI | None:
        if not text.strip():
            self.add_error("epci", _("Indiquez le nom ou le SIREN de l'intercommunalité."))
            return None
        found = find_epcis(text, limit=6)
        if len(found) == 1:
            return found[0]
        if not found:
            self.add_error(
                "epci", _("Aucune intercommunalité ne correspond à « %(t)s ».") % {"t": text}
            )
        else:
            names = ", ".join(f"{e.name} ({e.siren})" for e in found[:5])
            self.add_error(
                "epci",
                _("Plusieurs intercommunalités correspondent : %(n)s. Précisez le nom ou le SIREN.")
                % {"n": names},
            )
        return None

    def _communes(self, text: str) -> list[str]:
        codes = list(dict.fromkeys(c.upper() for c in INSEE_CODE.findall(text)))
        if not codes:
            self.add_error("communes", _("Indiquez au moins un code INSEE de commune."))
            return []
        if len(codes) > MAX_COMMUNES:
            self.add_error(
                "communes",
                _("%(n)d communes au plus : choisissez plutôt un département.")
                % {"n": MAX_COMMUNES},
            )
            return []
        known = set(
            Commune.objects.active().filter(insee__in=codes).values_list("insee", flat=True)
        )
        missing = [c for c in codes if c not in known]
        if missing:
            self.add_error(
                "communes", _("Codes INSEE inconnus : %(c)s.") % {"c": ", ".join(missing[:10])}
            )
            return []
        return codes

    def params(self) -> dict[str, object]:
        return {
            "territory": self.spec,
            "stage": self.cleaned_data["stage"] or None,
            "threshold": self.cleaned_data["threshold"],
        }


def fields_for_spec(spec: str) -> dict[str, str]:
    """Form values that select a territory spec (to re-run or pre-fill)."""
    kind, _sep, code = spec.partition(":")
    if kind == "epci":
        return {"kind": kind, "epci": code}
    if kind == "communes":
        return {"kind": kind, "communes": code.replace(",", ", ")}
    if kind in ("departement", "region"):
        return {"kind": kind, kind: code}
    return {"kind": "france"} if kind == "france" else {}


CANDIDATES = [
    ("mairies", _("Les mairies du territoire (toutes ses communes)")),
    ("structures", _("Les structures d'accompagnement existantes (sièges et antennes)")),
    ("tiers-lieux", _("Les tiers-lieux")),
    ("fichier", _("Une liste de communes (fichier CSV de codes INSEE)")),
]
MODELS = [
    ("mclp", _("Couvrir le plus d'habitants avec k nouveaux sites")),
    ("lscp", _("Couvrir tout le monde avec le moins de sites")),
    ("pmedian", _("Réduire le trajet moyen")),
    ("pcenter", _("Réduire le trajet le plus long")),
]
MODEL_LABELS = dict(MODELS)
CANDIDATE_LABELS = dict(CANDIDATES)


class PlanForm(forms.Form):
    candidates = forms.ChoiceField(
        label=_("Lieux possibles"), choices=CANDIDATES, initial="mairies", widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Fichier CSV des communes candidates"),
        required=False,
        help_text=_("Code INSEE en première colonne, une commune par ligne ; en-tête facultatif."),
    )
    model = forms.ChoiceField(
        label=_("Objectif"), choices=MODELS, initial="mclp", widget=forms.RadioSelect
    )
    k = forms.IntegerField(
        label=_("Nombre de nouveaux sites (k)"),
        required=False,
        min_value=1,
        max_value=50,
        initial=3,
        help_text=_("Sans objet pour « couvrir tout le monde » : le calcul le trouve."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("model") and data["model"] != "lscp" and not data.get("k"):
            self.add_error("k", _("Indiquez le nombre de nouveaux sites."))
        if data.get("model") == "lscp":
            data["k"] = None
        self.candidate_spec = data.get("candidates", "")
        self.codes: list[str] = []
        if self.candidate_spec == "fichier":
            upload = data.get("file")
            if not upload:
                self.add_error("file", _("Joignez le fichier CSV des communes candidates."))
                return data
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", _("Le fichier dépasse 1 Mo."))
                return data
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            self.codes = list(dict.fromkeys(read_candidate_codes(text)))[:MAX_COMMUNES]
            if not self.codes:
                self.add_error("file", _("Aucun code INSEE trouvé dans la première colonne."))
                return data
            self.candidate_spec = "communes:" + ",".join(self.codes)
        return data


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nom du scénario"), max_length=150)
