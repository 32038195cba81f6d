"""Small bar charts drawn on the server as inline SVG: no script, the same in the page and the PDF.

A chart is an image for sighted readers; its <title> and <desc> say the same in words, and the
templates print the numbers once more as text or a table, so a screen reader or a reader of the
tagged PDF loses nothing.
"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, BAR_AREA_TOP, BAR_AREA_HEIGHT, LABEL_HEIGHT = 320, 22, 110, 22
# Colours and type as presentation attributes: the PDF engine does not apply the page's CSS inside SVG.
BAR, INK, MUTED, FONT = "#0b4f6c", "#1b2430", "#4d5766", "Liberation Sans, KVS Sans, sans-serif"
MAX_BAR_WIDTH, GAP = 56, 14


@dataclass(frozen=True)
class Point:
    label: str  # shown under the bar, e.g. the year
    value: Decimal | int
    text: str  # the value as a reader sees it: "1.026.647,54 euro"


def bar_chart(points: list[Point], *, title: str, chart_id: str) -> SafeString:
    """An accessible vertical bar chart of non-negative values, scaled to the largest one."""
    if not points:
        return SafeString("")
    largest = max(p.value for p in points) or 1
    slot = WIDTH / len(points)
    bar_width = min(MAX_BAR_WIDTH, slot - GAP)
    height = BAR_AREA_TOP + BAR_AREA_HEIGHT + LABEL_HEIGHT
    bars = []
    for i, p in enumerate(points):
        bar_height = max(1.0, float(p.value) / float(largest) * BAR_AREA_HEIGHT) if p.value else 0.0
        x = i * slot + (slot - bar_width) / 2
        y = BAR_AREA_TOP + BAR_AREA_HEIGHT - bar_height
        centre = x + bar_width / 2
        bars.append((
            f"{x:.1f}", f"{y:.1f}", f"{bar_width:.1f}", f"{bar_height:.1f}",
            f"{centre:.1f}", f"{y - 5:.1f}", short_amount(p), f"{height - 6:.1f}", p.label,
        ))
    desc = "; ".join(f"{p.label}: {p.text}" for p in points)
    body = format_html_join(
        "",
        f'<rect x="{{}}" y="{{}}" width="{{}}" height="{{}}" fill="{BAR}"></rect>'
        f'<text x="{{}}" y="{{}}" text-anchor="middle" font-size="13" font-weight="700" fill="{INK}">{{}}</text>'
        f'<text x="{{}}" y="{{}}" text-anchor="middle" font-size="13" fill="{MUTED}">{{}}</text>',
        ((x, y, w, h, cx, vy, value, cx, ly, label) for x, y, w, h, cx, vy, value, ly, label in bars),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'font-family="{}" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<line x1="0" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"></line>{}</svg>',
        WIDTH, height, chart_id, chart_id, FONT, chart_id, title, chart_id, desc,
        WIDTH, BAR_AREA_TOP + BAR_AREA_HEIGHT, BAR_AREA_TOP + BAR_AREA_HEIGHT, MUTED, body,
    )


def short_amount(point: Point) -> str:
    """The label above a bar: amounts from 100.000 euro in millions ('€ 1,03 mln'), whole numbers in full."""
    value = point.value
    if isinstance(value, Decimal) and value >= 100_000:
        return f"€ {value / 1_000_000:.2f} mln".replace(".", ",")
    if isinstance(value, Decimal):
        return f"€ {round(value):,}".replace(",", ".")
    return f"{int(value):,}".replace(",", ".")
