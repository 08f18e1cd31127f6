"""Kesiapan in the meeting pack: the HTML report's sections and the Excel pack's sheet carry the
figures of counting.readiness (the same the page and the CLI show), text from files escaped."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from builders import STANDARD_HEADER, csv_bytes, standard_rows

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute
from zi_dashboard.counting.readiness import readiness
from zi_dashboard.outputs import meeting_pack
from zi_dashboard.outputs.readiness_cli import as_dict
from zi_dashboard.outputs.readiness_out import n2, shortfall_lines
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress

AS_OF = date(2025, 11, 15)
SECTIONS = [
    "ringkasan",
    "komponen",
    "linimasa",
    "terlambat",
    "kesiapan",
    "kesiapan-kurang",
    "kesiapan-syarat",
    "kesiapan-poin",
    "perubahan",
    "cara-menghitung",
]


@pytest.fixture(scope="module")
def meeting():
    rows = standard_rows({"1.1": 100, "1.2": 80, "1.3": 40, "1.4": 30, "5.1": 60, "5.2": 20})
    pic = STANDARD_HEADER.index("PIC")
    ev = STANDARD_HEADER.index("Bukti Dukung")
    for row in rows[1:]:
        if row[0] == "1.2":
            row[pic] = "<script>alert('pic')</script>"
            row[ev] = ""
    plan = load_plan()
    progress = read_progress(csv_bytes(rows), "progres.csv", plan).rows
    result = compute(plan, progress, AS_OF)
    ready = readiness(result, Assessment({"1": 3.0, "5": 4.5}, {}, 3.5, 3.3, 3.0))
    return meeting_pack.Meeting(result, "progres.csv", AS_OF, readiness=ready, unit=L.UNIT_NAME)


def test_html_has_the_kesiapan_sections_with_the_same_figures(meeting):
    html = meeting_pack.build_html(meeting).decode()
    ids = re.findall(r"<section id='([^']+)'", html)
    assert ids == [s for s in SECTIONS if s != "perubahan"] or ids == SECTIONS
    r = meeting.readiness
    assert f"{n2(r.pemenuhan_total)} dari 30,00" in html and f"{n2(r.total)} dari 100,00" in html
    for line in shortfall_lines(r, "WBK") + shortfall_lines(r, "WBBM"):
        assert line.replace("&", "&amp;") in html
    assert "perkiraan" in html.lower() and "bukan nilai resmi" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;pic&#x27;)" in html
    assert "grafik-kesiapan-kota-tasikmalaya-posisi-2025-11-15" in html  # whose chart, in its name


def test_excel_pack_has_a_kesiapan_sheet_with_the_same_figures(meeting):
    wb = openpyxl.load_workbook(io.BytesIO(meeting_pack.build_xlsx(meeting)))
    assert L.READY_REPORT["sheet"] in wb.sheetnames
    assert wb.sheetnames.index("Kesiapan") == wb.sheetnames.index("Terlambat") + 1
    ws = wb["Kesiapan"]
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    d = as_dict(meeting.readiness)
    figures = {
        row[0]: row[1]
        for row in cells
        if row and row[0] in (L.READY["pemenuhan"], L.READY["total"], L.READY["pengungkit"], L.READY["hasil"])
    }
    assert figures == {
        L.READY["pemenuhan"]: d["pemenuhan"]["total"],
        L.READY["pengungkit"]: d["pengungkit"],
        L.READY["hasil"]: d["hasil"]["total"],
        L.READY["total"]: d["total"],
    }
    # every gate of both predicates, with its value and threshold as numbers
    gate_rows = [row for row in cells if row and isinstance(row[0], str) and row[0].startswith("Area 5.")]
    assert len(gate_rows) == 2
    wbk_area5 = [g for g in d["gates"]["WBK"] if g["gate"] == "area.5"][0]
    assert gate_rows[0][1] == wbk_area5["value"] and gate_rows[0][2] == 60.0
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.browser
def test_the_kesiapan_pages_print_one_section_a_page(meeting, tmp_path):
    from playwright.sync_api import sync_playwright
    from streamlit_server import CHROMIUM, CHROMIUM_ARGS

    path = tmp_path / "laporan.html"
    path.write_bytes(meeting_pack.build_html(meeting))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1123, "height": 794})
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=30000)
        page.locator("#kesiapan").screenshot(path=str(tmp_path / "kesiapan.png"))
        pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
        browser.close()
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    n_sections = len(re.findall(r"<section id=", meeting_pack.build_html(meeting).decode()))
    assert len(pages) == n_sections


def test_area_chart_keeps_labels_off_bars_and_lines(meeting):
    """The thresholds are named in the legend (no "60% WBK" on a bar, no
    "75% WBBM" cut at a phone's edge), each area's % stands right of the plot (no threshold line
    through it), and the figures are the readiness figures; "already meets WBK" needs "ya"."""
    from zi_dashboard.outputs.readiness_out import area_chart, gates_combined, gates_compact

    r = meeting.readiness
    fig = area_chart(r)
    texts = [a.text for a in fig.layout.annotations]
    assert L.READY["line_wbk"] not in texts and L.READY["line_wbbm"] not in texts
    assert {L.READY["line_wbk"], L.READY["line_wbbm"]} <= {t.name for t in fig.data if t.showlegend is not False}
    pct = [a for a in fig.layout.annotations if a.name == "pct"]
    assert [a.text for a in pct] == [L.fmt_pct(v) for v in r.areas["pct"]]
    assert all(a.xref == "paper" and a.x >= 1.0 and a.xanchor == "left" for a in pct)  # right of the plot
    assert not any(t.text for t in fig.data if t.type == "bar")  # no figure at a bar's end
    for table in (gates_combined(r), gates_compact(r)):
        assert not table.astype(str).apply(lambda c: c.str.contains("≥ ya")).to_numpy().any()
