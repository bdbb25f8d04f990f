"""`maillage demo load`: the demo account and the demo support offer.

Idempotent: running it again creates nothing new and changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.accounts.actions import ensure_demo_account
from maillage.demo.offer_loader import FixtureError, check_territory, load_offer, read_fixture

DEMO_EMAIL = "demo@maillage.localhost"
DEMO_PASSWORD = "demo-maillage-2026"
DEMO_ORGANISATION = "Communauté de communes de démonstration"


class Command(BaseCommand):
    help = "Données de démonstration (compte de démonstration et offre d'accompagnement)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("load", help="Créer le compte et charger les données de démonstration.")

    def handle(self, *args: object, **options: object) -> None:
        # Check the fixture and the territory first: fail before writing anything.
        try:
            check_territory(read_fixture())
        except FixtureError as exc:
            raise CommandError(str(exc)) from exc

        _user, created = ensure_demo_account(DEMO_EMAIL, DEMO_PASSWORD, DEMO_ORGANISATION)
        state = "créé" if created else "déjà présent"
        self.stdout.write(self.style.SUCCESS(f"Compte de démonstration {state} :"))
        self.stdout.write(f"  identifiant : {DEMO_EMAIL}")
        self.stdout.write(f"  mot de passe : {DEMO_PASSWORD}")

        try:
            result = load_offer()
        except FixtureError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Offre d'accompagnement de démonstration :"))
        self.stdout.write(f"  structures : {result.structures}")
        self.stdout.write(f"  dispositifs : {result.dispositifs}")
        self.stdout.write(
            f"  dont {result.illustrative_places} lieux de session illustratifs "
            "(choisis pour la démonstration, signalés comme tels)"
        )
