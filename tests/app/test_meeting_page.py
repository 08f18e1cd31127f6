"""Mode rapat through the router: every view renders, in a fixed order, with no controls; the
meeting pack downloads from Ringkasan; charts download as PNG with Indonesian names."""

import json
from datetime import date

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.app.service import MEETING_SLIDES

ORDER = [L.MEETING_VIEWS[k] for k in MEETING_SLIDES]


def app():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    return at


def test_views_in_fixed_order_without_controls(temp_db):
    at = app()
    at.sidebar.date_input[0].set_value(date(2025, 12, 1)).run()
    at.switch_page("pages/rapat.py").run()
    seen = []
    for _ in range(len(ORDER) + 1):
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.date_input) == 0 and len(at.selectbox) == 0 and len(at.multiselect) == 0
        assert len(at.sidebar.children) == 0 or not any(True for _ in at.sidebar.date_input)
        seen.append(at.header[0].value)
        corner = [m.value for m in at.markdown if "class='zi-corner'" in m.value]
        assert corner and "1 Desember 2025" in corner[0] and "Data contoh" in corner[0]
        assert "KPU Kota Tasikmalaya Tahun 2025 · " in corner[0]  # whose data, on the projector
        at.button(key="meeting-next").click().run()
    assert seen == ORDER + ORDER[:1]  # and round again
    assert at.header[0].value == ORDER[1]
    at.button(key="meeting-prev").click().run()
    at.button(key="meeting-prev").click().run()
    assert at.header[0].value == ORDER[-1]  # back past the first view to the last
    # the chosen date is still there after the meeting
    at.switch_page("pages/ringkasan.py").run()
    assert at.sidebar.date_input[0].value == date(2025, 12, 1)


def test_a_link_starts_in_meeting_mode_at_a_view(temp_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["mode"] = "rapat"
    at.query_params["tampilan"] = "4"
    at.run()
    assert not at.exception
    assert at.header[0].value == ORDER[3]
    assert len(at.date_input) == 0
    table = at.table[0].value
    assert list(table.index) == ["1.2"]  # the overdue row, with its PIC
    assert "PIC" in table.columns


def test_views_show_charts_and_tables(temp_db):
    at = app()
    at.switch_page("pages/rapat.py").run()
    at.button(key="meeting-next").click().run()
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    config = json.loads(charts[0].proto.config)
    assert config["toImageButtonOptions"]["scale"] == 2
    assert config["toImageButtonOptions"]["filename"] == "grafik-komponen-kota-tasikmalaya-tahun-2025-posisi-2025-11-15"
    assert config["displayModeBar"] is False  # no toolbar on a slide
    at.button(key="meeting-next").click().run()
    # the timeline: every row in a list of large type (a Gantt of every row does not fit 768 px)
    timeline = [m.value for m in at.markdown if "class='zi-tl-list zi-tl-meeting'" in m.value]
    assert len(timeline) == 1 and len(at.get("plotly_chart")) == 0
    assert timeline[0].count("class='zi-tl-row'") == 25
    assert "1.2 Rencana Pembangunan ZI" in timeline[0] and "15 hari terlambat" in timeline[0]


def test_overview_charts_download_as_png_with_indonesian_names_and_pack_buttons(temp_db):
    at = app()
    names = [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in at.get("plotly_chart")]
    assert names == [
        "grafik-komponen-kota-tasikmalaya-tahun-2025-posisi-2025-11-15",
        "grafik-status-per-komponen-kota-tasikmalaya-tahun-2025-posisi-2025-11-15",
    ]
    keys = [b.key for b in at.get("download_button")]
    assert "pack-html" in keys and "pack-xlsx" in keys
