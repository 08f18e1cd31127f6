"""Mandiri vs TPI in the reports: the meeting report (HTML), the Excel pack and
the Laporan monev (.docx and the PDF's HTML) carry the section once TPI answers are saved, with
the figures worked by hand in tests/counting/test_lke_compare.py; before that none of them has it."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from tpi_builders import REVIEWERS, save_both, save_unit

from zi_dashboard import labels as L
from zi_dashboard.app import monev as app_monev
from zi_dashboard.app import service
from zi_dashboard.outputs import monev, monev_html

C = L.LKE_COMPARE
HEADLINE = "Mandiri 21,67 · TPI 19,04 · selisih −2,63"


@pytest.fixture
def ctx(temp_db, monkeypatch):
    monkeypatch.setenv("ZI_REVIEWER_UNITS", REVIEWERS)
    data = service.current_dataset()
    return service.context_for(service.starting_as_of(data), data=data)


def test_the_pack_has_mandiri_vs_tpi_once_the_tpi_answered(ctx):
    save_unit(service.home())
    assert "mandiri-tpi" not in service.pack("html", ctx).decode()
    assert C["sheet"] not in openpyxl.load_workbook(io.BytesIO(service.pack("xlsx", ctx))).sheetnames
    save_both(service.home(), {})  # a new answer set: the pack is built again
    page = service.pack("html", ctx).decode()
    section = page.split("<section id='mandiri-tpi'>")[1].split("</section>")[0]
    assert HEADLINE in section and "<p>Tahap penilaian TPI: Diajukan ke TPI</p>" in section
    assert "<td>Total</td><td>21,67</td><td>19,04</td><td>−2,63</td>" in section
    assert section.index("<td>H1</td>") < section.index("<td>R1.2</td>") < section.index("<td>1.1</td>")
    ws = openpyxl.load_workbook(io.BytesIO(service.pack("xlsx", ctx)))[C["sheet"]]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any(str(c).startswith(HEADLINE) for c in cells)
    assert {C["figures_title"], C["gates_title"], C["differing_title"]} <= set(cells)
    codes = [row[0] for row in ws.iter_rows(values_only=True) if row[0] in ("H1", "R1.2", "1.2", "1.1")]
    assert codes == ["H1", "R1.2", "1.2", "1.1", "1.1"]  # the most points at stake first


def test_the_monev_report_has_the_section_with_returned_questions(ctx):
    save_unit(service.home())
    texts = [p.text for p in docx.Document(io.BytesIO(monev.render_docx(app_monev.report(ctx)))).paragraphs]
    assert L.MONEV["h_tpi"] not in texts
    save_both(service.home(), {6: "SK belum ditandatangani"})
    report = app_monev.report(ctx)
    d = docx.Document(io.BytesIO(monev.render_docx(report)))
    texts = [p.text for p in d.paragraphs]
    assert L.MONEV["h_tpi"] in texts and any(t.startswith(HEADLINE) for t in texts)
    assert any(t.startswith("Tahap penilaian TPI: Diajukan ke TPI · TPI menjawab 7 dari 113") for t in texts)
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]
    figures = next(t for t in tables if t[0][:2] == [C["col_item"], C["col_unit"]])
    assert figures[1] == ["Total", "21,67", "19,04", "−2,63", "100,00"]
    differing = next(t for t in tables if C["col_answer_tpi"] in t[0])
    assert [r[0] for r in differing[1:]] == ["H1", "R1.2", "1.2 c", "1.1 a", "1.1 b"]
    returned = next(t for t in tables if C["col_note"] in t[0])
    assert returned[1][0] == "1.1 a" and returned[1][2] == "SK belum ditandatangani"
    html = monev_html.build_html(report)
    assert L.MONEV["h_tpi"] in html and "SK belum ditandatangani" in html
