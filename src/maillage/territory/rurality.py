"""Rurality levels: INSEE's 7-level commune density grid, and our estimate.

The official grid (grille communale de densité) is computed by INSEE on
1 km² population cells; we cannot reproduce it from commune totals. Until
the user imports the official file (`maillage territory import-density-grid`),
each commune gets an *estimated* level from its own density and population,
with the thresholds below. The UI always labels it "estimé".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuralityLevel(models.IntegerChoices):
    GRANDS_CENTRES_URBAINS = 1, _("Grands centres urbains")
    CENTRES_URBAINS_INTERMEDIAIRES = 2, _("Centres urbains intermédiaires")
    CEINTURES_URBAINES = 3, _("Ceintures urbaines")
    PETITES_VILLES = 4, _("Petites villes")
    BOURGS_RURAUX = 5, _("Bourgs ruraux")
    RURAL_DISPERSE = 6, _("Rural à habitat dispersé")
    RURAL_TRES_DISPERSE = 7, _("Rural à habitat très dispersé")


RURAL_LEVELS = frozenset({5, 6, 7})

# (minimum density in inhabitants/km², minimum population, level), first match
# wins. Densities echo the grid's cell thresholds (1,500 / 300 / 25 hab/km²);
# populations separate big centres from small dense places. This is a rough
# rural/urban sort, not validated against the official grid: import the
# official file whenever it is available.
ESTIMATE_THRESHOLDS: tuple[tuple[float, int, int], ...] = (
    (1500.0, 50_000, 1),
    (300.0, 10_000, 2),
    (300.0, 0, 3),
    (100.0, 2_000, 4),
    (25.0, 0, 5),
    (10.0, 0, 6),
)


def estimate_level(density: float | None, population: int | None) -> int | None:
    """Estimated density level (1–7) from a commune's density and population."""
    if density is None:
        return None
    pop = population or 0
    for min_density, min_population, level in ESTIMATE_THRESHOLDS:
        if density >= min_density and pop >= min_population:
            return level
    return 7
