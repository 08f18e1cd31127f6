"""Builds the default Laporan monev template, data/templat-laporan-monev.docx, with python-docx:
letterhead, title, number and date, the sections with their tables (docxtpl's {%tr %} row loops),
the timeline pictures, the signature block and the annex; page numbers in the footer.  Every
fixed word comes from the labels package; an office edits its own copy in Word.

Rebuild it after changing this file or the labels:
    python -m zi_dashboard.outputs.monev_template data/templat-laporan-monev.docx
"""

from __future__ import annotations

import io
import sys

from zi_dashboard import labels as L
from zi_dashboard.outputs.monev_tables import TABLES

M = L.MONEV
HEADER_FILL = "1F3864"


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _bottom_border(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "thickThinSmallGap"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(M["page"] + " ")
    for instr in ("PAGE", None, "NUMPAGES"):
        if instr is None:
            p.add_run(f" {M['page_of']} ")
            continue
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instr)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        p._p.append(field)


def _table(doc, name: str):
    """The report's table `name` (monev_tables.TABLES): the header row, then one row repeated for
    each of its rows (docxtpl {%tr %})."""
    from docx.shared import Cm, Pt, RGBColor

    spec = TABLES[name]
    columns, loop, small, widths = spec.columns, spec.rows, spec.small, spec.widths
    t = doc.add_table(rows=4, cols=len(columns))
    t.style = "Table Grid"
    size = Pt(8 if small else 9.5)
    for j, (_, title) in enumerate(columns):
        cell = t.rows[0].cells[j]
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold, run.font.size, run.font.color.rgb = True, size, RGBColor(0xFF, 0xFF, 0xFF)
        _shade(cell, HEADER_FILL)
        run = t.rows[2].cells[j].paragraphs[0].add_run("{{ r." + columns[j][0] + " }}")
        run.font.size = size
    t.rows[1].cells[0].text = "{%tr for r in " + loop + " %}"
    t.rows[3].cells[0].text = "{%tr endfor %}"
    if widths:  # Word reads the cells' widths, LibreOffice the grid's: both are set
        t.autofit = False
        for j, w in enumerate(widths):
            t.columns[j].width = Cm(w)
            for row in t.rows:
                row.cells[j].width = Cm(w)
    return t


def _tpi_section(doc) -> None:
    """Mandiri vs TPI: both scores, every gate, the questions that differ, the returned ones."""
    K = L.LKE_COMPARE
    _para(doc, "{%p if tpi.ada %}")
    _heading(doc, M["h_tpi"])
    _para(doc, "{{ tpi.ringkasan }}", bold=True)
    _para(doc, "{{ tpi.telaah }}", size=9)
    _table(doc, "tpi_angka")
    _table(doc, "tpi_syarat")
    _para(doc, "{%p if tpi.beda %}")
    _para(doc, K["differing_title"], bold=True)
    _table(doc, "tpi_beda")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if tpi.dikembalikan %}")
    _para(doc, K["returned_title"], bold=True)
    _table(doc, "tpi_dikembalikan")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endif %}")


def _heading(doc, text: str) -> None:
    from docx.shared import Pt, RGBColor

    p = doc.add_paragraph()
    p.paragraph_format.space_before, p.paragraph_format.keep_with_next = Pt(10), True
    run = p.add_run(text)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(11.5), RGBColor(0x0B, 0x3B, 0x66)


def _para(doc, text: str, bold: bool = False, size: float | None = None, center: bool = False, indent_cm: float = 0):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent_cm:
        p.paragraph_format.left_indent = Cm(indent_cm)
    p.paragraph_format.space_after = Pt(2)
    return p


def _head(doc) -> None:
    """Letterhead, title, unit, period, number and date, the data's source."""
    from docx.shared import Cm

    _para(doc, "{{ kop.instansi }}", bold=True, size=15, center=True)
    _bottom_border(_para(doc, "{{ kop.alamat }}", size=9, center=True))
    _para(doc, "")
    _para(doc, "{{ judul }}", bold=True, size=12.5, center=True)
    _para(doc, "{{ unit }}", bold=True, center=True)
    _para(doc, "{{ periode }}", center=True)
    _para(doc, "")
    for label, value in ((M["number_label"], "nomor"), (M["date_label"], "tanggal"), (M["period_label"], "periode")):
        _para(doc, label + "\t: {{ " + value + " }}").paragraph_format.tab_stops.add_tab_stop(Cm(2.2))
    _para(doc, "{{ sumber }}", size=8.5)


def _sections(doc) -> None:
    _heading(doc, M["h_summary"])
    _table(doc, "ringkasan")
    _heading(doc, M["h_components"])
    _table(doc, "komponen")
    _heading(doc, M["h_timeline"])
    _para(doc, "{%p for gambar in linimasa %}")
    _para(doc, "{{ gambar }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ keterangan_linimasa }}", size=8.5)
    _heading(doc, M["h_overdue"])
    _para(doc, "{%p if terlambat %}")
    _table(doc, "terlambat")
    _para(doc, "{%p else %}")
    _para(doc, "{{ terlambat_kosong }}")
    _para(doc, "{%p endif %}")
    _heading(doc, M["h_changes"])
    _para(doc, "{{ perubahan.catatan }}", size=9)
    _para(doc, "{%p if perubahan.ada %}")
    _table(doc, "perubahan")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if kesiapan.ada %}")
    _heading(doc, M["h_readiness"])
    _para(doc, "{{ kesiapan.sumber }}", size=9)
    _table(doc, "kesiapan_angka")
    _para(doc, "{%p for p in kesiapan.predikat %}")
    _para(doc, "{{ p }}", bold=True)
    _para(doc, "{%p endfor %}")
    _table(doc, "kesiapan_syarat")
    _para(doc, "{%p endif %}")
    _tpi_section(doc)
    _para(doc, "{%p if bukti %}")
    _heading(doc, M["h_evidence"])
    _table(doc, "bukti")
    _para(doc, "{%p endif %}")
    _heading(doc, M["h_follow"])
    _para(doc, "{%p for f in tindak_lanjut %}")
    _para(doc, "{{ f.pic }}", bold=True)
    _table(doc, "tindak_lanjut")
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ tindak_lanjut_kosong }}")


def _signature(doc) -> None:
    _para(doc, "")
    _para(doc, "{{ ttd.tempat }}, {{ ttd.tanggal }}", indent_cm=9.5)
    _para(doc, "{{ ttd.jabatan }}", indent_cm=9.5)
    for _ in range(3):
        _para(doc, "", indent_cm=9.5)
    _para(doc, "{{ ttd.nama }}", bold=True, indent_cm=9.5)
    _para(doc, "{{ ttd.nip }}", indent_cm=9.5)


def build_default_template() -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10)
    _head(doc)
    _sections(doc)
    _signature(doc)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _heading(doc, M["h_annex"])
    _table(doc, "lampiran")
    _page_number_footer(section)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


if __name__ == "__main__":  # pragma: no cover - the rebuild command in the docstring
    target = sys.argv[1] if len(sys.argv) > 1 else "data/templat-laporan-monev.docx"
    with open(target, "wb") as out:
        out.write(build_default_template())
