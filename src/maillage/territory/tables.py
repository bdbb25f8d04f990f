"""Read a user-supplied table (CSV or XLSX) into rows of strings.

Official files often carry title lines above the header: the header is the
first line, among the first 20, that holds one of the expected column names.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .search import normalize

HEADER_SCAN = 20


class TableError(ValueError):
    """A French message for the user, with the line number when known."""


def _csv_lines(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_lines(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    lines = [
        ["" if v is None else str(v).strip() for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return lines


def read_table(
    path: Path, columns: dict[str, set[str]]
) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Locate the header and return (column positions, [(line number, cells)]).

    `columns` maps our column names to the accepted header names (normalised);
    the first of them is required.
    """
    if not path.exists():
        raise TableError(f"Fichier introuvable : {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(path)
    elif suffix in (".csv", ".txt"):
        lines = _csv_lines(path)
    else:
        raise TableError(
            f"Format non pris en charge « {suffix} » : utilisez un fichier CSV ou XLSX."
        )
    required = next(iter(columns))
    for header_at, line in enumerate(lines[:HEADER_SCAN]):
        names = [normalize(cell) for cell in line]
        positions = {}
        for ours, accepted in columns.items():
            for pos, name in enumerate(names):
                if name in accepted:
                    positions[ours] = pos
                    break
        if required in positions:
            body = [
                (header_at + 2 + n, line)
                for n, line in enumerate(lines[header_at + 1 :])
                if any(cell.strip() for cell in line)
            ]
            return positions, body
    expected = ", ".join(sorted(columns[required]))
    raise TableError(
        f"Colonne du code commune introuvable dans les {HEADER_SCAN} premières lignes "
        f"(noms acceptés : {expected})."
    )
