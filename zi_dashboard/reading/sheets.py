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
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import PurePath
from xml.parsers import expat

import python_calamine

from zi_dashboard import labels as L
from zi_dashboard.reading import limits, xml_positions


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
_BUILTIN_PERCENT = {9, 10}
_MAX_DEPTH = 64  # real parts nest a handful of elements deep
LAST_ROW, LAST_COL = 1_048_576, 16_384  # Excel's last cell, XFD1048576


class _BadXml(Exception):
    """A part that is no well-formed XML, or declares a DTD (entities are never expanded)."""


class _TooDeep(Exception):
    """A part nesting elements deeper than any spreadsheet program writes."""


def _stream(
    xml: bytes, start: Callable[[str, dict], None] | None = None, end: Callable[[str], None] | None = None
) -> None:
    """Walk the XML `xml` in one streaming pass (no tree kept), calling `start(local name,
    attributes)` and `end(local name)` for every element, prefix dropped; without `start`,
    only check it is well-formed (at C speed).  A DTD is refused (no entity is ever expanded)
    and, when walking, so is nesting deeper than _MAX_DEPTH; time is linear."""
    parser = expat.ParserCreate()
    if start is None:
        parser.StartDoctypeDeclHandler = _refuse_dtd
        try:
            parser.Parse(xml, True)
        except expat.ExpatError as exc:
            raise _BadXml from exc
        return
    depth = 0

    def on_start(name: str, attrs: dict) -> None:
        nonlocal depth
        depth += 1
        if depth > _MAX_DEPTH:
            raise _TooDeep
        start(name.rpartition(":")[2], attrs)

    def on_end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if end is not None:
            end(name.rpartition(":")[2])

    def refuse(*_args) -> None:
        raise _BadXml

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise _BadXml from exc


def _refuse_dtd(*_args) -> None:
    raise _BadXml


def _is_percent_format(code: str) -> bool:
    stripped = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in stripped


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _parse_ref(ref: str) -> tuple[int | None, int | None]:
    """'XFD1048576' -> (column 16384, row 1048576), both 1-based; None where a part is missing
    or unreadable.  A column of four letters or more is past XFD: it comes back as LAST_COL + 1."""
    ref = ref.strip().upper()
    i = 0
    while i < len(ref) and "A" <= ref[i] <= "Z":
        i += 1
    letters, digits = ref[:i], ref[i:]
    col = None if not letters else (_col_index(letters) + 1 if len(letters) <= 7 else 26**7)
    row = None
    if digits.isascii() and digits.isdigit():
        row = LAST_ROW + 1 if len(digits) > 7 else int(digits)
    return col, row


def _rows_in(percent: dict[int, set[int]], col: int) -> set[int]:
    """The %-formatted rows of column `col` (a Grid's _percent)."""
    return set(percent.get(col, ()))


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles (cellXfs) whose number format is a percentage."""
    try:
        xml = zf.read("xl/styles.xml")
    except KeyError:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    inside = 0

    def start(name: str, attrs: dict) -> None:
        nonlocal inside
        if name == "numFmt" and attrs.get("numFmtId", "").isdigit():
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            inside += 1
        elif name == "xf" and inside:
            fid = attrs.get("numFmtId", "0")
            xfs.append(int(fid) if fid.isascii() and fid.isdigit() else 0)

    def end(name: str) -> None:
        nonlocal inside
        if name == "cellXfs":
            inside -= 1

    try:
        _stream(xml, start, end)
    except _BadXml:
        return set()
    return {
        i for i, fid in enumerate(xfs) if fid in _BUILTIN_PERCENT or (fid in custom and _is_percent_format(custom[fid]))
    }


def _sheet_paths(zf: zipfile.ZipFile) -> list[str | None]:
    """The worksheet part of every sheet the workbook lists, in its order."""
    sheets: list[str] = []
    targets: dict[str, str] = {}

    def on_sheet(name: str, attrs: dict) -> None:
        if name == "sheet":
            sheets.append(next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id" and ":" in k), ""))

    def on_rel(name: str, attrs: dict) -> None:
        if name == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    try:
        _stream(zf.read("xl/workbook.xml"), on_sheet)
        _stream(zf.read("xl/_rels/workbook.xml.rels"), on_rel)
    except (KeyError, _BadXml):
        return []
    out: list[str | None] = []
    for rid in sheets:
        target = targets.get(rid)
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


class _TooWide(Exception):
    def __init__(self, rows: int, cols: int):
        super().__init__(rows, cols)
        self.rows, self.cols = rows, cols


@dataclass
class SheetScan:
    """What one streaming pass over a worksheet part saw: the area its cells reach (as a
    reader that fills in left-out positions places them) and its %-formatted cells."""

    max_row: int = 0
    max_col: int = 0
    percent: dict[int, set[int]] = field(default_factory=dict)  # 0-based column -> sheet rows


class _Unusual(Exception):
    """A row or cell whose position is left out or written unusually: walk the sheet again,
    counting positions as a spreadsheet program does."""


_DIGITS, _CAPITALS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Refs:
    """What the usual sheet's pass keeps: each row's and cell's r, and which cells are
    %-formatted (indexes in `cells`); a row or cell without r, or with a prefix, is _Unusual."""

    def __init__(self, percent_styles: AbstractSet[int]):
        self.rows: list[str] = []
        self.cells: list[str] = []
        self.styled: list[int] = []
        self.styles = {str(i) for i in percent_styles}

    def handler(self) -> Callable[[str, dict], None]:
        add_row, add_cell, add_styled, cells, styles = (
            self.rows.append,
            self.cells.append,
            self.styled.append,
            self.cells,
            self.styles,
        )

        def start(name: str, attrs: dict) -> None:
            if name == "c":
                ref = attrs.get("r")
                if ref is None:
                    raise _Unusual
                if styles and attrs.get("s") in styles:
                    add_styled(len(cells))
                add_cell(ref)
            elif name == "row":
                ref = attrs.get("r")
                if ref is None:
                    raise _Unusual
                add_row(ref)
            elif ":" in name and name.endswith((":c", ":row")):  # the colon first: cheaper for <v>, <t>
                raise _Unusual

        return start


def _usual_positions(xml: bytes, percent_styles: AbstractSet[int]) -> tuple[int, int, dict[int, set[int]]]:
    """(last row, last column, %-formatted cells) of a sheet written the way spreadsheet
    programs write it (every <row> and <c> has r="...", a cell's in capitals, no prefix), in
    one pass of expat that also checks the part is well-formed XML without a DTD.  The handler
    only keeps each r (and which cells are %-formatted); the positions are worked out after,
    over distinct values, at C speed.  Raises _Unusual at the first row or cell written
    otherwise, _BadXml for a part that is no well-formed XML."""
    refs = _Refs(percent_styles)
    _parse(xml, refs.handler())
    rows, cells, styled = refs.rows, refs.cells, refs.styled
    row_numbers = set(rows)
    letters = set(map(str.rstrip, cells, repeat(_DIGITS)))
    numbers = row_numbers | set(map(str.lstrip, cells, repeat(_CAPITALS)))
    if not (all(map(_usual_letters, letters)) and all(map(_usual_number, numbers))):
        raise _Unusual  # every r is then letters and digits: a cell's letters followed by its row
    max_row = max(map(int, numbers), default=0)
    max_col = max(map(_col_index, letters), default=-1) + 1
    percent: dict[int, set[int]] = {}
    for i in styled:
        ref = cells[i]
        col = ref.rstrip(_DIGITS)
        percent.setdefault(_col_index(col), set()).add(int(ref[len(col) :]))
    return max_row, max_col, percent


def _usual_letters(text: str) -> bool:
    return 0 < len(text) <= 3 and text.isascii() and text.isalpha() and text.isupper()


def _usual_number(text: str) -> bool:
    return 0 < len(text) <= 7 and text.isascii() and text.isdigit()


def _parse(xml: bytes, start: Callable[[str, dict], None]) -> None:
    """One expat pass calling `start(name as written, attributes)` for every element; a DTD or
    an entity declaration is refused (nothing is ever expanded)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise _BadXml from exc


def _positions_walk(xml: bytes, percent_styles: AbstractSet[int], budget: int) -> SheetScan:
    """Every row's and cell's position as a spreadsheet program places them: any prefix, r
    left out (the previous position plus one) or written with spaces; the whole part is
    walked (so a broken one is refused as such) before _TooWide is raised."""
    out = SheetScan()
    row = col = 0
    too_wide: list[_TooWide] = []

    def start(name: str, attrs: dict) -> None:
        nonlocal row, col
        local = name.rpartition(":")[2]
        if too_wide or local not in ("c", "row"):
            return
        ref = attrs.get("r", "")
        if local == "row":
            ref = ref.strip()
            if ref.isascii() and ref.isdigit():
                row = LAST_ROW + 1 if len(ref) > 7 else int(ref)
            else:
                row += 1
            col = 0
            r, c = row, 1
        else:
            c_col, c_row = _parse_ref(ref) if ref else (None, None)
            col = c = c_col if c_col is not None else col + 1
            r = max(c_row if c_row is not None else row, 1)
            sid = attrs.get("s", "").strip()
            if percent_styles and sid.isascii() and sid.isdigit() and len(sid) < 9 and int(sid) in percent_styles:
                out.percent.setdefault(c - 1, set()).add(r)
        if r > out.max_row or c > out.max_col:
            out.max_row, out.max_col = max(out.max_row, r), max(out.max_col, c)
            if out.max_row > LAST_ROW or out.max_col > LAST_COL or out.max_row * out.max_col > budget:
                too_wide.append(_TooWide(out.max_row, out.max_col))

    _parse(xml, start)
    if too_wide:
        raise too_wide[0]
    return out


def scan_sheet(xml: bytes, percent_styles: AbstractSet[int] = frozenset(), budget: int | None = None) -> SheetScan:
    """The area a worksheet part's cells reach and its %-formatted cells.  A sheet written the
    usual way is measured by reading/xml_positions.py (array passes over the bytes; its XML is
    then checked by calamine's parser); any other is walked by expat (one linear pass, two for
    positions left out or written unusually), which also refuses XML that is not well-formed.
    No DTD or entity declaration is ever accepted.  Every
    row's and every cell's position counts (any prefix, any quoting, positions left out: the
    previous one plus one); raises _TooWide when a position lies past XFD1048576 or the area
    passes `budget` cells (default: limits.MAX_CELLS), _BadXml for a broken part."""
    budget = limits.MAX_CELLS if budget is None else budget
    declarations = b"<!" in xml  # a comment, CDATA, a DTD or an entity: one search when none
    if declarations and (b"<!DOCTYPE" in xml[:65536] or b"<!ENTITY" in xml):
        raise _BadXml
    found = None if declarations else xml_positions.positions(xml, percent_styles)
    if found is None:
        try:
            found = _usual_positions(xml, percent_styles)
        except _Unusual:
            return _positions_walk(xml, percent_styles, budget)
    max_row, max_col, percent = found
    if max_row > LAST_ROW or max_col > LAST_COL or max_row * max_col > budget:
        raise _TooWide(max_row, max_col)
    return SheetScan(max_row, max_col, percent)


def _scan_parts(zf: zipfile.ZipFile, filename: str, names: set[str], styles: set[int]) -> dict[str, SheetScan]:
    """Before calamine lays anything out in memory: refuse a workbook whose sheets together span
    a huge area (even nearly empty: one cell at XFD1048576 is 17 billion), or whose parts are
    no well-formed XML or nest absurdly deep.  Every part holding sheet data is scanned, listed
    or not; the scans come back by part name (for the %-formatted cells)."""
    scans: dict[str, SheetScan] = {}
    budget = limits.MAX_CELLS
    listed = {p for p in _sheet_paths(zf) if p}
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
                _stream(xml)
        except _TooWide as exc:
            raise UnreadableFile(
                L.msg("sheet_area", name=filename, rows=L.fmt_number(exc.rows, 0), cols=L.fmt_number(exc.cols, 0))
            ) from None
        except _TooDeep:
            raise UnreadableFile(L.msg("not_xlsx", name=filename)) from None
        except _BadXml:
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
    styles = _percent_styles(zf)
    scans = _scan_parts(zf, filename, names, styles)
    notes: list[str] = [L.msg("macros")] if any(n.lower().endswith("vbaproject.bin") for n in names) else []
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = book.sheets_metadata
        grids = []
        paths = _sheet_paths(zf)
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
