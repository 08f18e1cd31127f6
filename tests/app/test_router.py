"""The router (zi_dashboard/app/ui/router.py) and the one Streamlit behaviour it relies on.

Streamlit runs a deep-linked page file on its own while no session has yet called
st.navigation in an app with a pages/ folder (AppTest.switch_page runs every switched-to page
that way).  The page then hands the run to the router: the sidebar is drawn once and the page
once.  If a Streamlit upgrade changes that, these tests say so."""

import ast

import pytest
import streamlit
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L


def switched(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("page", "title"), [("pages/linimasa.py", "timeline"), ("pages/kesiapan.py", "readiness")])
def test_a_page_run_on_its_own_is_drawn_once_with_its_sidebar(temp_db, page, title):
    at = switched(page)
    assert [t.value for t in at.title].count(L.PAGES[title]) == 1, (streamlit.__version__, [t.value for t in at.title])
    assert len(at.sidebar.date_input) == 1  # the shared sidebar, drawn once
    assert at.sidebar.date_input[0].label == L.UI["as_of"]


def test_the_province_page_run_on_its_own_gets_its_year_from_the_router(temp_db):
    at = switched("pages/provinsi.py")
    assert [t.value for t in at.title] == [L.PROVINCE["page"]]


def test_no_page_or_router_runs_code_with_exec_or_imports_streamlit_internals():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "zi_dashboard").rglob("*.py"))]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("exec", "eval", "compile"), f"{path}: {node.func.id}()"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit."):
                # upload_gate.py is the one module that holds a Streamlit behaviour (tests/test_upload_gate.py)
                public = node.module.startswith(("streamlit.testing", "streamlit.navigation.page"))
                assert public or path.name == "upload_gate.py", f"{path}: from {node.module} import ..."
