"""`maillage offer import|export|search`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models

from maillage.offer.io.datainclusion import DataInclusionError
from maillage.offer.io.files import EXPORT_FORMATS, KINDS, default_output, export_files, import_file
from maillage.offer.io.tabular import TableError
from maillage.offer.search import OfferQuery, search_offer
from maillage.offer.vocabulary import Audience, Format, Sector, Stage, labels
from maillage.territory.models import Commune


def _slug(value: str | None, choices: type[models.TextChoices], what: str) -> str | None:
    if value and value not in choices.values:
        allowed = ", ".join(choices.values)
        raise CommandError(f"{what} inconnu(e) « {value} » : valeurs possibles : {allowed}.")
    return value or None


class Command(BaseCommand):
    help = "Offre d'accompagnement : import, export (CSV, XLSX, ODS, data·inclusion), recherche."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser(
            "import", help="Importer structures et dispositifs (CSV, XLSX, ODS ou JSON)."
        )
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--apply", action="store_true", help="Écrire (par défaut : essai, rien n'est écrit)."
        )

        exp = sub.add_parser("export", help="Exporter l'offre.")
        exp.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
        exp.add_argument("--output", type=Path, help="Fichier de sortie.")
        exp.add_argument("--kind", choices=KINDS, help="Seulement structures ou dispositifs.")

        search = sub.add_parser("search", help="Dispositifs qui servent une commune.")
        search.add_argument("--commune", required=True, help="Code INSEE, ex. 23096")
        search.add_argument("--stage", help="Étape, ex. creation-incubation")
        search.add_argument("--audience", help="Public, ex. jeune")
        search.add_argument("--sector", help="Secteur, ex. agriculture")
        search.add_argument("--format", help="Format, ex. remote")
        search.add_argument("--max-minutes", type=float, help="Temps de trajet maximal.")
        search.add_argument("--json", action="store_true", help="Sortie JSON.")

    def handle(self, *args: object, **options: object) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_import(self, **options: object) -> None:
        path, apply = Path(str(options["file"])), bool(options["apply"])
        try:
            report = import_file(path, apply=apply)
        except (TableError, DataInclusionError) as exc:
            raise CommandError(str(exc)) from exc
        if report.errors:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} erreur(s) : rien n'a été écrit.")
        if not report.applied:
            self.stdout.write("Fichier valide. Essai : rien n'a été écrit. Avec --apply :")
        for line in report.summary():
            self.stdout.write(line)
        if report.applied:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
        else:
            self.stdout.write(self.style.SUCCESS("Relancez avec --apply pour enregistrer."))

    def do_export(self, **options: object) -> None:
        fmt = str(options["format"])
        kind = options.get("kind")
        output = options.get("output") or default_output(fmt)
        output = Path(str(output))
        if not output.parent.exists():
            raise CommandError(f"Dossier introuvable : {output.parent}")
        try:
            written = export_files(fmt, output, str(kind) if kind else None)
        except DataInclusionError as exc:
            raise CommandError(str(exc)) from exc
        for path, what in written:
            self.stdout.write(self.style.SUCCESS(f"{path} : {what}."))

    def do_search(self, **options: object) -> None:
        insee = str(options["commune"]).strip()
        commune = Commune.objects.filter(insee=insee).first()
        if commune is None:
            raise CommandError(f"Commune inconnue « {insee} » : attendu un code INSEE, ex. 23096.")
        query = OfferQuery(
            commune=commune,
            stage=_slug(options.get("stage"), Stage, "Étape"),
            audience=_slug(options.get("audience"), Audience, "Public"),
            sector=_slug(options.get("sector"), Sector, "Secteur"),
            format=_slug(options.get("format"), Format, "Format"),
            max_minutes=options.get("max_minutes"),
        )
        outcome = search_offer(query)
        if options["json"]:
            self.stdout.write(
                json.dumps([r.as_dict() for r in outcome.results], ensure_ascii=False, indent=2)
            )
            if not outcome.results and outcome.message:
                self.stderr.write(outcome.message)
            return
        if not outcome.results:
            self.stdout.write(outcome.message or "Aucun dispositif.")
            return
        self.stdout.write(f"{len(outcome.results)} dispositif(s) pour {commune.label} :")
        for n, result in enumerate(outcome.results, start=1):
            entry = result.entry
            stages = ", ".join(labels(Stage, list(entry.stage_list)))
            self.stdout.write(f"\n{n}. {entry.name} ({entry.ref})")
            self.stdout.write(f"   Porté par : {', '.join(entry.structures)}")
            self.stdout.write(f"   Étapes : {stages}")
            for reason in result.reasons:
                self.stdout.write(f"   – {reason}")
