"""Files in, files out: the entry points of the `offer` command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext as _

from .columns import COLUMNS, DISPOSITIFS, STRUCTURES, row_cells
from .datainclusion import SERVICES, read_datainclusion, write_datainclusion
from .importer import ImportReport, SourceRow, run_import
from .records import dispositif_queryset, dispositif_values, structure_queryset, structure_values
from .tabular import read_tables, write_csv, write_ods, write_xlsx

EXPORT_FORMATS = ("csv", "xlsx", "ods", "datainclusion")
KINDS = tuple(COLUMNS)


def import_file(path: Path, *, apply: bool) -> ImportReport:
    """Read a CSV, XLSX, ODS or data·inclusion JSON file and import it
    (dry run unless `apply`). Raises TableError or DataInclusionError when
    the file cannot be read at all."""
    if path.suffix.lower() == ".json":
        rows, errors = read_datainclusion(path)
        return run_import(rows, apply=apply, errors=errors)
    rows, errors = [], []
    # Structures first: dispositifs name them.
    for table in sorted(read_tables(path), key=lambda t: t.kind != STRUCTURES):
        errors.extend(table.errors)
        rows.extend(SourceRow(table.kind, table.where(line), cells) for line, cells in table.rows)
    return run_import(rows, apply=apply, errors=errors)


def table_rows(kind: str) -> list[list[object]]:
    if kind == STRUCTURES:
        return [row_cells(kind, structure_values(s)) for s in structure_queryset()]
    return [row_cells(kind, dispositif_values(d)) for d in dispositif_queryset()]


def default_output(fmt: str, today: dt.date | None = None) -> Path:
    suffix = "json" if fmt == "datainclusion" else fmt
    return Path(f"offre-maillage-{(today or dt.date.today()).isoformat()}.{suffix}")


def export_files(fmt: str, output: Path, kind: str | None = None) -> list[tuple[Path, str]]:
    """Write the export; returns (path, French description) of each file."""
    kinds = [kind] if kind else list(KINDS)
    if fmt == "datainclusion":
        counts = write_datainclusion(output, kind)
        what = _("%(s)d structures, %(d)d services (data·inclusion)") % {
            "s": counts[STRUCTURES],
            "d": counts[SERVICES],
        }
        return [(output, what)]
    sheets = {k: table_rows(k) for k in kinds}
    described = {k: _("%(n)d %(kind)s") % {"n": len(rows), "kind": k} for k, rows in sheets.items()}
    if fmt == "csv":
        written = []
        for k, rows in sheets.items():
            path = output if kind else output.with_name(f"{output.stem}-{k}{output.suffix}")
            write_csv(path, k, rows)
            written.append((path, described[k]))
        return written
    (write_xlsx if fmt == "xlsx" else write_ods)(output, sheets)
    return [(output, ", ".join(described.values()))]


__all__ = ["DISPOSITIFS", "EXPORT_FORMATS", "KINDS", "STRUCTURES", "export_files", "import_file"]
