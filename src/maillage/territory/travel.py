"""Adapter: the travel-time model of `maillage.geo`, configured from settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from maillage.geo import TravelModel, TravelTimeTable


def travel_model() -> TravelModel:
    return TravelModel(
        circuity=settings.TRAVEL_CIRCUITY,
        speed_kmh=settings.TRAVEL_SPEED_KMH,
        road_speed_kmh=settings.TRAVEL_ROAD_SPEED_KMH,
        local_km=settings.TRAVEL_LOCAL_KM,
    )


@lru_cache(maxsize=4)
def _table(path: str, mtime: float) -> TravelTimeTable:
    return TravelTimeTable.from_csv(Path(path))


def travel_time_table() -> TravelTimeTable | None:
    """The user-supplied table of computed travel times, if one is set."""
    path = settings.TRAVEL_TIME_TABLE
    if not path:
        return None
    # The mtime in the cache key reloads the table when the file changes.
    return _table(path, Path(path).stat().st_mtime)
