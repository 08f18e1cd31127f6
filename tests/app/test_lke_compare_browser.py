"""Mandiri vs TPI in the browser: Kesiapan's section, Mode rapat's view on a projector (one screen
at 1920x1080, no text under 20 px) and Semua Satker's columns, at 1920x1080 and on a phone (nothing
wider than the screen).  Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import served_store
from test_browser import IDLE, SHOTS, full_screenshot, settle
from test_browser_look import MEETING_FIT, SMALL_TEXT, _too_wide
from tpi_builders import REVIEWERS, save_both

from zi_dashboard import labels as L
from zi_dashboard.app.service import MEETING_SLIDES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
C = L.LKE_COMPARE
OTHER = "KPU Kabupaten Garut"
SIZES = [(1920, 1080), (390, 844)]


@pytest.fixture(scope="module")
def server():
    """The home unit with both levels' answers, and a second unit (so Semua Satker is shown)."""

    def fill() -> None:
        from test_province_page import add_unit

        from zi_dashboard.app import service

        wp = service.home()
        save_both(wp)
        add_unit(OTHER, wp.year)

    with served_store("zi-tpiview-", {"ZI_REVIEWER_UNITS": REVIEWERS}, fill) as url:
        yield url


def goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0, url


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_both_scores_on_kesiapan_mode_rapat_and_semua_satker(server, browser, size):
    width, height = size
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        goto(page, server + "/kesiapan")
        page.get_by_role("heading", name=C["title"]).scroll_into_view_if_needed()
        cards = page.locator(".zi-tpi-kpis").inner_text()
        assert "21,67" in cards and "19,04" in cards and "−2,63" in cards
        assert _too_wide(page) is None
        page.screenshot(path=str(SHOTS / f"kesiapan-tpi-{width}x{height}.png"))

        goto(page, server + f"/?mode=rapat&tampilan={MEETING_SLIDES.index('tpi') + 1}")
        page.get_by_role("heading", name=L.MEETING_VIEWS["tpi"], level=2).wait_for()
        assert "21,67" in page.locator(".zi-tpi-kpis").inner_text()
        if width >= 1920:  # a projector: one screen, nothing under 20 px
            m = page.evaluate(MEETING_FIT % json.dumps(L.MEETING["next"]))
            assert m["scroll"] <= m["client"] + 1 and m["buttonBottom"] <= m["inner"], m
            assert page.evaluate(SMALL_TEXT) == []
        assert _too_wide(page) is None
        page.screenshot(path=str(SHOTS / f"rapat-tpi-{width}x{height}.png"))

        goto(page, server + "/provinsi")
        page.get_by_role("heading", name=L.PROVINCE["page"], level=1).wait_for()
        assert page.get_by_text(C["province_note"]).count() == 1
        assert _too_wide(page) is None
        full_screenshot(page, SHOTS / f"provinsi-tpi-{width}x{height}.png")
    finally:
        ctx.close()
