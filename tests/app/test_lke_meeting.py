"""The score from LKE answers in the meeting: the HTML report, the Excel pack and Mode rapat show it
(total, Pengungkit, WBK/WBBM) beside the forecast from the plan, labelled, once answers are saved;
before that they show the forecast alone."""

import io
from datetime import date

import openpyxl
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import service
from zi_dashboard.app.service import MEETING_SLIDES
from zi_dashboard.outputs.readiness_out import n2
from zi_dashboard.reading.lke_answers import Answer

AS_OF = date(2025, 11, 15)


def save_answers():
    wp = service.home()
    instrument = service_lke.instrument_for(wp)
    answers = {q.row: Answer(q.row, q.options[0][0]) for q in instrument.questions if q.options}
    answers[199] = Answer(199, 3.5)
    service_lke.save_answers(answers, "Admin TI", "LKE ZI.xlsx", wp, rights=service_lke.OPERATOR)
    return service_lke.score_in_use(wp)[0]


def test_the_pack_shows_the_score_from_answers_beside_the_forecast(temp_db):
    ctx = service.context_for(AS_OF, None, service.current_dataset())
    assert "lke-jawaban" not in service.pack("html", ctx).decode()
    assert L.LKE_MEETING["sheet"] not in openpyxl.load_workbook(io.BytesIO(service.pack("xlsx", ctx))).sheetnames
    result = save_answers()
    page = service.pack("html", ctx).decode()
    section = page.split("<section id='lke-jawaban'>")[1].split("</section>")[0]
    assert f"total {n2(result.total)}" in section and f"Pengungkit {n2(result.pengungkit)}" in section
    assert L.LKE_PAGE["col_forecast"] in section and "PERKIRAAN" in section
    assert "Predikat WBK" in section
    wb = openpyxl.load_workbook(io.BytesIO(service.pack("xlsx", ctx)))
    ws = wb[L.LKE_MEETING["sheet"]]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any(f"total {n2(result.total)}" in str(c) for c in cells)
    assert L.LKE_PAGE["col_forecast"] in cells and L.LKE_PAGE["row_pengungkit"] in cells


def test_mode_rapat_says_the_score_from_answers_above_the_forecast(temp_db):
    view = str(MEETING_SLIDES.index("readiness") + 1)

    def slide():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["mode"] = "rapat"
        at.query_params["tampilan"] = view
        at.run()
        assert not at.exception
        return [m.value for m in at.markdown]

    assert not any("Nilai dari jawaban LKE" in m for m in slide())
    result = save_answers()
    line = next(m for m in slide() if "Nilai dari jawaban LKE" in m)
    assert f"total {n2(result.total)}" in line and "WBK" in line and "#1" in line
