"""The one PDF base of the platform's papers and reports: fpdf2 with the committed DejaVu fonts.

DejaVu Sans (regular and bold, `core/fonts/` with its licence) covers every Vietnamese letter, so the
papers the law prescribes print with correct diacritics on a machine with no fonts installed.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


class VietnamesePdf(FPDF):
    """An A4 document with the DejaVu family registered and its first page added."""

    def __init__(self, *, orientation: str = "P", margins: tuple[float, float, float], bottom: float) -> None:
        super().__init__(orientation=orientation, format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(*margins)
        self.set_auto_page_break(True, bottom)
        self.add_page()
