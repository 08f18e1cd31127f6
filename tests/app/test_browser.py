"""The app as a user sees it: every page in headless Chromium, the upload flow, the table export.

    python -m pytest tests/test_browser.py -q

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
from streamlit_server import NEXT_PAINT, StreamlitServer, eventually, settle

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
    from zi_dashboard.reading.plan import load_plan

    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan())))
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
    log_in(page)
    page.wait_for_function("() => document.cookie.includes('zi_sesi=')")
    cookie = _session_cookie(page)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert 11.9 * 3600 < cookie["expires"] - time.time() <= 12 * 3600  # bounded: 12 hours
    assert PASSWORD not in cookie["value"] and EDITOR not in cookie["value"]
    page.reload()
    page.wait_for_selector(IDLE)
    settle(page)
    sidebar(page).get_by_text(f"Masuk sebagai {EDITOR}").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() >= 1
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
    from zi_dashboard.reading.plan import load_plan

    wb = openpyxl.load_workbook(io.BytesIO(build_template(load_plan())))
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
    ]
    page.goto(server + "/?mode=rapat")
    page.wait_for_selector(IDLE)
    settle(page)
    for i, title in enumerate(views, start=1):
        page.get_by_role("heading", name=title, level=2).wait_for()
        assert_no_exception(page, f"mode rapat view {i}")
        assert not sidebar(page).is_visible(), "the sidebar shows in Mode rapat"
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
    r"March|May|June|July|August|October|December|Choose date|Use arrow keys)\b"
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


def test_no_page_is_wider_than_the_screen_and_no_english_shows(server, browser):
    """Every page at the three sizes: nothing runs off the right edge (no sideways scrolling of
    the page), and none of Streamlit's English words shows; the screenshots for the record."""
    for width, height in ALL_SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        ctx.set_default_timeout(30_000)
        page = ctx.new_page()
        try:
            for stem, path, title in PAGES:
                where = f"{stem} at {width}x{height}"
                open_page(page, server, path, title)
                if stem in ("ringkasan", "riwayat") and page.locator(PLOT).count():
                    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
                wide = eventually(page, _too_wide)
                assert wide is None, f"{where}: too wide {wide}"
                found = eventually(page, _english)
                assert not found, f"{where}: English on the page: {found}"
                full_screenshot(page, SHOTS / f"{stem}-{width}x{height}.png")
        finally:
            ctx.close()


def _box(page, selector: str) -> list[dict]:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
        .map(e => { const r = e.getBoundingClientRect();
                    return {x: r.left, y: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height,
                            sw: e.scrollWidth, cw: e.clientWidth, text: e.textContent,
                            font: parseFloat(getComputedStyle(e).fontSize)}; })""",
        selector,
    )


def test_headline_cards_line_up_and_fit(server, browser):
    """The cards at each size: every label on one line and whole, the figures of one row of
    cards on one baseline, every card within the screen."""
    for width, height in ALL_SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        try:
            open_page(page, server, "/", "Ringkasan")
            page.locator(".zi-kpi-value").nth(5).wait_for()  # the heading can come a moment before the cards
            cards, labels, values = (_box(page, s) for s in (".zi-kpi", ".zi-kpi-label", ".zi-kpi-value"))
            assert len(cards) == 6 and len(labels) == 6 and len(values) == 6
            for c in cards:
                assert c["r"] <= width, f"{width}: a card runs off the screen: {c}"
            for lab in labels:
                assert lab["sw"] <= lab["cw"] + 1, f"{width}: label cut: {lab['text']!r}"
                assert lab["h"] < lab["font"] * 1.6, f"{width}: label on two lines: {lab['text']!r}"
            rows: dict[int, list[dict]] = {}
            for card, value in zip(cards, values, strict=True):
                rows.setdefault(round(card["y"]), []).append(value)
            for row in rows.values():
                tops = {round(v["y"]) for v in row}
                assert max(tops) - min(tops) <= 1, f"{width}: figures at different heights {tops}"
            if width == 1366:
                assert len(rows) == 2 and all(len(r) == 3 for r in rows.values())  # 3 + 3, even
        finally:
            ctx.close()


AS_OF_LINE = """() => {
    // the dashed as-of line (the only dashed shape) and the texts it could run through
    const plot = document.querySelector('.js-plotly-plot');
    const line = [...plot.querySelectorAll('.shapelayer path')].find(p => (p.style.strokeDasharray || '') !== '');
    const lr = line.getBoundingClientRect();
    const texts = [...plot.querySelectorAll('.annotation-text, .bartext, .ytick text')].map(t => {
        const r = t.getBoundingClientRect(); return {x: r.left, r: r.right, y: r.top, b: r.bottom, t: t.textContent};
    });
    const svg = plot.querySelector('.main-svg').getBoundingClientRect();
    return {lineX: lr.left + lr.width / 2, top: lr.top, bottom: lr.bottom, texts: texts,
            svg: {x: svg.left, r: svg.right}};
}"""


def test_timeline_labels_are_whole_and_uncrossed(server, browser):
    """Linimasa at 1920 and 1366: no row name cut short, no % label crossed by the as-of
    line, nothing outside the chart; at 390 the Gantt gives way to a list within the screen."""
    for width, height in ALL_SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        try:
            open_page(page, server, "/linimasa", "Linimasa")
            if width < 700:
                assert not page.locator(".st-key-zi-gantt").is_visible()
                rows = _box(page, ".zi-tl-row")
                assert len(rows) == 25 and all(r["r"] <= width for r in rows)
                assert all(b["w"] > 150 for b in _box(page, ".zi-tl-bar")), "bars are slivers"
                continue
            assert not page.locator(".zi-tl-list").is_visible()
            page.locator(PLOT_DRAWN).first.wait_for(state="visible")
            m = page.evaluate(AS_OF_LINE)
            names = [t["t"] for t in m["texts"] if re.match(r"^\d\.\d", t["t"])]
            assert names and not any("…" in n for n in names), names
            assert any("Kompetensi" in t["t"] for t in m["texts"])  # 3.3's name in full (its 2nd line)
            for t in m["texts"]:
                assert t["x"] >= m["svg"]["x"] - 1 and t["r"] <= m["svg"]["r"] + 1, f"{width}: text outside: {t}"
                if t["t"].endswith("%") and t["b"] > m["top"] and t["y"] < m["bottom"]:
                    assert not (t["x"] - 2 <= m["lineX"] <= t["r"] + 2), f"{width}: the line crosses {t}"
        finally:
            ctx.close()


def test_date_picker_status_filter_and_chart_toolbar_speak_indonesian(server, page):
    open_page(page, server, "/tabel", "Tabel")
    page.locator('[data-testid="stDateInputCalendarButton"]').first.click(force=True)
    cal = page.locator('[data-testid="stDateInputCalendar"]')
    cal.wait_for()
    found = eventually(page, _english)  # until the page has replaced Streamlit's words
    assert not found, found
    text = _visible_text(page)
    assert re.search(r"\bMin\s+Sen\s+Sel\s+Rab\s+Kam\s+Jum\s+Sab\b", cal.inner_text()), cal.inner_text()
    assert "Tombol panah" in text
    page.screenshot(path=str(SHOTS / "kalender-1366x768.png"))
    page.keyboard.press("Escape")
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.locator('[role="listbox"], [data-baseweb="menu"]').first.wait_for()
    listbox = page.locator('[role="listbox"]').first.inner_text()
    assert "Terlambat" in listbox and "Select all" not in listbox and "Pilih semua" not in listbox
    page.keyboard.press("Escape")
    open_page(page, server, "/", "Ringkasan")
    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
    page.locator(".js-plotly-plot").first.hover()
    page.locator(".js-plotly-plot .modebar-btn").first.wait_for()
    tips = """() => [...document.querySelectorAll('.js-plotly-plot')[0]
        .querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))"""
    buttons = eventually(page, lambda pg: None if (b := pg.evaluate(tips)) == ["Unduh grafik (PNG)"] else b)
    assert buttons is None, buttons  # no zoom or pan, no English tip
    titles = _box(page, ".zi-chart-title")
    plot = _box(page, ".js-plotly-plot")[0]
    assert titles and titles[0]["b"] <= plot["y"] + 1  # the title above the chart, never under its toolbar


STREAMLIT_ENGLISH = (
    "Show/hide columns",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Help for",
    "file upload",
    "day, ",
    "month, ",
    "year, ",
    "dd",
    "mm",
    "yyyy",
    "Decrement",
    "Increment",
)


def _labels(page, selector: str, attribute: str = "aria-label") -> list[str]:
    return page.evaluate(
        "([sel, attr]) => [...document.querySelectorAll(sel)].map(e => e.getAttribute(attr))", [selector, attribute]
    )


def test_table_toolbar_help_labels_upload_and_empty_date_speak_indonesian(server, page, tmp_path):
    """The table toolbar and its tips, the screen-reader labels Streamlit builds
    ("Help for …", "file upload", "day, …") and an empty date field's dd / mm / yyyy."""
    open_page(page, server, "/tabel", "Tabel")
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.locator('[data-testid="stElementToolbar"] button').first.wait_for()
    page.wait_for_timeout(300)
    tools = _labels(page, '[data-testid="stElementToolbar"] button')
    assert tools == ["Tampilkan/sembunyikan kolom", "Unduh sebagai CSV", "Cari", "Layar penuh"], tools
    page.locator('[data-testid="stElementToolbar"] button').first.hover()
    page.get_by_text("Tampilkan/sembunyikan kolom", exact=True).wait_for()  # its tip
    helps = _labels(
        page, '[data-testid="stTooltipIcon"] [aria-label], [aria-label^="Help for"], [aria-label^="Bantuan untuk"]'
    )
    assert "Bantuan untuk Posisi per" in helps and not [h for h in helps if h.startswith("Help for")], helps
    every = _labels(page, "[aria-label]")
    assert not [a for a in every if a and a.startswith(STREAMLIT_ENGLISH)], every
    assert "hari, Posisi per" in every  # the date field's parts, as a screen reader says them
    # an empty date field (a file that states no position date) and the uploader's label
    log_in(page)
    open_page(page, server, "/unggah", "Unggah berkas progres")
    assert "unggah berkas" in _labels(page, '[data-testid="stFileUploaderDropzoneInput"]')
    wb = openpyxl.load_workbook(io.BytesIO(filled_template()))
    wb["Progres"]["C3"] = None
    undated = tmp_path / "progres-tanpa-tanggal.xlsx"
    wb.save(undated)
    upload(page, undated)
    field = page.locator('[data-testid="stDateInput"]').filter(has_text="Tanggal posisi data")
    field.wait_for()
    page.wait_for_timeout(300)
    shown = re.sub(r"\s+", " ", field.inner_text())
    assert "hh / bb / tttt" in shown and "yyyy" not in shown, shown
    full_screenshot(page, SHOTS / "unggah-tanpa-tanggal-1920x1080.png")


def test_uploader_speaks_indonesian(server, page):
    open_page(page, server, "/unggah", "Unggah berkas progres")
    log_in(page)
    box = page.locator('[data-testid="stFileUploader"]').first
    box.wait_for()
    wrong = eventually(
        page,
        lambda pg: (
            None if "Pilih berkas" in (t := box.inner_text()) and "per berkas" in t and not ENGLISH.findall(t) else t
        ),
    )  # until the page has replaced Streamlit's words
    assert wrong is None, wrong


def test_s_curve_one_point_per_date_and_readable(server, page, tmp_path):
    """A third upload at the date of the last: one point for that date (the latest upload), the
    months horizontal, every label inside the chart at 1366 and 1920."""
    again = tmp_path / "rapat-kedua-ulang.xlsx"
    again.write_bytes(_filled({"1.1": 100, "2.1": 95}, 65, date(2025, 12, 5)))
    open_page(page, server, "/unggah", "Unggah berkas progres")
    log_in(page)
    upload(page, again)
    page.get_by_role("button", name="Simpan sebagai data yang dipakai").click()
    page.get_by_text("Tersimpan.", exact=False).first.wait_for()
    settle(page)
    for width, height in ALL_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, server, "/riwayat", "Riwayat")
        page.locator(PLOT_DRAWN).first.wait_for(state="visible")
        m = page.evaluate("""() => {
            const plot = document.querySelector('.js-plotly-plot');
            const svg = plot.querySelector('.main-svg').getBoundingClientRect();
            const pts = plot.querySelectorAll('.scatterlayer .trace:last-child .points path').length;
            const ticks = [...plot.querySelectorAll('.xtick text')].map(t => t.getAttribute('transform') || '');
            const labels = [...plot.querySelectorAll('.annotation')].map(a => a.getBoundingClientRect())
                .map(r => ({x: r.left, r: r.right}));
            return {pts, ticks, labels, svg: {x: svg.left, r: svg.right}};
        }""")
        dates = page.evaluate("""() => document.querySelector('.js-plotly-plot').data.at(-1).x.length""")
        assert m["pts"] == dates and dates == len(
            set(page.evaluate("() => document.querySelector('.js-plotly-plot').data.at(-1).x"))
        )
        assert not any("rotate" in t for t in m["ticks"]), m["ticks"]
        assert m["labels"] and all(a["x"] >= m["svg"]["x"] and a["r"] <= m["svg"]["r"] for a in m["labels"])
        full_screenshot(page, SHOTS / f"riwayat-satu-titik-per-tanggal-{width}x{height}.png")


MEETING_FIT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const next = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === %s);
    const r = next.getBoundingClientRect();
    return {scroll: main.scrollHeight, client: main.clientHeight, buttonBottom: r.bottom, buttonFont:
            parseFloat(getComputedStyle(next.querySelector('p') || next).fontSize), inner: window.innerHeight,
            modebar: [...document.querySelectorAll('.modebar')].filter(m => m.offsetParent !== null).length};
}"""


SMALL_TEXT = """() => {
    // every visible text of the page outside the charts (plotly draws in SVG): its size in px
    const w = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
    const out = [];
    while (w.nextNode()) {
        const el = w.currentNode.parentElement, text = w.currentNode.nodeValue.trim();
        if (!text || !el || el.closest('svg, style, script') || !el.getClientRects().length) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 20) out.push([text.slice(0, 40), size]);
    }
    return out;
}"""


def meeting_views(server, browser, width: int, height: int):
    """Mode rapat's six views in turn at this size: yields (view number, page), then moves on."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        page.goto(server + "/?mode=rapat")
        page.wait_for_selector(IDLE)
        settle(page)
        for i in range(1, 7):
            page.get_by_role("heading", level=2).first.wait_for()
            if i == 2:
                page.locator(PLOT_DRAWN).first.wait_for(state="visible")
            settle(page)
            page.evaluate(NEXT_PAINT)
            page.screenshot(path=str(SHOTS / f"rapat-{i}-{width}x{height}.png"))
            yield i, page
            page.get_by_role("button", name="berikutnya ▶").click()
            settle(page)
    finally:
        ctx.close()


def test_meeting_slides_fit_one_screen_with_large_type(server, browser):
    import json

    for width, height in SIZES[:2]:
        for i, page in meeting_views(server, browser, width, height):
            m = page.evaluate(MEETING_FIT % json.dumps("berikutnya ▶"))
            where = f"slide {i} at {width}x{height}: {m}"
            assert m["scroll"] <= m["client"] + 1 and m["buttonBottom"] <= m["inner"], where
            assert m["buttonFont"] >= 20 and m["modebar"] == 0, where
            # no text under 20 px: notes and captions (view 1's note of the change, view 5's
            # and 6's captions), the corner, the lists
            assert page.evaluate(SMALL_TEXT) == [], where
            if i == 1:
                assert min(v["font"] for v in _box(page, ".zi-kpi-value")) >= 56
            if i == 3:
                names = _box(page, ".zi-tl-meeting .zi-tl-name")
                assert len(names) == 25 and min(n["font"] for n in names) >= 20, where
                assert max(n["b"] for n in names) <= m["inner"], where


# --- a phone: every figure whole, every column there ------------------------------------------
PHONE = (390, 844)
CARDS = """() => [...document.querySelectorAll('.zi-cards')].filter(c => c.offsetParent !== null).map(c =>
    [...c.querySelectorAll('.zi-card')].map(k => ({text: k.innerText, right: k.getBoundingClientRect().right})))"""


def _cards_shown(page, check, tables: int = 0) -> list[list[dict]]:
    """The visible card lists once `check(cards)` holds (the page draws its parts in turn), and
    no more than `tables` tables in sight."""
    wrong = eventually(
        page,
        lambda p: (
            None if (g := p.evaluate(CARDS)) and check(g) and _visible_tables(p) <= tables else (g, _visible_tables(p))
        ),
    )
    assert wrong is None, wrong
    return page.evaluate(CARDS)


def _visible_tables(page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
        .filter(t => t.offsetParent !== null && t.getBoundingClientRect().width > 0).length""")


def test_meeting_slides_on_a_phone(server, browser):
    """Mode rapat at 390x844: the corner above the title (never over it), every card's figure
    and label whole, the overdue rows with their days late and PIC, nothing wider than the screen."""
    for i, page in meeting_views(server, browser, *PHONE):
        where = f"view {i} at 390x844"
        title = page.get_by_role("heading", level=2).first
        corner, head = page.locator(".zi-corner").bounding_box(), title.bounding_box()
        assert corner["y"] + corner["height"] <= head["y"] + 1, f"{where}: title under the corner {corner} {head}"
        w = page.evaluate(WIDE_ENOUGH)
        assert w["doc"] <= w["inner"] and w["main"] <= w["mainClient"] + 1, f"{where}: too wide {w}"
        if i == 1:
            for part in (".zi-kpi-value", ".zi-kpi-label"):
                for b in _box(page, part):
                    assert b["sw"] <= b["cw"] + 1 and b["r"] <= PHONE[0], f"{where}: cut {b['text']!r}"
        if i == 4:
            _cards_shown(page, lambda g: all("Hari Terlambat:" in k["text"] and "PIC:" in k["text"] for k in g[0]))


def test_pages_on_a_phone_show_every_column(server, browser):
    """Terlambat, Tabel and Kesiapan's gates at 390x844: each row a card holding every column
    (days late and PIC; the gate's value, thresholds and verdicts), not a table showing two
    columns; Ringkasan's axis title whole."""
    ctx = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]})
    page = ctx.new_page()
    try:
        open_page(page, server, "/terlambat", "Terlambat")
        groups = _cards_shown(page, lambda g: all("Hari Terlambat:" in k["text"] and "PIC:" in k["text"] for k in g[0]))
        assert all(k["right"] <= PHONE[0] for g in groups for k in g)
        full_screenshot(page, SHOTS / "terlambat-kartu-390x844.png")
        open_page(page, server, "/tabel", "Tabel")
        cards = _cards_shown(page, lambda g: len(g[0]) == 25)[0]
        assert all(f"{c}:" in cards[0]["text"] for c in ("Progres (%)", "Status", "PIC", "Batas Akhir")), cards[0]
        open_page(page, server, "/kesiapan", "Kesiapan")
        gates = [k["text"] for k in _cards_shown(page, lambda g: len(g[0]) >= 10, tables=99)[0]]
        assert any("Batas WBBM:" in g and "Kurang WBK:" in g and "WBK:" in g for g in gates), gates
        assert not any("≥ ya" in g for g in gates)
        open_page(page, server, "/", "Ringkasan")
        page.locator(PLOT_DRAWN).first.wait_for(state="visible")
        axis = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(p => {
            const t = p.querySelector('.xtitle'); if (!t) return null;
            const r = t.getBoundingClientRect(); return {text: t.textContent, x: r.left, r: r.right}; })
            .filter(Boolean)""")
        assert any("Jumlah" in a["text"] for a in axis)
        assert all(a["x"] >= 0 and a["r"] <= PHONE[0] for a in axis), axis
    finally:
        ctx.close()


def test_province_address_with_one_unit(server, page):
    """/provinsi with one unit is not Streamlit's English "Page not found"
    dialog but the page saying why (in Indonesian), not in the menu, with a way to Ringkasan."""
    open_page(page, server, "/provinsi", "Semua Satker")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("hanya ada satu", exact=False).wait_for()
    assert "Page not found" not in page.inner_text("body")
    assert not sidebar(page).get_by_role("link", name="Semua Satker").count()
    full_screenshot(page, SHOTS / "provinsi-satu-satker-1920x1080.png")
    main.get_by_role("link", name="Buka Ringkasan").click()
    page.get_by_role("heading", name="Ringkasan", level=1).wait_for()
