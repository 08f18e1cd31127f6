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
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree as ET

import python_calamine

from . import labels as L


class UnreadableFile(Exception):
    """The bytes are not a spreadsheet we can read at all (CLI exit status 2)."""


@dataclass
class Grid:
    name: str
    rows: list[list]  # rows[i] is sheet row i + 1; values are str, int, float, date, datetime, bool
    percent_columns: dict[int, set[int]] = field(default_factory=dict)  # col -> sheet rows with a % format
    is_csv: bool = False

    def is_percent(self, sheet_row: int, col: int) -> bool:
        return sheet_row in self.percent_columns.get(col, ())


XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and encrypted .xlsx


def file_kind(data: bytes, filename: str) -> str:
    """'xlsx' or 'csv'; raise UnreadableFile otherwise."""
    suffix = PurePath(filename or "").suffix.lower()
    if not data or not data.strip():
        raise UnreadableFile(L.msg("empty_file"))
    if data.startswith(OLE_MAGIC):
        if suffix == ".xls":
            raise UnreadableFile(L.msg("xls_legacy"))
        raise UnreadableFile(L.msg("encrypted"))
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(XLSX_MAGIC):
            raise UnreadableFile(L.msg("not_xlsx", name=filename))
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".xls":
        raise UnreadableFile(L.msg("xls_legacy"))
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    raise UnreadableFile(L.msg("unknown_type", name=filename))


def read_grids(data: bytes, filename: str) -> list[Grid]:
    kind = file_kind(data, filename)
    return _read_xlsx(data, filename) if kind == "xlsx" else [_read_csv(data)]


# --- CSV --------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise UnreadableFile(L.msg("not_text"))


def _sniff_delimiter(text: str) -> str:
    sample = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1
    for sep in (";", ",", "\t", "|"):
        # count outside quotes, per line; the separator that splits the most lines wins
        counts = [len(next(csv.reader([ln], delimiter=sep))) - 1 for ln in sample]
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


def _percent_cells(zf: zipfile.ZipFile) -> list[dict[int, set[int]]]:
    """For each worksheet in workbook order: column -> sheet rows whose style is a percentage."""
    try:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
    except (KeyError, ET.ParseError):
        return []
    custom = {int(n.get("numFmtId")): n.get("formatCode", "")
              for n in styles.iter(_NS_MAIN + "numFmt")}
    xfs = styles.find(_NS_MAIN + "cellXfs")
    percent_styles = set()
    if xfs is not None:
        for i, xf in enumerate(xfs.findall(_NS_MAIN + "xf")):
            fid = int(xf.get("numFmtId", "0"))
            if fid in _BUILTIN_PERCENT or (fid in custom and _is_percent_format(custom[fid])):
                percent_styles.add(i)
    paths = _sheet_paths(zf)
    result = []
    for path in paths:
        cols: dict[int, set[int]] = {}
        if percent_styles and path:
            try:
                xml = zf.read(path)
            except KeyError:
                xml = b""
            for m in _CELL_RE.finditer(xml):
                attrs = m.group(1)
                s = _ATTR_S.search(attrs)
                if not s or int(s.group(1)) not in percent_styles:
                    continue
                r = _ATTR_R.search(attrs)
                if r:
                    cols.setdefault(_col_index(r.group(1)), set()).add(int(r.group(2)))
        result.append(cols)
    return result


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


def _read_xlsx(data: bytes, filename: str) -> list[Grid]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(L.msg("not_xlsx", name=filename))
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = book.sheets_metadata
        grids = []
        percent = _percent_cells(zf)
        worksheet_i = 0
        for i, meta in enumerate(metas):
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            sheet = book.get_sheet_by_index(i)
            rows = sheet.to_python(skip_empty_area=False)
            pc = percent[i] if i < len(percent) else {}
            grids.append(Grid(name=meta.name, rows=rows, percent_columns=pc))
            worksheet_i += 1
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several types for corrupt parts
        raise UnreadableFile(L.msg("not_xlsx", name=filename)) from exc
    if not grids:
        raise UnreadableFile(L.msg("not_xlsx", name=filename))
    return grids
