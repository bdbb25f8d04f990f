"""Dated official lists: INSEE density grid and France Ruralités Revitalisation.

Every row is checked before anything is written; one transaction writes
all. Errors are French sentences with the line number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Commune, ReferenceImport
from .search import normalize
from .tables import TableError, read_table

CODE_COLUMNS = {"codgeo", "code geographique", "code commune", "code insee", "code", "com", "insee"}
LEVEL_COLUMNS = {
    "dens",
    "dens7",
    "degre de densite",
    "niveau de densite",
    "typo degre de densite",
    "grille de densite",
    "niveau",
}
FRR_COLUMNS = {"frr", "classement frr", "classement", "zonage frr", "statut"}
# Values of an FRR column that mean "not classified".
FRR_NO = {"", "0", "n", "non", "false", "faux", "non classee", "commune non classee"}


@dataclass
class ImportReport:
    rows: int = 0
    matched: int = 0
    errors: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    written: bool = False


def _code(cell: str) -> str:
    code = cell.strip().upper()
    # Spreadsheets drop the leading zero of "01001".
    return code.zfill(5) if code.isdigit() else code


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_density_grid(path: Path, year: int, *, apply: bool = True) -> ImportReport:
    report = ImportReport()
    try:
        cols, body = read_table(path, {"code": CODE_COLUMNS, "level": LEVEL_COLUMNS})
    except TableError as exc:
        report.errors.append(str(exc))
        return report
    if "level" not in cols:
        report.errors.append("Colonne du niveau de densité introuvable (par exemple « DENS »).")
        return report
    known = set(Commune.objects.values_list("insee", flat=True))
    values: dict[str, int] = {}
    for line, cells in body:
        report.rows += 1
        code = _code(cells[cols["code"]]) if cols["code"] < len(cells) else ""
        raw = cells[cols["level"]].strip() if cols["level"] < len(cells) else ""
        try:
            level = int(float(raw.replace(",", ".")))
        except ValueError:
            level = 0
        if not code:
            report.errors.append(f"ligne {line} : code commune manquant")
        elif level not in range(1, 8):
            report.errors.append(
                f"ligne {line} : niveau de densité « {raw} » invalide (attendu de 1 à 7)"
            )
        elif code in known:
            values[code] = level
        else:
            report.unknown.append(code)
    report.matched = len(values)
    if report.errors or not apply:
        return report
    with transaction.atomic():
        by_level: dict[int, list[str]] = {}
        for code, level in values.items():
            by_level.setdefault(level, []).append(code)
        for level, codes in by_level.items():
            for start in range(0, len(codes), 500):
                Commune.objects.filter(insee__in=codes[start : start + 500]).update(
                    rurality_official=level, rurality_official_year=year
                )
        ReferenceImport.objects.create(
            kind=ReferenceImport.Kind.DENSITY_GRID,
            reference_date=dt.date(year, 1, 1),
            filename=path.name,
            fingerprint=_fingerprint(path),
            rows=report.rows,
            matched=report.matched,
        )
    report.written = True
    return report


def import_frr(path: Path, date: dt.date, *, apply: bool = True) -> ImportReport:
    """The FRR list is exhaustive: communes it does not classify are not FRR."""
    report = ImportReport()
    try:
        cols, body = read_table(path, {"code": CODE_COLUMNS, "frr": FRR_COLUMNS})
    except TableError as exc:
        report.errors.append(str(exc))
        return report
    known = set(Commune.objects.values_list("insee", flat=True))
    classified: set[str] = set()
    listed: set[str] = set()
    for line, cells in body:
        report.rows += 1
        code = _code(cells[cols["code"]]) if cols["code"] < len(cells) else ""
        if not code:
            report.errors.append(f"ligne {line} : code commune manquant")
            continue
        if code not in known:
            report.unknown.append(code)
            continue
        listed.add(code)
        if "frr" in cols:
            value = normalize(cells[cols["frr"]]) if cols["frr"] < len(cells) else ""
            if value in FRR_NO:
                continue
        classified.add(code)
    report.matched = len(listed)
    if report.errors or not apply:
        return report
    with transaction.atomic():
        Commune.objects.update(frr=False, frr_date=date)
        codes = sorted(classified)
        for start in range(0, len(codes), 500):
            Commune.objects.filter(insee__in=codes[start : start + 500]).update(frr=True)
        ReferenceImport.objects.create(
            kind=ReferenceImport.Kind.FRR,
            reference_date=date,
            filename=path.name,
            fingerprint=_fingerprint(path),
            rows=report.rows,
            matched=report.matched,
        )
    report.written = True
    return report
