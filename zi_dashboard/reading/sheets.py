"""Bytes -> grids of cells, for .xlsx and .csv as office programs save them.

A Grid keeps the sheet's own row numbers (1-based, as the spreadsheet program shows them) and
knows which cells carry a percentage number format, the one thing pandas and calamine do not
expose.  Anything that cannot be read raises UnreadableFile with an Indonesian message.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath

import python_calamine

from zi_dashboard import labels as L
from zi_dashboard.reading import limits
from zi_dashboard.reading.sheet_xml import (
    LAST_COL,
    BadXml,
    SheetScan,
    TooDeep,
    TooWide,
    percent_styles,
    scan_sheet,
    sheet_paths,
    walk_xml,
)


class UnreadableFile(Exception):
    """The bytes are not a spreadsheet we can read at all (CLI exit status 2).  `code` is the
    message key (stable), str() the Indonesian message."""

    @property
    def code(self) -> str:
        return getattr(self.args[0], "key", "unreadable") if self.args else "unreadable"


@dataclass
class Grid:
    name: str
    rows: list[list]  # rows[i] is sheet row i + 1; values are str, int, float, date, datetime, bool
    is_csv: bool = False
    notes: list[str] = field(default_factory=list)  # things the reader should tell (macros ...)
    _percent: Callable[[int], set[int]] | None = None
    _percent_cache: dict[int, set[int]] = field(default_factory=dict)

    def percent_rows(self, col: int) -> set[int]:
        """Sheet rows whose cell in column `col` (0-based) has a percentage number format."""
        if self._percent is None:
            return set()
        if col not in self._percent_cache:
            self._percent_cache[col] = self._percent(col)
        return self._percent_cache[col]


XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and encrypted .xlsx


def _refuse_what_is_no_spreadsheet(data: bytes, filename: str) -> None:
    """Empty, too big, or another kind of document (PDF, a web page, a legacy or encrypted
    Office file, OpenDocument): refused with what to do instead."""
    if not data or not data.strip():
        raise UnreadableFile(L.msg("empty_file"))
    if len(data) > limits.MAX_FILE_MB * 1024 * 1024:
        raise UnreadableFile(
            L.msg("too_big", size=L.fmt_number(len(data) / 1024 / 1024), limit=L.fmt_number(limits.MAX_FILE_MB, 0))
        )
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise UnreadableFile(L.msg("is_pdf", name=filename))
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<table", b"<meta", b"<div")):
        raise UnreadableFile(L.msg("is_html", name=filename))
    if data.startswith(OLE_MAGIC):  # an OLE container: a password-protected .xlsx, or a .xls
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableFile(L.msg("encrypted"))
        raise UnreadableFile(L.msg("xls_legacy"))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".ods" or (data.startswith(XLSX_MAGIC) and b"opendocument.spreadsheet" in data[:200]):
        raise UnreadableFile(L.msg("ods"))


def file_kind(data: bytes, filename: str) -> str:
    """'xlsx' or 'csv'; raise UnreadableFile (with what to do) otherwise."""
    _refuse_what_is_no_spreadsheet(data, filename)
    suffix = PurePath(filename or "").suffix.lower()
    is_zip = data.startswith(XLSX_MAGIC)
    if suffix in (".xlsx", ".xlsm"):
        if not is_zip:
            raise UnreadableFile(L.msg("not_xlsx", name=filename))
        return "xlsx"
    if suffix in (".csv", ".txt"):
        if is_zip:
            raise UnreadableFile(L.msg("not_text"))
        return "csv"
    if suffix == ".xls":
        raise UnreadableFile(L.msg("xls_legacy"))
    if is_zip:
        return "xlsx"
    raise UnreadableFile(L.msg("unknown_type", name=filename))


def read_grids(data: bytes, filename: str) -> list[Grid]:
    kind = file_kind(data, filename)
    grids = _read_xlsx(data, filename) if kind == "xlsx" else [_read_csv(data)]
    for g in grids:
        if len(g.rows) <= limits.MAX_ROWS:
            continue  # no more rows with content than rows
        used = sum(1 for row in g.rows if any(v is not None and v != "" for v in row))
        if used > limits.MAX_ROWS:
            raise UnreadableFile(
                L.msg("too_many_rows", sheet=g.name, rows=L.fmt_number(used, 0), limit=L.fmt_number(limits.MAX_ROWS, 0))
            )
    return grids


# --- CSV --------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(L.msg("not_text"))
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise UnreadableFile(L.msg("not_text"))


csv.field_size_limit(64 * 1024 * 1024)  # a long note is a long note; size is limited elsewhere


def _sniff_delimiter(text: str) -> str:
    sample = [ln[:20_000] for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1
    for sep in (";", ",", "\t", "|"):
        # count outside quotes, per line; the separator that splits the most lines wins
        counts = []
        for ln in sample:
            try:
                counts.append(len(next(csv.reader([ln], delimiter=sep))) - 1)
            except (csv.Error, StopIteration):
                counts.append(0)
        score = sum(1 for c in counts if c > 0) * 1000 + sum(counts)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv(data: bytes) -> Grid:
    text = _decode(data)
    sep = _sniff_delimiter(text)
    rows: list[list] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    cells = 0
    try:
        for record in reader:
            while record and not record[-1].strip():  # a line of separators is an empty line
                record.pop()
            cells += len(record)
            if len(record) > LAST_COL or cells > limits.MAX_CELLS:
                raise UnreadableFile(
                    L.msg(
                        "sheet_area", name="CSV", rows=L.fmt_number(len(rows) + 1, 0), cols=L.fmt_number(len(record), 0)
                    )
                )
            rows.append([c.strip() for c in record])
    except csv.Error as exc:
        raise UnreadableFile(L.msg("not_text")) from exc
    return Grid(name="CSV", rows=rows, is_csv=True)


# --- XLSX -------------------------------------------------------------------------------
def _rows_in(percent: dict[int, set[int]], col: int) -> set[int]:
    """The %-formatted rows of column `col` (a Grid's _percent)."""
    return set(percent.get(col, ()))


def _refuse_zip_bomb(zf: zipfile.ZipFile, filename: str) -> None:
    """Refuse, before anything is expanded, a workbook whose parts would expand to far more
    than any real progress sheet (the sizes zip declares; the reader stops at them)."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        big = info.file_size > 20 * 1024 * 1024
        if big and ratio > limits.MAX_RATIO:
            raise UnreadableFile(
                L.msg(
                    "zip_ratio",
                    name=filename,
                    part=info.filename[:80],
                    ratio=L.fmt_number(ratio, 0),
                    limit=L.fmt_number(limits.MAX_RATIO, 0),
                )
            )
        if total > limits.MAX_EXPANDED_MB * 1024 * 1024:
            raise UnreadableFile(
                L.msg(
                    "zip_bomb",
                    name=filename,
                    size=L.fmt_number(sum(i.file_size for i in zf.infolist()) / 1024 / 1024, 0),
                    limit=L.fmt_number(limits.MAX_EXPANDED_MB, 0),
                )
            )


def _scan_parts(zf: zipfile.ZipFile, filename: str, names: set[str], styles: set[int]) -> dict[str, SheetScan]:
    """Before calamine lays anything out in memory: refuse a workbook whose sheets together span
    a huge area (even nearly empty: one cell at XFD1048576 is 17 billion), or whose parts are
    no well-formed XML or nest absurdly deep.  Every part holding sheet data is scanned, listed
    or not; the scans come back by part name (for the %-formatted cells)."""
    scans: dict[str, SheetScan] = {}
    budget = limits.MAX_CELLS
    listed = {p for p in sheet_paths(zf) if p}
    for name in sorted(names):
        if not name.lower().endswith((".xml", ".rels")) and name not in listed:
            continue
        try:
            xml = zf.read(name)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error, NotImplementedError) as exc:
            raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
        is_sheet = name in listed or b"sheetData" in xml
        if not (is_sheet or name in ("xl/styles.xml", "xl/sharedStrings.xml", "xl/workbook.xml")):
            continue
        try:
            if is_sheet:  # well-formed too: a row never closed is a broken file, not a valid one
                scans[name] = scan = scan_sheet(xml, styles, budget)
                budget -= scan.max_row * scan.max_col
            elif name != "xl/styles.xml":  # styles: walked already, a DTD there only ignored
                walk_xml(xml)
        except TooWide as exc:
            raise UnreadableFile(
                L.msg("sheet_area", name=filename, rows=L.fmt_number(exc.rows, 0), cols=L.fmt_number(exc.cols, 0))
            ) from None
        except TooDeep:
            raise UnreadableFile(L.msg("not_xlsx", name=filename)) from None
        except BadXml:
            if name == "xl/styles.xml":
                continue
            raise UnreadableFile(L.msg("not_xlsx", name=filename)) from None
    return scans


def _read_xlsx(data: bytes, filename: str) -> list[Grid]:
    """Every worksheet of an .xlsx; any failure to take the package apart is 'not a workbook'."""
    try:
        return _read_xlsx_parts(data, filename)
    except UnreadableFile:
        raise
    except Exception as exc:  # zip, zlib, XML and calamine errors of broken or crafted parts
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc


def _read_xlsx_parts(data: bytes, filename: str) -> list[Grid]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        listed = zf.namelist()
        names = set(listed)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
    if len(names) != len(listed):  # one part twice: the guard and calamine might read different copies
        raise UnreadableFile(L.msg("not_xlsx", name=filename))
    _refuse_zip_bomb(zf, filename)
    if "mimetype" in names:
        try:
            with zf.open("mimetype") as f:
                if b"opendocument" in f.read(200):
                    raise UnreadableFile(L.msg("ods"))
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error) as exc:
            raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(L.msg("not_xlsx", name=filename))
    styles = percent_styles(zf)
    scans = _scan_parts(zf, filename, names, styles)
    notes: list[str] = [L.msg("macros")] if any(n.lower().endswith("vbaproject.bin") for n in names) else []
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = book.sheets_metadata
        grids = []
        paths = sheet_paths(zf)
        for i, meta in enumerate(metas):
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            sheet = book.get_sheet_by_index(i)
            rows = sheet.to_python(skip_empty_area=False)
            path = paths[i] if i < len(paths) else None
            scan = scans.get(path) if path else None
            percent = scan.percent if scan is not None else {}
            grids.append(
                Grid(
                    name=meta.name,
                    rows=rows,
                    notes=notes,
                    _percent=partial(_rows_in, percent) if percent else None,
                )
            )
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several types for corrupt parts
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
    if not grids:
        raise UnreadableFile(L.msg("not_xlsx", name=filename))
    return grids
