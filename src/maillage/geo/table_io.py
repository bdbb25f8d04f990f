"""Reading and checking the rows of a user-supplied travel-time table.

The table is written by users, often through a spreadsheet, so its error
messages are in French and name the line to fix.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Final

__all__ = ["TravelTimeTableError"]

# Commune codes (COG): 5 digits, or 2A/2B + 3 digits for Corsica. Checking the
# shape catches the classic spreadsheet damage, "01001" saved as 1001, which
# would otherwise never match and be silently ignored.
_INSEE_CODE: Final = re.compile(r"\d{5}|2[AB]\d{3}")
_CODE_HINT: Final = "5 caractères attendus, p. ex. 01001 ou 2A004 ; zéro initial perdu ?"


class TravelTimeTableError(ValueError):
    """Invalid travel-time table; ``line`` is the 1-based line at fault, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"ligne {line} : {message}")
        self.line = line


def _code(value: object, side: str, line: int) -> str:
    code = value.strip().upper() if isinstance(value, str) else None
    if code is None or not _INSEE_CODE.fullmatch(code):
        raise TravelTimeTableError(f"code commune {side} invalide « {value} » ({_CODE_HINT})", line)
    return code


def _minutes(value: object, line: int) -> float:
    shown = value.strip() if isinstance(value, str) else value
    if isinstance(value, str):
        if not shown:
            raise TravelTimeTableError("minutes manquantes", line)
        try:
            # French spreadsheets write decimals with a comma ("12,5").
            minutes = float(value.replace(",", "."))
        except ValueError:
            raise TravelTimeTableError(f"minutes invalides « {shown} »", line) from None
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        # numbers.Real also admits numpy scalars (np.int64, np.float32…).
        minutes = float(value)
    else:
        raise TravelTimeTableError(f"minutes invalides « {shown} »", line)
    if not math.isfinite(minutes):
        raise TravelTimeTableError(f"minutes invalides « {shown} »", line)
    if minutes < 0:
        raise TravelTimeTableError(f"minutes négatives « {shown} »", line)
    return minutes


def _read_text(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> str:
    data = Path(source).read_bytes() if isinstance(source, str | os.PathLike) else source.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on French Windows saves "CSV (point-virgule)" in cp1252. Only
        # the header may hold non-ASCII text, and its names are ignored.
        return data.decode("cp1252", errors="replace")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Data rows of a CSV text with their line numbers, after checking its header."""
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise TravelTimeTableError(
            "fichier vide : une ligne d'en-tête (origine, destination, minutes) est attendue"
        )
    # The delimiter is whatever separates the header's three names: "," in
    # most exports, ";" in French spreadsheets (where "," is the decimal mark).
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_seen = False
    try:
        for fields in reader:
            cells = [field.strip() for field in fields]
            # Spreadsheets often pad rows with empty cells ("a;b;c;;").
            while len(cells) > 3 and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            if not header_seen:
                header_seen = True
                if len(cells) == 3 and not _is_number(cells[2]):
                    continue
                raise TravelTimeTableError(
                    "en-tête attendu en première ligne : 3 colonnes (origine, destination, "
                    "minutes) séparées par « , » ou « ; »",
                    reader.line_num,
                )
            yield reader.line_num, cells
    except csv.Error as exc:
        raise TravelTimeTableError(f"CSV illisible ({exc})", reader.line_num) from exc


def _checked_rows(
    numbered_rows: Iterable[tuple[int, Sequence[object]]],
) -> tuple[list[str], list[str], list[float]]:
    """Origins, destinations and minutes of ``(line, row)`` items, validated."""
    first_line: dict[tuple[str, str], int] = {}
    origins: list[str] = []
    destinations: list[str] = []
    minutes: list[float] = []
    for line, row in numbered_rows:
        if len(row) != 3:
            raise TravelTimeTableError(
                f"3 colonnes attendues (origine, destination, minutes), {len(row)} trouvée(s)",
                line,
            )
        origin = _code(row[0], "d'origine", line)
        destination = _code(row[1], "de destination", line)
        value = _minutes(row[2], line)
        # Two values for one pair is a mistake in the file; picking one
        # silently would hide it.
        seen = first_line.setdefault((origin, destination), line)
        if seen != line:
            raise TravelTimeTableError(
                f"paire {origin} → {destination} en double (déjà en ligne {seen})", line
            )
        origins.append(origin)
        destinations.append(destination)
        minutes.append(value)
    return origins, destinations, minutes
