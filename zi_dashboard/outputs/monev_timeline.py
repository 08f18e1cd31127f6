"""Laporan monev's timeline as PNG pictures (Pillow: no browser needed on the server), for the
Word document (outputs/monev.py) and the PDF (outputs/monev_html.py)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.rows import IndicatorRow, indicator_rows
from zi_dashboard.outputs.charts import shorten
from zi_dashboard.outputs.meeting_pack import Meeting

TIMELINE_ROWS_PER_PICTURE = 34  # lines per timeline picture: one picture fits half an A4 page or more

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    names = (
        ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    )
    for folder in _FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _darker(hex_color: str, factor: float = 0.6) -> tuple[int, int, int]:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return int(r * factor), int(g * factor), int(b * factor)


def _lighter(hex_color: str) -> tuple[int, int, int]:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return int(r + (255 - r) * 0.55), int(g + (255 - g) * 0.55), int(b + (255 - b) * 0.55)


WIDTH_PX, LABEL_PX, LINE_PX, FONT_PX = 1800, 640, 46, 27  # 16 cm wide on A4: 27 px print as 7,5 pt


def _timeline_lines(ind: pd.DataFrame) -> list[tuple[str, str | IndicatorRow]]:
    lines: list[tuple[str, str | IndicatorRow]] = []
    previous = None
    for x in indicator_rows(ind):
        if x.component_code != previous:
            lines.append(("head", shorten(f"{x.component_code}. {x.component}", 40)))
            previous = x.component_code
        lines.append(("row", x))
    return lines


def timeline_pngs(mt: Meeting) -> list[bytes]:
    """The timeline as PNG pictures, one line a row, grouped by component: the target period as a
    light bar, progress as the dark part, coloured by status, a red line at the position date.
    Split into pictures of at most TIMELINE_ROWS_PER_PICTURE lines, each readable on A4."""
    ind = mt.result.indicators
    lines = _timeline_lines(ind)
    starts = pd.to_datetime(ind["target_start"].fillna(ind["target_end"]))
    lo = min(starts.min().date(), mt.as_of)
    hi = max(pd.to_datetime(ind["target_end"]).max().date(), mt.as_of)
    lo, hi = date(lo.year, lo.month, 1), hi + timedelta(days=10)
    chunks = [lines[i : i + TIMELINE_ROWS_PER_PICTURE] for i in range(0, len(lines), TIMELINE_ROWS_PER_PICTURE)]
    return [_timeline_png(chunk, lo, hi, mt.as_of) for chunk in chunks or [[]]]


def _timeline_png(lines: list[tuple], lo: date, hi: date, as_of: date) -> bytes:
    from PIL import Image, ImageDraw

    top, bottom = 70, 30
    height = top + LINE_PX * max(len(lines), 1) + bottom
    img = Image.new("RGB", (WIDTH_PX, height), "white")
    d = ImageDraw.Draw(img)
    font, bold = _font(FONT_PX), _font(FONT_PX, bold=True)
    x0, x1 = LABEL_PX, WIDTH_PX - 30
    span = max((hi - lo).days, 1)

    def x_of(day: date) -> float:
        return x0 + (x1 - x0) * (day - lo).days / span

    month = date(lo.year, lo.month, 1)
    while month <= hi:  # month grid and names
        x = x_of(month)
        d.line([(x, top - 8), (x, height - bottom)], fill="#d1d5db", width=2)
        name = L.MONTHS_SHORT[month.month - 1] + (f" {month.year}" if month.month == 1 else "")
        if x + 6 + d.textlength(name, font=font) <= WIDTH_PX:  # a name that would be cut is left out
            d.text((x + 6, 18), name, font=font, fill="#111827")
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for i, (kind, item) in enumerate(lines):
        y = top + i * LINE_PX
        if kind == "head":
            d.rectangle([(0, y), (WIDTH_PX, y + LINE_PX - 2)], fill="#eef2f7")
            d.text((10, y + 8), item, font=bold, fill="#0b3b66")
            continue
        d.text((10, y + 8), shorten(f"{item.code} {item.indicator}", 36), font=font, fill="#111827")
        end = item.target_end
        start = item.target_start if item.target_start is not None and not pd.isna(item.target_start) else end
        if end is None or pd.isna(end):
            continue
        color = L.STATUS_COLORS.get(item.status, "#8C8C8C")
        a, b = x_of(start), max(x_of(end), x_of(start) + 4)
        d.rectangle([(a, y + 8), (b, y + LINE_PX - 8)], fill=_lighter(color), outline=color, width=2)
        done = a + (b - a) * max(0.0, min(100.0, float(item.progress))) / 100.0
        if done > a:
            d.rectangle([(a, y + 8), (done, y + LINE_PX - 8)], fill=_darker(color, 0.85))
    xa = x_of(as_of)
    d.line([(xa, top - 10), (xa, height - bottom)], fill="#D00000", width=4)
    d.text((min(xa + 6, WIDTH_PX - 260), height - bottom - 2), L.fmt_date(as_of), font=font, fill="#D00000")
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(285, 285))
    return buf.getvalue()
