"""The column spec of the offer files: one table for structures, one for
dispositifs.

Column names are stable machine names (lower case, no accents) so that a
file exported today still imports after the French labels change. Each
column has a codec that reads a cell's text into the value the actions
take, and writes it back, so that export and import are exact inverses:

- multi-valued cells are `|`-separated (`incubateur|tiers-lieu`); slugs are
  also recognised by their French label (`Tiers-lieu`);
- zones are typed, never bare codes: `departement:23|epci:200067130|france`;
- places are INSEE codes with an optional label, `*` marks an illustrative
  place: `23096=Salle des fêtes|23008*`; antennas may add an address:
  `23096=Antenne de Guéret=12 rue Victor Hugo`;
- dates are `AAAA-MM-JJ` (`JJ/MM/AAAA` accepted); decimals take `.` or `,`.

The codecs themselves are in `cells.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from maillage.territory.search import normalize

from ..vocabulary import Audience, Criterion, Format, LegalForm, Sector, Stage, StructureKind
from .cells import (
    Antennas,
    Bool,
    Choice,
    Codec,
    Date,
    Insee,
    Number,
    Places,
    Refs,
    Rna,
    Siret,
    Slugs,
    Text,
    Zones,
)


@dataclass(frozen=True)
class Column:
    name: str  # header in the files
    field: str  # keyword of save_structure / save_dispositif
    codec: Codec


STRUCTURE_COLUMNS = [
    Column("ref", "ref", Text()),
    Column("nom", "name", Text()),
    Column("types", "kinds", Slugs(StructureKind, gettext_lazy("Type de structure"))),
    Column(
        "forme_juridique",
        "legal_form",
        Choice(LegalForm, gettext_lazy("Forme juridique"), LegalForm.UNKNOWN.value),
    ),
    Column("siret", "siret", Siret()),
    Column("rna", "rna", Rna()),
    Column("adresse", "address", Text()),
    Column("commune_insee", "commune", Insee()),
    Column("latitude", "latitude", Number("float", positive=False)),
    Column("longitude", "longitude", Number("float", positive=False)),
    Column("site", "website", Text()),
    Column("email", "email", Text()),
    Column("telephone", "phone", Text()),
    Column("reseaux", "networks", Slugs()),
    Column("description", "description", Text()),
    Column("antennes_insee", "antennas", Antennas()),
]

DISPOSITIF_COLUMNS = [
    Column("ref", "ref", Text()),
    Column("structure_ref", "structure", Text()),
    Column("nom", "name", Text()),
    Column("description", "description", Text()),
    Column("co_operateurs_refs", "co_operators", Refs()),
    Column("etapes", "stages", Slugs(Stage, gettext_lazy("Étape"))),
    Column("publics", "audiences", Slugs(Audience, gettext_lazy("Public"))),
    Column("secteurs", "sectors", Slugs(Sector, gettext_lazy("Secteur"))),
    Column("formats", "formats", Slugs(Format, gettext_lazy("Format"))),
    Column("duree_semaines", "duration_weeks", Number("float")),
    Column("nb_seances", "sessions_count", Number("int")),
    Column("taille_promotion", "cohort_size", Number("int")),
    Column("cout_eur", "fee_eur", Number("decimal")),
    Column("cout_precision", "fee_note", Text()),
    Column("conditions", "entry_criteria", Text()),
    Column("criteres", "criteria_flags", Slugs(Criterion, gettext_lazy("Critère"))),
    Column("candidater", "how_to_apply", Text()),
    Column("lien_candidature", "apply_url", Text()),
    Column("prochaine_edition", "next_edition_start", Date()),
    Column("date_limite", "application_deadline", Date()),
    Column("zones", "zones", Zones()),
    Column("lieux_insee", "session_places", Places()),
    Column("etapes_suivantes_refs", "next_steps", Refs()),
    Column("modele", "is_template", Bool()),
    Column("origine_ref", "origin", Text()),
]

STRUCTURES = "structures"
DISPOSITIFS = "dispositifs"
COLUMNS = {STRUCTURES: STRUCTURE_COLUMNS, DISPOSITIFS: DISPOSITIF_COLUMNS}
BY_NAME = {kind: {c.name: c for c in columns} for kind, columns in COLUMNS.items()}
BY_FIELD = {kind: {c.field: c for c in columns} for kind, columns in COLUMNS.items()}


def header_name(text: str) -> str:
    """'Forme juridique' → 'forme_juridique', so hand-typed headers match."""
    return normalize(text).replace(" ", "_")


def kind_of_header(names: list[str]) -> str:
    """A table with a `structure_ref` column holds dispositifs."""
    return DISPOSITIFS if "structure_ref" in names else STRUCTURES


def row_texts(kind: str, values: dict[str, Any]) -> dict[str, str]:
    """Values by field → canonical cell texts by column name."""
    return {c.name: c.codec.text(values.get(c.field)) for c in COLUMNS[kind]}


def row_cells(kind: str, values: dict[str, Any]) -> list[Any]:
    """Values by field → typed cells, in column order (for spreadsheets)."""
    return [c.codec.cell(values.get(c.field)) for c in COLUMNS[kind]]
