"""The router: the pages of the navigation and the sidebar drawn before each (app.py runs it).

A page draws from what the router left for it in this run (context(), province_choice()).  A
page file can also start a run by itself: Streamlit keeps a relic of its first multipage
design, and while no session of the server has yet called st.navigation, an app with a
`pages/` folder runs a deep-linked page file on its own (a fresh server opened at /linimasa,
and every AppTest.switch_page run).  Such a page calls route() in its place, in this same run
(so the clicks and uploads of the run are kept): the router draws the sidebar and runs this
page again through st.navigation, which then finds what the router left, and the outer run
stops.  Only public Streamlit calls (st.navigation, StreamlitPage.run, st.stop);
tests/app/test_router.py pins the behaviour to the Streamlit version in use.
"""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import Context
from zi_dashboard.app.ui import portfolio, sidebar, upload_gate
from zi_dashboard.app.ui.common import bounded_address
from zi_dashboard.reading.resources import PROJECT

ICON = PROJECT / "assets" / "ikon-zi.png"  # an image of our own: a :material/...: page icon is fetched from Google


def route() -> StreamlitPage:
    """Set the page up, draw the sidebar the chosen page needs and leave its choices for it;
    the page to run (`.run()`)."""
    st.set_page_config(page_title=L.APP_TITLE, page_icon=ICON, layout="wide")
    upload_gate.install()  # files only from editors' sessions (Streamlit takes them from any session)
    bounded_address()  # a forged address of megabytes is dropped before anything reads it
    service.ensure_editor()  # first start with no editor configured: one is made, its password printed once

    wp = sidebar.chosen_workplan()  # the unit and year shown: ?satker=…&tahun=…, the session's choice, or home
    several = portfolio.shown()
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
    if pages.url_path == portfolio.PAGE_PATH:
        portfolio.province_context(wp)  # the year and as-of date only: the unit box means nothing there
    else:
        sidebar.hand_to_page(sidebar.meeting_context(wp) if pages.url_path == "rapat" else sidebar.shared_sidebar(wp))
    return pages


def _run_router_instead() -> NoReturn:
    """A page file run on its own (see the module's note): the router runs it again, then stop."""
    route().run()
    st.stop()


def context() -> Context:
    """The shared state for the page being drawn (the Context the router left for this run)."""
    ctx = sidebar.left_context()
    if ctx is None:
        _run_router_instead()
    return ctx


def province_choice() -> tuple[int, date | None]:
    """Semua Satker's year and as-of date, as the router left them for this run."""
    choice = portfolio.left_choice()
    if choice is None:
        _run_router_instead()
    return choice
