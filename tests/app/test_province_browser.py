"""Semua Satker in headless Chromium: a province's 27 units (the 18 kabupaten and 9 kota of one
province) at 1366x768 and on a 390x844 phone: the page never runs off the screen sideways, the
matrix is readable (its own sideways scroll on a phone, the unit names pinned), the filtered
download holds exactly the rows shown.  Screenshots go to artifacts/screenshots/.

    python -m pytest tests/app/test_province_browser.py -q
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import served_store
from streamlit_server import eventually
from test_browser import SHOTS, _too_wide, full_screenshot, open_page, settle
from test_province_page import progress_file

from zi_dashboard import labels as L

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
P = L.PROVINCE

KABUPATEN = [
    "Bogor",
    "Sukabumi",
    "Cianjur",
    "Bandung",
    "Garut",
    "Tasikmalaya",
    "Ciamis",
    "Kuningan",
    "Cirebon",
    "Majalengka",
    "Sumedang",
    "Indramayu",
    "Subang",
    "Purwakarta",
    "Karawang",
    "Bekasi",
    "Bandung Barat",
    "Pangandaran",
]
KOTA = ["Bogor", "Sukabumi", "Bandung", "Cirebon", "Bekasi", "Depok", "Cimahi", "Tasikmalaya", "Banjar"]
UNITS = [f"KPU Kabupaten {k}" for k in KABUPATEN] + [f"KPU Kota {k}" for k in KOTA]
NEVER = {"KPU Kabupaten Cianjur", "KPU Kota Banjar"}  # a plan, no upload yet
NO_PLAN = "KPU Kabupaten Pangandaran"  # listed, no plan for the year
SIZES = [(1366, 768), (390, 844)]
AS_OF = "25/11/2025"  # the figures a week after the uploads' position date: a mix of standings


def set_as_of(page, text: str) -> None:
    """Type a date into the sidebar's as-of box (opening the sidebar on a phone, closing it after)."""
    side = page.locator('[data-testid="stSidebar"]')
    day = side.locator('[data-testid="stDateInput"] [data-type="day"]')  # day, month, year: one field each
    opened = False
    if not day.is_visible():
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        day.wait_for(state="visible")
        opened = True
    day.focus()
    page.keyboard.type(text.replace("/", ""), delay=40)
    page.keyboard.press("Escape")  # the calendar closes; leaving the field sends the date
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    settle(page)
    if opened:
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for(state="attached")


@pytest.fixture(scope="module")
def server():
    """A store with the 27 units' 2025 plans and uploads, made through the service as the CLI
    makes it; the server reads it."""

    def fill() -> None:
        from test_province_page import add_unit

        from zi_dashboard.app import service

        service.home()  # KPU Kota Tasikmalaya 2025, the bundled plan
        for n, unit in enumerate(UNITS):
            if unit == NO_PLAN:
                continue
            upload = None if unit in NEVER else progress_file({"1.1": 100}, (n * 37) % 101, date(2025, 11, 20))
            if unit == "KPU Kota Tasikmalaya":
                if upload is not None:
                    check = service.check_upload(upload, "progres.xlsx", wp=service.home())
                    service.save_upload(check, "Operator", date(2025, 11, 20), rights=service.OPERATOR)
                continue
            add_unit(unit, 2025, upload, date(2025, 11, 20) if upload else None)

    with served_store("zi-province-", {"ZI_UNITS": "|".join(UNITS)}, fill) as url:
        yield url


MATRIX = """() => {
    const w = document.querySelector('.zi-matrix-wrap'), t = document.querySelector('.zi-matrix');
    const name = document.querySelector('.zi-matrix td.zi-m-unit'), big = document.querySelector('.zi-m-big');
    const r = w.getBoundingClientRect();
    return {wrapLeft: r.left, wrapRight: r.right, wrapScroll: w.scrollWidth, wrapClient: w.clientWidth,
            rows: t.querySelectorAll('tbody tr').length, nameWidth: name.getBoundingClientRect().width,
            bigFont: parseFloat(getComputedStyle(big).fontSize),
            nameSticky: getComputedStyle(name).position};
}"""


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_province_page_fits_the_screen(server, browser, size):
    width, height = size
    ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    try:
        open_page(page, server, "/provinsi", P["page"])
        set_as_of(page, AS_OF)
        page.get_by_text("Posisi per 25 November 2025").wait_for(timeout=10_000)
        page.locator(".zi-matrix").wait_for()
        wide = eventually(page, _too_wide)
        assert wide is None, f"{width}: page too wide {wide}"
        m = page.evaluate(MATRIX)
        assert m["rows"] == 27 and m["wrapRight"] <= width + 1, m  # every unit, within the screen
        assert m["bigFont"] >= 15 and m["nameSticky"] == "sticky", m  # readable; names stay in view
        if width < 500:  # a phone: the matrix scrolls sideways in its own frame, the page does not
            assert m["wrapScroll"] > m["wrapClient"] and m["nameWidth"] <= 160, m
        else:  # a projector: the whole matrix at once
            assert m["wrapScroll"] <= m["wrapClient"] + 1, m
        full_screenshot(page, SHOTS / f"provinsi-{width}x{height}.png")
        page.locator(".zi-matrix-wrap").screenshot(path=str(SHOTS / f"provinsi-matriks-{width}x{height}.png"))
    finally:
        ctx.close()


def test_filtered_download_holds_the_rows_shown(server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    try:
        open_page(page, server, "/provinsi", P["page"])
        box = page.get_by_role("textbox", name=P["filter_text"])
        box.fill("kota")
        box.press("Enter")
        settle(page)
        assert page.locator(".zi-matrix tbody tr").count() == 9
        with page.expect_download() as dl:
            page.get_by_role("button", name=L.UI["download_csv"], exact=True).click()
        assert dl.value.suggested_filename.startswith("semua-satker-2025-posisi-")
        text = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        head = next(i for i, r in enumerate(rows) if r and r[0] == P["col_rank"])
        assert any("Saringan" in " ".join(r) and "kota" in " ".join(r) for r in rows[:head])
        names = [r[1] for r in rows[head + 1 :] if r]
        assert sorted(names) == sorted(u for u in UNITS if u.startswith("KPU Kota"))
        with page.expect_download() as dl:
            page.get_by_role("button", name=L.UI["download_xlsx"]).click()
        ws = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).active
        col = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
        assert sorted(col[col.index(P["col_unit"]) + 1 :]) == sorted(names)
    finally:
        ctx.close()
