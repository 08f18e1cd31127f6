"""Hostile files made by code: each one took the server down (native
abort in calamine), cost 0.7-1 GB and seconds, or froze every user in a quadratic regular
expression.  Used by tests/reading/test_hostile.py, tests/app/test_server_survives.py and
bench/bench_hostile.py."""

from __future__ import annotations

import io
import re
import zipfile

import builders as B
from builders import CODES

DISTINCT = {c: float(4 * (i + 1)) for i, c in enumerate(CODES)}  # 4, 8, ..., 100
X = b"<is><t>x</t></is>"


def table() -> bytes:
    """A valid progress workbook (table from A1: 26 rows, 10 columns)."""
    return B.xlsx(B.standard_rows(DISTINCT))


def rezip(data: bytes, patch: dict) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename in patch:
                body = patch[info.filename](body)
            zo.writestr(info.filename, body)
    return out.getvalue()


def patch_sheet(data: bytes, fn) -> bytes:
    return rezip(data, {"xl/worksheets/sheet1.xml": fn})


def cell_in_row(row: int, ref: bytes) -> bytes:
    """The table, plus one cell at `ref` written inside the table's own <row r="`row`">:
    the area check that reads only row tags sees nothing unusual."""

    def fn(xml: bytes) -> bytes:
        m = re.search(rb'<row r="%d"[^>]*>.*?</row>' % row, xml, re.S)
        assert m, row
        cell = b'<c r="%s" t="inlineStr">%s</c>' % (ref, X)
        return xml[: m.end() - 6] + cell + xml[m.end() - 6 :]

    return patch_sheet(table(), fn)


def xfd_in_row_6() -> bytes:
    """13 KB: XFD1048576 inside <row r="6">; calamine asks for 512 GiB and aborts."""
    return cell_in_row(6, b"XFD1048576")


def row_200000_in_row_531() -> bytes:
    """A table of 531 rows, one cell Z200000 written inside <row r="531">."""
    rows = B.standard_rows(DISTINCT) + [[f"baris {i}"] for i in range(27, 532)]
    return patch_sheet(
        B.xlsx(rows),
        lambda xml: xml.replace(
            b"</row></sheetData>", b'<c r="Z200000" t="inlineStr">' + X + b"</c></row></sheetData>"
        ),
    )


def rows_out_of_order() -> bytes:
    """Row 900,000 written first, then the table and 2,000 more rows (so the sheet's last
    64 KB, where a quick check looks for the last row, hold only ordinary rows)."""
    rows = B.standard_rows(DISTINCT) + [[f"baris {i}"] for i in range(27, 2027)]
    return patch_sheet(
        B.xlsx(rows),
        lambda xml: re.sub(
            rb"<sheetData>",
            b'<sheetData><row r="900000"><c r="J900000" t="inlineStr">' + X + b"</c></row>",
            xml,
            count=1,
        ),
    )


def four_letter_column() -> bytes:
    """A cell in column ZZZZ (475,254th; Excel stops at XFD, the 16,384th)."""
    return cell_in_row(6, b"ZZZZ6")


def nested_styles(depth: int = 2_800_000) -> bytes:
    """styles.xml with `depth` nested elements (19.6 MB, under the 20 MB 'large part' mark)."""
    return rezip(
        table(),
        {
            "xl/styles.xml": lambda xml: xml.replace(
                b"</styleSheet>", b"<x>" * depth + b"</x>" * depth + b"</styleSheet>"
            )
        },
    )


def separator_line_csv(megabytes: float = 9.9) -> bytes:
    """The table as CSV whose header line carries 9.9 MB of separators."""
    data = B.csv_bytes(B.standard_rows(DISTINCT), pad=False)
    return data.replace(b"\r\n", b";" * int(megabytes * 1024 * 1024) + b"\r\n", 1)


def many_big_sheets(sheets: int = 12, megabytes: float = 19.9) -> bytes:
    """The table, then `sheets` sheets of `megabytes` MB each: long texts (32,000 characters,
    Excel allows 32,767) that zip down to almost nothing; 239 MB in all, under the 250 MB
    limit on what a workbook may expand to, and no part over 20 MB."""
    wb_data = B.xlsx(B.standard_rows(DISTINCT), after=[(f"Data{i}", [["x"]]) for i in range(1, sheets + 1)])
    size = int(megabytes * 1024 * 1024)
    text = b"x" * 32_000

    def big(xml: bytes) -> bytes:
        out, total, r = [], 0, 1
        while total < size - 40_000:
            row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (r, r, text)
            out.append(row)
            total += len(row)
            r += 1
        return re.sub(
            rb"<sheetData>.*</sheetData>|<sheetData/>",
            lambda m: b"<sheetData>" + b"".join(out) + b"</sheetData>",
            xml,
            count=1,
            flags=re.S,
        )

    return rezip(wb_data, {f"xl/worksheets/sheet{i}.xml": big for i in range(2, sheets + 2)})


def unclosed_rows(n: int = 20_000) -> bytes:
    """`n` <row> tags never closed, after the table's rows (14 KB for 20,000): a reader that
    looks for each row's </row> scans to the end from every one of them."""
    return patch_sheet(table(), lambda xml: xml.replace(b"</sheetData>", b"<row>" * n + b"</sheetData>", 1))


# name, file name, builder
KILLERS = [
    ("xfd-cell-in-row-6", "progres.xlsx", xfd_in_row_6),
    ("cell-row-200000-in-row-531", "progres.xlsx", row_200000_in_row_531),
    ("row-900000-first", "progres.xlsx", rows_out_of_order),
    ("column-ZZZZ", "progres.xlsx", four_letter_column),
    ("styles-2.8M-nested", "progres.xlsx", nested_styles),
    ("csv-9.9MB-separator-line", "progres.csv", separator_line_csv),
    ("12-sheets-of-19.9MB", "progres.xlsx", many_big_sheets),
    ("20000-unclosed-rows", "progres.xlsx", unclosed_rows),
    ("40000-unclosed-rows", "progres.xlsx", lambda: unclosed_rows(40_000)),
]
