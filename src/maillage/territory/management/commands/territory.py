"""`maillage territory load|search|import-density-grid|import-frr`."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.territory.imports import ImportReport, import_density_grid, import_frr
from maillage.territory.loader import load_territory
from maillage.territory.search import search_communes

DEPARTEMENT_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$")


def _departements(value: str | None) -> set[str] | None:
    if not value:
        return None
    codes = {c.strip().upper().zfill(2) for c in value.split(",") if c.strip()}
    bad = sorted(c for c in codes if not DEPARTEMENT_CODE.match(c))
    if bad:
        raise CommandError(f"Code(s) de département invalide(s) : {', '.join(bad)}")
    return codes


class Command(BaseCommand):
    help = "Référentiel territorial : chargement, recherche de communes, imports officiels."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser("load", help="Charger communes, EPCI, départements, régions.")
        load.add_argument("--departements", help="Limiter aux départements, ex. 23,07")
        load.add_argument("--force", action="store_true", help="Recharger même si inchangé.")

        search = sub.add_parser("search", help="Chercher une commune.")
        search.add_argument("text", nargs="+")
        search.add_argument("--json", action="store_true", help="Sortie JSON.")
        search.add_argument("--limit", type=int, default=10)

        grid = sub.add_parser(
            "import-density-grid", help="Importer la grille communale de densité INSEE."
        )
        grid.add_argument("file", type=Path)
        grid.add_argument("--year", type=int, help="Millésime (sinon lu dans le nom du fichier).")
        grid.add_argument("--dry-run", action="store_true", help="Vérifier sans écrire.")

        frr = sub.add_parser("import-frr", help="Importer la liste des communes FRR.")
        frr.add_argument("file", type=Path)
        frr.add_argument("--date", required=True, help="Date de la liste (AAAA-MM-JJ).")
        frr.add_argument("--dry-run", action="store_true", help="Vérifier sans écrire.")

    def handle(self, *args: object, **options: object) -> None:
        action = str(options["action"]).replace("-", "_")
        getattr(self, f"do_{action}")(**options)

    def do_load(self, **options: object) -> None:
        started = time.monotonic()
        result = load_territory(
            _departements(options.get("departements")),
            force=bool(options["force"]),
            progress=lambda message: self.stdout.write(message),
        )
        c = result.counts
        verb = "déjà à jour, rien à recharger" if result.skipped else "chargé"
        self.stdout.write(
            self.style.SUCCESS(
                f"Référentiel COG {result.cog_year} {verb} : {c.get('regions', 0)} régions, "
                f"{c.get('departements', 0)} départements, {c.get('epci', 0)} EPCI, "
                f"{c.get('communes', 0)} communes ({time.monotonic() - started:.1f} s)."
            )
        )
        if result.deactivated:
            self.stdout.write(f"{result.deactivated} commune(s) disparue(s) du COG désactivée(s).")

    def do_search(self, **options: object) -> None:
        text = " ".join(options["text"])
        hits = search_communes(text, limit=int(options["limit"]))
        if options["json"]:
            self.stdout.write(json.dumps([h.as_dict() for h in hits], ensure_ascii=False))
            return
        if not hits:
            self.stdout.write(f"Aucune commune ne correspond à « {text} ».")
        for h in hits:
            postal = ", ".join(h.postal_codes)
            self.stdout.write(f"{h.insee}  {h.name} ({h.departement})  {postal}  {h.population}")

    def _report(self, report: ImportReport, dry_run: bool) -> None:
        if report.errors:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} erreur(s) : rien n'a été écrit.")
        if report.unknown:
            sample = ", ".join(report.unknown[:10])
            self.stdout.write(
                f"{len(report.unknown)} code(s) absents du référentiel ignorés (ex. {sample})."
            )
        done = "vérifiées (essai, rien n'est écrit)" if dry_run else "mises à jour"
        self.stdout.write(
            self.style.SUCCESS(f"{report.rows} lignes lues, {report.matched} communes {done}.")
        )

    def do_import_density_grid(self, **options: object) -> None:
        path = Path(str(options["file"]))
        year = options.get("year")
        if not year:
            found = re.search(r"(20\d\d)", path.name)
            if not found:
                raise CommandError(
                    "Millésime introuvable dans le nom du fichier : précisez --year."
                )
            year = int(found.group(1))
        dry_run = bool(options["dry_run"])
        self._report(import_density_grid(path, int(year), apply=not dry_run), dry_run)

    def do_import_frr(self, **options: object) -> None:
        try:
            date = dt.date.fromisoformat(str(options["date"]))
        except ValueError as exc:
            raise CommandError("Date invalide : attendu AAAA-MM-JJ, ex. 2024-07-01.") from exc
        dry_run = bool(options["dry_run"])
        self._report(import_frr(Path(str(options["file"])), date, apply=not dry_run), dry_run)
