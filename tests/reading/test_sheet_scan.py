"""The sheet guard as one expat pass: what it finds does not depend on how a
row's or cell's position is written, and it sees the sheet as an XML parser (and calamine) does,
not as a text search: tags inside an XML comment are no cells."""

from __future__ import annotations

import io
import re
import zipfile

import builders as B
from builders import CODES, Fmt
from killers import patch_sheet

from zi_dashboard.reading import sheet_xml
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress

SHEET = "xl/worksheets/sheet1.xml"


def part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def full_table() -> bytes:
    """A progress table with every cell filled (so positions left out mean the same cells),
    progress typed as '45%' in a percentage cell on every other row."""
    rows = [["Kode", "Indikator/Program", "Progres (%)", "Keterangan"]]
    for i, c in enumerate(CODES):
        rows.append([c, B.INDICATOR[c], Fmt(0.45, "0%") if i % 2 else 45, f"catatan {c}"])
    return B.xlsx(rows)


def without_r(xml: bytes) -> bytes:
    return re.sub(rb' r="[^"]*"', b"", xml)


def single_quoted_with_spaces(xml: bytes) -> bytes:
    return re.sub(rb' (r|s)="([^"]*)"', rb" \1 = '\2'", xml)


def prefixed(xml: bytes) -> bytes:
    xml = re.sub(rb"<(/?)(?![?!])([A-Za-z]+)", rb"<\1x:\2", xml)
    return xml.replace(b' xmlns="', b' xmlns:x="', 1)


def test_positions_written_any_way_give_the_same_area_and_percentage_cells():
    data = full_table()
    styles = sheet_xml.percent_styles(zipfile.ZipFile(io.BytesIO(data)))
    xml = part(data, SHEET)
    usual = sheet_xml.scan_sheet(xml, styles)
    assert (usual.max_row, usual.max_col) == (26, 4)
    assert usual.percent == {2: {r for r in range(2, 27) if (r - 2) % 2}}
    for variant in (without_r, single_quoted_with_spaces, prefixed):
        scan = sheet_xml.scan_sheet(variant(xml), styles)
        assert (scan.max_row, scan.max_col, scan.percent) == (usual.max_row, usual.max_col, usual.percent), (
            variant.__name__
        )


def test_cell_tags_inside_an_xml_comment_are_not_cells():
    """A comment naming Excel's last cell spans no area: the file is read as calamine reads it
    (a search of the text for tags refused it as 'terlalu luas')."""
    values = {c: float(4 * (i + 1)) for i, c in enumerate(CODES)}
    data = B.xlsx([*B.TITLE_ROWS, [], *B.standard_rows(values)])
    commented = patch_sheet(
        data,
        lambda xml: xml.replace(
            b"</sheetData>", b'<!-- <row r="1048576"><c r="XFD1048576"><v>1</v></c></row> --></sheetData>'
        ),
    )
    plan = load_plan()
    plain, with_comment = read_progress(data, "progres.xlsx", plan), read_progress(commented, "progres.xlsx", plan)
    assert with_comment.valid, [p.text() for p in with_comment.errors]
    assert with_comment.rows["progress"].tolist() == plain.rows["progress"].tolist() == list(values.values())
