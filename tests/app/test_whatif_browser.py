"""In a real browser: after a self-assessment is saved on Kesiapan, Simulasi's
inputs show the saved values in the same session (the browser keeps a widget's own value unless
the server sets it: a test without a browser cannot see that)."""

import tempfile
from pathlib import Path

import pytest
from conftest import EDITOR, EDITOR_PASSWORD, ROOT, editor_hash, started
from playwright.sync_api import expect
from streamlit_server import StreamlitServer
from test_browser import settle, submit_login
from test_readiness_page import sheet


@pytest.mark.browser
def test_simulasi_shows_the_values_just_saved(browser):
    tmp = Path(tempfile.mkdtemp(prefix="zi-whatif-"))
    (tmp / "penilaian.xlsx").write_bytes(sheet({"R1": 3, "IPAK": "3,7", "IPKP": 3.4, "KINERJA": 4}))
    srv = started(
        StreamlitServer(
            "app.py",
            ROOT,
            {"ZI_DATABASE_URL": f"sqlite:///{tmp / 'zi.sqlite'}", "ZI_EDITORS": f"{EDITOR}:{editor_hash()}"},
        )
    )
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(30_000)
        page.goto(srv.url + "/kesiapan")
        page.get_by_role("heading", name="Kesiapan", level=1).wait_for()
        settle(page)
        submit_login(page, EDITOR_PASSWORD)
        settle(page)
        page.get_by_role("tab", name="Simulasi").click()
        settle(page)
        inputs = page.get_by_role("tabpanel", name="Simulasi").locator('[data-testid="stTextInput"] input')
        inputs.first.wait_for()
        # nothing saved yet: the inputs are empty or show zero (the server fills them in a later run)
        assert {inputs.nth(i).input_value() for i in range(3)} <= {"", "0,00"}
        page.get_by_role("tab", name="Penilaian mandiri").click()
        with page.expect_file_chooser() as chooser:
            page.locator('[data-testid="stFileUploader"]').last.locator("button").first.click()
        chooser.value.set_files(str(tmp / "penilaian.xlsx"))
        page.get_by_text("Penilaian mandiri disimpan").wait_for()
        settle(page)
        page.get_by_role("tab", name="Simulasi").click()
        settle(page)
        expect(inputs.first).to_have_value("3,70", timeout=30_000)
        assert [inputs.nth(i).input_value() for i in range(3)] == ["3,70", "3,40", "4,00"]
        assert page.get_by_text("(±0,00 poin)").is_visible()
        page.close()
    finally:
        srv.stop()
