"""Nothing leaves the server: every page, drawn in headless Chromium, asks only the dashboard's
own server (no font server, no icon CDN), and an error shows no traceback or server path.

    python -m pytest tests/test_offline.py -q
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from streamlit_server import NEXT_PAINT, StreamlitServer, settle

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.browser

EDITOR = "Sekretaris Tim ZI"
LOCKED_EDITOR = "Bendahara Tim ZI"  # the lock test locks this one out, not the one the other tests use
PASSWORD = "uji-luring-" + os.urandom(6).hex()
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
SHOTS = ROOT / "artifacts" / "screenshots"
PAGES = [
    ("/", "Ringkasan"),
    ("/linimasa", "Linimasa"),
    ("/terlambat", "Terlambat"),
    ("/tabel", "Tabel"),
    ("/riwayat", "Riwayat"),
    ("/unggah", "Unggah berkas progres"),
    ("/rapat", None),
]


@pytest.fixture(scope="module")
def server():
    from zi_dashboard.storage.auth import hash_password

    tmp = tempfile.mkdtemp(prefix="zi-offline-")
    srv = StreamlitServer(
        "app.py",
        ROOT,
        {
            "ZI_DATABASE_URL": f"sqlite:///{tmp}/zi.sqlite",
            "ZI_EDITORS": f"{EDITOR}:{hash_password(PASSWORD)},{LOCKED_EDITOR}:{hash_password(PASSWORD)}",
        },
    )
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def guarded(browser, base: str):
    """A fresh session whose every request is routed: one to another host than the test
    server is recorded and aborted."""
    own = urlsplit(base).netloc
    outside: list[str] = []
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    ctx.set_default_timeout(30_000)

    def route(r):
        url = r.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own:
            outside.append(url)
            r.abort()
        else:
            r.continue_()

    ctx.route("**/*", route)
    return ctx, outside


def open_page(page, url: str, title: str | None) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE)
    page.wait_for_selector(f"h1, h2, {EXCEPTION}")
    settle(page)
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    if title:
        page.get_by_role("heading", name=title, level=1).wait_for()
    page.wait_for_load_state("networkidle")


def log_in(page, password: str, name: str = EDITOR) -> None:
    side = page.locator('[data-testid="stSidebar"]')
    if side.get_by_role("textbox", name="Nama editor", exact=True).count() == 0:
        side.get_by_role("button", name="Masuk (Tim ZI)").click()
        settle(page)
    side.get_by_role("textbox", name="Nama editor", exact=True).fill(name)
    side.get_by_label("Kata sandi", exact=True).fill(password)
    side.get_by_role("button", name="Masuk", exact=True).click()
    settle(page)


def test_no_page_asks_anything_outside_the_server(server, browser):
    ctx, outside = guarded(browser, server.url)
    page = ctx.new_page()
    try:
        for path, title in PAGES:
            open_page(page, server.url + path, title)
        open_page(page, server.url + "/unggah", "Unggah berkas progres")
        log_in(page, PASSWORD)  # the editor's widgets and icons too
        page.locator('[data-testid="stSidebar"]').get_by_text(f"Masuk sebagai {EDITOR}").wait_for()
        for path, title in PAGES:
            open_page(page, server.url + path, title)
        seen = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    finally:
        ctx.close()
    assert outside == [], f"requests to other hosts: {sorted(set(outside))}"
    own = urlsplit(server.url).netloc
    assert seen and all(urlsplit(u).netloc == own for u in seen if urlsplit(u).scheme.startswith("http"))


def test_lock_holds_across_sessions_in_the_browser(server, browser):
    """Five wrong tries in one browser session; a new session (another context: new cookies,
    new websocket) is locked out too, even with the right password."""
    first, _ = guarded(browser, server.url)
    page = first.new_page()
    try:
        open_page(page, server.url + "/unggah", "Unggah berkas progres")
        for _ in range(5):
            log_in(page, "salah-" + PASSWORD, LOCKED_EDITOR)
    finally:
        first.close()
    second, _ = guarded(browser, server.url)
    page = second.new_page()
    try:
        open_page(page, server.url + "/unggah", "Unggah berkas progres")
        log_in(page, PASSWORD, LOCKED_EDITOR)
        side = page.locator('[data-testid="stSidebar"]')
        side.get_by_text("Terlalu banyak percobaan yang salah").wait_for()
        assert side.get_by_text(f"Masuk sebagai {LOCKED_EDITOR}").count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1600, "height": 1300})
        side.get_by_text("Terlalu banyak percobaan yang salah").scroll_into_view_if_needed()
        page.evaluate(NEXT_PAINT)
        page.screenshot(path=str(SHOTS / "login-terkunci.png"))
    finally:
        second.close()


def test_an_error_shows_no_traceback_and_is_logged(browser, tmp_path):
    """The store cannot be opened (a database that is not there): the page says the app met an
    error, but shows no traceback, no server path and no error text; the server log has it."""
    srv = StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": "postgresql+psycopg://zi:rahasia@127.0.0.1:9/tidak_ada"})
    try:
        srv.wait_healthy()
        ctx, outside = guarded(browser, srv.url)
        page = ctx.new_page()
        try:
            page.goto(srv.url + "/")
            page.wait_for_selector(EXCEPTION, timeout=60_000)
            settle(page)
            shown = page.locator('[data-testid="stMain"]').inner_text()
            page.screenshot(path=str(tmp_path / "galat.png"))
        finally:
            ctx.close()
    finally:
        log = srv.stop()
    assert outside == []
    for secret in ("Traceback", str(ROOT), "site-packages", ".py", "127.0.0.1:9", "rahasia", "OperationalError"):
        assert secret not in shown, secret
    assert "Traceback" in log and "OperationalError" in log  # the server keeps the details
