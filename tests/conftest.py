import inspect
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# The fast lane (`python -m pytest -m "not slow" -n 2`, README) needs no PostgreSQL, Chromium, nginx
# or running server: a test that needs one is marked slow here by what it asks for (these
# fixtures, the browser marker, the PostgreSQL side of store_url), by what its own code starts
# (a StreamlitServer, `python -m zi_dashboard`), or by @pytest.mark.slow (a helper that starts
# them, or a test that simply takes long).
SLOW_FIXTURES = {"browser", "proxy", "streamlit", "installed_wheel"}
STARTS_PROCESSES = ("StreamlitServer(", '"-m", "zi_dashboard"')


def _starts_processes(item) -> bool:
    try:
        source = inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        return False
    return any(s in source for s in STARTS_PROCESSES)


def pytest_collection_modifyitems(config, items):
    for item in items:
        spec = getattr(item, "callspec", None)
        on_postgresql = spec is not None and spec.params.get("store_url") == "postgresql"
        if (
            on_postgresql
            or item.get_closest_marker("browser")
            or SLOW_FIXTURES & set(item.fixturenames)
            or _starts_processes(item)
        ):
            item.add_marker(pytest.mark.slow)


EDITOR, EDITOR_PASSWORD = "Sekretaris Tim ZI", "kata-sandi-uji-123"
_HASHES: dict[str, str] = {}


def editor_hash() -> str:
    if EDITOR_PASSWORD not in _HASHES:
        from zi_dashboard.storage.auth import hash_password

        _HASHES[EDITOR_PASSWORD] = hash_password(EDITOR_PASSWORD)
    return _HASHES[EDITOR_PASSWORD]


def login(at, name: str = EDITOR, password: str = EDITOR_PASSWORD):
    """Log an AppTest session in through the sidebar's login form."""
    if not [t for t in at.sidebar.text_input if t.key == "login_name"]:
        at.sidebar.button(key="login_open").click().run()
    at.sidebar.text_input(key="login_name").set_value(name)
    at.sidebar.text_input(key="login_password").set_value(password)
    at.form_submit_button(key="FormSubmitter:login-Masuk").click().run()
    return at


def send_table_state(at, key: str, state: dict):
    """Run an AppTest page as if the browser had sent `state` for the table (st.dataframe with a
    selection, or st.data_editor) whose key contains `key`: a forged one, or what a user's
    clicks or typing give; every other widget as it is."""
    import json

    (table,) = [d for d in at.dataframe if key in d.proto.id]
    states = at._tree.get_widget_states()
    ws = states.widgets.add()
    ws.id = table.proto.id
    ws.string_value = json.dumps(state)
    return at._run(states)


@pytest.fixture
def temp_db(tmp_path, monkeypatch):
    """Every test that touches the store gets its own empty SQLite database, and one editor."""
    url = f"sqlite:///{tmp_path / 'zi.sqlite'}"
    monkeypatch.setenv("ZI_DATABASE_URL", url)
    monkeypatch.setenv("ZI_EDITORS", f"{EDITOR}:{editor_hash()}")
    yield url


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL database of this test process on the server tests/run.sh starts: the
    server's own test database, or with pytest-xdist (-n 2) one database per worker, so two
    workers never drop each other's tables."""
    import os

    base = postgres_server_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield base
        return
    with temporary_database(base, f"zi_test_{worker}") as url:
        yield url


def postgres_server_url() -> str:
    """The test PostgreSQL server tests/run.sh starts (ZI_TEST_POSTGRES_URL); fails without it."""
    import os

    base = os.environ.get("ZI_TEST_POSTGRES_URL")
    if not base:
        pytest.fail(
            "ZI_TEST_POSTGRES_URL is not set: run the tests with `bash tests/run.sh`, "
            "which starts a PostgreSQL server for them"
        )
    return base


@contextmanager
def temporary_database(base: str, name: str):
    """A fresh database `name` on the server of `base` (dropped first if left over), its URL;
    dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty store on SQLite and on the PostgreSQL server tests/run.sh starts."""
    from sqlalchemy import MetaData, create_engine

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'zi.sqlite'}"
        return
    url = request.getfixturevalue("postgres_url")

    def drop_every_table() -> None:  # the store's, Alembic's and an old store's zi_schema
        engine = create_engine(url)
        found = MetaData()
        found.reflect(engine)
        found.drop_all(engine)
        engine.dispose()

    drop_every_table()
    yield url
    drop_every_table()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), one per test module."""
    from streamlit_server import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium); "
            "the browser tests need it and are not skipped."
        )
    from playwright.sync_api import sync_playwright
    from streamlit_server import track_runs

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # every page it opens counts its script runs, for streamlit_server.settle
        b.new_context = _tracked(b.new_context, track_runs)
        b.new_page = _tracked(b.new_page, track_runs)
        yield b
        b.close()


def _tracked(open_, track):
    def opened(*args, **kwargs):
        made = open_(*args, **kwargs)
        track(made)
        return made

    return opened


def started(srv):
    """A StreamlitServer, healthy; else stopped, and the test failed with its output."""
    try:
        return srv.wait_healthy()
    except RuntimeError as exc:
        srv.stop()
        pytest.fail(str(exc))


@contextmanager
def served_store(prefix: str, env: dict[str, str] | None = None, fill=None):
    """The URL of app.py served on a fresh SQLite store in a temporary folder (ZI_DATABASE_URL,
    with `env`).  `fill`, when given, first makes the store in this process through the service,
    as the CLI makes it, with the server's environment in force (put back after); the server
    then reads it.  The server is stopped and the folder removed after."""
    from streamlit_server import StreamlitServer

    tmp = tempfile.mkdtemp(prefix=prefix)
    env = {"ZI_DATABASE_URL": f"sqlite:///{tmp}/zi.sqlite", **(env or {})}
    try:
        if fill is not None:
            with pytest.MonkeyPatch.context() as patched:
                for k, v in env.items():
                    patched.setenv(k, v)
                fill()
        srv = StreamlitServer("app.py", ROOT, env)
        started(srv)
        try:
            yield srv.url
        finally:
            srv.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pytest_make_parametrize_id(config, val, argname):
    """Bytes parameters (files built by test code) are named by their length: their text holds
    zip timestamps, and pytest-xdist's workers must collect the same test names."""
    if isinstance(val, bytes | bytearray):
        return f"{argname}-{len(val)}B"
    return None
