"""`maillage diagnose --territory departement:23 --stage S --threshold 30 [--json]`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.diagnosis.report import diagnose
from maillage.diagnosis.territories import resolve
from maillage.offer.vocabulary import PATHWAY, Stage


class Command(BaseCommand):
    help = "Diagnostic de couverture d'un territoire : zones blanches par étape."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", required=True, help="ex. departement:23, france")
        parser.add_argument("--stage", help="Étape (par défaut : toutes les étapes du parcours).")
        parser.add_argument("--threshold", type=float, default=30, help="Minutes (défaut 30).")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o) -> None:
        try:
            territory = resolve(o["territory"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if o["stage"] and o["stage"] not in Stage.values:
            raise CommandError(f"Étape inconnue « {o['stage']} ».")
        stages = [o["stage"]] if o["stage"] else [s.value for s in PATHWAY]
        results = [diagnose(territory, stage, o["threshold"]).as_dict() for stage in stages]
        if o["json"]:
            payload = results[0] if o["stage"] else results
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for r in results:
            share = r["population_beyond"] / r["population"] * 100 if r["population"] else 0
            self.stdout.write(
                f"{r['territory_label']} — {r['stage_label']} à plus de "
                f"{r['threshold_minutes']:g} min : {r['communes_beyond']}/{r['communes']} "
                f"communes, {r['population_beyond']} habitants ({share:.0f} %)"
            )
            gaps = r["chain_gaps"]
            if gaps["next_stage"] and gaps["communes"]:
                self.stdout.write(
                    f"   rupture vers « {Stage(gaps['next_stage']).label} » : "
                    f"{gaps['communes']} communes, {gaps['population']} habitants"
                )
