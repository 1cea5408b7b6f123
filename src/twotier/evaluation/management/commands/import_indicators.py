"""`twotier import_indicators FILE` — indicator values from CSV/XLSX (columns indicator, unit, period,
value[, note]); all-or-nothing, every bad row reported; exit status 1 when the file is refused."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from twotier.evaluation.indicators import import_values


class Command(BaseCommand):
    help = "Nhập giá trị chỉ tiêu từ tệp CSV/XLSX (tất cả hoặc không dòng nào)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path}: không có tệp")
        report = import_values(None, path.name, path.read_bytes())
        if not report.ok:
            for line, message in report.errors:
                self.stderr.write(f"{path.name}:{line}: {message}")
            raise CommandError(f"{len(report.errors)} dòng lỗi trong {report.rows} dòng; không nhập dòng nào")
        self.stdout.write(f"Đã nhập {report.written} giá trị chỉ tiêu từ {path.name}.")
