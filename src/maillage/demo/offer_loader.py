"""Demo support offer: loads `data/offer.yaml` through the offer actions.

The fixture describes real structures and dispositifs (guide « Ruralités »,
Avise & RTES, 2022; see the file's header) in our own schema. Loading is
idempotent: entries are matched on `ref`, created when missing, updated only
when something differs, and left untouched otherwise, so a second load
creates nothing and changes no `updated_at`. Entries that disappeared from the
fixture are left in the database (they may have been edited since).

Two passes: structures first, then dispositifs; next steps point to other
dispositifs, so they are set once every dispositif exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from maillage.offer.actions import save_antennas, save_dispositif, save_structure
from maillage.offer.models import Dispositif, Structure
from maillage.offer.vocabulary import ZoneKind
from maillage.offer.zones import parse_zone
from maillage.territory.models import Commune

FIXTURE_PATH = Path(__file__).parent / "data" / "offer.yaml"

# Appended to the description of a structure whose commune we chose.

STRUCTURE_KEYS = {
    "ref",
    "name",
    "kinds",
    "legal_form",
    "commune",
    "illustrative",
    "antennas",
    "website",
    "networks",
    "description",
}
STRUCTURE_REQUIRED = {"ref", "name", "kinds", "commune"}
DISPOSITIF_KEYS = {
    "ref",
    "name",
    "structure",
    "co_operators",
    "stages",
    "audiences",
    "sectors",
    "formats",
    "duration_weeks",
    "sessions_count",
    "cohort_size",
    "fee_eur",
    "fee_note",
    "entry_criteria",
    "criteria_flags",
    "zones",
    "session_places",
    "next_steps",
    "is_template",
    "description",
}
DISPOSITIF_REQUIRED = {"ref", "name", "structure", "stages", "zones"}
PLACE_KEYS = {"commune", "label", "illustrative"}
# libyaml's parser when PyYAML was built with it: five times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureError(Exception):
    """The fixture file is malformed (unknown key, dangling reference…)."""


class MissingTerritory(FixtureError):
    """Communes the fixture needs are not in the territory reference."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        super().__init__(
            f"Le référentiel territorial ne contient pas {len(missing)} commune(s) "
            f"utilisée(s) par l'offre de démonstration (codes INSEE : {shown}). "
            "Chargez d'abord le référentiel avec « maillage territory load », "
            "puis relancez « maillage demo load »."
        )


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)

    def __str__(self) -> str:
        return f"{self.created} créé(s), {self.updated} mis à jour, {self.unchanged} inchangé(s)"


@dataclass
class OfferLoadResult:
    structures: Counts = field(default_factory=Counts)
    dispositifs: Counts = field(default_factory=Counts)
    illustrative_places: int = 0


# ---------------------------------------------------------------- reading


def read_fixture(path: Path = FIXTURE_PATH) -> dict[str, list[dict[str, Any]]]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_YAML_LOADER) or {}
    structures = data.get("structures") or []
    dispositifs = data.get("dispositifs") or []
    _check_entries(structures, STRUCTURE_KEYS, STRUCTURE_REQUIRED, "structure")
    _check_entries(dispositifs, DISPOSITIF_KEYS, DISPOSITIF_REQUIRED, "dispositif")
    structure_refs = {s["ref"] for s in structures}
    dispositif_refs = {d["ref"] for d in dispositifs}
    for d in dispositifs:
        where = f"dispositif « {d['ref']} »"
        _check_refs([d["structure"]], structure_refs, f"{where}, structure")
        _check_refs(d.get("co_operators") or [], structure_refs, f"{where}, co_operators")
        _check_refs(d.get("next_steps") or [], dispositif_refs, f"{where}, next_steps")
        for zone in d["zones"]:
            _zone(zone, where)
        for place in d.get("session_places") or []:
            if not isinstance(place, dict) or set(place) - PLACE_KEYS or "commune" not in place:
                raise FixtureError(f"{where} : lieu de session mal formé {place!r}.")
    return {"structures": structures, "dispositifs": dispositifs}


def _check_entries(
    entries: list[dict[str, Any]], allowed: set[str], required: set[str], what: str
) -> None:
    seen: set[str] = set()
    for entry in entries:
        ref = entry.get("ref", "?")
        unknown = set(entry) - allowed
        if unknown:
            raise FixtureError(f"{what} « {ref} » : clé(s) inconnue(s) {sorted(unknown)}.")
        missing = required - set(entry)
        if missing:
            raise FixtureError(f"{what} « {ref} » : clé(s) manquante(s) {sorted(missing)}.")
        if ref in seen:
            raise FixtureError(f"{what} « {ref} » : identifiant en double.")
        seen.add(ref)


def _check_refs(refs: Iterable[str], known: set[str], where: str) -> None:
    unknown = [r for r in refs if r not in known]
    if unknown:
        raise FixtureError(f"{where} : référence(s) inconnue(s) {unknown}.")


def _zone(text: str, where: str) -> tuple[str, str]:
    """'departement:07' → ('departement', '07'); bare codes are refused."""
    if not isinstance(text, str):
        raise FixtureError(f"{where} : zone mal formée {text!r}.")
    kind, code = parse_zone(text)
    if kind not in ZoneKind.values or (kind != ZoneKind.FRANCE and not code):
        raise FixtureError(
            f"{where} : zone non typée « {text} » (attendu commune:, epci:, "
            "departement:, region: ou france)."
        )
    return kind, "" if kind == ZoneKind.FRANCE else code


def _antennas(entry: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for antenna in entry.get("antennas") or []:
        if isinstance(antenna, dict):
            out.append((str(antenna["commune"]), antenna.get("label", "")))
        else:
            out.append((str(antenna), ""))
    return out


def required_communes(data: dict[str, list[dict[str, Any]]]) -> set[str]:
    codes = set()
    for s in data["structures"]:
        codes.add(str(s["commune"]))
        codes.update(insee for insee, _label in _antennas(s))
    for d in data["dispositifs"]:
        codes.update(str(p["commune"]) for p in d.get("session_places") or [])
    return codes


def check_territory(data: dict[str, list[dict[str, Any]]]) -> dict[str, Commune]:
    """The communes the fixture needs, by INSEE code; MissingTerritory if any lacks."""
    codes = required_communes(data)
    communes = {c.insee: c for c in Commune.objects.filter(insee__in=codes)}
    missing = sorted(codes - set(communes))
    if missing:
        raise MissingTerritory(missing)
    return communes


# ---------------------------------------------------------------- loading


def load_offer(path: Path = FIXTURE_PATH) -> OfferLoadResult:
    data = read_fixture(path)
    communes = check_territory(data)
    result = OfferLoadResult()
    with transaction.atomic():
        structures = {
            s["ref"]: _load_structure(s, communes, result.structures) for s in data["structures"]
        }
        states: dict[str, str] = {}
        dispositifs = {}
        for d in data["dispositifs"]:
            dispositifs[d["ref"]], states[d["ref"]] = _load_dispositif(d, structures)
        for d in data["dispositifs"]:
            if _link_next_steps(dispositifs[d["ref"]], d, dispositifs) and (
                states[d["ref"]] == "unchanged"
            ):
                states[d["ref"]] = "updated"
        for state in states.values():
            result.dispositifs.add(state)
    result.illustrative_places = sum(
        1
        for d in data["dispositifs"]
        for p in d.get("session_places") or []
        if p.get("illustrative", False)
    )
    return result


def _structure_fields(entry: dict[str, Any], communes: dict[str, Commune]) -> dict[str, Any]:
    description = (entry.get("description") or "").strip()
    return {
        "location_is_illustrative": bool(entry.get("illustrative")),
        "name": entry["name"],
        "kinds": list(entry["kinds"]),
        "legal_form": entry.get("legal_form") or "unknown",
        "commune": communes[str(entry["commune"])],
        "website": entry.get("website") or "",
        "networks": list(entry.get("networks") or []),
        "description": description,
    }


def _differs(obj: Any, fields: dict[str, Any]) -> bool:
    for key, value in fields.items():
        if key in {"commune", "structure"}:
            if getattr(obj, f"{key}_id") != value.pk:
                return True
        elif getattr(obj, key) != value:
            return True
    return False


def _load_structure(
    entry: dict[str, Any], communes: dict[str, Commune], counts: Counts
) -> Structure:
    fields = _structure_fields(entry, communes)
    wanted_antennas = {(communes[insee].pk, label) for insee, label in _antennas(entry)}
    structure = Structure.objects.filter(ref=entry["ref"]).first()
    if structure is None:
        structure = save_structure(acting_user=None, ref=entry["ref"], **fields)
        _set_antennas(structure, wanted_antennas)
        counts.add("created")
        return structure
    current_antennas = set(structure.antennas.values_list("commune_id", "label"))
    if _differs(structure, fields) or current_antennas != wanted_antennas:
        structure = save_structure(acting_user=None, structure=structure, **fields)
        _set_antennas(structure, wanted_antennas)
        counts.add("updated")
    else:
        counts.add("unchanged")
    return structure


def _set_antennas(structure: Structure, wanted: set[tuple[int, str]]) -> None:
    current = set(structure.antennas.values_list("commune_id", "label"))
    if current == wanted:
        return
    insee = dict(
        Commune.objects.filter(pk__in=[cid for cid, _ in wanted]).values_list("pk", "insee")
    )
    save_antennas(
        acting_user=None,
        structure=structure,
        antennas=[(insee[cid], label, "") for cid, label in sorted(wanted)],
    )


def _dispositif_fields(entry: dict[str, Any], structures: dict[str, Structure]) -> dict[str, Any]:
    fee = entry.get("fee_eur")
    duration = entry.get("duration_weeks")
    return {
        "name": entry["name"],
        "description": (entry.get("description") or "").strip(),
        "structure": structures[entry["structure"]],
        "stages": list(entry["stages"]),
        "audiences": list(entry.get("audiences") or []),
        "sectors": list(entry.get("sectors") or []),
        "formats": list(entry.get("formats") or []),
        "duration_weeks": None if duration is None else float(duration),
        "sessions_count": entry.get("sessions_count"),
        "cohort_size": entry.get("cohort_size"),
        "fee_eur": None if fee is None else Decimal(str(fee)),
        "fee_note": entry.get("fee_note") or "",
        "entry_criteria": (entry.get("entry_criteria") or "").strip(),
        "criteria_flags": list(entry.get("criteria_flags") or []),
        "is_template": bool(entry.get("is_template", False)),
    }


def _wanted_places(entry: dict[str, Any]) -> set[tuple[str, str, bool]]:
    return {
        (str(p["commune"]), p.get("label", ""), bool(p.get("illustrative", False)))
        for p in entry.get("session_places") or []
    }


def _load_dispositif(
    entry: dict[str, Any], structures: dict[str, Structure]
) -> tuple[Dispositif, str]:
    fields = _dispositif_fields(entry, structures)
    where = f"dispositif « {entry['ref']} »"
    zones = {_zone(z, where) for z in entry["zones"]}
    places = _wanted_places(entry)
    co_operators = [structures[ref] for ref in entry.get("co_operators") or []]
    links = {
        "zones": sorted(zones),
        "session_places": sorted(places),
        "co_operators": co_operators,
    }
    dispositif = Dispositif.objects.filter(ref=entry["ref"]).first()
    if dispositif is None:
        dispositif = save_dispositif(acting_user=None, ref=entry["ref"], **links, **fields)
        return dispositif, "created"
    current_zones = set(dispositif.zones.values_list("kind", "code"))
    current_places = {
        (sp.commune.insee, sp.label, sp.is_illustrative)
        for sp in dispositif.session_places.select_related("commune")
    }
    current_co = set(dispositif.co_operators.values_list("pk", flat=True))
    if (
        _differs(dispositif, fields)
        or current_zones != zones
        or current_places != places
        or current_co != {s.pk for s in co_operators}
    ):
        dispositif = save_dispositif(acting_user=None, dispositif=dispositif, **links, **fields)
        return dispositif, "updated"
    return dispositif, "unchanged"


def _link_next_steps(
    dispositif: Dispositif, entry: dict[str, Any], dispositifs: dict[str, Dispositif]
) -> bool:
    wanted = [dispositifs[ref] for ref in entry.get("next_steps") or []]
    current = set(dispositif.next_steps.values_list("pk", flat=True))
    if current == {d.pk for d in wanted}:
        return False
    save_dispositif(acting_user=None, dispositif=dispositif, next_steps=wanted)
    return True
