"""The sheet guard's array pass (reading/xml_positions.py): for a sheet written the usual way it
finds exactly what the exact expat walk finds; for a sheet written any other way it steps aside
(None) and the walk decides, so no way of writing a position slips a huge area past the guard."""

from __future__ import annotations

import io
import re
import zipfile

import builders as B
import pytest
from builders import CODES, Fmt
from killers import patch_sheet

from zi_dashboard.reading import sheet_xml, xml_positions

SHEET = "xl/worksheets/sheet1.xml"


def office_table(rows_per_code: int = 3) -> bytes:
    """A title, a merged header, sub-activity rows under every indicator, progress typed as
    whole numbers and as fractions in '0%' cells, a note column, a column past Z."""
    rows: list[list[object]] = [["Laporan Progres Rencana Kerja ZI"], [], ["Kode", "Kegiatan", "Progres", "Catatan"]]
    for i, code in enumerate(CODES):
        for k in range(rows_per_code):
            progress: object = Fmt(0.25 * (k + 1), "0%") if (i + k) % 2 else 25 * (k + 1)
            rows.append([code, f"Kegiatan {k + 1} {code}", progress, "sudah rapat" if k else ""])
    data = B.xlsx(rows, merges=["A1:D1"])
    return patch_sheet(
        data, lambda xml: xml.replace(b"</row>", b'<c r="AB3" t="inlineStr"><is><t>x</t></is></c></row>', 1)
    )


def sheet_and_styles(data: bytes) -> tuple[bytes, set[int]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return zf.read(SHEET), sheet_xml.percent_styles(zf)


def exact(xml: bytes, styles: set[int]) -> tuple[int, int, dict[int, set[int]]]:
    walk = sheet_xml.positions_walk(xml, styles, budget=10**12)
    return walk.max_row, walk.max_col, walk.percent


def test_a_sheet_as_office_programs_write_it_is_read_by_the_array_pass_exactly_as_by_the_walk():
    xml, styles = sheet_and_styles(office_table())
    found = xml_positions.positions(xml, styles)
    assert found is not None  # the usual way of writing: no fallback
    assert found == exact(xml, styles)
    max_row, max_col, percent = found
    assert (max_row, max_col) == (3 + 3 * len(CODES), 28)  # AB is column 28
    assert percent and all(col == 2 for col in percent)  # only the progress column is '0%'


def test_a_style_written_after_the_type_is_still_a_percentage_cell():
    xml, styles = sheet_and_styles(office_table())
    reordered = re.sub(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)" t="n"', rb'<c r="\1" t="n" s="\2"', xml)
    assert reordered != xml
    assert xml_positions.positions(reordered, styles) == exact(xml, styles)


HUGE = b'<row r="7"><c r="XFD1048576"><v>1</v></c></row>'


@pytest.mark.parametrize(
    "name, change",
    [
        ("second r after the first", lambda x: x.replace(b'<c r="A5"', b'<c r="A5" r="XFD1048576"', 1)),
        ("r written with spaces", lambda x: x.replace(b'<c r="A5"', b'<c r = "XFD1048576"', 1)),
        ("r in single quotes", lambda x: x.replace(b'<c r="A5"', b"<c r='XFD1048576'", 1)),
        ("r not first", lambda x: x.replace(b'<c r="A5"', b'<c t="n" r="XFD1048576"', 1)),
        ("prefixed cell", lambda x: x.replace(b"</sheetData>", b'<x:c r="XFD1048576"/></sheetData>', 1)),
        ("tag in a comment", lambda x: x.replace(b"</sheetData>", b"<!-- " + HUGE + b" --></sheetData>", 1)),
        ("tag in CDATA", lambda x: x.replace(b"</sheetData>", b"<![CDATA[" + HUGE + b"]]></sheetData>", 1)),
        ("four letters", lambda x: x.replace(b'<c r="A5"', b'<c r="ZZZZ5"', 1)),
        ("eight digits", lambda x: x.replace(b'<c r="A5"', b'<c r="A10485760"', 1)),
        ("an entity in r", lambda x: x.replace(b'<c r="A5"', b'<c r="&#88;FD5"', 1)),
        ("a row without r", lambda x: x.replace(b"</sheetData>", b"<row><c><v>1</v></c></row></sheetData>", 1)),
        ("tab before r", lambda x: x.replace(b'<c r="A5"', b'<c\tr="XFD1048576"', 1)),
    ],
)
def test_any_other_way_of_writing_a_position_is_left_to_the_exact_walk(name, change):
    xml, styles = sheet_and_styles(office_table())
    changed = change(xml)
    assert changed != xml, name
    assert xml_positions.positions(changed, styles) is None, name


@pytest.mark.parametrize(
    "change",
    [
        lambda x: x.replace(b'<c r="A5"', b'<c r="A5" r="XFD1048576"', 1),
        lambda x: x.replace(b'<c r="A5"', b'<c t="n" r="XFD1048576"', 1),
        lambda x: x.replace(b"</sheetData>", b'<x:c r="XFD1048576"/></sheetData>', 1),
        lambda x: x.replace(b'<c r="A5"', b'<c r="XFD1048576"', 1),
    ],
)
def test_a_cell_at_excels_last_position_is_refused_however_it_is_written(change):
    xml, styles = sheet_and_styles(office_table())
    with pytest.raises((sheet_xml.TooWide, sheet_xml.BadXml)):
        sheet_xml.scan_sheet(change(xml), styles)


def test_a_sheet_whose_text_looks_like_an_attribute_is_still_read_right():
    """A note saying ' r = 5' makes the array pass step aside; the walk reads the same area."""
    data = B.xlsx([["Kode", "Progres", "Catatan"], *[[c, 10, "nilai r = 5 dan x:c y"] for c in CODES]])
    xml, styles = sheet_and_styles(data)
    assert sheet_xml.scan_sheet(xml, styles).max_row == len(CODES) + 1


@pytest.mark.parametrize("column", ["A", "I", "Z", "AA", "AZ", "ZZ", "AAA", "XFD"])
@pytest.mark.parametrize("row", [1, 9, 10, 99, 1000, 65536, 999999, 1048576])
def test_every_length_of_position_is_read_as_the_walk_reads_it(column, row):
    """One, two and three letters; one to seven digits: the last cell's position is the area."""
    xml, styles = sheet_and_styles(office_table(rows_per_code=1))
    last = f'<c r="{column}{row}" t="inlineStr"><is><t>catatan</t></is></c></row>'.encode()
    changed = xml.replace(b"</row></sheetData>", last + b"</sheetData>")
    assert changed != xml
    found = xml_positions.positions(changed, styles)
    assert found is not None
    assert found == exact(changed, styles)


@pytest.mark.parametrize("slice_bytes", [1, 64, 300, 4096])
def test_a_sheet_taken_in_slices_gives_the_walks_answer(monkeypatch, slice_bytes):
    """Slices are cut just before a '<'; however small, the answer is the whole sheet's."""
    monkeypatch.setattr(xml_positions, "_SLICE", slice_bytes)
    xml, styles = sheet_and_styles(office_table())
    assert xml_positions.positions(xml, styles) == exact(xml, styles)
    reordered = re.sub(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)" t="n"', rb'<c r="\1" t="n" s="\2"', xml)
    assert xml_positions.positions(reordered, styles) == exact(xml, styles)


@pytest.mark.parametrize("slice_bytes", [1, 64, 300])
@pytest.mark.parametrize(
    "change",
    [
        lambda x: x.replace(b'<c r="A5"', b'<c r="A5" r="XFD1048576"', 1),
        lambda x: x.replace(b"</sheetData>", b'<x:c r="XFD1048576"/></sheetData>', 1),
        lambda x: x.replace(b'<c r="A5"', b'<c r="XFD1048576"', 1),
    ],
)
def test_in_slices_a_far_cell_is_still_refused_or_handed_to_the_walk(monkeypatch, slice_bytes, change):
    monkeypatch.setattr(xml_positions, "_SLICE", slice_bytes)
    xml, styles = sheet_and_styles(office_table())
    changed = change(xml)
    found = xml_positions.positions(changed, styles)
    assert found is None or found[:2] == (1048576, 16384)
    with pytest.raises((sheet_xml.TooWide, sheet_xml.BadXml)):
        sheet_xml.scan_sheet(changed, styles)


@pytest.mark.parametrize("slice_bytes", [1, 64, 300])
def test_in_slices_a_comment_anywhere_hands_the_sheet_to_the_walk(monkeypatch, slice_bytes):
    monkeypatch.setattr(xml_positions, "_SLICE", slice_bytes)
    xml, styles = sheet_and_styles(office_table())
    changed = xml.replace(b"</sheetData>", b'<!-- <c r="XFD1048576"/> --></sheetData>', 1)
    assert xml_positions.positions(changed, styles) is None
    assert sheet_xml.scan_sheet(changed, styles).max_row == exact(xml, styles)[0]  # not a cell
