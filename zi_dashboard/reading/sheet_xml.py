"""The XML parts of an .xlsx, taken apart safely before calamine lays anything out.

One streaming pass per part (expat, no tree kept, no DTD, no entity ever expanded, a bounded
depth), the cell styles that are percentages, the worksheet part of every listed sheet, and
`scan_sheet`: the area a worksheet's cells reach and its %-formatted cells, measured by
reading/xml_positions.py for a sheet written the usual way and walked by expat otherwise.
reading/sheets.py turns what these raise into the user's messages.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import repeat
from xml.parsers import expat

from zi_dashboard.reading import limits, xml_positions

_BUILTIN_PERCENT = {9, 10}
_MAX_DEPTH = 64  # real parts nest a handful of elements deep
LAST_ROW, LAST_COL = 1_048_576, 16_384  # Excel's last cell, XFD1048576


class BadXml(Exception):
    """A part that is no well-formed XML, or declares a DTD (entities are never expanded)."""


class TooDeep(Exception):
    """A part nesting elements deeper than any spreadsheet program writes."""


def walk_xml(
    xml: bytes, start: Callable[[str, dict], None] | None = None, end: Callable[[str], None] | None = None
) -> None:
    """Walk the XML `xml` in one streaming pass (no tree kept), calling `start(local name,
    attributes)` and `end(local name)` for every element, prefix dropped; without `start`,
    only check it is well-formed (at C speed).  A DTD is refused (no entity is ever expanded)
    and, when walking, so is nesting deeper than _MAX_DEPTH; time is linear."""
    if start is None:
        _parse(xml)
        return
    depth = 0

    def on_start(name: str, attrs: dict) -> None:
        nonlocal depth
        depth += 1
        if depth > _MAX_DEPTH:
            raise TooDeep
        start(name.rpartition(":")[2], attrs)

    def on_end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if end is not None:
            end(name.rpartition(":")[2])

    _parse(xml, on_start, on_end)


def _refuse_dtd(*_args) -> None:
    raise BadXml


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


def percent_styles(zf: zipfile.ZipFile) -> set[int]:
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
        walk_xml(xml, start, end)
    except BadXml:
        return set()
    return {
        i for i, fid in enumerate(xfs) if fid in _BUILTIN_PERCENT or (fid in custom and _is_percent_format(custom[fid]))
    }


def sheet_paths(zf: zipfile.ZipFile) -> list[str | None]:
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
        walk_xml(zf.read("xl/workbook.xml"), on_sheet)
        walk_xml(zf.read("xl/_rels/workbook.xml.rels"), on_rel)
    except (KeyError, BadXml):
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


class TooWide(Exception):
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
    otherwise, BadXml for a part that is no well-formed XML."""
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


def _parse(
    xml: bytes, start: Callable[[str, dict], None] | None = None, end: Callable[[str], None] | None = None
) -> None:
    """One expat pass calling `start(name as written, attributes)` and `end(name as written)`
    for every element (when given); a DTD or an entity declaration is refused (nothing is ever
    expanded), and a part that is no well-formed XML raises BadXml."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise BadXml from exc


def positions_walk(xml: bytes, percent_styles: AbstractSet[int], budget: int) -> SheetScan:
    """Every row's and cell's position as a spreadsheet program places them: any prefix, r
    left out (the previous position plus one) or written with spaces; the whole part is
    walked (so a broken one is refused as such) before TooWide is raised."""
    out = SheetScan()
    row = col = 0
    too_wide: list[TooWide] = []

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
                too_wide.append(TooWide(out.max_row, out.max_col))

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
    previous one plus one); raises TooWide when a position lies past XFD1048576 or the area
    passes `budget` cells (default: limits.MAX_CELLS), BadXml for a broken part."""
    budget = limits.MAX_CELLS if budget is None else budget
    found = xml_positions.positions(xml, percent_styles)  # None for a part with any '<!' in it
    if found is None:
        if b"<!DOCTYPE" in xml[:65536] or b"<!ENTITY" in xml:
            raise BadXml
        try:
            found = _usual_positions(xml, percent_styles)
        except _Unusual:
            return positions_walk(xml, percent_styles, budget)
    max_row, max_col, percent = found
    if max_row > LAST_ROW or max_col > LAST_COL or max_row * max_col > budget:
        raise TooWide(max_row, max_col)
    return SheetScan(max_row, max_col, percent)
