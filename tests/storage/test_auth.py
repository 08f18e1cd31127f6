"""Who may change the data: hashes only, constant-time checks, a wait after 5 wrong tries,
a generated editor password printed once on first start."""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from conftest import EDITOR, EDITOR_PASSWORD, ROOT, editor_hash, login
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.storage import auth
from zi_dashboard.storage.store import open_store


def test_hash_and_verify():
    h = auth.hash_password("rahasia-kantor")
    assert h.startswith("scrypt$") and "rahasia-kantor" not in h
    assert auth.verify_password("rahasia-kantor", h)
    assert not auth.verify_password("rahasia-kantoR", h)
    assert auth.hash_password("rahasia-kantor") != h  # salted
    for broken in ["", "plain-text-password", "scrypt$1$2$3$xx$yy", "bcrypt$a$b$c$d$e"]:
        assert not auth.verify_password("rahasia-kantor", broken)


def test_editors_from_secrets_and_environment(tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    h1, h2 = auth.hash_password("satu-satu-1"), auth.hash_password("dua-dua-22")
    secrets_file.write_text(f'[editors]\n"Rina Sekretaris" = "{h1}"\n', encoding="utf-8")
    editors = auth.configured_editors(secrets_file, env={"ZI_EDITORS": f"budi:{h2}, :x, rusak"})
    assert editors == {"Rina Sekretaris": h1, "budi": h2}
    assert auth.check_login(editors, " budi ", "dua-dua-22") == "budi"
    assert auth.check_login(editors, "budi", "satu-satu-1") is None
    assert auth.check_login(editors, "tidak-ada", "dua-dua-22") is None
    assert auth.configured_editors(tmp_path / "none.toml", env={}) == {}


def test_throttle_waits_after_five_wrong_tries(temp_db):
    now = [1000.0]
    store = open_store(temp_db)
    t = auth.Throttle(store, "budi", "10.0.0.7", clock=lambda: now[0])
    for i in range(1, 5):
        assert t.attempt() == (True, i, 0)
        assert t.wait() == 0
    assert t.attempt() == (True, 5, auth.LOCK_SECONDS)  # the fifth is still checked, then a wait
    assert t.wait() == pytest.approx(auth.LOCK_SECONDS)
    assert t.attempt() == (False, 5, auth.LOCK_SECONDS)  # refused while waiting, and not counted
    # another name from the same address waits; the same name from another address does not
    assert auth.Throttle(store, "rina", "10.0.0.7", clock=lambda: now[0]).wait() == pytest.approx(auth.LOCK_SECONDS)
    assert auth.Throttle(store, "budi", "10.0.0.8", clock=lambda: now[0]).wait() == 0
    now[0] += auth.LOCK_SECONDS + 1
    assert t.wait() == 0
    assert t.attempt() == (True, 6, 2 * auth.LOCK_SECONDS)  # the sixth: a longer wait
    assert t.wait() == pytest.approx(2 * auth.LOCK_SECONDS)
    for _ in range(40):  # the wait grows, but never past an hour
        now[0] += t.wait() + 1
        allowed, _, wait = t.attempt()
        assert allowed and wait <= auth.MAX_LOCK_SECONDS
    assert wait == auth.MAX_LOCK_SECONDS and t.wait() == pytest.approx(auth.MAX_LOCK_SECONDS)
    t.succeeded()
    assert t.wait() == 0 and store.login_attempt_rows() == 0


def test_ipv6_addresses_counted_per_network():
    assert auth.address_key("2001:db8:1:2:aaaa::1") == auth.address_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert auth.address_key("2001:db8:1:3::1") != auth.address_key("2001:db8:1:2::1")
    assert auth.address_key("10.0.0.7") == "10.0.0.7" and auth.address_key(None) == ""


def test_attempts_table_stays_bounded(temp_db, monkeypatch):
    from zi_dashboard.storage import logins

    store = open_store(temp_db)
    now = 1_000_000.0
    for i in range(30):  # one wrong try each from 30 names a day and more ago
        auth.Throttle(store, f"tamu-{i}", clock=lambda: now).attempt()
    assert store.login_attempt_rows() == 30
    later = now + logins.ATTEMPT_IDLE_SECONDS + 1
    auth.Throttle(store, "baru", clock=lambda: later).attempt()
    assert store.login_attempt_rows() == 1  # idle rows that are not locked are forgotten
    monkeypatch.setattr(logins, "MAX_ATTEMPT_ROWS", 10)
    for i in range(25):
        auth.Throttle(store, f"banjir-{i}", clock=lambda i=i: later + i).attempt()
        assert store.login_attempt_rows() <= 10
    assert store.login_wait(["editor:banjir-24@"], later) == 0 and store.login_attempt_rows() == 10


def test_eviction_never_removes_a_running_lock(temp_db, monkeypatch):
    """A flood of wrong tries from many addresses with made-up names fills the attempts table;
    the oldest rows go, but a lock still running stays, so the locked name cannot be guessed."""
    from zi_dashboard.storage import logins

    monkeypatch.setattr(logins, "MAX_ATTEMPT_ROWS", 10)
    store, now = open_store(temp_db), [1_000_000.0]
    editors = {EDITOR: auth.hash_password("kata-sandi-benar-99")}
    for i in range(auth.MAX_TRIES):
        auth.login(store, editors, EDITOR, f"tebakan-{i}", "203.0.113.5", clock=lambda: now[0])
    for i in range(30):  # one wrong try each from 30 addresses, all later than the lock
        now[0] += 0.1
        auth.login(store, editors, f"acak-{i}", "x", f"198.51.100.{i}", clock=lambda: now[0])
        assert store.login_attempt_rows() <= 10 + 2  # the bound, and the two rows of the lock
    assert auth.Throttle(store, EDITOR, "203.0.113.5", clock=lambda: now[0]).wait() > 0
    assert auth.login(store, editors, EDITOR, "kata-sandi-benar-99", "203.0.113.5", clock=lambda: now[0])[0] is None
    now[0] += auth.LOCK_SECONDS  # the lock over, its rows may go like any other
    auth.login(store, editors, "acak-akhir", "x", "198.51.100.250", clock=lambda: now[0])
    assert store.login_attempt_rows() == 10


def test_simultaneous_wrong_logins_are_counted_before_checking(store_url, monkeypatch):
    """30 tries at once for one editor from one address, through two store engines (as two
    servers): at most MAX_TRIES passwords are checked, and round after round of the crowd the
    wait never passes an hour; the editor at another address gets in, and an admin's unlock
    clears the crowd's wait too."""
    stores = [open_store(store_url), open_store(store_url)]
    right = "kata-sandi-rina-123"
    editors = {"Rina": auth.hash_password(right)}
    checked = []
    real_check = auth.check_login
    monkeypatch.setattr(auth, "check_login", lambda *a: checked.append(a[2]) or real_check(*a))
    now = [time.time()]
    crowd = threading.Barrier(30)

    def one(i):
        crowd.wait()
        return auth.login(stores[i % 2], editors, "Rina", f"tebakan-{i}", "198.51.100.7", clock=lambda: now[0])

    try:
        with ThreadPoolExecutor(30) as pool:
            wait = 0.0
            for round_ in range(12):
                now[0] += wait + 1  # the crowd comes back as soon as the wait is over
                results = list(pool.map(one, range(30)))
                assert len(checked) == auth.MAX_TRIES + round_  # then one check each time the wait ends
                assert all(r[0] is None for r in results)
                wait = max(r[2] for r in results)
                assert 0 < wait <= auth.MAX_LOCK_SECONDS
        assert wait == auth.MAX_LOCK_SECONDS
        assert auth.Throttle(stores[0], "Rina", "198.51.100.7", clock=lambda: now[0]).wait() == wait
        assert auth.login(stores[1], editors, "Rina", right, "192.0.2.10", clock=lambda: now[0])[0] == "Rina"
        assert auth.login(stores[0], editors, "Rina", right, "198.51.100.7", clock=lambda: now[0])[:1] == (None,)
        assert auth.unlock(stores[1], "Rina") == 2  # the name at the crowd's address, and that address
        assert auth.login(stores[0], editors, "Rina", right, "198.51.100.7", clock=lambda: now[0])[0] == "Rina"
    finally:
        for st in stores:
            st.dispose()


@pytest.mark.slow  # a crowd of logins, each a password check
def test_a_crowd_from_other_addresses_cannot_lock_the_owner_out(temp_db):
    store, right = open_store(temp_db), "kata-sandi-rina-123"
    editors = {"Rina": auth.hash_password(right)}
    crowd = threading.Barrier(30)

    def guesses(i):
        crowd.wait()
        address = f"198.51.100.{i}"
        return [auth.login(store, editors, "Rina", f"tebakan-{n}", address)[0] for n in range(auth.MAX_TRIES + 1)]

    with ThreadPoolExecutor(30) as pool:
        assert not any(any(r) for r in pool.map(guesses, range(30)))
    assert auth.Throttle(store, "Rina", "192.0.2.10").wait() == 0
    assert auth.login(store, editors, "Rina", right, "192.0.2.10")[0] == "Rina"


def test_cli_unlock_clears_an_editors_waits(temp_db):
    store = open_store(temp_db)
    editors = {EDITOR: editor_hash(), "Sekretaris": editor_hash()}
    for address in ("203.0.113.5", "203.0.113.6"):
        for i in range(auth.MAX_TRIES):
            auth.login(store, editors, EDITOR, f"tebakan-{i}", address)
    for i in range(auth.MAX_TRIES):
        auth.login(store, editors, "Sekretaris", f"tebakan-{i}", "192.0.2.44")
    assert auth.login(store, editors, EDITOR, EDITOR_PASSWORD, "203.0.113.5")[0] is None

    def unlock(name):
        return subprocess.run(
            [sys.executable, "-m", "zi_dashboard", "unlock", name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )

    p = unlock(EDITOR)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == L.CLI["unlocked"].format(name=EDITOR, count=4)
    for address in ("203.0.113.5", "203.0.113.6"):
        assert auth.login(store, editors, EDITOR, EDITOR_PASSWORD, address)[0] == EDITOR
    # another editor whose name starts the same is still waiting
    assert auth.Throttle(store, "Sekretaris", "192.0.2.44").wait() > 0
    p = unlock("Tidak Ada")
    assert p.returncode == 0 and p.stdout.strip() == L.CLI["unlock_none"].format(name="Tidak Ada", count=0)


def test_generated_editor_printed_once_hash_only(temp_db, monkeypatch):
    monkeypatch.delenv("ZI_EDITORS")
    monkeypatch.setattr(auth, "SECRETS_FILE", ROOT / "tests" / "no-such-secrets.toml")
    st = open_store(temp_db)
    said = []
    password = auth.ensure_editor(st, announce=said.append)
    assert password and len(said) == 1 and password in said[0]
    assert auth.ensure_editor(st, announce=said.append) is None and len(said) == 1
    stored = st.stored_editors()
    assert list(stored) == [auth.GENERATED_EDITOR]
    assert auth.verify_password(password, stored[auth.GENERATED_EDITOR])
    with st.engine.connect() as conn:  # the password itself is nowhere in the database
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM zi_credentials")).all() for v in row)
    assert password not in dump


def test_cli_hash_password_from_stdin():
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "hash-password"],
        input="kata-sandi-baru\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert p.returncode == 0
    h = p.stdout.strip()
    assert auth.verify_password("kata-sandi-baru", h) and "kata-sandi-baru" not in p.stdout
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "hash-password"],
        input="pendek\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert p.returncode == 1 and "minimal 12" in p.stderr
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "hash-password"],
        input="sebelas-kar\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert p.returncode == 1 and "minimal 12" in p.stderr and not p.stdout.strip()


def _app(page=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_wrong_password_refused_and_counted_then_locked(temp_db):
    at = _app("pages/unggah.py")
    for i in range(1, 5):
        login(at, EDITOR, "salah")
        assert L.AUTH["wrong"].format(tries=i, max=5) in [e.value for e in at.error]
    login(at, EDITOR, "salah")
    assert any("Terlalu banyak percobaan" in e.value for e in at.error)
    login(at)  # even the right password must wait now
    assert any("Terlalu banyak percobaan" in e.value for e in at.error)
    assert len(at.file_uploader) == 0


def test_a_long_wait_is_said_in_minutes(temp_db):
    """Eight wrong tries in a row (the last just now): the wait is 4 minutes, said so."""
    store, start = open_store(temp_db), time.time() - 1000
    clock = [start]
    for _ in range(7):  # earlier tries, each after the wait before it was over
        clock[0] += auth.Throttle(store, EDITOR, clock=lambda: clock[0]).attempt()[2] + 1
    assert auth.Throttle(store, EDITOR).attempt() == (True, 8, 8 * auth.LOCK_SECONDS)
    at = login(_app("pages/unggah.py"))
    assert L.AUTH["locked_minutes"].format(minutes=4) in [e.value for e in at.error]
    assert len(at.file_uploader) == 0


def test_lock_is_shared_by_sessions(temp_db):
    """Reconnecting gives no new tries: a second session (a second AppTest, the same store) is
    locked out by the first one's wrong tries, even with the right password."""
    first = _app("pages/unggah.py")
    for _ in range(auth.MAX_TRIES):
        login(first, EDITOR, "salah")
    assert any("Terlalu banyak percobaan" in e.value for e in first.error)
    second = login(_app("pages/unggah.py"))
    assert any("Terlalu banyak percobaan" in e.value for e in second.error)
    assert len(second.file_uploader) == 0 and not [m for m in second.sidebar.markdown if EDITOR in m.value]


def test_removed_editor_loses_editing_at_once(temp_db, monkeypatch):
    from test_store import progress_file, save

    store = open_store(temp_db)
    older = save(store, progress_file(20, date(2025, 9, 30)), "progres-september.xlsx").snapshot
    save(store, progress_file(40, date(2025, 10, 31)), "progres-oktober.xlsx")
    at = login(_app("pages/riwayat.py"))
    at.selectbox(key="history_pick").set_value(older.id).run()
    restore = at.button(key="history_restore")  # an editor sees Pulihkan
    monkeypatch.setenv("ZI_EDITORS", f"Rina:{auth.hash_password('kata-sandi-lain-123')}")  # removed
    restore.click().run()  # the button of the page drawn before the removal: nothing happens
    assert [e.kind for e in store.events()] == ["upload", "upload"]
    assert not [b for b in at.button if b.key == "history_restore"]
    assert L.AUTH["need_editor"] in [c.value for c in at.caption]
    assert not [m for m in at.sidebar.markdown if EDITOR in m.value]
    assert [b for b in at.sidebar.button if b.key == "login_open"]
    at.switch_page("pages/unggah.py").run()
    assert len(at.file_uploader) == 0 and L.AUTH["need_editor"] in [i.value for i in at.info]
    assert not at.exception


def test_new_password_ends_open_sessions(temp_db, monkeypatch):
    at = login(_app("pages/unggah.py"))
    assert len(at.file_uploader) >= 1
    monkeypatch.setenv("ZI_EDITORS", f"{EDITOR}:{auth.hash_password('kata-sandi-baru-456')}")
    at.run()
    assert len(at.file_uploader) == 0 and not at.exception


def test_editor_logs_in_and_out(temp_db):
    at = login(_app("pages/unggah.py"))
    assert len(at.file_uploader) >= 1
    assert any(EDITOR in m.value for m in at.sidebar.markdown)
    at.button(key="logout").click().run()
    assert len(at.file_uploader) == 0


def _start_and_read(env) -> str:
    """Start the dashboard, open its first page (the store, and so the editor, is made on the
    first page view), stop it; return what it printed in its terminal."""
    from playwright.sync_api import sync_playwright
    from streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, settle, track_runs

    server = StreamlitServer("app.py", ROOT, env, inherit_env=False)
    try:
        server.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            track_runs(page)
            page.goto(server.url + "/")
            page.wait_for_selector("h1", timeout=30000)
            settle(page)  # the first page view's run has finished: the editor is made (or not)
            browser.close()
    finally:
        out = server.stop()
    return out


@pytest.mark.browser
def test_first_start_prints_a_password_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ZI_EDITORS"}
    env["ZI_DATABASE_URL"] = f"sqlite:///{tmp_path / 'zi.sqlite'}"
    first = _start_and_read(env)
    assert "kata sandi:" in first and "nama: admin" in first
    password = first.split("kata sandi:")[1].split()[0]
    stored = open_store(env["ZI_DATABASE_URL"]).stored_editors()
    assert auth.verify_password(password, stored["admin"])
    second = _start_and_read(env)
    assert "kata sandi:" not in second and password not in second


def test_a_login_kept_across_a_reload_is_signed_hashed_bounded_and_revocable(store_url):
    """The session cookie logs its editor in again for SESSION_HOURS, not after;
    the store keeps only the token's hash; a tampered cookie, a new password, a removed editor,
    a logout or a revocation ends it."""
    store = open_store(store_url)
    now = [1_000_000.0]
    clock = lambda: now[0]  # noqa: E731
    rina, budi = auth.hash_password("kata-sandi-rina-1"), auth.hash_password("kata-sandi-budi-2")
    editors = {"Rina": rina, "Budi": budi}
    cookie = auth.start_session(store, "Rina", rina, clock)
    token, _, signature = cookie.partition(".")
    assert len(token) >= 43 and len(signature) == 64 and auth.start_session(store, "Rina", rina, clock) != cookie
    with store.engine.connect() as conn:
        kept = [tuple(r) for r in conn.execute(text("SELECT token_hash, editor FROM zi_editor_sessions"))]
    assert len(kept) == 2 and all(token not in h and signature not in h for h, _ in kept)  # the hash only
    assert auth.resume_session(store, editors, cookie, clock) == "Rina"
    now[0] += auth.SESSION_HOURS * 3600 - 60
    assert auth.resume_session(store, editors, cookie, clock) == "Rina"  # still within 12 hours
    now[0] += 120
    assert auth.resume_session(store, editors, cookie, clock) is None  # expired
    now[0] = 2_000_000.0
    cookie = auth.start_session(store, "Rina", rina, clock)
    token = cookie.partition(".")[0]
    for forged in (
        token,
        token + ".",
        f"{token}.{'0' * 64}",
        f"{token}x.{cookie.partition('.')[2]}",
        auth.start_session(store, "Budi", budi, clock).partition(".")[0] + "." + cookie.partition(".")[2],
        "",
        None,
        "." * 300,
    ):
        assert auth.resume_session(store, editors, forged, clock) is None, forged
    assert auth.resume_session(store, {"Rina": auth.hash_password("sandi-baru-rina-3")}, cookie, clock) is None
    assert auth.resume_session(store, {"Budi": budi}, cookie, clock) is None  # Rina removed
    other = auth.start_session(store, "Rina", rina, clock)
    auth.end_session(store, cookie, clock)  # a logout ends that session only
    assert auth.resume_session(store, editors, cookie, clock) is None
    assert auth.resume_session(store, editors, other, clock) == "Rina"
    assert auth.end_editor_sessions(store, "Rina", clock) == 1  # revoked: every session of Rina
    assert auth.resume_session(store, editors, other, clock) is None
    store.dispose()


def test_cli_logout_ends_an_editors_kept_logins(temp_db):
    store = open_store(temp_db)
    cookie = auth.start_session(store, EDITOR, editor_hash())
    out = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "logout", EDITOR],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, ZI_DATABASE_URL=temp_db, PYTHONPATH=str(ROOT)),
    )
    assert out.returncode == 0 and f"1 sesi masuk '{EDITOR}' diakhiri" in out.stdout, out.stdout + out.stderr
    assert auth.resume_session(store, {EDITOR: editor_hash()}, cookie) is None
