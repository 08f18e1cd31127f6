"""Broken and hostile files made by test code (openpyxl, zipfile, raw bytes): the byte builders
of the corpus in hostile_cases.py."""

from __future__ import annotations

import functools
import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable

import builders as B
from builders import CODES
from openpyxl import Workbook

DISTINCT = {c: float(4 * (i + 1)) for i, c in enumerate(CODES)}  # 4, 8, ..., 100


# --- byte builders ---------------------------------------------------------------------------
def once(fn):
    return functools.cache(fn)


@once
def valid_xlsx() -> bytes:
    return B.xlsx([*B.TITLE_ROWS, [], *B.standard_rows(DISTINCT)])


def rezip(
    data: bytes,
    replace: dict[str, bytes | None] | None = None,
    add: list[tuple[str, bytes]] | None = None,
    patch: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """A copy of the zip `data` with parts replaced (None: dropped), patched or added."""
    replace, add, patch = replace or {}, add or [], patch or {}
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            name = info.filename
            body = zin.read(name)
            if name in replace:
                if replace[name] is None:
                    continue
                body = replace[name]
            if name in patch:
                body = patch[name](body)
            zo.writestr(name, body)
        for name, body in add:
            zo.writestr(name, body)
    return out.getvalue()


def cfb(*streams: str, size: int = 4096) -> bytes:
    """An OLE/CFB compound file as Excel writes .xls and password-protected .xlsx: the magic, a
    header, and a directory sector naming the streams (UTF-16-LE); the rest zero."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
        + struct.pack("<H", 6)
        + b"\0" * 10
        + struct.pack("<IIII", 1, 1, 0, 0x1000)
        + struct.pack("<IIII", 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    )
    header = header.ljust(512, b"\xff")
    directory = b""
    for i, name in enumerate(("Root Entry", *streams)):
        raw = name.encode("utf-16-le") + b"\0\0"
        entry = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), 5 if i == 0 else 2, 1)
        directory += entry.ljust(128, b"\0")
    return (header + directory).ljust(size, b"\0")


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        zo.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first, stored
        zo.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            zipfile.ZIP_DEFLATED,
        )
        zo.writestr(
            "content.xml",
            '<office:document-content><table:table table:name="Progres">'
            "<table:table-row><table:table-cell>Kode</table:table-cell></table:table-row>"
            "</table:table></office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


def xlsm() -> bytes:
    macro_type = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    return rezip(
        valid_xlsx(),
        patch={
            "[Content_Types].xml": lambda b: re.sub(
                rb"application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml", macro_type, b
            ).replace(
                b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            )
        },
        add=[("xl/vbaProject.bin", cfb("VBA", "PROJECT", "dir", size=2048))],
    )


def zeros_part(zo: zipfile.ZipFile, name: str, megabytes: int, byte: bytes = b"0") -> None:
    """Stream `megabytes` MB of one byte into part `name`, 1 MB at a time (little memory)."""
    info = zipfile.ZipInfo(name, date_time=(2025, 11, 15, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    chunk = byte * (1 << 20)
    with zo.open(info, "w", force_zip64=True) as f:
        for _ in range(megabytes):
            f.write(chunk)


@once
def zip_bomb(part: str = "xl/worksheets/sheet1.xml", megabytes: int = 300, byte: bytes = b"0") -> bytes:
    """The valid workbook with one part swapped for `megabytes` MB of one byte, deflated."""
    zin = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        if part not in zin.namelist():
            zeros_part(zo, part, megabytes, byte)
        for info in zin.infolist():
            if info.filename == part:
                zeros_part(zo, part, megabytes, byte)
            else:
                zo.writestr(info.filename, zin.read(info.filename))
    return out.getvalue()


@once
def many_parts_bomb() -> bytes:
    """Many innocent-looking 1 MB parts that together expand beyond MAX_EXPANDED_MB (250)."""
    zin = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            zo.writestr(info.filename, zin.read(info.filename))
        for k in range(260):
            zo.writestr(f"xl/media/image{k + 1}.emf", chunk)
    return out.getvalue()


def mimetype_bad_crc() -> bytes:
    """A workbook whose first part 'mimetype' has a wrong CRC-32 in both zip headers."""
    body = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        zo.writestr("mimetype", body)
        zin = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
        for info in zin.infolist():
            zo.writestr(info.filename, zin.read(info.filename), zipfile.ZIP_DEFLATED)
    data = out.getvalue()
    crc = struct.pack("<I", zlib.crc32(body))
    assert data.count(crc) == 2
    return data.replace(crc, struct.pack("<I", zlib.crc32(body) ^ 0xFFFFFFFF))


def sheet_xml_patch(data: bytes, fn: Callable[[bytes], bytes]) -> bytes:
    return rezip(data, patch={"xl/worksheets/sheet1.xml": fn})


def progress_cell(code: str) -> str:
    """The sheet cell of `code`'s progress in a standard_rows table written from A1."""
    return f"G{2 + CODES.index(code)}"


def formula_xlsx(cached: str | None) -> bytes:
    """Progress of 1.1 is the formula =50+25; its cached value `cached` (None: none stored)."""
    rows = B.standard_rows(DISTINCT)
    rows[1][6] = "=50+25"
    data = B.xlsx(rows)
    cell = progress_cell("1.1").encode()

    def fn(xml: bytes) -> bytes:
        pattern = rb'(<c r="' + cell + rb'"[^>]*>)<f>50\+25</f>(?:<v\s*/>|<v></v>)?(</c>)'
        value = b"" if cached is None else b"<v>" + cached.encode() + b"</v>"
        new, n = re.subn(pattern, rb"\1<f>50+25</f>" + value.replace(b"\\", b"\\\\") + rb"\2", xml)
        assert n == 1, xml[:2000]
        return new

    return sheet_xml_patch(data, fn)


def formatted_empty_rows(n: int = 100_000) -> bytes:
    """A 25-row table, then `n` rows formatted (fill, height) but holding nothing, as a sheet
    looks after someone formatted whole columns down to row 100,000."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Progres"
    from openpyxl.styles import PatternFill

    for r in B.standard_rows(DISTINCT):
        ws.append(r)
    ws["A2"].fill = PatternFill("solid", fgColor="FFFF00")  # makes style s="1"
    buf = io.BytesIO()
    wb.save(buf)
    cols = [bytes([65 + c]) for c in range(10)]
    last = 26 + n

    def fn(xml: bytes) -> bytes:
        empty = b"".join(
            b'<row r="%d" spans="1:10" s="1" customFormat="1" ht="15" customHeight="1">%s</row>'
            % (r, b"".join(b'<c r="%s%d" s="1"/>' % (c, r) for c in cols))
            for r in range(27, last + 1)
        )
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:J%d"/>' % last, xml)
        return xml.replace(b"</sheetData>", empty + b"</sheetData>")

    return sheet_xml_patch(buf.getvalue(), fn)


def far_cell(ref: str) -> bytes:
    """The valid table plus one cell far away (`ref`, e.g. XFD1048576, Excel's last cell)."""
    row = int(re.sub(r"[A-Z]", "", ref))
    return sheet_xml_patch(
        B.xlsx(B.standard_rows(DISTINCT)),
        lambda x: x.replace(
            b"</sheetData>",
            b'<row r="%d"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row></sheetData>' % (row, ref.encode()),
        ),
    )


def sheet_twice(far_first: bool) -> bytes:
    """The valid table's sheet part written twice under one name, one copy with a cell at
    XFD1048576: zip readers that take the first copy and readers that take the last would
    read different sheets."""
    valid = B.xlsx(B.standard_rows(DISTINCT))
    far = zipfile.ZipFile(io.BytesIO(far_cell("XFD1048576"))).read("xl/worksheets/sheet1.xml")
    zin = zipfile.ZipFile(io.BytesIO(valid))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
            for info in zin.infolist():
                body = zin.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    copies = [far, body] if far_first else [body, far]
                    for copy in copies:
                        zo.writestr(info.filename, copy)
                    continue
                zo.writestr(info.filename, body)
    return out.getvalue()


def far_cell_xml(row_xml: bytes, sheet_path: str | None = None) -> bytes:
    """The valid table plus `row_xml` at the end of its sheet data; the sheet part moved to
    `sheet_path` (workbook relationships and content types following it) when given."""
    data = sheet_xml_patch(
        B.xlsx(B.standard_rows(DISTINCT)), lambda x: x.replace(b"</sheetData>", row_xml + b"</sheetData>")
    )
    if sheet_path is None:
        return data
    old_path = "xl/worksheets/sheet1.xml"
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                body = body.replace(old_path[3:].encode(), sheet_path[3:].encode())
            zo.writestr(sheet_path if info.filename == old_path else info.filename, body)
    return out.getvalue()


FAR_X = b"<is><t>x</t></is>"
# Excel's last cell holding 'x', written in ways XML and OOXML allow and Excel-like writers use
FAR_SINGLE_QUOTES = b"<row r='1048576'><c r='XFD1048576' t='inlineStr'>" + FAR_X + b"</c></row>"
FAR_SPACES = b'<row r = "1048576"><c r = "XFD1048576" t="inlineStr">' + FAR_X + b"</c></row>"
# r is optional on <row> and <c>: positions follow from order (16 KB once zipped)
FAR_NO_R = b"<row/>" * (1_048_576 - 27) + b"<row>" + b"<c/>" * 16_383 + b'<c t="inlineStr">' + FAR_X + b"</c></row>"
FAR_PLAIN = b'<row r="1048576"><c r="XFD1048576" t="inlineStr">' + FAR_X + b"</c></row>"
GIANT = "sheet_area"


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>\n"
)


def billion_laughs(part: str) -> bytes:
    """An XML entity-expansion bomb (10^9 'lol') as the DTD of one part; used in the sheet."""

    def fn(xml: bytes) -> bytes:
        xml = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return LAUGHS + xml.replace(b"catatan 1.1", b"&lol9;")

    return rezip(B.xlsx(B.standard_rows(DISTINCT)), patch={part: fn})


def rows_table(n_rows: int) -> list[list]:
    rows = [["Kode", "Indikator/Program", "Rencana Aksi", "Progres (%)"]]
    for i in range(n_rows):
        c = CODES[i % len(CODES)]
        rows.append([c, B.INDICATOR[c], f"Sub kegiatan {i + 1}", 50])
    return rows
