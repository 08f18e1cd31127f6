"""In a real browser: an editor chooses the files that used to take the
server down (a native abort in the spreadsheet engine) or freeze it for everyone (a quadratic
regular expression holding the interpreter lock), on Unggah, through the file chooser; a thread
polls /_stcore/health all the while.

The server runs with the area limit set absurdly high (ZI_MAX_CELLS), so the XFD1048576 file
gets past the checks and reaches the native reader: what stands between it and the server is
only the child process the file is read in.  The 12-sheet file (239 MB of text, which takes
~270 MB to read) is stopped by a lower memory ceiling (ZI_READ_MEMORY_MB=150).  Every poll
must answer "ok" before its deadline (POLL_DEADLINE: a frozen server answers none), the page
must show the Indonesian message, nothing may be stored, and the server must still be up
afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import urllib.request
from pathlib import Path

import killers as K
import pytest
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, track_runs
from test_browser import EXCEPTION, IDLE, PROGRESS_UPLOADER, assert_no_exception, full_screenshot, settle

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


SHOTS = ROOT / "artifacts" / "screenshots"
EDITOR = "Sekretaris Tim ZI"
PASSWORD = "uji-tahan-" + os.urandom(6).hex()
HEAVY = "terlalu berat untuk dibaca"
# file name, bytes, a piece of the message the page must show
FILES = [
    ("mati-xfd1048576.xlsx", K.xfd_in_row_6, HEAVY),
    ("beku-40000-row.xlsx", lambda: K.unclosed_rows(40_000), "bukan buku kerja Excel"),
    ("beku-20000-row.xlsx", K.unclosed_rows, "bukan buku kerja Excel"),
    ("gaya-bersarang.xlsx", K.nested_styles, "bukan buku kerja Excel"),
    ("dua-belas-lembar.xlsx", K.many_big_sheets, HEAVY),
    ("kolom-zzzz.xlsx", K.four_letter_column, ""),
]


POLL_DEADLINE = 5  # seconds for one answer: far above a busy machine's, far below a freeze's


class HealthPoller(threading.Thread):
    """GET /_stcore/health one after the other until stopped; keeps each poll's answer ("ok",
    or the error, a timeout past POLL_DEADLINE included)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url + "/_stcore/health"
        self.polls: list[str] = []
        self.polled = threading.Condition()
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=POLL_DEADLINE) as r:
                    answer = r.read().decode().strip()
            except OSError as exc:
                answer = f"{type(exc).__name__}: {exc}"
            with self.polled:
                self.polls.append(answer)
                self.polled.notify_all()
            self.halt.wait(0.1)

    def wait_for_polls(self, more: int) -> None:
        """Until `more` further polls have been answered (or failed)."""
        with self.polled:
            target = len(self.polls) + more
            self.polled.wait_for(lambda: len(self.polls) >= target, timeout=more * (POLL_DEADLINE + 1))


@pytest.fixture(scope="module")
def server():
    from zi_dashboard.storage.auth import hash_password

    tmp = tempfile.mkdtemp(prefix="zi-survives-")
    url = f"sqlite:///{tmp}/zi.sqlite"
    srv = StreamlitServer(
        "app.py",
        ROOT,
        {
            "ZI_DATABASE_URL": url,
            "ZI_EDITORS": f"{EDITOR}:{hash_password(PASSWORD)}",
            "ZI_MAX_CELLS": str(10**15),
            "ZI_READ_MEMORY_MB": "150",
        },
    )
    try:
        srv.wait_healthy()
    except RuntimeError as exc:
        srv.stop()
        pytest.fail(str(exc))
    yield srv, url
    srv.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def _log_in_on_unggah(page, base: str) -> None:
    page.context.clear_cookies()  # a fresh session: not the login the last one kept
    page.goto(base + "/unggah")
    page.wait_for_selector(IDLE)
    settle(page)
    side = page.locator('[data-testid="stSidebar"]')
    if side.get_by_text(f"Masuk sebagai {EDITOR}").count():
        return  # the new session came back logged in (the login is kept for a while)
    side.get_by_role("button", name="Masuk (Tim ZI)").click()
    settle(page)
    side.get_by_role("textbox", name="Nama editor", exact=True).fill(EDITOR)
    side.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    side.get_by_role("button", name="Masuk", exact=True).click()
    side.get_by_text(f"Masuk sebagai {EDITOR}").wait_for()
    settle(page)


def test_killer_files_leave_the_server_up(server, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    from zi_dashboard.storage.store import open_store

    srv, db_url = server
    store = open_store(db_url)
    before = (store.count(), store.current_id())
    paths = []
    for name, build, _ in FILES:
        (tmp_path / name).write_bytes(build())
        paths.append(tmp_path / name)

    poller = HealthPoller(srv.url)
    poller.start()
    shown = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            track_runs(page)  # settle counts the page's runs
            page.set_default_timeout(60_000)
            for (name, _, expected), path in zip(FILES, paths, strict=True):
                _log_in_on_unggah(page, srv.url)  # a fresh session per file
                box = page.locator('[data-testid="stFileUploader"]').filter(has_text=PROGRESS_UPLOADER)
                with page.expect_file_chooser() as fc:
                    box.locator('[data-testid="stFileUploaderDropzone"] button').click()
                fc.value.set_files(str(path))
                alert = page.locator('[data-testid="stAlert"]').filter(has_text=name)
                alert.first.wait_for()
                settle(page)
                assert_no_exception(page, name)
                shown[name] = alert.first.inner_text()
                assert "Berkas tidak bisa dibaca" in shown[name], shown[name]
                assert expected in shown[name], shown[name]
                assert page.get_by_role("button", name="Simpan sebagai data yang dipakai").count() == 0
                if name == FILES[0][0]:
                    full_screenshot(page, SHOTS / "unggah-berkas-terlalu-berat-1366.png")
            assert page.locator(EXCEPTION).count() == 0
            browser.close()
        poller.wait_for_polls(5)  # a few more polls after the last file
    finally:
        poller.halt.set()
        poller.join(timeout=15)

    assert srv.proc.poll() is None, f"the server died:\n{srv.output()[-3000:]}"
    with urllib.request.urlopen(srv.url + "/_stcore/health", timeout=5) as r:
        assert r.read().strip() == b"ok"
    failed = [a for a in poller.polls if a != "ok"]
    assert len(poller.polls) > 20 and not failed, f"{len(failed)} of {len(poller.polls)} polls failed: {failed[:10]}"
    store = open_store(db_url)
    assert (store.count(), store.current_id()) == before, "a refused file changed the store"
    print(f"\n{len(poller.polls)} health polls, every one answered")
    for name, text in shown.items():
        print(f"{name}: {text[:160]}")
