"""Pure geometry for Maillage: great-circle distances and travel-time estimates.

This package depends on numpy only, never on Django (an import-linter contract
enforces it): the domain apps read the settings and build these objects.
"""

from .distance import EARTH_RADIUS_KM, distance_matrix_km, great_circle_km
from .matching import OverrideMatch
from .overrides import TravelTimeTable
from .table_io import TravelTimeTableError
from .travel import DEFAULT_SPEED_KMH, DENSITY_LEVELS, TravelModel

__all__ = [
    "DEFAULT_SPEED_KMH",
    "DENSITY_LEVELS",
    "EARTH_RADIUS_KM",
    "OverrideMatch",
    "TravelModel",
    "TravelTimeTable",
    "TravelTimeTableError",
    "distance_matrix_km",
    "great_circle_km",
]
