"""The app as a user sees it: every page in headless Chromium, the upload flow, the table export.

    python -m pytest tests/app/test_browser.py -q

How the pages look at every size (and Streamlit's words in Indonesian): test_browser_look.py.

Starts `streamlit run app.py` on a free port with its own temporary database
(ZI_DATABASE_URL), so the real store is never touched, and drives it with Playwright using the
Debian Chromium at /usr/bin/chromium (CI installs it; if it is missing the tests fail, they
are not skipped).  Full-page screenshots of every page at 1920x1080, 1366x768 and 390x844 go to
artifacts/screenshots/.

Uploading is for editors only: the server gets one editor through ZI_EDITORS (name and a
scrypt hash of a password made up here), and the upload tests log in through the sidebar's
"Masuk (Tim ZI)" form first.

The tests share one server and run in file order: the page tour expects the example data
("Data contoh"), the upload test then replaces it.  The invalid-upload and table tests work
with whatever data is in use.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import started
from playwright.sync_api import expect
from streamlit_server import NEXT_PAINT, StreamlitServer, settle

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


SHOTS = ROOT / "artifacts" / "screenshots"
SIZES = [(1920, 1080), (1366, 768)]
ALL_SIZES = [*SIZES, (390, 844)]  # and a phone
# (file stem, URL path, title shown as h1)
PAGES = [
    ("ringkasan", "/", "Ringkasan"),
    ("linimasa", "/linimasa", "Linimasa"),
    ("terlambat", "/terlambat", "Terlambat"),
    ("tabel", "/tabel", "Tabel"),
    ("riwayat", "/riwayat", "Riwayat"),
    ("unggah", "/unggah", "Unggah berkas progres"),
    ("kesiapan", "/kesiapan", "Kesiapan"),
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# the pages' own style sheet is in place (it comes in a markdown element, drawn by a part of
# Streamlit's page loaded on demand: on a busy machine it can arrive after the content)
STYLED = "() => [...document.querySelectorAll('style')].some((s) => s.textContent.includes('.zi-kpis'))"
EXCEPTION = '[data-testid="stException"]'
PLOT = '.js-plotly-plot, [data-testid="stPlotlyChart"]'
PLOT_DRAWN = ".js-plotly-plot .main-svg"
UPLOAD_NAME = "progres-zi-uji-browser.xlsx"
EDITOR = "Sekretaris Tim ZI"
PASSWORD = "uji-browser-" + os.urandom(6).hex()
PROGRESS_UPLOADER = "Pilih berkas progres (.xlsx atau .csv)"


# --- the server ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def db_url():
    tmp = tempfile.mkdtemp(prefix="zi-browser-")
    yield f"sqlite:///{tmp}/zi.sqlite"
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def server(db_url):
    from zi_dashboard.storage.auth import hash_password

    srv = StreamlitServer(
        "app.py", ROOT, {"ZI_DATABASE_URL": db_url, "ZI_EDITORS": f"{EDITOR}:{hash_password(PASSWORD)}"}
    )
    started(srv)
    yield srv.url
    srv.stop()


@pytest.fixture
def page(browser):
    """A fresh context (fresh Streamlit session) per test."""
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    pg = ctx.new_page()
    yield pg
    ctx.close()


# --- helpers -----------------------------------------------------------------------------
def open_page(page, base: str, path: str, title: str) -> None:
    """Go to a page and wait until its script has run; fail with the app's traceback if the
    page shows an exception instead of its title."""
    page.goto(base + path)
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_selector(f"h1, {EXCEPTION}", timeout=30_000)
    settle(page)
    assert_no_exception(page, path)
    page.get_by_role("heading", name=title, level=1).wait_for()
    page.wait_for_function(STYLED, timeout=30_000)


def assert_no_exception(page, where: str) -> None:
    n = page.locator(EXCEPTION).count()
    if n:
        text = "\n---\n".join(page.locator(EXCEPTION).all_inner_texts())
        pytest.fail(f"{where}: {n} exception(s) shown by the app:\n{text}")


def full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside <main data-testid=stMain>, so Playwright's full_page only gets
    the viewport: grow the viewport to the content's height for the shot, then put it back."""
    size = page.viewport_size
    height = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]');
        const s = document.querySelector('[data-testid="stSidebarContent"]');
        return Math.max(m ? m.scrollHeight : 0, s ? s.scrollHeight : 0, window.innerHeight);
    }""")
    path.parent.mkdir(parents=True, exist_ok=True)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": int(height)})
        page.evaluate(NEXT_PAINT)  # plotly and the data grids redraw at the new size
        page.wait_for_function(PLOTS_FIT)
    page.screenshot(path=str(path), full_page=True)
    if height > size["height"]:
        page.set_viewport_size(size)


PLOTS_FIT = """() => [...document.querySelectorAll('.js-plotly-plot')].every(p => {
    const svg = p.querySelector('.main-svg');
    return !svg || Math.abs(svg.getBoundingClientRect().width - p.getBoundingClientRect().width) <= 2;
})"""


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def filled_template(as_of: date = date(2025, 11, 20)) -> bytes:
    from zi_dashboard.outputs.template import build_template
    from zi_dashboard.reading.plan import BUNDLED_UNIT, load_plan

    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan(), BUNDLED_UNIT)))
    ws = wb["Progres"]
    assert ws["A5"].value == "Kode" and ws["G5"].value == "Progres (%)", "template layout changed"
    ws["C3"] = as_of
    r = 6
    while ws.cell(row=r, column=1).value:
        ws.cell(row=r, column=7, value=100 if str(ws.cell(row=r, column=1).value) == "1.1" else 50)
        r += 1
    assert r - 6 == 25, f"expected 25 plan rows in the template, found {r - 6}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def submit_login(page, password: str) -> None:
    """Open the sidebar's login form and send the test editor's name with a password."""
    side = sidebar(page)
    side.get_by_role("button", name="Masuk (Tim ZI)").click()
    settle(page)
    side.get_by_role("textbox", name="Nama editor", exact=True).fill(EDITOR)
    side.get_by_label("Kata sandi", exact=True).fill(password)
    side.get_by_role("button", name="Masuk", exact=True).click()
    settle(page)


def log_in(page) -> None:
    """Log in as the test's editor with the sidebar form."""
    submit_login(page, PASSWORD)
    sidebar(page).get_by_text(f"Masuk sebagai {EDITOR}").wait_for()
    settle(page)


def upload(page, path: Path) -> None:
    box = page.locator('[data-testid="stFileUploader"]').filter(has_text=PROGRESS_UPLOADER)
    with page.expect_file_chooser() as fc:
        box.locator('[data-testid="stFileUploaderDropzone"] button').click()
    fc.value.set_files(str(path))
    page.get_by_text("Hasil pemeriksaan berkas").wait_for()
    settle(page)


def store_count(db_url: str) -> int:
    from zi_dashboard.storage.store import open_store

    store = open_store(db_url)
    try:
        return store.count()
    finally:
        store.dispose()


def current_snapshot_id(db_url: str) -> int | None:
    from zi_dashboard.storage.store import open_store

    store = open_store(db_url)
    try:
        snap = store.current()
        return None if snap is None else snap.id
    finally:
        store.dispose()


# --- (a) every page renders, at two sizes -------------------------------------------------
def test_every_page_renders(server, browser):
    for width, height in SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        ctx.set_default_timeout(30_000)
        page = ctx.new_page()
        try:
            for stem, path, title in PAGES:
                where = f"{stem} at {width}x{height}"
                open_page(page, server, path, title)
                if stem == "ringkasan":
                    page.locator(PLOT_DRAWN).first.wait_for(state="visible", timeout=30_000)
                    assert page.locator(PLOT).count() >= 1, f"{where}: no plotly chart"
                    badge = page.locator('[data-testid="stMain"]').get_by_text("Data contoh", exact=True)
                    assert badge.first.is_visible(), f"{where}: the 'Data contoh' badge is not visible"
                    assert sidebar(page).get_by_text("Data contoh").first.is_visible()
                if stem in ("linimasa", "kesiapan"):
                    page.locator(PLOT_DRAWN).first.wait_for(state="visible", timeout=30_000)
                if stem == "kesiapan":  # the estimate, labelled as such, and the predicate cards
                    main = page.locator('[data-testid="stMain"]')
                    assert main.get_by_text("PERKIRAAN", exact=False).first.is_visible(), f"{where}: no 'perkiraan'"
                    assert main.get_by_text("Predikat WBBM").first.is_visible(), f"{where}: no WBBM card"
                assert_no_exception(page, where)
                full_screenshot(page, SHOTS / f"{stem}-{width}x{height}.png")
                assert_no_exception(page, where + " (after resize)")
        finally:
            ctx.close()
    # /ringkasan is the same page as /
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = ctx.new_page()
        open_page(page, server, "/ringkasan", "Ringkasan")
        assert_no_exception(page, "/ringkasan")
    finally:
        ctx.close()


# --- (b) a valid upload becomes the data in use ---------------------------------------------
def test_valid_upload_becomes_data_in_use(server, page, db_url, tmp_path):
    before = store_count(db_url)
    f = tmp_path / UPLOAD_NAME
    f.write_bytes(filled_template())

    open_page(page, server, "/unggah", "Unggah berkas progres")
    log_in(page)
    upload(page, f)
    assert_no_exception(page, "unggah after a valid upload")
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text(re.compile(r"^Berkas sah")).first.is_visible(), "no 'Berkas sah' message"
    assert main.get_by_text("Berkas tidak sah").count() == 0
    full_screenshot(page, SHOTS / "unggah-berkas-sah-1920x1080.png")

    page.get_by_role("button", name="Simpan sebagai data yang dipakai").click()
    page.get_by_text("Tersimpan.", exact=False).first.wait_for()
    settle(page)
    assert_no_exception(page, "unggah after Simpan")
    assert sidebar(page).get_by_text(UPLOAD_NAME).first.is_visible(), "sidebar does not show the file name"
    who = sidebar(page).get_by_text(f"oleh {EDITOR}", exact=False).first
    assert who.is_visible(), "sidebar does not show who uploaded"
    assert store_count(db_url) == before + 1

    open_page(page, server, "/", "Ringkasan")
    assert_no_exception(page, "ringkasan after upload")
    assert page.get_by_text("Data contoh").count() == 0, "Ringkasan still shows 'Data contoh'"
    assert page.locator('[data-testid="stMain"]').get_by_text(UPLOAD_NAME).first.is_visible()
    assert page.get_by_text("Posisi per 20 November 2025").first.is_visible()
    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
    full_screenshot(page, SHOTS / "ringkasan-data-unggahan-1920x1080.png")

    open_page(page, server, "/riwayat", "Riwayat")
    assert page.get_by_text("Data contoh").count() == 0
    full_screenshot(page, SHOTS / "riwayat-data-unggahan-1920x1080.png")


# --- (c) an invalid upload is refused and changes nothing -----------------------------------
def data_source(sidebar_text: str) -> str:
    """The sidebar's "Sumber data" part (the data in use), without the controls above it (the
    collapse button's icon name shows in its text only while the sidebar is hovered)."""
    at = sidebar_text.find("Sumber data")
    assert at >= 0, "the sidebar says no data source"
    return sidebar_text[at:]


def test_invalid_upload_is_refused(server, page, db_url, tmp_path):
    f = tmp_path / "progres-rusak.csv"
    f.write_bytes(b"Kode;Progres (%)\n1.1;seratus\n")
    before = store_count(db_url)
    in_use = current_snapshot_id(db_url)

    open_page(page, server, "/unggah", "Unggah berkas progres")
    # a viewer (not logged in) gets no uploader at all
    assert page.locator('[data-testid="stFileUploader"]').count() == 0, "a viewer can upload"
    assert page.get_by_text("hanya untuk editor Tim ZI", exact=False).first.is_visible()
    log_in(page)
    source_before = data_source(sidebar(page).inner_text())
    upload(page, f)
    assert_no_exception(page, "unggah after an invalid upload")
    assert page.get_by_text("Berkas tidak sah").first.is_visible(), "no 'Berkas tidak sah' error"
    assert page.get_by_text(re.compile(r"^Berkas sah")).count() == 0
    assert page.get_by_role("button", name="Simpan sebagai data yang dipakai").count() == 0
    assert page.get_by_text("Tanggal posisi data", exact=True).count() == 0
    assert store_count(db_url) == before, "an invalid file was stored"
    assert current_snapshot_id(db_url) == in_use, "the data in use changed"
    full_screenshot(page, SHOTS / "unggah-berkas-tidak-sah-1920x1080.png")

    page.reload()  # a new session, still logged in (the login is kept for a while)
    page.wait_for_selector(IDLE)
    settle(page)
    sidebar(page).get_by_text(f"Masuk sebagai {EDITOR}").wait_for()
    assert data_source(sidebar(page).inner_text()) == source_before, "the data in use changed"
    assert page.get_by_text("progres-rusak.csv").count() == 0


# --- (d) the table's filters and its Excel download agree ---------------------------------
def _indicators_in_use(db_url: str):
    """The indicator rows a fresh session should see: the data in use at its own position date."""
    from zi_dashboard.counting.metrics import compute
    from zi_dashboard.reading.example import EXAMPLE_FILE
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.progress import read_progress
    from zi_dashboard.storage.store import open_store

    plan = load_plan()
    store = open_store(db_url)
    try:
        snap = store.current()
    finally:
        store.dispose()
    content, name = (EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name) if snap is None else (snap.content, snap.filename)
    report = read_progress(content, name, plan)
    as_of = (snap.position_date if snap is not None and snap.position_date else None) or report.position_date
    return compute(plan, report.rows, as_of).indicators


def _xlsx_rows(data: bytes) -> tuple[list[str], list[dict]]:
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Kode")
    header = [str(c) for c in rows[header_at]]
    body = [dict(zip(header, r, strict=False)) for r in rows[header_at + 1 :] if r and r[0] not in (None, "")]
    _xlsx_rows.titles = [str(r[0]) for r in rows[:header_at] if r and r[0]]
    return header, body


CAPTION = re.compile(r"^(\d+) dari (\d+) rencana aksi ditampilkan\.$")


def _caption_count(page) -> int:
    text = page.get_by_text(CAPTION).inner_text().strip()
    m = CAPTION.match(text)
    assert m and int(m.group(2)) == 25, f"unexpected caption {text!r}"
    return int(m.group(1))


def _download_xlsx(page) -> tuple[list[str], list[dict]]:
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh Excel (.xlsx)").click()
    download = dl.value
    name = download.suggested_filename
    assert name.startswith("tabel-zi-kota-tasikmalaya-tahun-2025-posisi-") and name.endswith(".xlsx"), name
    return _xlsx_rows(Path(download.path()).read_bytes())


def _filtered_download(page, expected: list[str], what: str) -> tuple[list[str], list[dict]]:
    """After a filter: the caption counts the expected rows, and the XLSX holds exactly them."""
    settle(page)
    assert_no_exception(page, f"tabel with {what}")
    shown = _caption_count(page)
    assert shown == len(expected), f"with {what} the caption says {shown} rows, {len(expected)} expected"
    header, body = _download_xlsx(page)
    assert len(body) == shown, f"the XLSX has {len(body)} rows, the caption says {shown}"
    assert sorted(str(r["Kode"]) for r in body) == expected
    return header, body


def test_table_filter_matches_xlsx_download(server, page, db_url):
    ind = _indicators_in_use(db_url)

    # status filter
    status = "Tertinggal"
    expected = sorted(ind.loc[ind["status"] == status, "code"])
    assert expected, "the data in use has no 'Tertinggal' rows: the test would prove nothing"
    open_page(page, server, "/tabel", "Tabel")
    assert _caption_count(page) == 25
    page.get_by_role("combobox", name="Status", exact=True).click()
    page.get_by_role("option", name=status, exact=True).click()
    page.keyboard.press("Escape")
    header, body = _filtered_download(page, expected, "a status filter")
    assert "Status" in header
    assert all(r["Status"] == status for r in body), [(r["Kode"], r["Status"]) for r in body]
    # the file says which rows it holds: the filter and the position date of the data
    assert f"Filter: Status = {status}" in _xlsx_rows.titles, _xlsx_rows.titles
    assert any(t.startswith("Posisi data: ") for t in _xlsx_rows.titles), _xlsx_rows.titles
    # the plain CSV: the same rows, read by pandas with no skiprows, named by unit and year
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh CSV tabel saja").click()
    assert dl.value.suggested_filename.startswith("tabel-zi-data-kota-tasikmalaya-tahun-2025-posisi-")
    plain = pd.read_csv(dl.value.path(), dtype={"Kode": str})
    assert list(plain.columns) == header and sorted(plain["Kode"].astype(str)) == expected

    # free-text search, in a fresh session (reload) so the status filter is gone
    needle = "SOP"
    fields = ["code", "component", "indicator", "action", "pic", "notes"]
    hay = ind[fields].astype(str).agg(" ".join, axis=1).str.casefold()
    expected = sorted(ind.loc[hay.str.contains(needle.casefold(), regex=False), "code"])
    assert expected
    page.reload()
    page.wait_for_selector(IDLE)
    settle(page)
    assert _caption_count(page) == 25
    page.get_by_role("textbox", name="Cari (kode, indikator, rencana aksi, PIC, keterangan)", exact=True).fill(needle)
    page.keyboard.press("Enter")
    header, body = _filtered_download(page, expected, "a search text")
    cols = ["Kode", "Komponen", "Indikator/Program", "Rencana Aksi", "PIC", "Keterangan"]
    for r in body:
        text = " ".join(str(r.get(c) or "") for c in cols).casefold()
        assert needle.casefold() in text, f"row {r['Kode']} does not mention {needle!r}"
    assert "Filter: teks dicari = «SOP»" in _xlsx_rows.titles, _xlsx_rows.titles


# --- the router serves a deep link on a fresh server ----------------------------------------
def test_deep_link_on_a_fresh_server_goes_through_the_router(browser, tmp_path):
    """Streamlit runs a deep-linked file of pages/ on its own until some session has run
    st.navigation; the app must still show its own navigation, sidebar and layout."""
    from zi_dashboard.storage.auth import hash_password

    env = {
        "ZI_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}",
        "ZI_EDITORS": f"{EDITOR}:{hash_password(PASSWORD)}",
    }
    with StreamlitServer("app.py", ROOT, env) as fresh:
        ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = ctx.new_page()
        open_page(page, fresh.url, "/linimasa", "Linimasa")
        nav = page.locator('[data-testid="stSidebarNav"]')
        assert nav.get_by_text("Ringkasan", exact=True).is_visible()
        assert nav.get_by_text("app", exact=True).count() == 0, "the pages/ folder's own navigation is shown"
        assert sidebar(page).get_by_text("Posisi per").first.is_visible()
        ctx.close()


# --- a wrong password is refused ---------------------------------------------------------------
def test_wrong_password_is_refused_and_counted(server, page):
    open_page(page, server, "/unggah", "Unggah berkas progres")
    submit_login(page, "bukan-kata-sandinya")
    assert sidebar(page).get_by_text("Nama atau kata sandi salah (1 dari 5 percobaan).").is_visible()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


# --- a reload keeps the login -----------------------------------------------------------------
def _session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "zi_sesi"), None)


def test_a_reload_keeps_the_login_and_a_logout_ends_it(server, page):
    import time

    open_page(page, server, "/unggah", "Unggah berkas progres")
    before = time.time()
    log_in(page)
    page.wait_for_function("() => document.cookie.includes('zi_sesi=')")
    cookie = _session_cookie(page)
    after = time.time()
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    # bounded: it ends 12 hours after the login (however long the login took; whole seconds)
    assert before - 1 <= cookie["expires"] - 12 * 3600 <= after + 1, (before, cookie["expires"], after)
    assert PASSWORD not in cookie["value"] and EDITOR not in cookie["value"]
    page.reload()
    page.wait_for_selector(IDLE)
    settle(page)
    sidebar(page).get_by_text(f"Masuk sebagai {EDITOR}").wait_for()
    page.locator('[data-testid="stFileUploader"]').first.wait_for()  # drawn after the sidebar now and then
    token = cookie["value"].partition(".")[0]
    assert token not in page.url and "zi_sesi" not in page.url  # nothing of it in the address
    sidebar(page).get_by_role("button", name="Keluar").click()
    settle(page)
    page.wait_for_function("() => !document.cookie.includes('zi_sesi=')")
    page.reload()
    page.wait_for_selector(IDLE)
    settle(page)
    sidebar(page).get_by_role("button", name="Masuk (Tim ZI)").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert not sidebar(page).get_by_text(f"Masuk sebagai {EDITOR}").count()


# --- two uploads in turn, and the change between them -----------------------------------------
def _filled(values: dict[str, float], default: float, as_of: date) -> bytes:
    from zi_dashboard.outputs.template import build_template
    from zi_dashboard.reading.plan import BUNDLED_UNIT, load_plan

    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan(), BUNDLED_UNIT)))
    ws = wb["Progres"]
    ws["C3"] = as_of
    for r in range(6, 31):
        ws.cell(row=r, column=7, value=values.get(ws.cell(row=r, column=1).value, default))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_two_uploads_in_turn_show_the_change_between_them(server, page, db_url, tmp_path):
    first, second = tmp_path / "rapat-pertama.xlsx", tmp_path / "rapat-kedua.xlsx"
    first.write_bytes(_filled({"1.1": 100}, 30, date(2025, 11, 25)))
    second.write_bytes(_filled({"1.1": 100, "2.1": 90}, 60, date(2025, 12, 5)))
    before = store_count(db_url)
    open_page(page, server, "/unggah", "Unggah berkas progres")
    log_in(page)
    for f in (first, second):
        upload(page, f)
        page.get_by_role("button", name="Simpan sebagai data yang dipakai").click()
        page.get_by_text("Tersimpan.", exact=False).first.wait_for()
        settle(page)
    assert store_count(db_url) == before + 2
    open_page(page, server, "/riwayat", "Riwayat")
    main = page.locator('[data-testid="stMain"]')
    # 2.1 went from 30 to 90, the other 23 rows from 30 to 60
    main.get_by_text("24 indikator berubah", exact=False).first.wait_for()
    assert main.get_by_text("rapat-kedua.xlsx", exact=False).first.is_visible()
    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
    full_screenshot(page, SHOTS / "riwayat-dua-unggahan-1920x1080.png")
    open_page(page, server, "/", "Ringkasan")
    assert page.get_by_text("+30,0 poin", exact=False).first.is_visible()  # 30,0+... -> change since previous


# --- Mode rapat --------------------------------------------------------------------------------
def test_meeting_mode_views_by_keyboard(server, page):
    views = [
        "Capaian keseluruhan dan status rencana aksi",
        "Capaian per komponen",
        "Linimasa terhadap target waktu",
        "Rencana aksi terlambat dan penanggung jawabnya",
        "Kesiapan WBK/WBBM (perkiraan)",
        "Perubahan sejak unggahan sebelumnya",
        "Mandiri vs TPI",  # without TPI answers it says so in one line
    ]
    page.goto(server + "/?mode=rapat")
    page.wait_for_selector(IDLE)
    settle(page)
    for i, title in enumerate(views, start=1):
        page.get_by_role("heading", name=title, level=2).wait_for()
        assert_no_exception(page, f"mode rapat view {i}")
        expect(sidebar(page)).to_be_hidden()  # once the view's run has drawn it
        assert page.locator(".zi-corner").inner_text().startswith("KPU Kota Tasikmalaya Tahun 2025 · Posisi per ")
        if title == "Capaian per komponen":
            page.locator(PLOT_DRAWN).first.wait_for(state="visible")
        if title == "Linimasa terhadap target waktu":
            page.locator(".zi-tl-meeting").wait_for(state="visible")
        page.screenshot(path=str(SHOTS / f"rapat-{i}-1920x1080.png"))
        page.keyboard.press("ArrowRight")
        settle(page)
    page.get_by_role("heading", name=views[0], level=2).wait_for()  # round again
    page.keyboard.press("ArrowLeft")
    settle(page)
    page.get_by_role("heading", name=views[-1], level=2).wait_for()


def test_meeting_report_downloads_from_the_overview(server, page):
    open_page(page, server, "/", "Ringkasan")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Laporan rapat (.html)").click()
    name = dl.value.suggested_filename
    assert name.startswith("laporan-rapat-zi-kota-tasikmalaya-tahun-2025-posisi-") and name.endswith(".html")
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert "<section id='komponen'>" in text and "Plotly" in text
    with page.expect_download() as dl:
        page.get_by_role("button", name="Paket Excel (.xlsx)").click()
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert wb.sheetnames[0] == "Ringkasan" and "Semua Data" in wb.sheetnames


# --- how the pages look: measured at every size -----------------------------------------------
ENGLISH = re.compile(
    r"\b(Upload|Browse files|Select all|Download plot|per file|Drag and drop|January|February|"
    r"March|May|June|July|August|October|December|Choose date|Use arrow keys|Press Enter|to apply|submit form)\b"
)
WIDE_ENOUGH = """() => {
    const m = document.querySelector('[data-testid="stMain"]');
    return {doc: document.documentElement.scrollWidth, inner: window.innerWidth,
            main: m ? m.scrollWidth : 0, mainClient: m ? m.clientWidth : 0};
}"""


def _too_wide(page) -> dict | None:
    """The widths when the page runs off the right edge (sideways scrolling), else None."""
    w = page.evaluate(WIDE_ENOUGH)
    return None if w["doc"] <= w["inner"] and w["main"] <= w["mainClient"] + 1 else w


def _english(page) -> list[str] | None:
    """Streamlit's English words the page shows, or None."""
    return ENGLISH.findall(_visible_text(page)) or None


def _visible_text(page) -> str:
    """The text a user sees: not what is hidden from eyes and screen readers (aria-hidden, such as
    the date picker's native month list behind its own)."""
    return page.evaluate("""() => {
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), out = [];
        while (w.nextNode()) {
            const el = w.currentNode.parentElement;
            if (!el || el.closest('[aria-hidden="true"], script, style') || !el.getClientRects().length) continue;
            out.push(w.currentNode.nodeValue);
        }
        return out.join(" | ");
    }""")
