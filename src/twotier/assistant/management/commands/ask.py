"""`twotier ask "QUESTION" [--top N]` and `twotier ask --file questions.txt` (one JSON line per question)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from twotier.assistant.querysets import get_index


def _line(question: str, top: int) -> str:
    hits = get_index().search(question, top=top)
    return json.dumps(
        {"results": [{"code": h.code, "name": h.name, "level": h.level, "score": h.score} for h in hits]},
        ensure_ascii=False,
    )


class Command(BaseCommand):
    help = "Tìm thủ tục hành chính phù hợp với câu hỏi của người dân (ngoại tuyến)."

    def add_arguments(self, parser):
        parser.add_argument("question", nargs="?", help="câu hỏi")
        parser.add_argument("--top", type=int, default=5, help="số kết quả (mặc định 5)")
        parser.add_argument("--file", help="tệp câu hỏi, mỗi dòng một câu ('-' = đầu vào chuẩn)")

    def handle(self, *args, **opts):
        top = opts["top"]
        if top < 1 or top > 50:
            raise CommandError("--top phải từ 1 đến 50")
        if bool(opts["question"]) == bool(opts["file"]):
            raise CommandError("Cho một câu hỏi, hoặc --file TỆP (không cả hai).")
        if opts["question"]:
            self.stdout.write(_line(opts["question"], top))
            return
        fh = sys.stdin if opts["file"] == "-" else open(opts["file"], encoding="utf-8-sig")  # noqa: SIM115
        try:
            for raw in fh:
                question = raw.rstrip("\r\n")
                self.stdout.write(_line(question, top))
                self.stdout.flush()
        finally:
            if fh is not sys.stdin:
                fh.close()
