"""`twotier resolve_address`: old or new addresses → the communes since 1 July 2025, offline.

twotier resolve_address "Phường 4, Quận 8, TP.HCM" "P. Bến Thành, Q.1"
twotier resolve_address --file in.txt                               # one JSON line per input line
twotier resolve_address --file in.csv --column address --output out.csv   # adds the new columns
"""

from __future__ import annotations

import io
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from twotier.core.errors import DomainError
from twotier.geography.services import convert_csv, decode_csv, get_resolver


class Command(BaseCommand):
    help = (
        "Resolve addresses (old: ward, district, province; or new: commune, province) to the new "
        "commune. Prints one JSON object per address per line, or converts a CSV column."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="*", help="addresses to resolve")
        parser.add_argument(
            "--file", help="text file, one address per line, or CSV with --column ('-' = stdin)"
        )
        parser.add_argument("--column", help="CSV mode: the column holding the address")
        parser.add_argument("--output", help="CSV mode: where to write the converted CSV (default: stdout)")
        parser.add_argument("--no-progress", action="store_true", help="CSV mode: no progress bar")
        parser.add_argument(
            "--no-memo",
            action="store_true",
            help="do not reuse results of repeated addresses (for measuring)",
        )

    def handle(self, *args, **options):
        addresses: list[str] = options["addresses"]
        path: str | None = options["file"]
        column: str | None = options["column"]
        if not addresses and not path:
            raise CommandError("give addresses or --file")
        if column and not path:
            raise CommandError("--column needs --file")
        if options["output"] and not column:
            raise CommandError("--output needs --column (CSV mode)")
        resolver = get_resolver()
        resolver.memo = not options["no_memo"]
        if column:
            return self._csv(path, column, options["output"], resolver, not options["no_progress"])
        if path:
            self._lines(self._read(path).splitlines(), resolver)
        if addresses:
            self._lines(addresses, resolver)
        return None

    def _read(self, path: str) -> str:
        try:
            raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            return decode_csv(raw)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _lines(self, lines, resolver) -> None:
        """One JSON object per line, in input order; a repeated line reuses its printed result."""
        memo: dict[str, str] = {}
        chunk: list[str] = []
        for line in lines:
            out = memo.get(line) if resolver.memo else None
            if out is None:
                out = json.dumps(resolver.resolve(line).as_dict(), ensure_ascii=False)
                if resolver.memo:
                    memo[line] = out
            chunk.append(out)
            if len(chunk) >= 2000:
                self.stdout.write("\n".join(chunk))
                chunk = []
        if chunk:
            self.stdout.write("\n".join(chunk))

    def _csv(self, path: str, column: str, output: str | None, resolver, show_progress: bool) -> None:
        text = self._read(path)
        total = max(text.count("\n") - 1, 0)

        def progress(rows):
            return tqdm(rows, total=total, unit=" rows", file=sys.stderr, disable=not show_progress)

        target = open(output, "w", encoding="utf-8", newline="") if output else io.StringIO()  # noqa: SIM115
        try:
            counts = convert_csv(io.StringIO(text), target, column, resolver, progress=progress)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if output:
                target.close()
        if not output:
            self.stdout.write(target.getvalue(), ending="")
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        self.stderr.write(f"{sum(counts.values())} rows: {summary}")
