"""LKE workbooks the way a Tim ZI fills them, as bytes: the official answer-sheet layout ("Jawaban":
ID in A, the code hierarchy A. / I. / 1. / i. / a. in B-F, the text in G, Bobot, Kriteria,
Pilihan, then the unit's columns and the TPI's), built from the official list of answer lines
(tests/data, a copy of the published instrument, not the package's own data file).

Offices change it: `insert_rows` puts extra rows (a note, a blank line) between questions,
`extra_column` adds a column before the answers, `two_row_header` puts "Penilaian Unit" /
"Penilaian TPI" over the column names, `colour` fills rows, `shuffle_sub_areas` reorders them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

OFFICIAL = Path(__file__).parent / "data" / "lke-2026-questions-official.csv"
AREA_NAMES = [
    "MANAJEMEN PERUBAHAN",
    "PENATAAN TATALAKSANA",
    "PENATAAN SISTEM MANAJEMEN SDM",
    "PENGUATAN AKUNTABILITAS",
    "PENGUATAN PENGAWASAN",
    "PENINGKATAN KUALITAS PELAYANAN PUBLIK",
]
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


def official_lines() -> list[dict]:
    with OFFICIAL.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def line(code: str, letter: str = "-", text_starts: str = "") -> dict:
    """The official line of a question (sub-area code, letter; text start for lines without a letter)."""
    for r in official_lines():
        if r["kode"] == code and r["huruf"] == letter and r["pertanyaan"].startswith(text_starts):
            return r
    raise KeyError((code, letter, text_starts))


def _headings(r: dict, last: dict) -> list[list]:
    """The heading rows that come before a line when its part, area or sub-area changes."""
    out = []
    part, code = r["bagian"], r["kode"]
    if part == "hasil":
        if last.get("top") != "B":
            out.append([None, "B.", None, None, None, None, "HASIL"])
        last.update(top="B", part=part, area=None, sub=None)
        return out
    area, sub = code.lstrip("R").split(".")
    if last.get("top") != "A":
        out.append([None, "A.", None, None, None, None, "PENGUNGKIT"])
    if last.get("part") != part:
        out.append([None, None, "I." if part == "pemenuhan" else "II.", None, None, None, part.upper()])
    if last.get("area") != (part, area):
        out.append([None, None, None, f"{area}.", None, None, AREA_NAMES[int(area) - 1]])
    if last.get("sub") != code:
        out.append([None, None, None, None, f"{ROMAN[int(sub) - 1]}.", None, f"Sub-area {code}"])
    last.update(top="A", part=part, area=(part, area), sub=code)
    return out


def answer_sheet_rows(
    unit: dict[str, object] | None = None,
    tpi: dict[str, object] | None = None,
    notes: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
    lines: list[dict] | None = None,
    tpi_notes: dict[str, str] | None = None,
) -> list[list]:
    """Data rows (no header) of the answer sheet.  Answers are keyed by the official row ('125')."""
    unit, tpi, notes, links = unit or {}, tpi or {}, notes or {}, links or {}
    tpi_notes = tpi_notes or {}
    rows, last = [], {}
    for n, r in enumerate(lines or official_lines(), start=1):
        rows += _headings(r, last)
        letter = r["huruf"]
        b = r["baris"]
        rows.append(
            [
                n,
                None,
                None,
                None,
                None,
                f"{letter}." if letter != "-" else None,
                r["pertanyaan"],
                None,
                r["kriteria"],
                r["pilihan"].replace(";", "\n"),
                unit.get(b),
                notes.get(b),
                "Dokumen pendukung" if b in links else None,
                links.get(b),
                tpi.get(b),
                None,
                None,
                tpi_notes.get(b),
            ]
        )
    return rows


HEADER = [
    "ID",
    "Komponen",
    None,
    None,
    None,
    None,
    None,
    "Bobot",
    "Kriteria Nilai",
    "Pilihan Jawaban",
    "Jawaban Unit",
    "Catatan",
    "Bukti Dukung",
    "Tautan Bukti Dukung",
    "Jawaban TPI",
    "Nilai TPI",
    "%",
    "Catatan TPI",
]
HEADER_TOP = [
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    "Penilaian Unit Kerja",
    None,
    None,
    None,
    "Penilaian TPI",
    None,
    None,
    None,
]
HEADER_SUB = [
    "ID",
    "Komponen",
    None,
    None,
    None,
    None,
    None,
    "Bobot",
    "Kriteria Nilai",
    "Pilihan Jawaban",
    "Jawaban",
    "Catatan",
    "Bukti Dukung",
    "Tautan",
    "Jawaban",
    "Nilai",
    "%",
    "Catatan",
]


def lke_workbook(
    unit: dict[str, object] | None = None,
    tpi: dict[str, object] | None = None,
    *,
    notes: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
    two_row_header: bool = False,
    insert_rows: dict[int, list] | None = None,
    extra_column: bool = False,
    colour: tuple[int, ...] = (),
    shuffle_sub_areas: bool = False,
    sheet_name: str = "Jawaban",
    other_sheets: tuple[str, ...] = ("Petunjuk",),
    percent_cells: dict[str, float] | None = None,
    tpi_notes: dict[str, str] | None = None,
) -> bytes:
    """An LKE workbook as bytes.  `insert_rows`: data-row index -> a row put before it."""
    lines = official_lines()
    if shuffle_sub_areas:  # the Pemenuhan sub-areas of area 1 in reverse order
        first = [r for r in lines if r["kode"] in ("1.1", "1.2", "1.3", "1.4")]
        rest = [r for r in lines if r not in first]
        order = ["1.4", "1.3", "1.2", "1.1"]
        lines = [r for c in order for r in first if r["kode"] == c] + rest
    rows = answer_sheet_rows(unit, tpi, notes, links, lines, tpi_notes)
    for at in sorted(insert_rows or {}, reverse=True):
        rows.insert(at, insert_rows[at])
    header = [HEADER_TOP, HEADER_SUB] if two_row_header else [HEADER]
    table = header + rows
    if extra_column:  # "No. urut" before the answers
        table = [r[:10] + [("No. Urut" if i == len(header) - 1 else None)] + r[10:] for i, r in enumerate(table)]
    wb = Workbook()
    first = wb.active
    first.title = other_sheets[0] if other_sheets else sheet_name
    if other_sheets:
        first.append(["Petunjuk pengisian: isi kolom Jawaban Unit dengan Ya/Tidak atau huruf pilihan."])
        ws = wb.create_sheet(sheet_name)
    else:
        ws = first
    for r in table:
        ws.append(list(r))
    if two_row_header:
        ws.merge_cells(start_row=1, start_column=11, end_row=1, end_column=14)
        ws.merge_cells(start_row=1, start_column=15, end_row=1, end_column=18)
    fill = PatternFill("solid", fgColor="FFFF00")
    for r in colour:
        for c in range(1, len(table[0]) + 1):
            ws.cell(row=r, column=c).fill = fill
    for ref, value in (percent_cells or {}).items():
        ws[ref] = value
        ws[ref].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def evidence_workbook(rows: list[list]) -> bytes:
    """An evidence / action sheet as BPS offices keep it: a title, a header, then rows with an LKE
    code ('A.1.I.i.'), the question letter, what was done and links."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bukti Dukung"
    ws.append(["DAFTAR BUKTI DUKUNG LKE ZONA INTEGRITAS"])
    ws.append([])
    ws.append(["Kode LKE", "Sub", "Uraian", "Rencana Aksi", "Link Bukti"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
