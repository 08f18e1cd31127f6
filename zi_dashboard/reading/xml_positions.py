"""Where a worksheet's cells lie, read from its XML bytes by array operations.

The guard of reading/sheets.py must know, before calamine lays a sheet out in memory, the area
its cells reach (one cell at XFD1048576 would make calamine fill 17 billion cells) and which
cells carry a %-style.  For a sheet written the way spreadsheet programs write it, `positions`
works that out with a few vectorised passes over the bytes (numpy, C loops, no Python per
cell): about a tenth of the cost of an XML parser's callbacks for every element.

It answers only when it is sure.  Every `<c` and `<row` tag must start with its position as the
first attribute, double-quoted, in capitals and digits (`<c r="B12"`, `<row r="12"`); there must
be no other `r` attribute a parser could take instead, no element with a prefix that could be a
cell or a row, no comment and no CDATA section (where a tag could hide).  Anything else gives
None, and the caller walks the sheet with expat, counting positions exactly as a spreadsheet
program does.  Whether the part is well-formed XML is then left to calamine's own parser, which
refuses what it cannot read; a DTD or entity declaration is refused before this runs.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

_LT, _GT, _QUOTE, _APOS, _EQ, _SLASH, _COLON = (ord(c) for c in "<>\"'=/:")
_SPACE, _TAB, _LF, _CR = 0x20, 0x09, 0x0A, 0x0D
_WINDOW = 11  # three letters, seven digits and the closing quote
_PAD = bytes(_WINDOW + 8)  # reads past the end see NUL
_SLICE = 1 << 20
_INDEX = np.arange(_WINDOW)
_ZERO, _A = np.uint8(ord("0")), np.uint8(ord("A"))

Bytes = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


def positions(xml: bytes, percent_styles: AbstractSet[int]) -> tuple[int, int, dict[int, set[int]]] | None:
    """(last row, last column, %-formatted cells: 0-based column -> sheet rows) of a sheet
    written the usual way, or None when the sheet is written otherwise (see the module's doc).

    The bytes are taken a slice of about a megabyte at a time (each slice's passes then stay
    in the processor's cache), cut just before a '<': a tag never spans two slices, and what a
    slice's tags read past its end are the real bytes that follow."""
    full = np.frombuffer(xml + _PAD, np.uint8)
    max_row = max_col = 0
    percent: dict[int, set[int]] = {}
    start = 0
    while start < len(xml):
        end = xml.find(b"<", start + _SLICE) if start + _SLICE < len(xml) else -1
        end = len(xml) if end < 0 else end
        behind = min(start, 2)  # an attribute's name is read from the two bytes before its '='
        found = _slice_positions(full[start - behind : end + len(_PAD)], behind, end - start + behind, percent_styles)
        if found is None:
            return None
        max_row, max_col = max(max_row, found[0]), max(max_col, found[1])
        for col, rows in found[2].items():
            percent.setdefault(col, set()).update(rows)
        start = end
    return max_row, max_col, percent


def _slice_positions(
    a: Bytes, lo: int, hi: int, percent_styles: AbstractSet[int]
) -> tuple[int, int, dict[int, set[int]]] | None:
    """positions() of the tags starting in a[lo:hi] (the bytes around them may be read)."""
    part = a[lo:hi]
    marks = part == _LT  # every '<', '=' and ':' found in one pass over the bytes
    marks |= part == _EQ
    marks |= part == _COLON
    found = np.flatnonzero(marks) + lo
    kind = a[found]
    if _prefixed_cell_or_row(a, found[kind == _COLON]):
        return None
    lt = found[kind == _LT]
    after = a[lt + 1]
    if bool((after == ord("!")).any()):
        return None  # a comment, a CDATA section or a declaration, where a tag could hide
    cells = lt[after == ord("c")]
    cells = cells[_ends_name(a[cells + 2])]
    rows = lt[after == ord("r")]
    rows = rows[(a[rows + 2] == ord("o")) & (a[rows + 3] == ord("w")) & _ends_name(a[rows + 4])]
    eq = found[kind == _EQ]
    eq = eq[eq > 1]
    name_end = a[eq - 1]
    if _white(name_end).any():
        return None  # 'name = value' written with spaces
    r_attributes = int(np.count_nonzero((name_end == ord("r")) & _white(a[eq - 2])))
    if r_attributes != cells.size + rows.size:
        return None  # an r written twice in a tag, or one a parser could take instead
    words = _words(a)
    if not (_starts_with(words, cells + 2, b' r="') and _starts_with(words, rows + 4, b' r="')):
        return None
    cols, cell_rows = _references(a, cells + 6, letters=True)
    _, row_numbers = _references(a, rows + 8, letters=False)
    if cols is None or cell_rows is None or row_numbers is None:
        return None
    max_row = int(max(cell_rows.max(initial=0), row_numbers.max(initial=0)))
    max_col = int(cols.max(initial=0))
    percent = _percent_cells(a, lt, eq, cells, cols, cell_rows, percent_styles) if percent_styles else {}
    return max_row, max_col, percent


def _white(b: Bytes) -> Mask:
    return (b == _SPACE) | (b == _TAB) | (b == _LF) | (b == _CR)


def _ends_name(b: Bytes) -> Mask:
    """The byte after a tag's name: white space, '/' or '>'."""
    return _white(b) | (b == _SLASH) | (b == _GT)


def _prefixed_cell_or_row(a: Bytes, colon: Ints) -> bool:
    """Any `x:c` or `x:row` name (followed by what ends a name): a parser matching local names
    would take it for a cell or a row.  Text such as 'a:c b' answers True too (the sheet is then
    walked with expat: slower, never wrong)."""
    nxt = a[colon + 1]
    is_c = (nxt == ord("c")) & _ends_name(a[colon + 2])
    is_row = (nxt == ord("r")) & (a[colon + 2] == ord("o")) & (a[colon + 3] == ord("w")) & _ends_name(a[colon + 4])
    return bool((is_c | is_row).any())


def _starts_with(words: npt.NDArray[np.uint64], at: Ints, prefix: bytes) -> bool:
    """Whether the bytes at every position `at` are exactly `prefix` (at most 8 bytes)."""
    mask = np.uint64((1 << (8 * len(prefix))) - 1)
    return bool(((words[at] & mask) == np.uint64(int.from_bytes(prefix, "little"))).all())


def _references(a: Bytes, start: Ints, letters: bool) -> tuple[Ints | None, Ints | None]:
    """(1-based columns, rows) of the values starting at `start`: `[A-Z]{1,3}[0-9]{1,7}"` for
    cells (letters=True), `[0-9]{1,7}"` for rows; (None, None) if any is written otherwise.

    Each value's bytes are one row of a small matrix: its letters and digits end at the first
    byte of another kind (argmin of a mask); the numbers are then read from 8-byte words."""
    w = sliding_window_view(a, _WINDOW)[start]  # one row of bytes per value
    other = (w - _ZERO) >= 10  # not a digit (uint8 arithmetic wraps: one comparison per byte)
    count = np.zeros(start.size, np.intp)
    if letters:
        capital = (w[:, :4] - _A) < 26
        count = capital.argmin(axis=1)  # leading capitals: 1..3 (none, or a 4th, is refused)
        if bool((~capital[:, 0] | capital[:, 3]).any()):
            return None, None
        other[:, 0] = False  # the letters are skipped when looking for the digits' end
        other[:, 1] &= count < 2
        other[:, 2] &= count < 3
    other[:, -1] = True  # the window's last byte ends the digits at the latest
    end = other.argmax(axis=1)
    digits = end - count
    closed = a[start + end] == _QUOTE
    if not bool((closed & (digits >= 1) & (digits <= 7)).all()):
        return None, None
    words = _words(a)
    rows = _decimal(words[start + count], digits)
    cols = _letters(words[start], count) if letters else count.astype(np.int64)
    return cols, rows


def _words(a: Bytes) -> npt.NDArray[np.uint64]:
    """Every 8 bytes of `a` read as one little-endian number, starting at each byte."""
    return np.ndarray(shape=(a.size - 7,), dtype="<u8", buffer=a, strides=(1,))


def _decimal(words: npt.NDArray[np.uint64], digits: Ints) -> Ints:
    """The numbers of 1 to 8 decimal digits at the start of each word: the digits are moved to
    the word's last bytes (zeros before them) and combined pairwise (8 -> 4 -> 2 -> 1 numbers)."""
    v = (words << (8 * (8 - digits)).astype(np.uint64)) & np.uint64(0x0F0F0F0F0F0F0F0F)
    v = ((v * np.uint64(10)) + (v >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    v = ((v * np.uint64(100)) + (v >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    v = (v * np.uint64(10000)) + (v >> np.uint64(32))
    return (v & np.uint64(0xFFFFFFFF)).astype(np.int64)


def _letters(words: npt.NDArray[np.uint64], count: Ints) -> Ints:
    """The column numbers (A = 1) of 1 to 3 capitals at the start of each word."""
    value = (words & np.uint64(0x1F)).astype(np.int64)
    for i in (1, 2):
        letter = ((words >> np.uint64(8 * i)) & np.uint64(0x1F)).astype(np.int64)
        value = np.where(count > i, value * 26 + letter, value)
    return value


def _percent_cells(
    a: Bytes, lt: Ints, eq: Ints, cells: Ints, cols: Ints, rows: Ints, styles: AbstractSet[int]
) -> dict[int, set[int]]:
    """0-based column -> sheet rows of the cells whose s="..." (anywhere in the cell's tag) is
    one of `styles`."""
    quote = a[eq + 1]
    s_attr = eq[(a[eq - 1] == ord("s")) & _white(a[eq - 2]) & ((quote == _QUOTE) | (quote == _APOS))]
    if not s_attr.size or not cells.size:
        return {}
    tag = lt[np.searchsorted(lt, s_attr) - 1]  # the tag the attribute stands in
    owner = np.minimum(np.searchsorted(cells, tag), cells.size - 1)
    in_cell = cells[owner] == tag
    s_attr, owner = s_attr[in_cell], owner[in_cell]
    other = (sliding_window_view(a, 8)[s_attr + 2] - _ZERO) >= 10  # not a digit
    run = np.where(other.any(axis=1), other.argmax(axis=1), 8)  # the leading digits
    value = _decimal(_words(a)[s_attr + 2], np.clip(run, 1, 7))
    wanted = owner[np.isin(value, np.fromiter(styles, np.int64)) & (run >= 1) & (run <= 7)]
    percent: dict[int, set[int]] = {}
    for col in np.unique(cols[wanted]).tolist():
        percent[col - 1] = set(rows[wanted[cols[wanted] == col]].tolist())
    return percent
