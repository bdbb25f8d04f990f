"""`maillage orientation chores|retention [--wet-run]` — meant for cron."""

from django.core.management.base import BaseCommand, CommandParser

from maillage.orientation import chores, rgpd


class Command(BaseCommand):
    help = "Tâches périodiques de l'orientation (relances, expirations, conservation des données)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (
            ("chores", "Relancer à J+10 et faire expirer à J+30 les orientations sans réponse."),
            ("retention", "Avertir puis anonymiser les dossiers inactifs depuis 24 mois."),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument(
                "--wet-run", action="store_true", help="Agir vraiment (par défaut : simulation)."
            )

    def handle(self, *args, **options) -> None:
        wet = options["wet_run"]
        mode = "" if wet else " (simulation : rien n'est envoyé ni modifié ; --wet-run pour agir)"
        if options["action"] == "chores":
            report = chores.run(wet=wet)
            self.stdout.write(f"Relances : {len(report.reminders)}{mode}")
            for o in report.reminders:
                self.stdout.write(f"  - relance : {o} (envoyée le {o.created_at:%d/%m/%Y})")
            self.stdout.write(f"Expirations : {len(report.expiries)}{mode}")
            for o in report.expiries:
                self.stdout.write(f"  - expiration : {o} (envoyée le {o.created_at:%d/%m/%Y})")
        else:
            report = rgpd.run_retention(wet=wet)
            self.stdout.write(f"Avis avant anonymisation : {len(report.notices)}{mode}")
            self.stdout.write(f"Anonymisations : {len(report.anonymisations)}{mode}")
