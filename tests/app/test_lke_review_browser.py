"""Penilaian TPI in headless Chromium (issue 23's done-test): an editor and a reviewer of the same
unit, each in their own browser session, go through a full round on Jawaban LKE (answer, submit,
review with one return, repair, resubmit, finish); the state and both totals show right on both
sides and in a third, viewer's session, and the returned question's history reads like a
conversation.  Screenshots go to ZI_SHOTS (else artifacts/screenshots/).

    python -m pytest tests/app/test_lke_review_browser.py -q
"""

from __future__ import annotations

import os

import pytest
from conftest import served_store
from test_browser import full_screenshot, open_page, settle
from test_lke_browser import PAGE, answer, log_in, shots_dir, total_card

from zi_dashboard import labels as L

pytestmark = pytest.mark.browser
K, P = L.LKE_PAGE, L.LKE_REVIEW_PAGE
EDITOR, REVIEWER = "Sekretaris Tim ZI", "Inspektur Satu"
PASSWORD = "uji-tpi-" + os.urandom(6).hex()
AREA = K["area_tab"].format(code="1")


@pytest.fixture(scope="module")
def server():
    from zi_dashboard.storage.auth import hash_password

    h = hash_password(PASSWORD)
    env = {
        "ZI_EDITORS": f"{EDITOR}:{h},{REVIEWER}:{h}",
        "ZI_EDITOR_UNITS": f"{EDITOR}=KPU Kota Tasikmalaya",
        "ZI_REVIEWER_UNITS": f"{REVIEWER}=KPU Kota Tasikmalaya",
    }
    with served_store("zi-tpi-browser-", env) as url:
        yield url


def session(browser, server, name: str | None):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    open_page(page, server, *PAGE)
    if name:
        log_in(page, name, PASSWORD)
    return ctx, page


def reload(server, page) -> None:
    open_page(page, server, *PAGE)  # the kept login comes back with the page


def state_shows(page, state: str, unit: str, tpi: str, returned: int) -> None:
    box = page.locator(".zi-review-state")
    box.get_by_text(L.LKE_REVIEW["state_" + state], exact=True).wait_for()
    assert P["totals"].format(unit=unit, tpi=tpi, returned=returned) in box.inner_text()


def open_sub_area(page) -> None:
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("tab", name=AREA, exact=True).click()
    main.locator('[data-testid="stExpander"]').filter(has_text="1.1 Penyusunan Tim Kerja").locator(
        "summary"
    ).first.click()
    settle(page)


def click(page, name: str) -> None:
    page.locator('[data-testid="stMain"]').get_by_role("button", name=name, exact=True).click()
    settle(page)


def test_a_full_round_between_an_editor_and_a_reviewer(browser, server):
    sessions = []
    try:
        for name in (EDITOR, REVIEWER):
            sessions.append(session(browser, server, name))
        (_, unit), (_, tpi) = sessions
        # the unit answers 1.1 a and b, and submits
        open_sub_area(unit)
        answer(unit, "Jawaban 1.1 a", "Ya (1,00)")
        answer(unit, "Jawaban 1.1 b", "B (0,50)")
        click(unit, K["save_area"].format(name=AREA))
        assert total_card(unit) == "0,38"
        click(unit, P["move_diajukan"])
        state_shows(unit, "diajukan", "0,38", "0,00", 0)
        # the reviewer agrees with a, returns b with a note
        reload(server, tpi)
        state_shows(tpi, "diajukan", "0,38", "0,00", 0)
        open_sub_area(tpi)
        answer(tpi, "Penilaian TPI 1.1 a", "Sesuai")
        answer(tpi, "Penilaian TPI 1.1 b", "Perlu perbaikan")
        tpi.get_by_label("Catatan TPI 1.1 b", exact=True).fill("SK belum ditandatangani")
        full_screenshot(tpi, shots_dir() / "tpi-reviewer-form-1366x768.png")
        click(tpi, P["save_area"].format(name=AREA))
        click(tpi, P["move_dinilai"])
        click(tpi, P["move_dikembalikan"])
        state_shows(tpi, "dikembalikan", "0,38", "0,25", 1)
        # the unit sees the return and its note, repairs b and resubmits
        reload(server, unit)
        state_shows(unit, "dikembalikan", "0,38", "0,25", 1)
        unit.get_by_text("SK belum ditandatangani").first.wait_for()
        open_sub_area(unit)
        answer(unit, "Jawaban 1.1 b", "A (1,00)")
        click(unit, K["save_area"].format(name=AREA))
        click(unit, P["move_diajukan_ulang"])
        state_shows(unit, "diajukan_ulang", "0,50", "0,25", 1)
        # the reviewer agrees and finishes: proposed
        reload(server, tpi)
        open_sub_area(tpi)
        answer(tpi, "Penilaian TPI 1.1 b", "Sesuai")
        click(tpi, P["save_area"].format(name=AREA))
        click(tpi, P["move_diusulkan"])
        state_shows(tpi, "diusulkan", "0,50", "0,50", 0)
        full_screenshot(tpi, shots_dir() / "tpi-reviewer-1366x768.png")
        reload(server, unit)
        state_shows(unit, "diusulkan", "0,50", "0,50", 0)
        assert unit.locator('[data-testid="stMain"]').get_by_role("button", name=P["move_diajukan"]).count() == 0
        # a viewer reads both, and the conversation of 1.1 b
        sessions.append(session(browser, server, None))
        viewer = sessions[-1][1]
        state_shows(viewer, "diusulkan", "0,50", "0,50", 0)
        open_sub_area(viewer)
        history = viewer.locator('[data-testid="stMain"]').get_by_text(f"{REVIEWER} (TPI): Perlu perbaikan")
        history.first.wait_for()
        text = viewer.locator('[data-testid="stMain"]').inner_text()
        for said in (
            f"{EDITOR} (unit) menjawab B",
            f"{REVIEWER} (TPI): Perlu perbaikan",
            "«SK belum ditandatangani»",
            f"{EDITOR} (unit) menjawab A",
            f"{REVIEWER} (TPI): Sesuai, jawaban TPI A\n",  # the note is said once, not repeated
        ):
            assert said in text, said
        full_screenshot(viewer, shots_dir() / "tpi-viewer-1366x768.png")
    except Exception:
        for i, (_, pg) in enumerate(sessions):
            full_screenshot(pg, shots_dir() / f"tpi-failed-{i}.png")
        raise
    finally:
        for c, _ in sessions:
            c.close()
