"""Read and write the offer tables: CSV, XLSX (openpyxl) and ODS (odfpy).

A CSV file holds one kind of rows, told by its header (a `structure_ref`
column means dispositifs). XLSX and ODS workbooks hold a `structures` and a
`dispositifs` sheet, either of which may be absent; other sheets (a notice,
say) are ignored. Line numbers are those the spreadsheet shows: the header
is line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .columns import BY_NAME, COLUMNS, DISPOSITIFS, STRUCTURES, header_name, kind_of_header

FORMATS = ("csv", "xlsx", "ods")
# Characters XML (hence XLSX and ODS) cannot hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TableError(ValueError):
    """A French message for the user: the file cannot be read at all."""


@dataclass
class Table:
    kind: str  # STRUCTURES or DISPOSITIFS
    sheet: str | None  # None for a CSV file
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def where(self, line: int) -> str:
        if self.sheet:
            return _("feuille %(sheet)s, ligne %(line)d") % {"sheet": self.sheet, "line": line}
        return _("ligne %(line)d") % {"line": line}


def _text(value: Any) -> str:
    """A spreadsheet value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _table(lines: Iterable[tuple[int, list[str]]], sheet: str | None, kind: str | None) -> Table:
    """Build a table from (line number, cells); the first non-empty line is the header."""
    lines = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        return Table(kind or STRUCTURES, sheet)
    header_line, header = lines[0]
    names = [header_name(h) for h in header]
    table = Table(kind or kind_of_header(names), sheet)
    known = BY_NAME[table.kind]
    positions: dict[str, int] = {}
    for pos, name in enumerate(names):
        if not name:
            continue
        if name not in known:
            table.errors.append(
                _("%(where)s : colonne inconnue « %(name)s » (colonnes possibles : %(known)s).")
                % {
                    "where": table.where(header_line),
                    "name": header[pos],
                    "known": ", ".join(known),
                }
            )
        elif name in positions:
            table.errors.append(
                _("%(where)s : colonne « %(name)s » en double.")
                % {"where": table.where(header_line), "name": name}
            )
        else:
            positions[name] = pos
    if "ref" not in positions:
        table.errors.append(
            _("%(where)s : colonne « ref » manquante (identifiant de chaque ligne).")
            % {"where": table.where(header_line)}
        )
    for line, cells in lines[1:]:
        row = {name: cells[pos] if pos < len(cells) else "" for name, pos in positions.items()}
        table.rows.append((line, row))
    return table


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_csv(path: Path) -> list[Table]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [_table(((n, row) for n, row in enumerate(reader, start=1)), None, None)]


def _sheet_kind(name: str) -> str | None:
    return {STRUCTURES: STRUCTURES, DISPOSITIFS: DISPOSITIFS}.get(header_name(name))


def read_xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        tables = []
        for sheet in workbook.worksheets:
            kind = _sheet_kind(sheet.title)
            if kind:
                lines = (
                    (n, [_text(v) for v in row])
                    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                )
                tables.append(_table(lines, sheet.title, kind))
        return tables
    finally:
        workbook.close()


def _ods_cell(cell: Any) -> str:
    from odf import teletype
    from odf.text import P

    kind = cell.getAttribute("valuetype")
    if kind in ("float", "percentage", "currency"):
        return _text(float(cell.getAttribute("value")))
    if kind == "date":
        return cell.getAttribute("datevalue")[:10]
    if kind == "boolean":
        return "oui" if cell.getAttribute("booleanvalue") == "true" else "non"
    return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))


def _ods_lines(sheet: Any) -> Iterable[tuple[int, list[str]]]:
    from odf.table import TableRow

    line = 0
    for row in sheet.getElementsByType(TableRow):
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        cells: list[str] = []
        pending = 0  # empty cells, kept only if a filled one follows
        for cell in row.childNodes:
            if cell.qname[1] in ("table-cell", "covered-table-cell"):
                times = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                value = _ods_cell(cell)
                # LibreOffice pads rows with thousands of repeated empty cells.
                if not value:
                    pending += times
                    continue
                cells.extend([""] * pending + [value] * times)
                pending = 0
        for _times in range(repeat if any(cells) else 1):
            line += 1
            yield line, cells
        if not any(cells):
            line += repeat - 1


def read_ods(path: Path) -> list[Table]:
    from odf.opendocument import load
    from odf.table import Table as OdsTable

    document = load(str(path))
    tables = []
    for sheet in document.spreadsheet.getElementsByType(OdsTable):
        kind = _sheet_kind(sheet.getAttribute("name") or "")
        if kind:
            tables.append(_table(_ods_lines(sheet), sheet.getAttribute("name"), kind))
    return tables


def read_tables(path: Path) -> list[Table]:
    """The tables of a CSV, XLSX or ODS file."""
    if not path.exists():
        raise TableError(_("Fichier introuvable : %(path)s") % {"path": path})
    suffix = path.suffix.lower()
    readers = {".csv": read_csv, ".txt": read_csv, ".xlsx": read_xlsx, ".ods": read_ods}
    if suffix not in readers:
        raise TableError(
            _("Format non pris en charge « %(suffix)s » : utilisez un fichier CSV, XLSX ou ODS.")
            % {"suffix": suffix}
        )
    try:
        tables = readers[suffix](path)
    except Exception as exc:  # a damaged file breaks each library its own way
        raise TableError(
            _("Fichier illisible « %(name)s » : %(error)s") % {"name": path.name, "error": exc}
        ) from exc
    if not tables and suffix in (".xlsx", ".ods"):
        raise TableError(
            _("Aucune feuille « structures » ni « dispositifs » dans « %(name)s ».")
            % {"name": path.name}
        )
    return tables


# Writing ------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    # French spreadsheets read "1.5" as a date: decimals are written "1,5".
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return _text(value)


def write_csv(path: Path, kind: str, rows: list[list[Any]]) -> None:
    """`;`-separated, UTF-8 with BOM: what French spreadsheet software opens as is."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow([c.name for c in COLUMNS[kind]])
        writer.writerows([_csv_cell(v) for v in row] for row in rows)


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, rows in sheets.items():
        sheet = workbook.create_sheet(kind)
        sheet.append([c.name for c in COLUMNS[kind]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row])
            for cell in sheet[sheet.max_row]:
                # A text starting with "=" is data, not a formula.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    workbook.save(path)


def _ods_new_cell(value: Any) -> Any:
    from odf import teletype
    from odf.table import TableCell
    from odf.text import P

    if value is None or value == "":
        return TableCell()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = format(value, "f") if isinstance(value, Decimal) else _text(value)
        cell = TableCell(valuetype="float", value=number)
        cell.addElement(P(text=_csv_cell(value)))
        return cell
    if isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=value.isoformat()))
        return cell
    cell = TableCell(valuetype="string")
    for line in _ILLEGAL.sub("", str(value)).split("\n"):
        paragraph = P()
        teletype.addTextToElement(paragraph, line)
        cell.addElement(paragraph)
    return cell


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableRow

    document = OpenDocumentSpreadsheet()
    for kind, rows in sheets.items():
        sheet = OdsTable(name=kind)
        for row in [[c.name for c in COLUMNS[kind]], *rows]:
            line = TableRow()
            for value in row:
                line.addElement(_ods_new_cell(value))
            sheet.addElement(line)
        document.spreadsheet.addElement(sheet)
    document.save(str(path))
