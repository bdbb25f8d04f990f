"""`maillage optimize --territory departement:23 --model lscp --threshold 30
--candidates mairies [--stage S] [--k N] --json`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.diagnosis.optimize import MODELS, candidates_for, optimise
from maillage.diagnosis.territories import resolve
from maillage.offer.vocabulary import Stage


class Command(BaseCommand):
    help = "Où agir : choisir les meilleurs lieux pour de nouveaux sites d'accompagnement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", required=True)
        parser.add_argument("--model", required=True, choices=MODELS)
        parser.add_argument("--stage", default="creation-incubation")
        parser.add_argument("--k", type=int, help="Nombre de nouveaux sites.")
        parser.add_argument("--threshold", type=float, default=30)
        parser.add_argument(
            "--candidates", default="mairies", help="mairies, structures, tiers-lieux ou FICHIER"
        )
        parser.add_argument("--time-limit", type=float, default=60)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o) -> None:
        if o["stage"] not in Stage.values:
            raise CommandError(f"Étape inconnue « {o['stage']} ».")
        try:
            territory = resolve(o["territory"])
            plan = optimise(
                territory,
                o["stage"],
                o["model"],
                threshold=o["threshold"],
                k=o["k"],
                candidates=candidates_for(territory, o["candidates"]),
                time_limit=o["time_limit"],
            )
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        data = plan.as_dict()
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        status = "optimal prouvé" if data["optimal"] else f"écart prouvé {data['gap']:.2%}"
        self.stdout.write(
            f"{territory.label} — {o['model']} : {len(data['selected'])} site(s), {status}"
        )
        for site in data["selected"]:
            self.stdout.write(f"  - {site['name']} ({site['insee']})")
        self.stdout.write(
            f"Population à moins de {o['threshold']:g} min : "
            f"{data['population_covered_before']} → {data['population_covered_after']}"
        )
