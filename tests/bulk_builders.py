"""Files for many units and years, as offices make them (bulk work): plan files with a
title row naming the unit and year, progress files with titles, zips of several units' files."""

from __future__ import annotations

import io
import zipfile

import builders as B
from conftest import ROOT

PLAN_2025 = (ROOT / "data" / "rencana-kerja-zi-2025.csv").read_text(encoding="utf-8-sig")


def plan_file(unit: str, year: int) -> bytes:
    """The 2025 plan with a title row ("RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN GARUT TAHUN
    2026") and every target moved to `year`, as a CSV an office would save."""
    title = f"RENCANA KERJA ZONA INTEGRITAS {unit.upper()} TAHUN {year}"
    body = PLAN_2025.replace("2025", str(year))
    return f"{title};;;;;\n;;;;;\n{body}".encode()


def progress_file(
    title: str | None, position: str | None, values: dict | None = None, default=0, bad: str | None = None
) -> bytes:
    """A progress workbook: a title row (None: none), a "Posisi: ..." row (None: none), the table.
    `bad`: a code whose progress is typed as words (an invalid file)."""
    rows: list[list] = []
    if title:
        rows.append([title])
    if position:
        rows.append([f"Posisi: {position}"])
    rows.append([])
    vals = dict(values or {})
    if bad:
        vals[bad] = "seratus"
    rows += B.standard_rows(vals, default)
    return B.xlsx(rows)


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
