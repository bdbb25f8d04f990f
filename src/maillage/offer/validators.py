"""Identifier checks with clear French messages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.fr import siret as stdnum_siret

RNA = re.compile(r"^W[0-9A-Z]\d{8}$")


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.-]", "", value or "")


def validate_siret(value: str) -> None:
    """SIRET: 14 digits, Luhn checksum, with La Poste's exception (python-stdnum)."""
    digits = normalize_siret(value)
    if not digits:
        return
    if not stdnum_siret.is_valid(digits):
        raise ValidationError(
            _("SIRET invalide « %(value)s » : 14 chiffres dont la clé de contrôle."),
            code="siret",
            params={"value": value},
        )


def normalize_rna(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_rna(value: str) -> None:
    """RNA number: W followed by 9 characters (lenient: old numbers carry a letter)."""
    rna = normalize_rna(value)
    if rna and not RNA.match(rna):
        raise ValidationError(
            _("Numéro RNA invalide « %(value)s » : attendu W suivi de 9 caractères."),
            code="rna",
            params={"value": value},
        )


def validate_choices(values: list[str], choices: type, what: str) -> None:
    allowed = set(choices.values)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            _("%(what)s inconnu(s) : %(values)s"),
            code="choice",
            params={"what": what, "values": ", ".join(unknown)},
        )
