"""`maillage orient --commune INSEE --stage S …` — the recommendation engine."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.offer.vocabulary import Audience, Sector, Stage
from maillage.orientation.recommend import audiences_for, recommend
from maillage.territory.models import Commune


class Command(BaseCommand):
    help = "Recommander les dispositifs adaptés à un projet (commune, étape, public…)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commune", required=True, help="Code INSEE de la commune.")
        parser.add_argument("--stage", required=True, help="Étape actuelle du projet.")
        parser.add_argument("--audience", help="Public (par défaut : individuel ou collectif).")
        parser.add_argument("--sector", help="Secteur du projet.")
        parser.add_argument("--max-minutes", type=int, help="Temps de trajet maximum.")
        parser.add_argument("--collective", action="store_true", help="Projet collectif.")
        parser.add_argument("--json", action="store_true", help="Sortie JSON.")
        parser.add_argument(
            "--no-record", action="store_true", help="Ne pas enregistrer de demande non satisfaite."
        )

    def handle(self, *args, **o) -> None:
        commune = Commune.objects.active().filter(insee=o["commune"].upper()).first()
        if commune is None:
            raise CommandError(f"Commune inconnue : {o['commune']}")
        for value, choices, what in (
            (o["stage"], Stage, "Étape"),
            (o["audience"], Audience, "Public"),
            (o["sector"], Sector, "Secteur"),
        ):
            if value and value not in choices.values:
                allowed = ", ".join(choices.values)
                raise CommandError(f"{what} inconnu(e) « {value} ». Valeurs possibles : {allowed}")
        audiences = (
            frozenset({o["audience"]}) if o["audience"] else audiences_for([], o["collective"])
        )
        result = recommend(
            commune=commune,
            stage=o["stage"],
            audiences=audiences,
            collective=o["collective"],
            sector=o["sector"],
            max_minutes=o["max_minutes"],
            record=not o["no_record"],
            source="cli",
        )
        if o["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        if result.message:
            self.stdout.write(result.message)
        for i, r in enumerate(result.recommendations, 1):
            minutes = (
                f"{r.travel_minutes:.0f} min" if r.travel_minutes is not None else "à distance"
            )
            self.stdout.write(
                f"{i}. {r.name} — {', '.join(r.structures)} ({minutes}, score {r.score})"
            )
            for reason in r.reasons:
                self.stdout.write(f"     + {reason}")
            for warning in r.warnings:
                self.stdout.write(f"     ! {warning}")
        for e in result.excluded:
            self.stdout.write(f"   écarté : {e['name']} — {e['why']}")
