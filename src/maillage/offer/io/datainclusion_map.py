"""Our vocabularies ⇄ the data·inclusion v1 schema, item by item.

`structure_item` / `service_item` build a schema item from our values;
`structure_from_item` / `service_from_item` read one back into our values
(every field, with defaults for what the schema cannot say). The exporter
keeps, beside each item, the fields whose read-back differs from ours, so
that a re-import reproduces our data exactly (see datainclusion.py and ADR 006).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from data_inclusion.schema import v1
from django.utils.text import slugify

from ..vocabulary import PATHWAY, Audience, Criterion, Format, Stage, labels

SOURCE = "maillage"
PREFIX = f"{SOURCE}--"

T = v1.Thematique
DEFINE = T.CREER_UNE_ENTREPRISE__DEFINIR_SON_PROJET_DE_CREATION_DENTREPRISE.value
STRUCTURE = T.CREER_UNE_ENTREPRISE__STRUCTURER_SON_PROJET_DE_CREATION_DENTREPRISE.value
DEVELOP = T.CREER_UNE_ENTREPRISE__DEVELOPPER_SON_ENTREPRISE.value

# Our 10 stages → the "créer une entreprise" thématiques. Territorial
# cooperation and the training of professionals have no equivalent.
STAGE_THEMATIQUES: dict[str, list[str]] = {
    Stage.SENSIBILISATION: [DEFINE],
    Stage.INFORMATION: [DEFINE],
    Stage.IDEATION: [DEFINE],
    Stage.EMERGENCE: [DEFINE, STRUCTURE],
    Stage.CREATION: [STRUCTURE],
    Stage.TEST: [STRUCTURE],
    Stage.CONSOLIDATION: [DEVELOP],
    Stage.DEVELOPPEMENT: [DEVELOP],
    Stage.COOPERATION: [],
    Stage.FORMATION: [],
}
THEMATIQUE_STAGE = {DEFINE: Stage.IDEATION, STRUCTURE: Stage.CREATION, DEVELOP: Stage.DEVELOPPEMENT}

P = v1.Public
AUDIENCE_PUBLICS: dict[str, list[str]] = {
    Audience.JEUNE: [P.JEUNES.value],
    Audience.NEET: [P.JEUNES.value],
    Audience.FEMME: [P.FEMMES.value],
    Audience.GRAND_PUBLIC: [P.TOUS_PUBLICS.value],
}
PUBLIC_AUDIENCE = {
    P.JEUNES.value: Audience.JEUNE,
    P.FEMMES.value: Audience.FEMME,
    P.TOUS_PUBLICS.value: Audience.GRAND_PUBLIC,
}

M = v1.ModeAccueil
FORMAT_MODES = {
    Format.COLLECTIVE: M.EN_PRESENTIEL.value,
    Format.INDIVIDUAL: M.EN_PRESENTIEL.value,
    Format.ITINERANT: M.EN_PRESENTIEL.value,
    Format.REMOTE: M.A_DISTANCE.value,
}

R = v1.ReseauPorteur
# Structure kinds with a porting network; the others have no equivalent.
KIND_RESEAUX = {"collectivite": [R.COMMUNES.value]}
RESEAU_KIND = {
    R.COMMUNES.value: "collectivite",
    R.DEPARTEMENTS.value: "collectivite",
    R.REGIONS.value: "collectivite",
    R.CHAMBRES_CONSULAIRES.value: "accompagnateur-generaliste",
    R.RESEAU_BGE.value: "accompagnateur-generaliste",
    R.FRANCE_ACTIVE.value: "accompagnateur-generaliste",
    R.INITIATIVE_FRANCE.value: "accompagnateur-generaliste",
    R.ADIE.value: "accompagnateur-generaliste",
    R.RESEAU_ENTREPRENDRE.value: "accompagnateur-generaliste",
}
# Our free-text networks, recognised by slug of value, label or these aliases.
NETWORK_ALIASES = {
    "bge": R.RESEAU_BGE.value,
    "initiative": R.INITIATIVE_FRANCE.value,
    "cci": R.CHAMBRES_CONSULAIRES.value,
    "cma": R.CHAMBRES_CONSULAIRES.value,
    "chambre-d-agriculture": R.CHAMBRES_CONSULAIRES.value,
    "chambre-de-commerce-et-d-industrie": R.CHAMBRES_CONSULAIRES.value,
    "chambre-de-metiers-et-de-l-artisanat": R.CHAMBRES_CONSULAIRES.value,
    "msa": R.MUTUALITE_SOCIALE_AGRICOLE.value,
    "france-services": R.FRANCE_SERVICE.value,
}
_NETWORKS = {
    **{slugify(r.label): r.value for r in R},
    **{r.value: r.value for r in R},
    **NETWORK_ALIASES,
}


def ref_of(item_id: str) -> str:
    """'maillage--atelier-23' → 'atelier-23'; other producers' ids are slugified."""
    if item_id.startswith(PREFIX):
        return item_id[len(PREFIX) :]
    return slugify(item_id)[:80]


def _fit(text: str, fallback: str) -> str:
    """A name of 3 to 150 characters, as the schema requires."""
    if len(text) < 3:
        text = f"{text} ({fallback})"
    return text if len(text) <= 150 else text[:149] + "…"


def _sorted(values: set[str]) -> list[str] | None:
    return sorted(values) or None


def _place(commune: Any) -> dict[str, Any]:
    postal = commune.postal_codes if len(commune.postal_codes) == 1 else [None]
    return {"commune": commune.name, "code_insee": commune.insee, "code_postal": postal[0]}


def structure_item(v: dict[str, Any], commune: Any, date_maj: dt.date) -> dict[str, Any]:
    reseaux = {r for kind in v["kinds"] for r in KIND_RESEAUX.get(kind, [])}
    reseaux |= {_NETWORKS[slugify(n)] for n in v["networks"] if slugify(n) in _NETWORKS}
    description = v["description"]
    return {
        "source": SOURCE,
        "id": PREFIX + v["ref"],
        "nom": _fit(v["name"], commune.name),
        "date_maj": date_maj.isoformat(),
        "description": description[:10000] if len(description) >= 5 else None,
        "siret": v["siret"] or None,
        **_place(commune),
        "adresse": v["address"] or None,
        "latitude": v["latitude"],
        "longitude": v["longitude"],
        "telephone": v["phone"] or None,
        "courriel": v["email"] or None,
        "site_web": v["website"] or None,
        "reseaux_porteurs": _sorted(reseaux),
    }


def structure_from_item(item: dict[str, Any]) -> dict[str, Any]:
    reseaux = item.get("reseaux_porteurs") or []
    kinds = list(dict.fromkeys(RESEAU_KIND[r] for r in reseaux if r in RESEAU_KIND))
    names = {r.value: r.label for r in R}
    address = ", ".join(filter(None, [item.get("adresse"), item.get("complement_adresse")]))
    return {
        "ref": ref_of(item["id"]),
        "name": item["nom"],
        "kinds": kinds or ["other"],
        "legal_form": "unknown",
        "siret": item.get("siret") or "",
        "rna": "",
        "address": address,
        "commune": item.get("code_insee") or "",
        "latitude": item.get("latitude"),
        "longitude": item.get("longitude"),
        "website": item.get("site_web") or "",
        "email": item.get("courriel") or "",
        "phone": item.get("telephone") or "",
        "networks": [names.get(r, r) for r in sorted(reseaux)],
        "description": item.get("description") or "",
        "antennas": [],
    }


def _money(amount: Decimal) -> str:
    return f"{amount:.2f} €".replace(".", ",")


def _zones(zones: list[tuple[str, str]], regions: dict[str, list[str]]) -> list[str] | None:
    codes: list[str] = []
    for kind, code in zones:
        # The schema has no région: its départements stand for it.
        codes.extend(regions.get(code, []) if kind == "region" else [code or "france"])
    return list(dict.fromkeys(codes)) or None


def service_item(
    v: dict[str, Any], structure: dict[str, Any], context: dict[str, Any], date_maj: dt.date
) -> dict[str, Any]:
    """`structure`: the operator's values; `context`: communes by INSEE code
    and the départements of each région."""
    thematiques = {t for s in v["stages"] for t in STAGE_THEMATIQUES.get(s, [])}
    publics = {p for a in v["audiences"] for p in AUDIENCE_PUBLICS.get(a, [])}
    if P.TOUS_PUBLICS.value in publics:
        publics = {P.TOUS_PUBLICS.value}
    stages = set(v["stages"])
    kind = "accompagnement"
    if stages <= {Stage.SENSIBILISATION, Stage.INFORMATION}:
        kind = "information"
    elif stages == {Stage.FORMATION}:
        kind = "formation"
    fee = v["fee_eur"]
    criteria = ", ".join(labels(Criterion, v["criteria_flags"]))
    conditions = [v["entry_criteria"], f"Critères : {criteria}." if criteria else ""]
    dates = [v["how_to_apply"]]
    if v["next_edition_start"]:
        dates.append(f"Prochaine édition : {v['next_edition_start']:%d/%m/%Y}.")
    if v["application_deadline"]:
        dates.append(f"Candidatures jusqu'au {v['application_deadline']:%d/%m/%Y}.")
    modes = set()
    if v["apply_url"]:
        modes.add("utiliser-lien-mobilisation")
    if structure["email"]:
        modes.add("envoyer-un-courriel")
    if structure["phone"]:
        modes.add("telephoner")
    places = v["session_places"]
    one_place = len(places) == 1 and not places[0][2]
    description = v["description"]
    if len(description) < 5:
        description = f"Dispositif « {v['name']} » proposé par {structure['name']}."
    return {
        "source": SOURCE,
        "structure_id": PREFIX + v["structure"],
        "id": PREFIX + v["ref"],
        "nom": _fit(v["name"], structure["name"]),
        "description": description[:10000],
        "date_maj": date_maj.isoformat(),
        "type": kind,
        "thematiques": _sorted(thematiques),
        "frais": None if fee is None else "gratuit" if fee == 0 else "payant",
        "frais_precisions": ". ".join(filter(None, [_money(fee) if fee else "", v["fee_note"]]))
        or None,
        "publics": _sorted(publics),
        "publics_precisions": ", ".join(labels(Audience, v["audiences"])) or None,
        "conditions_acces": " ".join(filter(None, conditions)) or None,
        **(_place(context["communes"][places[0][0]]) if one_place else {}),
        "modes_accueil": _sorted({FORMAT_MODES[f] for f in v["formats"] if f in FORMAT_MODES}),
        "zone_eligibilite": _zones(v["zones"], context["regions"]),
        "lien_mobilisation": v["apply_url"] or None,
        "modes_mobilisation": _sorted(modes),
        "mobilisable_par": ["professionnels", "usagers"],
        "mobilisation_precisions": " ".join(filter(None, dates)) or None,
        "nombre_semaines": math.ceil(v["duration_weeks"]) if v["duration_weeks"] else None,
    }


def _zone_of(code: str) -> tuple[str, str]:
    if code in ("france", "99100"):
        return ("france", "")
    if len(code) == 9:
        return ("epci", code)
    return ("commune", code) if len(code) == 5 else ("departement", code)


def service_from_item(item: dict[str, Any]) -> dict[str, Any]:
    order = [s.value for s in PATHWAY]
    themes = item.get("thematiques") or []
    stages = {THEMATIQUE_STAGE[t].value for t in themes if t in THEMATIQUE_STAGE}
    publics = item.get("publics")
    audiences = [PUBLIC_AUDIENCE[p].value for p in publics or [] if p in PUBLIC_AUDIENCE]
    modes = item.get("modes_accueil") or []
    formats = []
    if M.EN_PRESENTIEL.value in modes:
        formats.append("collective" if item.get("type") == "atelier" else "individual")
    if M.A_DISTANCE.value in modes:
        formats.append("remote")
    frais = item.get("frais")
    weeks = item.get("nombre_semaines")
    return {
        "ref": ref_of(item["id"]),
        "structure": ref_of(item["structure_id"]),
        "name": item["nom"],
        "description": item.get("description") or "",
        "co_operators": [],
        "stages": sorted(stages, key=order.index),
        "audiences": list(dict.fromkeys(audiences)) or ([] if publics else ["grand-public"]),
        "sectors": ["tous-secteurs"],
        "formats": formats or ["individual"],
        "duration_weeks": float(weeks) if weeks else None,
        "sessions_count": None,
        "cohort_size": None,
        "fee_eur": Decimal(0) if frais == "gratuit" else None,
        "fee_note": item.get("frais_precisions") or "",
        "entry_criteria": item.get("conditions_acces") or "",
        "criteria_flags": [],
        "how_to_apply": item.get("mobilisation_precisions") or "",
        "apply_url": item.get("lien_mobilisation") or "",
        "next_edition_start": None,
        "application_deadline": None,
        "zones": [_zone_of(c) for c in item.get("zone_eligibilite") or []],
        "session_places": [(item["code_insee"], "", False)] if item.get("code_insee") else [],
        "next_steps": [],
        "is_template": False,
        "origin": "",
    }
