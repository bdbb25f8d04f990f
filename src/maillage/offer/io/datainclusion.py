"""data·inclusion v1: export and import of structures and services.

The file is `{"structures": [...], "services": [...], "maillage": {...}}`.
Every structure and service validates with the schema's pydantic models.
The schema cannot say everything we know (stages, sectors, regions, session
places, links between dispositifs…): the `maillage` block keeps, for each
item id, the cells (same syntax as the CSV columns) whose reading back from
the schema item would differ from our data. Import reads the schema item,
then applies those cells, so an exported file re-imports exactly; a file
from another producer (no `maillage` block) is read by the mapping alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pydantic
from data_inclusion.schema import v1
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.territory.models import Commune, Departement

from ..models import Structure
from .columns import BY_FIELD, BY_NAME, DISPOSITIFS, STRUCTURES, row_texts
from .datainclusion_map import (
    service_from_item,
    service_item,
    structure_from_item,
    structure_item,
)
from .importer import SourceRow
from .records import dispositif_queryset, dispositif_values, structure_queryset, structure_values

SERVICES = "services"
SIDECAR = "maillage"
SIDECAR_VERSION = 1
_SCHEMA = {STRUCTURES: v1.Structure, SERVICES: v1.Service}
_KIND = {STRUCTURES: STRUCTURES, SERVICES: DISPOSITIFS}
_FROM_ITEM = {STRUCTURES: structure_from_item, SERVICES: service_from_item}
_REQUIRED = {"source", "id", "structure_id", "nom", "date_maj", "description"}
# A few pydantic error types in French; the others keep pydantic's message.
_PYDANTIC_FR = {
    "missing": "champ obligatoire manquant",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "string_pattern_mismatch": "format invalide",
    "enum": "valeur inconnue du schéma",
    "url_parsing": "lien invalide",
    "url_scheme": "lien invalide (http ou https attendu)",
    "date_from_datetime_parsing": "date invalide",
    "date_parsing": "date invalide",
}


class DataInclusionError(ValueError):
    """A French message: the data cannot be exported or the file read."""


def _pydantic_errors(exc: pydantic.ValidationError) -> list[tuple[str, str]]:
    return [
        (".".join(str(p) for p in e["loc"][:1]), _PYDANTIC_FR.get(e["type"], e["msg"]))
        for e in exc.errors()
    ]


def _validated(kind: str, item: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The item, without the optional fields the schema refuses; their names."""
    dropped: list[str] = []
    for _attempt in range(len(item)):
        try:
            _SCHEMA[kind].model_validate(item)
            return {k: v for k, v in item.items() if v is not None}, dropped
        except pydantic.ValidationError as exc:
            problems = _pydantic_errors(exc)
        required = [(f, m) for f, m in problems if f in _REQUIRED]
        if required:
            field, message = required[0]
            raise DataInclusionError(
                _("%(id)s : champ %(field)s refusé par le schéma data·inclusion : %(message)s")
                % {"id": item.get("id"), "field": field, "message": message}
            )
        for field, _message in problems:
            item[field] = None
            dropped.append(field)
    raise DataInclusionError(_("%(id)s : item invalide.") % {"id": item.get("id")})


def _date_maj(updated_at: dt.datetime) -> dt.date:
    # The schema refuses future dates, judged by the machine's own calendar.
    return min(timezone.localdate(updated_at), dt.date.today())


def _sidecar(kind: str, item: dict[str, Any], ours: dict[str, Any]) -> dict[str, str]:
    """Our cells that reading the item back would not reproduce."""
    back = _FROM_ITEM[kind](item)
    columns = BY_FIELD[_KIND[kind]]
    return {
        columns[f].name: columns[f].codec.text(value)
        for f, value in ours.items()
        if not columns[f].codec.same(value, back[f])
    }


def export_datainclusion(kind: str | None = None) -> dict[str, Any]:
    """Published structures and their dispositifs as a data·inclusion document."""
    structures = {
        s.ref: (s, structure_values(s))
        for s in structure_queryset().filter(moderation_status=Structure.Moderation.PUBLISHED)
    }
    out: dict[str, Any] = {STRUCTURES: [], SERVICES: []}
    sidecar: dict[str, dict[str, dict[str, str]]] = {STRUCTURES: {}, SERVICES: {}}
    if kind in (None, STRUCTURES):
        for s, values in structures.values():
            item = structure_item(values, s.commune, _date_maj(s.updated_at))
            item, _dropped = _validated(STRUCTURES, item)
            out[STRUCTURES].append(item)
            sidecar[STRUCTURES][item["id"]] = _sidecar(STRUCTURES, item, values)
    if kind in (None, DISPOSITIFS):
        dispositifs = [d for d in dispositif_queryset() if d.structure.ref in structures]
        published = {d.ref for d in dispositifs}
        codes = {p[0] for d in dispositifs for p in dispositif_values(d)["session_places"]}
        context = {
            "communes": Commune.objects.in_bulk(codes, field_name="insee"),
            "regions": {},
        }
        for dep in Departement.objects.select_related("region").order_by("code"):
            context["regions"].setdefault(dep.region.code, []).append(dep.code)
        for d in dispositifs:
            values = dispositif_values(d)
            # Links to unpublished entries are not published either.
            values["co_operators"] = [r for r in values["co_operators"] if r in structures]
            values["next_steps"] = [r for r in values["next_steps"] if r in published]
            values["origin"] = values["origin"] if values["origin"] in published else ""
            operator = structures[d.structure.ref][1]
            item = service_item(values, operator, context, _date_maj(d.updated_at))
            item, _dropped = _validated(SERVICES, item)
            out[SERVICES].append(item)
            sidecar[SERVICES][item["id"]] = _sidecar(SERVICES, item, values)
    out[SIDECAR] = {
        "version": SIDECAR_VERSION,
        "description": (
            "Champs Maillage sans équivalent data·inclusion, par id, au format des "
            "colonnes CSV de Maillage (docs/adr/006-import-export-data-inclusion.md)."
        ),
        **{k: {i: cells for i, cells in v.items() if cells} for k, v in sidecar.items()},
    }
    return out


def write_datainclusion(path: Path, kind: str | None = None) -> dict[str, int]:
    document = export_datainclusion(kind)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {STRUCTURES: len(document[STRUCTURES]), SERVICES: len(document[SERVICES])}


def read_datainclusion(path: Path) -> tuple[list[SourceRow], list[str]]:
    """Rows for the importer, and the errors found while reading the file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise DataInclusionError(
            _("Fichier JSON illisible « %(name)s » : %(error)s") % {"name": path.name, "error": exc}
        ) from exc
    if not isinstance(document, dict) or not (
        isinstance(document.get(STRUCTURES, []), list)
        and isinstance(document.get(SERVICES, []), list)
    ):
        raise DataInclusionError(
            _('Document data·inclusion attendu : {"structures": [...], "services": [...]}.')
        )
    extra = document.get(SIDECAR)
    extra = extra if isinstance(extra, dict) else {}
    rows: list[SourceRow] = []
    errors: list[str] = []
    for kind, word in ((STRUCTURES, _("structure")), (SERVICES, _("service"))):
        for n, item in enumerate(document.get(kind, []), start=1):
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"{word} n° {n}" + (f" « {ident} »" if ident else "")
            try:
                _SCHEMA[kind].model_validate(item)
            except pydantic.ValidationError as exc:
                errors.extend(f"{where}, champ {f} : {m}" for f, m in _pydantic_errors(exc))
                continue
            kept = extra.get(kind) if isinstance(extra.get(kind), dict) else {}
            kept = kept.get(ident) if isinstance(kept.get(ident), dict) else {}
            unknown = sorted(set(kept) - set(BY_NAME[_KIND[kind]]))
            if unknown:
                errors.append(
                    _("%(where)s : colonne(s) inconnue(s) dans le bloc maillage : %(names)s.")
                    % {"where": where, "names": ", ".join(unknown)}
                )
                continue
            cells = row_texts(_KIND[kind], _FROM_ITEM[kind](item))
            cells.update({k: str(v) for k, v in kept.items()})
            rows.append(SourceRow(_KIND[kind], where, cells, word="champ"))
    return rows, errors
