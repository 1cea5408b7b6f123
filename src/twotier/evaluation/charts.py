"""Server-rendered SVG charts for the dashboards (pure: no ORM, no JavaScript, no CDN — government
networks are often air-gapped, ARCHITECTURE.md). Every text is escaped; the SVG carries a <title> and
role="img" with an aria-label so screen readers read the chart's name."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

INK, MUTED, LINE, BRAND, NAVY = "#1d2733", "#5b6773", "#d5dbe1", "#c8102e", "#12355b"

# index percent → colour (bad → good); None (not computed) is grey, never a score colour
SCALE = [(90.0, "#1a7f37"), (80.0, "#58a55c"), (70.0, "#c9a227"), (60.0, "#e07b39"), (0.0, "#c8102e")]
NOT_COMPUTED = "#c5ccd3"


def index_colour(percent: float | None) -> str:
    if percent is None:
        return NOT_COMPUTED
    for floor, colour in SCALE:
        if percent >= floor:
            return colour
    return SCALE[-1][1]


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:,.0f}".replace(",", ".")


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    percent: bool = False,
    width: int = 560,
    height: int = 200,
    colour: str = NAVY,
    dom_id: str = "",
) -> SafeString:
    """A line with dots; None values break the line (nothing to measure that day)."""
    left, right, top, bottom = 48, 10, 24, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    y_max = 1.0 if percent else max([*known, 1])
    y_min = 0.0
    n = len(values)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / ((y_max - y_min) or 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart"{f" id={escape(dom_id)!r}" if dom_id else ""}>',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="14" font-size="13" fill="{INK}" font-weight="600">{escape(title)}</text>',
    ]
    for frac in (0, 0.5, 1):
        v = y_min + (y_max - y_min) * frac
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{LINE}"/>'
            f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="11" fill="{MUTED}" text-anchor="end">'
            f"{_fmt(v, percent)}</text>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(seg)}"/>')
    for i, v in enumerate(values):
        if v is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(labels[i])}: {_fmt(v, percent)}</title></circle>"
            )
    step = max(1, n // 8)
    for i in range(0, n, step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 10}" font-size="11" fill="{MUTED}" text-anchor="middle">'
            f"{escape(labels[i])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    maximum: float | None = None,
    width: int = 560,
    bar_h: int = 18,
    colour: str = NAVY,
    suffix: str = "",
) -> SafeString:
    """Horizontal bars, one per label (e.g. points of each index group); None is drawn as a hatched
    'not computed' bar, never as 0."""
    label_w, right = 220, 60
    plot_w = width - label_w - right
    top = 24
    height = top + len(values) * (bar_h + 8) + 4
    known = [v for v in values if v is not None]
    maximum = maximum or max([*known, 1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="13" fill="{INK}" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y0 = top + i * (bar_h + 8)
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + bar_h - 4}" font-size="12" fill="{INK}" text-anchor="end">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{label_w}" y="{y0}" width="{plot_w}" height="{bar_h}" fill="#f1f3f5"/>'
        )
        if v is None:
            parts.append(
                f'<text x="{label_w + 6}" y="{y0 + bar_h - 5}" font-size="11" fill="{MUTED}">—</text>'
            )
            continue
        w = plot_w * min(1.0, max(0.0, v / maximum))
        parts.append(
            f'<rect x="{label_w}" y="{y0}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + plot_w + 4}" y="{y0 + bar_h - 4}" font-size="12" fill="{INK}">'
            f"{v:.1f}{escape(suffix)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
