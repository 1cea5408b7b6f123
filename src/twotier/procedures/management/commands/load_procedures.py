"""`twotier load_procedures`: import the national procedure catalogue and the curated file (idempotent)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from twotier.core.errors import DomainError
from twotier.procedures import services


class Command(BaseCommand):
    help = (
        "Import the national procedure catalogue (JSON, .gz allowed) and the curated file (YAML). "
        "Idempotent: unchanged records are not touched, a changed record gets one new version."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--catalog", type=Path, default=services.DEFAULT_CATALOGUE, help="catalogue JSON(.gz)"
        )
        parser.add_argument("--curated", type=Path, default=services.DEFAULT_CURATED, help="curated YAML")
        parser.add_argument(
            "--reparse",
            action="store_true",
            help="recompute the parsed fields of unchanged records (after a parser change)",
        )

    def handle(self, *args, catalog: Path, curated: Path, reparse: bool, verbosity: int, **options):
        for path in (catalog, curated):
            if not path.exists():
                raise CommandError(f"{path} not found")
        try:
            records = services.read_catalogue(catalog)
            entries = services.read_curated(curated)
            show = verbosity >= 1 and sys.stderr.isatty()
            report = services.import_catalogue(
                records,
                entries,
                reparse=reparse,
                note=f"{catalog.name} + {curated.name}",
                progress=(lambda items: tqdm(items, desc="procedures", unit="rec")) if show else None,
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(report.summary())
        if verbosity >= 2 and report.not_in_source:
            self.stdout.write("not in the source: " + ", ".join(report.not_in_source))
