"""Commune search: accent/case/punctuation-insensitive, by name (prefix of
any word), postal code or INSEE code.

The index lives in memory (about 35,000 communes, a few MB) and answers in
well under a millisecond; it is rebuilt when a new reference load is
recorded. Ranking: INSEE code match, then names where the typed words are
whole words ("herm" finds Herm and L'Herm before L'Hermitage), then names
that start with the query, then population — so "louvigne" gives
Louvigné-du-Désert (3,374 inhabitants) before Louvigné (Mayenne).
"""

from __future__ import annotations

import bisect
import heapq
import re
import threading
import unicodedata
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Abbreviations people type for the most common name words.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_CODE = re.compile(r"^(?:\d[\dab]|2[ab])\d{0,3}$")


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces.

    >>> normalize("L'Herm")
    'l herm'
    >>> normalize("  Saint-Agrève ")
    'saint agreve'
    >>> normalize("Œuilly")
    'oeuilly'
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SEPARATORS.sub(" ", text).strip()


def query_tokens(text: str) -> list[str]:
    words = normalize(text).split()
    # Expand "st" only when something else was typed: "st" alone stays a prefix.
    if len(words) > 1:
        words = [_ABBREVIATIONS.get(w, w) for w in words]
    return words


@dataclass(frozen=True)
class CommuneHit:
    insee: str
    name: str
    departement: str
    postal_codes: tuple[str, ...]
    population: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "insee": self.insee,
            "name": self.name,
            "departement": self.departement,
            "postal_codes": list(self.postal_codes),
            "population": self.population,
        }


class CommuneIndex:
    """Sorted word lists + bisect: each query token is a prefix range.

    Communes are kept in decreasing population order, so a commune's index
    is its population rank and most of the ranking is integer comparison.
    """

    def __init__(self, communes: list[CommuneHit]) -> None:
        communes = sorted(communes, key=lambda c: (-(c.population or 0), c.insee))
        self.communes = communes
        names = [normalize(c.name) for c in communes]
        pairs = sorted((word, i) for i, name in enumerate(names) for word in set(name.split()))
        self.words = [w for w, _ in pairs]
        self.word_owner = [i for _, i in pairs]
        # Names, and names without their first word (the article, if any),
        # to find those that start with the whole query.
        starts = sorted(
            {(name, i) for i, name in enumerate(names)}
            | {(name.partition(" ")[2], i) for i, name in enumerate(names) if " " in name}
        )
        self.starts = [n for n, _ in starts]
        self.starts_owner = [i for _, i in starts]
        postal = sorted((p, i) for i, c in enumerate(communes) for p in c.postal_codes)
        self.postal = [p for p, _ in postal]
        self.postal_owner = [i for _, i in postal]
        self.by_insee = {c.insee: i for i, c in enumerate(communes)}

    @staticmethod
    def _range(keys: list[str], owners: list[int], low: str, high: str) -> set[int]:
        return set(owners[bisect.bisect_left(keys, low) : bisect.bisect_right(keys, high)])

    def _prefix(self, keys: list[str], owners: list[int], prefix: str) -> set[int]:
        return self._range(keys, owners, prefix, prefix + "\uffff")

    def search(self, text: str, limit: int = 10) -> list[CommuneHit]:
        tokens = query_tokens(text)
        if not tokens:
            return []
        joined = "".join(tokens)
        exact_code: set[int] = set()
        whole: dict[int, int] = {}
        starting: set[int] = set()
        if _CODE.match(joined):
            code = joined.upper()
            if code in self.by_insee:
                exact_code.add(self.by_insee[code])
            matches = exact_code | self._prefix(self.postal, self.postal_owner, joined)
        else:
            matches = self._prefix(self.words, self.word_owner, tokens[0])
            for token in tokens[1:]:
                matches &= self._prefix(self.words, self.word_owner, token)
            for token in tokens:
                for i in self._range(self.words, self.word_owner, token, token) & matches:
                    whole[i] = whole.get(i, 0) + 1
            starting = self._prefix(self.starts, self.starts_owner, " ".join(tokens)) & matches

        def rank(i: int) -> tuple[int, int, int, int]:
            return (0 if i in exact_code else 1, -whole.get(i, 0), 0 if i in starting else 1, i)

        # Only a few communes get a better rank than their population rank;
        # the rest are already in order.
        special = exact_code | whole.keys() | starting
        best = heapq.nsmallest(limit, special, key=rank)
        rest = heapq.nsmallest(limit, matches - special)
        return [self.communes[i] for i in (best + rest)[:limit]]


_lock = threading.Lock()
_cache: dict[str, object] = {}


def _stamp() -> tuple[object, ...]:
    """Cheap fingerprint of the commune table: two primary-key look-ups.

    Loads record a release and add rows with new ids; anything else that
    rewrites communes calls clear_index().
    """
    from .models import Commune, TerritoryRelease

    last_commune = Commune.objects.order_by("-id").values_list("id", flat=True).first()
    release = TerritoryRelease.objects.order_by("-id").values_list("id", flat=True).first()
    return (release, last_commune)


def clear_index() -> None:
    with _lock:
        _cache.clear()


def get_index() -> CommuneIndex:
    """The process-wide index, rebuilt when the commune table changed."""
    from .models import Commune

    stamp = _stamp()
    with _lock:
        index = _cache.get("index")
        if not isinstance(index, CommuneIndex) or _cache.get("stamp") != stamp:
            rows = Commune.objects.active().values_list(
                "insee", "name", "departement__code", "postal_codes", "population"
            )
            hits = [CommuneHit(i, n, d, tuple(p or ()), pop) for i, n, d, p, pop in rows]
            index = CommuneIndex(hits)
            _cache.update(stamp=stamp, index=index)
    return index


def search_communes(text: str, limit: int = 10) -> list[CommuneHit]:
    return get_index().search(text, limit)
