"""Frames -> CSV / XLSX bytes, and the tables users see (Indonesian column names).

Every text cell that a spreadsheet program would run as a formula (=, +, -, @, tab, CR at the
start) is neutralised: a leading apostrophe in CSV, a plain string cell in XLSX.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import Result
from zi_dashboard.reading.units import unit_slug

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# the indicator table as users see it: internal name -> label
TABLE_COLUMNS = [
    "code",
    "component",
    "indicator",
    "action",
    "target",
    "target_end",
    "pic",
    "progress",
    "planned",
    "status",
    "days_overdue",
    "evidence",
    "notes",
]
PERCENT_COLUMNS = {L.COL["progress"], L.COL["planned"], L.COL["completion"]}


_HARMLESS = re.compile(r"[-+\s]*")  # "-", "--", "+": what people type for "nothing"; no formula


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _HARMLESS.fullmatch(value):
        return "'" + value
    return value


def put_text(cell, text) -> None:
    """Write text from data into a cell as text: never a formula, whatever it starts with, and
    without the control characters a workbook cannot hold."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    cell.data_type = "s"


_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def _whole_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words ("4 Penguatan Akuntabilitas", not
    "4 Penguatan Akuntabilitas Kiner"); a first word longer than the limit is cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" -.,;")
    return cut if cut and " " in text[: limit + 1] else text[:limit].strip()


def sheet_title(name: str, taken: list[str] | None = None) -> str:
    """A valid worksheet title from any text: none of []:*?/\\ or control characters, no
    apostrophe at either end, at most 31 characters, and unlike the titles already taken
    (compared as Excel does, ignoring case)."""
    title = _whole_words(re.sub(r"\s+", " ", _BAD_TITLE.sub(" ", str(name))).strip().strip("'").strip(), 31)
    title = title or L.REPORT["sheet_untitled"]
    if title.lower() == "history":  # reserved by Excel
        title = title + " 1"
    used = {t.lower() for t in (taken or [])}
    candidate, n = title, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = title[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    return candidate


def indicator_table(indicators: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The indicator rows with Indonesian headers, percentages rounded for reading."""
    columns = columns or TABLE_COLUMNS
    t = indicators[columns].copy()
    for c in ("progress", "planned"):
        if c in t:
            t[c] = t[c].astype(float).round(1)
    return t.rename(columns=L.COL)


def component_table(result: Result) -> pd.DataFrame:
    c = result.components.copy()
    c["completion"] = c["completion"].round(1)
    c["planned"] = c["planned"].round(1)
    return c.rename(
        columns={
            "code": L.COL["code"],
            "name": L.COL["component"],
            "completion": L.COL["completion"],
            "planned": L.COL["planned"],
            "indicators": L.COL["indicators"],
            "done": L.COL["done"],
            "overdue": L.COL["overdue"],
        }
    )


def to_csv_bytes(frame: pd.DataFrame, title_lines: Sequence[str] = ()) -> bytes:
    """';'-separated, decimal comma, UTF-8 with BOM: opens correctly in Excel set to Indonesian.
    `title_lines` (what the rows are: filters, position date) come first, one per line, then a
    blank line and the table."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
        elif pd.api.types.is_float_dtype(safe[col]):
            safe[col] = safe[col].map(lambda x: "" if pd.isna(x) else L.fmt_number(x).replace(".", ""))
    text = safe.to_csv(index=False, sep=";", lineterminator="\r\n", date_format="%Y-%m-%d")
    if title_lines:
        head = pd.DataFrame({"": [neutralise(str(t)) for t in title_lines]})
        text = head.to_csv(index=False, header=False, sep=";", lineterminator="\r\n") + "\r\n" + text
    return ("\ufeff" + text).encode("utf-8")


HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def _put_value(cell, v, percent: bool) -> int:
    """One value in its cell, formatted as what it is; -> the width it needs (characters)."""
    if isinstance(v, pd.Timestamp):
        v = v.date()
    if percent and isinstance(v, (int, float)):
        cell.value = float(v) / 100.0
        cell.number_format = "0.0%"
        return 6
    if isinstance(v, str):
        put_text(cell, v)  # never a formula, whatever the text starts with
        return max((len(part) for part in v.split("\n")), default=0)
    cell.value = v
    if isinstance(v, (date, datetime)):
        cell.number_format = "dd/mm/yyyy"
        return 10
    return len(str(v))


def _title_and_header(ws, frame: pd.DataFrame, title_lines: Sequence[str]) -> int:
    """Title lines, a blank row, then the bold header; -> the header's row."""
    r = 1
    for i, line in enumerate(title_lines):
        cell = ws.cell(row=r, column=1)
        put_text(cell, line)
        cell.font = Font(bold=True, size=14 if i == 0 else 11)
        r += 1
    header_row = r + 1 if title_lines else r
    for j, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=header_row, column=j)
        put_text(cell, name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return header_row


def write_sheet(ws, frame: pd.DataFrame, title_lines: Sequence[str] = (), status_column: str | None = None) -> None:
    """Write a frame as a formatted table: titles, bold frozen header, widths, percentages."""
    header_row = _title_and_header(ws, frame, title_lines)
    widths = [len(str(c)) for c in frame.columns]
    percent_idx = {j for j, c in enumerate(frame.columns) if c in PERCENT_COLUMNS}
    status_idx = (
        list(frame.columns).index(status_column)
        if status_column is not None and status_column in frame.columns
        else None
    )
    for i, values in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for j, v in enumerate(values):
            if v is None or (isinstance(v, float) and v != v):
                continue
            cell = ws.cell(row=i, column=j + 1)
            shown = _put_value(cell, v, j in percent_idx)
            if j == status_idx and v in L.STATUS_COLORS:
                cell.fill = PatternFill("solid", fgColor=L.STATUS_COLORS[v].lstrip("#"))
                cell.font = Font(bold=True, color="FFFFFF")
            widths[j] = max(widths[j], min(shown, 60))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(8, min(w + 2, 62))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if len(frame):
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(frame.columns))}{header_row + len(frame)}"


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Data", title_lines: Sequence[str] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = sheet_title(sheet_name)
    write_sheet(ws, frame, list(title_lines), status_column=L.COL["status"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def file_owner(unit_line: str) -> str:
    """Whose data, as file names carry it: 'KPU Kota Tasikmalaya Tahun 2025' ->
    'kota-tasikmalaya-tahun-2025', so the files of two units (or years) never share a name."""
    return unit_slug(unit_line)


def export_name(stem: str, as_of: date, ext: str, unit_line: str = "") -> str:
    """'tabel-zi-kota-tasikmalaya-tahun-2025-posisi-2025-11-20.csv': what, whose, which date."""
    owner = file_owner(unit_line) if unit_line else ""
    return "-".join(p for p in (stem, owner, "posisi", as_of.isoformat()) if p) + f".{ext}"


def to_plain_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table alone, as programs read it (pandas.read_csv with no options): the header on the
    first line, ',' between values, a decimal point, ISO dates, UTF-8.  Text that a spreadsheet
    would run as a formula is neutralised as in the other exports."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d").encode("utf-8")
