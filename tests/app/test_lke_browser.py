"""Jawaban LKE in headless Chromium: an editor logs in, answers a question of the LKE in the area's
form, saves, and sees the total from answers move, at 1920x1080 and 1366x768; the page is
photographed at 1920, 1366 and on a 390x844 phone (ZI_SHOTS, else artifacts/screenshots/).

    python -m pytest tests/app/test_lke_browser.py -q
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import served_store
from playwright.sync_api import expect
from test_browser import SHOTS, full_screenshot, open_page, settle

from zi_dashboard import labels as L

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
K = L.LKE_PAGE
EDITOR = "Sekretaris Tim ZI"
PASSWORD = "uji-lke-" + os.urandom(6).hex()
PAGE = ("/jawaban_lke", L.PAGES["lke"])


@pytest.fixture(scope="module")
def server():
    from zi_dashboard.storage.auth import hash_password

    with served_store("zi-lke-browser-", {"ZI_EDITORS": f"{EDITOR}:{hash_password(PASSWORD)}"}) as url:
        yield url


def shots_dir() -> Path:
    return Path(os.environ.get("ZI_SHOTS") or SHOTS)


def total_card(page) -> str:
    card = page.locator(".zi-lke-kpis .zi-kpi").filter(has_text=K["card_total"])
    return card.locator(".zi-kpi-value").inner_text().strip()


def log_in(page, name: str = EDITOR, password: str = PASSWORD, typed=None, by_enter: bool = False) -> None:
    """Log in with the sidebar's form; `typed(sidebar)`, when given, looks at the form once both
    fields are typed in (the password still focused), before it is sent (by Enter in the
    password field when by_enter, else by the button)."""
    side = page.locator('[data-testid="stSidebar"]')
    side.get_by_role("button", name="Masuk (Tim ZI)").click()
    settle(page)
    side.get_by_role("textbox", name="Nama editor", exact=True).fill(name)
    side.get_by_label("Kata sandi", exact=True).fill(password)
    if typed is not None:
        typed(side)
    if by_enter:
        side.get_by_label("Kata sandi", exact=True).press("Enter")
    else:
        side.get_by_role("button", name="Masuk", exact=True).click()
    side.get_by_text(f"Masuk sebagai {name}").wait_for()
    settle(page)


def open_first_sub_area(page):
    """Area 1's tab and its first sub-area (1.1) opened; the main part of the page."""
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("tab", name=K["area_tab"].format(code="1"), exact=True).click()
    main.locator('[data-testid="stExpander"]').filter(has_text="1.1 Penyusunan Tim Kerja").locator(
        "summary"
    ).first.click()
    return main


def answer(page, label: str, option: str) -> None:
    """Choose an option in a question's answer box (a Streamlit selectbox)."""
    box = page.get_by_label(label, exact=True)
    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(4):  # a click while the page still reruns may not open the list, or
        box.click()  # the list may be drawn again under the pointer: open it again then
        try:
            choice.wait_for(timeout=3_000)
            choice.click(timeout=5_000)
            break
        except Exception:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
            settle(page)
    choice.wait_for(state="hidden")  # the list has closed on the chosen answer
    settle(page)


@pytest.mark.parametrize(
    "width,height,label,option,expected",
    [
        (1920, 1080, "Jawaban 1.1 a", "Ya (1,00)", "0,25"),
        (1366, 768, "Jawaban 1.1 b", "A (1,00)", "0,50"),
    ],
)
def test_an_editor_answers_and_the_total_moves(browser, server, width, height, label, option, expected):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    try:
        open_page(page, server, *PAGE)
        before = total_card(page)
        log_in(page)
        main = open_first_sub_area(page)
        answer(page, label, option)
        main.get_by_role("button", name=K["save_area"].format(name=K["area_tab"].format(code="1"))).click()
        settle(page)
        page.get_by_text("Jawaban LKE disimpan sebagai set").wait_for()
        assert total_card(page) == expected != before
        full_screenshot(page, shots_dir() / f"lke-editor-{width}x{height}.png")
    finally:
        ctx.close()


# Streamlit's own hint under a typed field of a form ("Press Enter to submit form", "Press
# ⌘+Enter to submit form"), in English: the dashboard's forms are sent with their button only,
# the login by Enter too, with the hint in Indonesian.
HINT = '[data-testid="InputInstructions"]'


def no_english_hint(scope) -> None:
    """Under the typed fields Streamlit's character count ("20/256") and, for the login, the
    Indonesian Enter hint; no English."""
    expect(scope).not_to_contain_text("Press")  # the translator swaps it in the next frame
    shown = scope.locator(HINT).all_inner_texts()
    assert all(re.fullmatch(r"(Tekan \S*Enter untuk mengirim formulir)?\s*(\d+/\d+)?", t.strip()) for t in shown), shown
    assert "Press" not in scope.inner_text() and "submit form" not in scope.inner_text()


def test_the_forms_show_no_english_hint_and_are_sent_with_their_button(browser, server):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    try:
        open_page(page, server, *PAGE)
        log_in(page, typed=no_english_hint, by_enter=True)  # typed, the password focused: the hint
        main = open_first_sub_area(page)
        main.get_by_label(K["input_links"].format(label="1.1 a"), exact=True).fill("https://contoh.go.id/sk-tim")
        no_english_hint(main)
        main.get_by_label(K["input_note"].format(label="1.1 a"), exact=True).fill("SK tim kerja")
        no_english_hint(main)
        page.screenshot(path=str(shots_dir() / "lke-form-typed-1366x768.png"))
        main.get_by_role("button", name=K["save_area"].format(name=K["area_tab"].format(code="1"))).click()
        settle(page)
        page.get_by_text("Jawaban LKE disimpan sebagai set").wait_for()
    finally:
        ctx.close()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768), (390, 844)])
def test_the_page_as_a_viewer_sees_it(browser, server, width, height):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    try:
        open_page(page, server, *PAGE)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_text(K["compare_title"]).wait_for()
        overflow = page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth"
            " - document.querySelector('[data-testid=\"stMain\"]').clientWidth"
        )
        assert overflow <= 1, f"the page runs {overflow} px off the screen sideways at {width}"
        full_screenshot(page, shots_dir() / f"lke-{width}x{height}.png")
    finally:
        ctx.close()
