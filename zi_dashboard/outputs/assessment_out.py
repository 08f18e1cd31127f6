"""The self-assessment template: an .xlsx a unit fills with its survey figures and uploads again
(reading/assessment.py reads it back)."""

from __future__ import annotations

import io

from zi_dashboard import labels as L
from zi_dashboard.reading.assessment import field_codes, field_label, field_max
from zi_dashboard.reading.lke import Lke


def assessment_template(lke: Lke, current: dict[str, float] | None = None) -> bytes:
    """Kode | Isian | Nilai | Batas, one row per field; filled with the values in use."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

    A = L.ASSESS
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = A["template_sheet"]
    ws["A1"] = A["template_title"]
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = A["template_note"]
    head = [A["col_code"], A["col_field"], A["col_value"], A["col_max"]]
    for j, h in enumerate(head, start=1):
        c = ws.cell(row=4, column=j, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="1F3864")
    for i, code in enumerate(field_codes(lke), start=5):
        ws.cell(row=i, column=1, value=code)
        ws.cell(row=i, column=2, value=field_label(code))
        if current and code in current:
            ws.cell(row=i, column=3, value=current[code])
        ws.cell(row=i, column=4, value=field_max(code, lke))
    for col, width in zip("ABCD", (10, 48, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
