"""`maillage demo load`: the demo account and whatever demo data exists.

Idempotent: running it again creates nothing new.
"""

from django.core.management.base import BaseCommand, CommandParser

from maillage.accounts.actions import ensure_demo_account

DEMO_EMAIL = "demo@maillage.localhost"
DEMO_PASSWORD = "demo-maillage-2026"
DEMO_ORGANISATION = "Communauté de communes de démonstration"


class Command(BaseCommand):
    help = "Données de démonstration (compte de démonstration et jeux d'exemple)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("load", help="Créer le compte et charger les données de démonstration.")

    def handle(self, *args: object, **options: object) -> None:
        _user, created = ensure_demo_account(DEMO_EMAIL, DEMO_PASSWORD, DEMO_ORGANISATION)
        state = "créé" if created else "déjà présent"
        self.stdout.write(self.style.SUCCESS(f"Compte de démonstration {state} :"))
        self.stdout.write(f"  identifiant : {DEMO_EMAIL}")
        self.stdout.write(f"  mot de passe : {DEMO_PASSWORD}")
