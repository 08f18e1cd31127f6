"""ZI Dashboard: the router and the shared sidebar.  `streamlit run app.py`"""

from pathlib import Path

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import service, ui

# the tab icon is an image of our own: a :material/...: page icon is fetched from Google's font server
st.set_page_config(
    page_title=L.APP_TITLE,
    page_icon=Path(__file__).parent / "assets" / "ikon-zi.png",
    layout="wide",
)

ui.gate_uploads()  # files only from editors' sessions (Streamlit takes them from any session)
ui.bounded_address()  # a forged address of megabytes is dropped before anything reads it
service.ensure_editor()  # first start with no editor configured: one is made, its password printed once

wp = ui.chosen_workplan()  # the unit and year shown: ?satker=…&tahun=…, the session's choice, or the home unit
several = ui.province_shown()
province = {  # every unit of a year: in the menu only when there are several units; /provinsi always answers
    L.PROVINCE["section"]: [
        st.Page(
            "pages/provinsi.py",
            title=L.PROVINCE["page"],
            icon=":material/grid_view:",
            url_path="provinsi",
            visibility="visible" if several else "hidden",
        ),
    ],
}
pages = st.navigation(
    {
        **province,
        wp.unit: [
            st.Page("pages/ringkasan.py", title=L.PAGES["overview"], icon=":material/dashboard:", default=True),
            st.Page("pages/linimasa.py", title=L.PAGES["timeline"], icon=":material/timeline:"),
            st.Page("pages/terlambat.py", title=L.PAGES["overdue"], icon=":material/warning:"),
            st.Page("pages/tabel.py", title=L.PAGES["table"], icon=":material/table:"),
            st.Page("pages/riwayat.py", title=L.PAGES["history"], icon=":material/history:"),
            st.Page("pages/kesiapan.py", title=L.PAGES["readiness"], icon=":material/verified:"),
            st.Page("pages/jawaban_lke.py", title=L.PAGES["lke"], icon=":material/fact_check:"),
        ],
        "Tim ZI": [
            st.Page("pages/unggah.py", title=L.PAGES["upload"], icon=":material/upload_file:"),
        ],
        L.MEETING["page"]: [  # reached from the sidebar's "Mode rapat" link, Ringkasan, or ?mode=rapat
            st.Page(
                "pages/rapat.py",
                title=L.MEETING["page"],
                icon=":material/co_present:",
                url_path="rapat",
                visibility="hidden",
            ),
        ],
    }
)
if st.query_params.get("mode") == "rapat" and pages.url_path != "rapat":
    # a link can start in Mode rapat: ...?mode=rapat (and at a view: &tampilan=3)
    kept = {k: v for k, v in st.query_params.items() if k in ("tampilan", "satker", "tahun")}
    st.switch_page("pages/rapat.py", query_params=kept)
if pages.url_path == "provinsi":
    ui.province_context(wp)  # the year and as-of date only: the unit box means nothing there
else:
    ui.hand_to_page(ui.meeting_context(wp) if pages.url_path == "rapat" else ui.shared_sidebar(wp))
pages.run()
