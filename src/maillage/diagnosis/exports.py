"""Exports of a diagnosis result: CSV, XLSX, ODS and PDF.

They read the dict a diagnosis job stores (`tasks.diagnose_task`:
{"summary": Diagnosis.as_dict(), "communes": Diagnosis.commune_rows()}) or,
for every stage at once, {"stages": [as_dict(), …]} — the very numbers of
`maillage diagnose --json`, never recomputed, so that every format agrees
with the CLI and the API. Domain-side so that a command can export too.

Travel-minute classes and their colours live here as well: the web map, the
print SVG and the PDF map must colour a commune the same way.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.offer.vocabulary import Stage

# (key, label, upper bound in minutes, colour): ColorBrewer YlOrRd, light
# when near; ordered by lightness, so that it reads in grey and for
# colour-blind people too. "aucun" is neutral grey: no support at all.
CLASSES: tuple[tuple[str, object, float | None, str], ...] = (
    ("0-15", gettext_lazy("0 à 15 min"), 15, "#ffffb2"),
    ("15-30", gettext_lazy("15 à 30 min"), 30, "#fecc5c"),
    ("30-45", gettext_lazy("30 à 45 min"), 45, "#fd8d3c"),
    ("45-60", gettext_lazy("45 à 60 min"), 60, "#e31a1c"),
    ("60+", gettext_lazy("plus de 60 min"), math.inf, "#800026"),
    ("aucun", gettext_lazy("aucun accompagnement accessible"), None, "#9a9a9a"),
)
CLASS_LABELS = {key: label for key, label, _u, _c in CLASSES}
CLASS_COLOURS = {key: colour for key, _l, _u, colour in CLASSES}
CHAIN_GAP_COLOUR = "#08306b"
# The optimisation's stand-in for "no support" (optimize.UNSERVED_MINUTES).
NO_SUPPORT_MINUTES = 10_000.0

UNMET_REASONS = {
    "zone": gettext_lazy("aucun dispositif ne couvre la commune"),
    "stage": gettext_lazy("aucun dispositif à cette étape"),
    "audience": gettext_lazy("aucun dispositif ouvert à ce public"),
    "sector": gettext_lazy("aucun dispositif pour ce secteur"),
    "format": gettext_lazy("aucun dispositif sous ce format"),
    "distance": gettext_lazy("dispositifs trop éloignés"),
}


def minute_class(minutes: float | None, beyond: bool | None = None, threshold=None) -> str:
    """Class key of a travel time. Minutes come rounded to 0.1: at the
    threshold itself, the `beyond` flag (computed unrounded) decides."""
    if minutes is None or minutes >= NO_SUPPORT_MINUTES:
        return "aucun"
    if beyond and threshold is not None and minutes <= float(threshold):
        minutes = float(threshold) + 0.01
    for key, _label, upper, _colour in CLASSES:
        if upper is not None and minutes <= upper:
            return key
    return "60+"


def share(part: int, whole: int) -> float:
    """Percentage with one decimal (0 for an empty territory)."""
    return round(part / whole * 100, 1) if whole else 0.0


def yes_no(flag: bool) -> str:
    return _("oui") if flag else _("non")


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[object]]


def _summary_sheet(s: dict) -> Sheet:
    gaps = s["chain_gaps"]
    rows: list[list[object]] = [
        [_("Territoire"), s["territory_label"], "territory_label"],
        [_("Code du territoire"), s["territory"], "territory"],
        [_("Étape"), s["stage_label"], "stage_label"],
        [_("Code de l'étape"), s["stage"], "stage"],
        [_("Seuil (minutes)"), s["threshold_minutes"], "threshold_minutes"],
        [_("Communes"), s["communes"], "communes"],
        [_("Habitants"), s["population"], "population"],
        [_("Communes au-delà du seuil"), s["communes_beyond"], "communes_beyond"],
        [_("Habitants au-delà du seuil"), s["population_beyond"], "population_beyond"],
        [
            _("Part des habitants au-delà du seuil (%)"),
            share(s["population_beyond"], s["population"]),
            "share_beyond",
        ],
        [
            _("Communes servies seulement à distance"),
            s["remote_only_communes"],
            "remote_only_communes",
        ],
        [
            _("Étape suivante du parcours"),
            str(Stage(gaps["next_stage"]).label) if gaps["next_stage"] else "",
            "chain_gaps.next_stage",
        ],
        [_("Communes en rupture de parcours"), gaps["communes"], "chain_gaps.communes"],
        [_("Habitants en rupture de parcours"), gaps["population"], "chain_gaps.population"],
    ]
    for reason, count in sorted(s["unmet_demand"].items()):
        label = UNMET_REASONS.get(reason, reason)
        rows.append(
            [_("Demandes non satisfaites : %(r)s") % {"r": label}, count, f"unmet.{reason}"]
        )
    return Sheet(_("Synthèse"), [_("Indicateur"), _("Valeur"), _("Clé")], rows)


def rurality_rows(s: dict) -> list[list[object]]:
    return [
        [
            int(level),
            r["label"],
            r["communes"],
            r["population"],
            r["communes_beyond"],
            r["population_beyond"],
            share(r["population_beyond"], r["population"]),
        ]
        for level, r in sorted(s["by_rurality"].items(), key=lambda kv: int(kv[0]))
    ]


RURALITY_HEADER = (
    gettext_lazy("Niveau"),
    gettext_lazy("Densité"),
    gettext_lazy("Communes"),
    gettext_lazy("Habitants"),
    gettext_lazy("Communes au-delà"),
    gettext_lazy("Habitants au-delà"),
    gettext_lazy("Part au-delà (%)"),
)


def _commune_sheet(result: dict) -> Sheet:
    s = result["summary"]
    levels = {int(k): v["label"] for k, v in s["by_rurality"].items()}
    header = [
        _("Code INSEE"),
        _("Commune"),
        _("Population"),
        _("Niveau de densité"),
        _("Densité"),
        _("Trajet (min)"),
        _("Classe de trajet"),
        _("Dispositif le plus proche"),
        _("Au-delà du seuil"),
        _("Seulement à distance"),
        _("Rupture de parcours"),
    ]
    rows = []
    for r in result["communes"]:
        key = minute_class(r["minutes"], r["beyond"], s["threshold_minutes"])
        rows.append(
            [
                r["insee"],
                r["name"],
                r["population"],
                r["rurality"],
                levels.get(r["rurality"], ""),
                r["minutes"],
                str(CLASS_LABELS[key]),
                r["nearest"] or "",
                yes_no(r["beyond"]),
                yes_no(r["remote_only"]),
                yes_no(r["chain_gap"]),
            ]
        )
    return Sheet(_("Communes"), header, rows)


def _beyond_sheet(s: dict) -> Sheet:
    header = [_("Code INSEE"), _("Commune"), _("Population"), _("Trajet (min)")]
    rows = [[b["insee"], b["name"], b["population"], b["minutes"]] for b in s["beyond"]]
    return Sheet(_("Au-delà du seuil"), header, rows)


def stage_rows(stages: list[dict]) -> list[list[object]]:
    return [
        [
            s["stage_label"],
            s["stage"],
            s["communes_beyond"],
            s["population_beyond"],
            share(s["population_beyond"], s["population"]),
            s["chain_gaps"]["communes"],
            s["chain_gaps"]["population"],
            sum(s["unmet_demand"].values()),
        ]
        for s in stages
    ]


STAGE_HEADER = (
    gettext_lazy("Étape"),
    gettext_lazy("Code"),
    gettext_lazy("Communes au-delà"),
    gettext_lazy("Habitants au-delà"),
    gettext_lazy("Part au-delà (%)"),
    gettext_lazy("Communes en rupture"),
    gettext_lazy("Habitants en rupture"),
    gettext_lazy("Demandes non satisfaites"),
)


def sheets(result: dict) -> list[Sheet]:
    """The tables of a result; the first one is the CSV's."""
    if "stages" in result:
        stages = result["stages"]
        first = stages[0] if stages else {}
        about = [
            [_("Territoire"), first.get("territory_label", ""), "territory_label"],
            [_("Code du territoire"), first.get("territory", ""), "territory"],
            [_("Seuil (minutes)"), first.get("threshold_minutes", ""), "threshold_minutes"],
            [_("Communes"), first.get("communes", 0), "communes"],
            [_("Habitants"), first.get("population", 0), "population"],
        ]
        return [
            Sheet(_("Étapes"), [str(h) for h in STAGE_HEADER], stage_rows(stages)),
            Sheet(_("Synthèse"), [_("Indicateur"), _("Valeur"), _("Clé")], about),
        ]
    s = result["summary"]
    return [
        _commune_sheet(result),
        _summary_sheet(s),
        Sheet(_("Par densité"), [str(h) for h in RURALITY_HEADER], rurality_rows(s)),
        _beyond_sheet(s),
    ]


def _cells(row: Iterable[object]) -> list[object]:
    return ["" if v is None else v for v in row]


def to_csv(result: dict) -> bytes:
    """One table, semicolons and a BOM: what French spreadsheet software opens
    as-is. Per commune for one stage (it sums up to the summary), per stage
    for all stages."""
    sheet = sheets(result)[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.header)
    writer.writerows(_cells(r) for r in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Write-only: a national territory has 35,000 rows.
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets(result):
        ws = book.create_sheet(sheet.title[:31])
        ws.freeze_panes = "A2"
        for i, title in enumerate(sheet.header):
            width = max([len(str(title))] + [len(str(r[i] or "")) for r in sheet.rows[:500]])
            ws.column_dimensions[get_column_letter(i + 1)].width = min(width + 2, 60)
        header = []
        for title in sheet.header:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"'
)
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{xml_escape(str(value))}'
        "</text:p></table:table-cell>"
    )


def to_ods(result: dict) -> bytes:
    """OpenDocument spreadsheet, written directly: building odfpy elements
    cell by cell takes about 70 µs each, i.e. over half a minute for France."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>']
    parts.append("<office:body><office:spreadsheet>")
    for sheet in sheets(result):
        parts.append(f'<table:table table:name="{xml_escape(sheet.title, {chr(34): "&quot;"})}">')
        for row in [sheet.header, *sheet.rows]:
            parts.append("<table:table-row>")
            parts.extend(_ods_cell(v) for v in row)
            parts.append("</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
        for name in ("content.xml", "styles.xml", "meta.xml")
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        f"{entries}</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        # The MIME type comes first and uncompressed (OpenDocument packaging).
        z.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", "".join(parts))
        z.writestr(
            "styles.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODS_NS}/>',
        )
        z.writestr(
            "meta.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODS_NS}>'
            "<office:meta><meta:generator>Maillage</meta:generator></office:meta>"
            "</office:document-meta>",
        )
    return out.getvalue()


def to_pdf(result: dict, geometries: dict[str, str] | None = None) -> bytes:
    from .exports_pdf import render_pdf

    if geometries is None and "summary" in result:
        geometries = geometries_of(result["summary"]["territory"])
    return render_pdf(result, geometries or {})


def geometries_of(spec: str) -> dict[str, str]:
    """INSEE → simplified GeoJSON outline of the territory's communes."""
    from .territories import resolve

    communes = resolve(spec).communes
    return dict(zip(communes.insee.tolist(), communes.geometry, strict=True))


FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", to_ods),
    "pdf": ("application/pdf", to_pdf),
}


def export(result: dict, fmt: str) -> tuple[bytes, str]:
    """(content, MIME type) of a result in a format of FORMATS."""
    content_type, render = FORMATS[fmt]
    return render(result), content_type
