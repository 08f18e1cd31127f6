"""Bytes -> grids of cells, for .xlsx and .csv as office programs save them.

A Grid keeps the sheet's own row numbers (1-based, as the spreadsheet program shows them) and
knows which cells carry a percentage number format, the one thing pandas and calamine do not
expose.  Anything that cannot be read raises UnreadableFile with an Indonesian message.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable
from pathlib import PurePath
from xml.etree import ElementTree as ET

import python_calamine

from zi_dashboard import labels as L
from zi_dashboard.reading import limits


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


def file_kind(data: bytes, filename: str) -> str:
    """'xlsx' or 'csv'; raise UnreadableFile (with what to do) otherwise."""
    suffix = PurePath(filename or "").suffix.lower()
    if not data or not data.strip():
        raise UnreadableFile(L.msg("empty_file"))
    if len(data) > limits.MAX_FILE_MB * 1024 * 1024:
        raise UnreadableFile(L.msg("too_big", size=L.fmt_number(len(data) / 1024 / 1024),
                                   limit=L.fmt_number(limits.MAX_FILE_MB, 0)))
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise UnreadableFile(L.msg("is_pdf", name=filename))
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<table", b"<meta", b"<div")):
        raise UnreadableFile(L.msg("is_html", name=filename))
    if data.startswith(OLE_MAGIC):  # an OLE container: a password-protected .xlsx, or a .xls
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableFile(L.msg("encrypted"))
        raise UnreadableFile(L.msg("xls_legacy"))
    if suffix == ".ods" or (data.startswith(XLSX_MAGIC) and b"opendocument.spreadsheet" in data[:200]):
        raise UnreadableFile(L.msg("ods"))
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(XLSX_MAGIC):
            raise UnreadableFile(L.msg("not_xlsx", name=filename))
        return "xlsx"
    if suffix in (".csv", ".txt"):
        if data.startswith(XLSX_MAGIC):
            raise UnreadableFile(L.msg("not_text"))
        return "csv"
    if suffix == ".xls":
        raise UnreadableFile(L.msg("xls_legacy"))
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    raise UnreadableFile(L.msg("unknown_type", name=filename))


def read_grids(data: bytes, filename: str) -> list[Grid]:
    kind = file_kind(data, filename)
    grids = _read_xlsx(data, filename) if kind == "xlsx" else [_read_csv(data)]
    for g in grids:
        used = sum(1 for row in g.rows if any(v is not None and v != "" for v in row))
        if used > limits.MAX_ROWS:
            raise UnreadableFile(L.msg("too_many_rows", sheet=g.name, rows=L.fmt_number(used, 0),
                                       limit=L.fmt_number(limits.MAX_ROWS, 0)))
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
    try:
        for record in reader:
            rows.append([c.strip() for c in record])
    except csv.Error as exc:
        raise UnreadableFile(L.msg("not_text")) from exc
    return Grid(name="CSV", rows=rows, is_csv=True)


# --- XLSX -------------------------------------------------------------------------------
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)/?>")
_ATTR_R = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ATTR_S = re.compile(rb'\bs="(\d+)"')


def _is_percent_format(code: str) -> bool:
    stripped = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in stripped


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _col_letters(col: int) -> bytes:
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters.encode()


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles (cellXfs) whose number format is a percentage."""
    try:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
    except (KeyError, ET.ParseError):
        return set()
    custom = {int(n.get("numFmtId")): n.get("formatCode", "")
              for n in styles.iter(_NS_MAIN + "numFmt")}
    xfs = styles.find(_NS_MAIN + "cellXfs")
    out = set()
    if xfs is not None:
        for i, xf in enumerate(xfs.findall(_NS_MAIN + "xf")):
            fid = int(xf.get("numFmtId", "0"))
            if fid in _BUILTIN_PERCENT or (fid in custom and _is_percent_format(custom[fid])):
                out.add(i)
    return out


def _percent_finder(zf: zipfile.ZipFile, path: str | None, styles: set[int],
                    parts: dict[str, bytes]) -> Callable[[int], set[int]] | None:
    if not styles or not path:
        return None

    def find(col: int) -> set[int]:
        try:
            xml = parts[path] if path in parts else zf.read(path)
        except (KeyError, zipfile.BadZipFile, OSError, zlib.error, RuntimeError, EOFError, NotImplementedError):
            return set()
        letters = _col_letters(col)
        rows = set()
        # cells of that one column: <c r="H12" s="3" ...>; r is written first by every writer seen
        for m in re.finditer(rb'<(?:\w+:)?c r="' + letters + rb'(\d+)"([^>]*)>', xml):
            s = _ATTR_S.search(m.group(2))
            if s and int(s.group(1)) in styles:
                rows.add(int(m.group(1)))
        if not rows and b' r="' not in xml[:4096]:
            for m in _CELL_RE.finditer(xml):  # unusual attribute order: the slow, general way
                attrs = m.group(1)
                s, r = _ATTR_S.search(attrs), _ATTR_R.search(attrs)
                if s and r and int(s.group(1)) in styles and r.group(1) == letters:
                    rows.add(int(r.group(2)))
        return rows

    return find


def _sheet_paths(zf: zipfile.ZipFile) -> list[str | None]:
    try:
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return []
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_NS_PKG_REL + "Relationship")}
    out = []
    for sheet in wb.iter(_NS_MAIN + "sheet"):
        target = targets.get(sheet.get(_NS_REL + "id"))
        if not target:
            out.append(None)
            continue
        target = target.lstrip("/")
        out.append(target if target.startswith("xl/") else "xl/" + target)
    return out


def _refuse_zip_bomb(zf: zipfile.ZipFile, filename: str) -> None:
    """Refuse, before anything is expanded, a workbook whose parts would expand to far more
    than any real progress sheet (the sizes zip declares; the reader stops at them)."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        big = info.file_size > 20 * 1024 * 1024
        if big and ratio > limits.MAX_RATIO:
            raise UnreadableFile(L.msg("zip_ratio", name=filename, part=info.filename[:80],
                                       ratio=L.fmt_number(ratio, 0), limit=L.fmt_number(limits.MAX_RATIO, 0)))
        if total > limits.MAX_EXPANDED_MB * 1024 * 1024:
            raise UnreadableFile(L.msg("zip_bomb", name=filename, size=L.fmt_number(
                sum(i.file_size for i in zf.infolist()) / 1024 / 1024, 0), limit=L.fmt_number(limits.MAX_EXPANDED_MB, 0)))


_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})\d')  # a cell reference past column Z
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_EL = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_EL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)/?>")
_REF = re.compile(rb"""\br\s*=\s*["']?([A-Z]*)(\d+)""")
MAX_CELLS = 20_000_000  # rows x columns of the area a sheet spans (calamine holds it densely)


def _sheet_area(xml: bytes) -> tuple[int, int]:
    """(last row, last column) a worksheet's cells reach, as a reader that fills in missing
    positions would place them."""
    start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    data = xml[start:end] if 0 <= start < end else xml
    # the way spreadsheet programs write: every row and cell starts with r="..." (inside
    # sheetData every tag that starts with "<c" is a cell); then the extremes are easy to read
    usual = (not re.search(rb"<\w+:(?:row|c)\b", xml[:65536])
             and data.count(b"<c") == data.count(b'<c r="') and data.count(b"<row") == data.count(b'<row r="'))
    if usual:
        rows = [int(m) for m in _LAST_ROW.findall(data[-65536:])] or [int(m) for m in _LAST_ROW.findall(data)] or [1]
        max_col = max((_col_index(x) + 1 for x in set(_WIDE_CELL.findall(data))), default=26)
        return max(rows), max(max_col, 26)
    # unusual writing (positions left out, prefixes, other quoting): walk the rows
    max_row = max_col = row = 0
    for m in _ROW_EL.finditer(xml):
        ref = _REF.search(m.group(1))
        row = int(ref.group(2)) if ref else row + 1
        max_row = max(max_row, row)
        col = 0
        for c in _CELL_EL.finditer(m.group(2) or b""):
            cref = _REF.search(c.group(1))
            col = _col_index(cref.group(1)) + 1 if cref and cref.group(1) else col + 1
            max_col = max(max_col, col)
    return max_row, max_col


def _refuse_sparse_giants(zf: zipfile.ZipFile, filename: str, parts: dict[str, bytes]) -> None:
    """Refuse, before calamine lays it out in memory, a sheet whose used area (from its first
    to its farthest cell) is huge even when nearly empty: one cell at XFD1048576 is 17 billion."""
    for name in [p for p in _sheet_paths(zf) if p]:
        try:
            xml = parts[name] = zf.read(name)
        except KeyError:
            continue
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error, NotImplementedError) as exc:
            raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
        max_row, max_col = _sheet_area(xml)
        if max_row * max_col > MAX_CELLS:
            raise UnreadableFile(L.msg("sheet_area", name=filename, rows=L.fmt_number(max_row, 0),
                                       cols=L.fmt_number(max_col, 0)))


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
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
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
    parts: dict[str, bytes] = {}  # worksheet XML, read once: for the checks and the % formats
    _refuse_sparse_giants(zf, filename, parts)
    notes = [L.msg("macros")] if any(n.lower().endswith("vbaproject.bin") for n in names) else []
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = book.sheets_metadata
        grids = []
        styles = _percent_styles(zf)
        paths = _sheet_paths(zf)
        for i, meta in enumerate(metas):
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            sheet = book.get_sheet_by_index(i)
            rows = sheet.to_python(skip_empty_area=False)
            path = paths[i] if i < len(paths) else None
            grids.append(Grid(name=meta.name, rows=rows, notes=notes,
                              _percent=_percent_finder(zf, path, styles, parts)))
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several types for corrupt parts
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
    if not grids:
        raise UnreadableFile(L.msg("not_xlsx", name=filename))
    return grids
