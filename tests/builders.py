"""Build progress files the way office staff really build them, as bytes.

- `xlsx(...)` writes a workbook with openpyxl: title rows, merged cells, percent formats,
  numbers typed where text was meant, signature blocks below the table, extra sheets.
- `csv_bytes(...)` writes CSV by hand (no csv module), so separator, quoting, BOM, line endings
  and decimal commas are exactly what the test says.

The 2025 plan is written out here on purpose (by hand), not read from the package's data/
under test, so a test can catch the package reading its own plan wrong.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# --- the plan, as in the decree (code, component, indicator, target) -----------------------
OKT_DES = "Oktober s/d Desember 2025"
PLAN = [
    ("1.1", "Manajemen Perubahan", "Penyusunan Tim Kerja", "Oktober 2025"),
    ("1.2", "Manajemen Perubahan", "Rencana Pembangunan ZI", "Oktober 2025"),
    ("1.3", "Manajemen Perubahan", "Pemantauan dan Evaluasi", OKT_DES),
    ("1.4", "Manajemen Perubahan", "Perubahan Pola Pikir dan Budaya Kerja", OKT_DES),
    ("2.1", "Penataan Tatalaksana", "SOP", OKT_DES),
    ("2.2", "Penataan Tatalaksana", "SPBE", OKT_DES),
    ("2.3", "Penataan Tatalaksana", "Keterbukaan Informasi Publik", OKT_DES),
    ("3.1", "Penataan Sistem Manajemen SDM", "Perencanaan Kebutuhan Pegawai", OKT_DES),
    ("3.2", "Penataan Sistem Manajemen SDM", "Pola Mutasi Internal", OKT_DES),
    ("3.3", "Penataan Sistem Manajemen SDM", "Pengembangan Pegawai Berbasis Kompetensi", OKT_DES),
    ("3.4", "Penataan Sistem Manajemen SDM", "Penetapan Kinerja Individu", OKT_DES),
    ("3.5", "Penataan Sistem Manajemen SDM", "Penegakan Disiplin/Kode Etik", OKT_DES),
    ("3.6", "Penataan Sistem Manajemen SDM", "Sistem Informasi Kepegawaian", OKT_DES),
    ("4.1", "Penguatan Akuntabilitas Kinerja", "Keterlibatan Pimpinan", OKT_DES),
    ("4.2", "Penguatan Akuntabilitas Kinerja", "Pengelolaan Akuntabilitas Kinerja", OKT_DES),
    ("5.1", "Penguatan Pengawasan", "Pengendalian Gratifikasi", OKT_DES),
    ("5.2", "Penguatan Pengawasan", "SPIP", OKT_DES),
    ("5.3", "Penguatan Pengawasan", "Pengaduan Masyarakat", OKT_DES),
    ("5.4", "Penguatan Pengawasan", "Whistle Blowing System", OKT_DES),
    ("5.5", "Penguatan Pengawasan", "Penanganan Benturan Kepentingan", OKT_DES),
    ("6.1", "Peningkatan Kualitas Pelayanan Publik", "Standar Pelayanan", OKT_DES),
    ("6.2", "Peningkatan Kualitas Pelayanan Publik", "Budaya Pelayanan Prima", OKT_DES),
    ("6.3", "Peningkatan Kualitas Pelayanan Publik", "Pengelolaan Pengaduan", OKT_DES),
    ("6.4", "Peningkatan Kualitas Pelayanan Publik", "Penilaian Kepuasan Masyarakat", "Agustus s/d Desember 2025"),
    ("6.5", "Peningkatan Kualitas Pelayanan Publik", "Pemanfaatan Teknologi Informasi", OKT_DES),
]
CODES = [p[0] for p in PLAN]
COMPONENT = {p[0]: p[1] for p in PLAN}
INDICATOR = {p[0]: p[2] for p in PLAN}
TARGET = {p[0]: p[3] for p in PLAN}
COMPONENTS = list(dict.fromkeys(p[1] for p in PLAN))

TITLE_ROWS = [
    ["LAPORAN PROGRES RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS (ZI)"],
    ["KPU Kota Tasikmalaya"],
    ["Posisi: 15 November 2025"],
]
SIGNATURE = [
    "Tasikmalaya, 15 November 2025",
    "Ketua Tim ZI",
    "",
    "ttd",
    "",
    "Drs. H. Asep Saepudin, M.Si.",
    "NIP. 19700101 199503 1 001",
]


def activity(code: str) -> str:
    return f"Kegiatan {code}: {INDICATOR[code]}"


def pic(code: str) -> str:
    return "Sekretaris" if code.startswith("1.") else f"Kasubbag {COMPONENT[code].split()[-1]}"


def evidence(code: str) -> str:
    return f"https://drive.example.go.id/zi/{code}"


def note(code: str) -> str:
    return f"catatan {code}"


# --- cells -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fmt:
    """A cell value with a number format, e.g. Fmt(0.75, '0%')."""

    value: object
    number_format: str


def progress_values(values: dict[str, object] | None = None, default: object = 0) -> dict[str, object]:
    values = values or {}
    return {c: values.get(c, default) for c in CODES}


# --- typical tables ----------------------------------------------------------------------------
STANDARD_HEADER = [
    "Kode",
    "Komponen",
    "Indikator/Program",
    "Rencana Aksi",
    "Target Waktu",
    "PIC",
    "Progres (%)",
    "Status",
    "Bukti Dukung",
    "Keterangan",
]


def standard_rows(
    values: dict[str, object] | None = None,
    default: object = 0,
    header: Sequence[str] = STANDARD_HEADER,
    codes: Iterable[str] = CODES,
    code_cell=lambda c: c,
) -> list[list]:
    """Header + one row per code in the column order of STANDARD_HEADER (whatever it is
    called).  `values` code -> progress cell; `code_cell` turns a code into what is typed."""
    vals = progress_values(values, default)
    rows: list[list] = [list(header)]
    for c in codes:
        rows.append(
            [
                code_cell(c),
                COMPONENT[c],
                INDICATOR[c],
                activity(c),
                TARGET[c],
                pic(c),
                vals[c],
                "",
                evidence(c),
                note(c),
            ]
        )
    return rows


def column_number_row(n: int, style: str = "plain") -> list:
    if style == "paren":
        return [f"({i})" for i in range(1, n + 1)]
    if style == "text":
        return [str(i) for i in range(1, n + 1)]
    return list(range(1, n + 1))


# --- xlsx --------------------------------------------------------------------------------------
def xlsx(
    rows: Sequence[Sequence],
    *,
    start_row: int = 1,
    start_col: int = 1,
    merges: Iterable[str] = (),
    sheet: str = "Progres",
    before: Sequence[tuple[str, Sequence[Sequence]]] = (),
    after: Sequence[tuple[str, Sequence[Sequence]]] = (),
) -> bytes:
    """Rows of values (None or '' for a blank cell; Fmt for a formatted cell) written from
    (start_row, start_col); `merges` as Excel ranges ('B5:B8'); extra sheets before/after."""
    wb = Workbook()
    ws0 = wb.active
    sheets = []
    for name, srows in before:
        sheets.append((name, srows, 1, 1, ()))
    sheets.append((sheet, rows, start_row, start_col, tuple(merges)))
    for name, srows in after:
        sheets.append((name, srows, 1, 1, ()))
    for i, (name, srows, r0, c0, mrg) in enumerate(sheets):
        ws = ws0 if i == 0 else wb.create_sheet()
        ws.title = name
        for r, row in enumerate(srows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=r0 + r, column=c0 + c)
                if isinstance(v, Fmt):
                    cell.value = v.value
                    cell.number_format = v.number_format
                else:
                    cell.value = v
        for rng in mrg:
            ws.merge_cells(rng)
        for c in range(1, 12):
            ws.column_dimensions[get_column_letter(c)].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def merge_runs(rows: Sequence[Sequence], col: int, first_data_row: int, col_letter: str) -> list[str]:
    """Excel ranges merging each run of a value with the blanks under it in column `col`
    (0-based in `rows`); `first_data_row` is the sheet row of rows[0]."""
    ranges = []
    start = None
    for i, row in enumerate(rows):
        v = row[col] if col < len(row) else None
        if v not in (None, ""):
            if start is not None and i - 1 > start:
                ranges.append(f"{col_letter}{first_data_row + start}:{col_letter}{first_data_row + i - 1}")
            start = i
    if start is not None and len(rows) - 1 > start:
        ranges.append(f"{col_letter}{first_data_row + start}:{col_letter}{first_data_row + len(rows) - 1}")
    return ranges


# --- csv ---------------------------------------------------------------------------------------
def csv_field(value: object, sep: str, decimal: str = ",") -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = repr(value).replace(".", decimal)
    else:
        text = str(value)
    if any(ch in text for ch in (sep, '"', "\n", "\r")):
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_bytes(
    rows: Sequence[Sequence],
    *,
    sep: str = ";",
    decimal: str = ",",
    bom: bool = False,
    crlf: bool = True,
    encoding: str = "utf-8",
    pad: bool = True,
) -> bytes:
    """CSV as Excel writes it: every line padded to the same number of fields (pad=True),
    fields quoted only where needed, floats with the given decimal mark."""
    width = max(len(r) for r in rows) if pad else 0
    eol = "\r\n" if crlf else "\n"
    lines = []
    for r in rows:
        cells = list(r) + [""] * (width - len(r))
        lines.append(sep.join(csv_field(v, sep, decimal) for v in cells))
    data = (eol.join(lines) + eol).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# --- things that are not spreadsheets ----------------------------------------------------------
def pdf_bytes(compressed: bool = True) -> bytes:
    """A small, well-formed PDF ("Laporan Progres ZI").  compressed=False gives the all-text
    kind some tools write (only the binary comment line is not ASCII)."""
    content = b"BT /F1 12 Tf 72 720 Td (Laporan Progres ZI - Kode;Progres) Tj ET\n" * 20
    stream = zlib.compress(content) if compressed else content
    filt = b" /Filter /FlateDecode" if compressed else b""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), filt) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def garbage_bytes(n: int = 4096, seed: int = 7) -> bytes:
    """Deterministic random bytes (a damaged download, a file of the wrong kind)."""
    x = seed
    out = bytearray()
    for _ in range(n):
        x = (1103515245 * x + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


def docx_like_bytes() -> bytes:
    """A zip that is a Word document, not a workbook (a .docx renamed to .xlsx)."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>Laporan Progres</w:document>")
    return buf.getvalue()


# --- a two-row header as government offices lay it out ----------------------------------------
# per code: (money spent in rupiah, the same as % of the budget, physical progress %)
TWO_ROW_FIGURES = {c: (350000 + 25000 * i, 20 + i, 40 + 2 * i) for i, c in enumerate(CODES)}


def two_row_progress(subs: Sequence[str] = ("KEUANGAN (Rp)", "KEUANGAN (%)", "FISIK (%)")) -> bytes:
    """Title rows; row 5 the parents (TARGET merged over two columns, REALISASI over `subs`, the
    fixed columns merged down both rows), row 6 the sub-headers; money as plain numbers with a
    thousands format, percentages as fractions in %-formatted cells; components merged."""
    titles = [
        ["LAPORAN REALISASI RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS TAHUN 2025"],
        ["KPU Kota Tasikmalaya"],
        ["Posisi: 30 November 2025"],
        [],
    ]
    top = [
        "No",
        "Kode",
        "Komponen",
        "Indikator",
        "Target Waktu",
        "PIC",
        "TARGET",
        None,
        "REALISASI",
        None,
        None,
        "Keterangan",
    ]
    sub = [None] * 6 + ["KEUANGAN (Rp)", "FISIK (%)", *subs, None]
    body = []
    for n, c in enumerate(CODES, start=1):
        rp, keu, fis = TWO_ROW_FIGURES[c]
        component = COMPONENT[c] if n == 1 or COMPONENT[CODES[n - 2]] != COMPONENT[c] else None
        body.append(
            [
                n,
                c,
                component,
                INDICATOR[c],
                TARGET[c],
                pic(c),
                Fmt(500000 + 25000 * n, "#,##0"),
                Fmt(1.0, "0%"),
                Fmt(rp, "#,##0"),
                Fmt(keu / 100, "0%"),
                Fmt(fis / 100, "0%"),
                note(c),
            ]
        )
    merges = ["A1:L1", "G5:H5", "I5:K5"] + [f"{col}5:{col}6" for col in "ABCDEFL"]
    merges += merge_runs(body, 2, len(titles) + 3, "C")
    return xlsx(titles + [top, sub] + body, merges=merges)


def word_template(*lines: str) -> bytes:
    """A Word .docx as an office writes a Laporan monev template in Word: one paragraph a line."""
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The zip (a .docx, an .xlsx) `data` with parts replaced or added: how a crafted file is made."""
    import zipfile

    parts = dict(parts)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, parts.pop(item.filename, src.read(item.filename)))
        for name, content in parts.items():
            z.writestr(name, content)
    return buf.getvalue()
