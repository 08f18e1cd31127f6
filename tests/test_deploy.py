"""The documented deployment (deploy/): nginx in front of Streamlit, and the systemd unit;
for two servers on one PostgreSQL, the systemd template unit, nginx with two upstream servers
and sticky sessions (two small Streamlit apps behind it), and the PostgreSQL set-up script
(run against the test PostgreSQL server).

nginx runs here with deploy/nginx-zi-dashboard.conf itself, only its listen port and upstream
port changed to free loopback ports, inside a main configuration that keeps everything (pid,
logs, temporary files) in a temporary directory; a Streamlit server (app.py) runs behind it.
Debian's nginx is installed by tests/run.sh; these tests are not skipped without it.
"""

from __future__ import annotations

import asyncio
import configparser
import contextlib
import gzip
import http.client
import importlib
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import streamlit as streamlit_module
from conftest import ROOT
from streamlit_server import (
    Nginx,
    StreamlitServer,
    first_chart,
    free_port,
    nginx_binary,
)

DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx-zi-dashboard.conf"  # = streamlit_server.NGINX_SITE
UNIT = DEPLOY / "zi-dashboard.service"
SITE_TWO = DEPLOY / "nginx-zi-dashboard-two-servers.conf"  # two servers, sticky sessions
TEMPLATE = DEPLOY / "zi-dashboard@.service"  # one server per port
PG_SETUP = DEPLOY / "postgresql.sql"
UPLOAD = "/_stcore/upload_file/{session}/{file}"
MB = 1024 * 1024


def upload_mb() -> float:
    """server.maxUploadSize in .streamlit/config.toml (MB)."""
    return float(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"])


def upload_location_body_limit() -> int:
    """client_max_body_size inside the upload location, in bytes."""
    text = SITE.read_text()
    block = text[text.index("location /_stcore/upload_file/") :]
    block = block[: block.index("}")]
    value = re.search(r"client_max_body_size\s+(\d+)([km]?);", block)
    return int(value.group(1)) * {"": 1, "k": 1024, "m": MB}[value.group(2)]


@pytest.fixture(scope="module")
def streamlit(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deploy-app")
    with StreamlitServer(
        "app.py",
        ROOT,
        {"ZI_DATABASE_URL": f"sqlite:///{tmp / 'zi.sqlite'}", "ZI_EDITORS": "uji:scrypt$16384$8$1$AAAA$AAAA"},
    ) as server:
        yield server


@pytest.fixture
def proxy(streamlit, tmp_path):
    """A fresh nginx per test: its request-rate counters start at zero."""
    nginx_binary() or pytest.fail(
        "nginx not found: install it (apt-get install nginx; tests/run.sh "
        "does); the deployment tests need it and are not skipped."
    )
    nginx = Nginx(tmp_path / "nginx", streamlit.port)
    yield nginx
    nginx.stop()


def multipart(size: int) -> tuple[bytes, dict[str, str]]:
    """A file-upload body as the browser sends it: one file part of `size` bytes."""
    boundary = "----zi-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="progres.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + b"\0" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_app_loads_through_the_proxy(proxy):
    status, body = proxy.request("GET", "/_stcore/health")
    assert (status, body.strip()) == (200, b"ok")
    status, page = proxy.request("GET", "/")
    assert status == 200 and b'id="root"' in page
    # the page's websocket, through nginx: the script runs and Ringkasan's first chart arrives
    # as a browser opens it: with its Origin (Streamlit refuses an Origin that is not the Host)
    first, finished, received = asyncio.run(first_chart(proxy.url, timeout=120, headers={"Origin": proxy.url}))
    assert 0 < first <= finished and received > 1000


def _gzip_get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_static_files_come_from_nginx_itself_compressed(streamlit, tmp_path):
    """nginx sends Streamlit's static files itself, from the install step's copy: with no server
    behind it at all, the page's script, style and fonts still come, marked immutable for a
    year, the script and style as the copy's own compressed files (nothing compressed per
    request), each the installed file byte for byte."""
    with urllib.request.urlopen(streamlit.url + "/", timeout=30) as r:
        page = r.read()
    names = [m.decode() for m in re.findall(rb'(?:src|href)="\./(static/(?:js|css)/[^"]+)"', page)]
    installed = Path(streamlit_module.__file__).parent / "static"
    font = next((installed / "static" / "media").glob("*.woff2")).relative_to(installed).as_posix()
    alone = Nginx(tmp_path / "nginx", free_port(), upstream_alive=False)  # nothing listens upstream
    try:
        assert alone.request("GET", "/")[0] == 502  # the app's page is Streamlit's: not there
        kinds = {".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2"}
        script, style = (next(n for n in names if n.endswith(x)) for x in (".js", ".css"))
        for name in (script, style, font):
            kind = kinds[Path(name).suffix]
            status, headers, body = _gzip_get(alone.port, "/" + name)
            assert status == 200, (name, status)
            assert headers["content-type"].startswith(kind), (name, headers)
            assert headers["cache-control"] == "public, immutable, max-age=31536000", headers
            if kind == "font/woff2":  # already compressed: sent as it is
                assert body == (installed / name).read_bytes()
            else:
                assert headers.get("content-encoding") == "gzip", (name, headers)
                assert body == (alone.static / (name + ".gz")).read_bytes()  # compressed once, at install
                assert gzip.decompress(body) == (installed / name).read_bytes()
    finally:
        alone.stop()


def test_a_static_name_not_in_the_folder_is_asked_of_streamlit(proxy, streamlit):
    """A page open across an upgrade of Streamlit may ask for a name the folder no longer has:
    nginx passes it on, and the viewer gets Streamlit's own answer."""
    path = "/static/js/index.not-in-this-version.js"
    with contextlib.suppress(urllib.error.HTTPError), urllib.request.urlopen(streamlit.url + path, timeout=30) as r:
        direct = r.status, r.read()
    status, body = proxy.request("GET", path)
    assert (status, body) == direct


def test_the_install_step_for_the_static_files_is_the_one_tested():
    """deploy/README.md runs deploy/nginx-static.sh (what the tests' nginx runs) in both set-ups,
    and both sites include the file it writes."""
    readme = (DEPLOY / "README.md").read_text()
    steps = re.findall(r"^sudo sh deploy/nginx-static\.sh (\S+) (\S+)$", readme, re.M)
    assert steps == [("/opt/zi-dashboard/.venv/bin/python", "/var/lib/zi-dashboard/static")] * 2, steps
    for site in (SITE, SITE_TWO):
        assert site.read_text().count("include /etc/nginx/zi-dashboard-static.conf;") == 1


def test_upload_body_over_the_limit_gets_413(proxy):
    limit = upload_location_body_limit()
    # nginx's cap is Streamlit's own (server.maxUploadSize) plus a little for the envelope
    assert upload_mb() * MB < limit <= upload_mb() * MB * 1.1
    over, headers = multipart(limit + 64 * 1024)
    status, _ = proxy.request("PUT", UPLOAD.format(session="s", file="f"), over, headers)
    assert status == 413
    # a file at Streamlit's limit passes nginx (Streamlit itself then refuses an unknown session)
    within, headers = multipart(int(upload_mb() * MB) - 1024)
    status, _ = proxy.request("PUT", UPLOAD.format(session="s", file="g"), within, headers)
    assert status not in (413, 429, 502, 503, 504)
    # bodies elsewhere are small: nothing else in the app takes an upload
    status, _ = proxy.request("POST", "/_stcore/health", b"\0" * 128 * 1024)
    assert status == 413


def test_rapid_upload_puts_are_refused_beyond_the_rate(proxy):
    body, headers = multipart(10 * 1024)
    statuses = [proxy.request("PUT", UPLOAD.format(session="s", file=f"f{i}"), body, headers)[0] for i in range(15)]
    refused = [s for s in statuses if s in (429, 503)]
    passed = [s for s in statuses if s not in (429, 503)]
    # a burst of 5 beyond the first is let through at once, the rest within the same seconds refused
    assert len(passed) == 6 and len(refused) == 9, statuses
    assert statuses[:6] == passed, statuses
    # removing a file and the rest of the app are not counted against uploads
    assert proxy.request("DELETE", UPLOAD.format(session="s", file="f0"))[0] not in (429, 503)
    assert proxy.request("GET", "/_stcore/health")[0] == 200


def test_connections_per_address_are_bounded(proxy):
    limit = int(re.search(r"limit_conn zi_conn (\d+);", SITE.read_text()).group(1))

    async def hold_many():
        import websockets

        opened, refused = [], 0
        for _ in range(limit + 5):
            try:
                opened.append(
                    await websockets.connect(
                        proxy.url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"], open_timeout=30
                    )
                )
            except websockets.InvalidStatus as exc:
                assert exc.response.status_code == 429
                refused += 1
        for ws in opened:
            await ws.close()
        return len(opened), refused

    opened, refused = asyncio.run(hold_many())
    assert (opened, refused) == (limit, 5)


IP_APP = "import streamlit as st\nst.markdown('ip=' + str(st.context.ip_address))\n"


@pytest.mark.slow  # nginx and a server
def test_the_app_sees_the_viewer_s_address_not_a_claimed_one(tmp_path):
    """A viewer at 127.0.0.2 (nginx sees it), claiming 203.0.113.9 in X-Forwarded-For: the app
    behind nginx gets 127.0.0.2 as st.context.ip_address."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "ip.py").write_text(IP_APP)

    async def seen(url: str) -> str:
        return await _first_markdown(url, "127.0.0.2", {"X-Forwarded-For": "203.0.113.9"})

    # as deploy/zi-dashboard.service runs it: on 127.0.0.1, whose X-Forwarded-For Streamlit's
    # server trusts (listening on every address, nginx's connection would come from ::ffff:127.0.0.1)
    with StreamlitServer("ip.py", tmp_path / "app", {"STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}, name="ip") as app:
        nginx = Nginx(tmp_path / "nginx", app.port)
        try:
            assert asyncio.run(seen(nginx.url)) == "ip=127.0.0.2"
        finally:
            nginx.stop()


def test_forwarded_address_is_nginx_s_view_not_the_client_s_claim():
    text = SITE.read_text()
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", text)
    assert "$http_x_forwarded_for" not in text and "$proxy_add_x_forwarded_for" not in text
    assert re.search(r"proxy_set_header Upgrade \$http_upgrade;", text)


def test_upload_limits_agree(monkeypatch):
    """Streamlit's cap (config.toml) and the app's own (zi_dashboard.reading.limits) are the same size."""
    from zi_dashboard.reading import limits

    monkeypatch.delenv("ZI_MAX_UPLOAD_MB", raising=False)
    try:
        fresh = importlib.reload(limits)
        assert upload_mb() == fresh.MAX_FILE_MB
    finally:
        monkeypatch.undo()
        importlib.reload(limits)


def unit_sections() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(UNIT.read_text())
    return parser


def test_systemd_unit_has_a_memory_ceiling_and_restarts():
    unit = unit_sections()
    service = unit["Service"]
    assert re.fullmatch(r"\d+[KMG]", service["MemoryMax"])
    assert service["Restart"] == "always"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    exec_start = service["ExecStart"]
    assert "streamlit run app.py" in exec_start
    # Streamlit listens on loopback only, on the port nginx passes to
    assert "--server.address 127.0.0.1" in exec_start
    port = re.search(r"--server.port (\d+)", exec_start).group(1)
    assert f"server 127.0.0.1:{port};" in SITE.read_text()


def test_systemd_unit_verifies(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze not found (Debian: apt-get install systemd)")
    # the unit as installed, with the paths of this machine (verify checks the program exists)
    text = UNIT.read_text().replace("/opt/zi-dashboard/.venv/bin/python", sys.executable)
    text = text.replace("/opt/zi-dashboard", str(ROOT))
    copy = tmp_path / "zi-dashboard.service"
    copy.write_text(text)
    done = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Unknown" not in done.stderr and "ignoring" not in done.stderr, done.stderr


# --- two servers on one PostgreSQL ------------------------------------------------------------
UPSTREAM = re.compile(r"upstream zi_streamlit \{[^}]*\}")


def _outside_upstream(text: str) -> list[str]:
    """A site's directives outside its upstream block (comments and blank lines left out)."""
    text = UPSTREAM.sub("", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_two_server_site_is_the_one_server_site_with_a_sticky_upstream():
    # the same limits, caching, headers and websocket handling: only the upstream differs
    assert _outside_upstream(SITE_TWO.read_text()) == _outside_upstream(SITE.read_text())
    (block,) = UPSTREAM.findall(SITE_TWO.read_text())
    lines = [line.strip() for line in block.splitlines()[1:-1] if line.strip()]
    # the balancing method first (nginx: before keepalive), by the client's address
    assert lines[0] in ("hash $remote_addr consistent;", "ip_hash;"), lines
    ports = re.findall(r"^server 127\.0\.0\.1:(\d+);$", "\n".join(lines), re.M)
    assert ports == ["8501", "8502"], lines
    # the template unit's instances named in the README are these ports
    readme = (DEPLOY / "README.md").read_text()
    for port in ports:
        assert f"zi-dashboard@{port}" in readme


WHO_APP = "import os\nimport streamlit as st\nst.markdown('server=' + os.environ['ZI_WHO'])\n"


async def _served_by(url: str, source: str) -> str:
    """Which server a viewer at `source` gets through the proxy: its page's session runs there."""
    return (await _first_markdown(url, source)).removeprefix("server=")


async def _first_markdown(url: str, source: str, headers: dict | None = None) -> str:
    """Open a viewer's session from the address `source` (through the proxy at `url`) and
    return the first markdown the app draws for it."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        local_addr=(source, 0),
        open_timeout=30,
        additional_headers=headers or {},
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        await ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
            if fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.WhichOneof("type") == "markdown":
                return fwd.delta.new_element.markdown.body


@pytest.mark.slow  # nginx and a server
def test_two_servers_behind_nginx_sticky_sessions(tmp_path):
    """nginx with nginx-zi-dashboard-two-servers.conf (`nginx -t` passes) in front of two
    Streamlit servers: viewers at 20 addresses reach both servers, every viewer's three
    connections land on the same server, and when a server stops its viewers get the other."""
    nginx_binary() or pytest.fail("nginx not found: install it (apt-get install nginx)")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "who.py").write_text(WHO_APP)
    servers = {
        who: StreamlitServer(
            "who.py", tmp_path / "app", {"STREAMLIT_SERVER_ADDRESS": "127.0.0.1", "ZI_WHO": who}, name=who
        )
        for who in "AB"
    }
    try:
        for server in servers.values():
            server.wait_healthy()
        nginx = Nginx(
            tmp_path / "nginx",
            servers["A"].port,
            {"server 127.0.0.1:8502;": f"server 127.0.0.1:{servers['B'].port};"},
            site=SITE_TWO,
        )
        try:
            addresses = [f"127.0.0.{i}" for i in range(1, 21)]

            async def everyone() -> list[str]:
                return await asyncio.gather(*(_served_by(nginx.url, a) for a in addresses))

            rounds = [asyncio.run(everyone()) for _ in range(3)]
            assert rounds[0] == rounds[1] == rounds[2], rounds  # sticky: same address, same server
            assert set(rounds[0]) == {"A", "B"}, rounds[0]  # and both servers are used
            on_a = [a for a, who in zip(addresses, rounds[0], strict=True) if who == "A"]
            servers["A"].stop()
            assert [asyncio.run(_served_by(nginx.url, a)) for a in on_a[:3]] == ["B"] * len(on_a[:3])
            print(f"\n{rounds[0].count('A')} of {len(addresses)} addresses on A, the rest on B")
        finally:
            nginx.stop()
    finally:
        for server in servers.values():
            if not server.log.closed:
                server.stop()


def _sections(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def test_template_unit_is_the_unit_with_a_port_per_instance():
    one, many = _sections(UNIT), _sections(TEMPLATE)
    exec_one, exec_many = one["Service"]["ExecStart"], many["Service"]["ExecStart"]
    assert exec_many == exec_one.replace("--server.port 8501", "--server.port %i")
    assert "--server.address 127.0.0.1" in exec_many
    # the store must be shared, so the settings file is required, not optional ("-")
    files = re.findall(r"^EnvironmentFile=(.*)$", TEMPLATE.read_text(), re.M)
    assert files[0] == "/etc/zi-dashboard.env" and all(f.startswith("-") for f in files[1:]), files
    # memory ceiling, restarts and hardening as for one server
    same = {k: v for k, v in one["Service"].items() if k not in ("ExecStart", "EnvironmentFile")}
    assert {k: many["Service"].get(k) for k in same} == same
    assert many["Unit"]["StartLimitIntervalSec"] == "0"


def test_template_unit_verifies(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze not found (Debian: apt-get install systemd)")
    text = TEMPLATE.read_text().replace("/opt/zi-dashboard/.venv/bin/python", sys.executable)
    text = text.replace("/opt/zi-dashboard", str(ROOT))
    # an instance, as `systemctl start zi-dashboard@8502` makes it (the template itself: its keys)
    for name in ("zi-dashboard@.service", "zi-dashboard@8502.service"):
        (tmp_path / name).write_text(text)
        done = subprocess.run([analyze, "verify", str(tmp_path / name)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "Unknown" not in done.stderr and "ignoring" not in done.stderr, done.stderr


@pytest.mark.slow  # PostgreSQL
def test_postgresql_setup_script_makes_a_store_the_role_owns(tmp_path):
    """deploy/postgresql.sql run with psql as the superuser: the role it makes can create and
    use the dashboard's store in the database it makes (PostgreSQL 15: only the owner of a
    database may create tables in its public schema)."""
    import os

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from zi_dashboard.storage.store import open_store

    base = os.environ.get("ZI_TEST_POSTGRES_URL")
    if not base:
        pytest.fail("ZI_TEST_POSTGRES_URL is not set: run the tests with `bash tests/run.sh`")
    psql = shutil.which("psql") or pytest.fail("psql not found (Debian: apt-get install postgresql-client)")
    url = make_url(base)
    tag = os.urandom(4).hex()
    role, db, password = f"zi_role_{tag}", f"zi_db_{tag}", "sandi-uji-" + tag
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        done = subprocess.run(
            [
                psql,
                "-X",
                "-q",
                "-h",
                url.host,
                "-p",
                str(url.port),
                "-U",
                url.username or "postgres",
                "-d",
                "postgres",
                "-v",
                f"role={role}",
                "-v",
                f"db={db}",
                "-v",
                f"password={password}",
                "-f",
                str(PG_SETUP),
            ],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and not done.stderr, done.stderr
        store = open_store(url.set(username=role, password=password, database=db).render_as_string(hide_password=False))
        try:
            home = store.home()  # the schema made and migrated by the role, the bundled plan stored
            assert store.workplans() == [home]
        finally:
            store.engine.dispose()
        check = create_engine(url.set(database=db))
        try:
            with check.connect() as conn:
                owners = set(
                    conn.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars()
                )
                others = conn.execute(
                    text("SELECT has_database_privilege('public', :db, 'CONNECT')"), {"db": db}
                ).scalar()
        finally:
            check.dispose()
        assert owners == {role}
        assert others is False  # nobody else may connect
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
