"""The .xlsx progress template, pre-filled with the plan's rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zi_dashboard import labels as L
from zi_dashboard.outputs.exports import HEADER_FILL, HEADER_FONT, put_text
from zi_dashboard.reading.plan import Plan

REPORTED_STATUSES = L.TEMPLATE_STATUSES
# (field, header, width): the headers are the tables' column labels
TEMPLATE_COLUMNS = [
    (field, L.COL[field], width)
    for field, width in [
        ("code", 7),
        ("component", 24),
        ("indicator", 32),
        ("action", 50),
        ("target", 18),
        ("pic", 18),
        ("progress", 12),
        ("status", 16),
        ("evidence", 36),
        ("notes", 36),
    ]
]
HEADER_ROW = 5
SPARE_ROWS = 500  # validations reach this far below the plan, for added sub-activity rows


def build_template(plan: Plan, unit_line: str) -> bytes:
    """The template workbook: a title block with the position-date cell, the plan's rows to
    fill in, validations on progress and status, and a sheet of instructions."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = L.TEMPLATE["sheet"]
    _title_block(ws, unit_line)
    _header_row(ws)
    first = HEADER_ROW + 1
    _plan_rows(ws, plan, first)
    _validations(ws, first, first + len(plan.rows) - 1 + SPARE_ROWS)
    ws.freeze_panes = f"A{first}"
    ws.row_dimensions[HEADER_ROW].height = 30
    _instructions(wb.create_sheet(L.TEMPLATE["instructions_sheet"]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _column(field: str) -> str:
    return get_column_letter([f for f, _, _ in TEMPLATE_COLUMNS].index(field) + 1)


def _title_block(ws, unit_line: str) -> None:
    T = L.TEMPLATE
    ws["A1"] = T["title"]
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = unit_line
    ws["A2"].font = Font(bold=True, size=12)
    ws["A3"] = T["position_label"]
    ws["A3"].font = Font(bold=True)
    ws["C3"].number_format = "dd mmmm yyyy"
    ws["C3"].fill = PatternFill("solid", fgColor="FFF2CC")
    ws.merge_cells("A3:B3")


def _header_row(ws) -> None:
    for j, (_, header, width) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = width


def _plan_rows(ws, plan: Plan, first: int) -> None:
    """One row per plan row; codes are text cells, so 1.10 stays 1.10."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(plan.rows.itertuples(index=False), start=first):
        values = {
            "code": row.code,
            "component": row.component,
            "indicator": row.indicator,
            "action": row.action,
            "target": row.target,
        }
        for j, (field, _, _) in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = ws.cell(row=i, column=j)
            value = values.get(field)
            if isinstance(value, str):
                put_text(cell, value)  # a name from the plan is text, never a formula
            else:
                cell.value = value
            cell.alignment = wrap
            if field == "code":
                cell.data_type = "s"
                cell.number_format = "@"


def _validations(ws, first: int, last: int) -> None:
    """Progress 0-100 and the status list, down to `last` (room for added sub-activities)."""
    T = L.TEMPLATE
    prog_col, status_col, code_col = _column("progress"), _column("status"), _column("code")
    for r in range(first, last + 1):
        ws[f"{prog_col}{r}"].number_format = "0.0"
        ws[f"{code_col}{r}"].number_format = "@"
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=T["progress_prompt_title"],
        error=T["progress_error"],
        promptTitle=T["progress_prompt_title"],
        prompt=T["progress_prompt"],
    )
    dv.add(f"{prog_col}{first}:{prog_col}{last}")
    ws.add_data_validation(dv)
    sv = DataValidation(
        type="list",
        formula1='"' + ",".join(REPORTED_STATUSES) + '"',
        allow_blank=True,
        showInputMessage=True,
        prompt=T["status_prompt"],
    )
    sv.add(f"{status_col}{first}:{status_col}{last}")
    ws.add_data_validation(sv)


def _instructions(info) -> None:
    for i, line in enumerate(L.TEMPLATE_INSTRUCTIONS, start=1):
        info.cell(row=i, column=1, value=line).font = Font(bold=(i == 1))
    info.column_dimensions["A"].width = 110
