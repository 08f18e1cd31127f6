"""A corpus of broken and hostile files, every one made here by test code (openpyxl, zipfile,
raw bytes), run through the reader in-process, through `python -m zi_dashboard check` and
through `python -m zi_dashboard import` against a throwaway store.

Each case says what the file is called, how its bytes are made, the exit status `check` must
give (0 valid, 1 read but invalid, 2 unreadable) and a piece of the message the user must see.
For every case: the reader raises UnreadableFile or returns a report (never another
exception, never a hang); the CLI never prints a traceback; an import stores exactly one
snapshot for a valid file and leaves the store as it was otherwise.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import json
import os
import re
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import builders as B
import killers as K
import pytest
from builders import CODES
from conftest import ROOT
from openpyxl import Workbook

from zi_dashboard import labels as L
from zi_dashboard.reading import limits
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import ProgressReading, read_progress
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.store import open_store

AS_OF = "2025-11-15"
VALID = L.MSG["cli_valid"]  # "Berkas sah." (the CLI's line for a valid file)
DISTINCT = {c: float(4 * (i + 1)) for i, c in enumerate(CODES)}  # 4, 8, ..., 100
LIMIT_ATTR = {
    "ZI_MAX_UPLOAD_MB": ("MAX_FILE_MB", float),
    "ZI_MAX_ROWS": ("MAX_ROWS", int),
    "ZI_MAX_EXPANDED_MB": ("MAX_EXPANDED_MB", float),
    "ZI_MAX_ZIP_RATIO": ("MAX_RATIO", float),
    "ZI_MAX_CELL_CHARS": ("MAX_CELL_CHARS", int),
    "ZI_READ_SECONDS": ("READ_SECONDS", float),
}
DEFAULT_MEM_MB = 3000  # address-space cap of every child process (a baseline child maps ~1.4 GB)
# never acceptable in any output: an unexpected exception caught by the CLI's last line of
# defence, a Python traceback, a Rust panic
FORBIDDEN = ("Traceback", "Kesalahan tak terduga", "panicked", "stack backtrace", "memory allocation of")


@pytest.fixture(scope="module")
def plan():
    return load_plan()


# --- byte builders ---------------------------------------------------------------------------
def once(fn):
    return functools.cache(fn)


@once
def valid_xlsx() -> bytes:
    return B.xlsx([*B.TITLE_ROWS, [], *B.standard_rows(DISTINCT)])


def rezip(
    data: bytes,
    replace: dict[str, bytes | None] | None = None,
    add: list[tuple[str, bytes]] | None = None,
    patch: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """A copy of the zip `data` with parts replaced (None: dropped), patched or added."""
    replace, add, patch = replace or {}, add or [], patch or {}
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            name = info.filename
            body = zin.read(name)
            if name in replace:
                if replace[name] is None:
                    continue
                body = replace[name]
            if name in patch:
                body = patch[name](body)
            zo.writestr(name, body)
        for name, body in add:
            zo.writestr(name, body)
    return out.getvalue()


def cfb(*streams: str, size: int = 4096) -> bytes:
    """An OLE/CFB compound file as Excel writes .xls and password-protected .xlsx: the magic, a
    header, and a directory sector naming the streams (UTF-16-LE); the rest zero."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
        + struct.pack("<H", 6)
        + b"\0" * 10
        + struct.pack("<IIII", 1, 1, 0, 0x1000)
        + struct.pack("<IIII", 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    )
    header = header.ljust(512, b"\xff")
    directory = b""
    for i, name in enumerate(("Root Entry", *streams)):
        raw = name.encode("utf-16-le") + b"\0\0"
        entry = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), 5 if i == 0 else 2, 1)
        directory += entry.ljust(128, b"\0")
    return (header + directory).ljust(size, b"\0")


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        zo.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first, stored
        zo.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            zipfile.ZIP_DEFLATED,
        )
        zo.writestr(
            "content.xml",
            '<office:document-content><table:table table:name="Progres">'
            "<table:table-row><table:table-cell>Kode</table:table-cell></table:table-row>"
            "</table:table></office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


def xlsm() -> bytes:
    macro_type = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    return rezip(
        valid_xlsx(),
        patch={
            "[Content_Types].xml": lambda b: re.sub(
                rb"application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml", macro_type, b
            ).replace(
                b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            )
        },
        add=[("xl/vbaProject.bin", cfb("VBA", "PROJECT", "dir", size=2048))],
    )


def zeros_part(zo: zipfile.ZipFile, name: str, megabytes: int, byte: bytes = b"0") -> None:
    """Stream `megabytes` MB of one byte into part `name`, 1 MB at a time (little memory)."""
    info = zipfile.ZipInfo(name, date_time=(2025, 11, 15, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    chunk = byte * (1 << 20)
    with zo.open(info, "w", force_zip64=True) as f:
        for _ in range(megabytes):
            f.write(chunk)


@once
def zip_bomb(part: str = "xl/worksheets/sheet1.xml", megabytes: int = 300, byte: bytes = b"0") -> bytes:
    """The valid workbook with one part swapped for `megabytes` MB of one byte, deflated."""
    zin = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        if part not in zin.namelist():
            zeros_part(zo, part, megabytes, byte)
        for info in zin.infolist():
            if info.filename == part:
                zeros_part(zo, part, megabytes, byte)
            else:
                zo.writestr(info.filename, zin.read(info.filename))
    return out.getvalue()


@once
def many_parts_bomb() -> bytes:
    """Many innocent-looking 1 MB parts that together expand beyond MAX_EXPANDED_MB (250)."""
    zin = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            zo.writestr(info.filename, zin.read(info.filename))
        for k in range(260):
            zo.writestr(f"xl/media/image{k + 1}.emf", chunk)
    return out.getvalue()


def mimetype_bad_crc() -> bytes:
    """A workbook whose first part 'mimetype' has a wrong CRC-32 in both zip headers."""
    body = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        zo.writestr("mimetype", body)
        zin = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
        for info in zin.infolist():
            zo.writestr(info.filename, zin.read(info.filename), zipfile.ZIP_DEFLATED)
    data = out.getvalue()
    crc = struct.pack("<I", zlib.crc32(body))
    assert data.count(crc) == 2
    return data.replace(crc, struct.pack("<I", zlib.crc32(body) ^ 0xFFFFFFFF))


def sheet_xml_patch(data: bytes, fn: Callable[[bytes], bytes]) -> bytes:
    return rezip(data, patch={"xl/worksheets/sheet1.xml": fn})


def progress_cell(code: str) -> str:
    """The sheet cell of `code`'s progress in a standard_rows table written from A1."""
    return f"G{2 + CODES.index(code)}"


def formula_xlsx(cached: str | None) -> bytes:
    """Progress of 1.1 is the formula =50+25; its cached value `cached` (None: none stored)."""
    rows = B.standard_rows(DISTINCT)
    rows[1][6] = "=50+25"
    data = B.xlsx(rows)
    cell = progress_cell("1.1").encode()

    def fn(xml: bytes) -> bytes:
        pattern = rb'(<c r="' + cell + rb'"[^>]*>)<f>50\+25</f>(?:<v\s*/>|<v></v>)?(</c>)'
        value = b"" if cached is None else b"<v>" + cached.encode() + b"</v>"
        new, n = re.subn(pattern, rb"\1<f>50+25</f>" + value.replace(b"\\", b"\\\\") + rb"\2", xml)
        assert n == 1, xml[:2000]
        return new

    return sheet_xml_patch(data, fn)


def formatted_empty_rows(n: int = 100_000) -> bytes:
    """A 25-row table, then `n` rows formatted (fill, height) but holding nothing, as a sheet
    looks after someone formatted whole columns down to row 100,000."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Progres"
    from openpyxl.styles import PatternFill

    for r in B.standard_rows(DISTINCT):
        ws.append(r)
    ws["A2"].fill = PatternFill("solid", fgColor="FFFF00")  # makes style s="1"
    buf = io.BytesIO()
    wb.save(buf)
    cols = [bytes([65 + c]) for c in range(10)]
    last = 26 + n

    def fn(xml: bytes) -> bytes:
        empty = b"".join(
            b'<row r="%d" spans="1:10" s="1" customFormat="1" ht="15" customHeight="1">%s</row>'
            % (r, b"".join(b'<c r="%s%d" s="1"/>' % (c, r) for c in cols))
            for r in range(27, last + 1)
        )
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:J%d"/>' % last, xml)
        return xml.replace(b"</sheetData>", empty + b"</sheetData>")

    return sheet_xml_patch(buf.getvalue(), fn)


def far_cell(ref: str) -> bytes:
    """The valid table plus one cell far away (`ref`, e.g. XFD1048576, Excel's last cell)."""
    row = int(re.sub(r"[A-Z]", "", ref))
    return sheet_xml_patch(
        B.xlsx(B.standard_rows(DISTINCT)),
        lambda x: x.replace(
            b"</sheetData>",
            b'<row r="%d"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row></sheetData>' % (row, ref.encode()),
        ),
    )


def far_cell_xml(row_xml: bytes, sheet_path: str | None = None) -> bytes:
    """The valid table plus `row_xml` at the end of its sheet data; the sheet part moved to
    `sheet_path` (workbook relationships and content types following it) when given."""
    data = sheet_xml_patch(
        B.xlsx(B.standard_rows(DISTINCT)), lambda x: x.replace(b"</sheetData>", row_xml + b"</sheetData>")
    )
    if sheet_path is None:
        return data
    old_path = "xl/worksheets/sheet1.xml"
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                body = body.replace(old_path[3:].encode(), sheet_path[3:].encode())
            zo.writestr(sheet_path if info.filename == old_path else info.filename, body)
    return out.getvalue()


FAR_X = b"<is><t>x</t></is>"
# Excel's last cell holding 'x', written in ways XML and OOXML allow and Excel-like writers use
FAR_SINGLE_QUOTES = b"<row r='1048576'><c r='XFD1048576' t='inlineStr'>" + FAR_X + b"</c></row>"
FAR_SPACES = b'<row r = "1048576"><c r = "XFD1048576" t="inlineStr">' + FAR_X + b"</c></row>"
# r is optional on <row> and <c>: positions follow from order (16 KB once zipped)
FAR_NO_R = b"<row/>" * (1_048_576 - 27) + b"<row>" + b"<c/>" * 16_383 + b'<c t="inlineStr">' + FAR_X + b"</c></row>"
FAR_PLAIN = b'<row r="1048576"><c r="XFD1048576" t="inlineStr">' + FAR_X + b"</c></row>"
GIANT = "sheet_area"


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>\n"
)


def billion_laughs(part: str) -> bytes:
    """An XML entity-expansion bomb (10^9 'lol') as the DTD of one part; used in the sheet."""

    def fn(xml: bytes) -> bytes:
        xml = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return LAUGHS + xml.replace(b"catatan 1.1", b"&lol9;")

    return rezip(B.xlsx(B.standard_rows(DISTINCT)), patch={part: fn})


def rows_table(n_rows: int) -> list[list]:
    rows = [["Kode", "Indikator/Program", "Rencana Aksi", "Progres (%)"]]
    for i in range(n_rows):
        c = CODES[i % len(CODES)]
        rows.append([c, B.INDICATOR[c], f"Sub kegiatan {i + 1}", 50])
    return rows


# --- text that must survive, or be cleaned -----------------------------------------------------
TEXT_COLS = {3: "activity", 5: "pic", 7: "status_reported", 8: "evidence", 9: "notes"}  # standard_rows
CONTROL = [chr(i) for i in range(0x00, 0x09)] + ["\x1b"]
RLO = "\u202e"
# emoji (skin tones, flags, keycaps, variation selectors), Indonesian words and punctuation,
# Javanese and Sundanese script (aksara Jawa, aksara Sunda), Arabic-Malay (Pegon/Jawi)
UNICODE_TEXT = {
    3: "Sosialisasi “Zona Integritas” ke-2 📢✅ — tahap ½, Rp 1.500.000,00",
    5: "Kasubbag Parmas & SDM 👍🏽 (Bu Ëni Sùkaésih)",
    7: "Sedang berjalan ⏳ 1️⃣/3️⃣ 🇮🇩",
    8: "https://kota-tasikmalaya.kpu.go.id/zi/bukti?berkas=SK–Tim_ZI ✔️",
    9: "ꦲꦏ꧀ꦱꦫꦗꦮ · ᮃᮊ᮪ᮞᮛ ᮞᮥᮔ᮪ᮓ · جاوي · catatan: rapat tgl. 5 Nov ’25 🙏🏻✨",
}
ZWJ_TEXT = "Rapat daring 👩‍💻👨‍👩‍👧 dukungan 🏳️‍🌈 — operator 🧑‍🔧"


def text_rows(texts: dict[int, str]) -> list[list]:
    rows = B.standard_rows(DISTINCT)
    for col, text in texts.items():
        rows[1][col] = text
    return rows


def xlsx_escape(text: str) -> str:
    """Control characters as Excel writes them into the XML: _x001B_."""
    return "".join(f"_x{ord(ch):04X}_" if ch in CONTROL else ch for ch in text)


def dirty(col: int) -> str:
    return f"Teks{''.join(CONTROL)} kolom {col} {RLO}kiri-kanan{RLO} akhir"


def clean(col: int) -> str:
    return f"Teks kolom {col} kiri-kanan akhir"


LONG_NOTE = ("Catatan panjang: " + "rapat koordinasi tim ZI membahas bukti dukung. " * 220)[:10_000]


# --- in-process checks per case ----------------------------------------------------------------
def first_row(report: ProgressReading) -> dict:
    return report.rows[report.rows["code"] == "1.1"].iloc[0].to_dict()


def check_distinct(report, data, plan):
    assert report.rows.groupby("code")["progress"].mean().to_dict() == DISTINCT


def check_second_sheet(report, data, plan):
    assert report.sheet == "Progres" and report.sheets == ["Progres"]
    check_distinct(report, data, plan)


NOVEMBER = {c: min(100.0, v + 10) for c, v in DISTINCT.items()}


def check_two_tables(report, data, plan):
    assert report.sheet == "Oktober" and report.sheets == ["Oktober", "November"]
    check_distinct(report, data, plan)
    choice = [p.message for p in report.warnings if "'Oktober'" in p.message and "'November'" in p.message]
    assert len(choice) == 1, report.warnings
    second = read_progress(data, "dua-lembar.xlsx", plan, sheet="November")
    assert second.valid and second.sheet == "November"
    assert second.rows.groupby("code")["progress"].mean().to_dict() == NOVEMBER
    # nobody is told to choose again when they already chose: same warning, naming what was read
    assert any("'November'" in p.message for p in second.warnings)


def check_rows(n):
    def check(report, data, plan):
        assert len(report.rows) == n
        check_distinct(report, data, plan)

    return check


def check_formula_cached(report, data, plan):
    assert first_row(report)["progress"] == 75.0
    assert not [p for p in report.warnings if p.row == 2]


def check_formula_blank(report, data, plan):
    assert first_row(report)["progress"] == 0.0
    assert [p.column for p in report.warnings if p.row == 2 and p.message == L.MSG["progress_blank"]] == ["Progres (%)"]


def check_cleaned(report, data, plan):
    row = first_row(report)
    for col, name in TEXT_COLS.items():
        assert row[name] == clean(col), (name, row[name])
        assert not any(ch in row[name] for ch in CONTROL + [RLO])
    flagged = {p.column for p in report.warnings if p.row == 2 and p.message == L.MSG["control_chars"]}
    assert flagged == {"Rencana Aksi", "PIC", "Status", "Bukti Dukung", "Keterangan"}


def check_long_note(report, data, plan):
    note = first_row(report)["notes"]
    assert len(note) == limits.MAX_CELL_CHARS == 2000
    assert note[:-1] == LONG_NOTE[:1999] and note.endswith("…")


def check_note_length(n):
    def check(report, data, plan):
        assert len(first_row(report)["notes"]) == n
        check_distinct(report, data, plan)

    return check


def check_unicode(texts):
    def check(report, data, plan):
        row = first_row(report)
        for col, text in texts.items():
            assert row[TEXT_COLS[col]] == text, (TEXT_COLS[col], row[TEXT_COLS[col]], text)
        assert not [p for p in report.problems if p.row == 2], report.problems
        check_distinct(report, data, plan)

    return check


def check_macros(report, data, plan):
    assert report.warnings[0].message == L.MSG["macros"]
    check_distinct(report, data, plan)


# --- the table of cases ------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    build: Callable[[], bytes]
    exit: int  # expected exit status of `check`
    code: str | tuple | None  # the problem code the user must be shown (None: valid, no error)
    env: dict = field(default_factory=dict)  # limits for the CLI (and, patched, in-process)
    check: Callable | None = None  # more in-process asserts on a report: (report, data, plan)
    absent: str | None = None  # a problem code that must not be given
    max_s: float = 5.0  # the in-process read must take less CPU time
    isolate: bool = False  # read in a child process (the core may kill its process)
    mem_mb: int = DEFAULT_MEM_MB  # address-space cap of child processes
    xfail: str | None = None  # core bug: reason


def _html() -> bytes:
    return (
        b'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>Masuk - Google Drive'
        b"</title></head><body><table><tr><td>Kode</td><td>Progres (%)</td></tr><tr><td>1.1</td>"
        b"<td>50</td></tr></table></body></html>\n"
    )


def _excel_web_page() -> bytes:
    return (
        '\ufeff \r\n<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>Kode</td>'
        "<td>Progres (%)</td></tr></table></body></html>"
    ).encode("utf-8")


def _too_big_csv() -> bytes:
    rows = B.standard_rows(DISTINCT)
    for r in rows[1:]:
        r[9] = "catatan panjang " * 40
    data = B.csv_bytes(rows)
    assert len(data) > 0.01 * 1024 * 1024 * 1.5
    return data


NOT_XLSX = "not_xlsx"
NOT_TEXT = "not_text"
BOMB = ("zip_bomb", "zip_ratio")  # the total it would expand to, or one part's ratio

CASES = [
    # nothing in it
    Case("empty-0-bytes", "kosong.xlsx", lambda: b"", 2, "empty_file"),
    Case("empty-whitespace-only", "kosong.csv", lambda: b" \r\n\t  \r\n   \n", 2, "empty_file"),
    # not a spreadsheet
    Case("docx-unknown-extension", "laporan.docx", B.docx_like_bytes, 2, NOT_XLSX),
    Case("png-image", "foto-kegiatan.png", png, 2, "unknown_type"),
    Case("no-extension-text", "progres", lambda: b"Kode;Progres (%)\r\n1.1;50\r\n", 2, "unknown_type"),
    Case("html-renamed-xlsx", "progres.xlsx", _html, 2, "is_html"),
    Case("excel-web-page-bom-renamed-xlsx", "progres.xlsx", _excel_web_page, 2, "is_html"),
    Case("pdf-renamed-xlsx", "laporan.xlsx", B.pdf_bytes, 2, "is_pdf"),
    Case("pdf-renamed-csv", "laporan.csv", lambda: B.pdf_bytes(compressed=False), 2, "is_pdf"),
    Case("xlsx-renamed-csv", "progres.csv", valid_xlsx, 2, NOT_TEXT),
    Case(
        "utf16-unicode-text-csv",
        "progres.csv",
        lambda: B.csv_bytes(B.standard_rows(DISTINCT), sep="\t").decode().encode("utf-16"),
        2,
        NOT_TEXT,
    ),
    Case("csv-with-nul-byte", "progres.csv", lambda: B.csv_bytes(text_rows({9: "catatan\x00rusak"})), 2, NOT_TEXT),
    # broken workbooks
    Case("truncated-xlsx", "progres.xlsx", lambda: valid_xlsx()[: len(valid_xlsx()) // 2], 2, NOT_XLSX),
    Case(
        "garbage-workbook-xml",
        "progres.xlsx",
        lambda: rezip(valid_xlsx(), replace={"xl/workbook.xml": b"\x00\xffPK garbage <<<<< <workbook"}),
        2,
        NOT_XLSX,
    ),
    Case(
        "zip-missing-workbook-xml",
        "progres.xlsx",
        lambda: rezip(valid_xlsx(), replace={"xl/workbook.xml": None}),
        2,
        NOT_XLSX,
    ),
    Case(
        "password-protected-xlsx",
        "rahasia.xlsx",
        lambda: cfb("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"),
        2,
        "encrypted",
    ),
    Case("legacy-xls", "progres-lama.xls", lambda: cfb("Workbook", "\x05SummaryInformation"), 2, "xls_legacy"),
    Case(
        "legacy-xls-renamed-xlsx",
        "progres-lama.xlsx",
        lambda: cfb("Workbook", "\x05SummaryInformation"),
        2,
        "xls_legacy",
    ),
    Case("ods", "progres.ods", ods, 2, "ods"),
    Case("ods-renamed-xlsx", "progres.xlsx", ods, 2, "ods"),
    Case("mimetype-part-bad-crc", "progres.xlsx", mimetype_bad_crc, 2, NOT_XLSX),
    Case("billion-laughs-in-sheet", "progres.xlsx", lambda: billion_laughs("xl/worksheets/sheet1.xml"), 2, NOT_XLSX),
    Case(
        "billion-laughs-in-styles",
        "progres.xlsx",
        lambda: billion_laughs("xl/styles.xml"),
        0,
        None,
        check=check_distinct,
    ),
    # macros: values read, never run
    Case("xlsm-with-macros", "progres.xlsm", xlsm, 0, "macros", check=check_macros),
    # limits
    Case("over-size-limit", "progres.csv", _too_big_csv, 2, "too_big", env={"ZI_MAX_UPLOAD_MB": "0.01"}),
    Case(
        "over-row-limit",
        "progres.xlsx",
        lambda: B.xlsx(rows_table(149)),
        2,
        "too_many_rows",
        env={"ZI_MAX_ROWS": "100"},
    ),
    Case("zip-bomb-300mb-sheet", "progres.xlsx", zip_bomb, 2, BOMB, max_s=2.0),
    Case("zip-bomb-ratio-100mb-part", "progres.xlsx", lambda: zip_bomb("xl/media/image1.emf", 100), 2, BOMB, max_s=2.0),
    Case("zip-bomb-many-parts", "progres.xlsx", many_parts_bomb, 2, BOMB, max_s=2.0),
    Case(
        "zip-bomb-in-mimetype-part",
        "progres.xlsx",
        lambda: zip_bomb("mimetype", 1000, b"\0"),
        2,
        BOMB,
        max_s=2.0,
        isolate=True,
        mem_mb=2400,
    ),  # 1 MB file; expanding it would need > 2 GB
    # a sheet spanning a huge area: calamine lays the area out densely (XFD1048576: 512 GiB)
    Case("cell-at-XFD1048576", "progres.xlsx", lambda: far_cell_xml(FAR_PLAIN), 2, GIANT, isolate=True),
    Case("cell-at-A1048576", "progres.xlsx", lambda: far_cell("A1048576"), 2, GIANT, max_s=2.0),
    Case(
        "far-cell-single-quoted-attributes",
        "progres.xlsx",
        lambda: far_cell_xml(FAR_SINGLE_QUOTES),
        2,
        GIANT,
        isolate=True,
    ),
    Case("far-cell-spaces-around-equals", "progres.xlsx", lambda: far_cell_xml(FAR_SPACES), 2, GIANT, isolate=True),
    Case("far-cell-rows-and-cells-without-r", "progres.xlsx", lambda: far_cell_xml(FAR_NO_R), 2, GIANT, isolate=True),
    Case(
        "far-cell-sheet-outside-xl-worksheets",
        "progres.xlsx",
        lambda: far_cell_xml(FAR_PLAIN, sheet_path="xl/lembar/sheet1.xml"),
        2,
        GIANT,
        isolate=True,
    ),
    # where the table is
    Case(
        "table-on-second-sheet",
        "progres.xlsx",
        lambda: B.xlsx(
            B.standard_rows(DISTINCT),
            sheet="Progres",
            before=[("Petunjuk", [["Petunjuk pengisian"], ["Isi progres 0-100 per rencana aksi"]])],
        ),
        0,
        None,
        check=check_second_sheet,
    ),
    Case(
        "tables-on-two-sheets",
        "dua-lembar.xlsx",
        lambda: B.xlsx(B.standard_rows(DISTINCT), sheet="Oktober", after=[("November", B.standard_rows(NOVEMBER))]),
        0,
        "sheet_choice",
        check=check_two_tables,
    ),
    Case(
        "no-recognisable-header",
        "progres.xlsx",
        lambda: B.xlsx([["Daftar hadir rapat"], ["Nama", "Jabatan", "Tanda tangan"], ["Asep", "Ketua", "ttd"]]),
        1,
        "no_header",
    ),
    Case("header-but-no-rows", "progres.csv", lambda: b"Kode;Indikator/Program;Progres (%)\r\n", 1, "no_rows"),
    Case("100k-formatted-empty-rows", "progres.xlsx", formatted_empty_rows, 0, None, max_s=3.0, check=check_rows(25)),
    Case(
        "100k-separator-only-csv-lines",
        "progres.csv",
        lambda: B.csv_bytes(B.standard_rows(DISTINCT)) + b";;;;;;;;;\r\n" * 100_000,
        0,
        None,
        max_s=3.0,
        check=check_rows(25),
    ),
    # formulas
    Case("formula-with-cached-value", "progres.xlsx", lambda: formula_xlsx("75"), 0, None, check=check_formula_cached),
    Case(
        "formula-without-cached-value",
        "progres.xlsx",
        lambda: formula_xlsx(None),
        0,
        "progress_blank",
        check=check_formula_blank,
    ),
    # text
    Case(
        "control-chars-and-rlo-xlsx",
        "progres.xlsx",
        lambda: B.xlsx(text_rows({c: xlsx_escape(dirty(c)) for c in TEXT_COLS})),
        0,
        "control_chars",
        check=check_cleaned,
    ),
    Case(
        "control-chars-and-rlo-csv",
        "progres.csv",
        lambda: B.csv_bytes(text_rows({c: dirty(c).replace("\x00", "") for c in TEXT_COLS})),
        0,
        "control_chars",
        check=check_cleaned,
    ),
    Case(
        "10000-char-note",
        "progres.xlsx",
        lambda: B.xlsx(text_rows({9: LONG_NOTE})),
        0,
        "cell_truncated",
        check=check_long_note,
    ),
    Case(
        "emoji-and-indonesian-xlsx",
        "progres.xlsx",
        lambda: B.xlsx(text_rows(UNICODE_TEXT)),
        0,
        None,
        check=check_unicode(UNICODE_TEXT),
        absent="control_chars",
    ),
    Case(
        "emoji-and-indonesian-csv",
        "progres.csv",
        lambda: B.csv_bytes(text_rows(UNICODE_TEXT), bom=True),
        0,
        None,
        check=check_unicode(UNICODE_TEXT),
        absent="control_chars",
    ),
    Case(
        "emoji-zwj-sequences",
        "progres.xlsx",
        lambda: B.xlsx(text_rows({9: ZWJ_TEXT})),
        0,
        None,
        check=check_unicode({9: ZWJ_TEXT}),
        absent="control_chars",
    ),
    Case(
        "csv-200000-char-note",
        "progres.csv",
        lambda: B.csv_bytes(text_rows({9: "x" * 200_000})),
        0,
        "cell_truncated",
        check=check_note_length(2000),
    ),
    Case(
        "csv-line-of-200000-separators",
        "progres.csv",
        lambda: B.csv_bytes(B.standard_rows(DISTINCT), pad=False).replace(b"\r\n", b";" * 200_000 + b"\r\n", 1),
        0,
        None,
        check=check_rows(25),
    ),
]


# files that took the server down, cost up to 1 GB, or froze everyone (tests/killers.py)
CASES += [
    Case("xfd-cell-inside-row-6", "progres.xlsx", K.xfd_in_row_6, 2, GIANT, isolate=True),
    Case("cell-row-200000-inside-row-531", "progres.xlsx", K.row_200000_in_row_531, 2, GIANT, max_s=2.0),
    Case("row-900000-written-first", "progres.xlsx", K.rows_out_of_order, 2, GIANT, max_s=2.0),
    Case("four-letter-column-ZZZZ", "progres.xlsx", K.four_letter_column, 2, GIANT, isolate=True),
    Case("styles-2.8-million-nested-elements", "progres.xlsx", K.nested_styles, 2, NOT_XLSX, max_s=2.0),
    # a size limit of 10 MB (settable) lets it reach the parser: the point is its cost there
    Case(
        "csv-9.9MB-line-of-separators",
        "progres.csv",
        K.separator_line_csv,
        0,
        None,
        check=check_rows(25),
        env={"ZI_MAX_UPLOAD_MB": "10"},
    ),
    # 239 MB of text: read, within the memory ceiling; time limit raised (a busy machine is slow)
    Case(
        "12-sheets-of-19.9MB-text",
        "progres.xlsx",
        K.many_big_sheets,
        0,
        None,
        max_s=60.0,
        check=check_rows(25),
        env={"ZI_READ_SECONDS": "120"},
    ),
    Case("20000-unclosed-row-tags", "progres.xlsx", K.unclosed_rows, 2, NOT_XLSX, max_s=2.0),
    Case("40000-unclosed-row-tags", "progres.xlsx", lambda: K.unclosed_rows(40_000), 2, NOT_XLSX, max_s=2.0),
]


def codes_of(case: Case) -> tuple:
    return case.code if isinstance(case.code, tuple) else (case.code,)


def shown_text(case: Case) -> list[str]:
    """What the user reads for the case's code: the fixed start of its labels.MSG template."""
    return [L.MSG[c].split("{")[0].strip() for c in codes_of(case)]


def params(cases=CASES):
    out = []
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        if c.max_s > 10:  # a file that takes long to read, even when all goes well
            marks.append(pytest.mark.slow)
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


def test_corpus_is_large_and_generated():
    assert len(CASES) >= 25 and len({c.id for c in CASES}) == len(CASES)


# --- running the reader ------------------------------------------------------------------------
def _cap(mem_mb: int):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))

    return limit


def _env(case: Case) -> dict:
    return dict(os.environ, PYTHONIOENCODING="utf-8", **case.env)


CHILD = """
import json, sys, time
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.sheets import UnreadableFile
path, name = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
t = time.process_time()  # the work done (CPU), not the time on the wall of a busy machine
try:
    r = read_progress(data, name, load_plan())
    out = {"kind": "report", "valid": r.valid, "problems": [[p.level, p.code, p.message] for p in r.problems]}
except UnreadableFile as exc:
    out = {"kind": "unreadable", "code": exc.code, "message": str(exc)}
except BaseException as exc:
    out = {"kind": "other", "message": type(exc).__name__ + ": " + str(exc)[:300]}
out["seconds"] = time.process_time() - t
print(json.dumps(out))
"""


def _read_in_child(case: Case, data: bytes, tmp_path) -> dict:
    path = tmp_path / case.filename
    path.write_bytes(data)
    p = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), case.filename],
        cwd=ROOT,
        env=_env(case),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        preexec_fn=_cap(case.mem_mb),
    )
    assert p.returncode == 0, f"reader process died: exit {p.returncode}\n{p.stderr[-800:]}"
    return json.loads(p.stdout.strip().splitlines()[-1])


def _outcome(case: Case, data: bytes, plan, monkeypatch, tmp_path) -> tuple[dict, ProgressReading | None]:
    """Read `data` as the app does; -> (outcome dict as _read_in_child gives, report or None)."""
    if case.isolate:
        return _read_in_child(case, data, tmp_path), None
    for name, value in case.env.items():
        attr, kind = LIMIT_ATTR[name]
        monkeypatch.setattr(limits, attr, kind(value))
    gc.collect()  # the garbage earlier tests left is not this read's work
    t = time.process_time()  # the work done (CPU), not the time on the wall of a busy machine
    report = None
    try:
        report = read_progress(data, case.filename, plan)
        out = {
            "kind": "report",
            "valid": report.valid,
            "problems": [[p.level, p.code, p.message] for p in report.problems],
        }
    except UnreadableFile as exc:
        out = {"kind": "unreadable", "code": exc.code, "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - any other exception is what this test exists to catch
        out = {"kind": "other", "message": f"{type(exc).__name__}: {exc}"[:300]}
    out["seconds"] = time.process_time() - t
    return out, report


@pytest.mark.parametrize("case", params())
def test_reader_in_process(case: Case, plan, monkeypatch, tmp_path):
    data = case.build()
    out, report = _outcome(case, data, plan, monkeypatch, tmp_path)
    assert out["kind"] != "other", out["message"]
    assert out["seconds"] < case.max_s, f"read took {out['seconds']:.2f} s"
    if case.exit == 2:
        assert out["kind"] == "unreadable", out
        assert out["code"] in codes_of(case), out
        return
    assert out["kind"] == "report", out
    assert out["valid"] == (case.exit == 0), out["problems"]
    given = {code for _, code, _ in out["problems"]}
    assert "other" not in given, out["problems"]
    if case.code:
        assert given & set(codes_of(case)), out["problems"]
    if case.absent:
        assert case.absent not in given, out["problems"]
    if case.check:
        case.check(report, data, plan)


# --- the CLI: check and import, side by side ----------------------------------------------------
def _seed(url: str, plan):
    """A store holding one earlier upload, so 'unchanged' means something."""
    st = open_store(url)
    stored = st.latest_plan()
    data = b"Kode;Progres (%)\r\n1.1;10\r\n1.2;20\r\n"
    report = read_progress(data, "awal.csv", plan)
    assert report.valid
    st.save(data, "awal.csv", "penyiap", None, report.rows, stored.id)
    state = (st.count(), st.current().id, st.current().sha256, len(st.events()))
    st.dispose()
    return state


def _run_all(commands: list[list[str]], case: Case) -> list[subprocess.CompletedProcess]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "zi_dashboard", *cmd],
            cwd=ROOT,
            env=_env(case),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_cap(case.mem_mb),
        )
        for cmd in commands
    ]
    done = []
    for cmd, p in zip(commands, procs, strict=False):
        try:
            out, err = p.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            raise AssertionError(f"{cmd[0]} hung") from None
        done.append(
            subprocess.CompletedProcess(
                cmd, p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
            )
        )
    for p in done:
        text = p.stdout + p.stderr
        assert not any(f in text for f in FORBIDDEN), f"{p.args[0]}: exit {p.returncode}\n{text[-1500:]}"
    return done


@pytest.mark.slow  # two CLI processes per case
@pytest.mark.parametrize("case", params())
def test_cli_check_and_import(case: Case, plan, temp_db, tmp_path):
    data = case.build()
    path = tmp_path / case.filename
    path.write_bytes(data)
    before = _seed(temp_db, plan)
    check, imported = _run_all(
        [["check", str(path), "--as-of", AS_OF], ["import", str(path), "--by", "x", "--position-date", AS_OF]], case
    )
    # check: exit status and the message (stderr when unreadable, stdout otherwise)
    assert check.returncode == case.exit, check.stdout + check.stderr
    shown = check.stderr if case.exit == 2 else check.stdout
    if case.code:
        assert any(s in shown for s in shown_text(case)), shown
    if case.exit == 2:
        assert shown.startswith(L.CLI["cannot_read"] + ":")
    elif case.exit == 1:
        assert L.MSG["invalid_file"].split(":")[0] in shown
    else:
        assert VALID in shown
    if case.absent:
        assert L.MSG[case.absent] not in check.stdout + check.stderr
    # import: a valid file becomes exactly one new upload, in use; anything else changes nothing
    st = open_store(temp_db)
    count, current, events = st.count(), st.current(), st.events()
    if case.exit == 0:
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert L.CLI["imported"].format(id=current.id, name=case.filename) in imported.stdout
        assert count == before[0] + 1 and len(events) == before[3] + 1 and events[-1].kind == "upload"
        assert current.id != before[1] and current.sha256 == hashlib.sha256(data).hexdigest()
        assert current.content == data
        if not case.isolate and not case.env:
            stored = st.rows(current.id)
            expected = read_progress(data, case.filename, plan).rows
            assert stored.to_dict("records") == expected.to_dict("records")
    else:
        assert imported.returncode == case.exit, imported.stdout + imported.stderr
        assert any(s in (imported.stderr if case.exit == 2 else imported.stdout) for s in shown_text(case))
        assert (count, current.id, current.sha256, len(events)) == before
    st.dispose()


JSON_CASES = [
    "pdf-renamed-xlsx",
    "zip-bomb-300mb-sheet",
    "no-recognisable-header",
    "control-chars-and-rlo-csv",
    "emoji-and-indonesian-xlsx",
]


@pytest.mark.slow  # a CLI process per case
@pytest.mark.parametrize("case", params([c for c in CASES if c.id in JSON_CASES]))
def test_cli_check_json(case: Case, tmp_path):
    """`check --json`: one JSON object on stdout, same verdict and message, text kept as UTF-8."""
    path = tmp_path / case.filename
    path.write_bytes(case.build())
    (p,) = _run_all([["check", str(path), "--as-of", AS_OF, "--json"]], case)
    assert p.returncode == case.exit and p.stderr == ""
    result = json.loads(p.stdout)
    assert result["valid"] == (case.exit == 0) and result["as_of"] == AS_OF
    given = {m["code"] for m in result["errors"] + result["warnings"]}
    if case.code:
        assert given & set(codes_of(case)), given
    assert (result["overall_completion"] is not None) == (case.exit == 0)


def test_ratio_refusal_message_does_not_contradict_itself(plan):
    with pytest.raises(UnreadableFile) as exc:
        read_progress(zip_bomb("xl/media/image1.emf", 100), "progres.xlsx", plan)
    message = str(exc.value)
    sizes = [int(n.replace(".", "")) for n in re.findall(r"([\d.]+) MB", message)]
    ratios = [int(n.replace(".", "")) for n in re.findall(r"([\d.]+) kali", message)]
    # either a total size above its limit, or a compression ratio above its limit
    assert (len(sizes) == 2 and sizes[0] > sizes[1]) or (len(ratios) == 2 and ratios[0] > ratios[1]), message
