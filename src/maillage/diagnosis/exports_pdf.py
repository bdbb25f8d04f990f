"""The PDF of a diagnosis (reportlab): title, headline numbers, the map as
vector polygons, the table by rurality and the communes beyond the threshold.

The built-in Helvetica covers French (WinAnsi); numbers use a no-break space
(U+00A0) as thousands separator because the narrow one is not in that set.
"""

from __future__ import annotations

import io
import json
import math
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .exports import (
    CHAIN_GAP_COLOUR,
    CLASSES,
    RURALITY_HEADER,
    STAGE_HEADER,
    minute_class,
    rurality_rows,
    share,
    stage_rows,
)

# The beyond list of a big territory would run to hundreds of pages; the
# spreadsheets carry all of it.
MAX_BEYOND_ROWS = 300


def fr(value: object, decimals: int = 0) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return geometry["coordinates"]
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


class MapFlowable(Flowable):
    """Commune polygons filled by travel class, projected equirectangularly
    (longitude scaled by cos(latitude)) into the frame width."""

    def __init__(self, shapes: list[tuple[list, str, bool]], width: float, max_height: float):
        super().__init__()
        self.shapes = shapes
        points = [p for rings, _c, _g in shapes for ring in rings for p in ring]
        lons = [p[0] for p in points] or [0.0]
        lats = [p[1] for p in points] or [0.0]
        self.lon0, self.lat1 = min(lons), max(lats)
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - min(lons)) * self.kx, 1e-6)
        span_y = max(max(lats) - min(lats), 1e-6)
        self.scale = min(width / span_x, max_height / span_y)
        self.width, self.height = span_x * self.scale, span_y * self.scale

    def _xy(self, p: list[float]) -> tuple[float, float]:
        x = (p[0] - self.lon0) * self.kx * self.scale
        return x, self.height - (self.lat1 - p[1]) * self.scale

    def _path(self, rings: list):
        path = self.canv.beginPath()
        for ring in rings:
            path.moveTo(*self._xy(ring[0]))
            for p in ring[1:]:
                path.lineTo(*self._xy(p))
            path.close()
        return path

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colors.white)
        c.setLineWidth(0.3)
        for rings, colour, _gap in self.shapes:
            c.setFillColor(colors.HexColor(colour))
            c.drawPath(self._path(rings), fill=1, stroke=1)
        c.setStrokeColor(colors.HexColor(CHAIN_GAP_COLOUR))
        c.setLineWidth(1.2)
        c.setDash(3, 1.5)
        for rings, _colour, gap in self.shapes:
            if gap:
                c.drawPath(self._path(rings), fill=0, stroke=1)
        c.setDash()


def _table(header, rows, widths=None, align_from: int = 1) -> Table:
    table = Table([list(header), *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c9d1cc")),
                ("ALIGN", (align_from, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _legend() -> Table:
    cells = []
    for _key, label, _upper, _colour in CLASSES:
        cells += ["", str(label)]
    table = Table([cells], colWidths=[4 * mm, None] * len(CLASSES), hAlign="LEFT")
    style = [("FONT", (0, 0), (-1, -1), "Helvetica", 7.5), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for i, (_k, _l, _u, colour) in enumerate(CLASSES):
        style += [
            ("BACKGROUND", (2 * i, 0), (2 * i, 0), colors.HexColor(colour)),
            ("BOX", (2 * i, 0), (2 * i, 0), 0.3, colors.grey),
        ]
    table.setStyle(TableStyle(style))
    return table


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(colors.HexColor("#4a5560"))
    canvas.drawString(
        doc.leftMargin,
        10 * mm,
        _("Maillage — diagnostic du %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
    )
    canvas.drawRightString(A4[0] - doc.rightMargin, 10 * mm, _("page %(n)d") % {"n": doc.page})
    canvas.restoreState()


def _single(result: dict, geometries: dict[str, str], styles, width: float) -> list:
    s = result["summary"]
    threshold = s["threshold_minutes"]
    story: list = [
        Paragraph(
            escape(
                _(
                    "%(pct)s %% des habitants (%(pop)s sur %(total)s) sont à plus de %(t)s min "
                    "d'un accompagnement « %(stage)s » : %(c)s communes sur %(n)s."
                )
                % {
                    "pct": fr(share(s["population_beyond"], s["population"])),
                    "pop": fr(s["population_beyond"]),
                    "total": fr(s["population"]),
                    "t": fr(threshold),
                    "stage": s["stage_label"],
                    "c": fr(s["communes_beyond"]),
                    "n": fr(s["communes"]),
                }
            ),
            styles["Heading3"],
        )
    ]
    gaps = s["chain_gaps"]
    if gaps["next_stage"]:
        story.append(
            Paragraph(
                escape(
                    _(
                        "Ruptures de parcours : %(c)s communes (%(p)s habitants) ont cette étape "
                        "à moins de %(t)s min mais pas l'étape suivante."
                    )
                    % {"c": fr(gaps["communes"]), "p": fr(gaps["population"]), "t": fr(threshold)}
                ),
                styles["BodyText"],
            )
        )
    if s["unmet_demand"]:
        total = sum(s["unmet_demand"].values())
        story.append(
            Paragraph(
                escape(_("Demandes non satisfaites (orientation) : %(n)s.") % {"n": fr(total)}),
                styles["BodyText"],
            )
        )
    rows = {r["insee"]: r for r in result["communes"]}
    shapes = []
    for insee, text in geometries.items():
        row = rows.get(insee)
        if row is None or not text:
            continue
        key = minute_class(row["minutes"], row["beyond"], threshold)
        colour = next(c for k, _l, _u, c in CLASSES if k == key)
        shapes.append((_rings(json.loads(text)), colour, row["chain_gap"]))
    if shapes:
        story += [
            Spacer(1, 3 * mm),
            MapFlowable(shapes, width, 120 * mm),
            Spacer(1, 2 * mm),
            _legend(),
            Paragraph(
                escape(
                    _(
                        "Temps de trajet en voiture vers le lieu de session le plus proche d'un "
                        "dispositif qui couvre la commune. Contour en tirets : rupture de parcours."
                    )
                ),
                styles["Italic"],
            ),
        ]
    story += [
        Paragraph(escape(_("Par niveau de densité")), styles["Heading2"]),
        _table(
            [str(h) for h in RURALITY_HEADER],
            [
                [fr(v) if not isinstance(v, float) else fr(v, 1) for v in r]
                for r in rurality_rows(s)
            ],
            align_from=2,
        ),
        Paragraph(
            escape(_("Communes au-delà de %(t)s min") % {"t": fr(threshold)}), styles["Heading2"]
        ),
    ]
    beyond = s["beyond"][:MAX_BEYOND_ROWS]
    if beyond:
        story.append(
            _table(
                [_("Code INSEE"), _("Commune"), _("Population"), _("Trajet (min)")],
                [[b["insee"], b["name"], fr(b["population"]), fr(b["minutes"], 1)] for b in beyond],
                align_from=2,
            )
        )
        if len(s["beyond"]) > MAX_BEYOND_ROWS:
            story.append(
                Paragraph(
                    escape(
                        _("… et %(n)s autres : la liste complète est dans les exports tableur.")
                        % {"n": fr(len(s["beyond"]) - MAX_BEYOND_ROWS)}
                    ),
                    styles["BodyText"],
                )
            )
    else:
        story.append(Paragraph(escape(_("Aucune.")), styles["BodyText"]))
    return story


def render_pdf(result: dict, geometries: dict[str, str]) -> bytes:
    styles = getSampleStyleSheet()
    for name in ("Heading2", "Heading3"):
        styles[name].keepWithNext = 1
    out = io.BytesIO()
    first = result["summary"] if "summary" in result else (result["stages"] or [{}])[0]
    title = _("Diagnostic de l'offre d'accompagnement — %(t)s") % {
        "t": first.get("territory_label", "")
    }
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Maillage",
        lang="fr",
    )
    if "summary" in result:
        subtitle = _("Étape « %(s)s », seuil de %(t)s minutes") % {
            "s": first["stage_label"],
            "t": fr(first["threshold_minutes"]),
        }
    else:
        subtitle = _("Toutes les étapes du parcours, seuil de %(t)s minutes") % {
            "t": fr(first.get("threshold_minutes", ""))
        }
    story: list = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(subtitle), styles["Heading2"]),
    ]
    if "summary" in result:
        story += _single(result, geometries, styles, doc.width)
    else:
        rows = [
            [r[0], fr(r[2]), fr(r[3]), fr(r[4], 1), fr(r[5]), fr(r[6]), fr(r[7])]
            for r in stage_rows(result["stages"])
        ]
        header = [str(h) for i, h in enumerate(STAGE_HEADER) if i != 1]
        story.append(_table(header, rows))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
