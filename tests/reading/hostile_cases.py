"""The corpus of broken and hostile files that tests/reading/test_hostile.py runs: each case says
what the file is called, how its bytes are made (hostile_files.py), the exit status `check` must
give (0 valid, 1 read but invalid, 2 unreadable), a piece of the message the user must see, and
what the report must hold when the file reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import builders as B
import killers as K
import pytest
from hostile_files import (
    DISTINCT,
    FAR_NO_R,
    FAR_PLAIN,
    FAR_SINGLE_QUOTES,
    FAR_SPACES,
    GIANT,
    billion_laughs,
    cfb,
    far_cell,
    far_cell_xml,
    formatted_empty_rows,
    formula_xlsx,
    many_parts_bomb,
    mimetype_bad_crc,
    ods,
    png,
    rezip,
    rows_table,
    sheet_twice,
    valid_xlsx,
    xlsm,
    zip_bomb,
)

from zi_dashboard import labels as L
from zi_dashboard.reading import limits
from zi_dashboard.reading.progress import ProgressReading, read_progress

AS_OF = "2025-11-15"
VALID = L.MSG["cli_valid"]  # "Berkas sah." (the CLI's line for a valid file)
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
    slow: bool = False  # a file that takes long to read, even when all goes well
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
    Case("zip-bomb-300mb-sheet", "progres.xlsx", zip_bomb, 2, BOMB),
    Case("zip-bomb-ratio-100mb-part", "progres.xlsx", lambda: zip_bomb("xl/media/image1.emf", 100), 2, BOMB),
    Case("zip-bomb-many-parts", "progres.xlsx", many_parts_bomb, 2, BOMB),
    Case(
        "zip-bomb-in-mimetype-part",
        "progres.xlsx",
        lambda: zip_bomb("mimetype", 1000, b"\0"),
        2,
        BOMB,
        isolate=True,
        mem_mb=2400,
    ),  # 1 MB file; expanding it would need > 2 GB
    # a sheet spanning a huge area: calamine lays the area out densely (XFD1048576: 512 GiB)
    Case("cell-at-XFD1048576", "progres.xlsx", lambda: far_cell_xml(FAR_PLAIN), 2, GIANT, isolate=True),
    Case("cell-at-A1048576", "progres.xlsx", lambda: far_cell("A1048576"), 2, GIANT),
    # one part name twice (a far cell in one copy): whichever copy a zip reader takes, refused
    Case("sheet-part-twice-far-first", "progres.xlsx", lambda: sheet_twice(True), 2, NOT_XLSX, isolate=True),
    Case("sheet-part-twice-far-last", "progres.xlsx", lambda: sheet_twice(False), 2, NOT_XLSX, isolate=True),
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
    Case("100k-formatted-empty-rows", "progres.xlsx", formatted_empty_rows, 0, None, check=check_rows(25)),
    Case(
        "100k-separator-only-csv-lines",
        "progres.csv",
        lambda: B.csv_bytes(B.standard_rows(DISTINCT)) + b";;;;;;;;;\r\n" * 100_000,
        0,
        None,
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
    Case("cell-row-200000-inside-row-531", "progres.xlsx", K.row_200000_in_row_531, 2, GIANT),
    Case("row-900000-written-first", "progres.xlsx", K.rows_out_of_order, 2, GIANT),
    Case("four-letter-column-ZZZZ", "progres.xlsx", K.four_letter_column, 2, GIANT, isolate=True),
    Case("styles-2.8-million-nested-elements", "progres.xlsx", K.nested_styles, 2, NOT_XLSX),
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
        slow=True,
        check=check_rows(25),
        env={"ZI_READ_SECONDS": "120"},
    ),
    Case("20000-unclosed-row-tags", "progres.xlsx", K.unclosed_rows, 2, NOT_XLSX),
    Case("40000-unclosed-row-tags", "progres.xlsx", lambda: K.unclosed_rows(40_000), 2, NOT_XLSX),
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
        if c.slow:
            marks.append(pytest.mark.slow)
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out
