"""Pure geometry for Maillage: great-circle distances and travel-time estimates.

This package depends on numpy, scipy and highspy only, never on Django (an import-linter contract
enforces it): the domain apps read the settings and build these objects.
"""

from .distance import EARTH_RADIUS_KM, distance_matrix_km, great_circle_km
from .location import (
    OPTIMALITY_TOLERANCE,
    lscp,
    mclp,
    nearest,
    p_center,
    p_median,
)
from .location import Solution as LocationSolution
from .matching import OverrideMatch
from .overrides import TravelTimeTable
from .table_io import TravelTimeTableError
from .travel import DEFAULT_SPEED_KMH, DENSITY_LEVELS, TravelModel

__all__ = [
    "DEFAULT_SPEED_KMH",
    "DENSITY_LEVELS",
    "EARTH_RADIUS_KM",
    "OPTIMALITY_TOLERANCE",
    "LocationSolution",
    "OverrideMatch",
    "TravelModel",
    "TravelTimeTable",
    "TravelTimeTableError",
    "distance_matrix_km",
    "great_circle_km",
    "lscp",
    "mclp",
    "nearest",
    "p_center",
    "p_median",
]
