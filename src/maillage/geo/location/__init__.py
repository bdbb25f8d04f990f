"""Location engine: where to open sites so that people reach them.

Pure numpy/scipy/HiGHS, no Django (as all of :mod:`maillage.geo`). Every
model takes a cost matrix ``cost`` of shape ``(n_demand, n_sites)`` in
minutes (e.g. :meth:`maillage.geo.TravelModel.matrix_minutes` from communes
to candidate sites) and returns a :class:`Solution` whose ``lower_bound`` and
``upper_bound`` are proven: ``gap`` says how far from optimal it can be,
``optimal`` that it is not at all. See ``docs/adr/007-moteur-de-localisation.md``.

- :func:`nearest`: nearest site of each demand point (per category).
- :func:`lscp`: fewest sites so that everyone reachable is within a threshold.
- :func:`mclp`: ``k`` sites covering the most weight within a threshold.
- :func:`p_median`: ``k`` sites minimising the total weighted travel time.
- :func:`p_center`: ``k`` sites minimising the longest travel time.

``k`` always counts the **new** sites, opened in addition to ``fixed`` ones.
"""

from ._nearest import nearest
from .center import p_center
from .coverage import lscp, mclp
from .median import p_median
from .solution import OPTIMALITY_TOLERANCE, Solution

__all__ = [
    "OPTIMALITY_TOLERANCE",
    "Solution",
    "lscp",
    "mclp",
    "nearest",
    "p_center",
    "p_median",
]
