"""twotier import_dossiers FILE --system NAME: dossier history from a provincial system's export.

Prints one JSON object: {"rows", "imported", "duplicates", "unmatched", "unmatched_rows": [...]}
(every row that could not be matched, with its reasons). Exit status 0 even with unmatched rows;
--strict makes it 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from twotier.dossiers.importing import import_rows, read_rows


class Command(BaseCommand):
    help = "Import dossier history (JSON or XLSX export of a provincial one-stop-shop system)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--system", required=True, help="name of the source system, e.g. igate-hcm")
        parser.add_argument("--province", default="79")
        parser.add_argument("--strict", action="store_true", help="exit 1 when a row is unmatched")

    def handle(self, *args, file: str, system: str, province: str, strict: bool, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        report = import_rows(read_rows(path), system=system, province_code=province)
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        if strict and report.unmatched:
            sys.exit(1)
