"""Property-based tests of the reader: whatever bytes, tables or cell values come in, the
reader answers with a report or UnreadableFile (never another exception), with bounded work,
and a valid report only ever holds plan codes and progress within 0..100."""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
import zipfile
from datetime import date, datetime

import builders as B
import pytest
import work_count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import (
    ROW_COLUMNS,
    ProgressReading,
    ProgressValueError,
    parse_progress,
    read_progress,
)
from zi_dashboard.reading.sheets import UnreadableFile

# hypothesis keeps caches (and patches for failing examples) in its home directory: not in the repo
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "zi-dashboard-hypothesis"))

PLAN = load_plan()
CODES = list(PLAN.codes)
NAMES = [B.INDICATOR[c] for c in B.CODES]
WORK_FACTOR = 5  # the work of a read: at most this many times a full valid table's (TABLE_WORK)

COMMON = dict(
    deadline=None,
    database=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def read_within_bound(data: bytes, filename: str) -> ProgressReading | None:
    """read_progress -> report, or None for UnreadableFile; anything else fails the test.  The
    read's work, counted as function calls (tests/work_count.py: the same on any machine), stays
    within WORK_FACTOR times a full valid table's (the most seen: 1.1 times): every input here
    is a few KB at most, so a step quadratic in it (3,000 bytes: millions of calls) is caught.
    Work inside one C call is not counted; its bound is the child's time limit
    (tests/reading/test_sandbox.py)."""
    work, result = work_count.calls(lambda: read_progress(data, filename, PLAN))
    if isinstance(result, UnreadableFile):
        assert str(result).strip(), "UnreadableFile without a message"
        report = None
    elif isinstance(result, BaseException):
        raise result
    else:
        report = result
    assert work <= WORK_FACTOR * TABLE_WORK, f"{work} calls for {len(data)} bytes named {filename!r}"
    if report is not None:
        assert isinstance(report, ProgressReading)
        assert list(report.rows.columns) == ROW_COLUMNS
        assert all(p.message for p in report.problems)
    return report


def assert_valid_report_is_sane(report: ProgressReading | None) -> None:
    if report is None or not report.valid:
        return
    progress = report.rows["progress"].tolist()
    assert all(isinstance(v, float) and math.isfinite(v) and 0.0 <= v <= 100.0 for v in progress), progress
    assert set(report.rows["code"]) <= set(CODES), set(report.rows["code"]) - set(CODES)


# --- (a) random bytes under random names ---------------------------------------------------------
EXTENSIONS = [".xlsx", ".csv", ".txt", ".xls", "", ".XLSX", ".Csv", ".xlsm", ".ods", ".pdf", ".xlsx.csv"]
PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"%PDF-1.7\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"<html>",
    b"<?xml version='1.0'?>",
    b"Kode;Progres (%)\r\n",
    b"Kode,Progres\n1.1,",
    b"\x00\x00",
]
VALID_XLSX = B.xlsx(B.standard_rows({c: 50 for c in B.CODES}))
VALID_CSV = B.csv_bytes(B.standard_rows({c: 50 for c in B.CODES}))
work_count.calls(lambda: read_progress(VALID_XLSX, "progres.xlsx", PLAN))  # caches filled once, not counted
TABLE_WORK = work_count.calls(lambda: read_progress(VALID_XLSX, "progres.xlsx", PLAN))[0]  # about 47,000
XLSX_PARTS = {
    i.filename: zipfile.ZipFile(io.BytesIO(VALID_XLSX)).read(i.filename)
    for i in zipfile.ZipFile(io.BytesIO(VALID_XLSX)).infolist()
}

filenames = st.builds(
    lambda stem, ext: stem + ext,
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).map(
        lambda s: s.replace("/", "_") or "berkas"
    ),
    st.sampled_from(EXTENSIONS),
)


@st.composite
def mutated(draw, base: bytes):
    """`base` with a few bytes changed, a slice cut out or random bytes spliced in."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "splice", "truncate"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[i] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[i : i + draw(st.integers(1, 64))]
        elif kind == "splice":
            data[i:i] = draw(st.binary(min_size=1, max_size=32))
        else:
            del data[i:]
    return bytes(data)


@st.composite
def zip_of_parts(draw):
    """A well-formed zip holding the workbook's parts, some replaced by mangled or random
    content, some dropped, some added: reaches the XML parsers behind the zip layer."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for name, body in XLSX_PARTS.items():
            action = draw(st.sampled_from(["keep", "keep", "keep", "mangle", "random", "drop"]))
            if action == "drop":
                continue
            if action == "mangle":
                body = draw(mutated(body))
            elif action == "random":
                body = draw(st.binary(max_size=200) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "replace")))
            zo.writestr(name, body)
        for name in draw(
            st.lists(
                st.sampled_from(
                    [
                        "xl/sharedStrings.xml",
                        "xl/vbaProject.bin",
                        "docProps/x.xml",
                        "xl/worksheets/sheet2.xml",
                        "content.xml",
                    ]
                ),
                max_size=2,
                unique=True,
            )
        ):
            zo.writestr(name, draw(st.binary(max_size=100)))
    return out.getvalue()


random_bytes = st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=2000)),
    mutated(VALID_XLSX),
    mutated(VALID_CSV),
    zip_of_parts(),
)


@settings(max_examples=200, **COMMON)
@given(data=random_bytes, filename=filenames)
def test_random_bytes_give_a_report_or_unreadable(data, filename):
    assert_valid_report_is_sane(read_within_bound(data, filename))


# --- (b) random tables, as CSV and as XLSX -------------------------------------------------------
HEADERS = ["Kode", "No", "Indikator/Program", "Progres (%)", "Capaian", "Realisasi", "Keterangan", "PIC"]
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
numberish = st.from_regex(r"\A[+-]?\d{1,4}([.,]\d{1,3})?\s?%?\Z")
any_value = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    st.integers(-(10**12), 10**12),
    st.integers(0, 100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0, 1),
    st.floats(0, 100),
    any_text,
    numberish,
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(CODES),
    st.sampled_from(NAMES),
)
percent_text = st.one_of(
    st.integers(0, 100).map(str),
    st.integers(0, 100).map(lambda v: f"{v}%"),
    st.integers(0, 999).map(lambda v: f"{v // 10},{v % 10}"),
)
GOOD_PROGRESS = st.integers(0, 100) | st.floats(0, 100) | percent_text


def good_cell(header: str, i: int):
    """A cell as a careful office worker writes it, for plan indicator number i."""
    code, name = CODES[i], NAMES[i]
    return {
        "Kode": st.sampled_from([code, code + ".", f" {code} "]),
        "No": st.sampled_from([code, i + 1]),
        "Indikator/Program": st.sampled_from([name, name.upper(), f"{i + 1}. {name}"]),
        "Progres (%)": GOOD_PROGRESS,
        "Capaian": GOOD_PROGRESS,
        "Realisasi": GOOD_PROGRESS,
    }.get(header, any_text)


@st.composite
def tables(draw):
    """A header of synonyms (random order, maybe a stray cell), title rows above it, and rows
    that are either careful (plan codes/names, 0..100, with a little noise) or anything."""
    careful = draw(st.booleans())
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6, unique=True))
    if careful:  # a careful table names an indicator column and a progress column
        must = [draw(st.sampled_from(HEADERS[:3])), draw(st.sampled_from(HEADERS[3:6]))]
        header = draw(st.permutations(must + [h for h in header if h not in must]))
    if draw(st.integers(0, 3)) == 0:  # a stray header cell
        header.insert(draw(st.integers(0, len(header))), draw(any_text))
    rows = [header]
    for _ in range(draw(st.integers(0, 30))):
        i = draw(st.integers(0, len(CODES) - 1))
        row = []
        for h in header:
            noisy = not careful or draw(st.integers(0, 40)) == 0
            row.append(draw(any_value if noisy else good_cell(h, i)))
        rows.append(row)
    title = draw(st.lists(st.lists(any_value, max_size=3), max_size=3))
    return title + rows


def csv_text(value, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value).replace(".", ",") if sep == ";" else repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def to_csv(rows, sep: str, bom: bool) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for r in rows:
        w.writerow([csv_text(v, sep) for v in r])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_value(value):
    if isinstance(value, str):  # characters XML cannot hold, as Excel escapes them: _x001B_
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


def to_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=xlsx_value(v))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=150, **COMMON)
@given(rows=tables(), sep=st.sampled_from([";", ","]), bom=st.booleans())
def test_random_tables_as_csv(rows, sep, bom):
    assert_valid_report_is_sane(read_within_bound(to_csv(rows, sep, bom), "progres.csv"))


@settings(max_examples=120, **COMMON)
@given(rows=tables())
def test_random_tables_as_xlsx(rows):
    assert_valid_report_is_sane(read_within_bound(to_xlsx(rows), "progres.xlsx"))


@settings(max_examples=100, **COMMON)
@given(rows=tables(), sep=st.sampled_from([";", ","]))
def test_same_table_same_rows_from_csv_and_xlsx(rows, sep):
    """Where both readings are valid, CSV and XLSX of one table give the same rows and values."""
    from_csv = read_within_bound(to_csv(rows, sep, False), "progres.csv")
    from_xlsx = read_within_bound(to_xlsx(rows), "progres.xlsx")
    if from_csv is not None and from_xlsx is not None and from_csv.valid and from_xlsx.valid:
        keys = ["row", "code", "progress"]
        assert from_csv.rows[keys].to_dict("records") == from_xlsx.rows[keys].to_dict("records")


def test_some_random_tables_are_valid():
    """The table strategy is not vacuous: a well-formed draw reads as a valid report."""
    rows = [["Kode", "Progres (%)", "PIC"]] + [[c, 50, "Sekretaris"] for c in CODES]
    for data, name in ((to_csv(rows, ";", False), "p.csv"), (to_xlsx(rows), "p.xlsx")):
        report = read_within_bound(data, name)
        assert report is not None and report.valid and len(report.rows) == len(CODES)


# --- (c) one cell value --------------------------------------------------------------------------
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),  # what a spreadsheet cell can hold (calamine: i64 or float)
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0, 1),
    st.floats(0, 100),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    numberish,
    st.from_regex(r"\A\s*[+-]?\d{0,3}([.,]\d{0,12})?\s*%?\s*\Z"),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


def check_parse(value, percent_format: bool) -> None:
    try:
        result = parse_progress(value, percent_format)
    except ProgressValueError as exc:
        assert str(exc)
        return
    if result is None:
        assert value is None or (isinstance(value, str) and not value.strip())
        return
    assert isinstance(result, float) and math.isfinite(result) and 0.0 <= result <= 100.0, result


@settings(max_examples=200, **COMMON)
@given(value=cell_values, percent_format=st.booleans())
def test_parse_progress_one_cell(value, percent_format):
    check_parse(value, percent_format)


@pytest.mark.parametrize("value", [10**400, -(10**309)], ids=["10**400", "-10**309"])
def test_parse_progress_integer_beyond_float_range(value):
    check_parse(value, False)


def test_out_of_range_message_shows_a_value_that_is_out_of_range():
    with pytest.raises(ProgressValueError) as exc:
        parse_progress("100,004", False)
    assert not str(exc.value).startswith("100 di luar rentang"), str(exc.value)


@pytest.mark.parametrize(
    "value, percent_format, expected",
    [
        ("75%", False, 75.0),
        ("75,5", False, 75.5),
        (" 100 ", False, 100.0),
        (0.755, True, 75.5),
        (1.0000000000000002, True, 100.0),
        (0.07, True, 7.0),
        ("", False, None),
        (None, True, None),
    ],
)
def test_parse_progress_examples(value, percent_format, expected):
    assert parse_progress(value, percent_format) == expected


@pytest.mark.parametrize(
    "value",
    [
        "-1",
        "100,01",
        "1e2",
        "tujuh puluh",
        float("nan"),
        float("inf"),
        True,
        date(2025, 11, 15),
        datetime(2025, 11, 15, 8, 0),
        101,
        -0.5,
    ],
)
def test_parse_progress_rejects(value):
    with pytest.raises(ProgressValueError):
        parse_progress(value, False)
