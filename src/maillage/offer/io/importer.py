"""Import rows of structures and dispositifs: validate everything, then write.

Every error of every row is collected (line and column), with the rules the
actions apply: the same validators, the models' `full_clean`, commune, zone
and reference look-ups. Nothing is written unless the whole file is valid;
then all rows are written in one transaction through `save_structure` and
`save_dispositif`. A row whose `ref` exists updates that entry, and only if
a value differs: re-importing a file changes nothing.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.territory.models import Commune

from ..actions import save_antennas, save_dispositif, save_structure
from ..models import Antenna, Dispositif, SessionPlace, Structure
from ..zones import validate_zone
from .cells import CellError, messages
from .columns import BY_FIELD, BY_NAME, DISPOSITIFS, STRUCTURES
from .records import dispositif_queryset, dispositif_values, structure_queryset, structure_values

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# Fields not written by a plain setattr: relations resolved by ref.
_RELATIONS = {"commune", "antennas", "structure", "co_operators", "zones", "session_places"}
_LINKS = {"next_steps", "origin"}  # may point to a dispositif further down the file


@dataclass
class SourceRow:
    kind: str  # STRUCTURES or DISPOSITIFS
    where: str  # "ligne 17", "feuille dispositifs, ligne 4", "structure « … »"
    cells: dict[str, str]  # column name → text, only the columns the file has
    word: str = "colonne"
    values: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # fields already reported
    errors: list[tuple[int, str]] = field(default_factory=list)  # (column position, message)
    status: str = ""
    changed: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return str(self.values.get("ref") or "")


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {STRUCTURES: Counter(), DISPOSITIFS: Counter()}
    )
    applied: bool = False

    def summary(self) -> list[str]:
        s, d = self.counts[STRUCTURES], self.counts[DISPOSITIFS]
        return [
            _("Structures : %(c)d créées, %(u)d mises à jour, %(n)d inchangées.")
            % {"c": s[CREATED], "u": s[UPDATED], "n": s[UNCHANGED]},
            _("Dispositifs : %(c)d créés, %(u)d mis à jour, %(n)d inchangés.")
            % {"c": d[CREATED], "u": d[UPDATED], "n": d[UNCHANGED]},
        ]


class _Rollback(Exception):
    pass


class Importer:
    def __init__(self, rows: list[SourceRow], errors: list[str] | None = None):
        self.rows = rows
        self.file_errors = list(errors or [])
        self.structures = [r for r in rows if r.kind == STRUCTURES]
        self.dispositifs = [r for r in rows if r.kind == DISPOSITIFS]
        self._zones: dict[tuple[str, str], str | None] = {}

    # Reporting ---------------------------------------------------------------

    def error(self, row: SourceRow, fld: str | None, message: str, again: bool = False) -> None:
        """Record an error; a field already reported is skipped unless `again`
        (several bad zones of one cell are all worth knowing)."""
        if fld and fld in row.bad and not again:
            return
        if fld is None or fld == NON_FIELD_ERRORS:
            row.errors.append((-1, f"{row.where} : {message}"))
            return
        row.bad.add(fld)
        columns = list(BY_FIELD[row.kind])
        position = columns.index(fld) if fld in columns else len(columns)
        column = BY_FIELD[row.kind][fld].name if fld in BY_FIELD[row.kind] else fld
        row.errors.append((position, f"{row.where}, {row.word} {column} : {message}"))

    @property
    def errors(self) -> list[str]:
        """File errors, then each row's in file order and column order."""
        by_row = [m for row in self.rows for _p, m in sorted(row.errors, key=lambda e: e[0])]
        return self.file_errors + by_row

    # Validation --------------------------------------------------------------

    def parse(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for row in self.rows:
            for name, text in row.cells.items():
                column = BY_NAME[row.kind][name]
                try:
                    row.values[column.field] = column.codec.parse(text or "")
                except CellError as exc:
                    self.error(row, column.field, str(exc))
            if not row.ref:
                self.error(row, "ref", _("Identifiant obligatoire."))
                continue
            first = seen.setdefault((row.kind, row.ref), row.where)
            if first != row.where:
                self.error(
                    row,
                    "ref",
                    _("Identifiant « %(ref)s » déjà utilisé (%(where)s).")
                    % {"ref": row.ref, "where": first},
                )

    def load(self) -> None:
        refs = {r.ref for r in self.structures}
        d_refs = {r.ref for r in self.dispositifs}
        wanted = set(refs)
        wanted_d = set(d_refs)
        codes: set[str] = set()
        for r in self.structures:
            antennas = r.values.get("antennas", [])
            codes.update([r.values.get("commune", ""), *(a[0] for a in antennas)])
        for r in self.dispositifs:
            wanted.update([r.values.get("structure", ""), *r.values.get("co_operators", [])])
            wanted_d.update([*r.values.get("next_steps", []), r.values.get("origin", "")])
            codes.update(p[0] for p in r.values.get("session_places", []))
        self.existing_s = {s.ref: s for s in structure_queryset().filter(ref__in=refs)}
        self.existing_d = {d.ref: d for d in dispositif_queryset().filter(ref__in=d_refs)}
        db_s = set(Structure.objects.filter(ref__in=wanted).values_list("ref", flat=True))
        db_d = set(Dispositif.objects.filter(ref__in=wanted_d).values_list("ref", flat=True))
        self.known_s = db_s | refs
        self.known_d = db_d | d_refs
        self.communes = {c.insee: c for c in Commune.objects.filter(insee__in=codes)}

    def _commune(self, row: SourceRow, fld: str, insee: str, again: bool = False) -> bool:
        if insee in self.communes:
            return True
        message = _("Commune inconnue « %(insee)s ».") % {"insee": insee}
        self.error(row, fld, message, again=again)
        return False

    def _required(self, row: SourceRow, fields: list[str], what: str) -> None:
        for fld in fields:
            if not row.values.get(fld):
                self.error(row, fld, _("Valeur obligatoire pour %(what)s.") % {"what": what})

    def _clean_model(self, row: SourceRow, instance: Any, exclude: set[str]) -> None:
        for fld, value in row.values.items():
            if fld not in _RELATIONS | _LINKS:
                setattr(instance, fld, value)
        try:
            instance.full_clean(exclude=sorted(exclude | row.bad | _RELATIONS | _LINKS))
        except ValidationError as exc:
            for fld, errors in exc.message_dict.items():
                self.error(row, fld, " ".join(errors))

    def _clean_items(self, row: SourceRow, fld: str, model: type, items: list[Any]) -> None:
        """Communes of antennas or places: known, once each, labels within limits."""
        seen = set()
        for insee, label, extra in items:
            if not self._commune(row, fld, insee, again=True):
                continue
            if insee in seen:
                message = _("Commune « %(insee)s » en double.") % {"insee": insee}
                self.error(row, fld, message, again=True)
            seen.add(insee)
            fields = {"label": label, "address" if model is Antenna else "is_illustrative": extra}
            try:
                model(**fields).clean_fields(exclude=["structure", "dispositif", "commune"])
            except ValidationError as exc:
                self.error(row, fld, " ".join(exc.messages))

    def check_structure(self, row: SourceRow) -> None:
        existing = self.existing_s.get(row.ref)
        if existing is None:
            self._required(row, ["name", "commune"], _("une nouvelle structure"))
        insee = row.values.get("commune")
        if insee:
            self._commune(row, "commune", insee)
        elif "commune" in row.values:
            self.error(row, "commune", _("La commune est obligatoire."))
        self._clean_items(row, "antennas", Antenna, row.values.get("antennas", []))
        self._clean_model(row, copy.copy(existing) if existing else Structure(), {"organisation"})

    def _zone_error(self, kind: str, code: str) -> str | None:
        if (kind, code) not in self._zones:
            try:
                validate_zone(kind, code)
                self._zones[(kind, code)] = None
            except ValidationError as exc:
                self._zones[(kind, code)] = messages(exc)
        return self._zones[(kind, code)]

    def _refs(self, row: SourceRow, fld: str, refs: list[str], known: set[str], what: str) -> None:
        unknown = [r for r in refs if r and r not in known]
        if unknown:
            self.error(
                row,
                fld,
                _("%(what)s : %(refs)s (ni dans le fichier ni dans la base).")
                % {"what": what, "refs": ", ".join(f"« {r} »" for r in unknown)},
            )

    def check_dispositif(self, row: SourceRow) -> None:
        v = row.values
        existing = self.existing_d.get(row.ref)
        if existing is None:
            self._required(row, ["name", "structure"], _("un nouveau dispositif"))
        if "stages" in v and not v["stages"]:
            self.error(row, "stages", _("Indiquez au moins une étape."))
        if "structure" in v:
            self._refs(row, "structure", [v["structure"]], self.known_s, _("Structure inconnue"))
        structures, dispositifs = _("Structure(s) inconnue(s)"), _("Dispositif(s) inconnu(s)")
        self._refs(row, "co_operators", v.get("co_operators", []), self.known_s, structures)
        self._refs(row, "next_steps", v.get("next_steps", []), self.known_d, dispositifs)
        self._refs(row, "origin", [v.get("origin", "")], self.known_d, _("Dispositif inconnu"))
        if row.ref in v.get("next_steps", []) or row.ref == v.get("origin"):
            self.error(row, None, _("Un dispositif ne peut pas renvoyer à lui-même."))
        for kind, code in v.get("zones", []):
            problem = self._zone_error(kind, code)
            if problem:
                self.error(row, "zones", problem, again=True)
        self._clean_items(row, "session_places", SessionPlace, v.get("session_places", []))
        self._clean_model(row, copy.copy(existing) if existing else Dispositif(), set())

    def validate(self) -> None:
        self.parse()
        self.load()
        for row in self.structures:
            if row.ref:
                self.check_structure(row)
        for row in self.dispositifs:
            if row.ref:
                self.check_dispositif(row)

    # Comparison and writing -------------------------------------------------

    def compare(self) -> None:
        for rows, existing, values in (
            (self.structures, self.existing_s, structure_values),
            (self.dispositifs, self.existing_d, dispositif_values),
        ):
            for row in rows:
                obj = existing.get(row.ref)
                if obj is None:
                    row.status = CREATED
                    continue
                current = values(obj)
                row.changed = [
                    f
                    for f, value in row.values.items()
                    if not BY_FIELD[row.kind][f].codec.same(value, current[f])
                ]
                row.status = UPDATED if row.changed else UNCHANGED

    def _fields(self, row: SourceRow, skip: set[str]) -> dict[str, Any]:
        names = row.values if row.status == CREATED else row.changed
        return {f: row.values[f] for f in names if f not in skip}

    def write_structure(self, row: SourceRow) -> None:
        fields = self._fields(row, {"antennas"})
        if "commune" in fields:
            fields["commune"] = self.communes[fields["commune"]]
        structure = save_structure(
            acting_user=None, structure=self.existing_s.get(row.ref), **fields
        )
        if "antennas" in self._fields(row, set()):
            save_antennas(acting_user=None, structure=structure, antennas=row.values["antennas"])

    def write_dispositif(self, row: SourceRow) -> None:
        fields = self._fields(row, _LINKS)
        if not fields and row.status != CREATED:
            return
        if "structure" in fields:
            fields["structure"] = Structure.objects.get(ref=fields["structure"])
        if "co_operators" in fields:
            fields["co_operators"] = list(Structure.objects.filter(ref__in=fields["co_operators"]))
        self.existing_d[row.ref] = save_dispositif(
            acting_user=None, dispositif=self.existing_d.get(row.ref), **fields
        )

    def write_links(self, row: SourceRow) -> None:
        fields = {f: v for f, v in self._fields(row, set()).items() if f in _LINKS}
        if row.status == CREATED:
            fields = {f: v for f, v in fields.items() if v}
        if not fields:
            return
        if "next_steps" in fields:
            fields["next_steps"] = list(Dispositif.objects.filter(ref__in=fields["next_steps"]))
        if "origin" in fields:
            fields["origin"] = Dispositif.objects.filter(ref=fields["origin"]).first()
        save_dispositif(acting_user=None, dispositif=self.existing_d[row.ref], **fields)

    def write(self) -> None:
        for rows, write in (
            (self.structures, self.write_structure),
            (self.dispositifs, self.write_dispositif),
            (self.dispositifs, self.write_links),
        ):
            for row in rows:
                if row.status == UNCHANGED:
                    continue
                try:
                    write(row)
                except ValidationError as exc:
                    self.error(row, None, messages(exc))


def run_import(
    rows: list[SourceRow], *, apply: bool, errors: list[str] | None = None
) -> ImportReport:
    """Validate `rows` (and count what would change); write them if `apply`
    and nothing is wrong. `errors` are problems found while reading the file."""
    importer = Importer(rows, errors)
    importer.validate()
    report = ImportReport(errors=importer.errors)
    if report.errors:
        return report
    importer.compare()
    for row in rows:
        report.counts[row.kind][row.status] += 1
    if not apply:
        return report
    try:
        with transaction.atomic():
            importer.write()
            if importer.errors:
                raise _Rollback
    except _Rollback:
        report.counts = ImportReport().counts
        return report
    report.applied = True
    return report
