"""Offer search over 10,000 dispositifs: time per query (target: < 100 ms).

Builds a scratch SQLite database (territory of all France, 10,000 synthetic
dispositifs with typed zones and 1–3 session places each), then times
`search_offer` from communes of several départements, with and without
filters, once the in-memory index is built. The index build time (paid once
per change of the directory) is printed too.

    .venv/bin/python benchmarks/offer_search.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
scratch = tempfile.mkdtemp(prefix="maillage-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
os.environ["MAILLAGE_DATA_DIR"] = scratch
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from maillage.offer.index import get_index  # noqa: E402
from maillage.offer.models import Dispositif, SessionPlace, Structure, Zone  # noqa: E402
from maillage.offer.search import OfferQuery, search_offer  # noqa: E402
from maillage.offer.vocabulary import Audience, Format, Sector, Stage  # noqa: E402
from maillage.territory.loader import load_territory  # noqa: E402
from maillage.territory.models import Commune  # noqa: E402

N = 10_000
REPEAT = 20
rng = random.Random(2026)

call_command("migrate", verbosity=0)
load_territory()
communes = list(Commune.objects.select_related("departement__region", "epci"))
print(f"base de travail : {len(communes)} communes")

structures = Structure.objects.bulk_create(
    [
        Structure(ref=f"s{i}", name=f"Structure {i}", kinds=["incubateur"], commune=c)
        for i, c in enumerate(rng.sample(communes, 2_000))
    ]
)
for s in structures:
    s.moderation_status = Structure.Moderation.PUBLISHED
Structure.objects.bulk_update(structures, ["moderation_status"])


def pick(choices, k):
    return rng.sample(list(choices.values), k)


dispositifs = Dispositif.objects.bulk_create(
    [
        Dispositif(
            ref=f"d{i}",
            name=f"Dispositif {i}",
            structure=rng.choice(structures),
            stages=pick(Stage, rng.randint(1, 3)),
            audiences=pick(Audience, rng.randint(1, 4)),
            sectors=pick(Sector, rng.randint(1, 3)),
            formats=pick(Format, rng.randint(1, 2)),
        )
        for i in range(N)
    ]
)
zones, places = [], []
for d in dispositifs:
    home = d.structure.commune
    kind = rng.choices(["commune", "epci", "departement", "region", "france"], [1, 3, 10, 4, 1])[0]
    code = {
        "commune": home.insee,
        "epci": home.epci.siren if home.epci_id else home.departement.code,
        "departement": home.departement.code,
        "region": home.departement.region.code,
        "france": "",
    }[kind]
    kind = "departement" if kind == "epci" and not home.epci_id else kind
    zones.append(Zone(dispositif=d, kind=kind, code=code))
    near = [c for c in communes if c.departement_id == home.departement_id]
    for c in {home, *rng.sample(near, min(len(near), rng.randint(0, 2)))}:
        places.append(SessionPlace(dispositif=d, commune=c))
Zone.objects.bulk_create(zones)
SessionPlace.objects.bulk_create(places)
print(f"{N} dispositifs, {len(zones)} zones, {len(places)} lieux de session")

started = time.perf_counter()
get_index()
print(
    f"construction de l'index : {time.perf_counter() - started:.2f} s (une fois par modification)"
)

probes = [
    Commune.objects.select_related("departement__region", "epci").get(insee=i)
    for i in ["23096", "07010", "35162", "40123", "75056", "13055", "69123", "12202"]
]
cases = [
    ("sans filtre", {}),
    ("étape", {"stage": "ideation-premiers-pas"}),
    (
        "étape + public + 45 min",
        {"stage": "creation-incubation", "audience": "jeune", "max_minutes": 45},
    ),
]
worst = 0.0
print(f"{'requête':<28} {'commune':<22} {'résultats':>9} {'médiane (ms)':>13} {'max (ms)':>9}")
for label, kwargs in cases:
    for commune in probes:
        times = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            outcome = search_offer(OfferQuery(commune=commune, **kwargs))
            times.append((time.perf_counter() - t) * 1000)
        worst = max(worst, max(times))
        print(
            f"{label:<28} {commune.name[:22]:<22} {len(outcome.results):>9} "
            f"{statistics.median(times):>13.1f} {max(times):>9.1f}"
        )
print(f"pire temps : {worst:.1f} ms (objectif < 100 ms), soit {100 / worst:.1f}× sous l'objectif")
