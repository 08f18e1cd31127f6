"""The dashboard's forms are sent with their button only (no save by a stray Enter), except the
login, where Enter is what people press: every form of the package is made by ui.common.form, and
the forms a user meets (the LKE's areas, the TPI's deadlines, the upload's Simpan, Riwayat's date
correction; the login with Enter) reach the browser that way.  The browser side is in
tests/app/test_lke_browser.py (no hint shown while typing, the button still sends)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from conftest import ROOT, login
from test_history_page import store_two
from test_pages import _filled_template, app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def forms(at) -> dict[str, bool]:
    """Every form drawn, by its id: whether Enter in its fields sends it (Streamlit then shows its hint)."""
    found: dict[str, bool] = {}

    def walk(node) -> None:
        if getattr(node, "type", None) == "form":
            found[node.proto.form.form_id] = node.proto.form.enter_to_submit
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return found


def test_every_form_of_the_package_is_made_by_the_one_helper():
    calls = []
    for path in [*(ROOT / "zi_dashboard").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.attr == "form" and getattr(func.value, "id", "") == "st":
                calls.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}")
    assert len(calls) == 1 and calls[0].startswith("zi_dashboard/app/ui/common.py:"), calls


def test_the_login_is_sent_with_enter_and_the_lke_forms_with_their_button_only(temp_db):
    at = app("pages/jawaban_lke.py")
    at.sidebar.button(key="login_open").click().run()
    assert forms(at) == {"login": True}
    at = login(at)
    shown = forms(at)
    assert any(k.startswith("lke_form_") for k in shown) and any(k.startswith("review_deadline_") for k in shown)
    assert not any(shown.values()), shown


def test_the_upload_and_the_date_correction_forms_are_sent_with_their_button_only(temp_db):
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("progres-nov.xlsx", _filled_template(60, date(2025, 11, 20)), XLSX)).run()
    assert forms(at) == {"save": False}
    store_two(temp_db)
    at = login(app("pages/riwayat.py"))
    shown = forms(at)
    assert any(k.startswith("correct-") for k in shown) and not any(shown.values()), shown
