"""Cell codecs: the text of one cell ⇄ the value the actions take.

Only syntax and vocabularies are checked here (no database): communes,
zones and references are checked by the importer, which knows the file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from maillage.territory.search import normalize

from ..validators import (
    normalize_rna,
    normalize_siret,
    validate_choices,
    validate_rna,
    validate_siret,
)
from ..zones import parse_zone

SEPARATOR = "|"
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class CellError(ValueError):
    """A French message about one cell."""


def messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def split(text: str) -> list[str]:
    return [item.strip() for item in (text or "").split(SEPARATOR) if item.strip()]


def insee_code(text: str) -> str:
    # Spreadsheets turn "07010" into the number 7010.
    code = text.strip().upper()
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


class Codec:
    """Text of a cell ⇄ value given to the actions."""

    is_set = False  # compared without regard to order (zones, links…)

    def parse(self, text: str) -> Any:
        return text.strip()

    def text(self, value: Any) -> str:
        return "" if value is None else str(value)

    def cell(self, value: Any) -> Any:
        """Value written to a spreadsheet cell (numbers and dates stay typed)."""
        return self.text(value)

    def same(self, a: Any, b: Any) -> bool:
        if self.is_set:
            return set(a or ()) == set(b or ())
        return a == b


class Text(Codec):
    pass


class Siret(Codec):
    def parse(self, text: str) -> str:
        try:
            validate_siret(text.strip())
        except ValidationError as exc:
            raise CellError(messages(exc)) from exc
        return normalize_siret(text)


class Rna(Codec):
    def parse(self, text: str) -> str:
        try:
            validate_rna(text)
        except ValidationError as exc:
            raise CellError(messages(exc)) from exc
        return normalize_rna(text)


class Slugs(Codec):
    """`|`-separated slugs of a vocabulary (or free words when `choices` is None)."""

    def __init__(self, choices: type[models.TextChoices] | None = None, what: object = ""):
        self.choices = choices
        self.what = what

    def _lookup(self) -> dict[str, str]:
        assert self.choices is not None
        found = {normalize(str(label)): value for value, label in self.choices.choices}
        found.update({normalize(value): value for value in self.choices.values})
        return found

    def parse(self, text: str) -> list[str]:
        items = split(text)
        if self.choices is None:
            return list(dict.fromkeys(items))
        lookup = self._lookup()
        values = list(dict.fromkeys(lookup.get(normalize(item), item) for item in items))
        try:
            validate_choices(values, self.choices, str(self.what))
        except ValidationError as exc:
            allowed = ", ".join(self.choices.values)
            raise CellError(
                _("%(error)s (valeurs possibles : %(allowed)s).")
                % {"error": messages(exc), "allowed": allowed}
            ) from exc
        return values

    def text(self, value: list[str] | None) -> str:
        return SEPARATOR.join(value or [])


class Choice(Slugs):
    """A single slug; an empty cell gives the default."""

    def __init__(self, choices: type[models.TextChoices], what: object, default: str):
        super().__init__(choices, what)
        self.default = default

    def parse(self, text: str) -> str:
        if not text.strip():
            return self.default
        values = super().parse(text)
        if len(values) != 1:
            raise CellError(_("Une seule valeur attendue, reçu « %(text)s ».") % {"text": text})
        return values[0]

    def text(self, value: str | None) -> str:
        return value or ""


class Number(Codec):
    def __init__(self, kind: str, positive: bool = True):
        self.kind = kind  # "float", "int" or "decimal"
        self.positive = positive

    def parse(self, text: str) -> Any:
        raw = _SPACES.sub("", text).replace("€", "").replace(",", ".")
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise CellError(_("Nombre attendu, reçu « %(text)s ».") % {"text": text.strip()})
        if self.positive and number < 0:
            raise CellError(
                _("Nombre positif attendu, reçu « %(text)s ».") % {"text": text.strip()}
            )
        if self.kind == "int":
            if number != number.to_integral_value():
                raise CellError(
                    _("Nombre entier attendu, reçu « %(text)s ».") % {"text": text.strip()}
                )
            return int(number)
        return float(number) if self.kind == "float" else number

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() and math.isfinite(value) else repr(value)
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)

    def cell(self, value: Any) -> Any:
        return value


class Date(Codec):
    def parse(self, text: str) -> dt.date | None:
        raw = text.strip()
        if not raw:
            return None
        french = _FR_DATE.match(raw)
        try:
            if french:
                day, month, year = (int(g) for g in french.groups())
                return dt.date(year, month, day)
            return dt.date.fromisoformat(raw[:10])
        except ValueError as exc:
            raise CellError(
                _("Date invalide « %(text)s » : attendu AAAA-MM-JJ ou JJ/MM/AAAA.") % {"text": raw}
            ) from exc

    def text(self, value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    def cell(self, value: dt.date | None) -> Any:
        return value


class Bool(Codec):
    TRUE = {"oui", "o", "vrai", "x", "1", "true", "yes"}
    FALSE = {"non", "n", "faux", "0", "false", "no", ""}

    def parse(self, text: str) -> bool:
        raw = normalize(text)
        if raw in self.TRUE:
            return True
        if raw in self.FALSE:
            return False
        raise CellError(_("Attendu « oui » ou « non », reçu « %(text)s ».") % {"text": text})

    def text(self, value: bool | None) -> str:
        return "oui" if value else "non"


class Insee(Codec):
    def parse(self, text: str) -> str:
        return insee_code(text)


class Zones(Codec):
    is_set = True

    def parse(self, text: str) -> list[tuple[str, str]]:
        zones = []
        for item in split(text):
            if ":" not in item and item.strip().lower() != "france":
                raise CellError(
                    _(
                        "Zone « %(item)s » sans type : écrivez par exemple departement:23, "
                        "epci:200067130, commune:23096, region:75 ou france."
                    )
                    % {"item": item}
                )
            kind, code = parse_zone(item)
            if kind == "france":
                code = ""
            elif kind == "commune":
                code = insee_code(code)
            zones.append((kind, code))
        return list(dict.fromkeys(zones))

    def text(self, value: list[tuple[str, str]] | None) -> str:
        return SEPARATOR.join(f"{k}:{c}" if c else k for k, c in value or [])


class Places(Codec):
    """Session places: (INSEE, label, illustrative)."""

    is_set = True

    def parse(self, text: str) -> list[tuple[str, str, bool]]:
        places = []
        for item in split(text):
            code, _sep, label = item.partition("=")
            code = code.strip()
            illustrative = code.endswith("*")
            places.append((insee_code(code.rstrip("*")), label.strip(), illustrative))
        return places

    def text(self, value: list[tuple[str, str, bool]] | None) -> str:
        items = []
        for insee, label, illustrative in value or []:
            code = f"{insee}*" if illustrative else insee
            items.append(f"{code}={label}" if label else code)
        return SEPARATOR.join(items)


class Antennas(Codec):
    """Antennas: (INSEE, label, address)."""

    is_set = True

    def parse(self, text: str) -> list[tuple[str, str, str]]:
        antennas = []
        for item in split(text):
            code, _sep, rest = item.partition("=")
            label, _sep, address = rest.partition("=")
            antennas.append((insee_code(code), label.strip(), address.strip()))
        return antennas

    def text(self, value: list[tuple[str, str, str]] | None) -> str:
        items = []
        for insee, label, address in value or []:
            parts = [insee, label, address] if address else [insee, label] if label else [insee]
            items.append("=".join(parts))
        return SEPARATOR.join(items)


class Refs(Slugs):
    """References to other entries of the file or of the database, by `ref`."""

    is_set = True

    def __init__(self) -> None:
        super().__init__(None)
