"""Which commune a person meant: a chosen INSEE code, or a typed name.

The commune fields of the offer pages pair a visible text input with a hidden
INSEE input filled by the autocomplete. Without JavaScript only the text
arrives, and the server resolves it the same way the autocomplete would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from maillage.territory.models import Commune
from maillage.territory.search import CommuneHit, normalize, search_communes

# "Guéret (23)": the label the autocomplete writes into the visible input.
_LABELLED = re.compile(r"^(?P<name>.*?)\s*\((?P<dep>\d[\dAB]|\d{3})\)\s*$", re.IGNORECASE)
MAX_CANDIDATES = 20
ARTICLES = {"le", "la", "les", "l"}


def _bare(name: str) -> str:
    """Without its article: "herm" is as much L'Herm (09) as Herm (40)."""
    first, _sep, rest = name.partition(" ")
    return rest if rest and first in ARTICLES else name


@dataclass
class Resolution:
    commune: Commune | None = None
    # Several communes answer the typed text: the person chooses.
    candidates: list[CommuneHit] = field(default_factory=list)


def get_commune(insee: str) -> Commune | None:
    # The search reads the EPCI, département and région of the commune.
    return (
        Commune.objects.active()
        .select_related("departement__region", "epci")
        .filter(insee=insee.strip().upper())
        .first()
    )


def resolve_commune(insee: str, text: str) -> Resolution:
    text = text.strip()
    if insee.strip():
        commune = get_commune(insee)
        # Without JavaScript a stale code survives a retyped name: the name wins.
        said = normalize(text)
        if commune is not None and said in {"", normalize(commune.label), normalize(commune.name)}:
            return Resolution(commune)
    if not text:
        return Resolution()
    departement = ""
    labelled = _LABELLED.match(text)
    if labelled:
        text, departement = labelled["name"], labelled["dep"].upper()
    hits = search_communes(text, limit=MAX_CANDIDATES)
    if departement:
        hits = [h for h in hits if h.departement == departement]
    said = _bare(normalize(text))
    exact = [h for h in hits if _bare(normalize(h.name)) == said]
    if len(exact) == 1:
        hits = exact
    if len(hits) == 1:
        return Resolution(get_commune(hits[0].insee))
    return Resolution(candidates=exact or hits)
