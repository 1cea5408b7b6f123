"""`twotier import_apparatus units|officials FILE`: CSV/XLSX import; bad rows reported, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from twotier.apparatus.importing import import_file


class Command(BaseCommand):
    help = "Import units or officials from a CSV (UTF-8) or XLSX file; nothing is written if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["units", "officials"])
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        report = import_file(options["kind"], path.name, path.read_bytes())
        for line, message in report.errors:
            self.stderr.write(f"{path.name}:{line}: {message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} bad rows of {report.rows}; nothing imported")
        self.stdout.write(f"{report.created} {options['kind']} imported")
