"""The documented deployment (deploy/): nginx in front of Streamlit, and the systemd unit.

nginx runs here with deploy/nginx-zi-dashboard.conf itself, only its listen port and upstream
port changed to free loopback ports, inside a main configuration that keeps everything (pid,
logs, temporary files) in a temporary directory; a Streamlit server (app.py) runs behind it.
Debian's nginx is installed by tests/run.sh; these tests are not skipped without it.
"""
from __future__ import annotations

import asyncio
import configparser
import http.client
import importlib
import re
import shutil
import subprocess
import sys
import tomllib

import pytest
from conftest import ROOT
from streamlit_server import Nginx, StreamlitServer, first_chart, nginx_binary

DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx-zi-dashboard.conf"  # = streamlit_server.NGINX_SITE
UNIT = DEPLOY / "zi-dashboard.service"
UPLOAD = "/_stcore/upload_file/{session}/{file}"
MB = 1024 * 1024


def upload_mb() -> float:
    """server.maxUploadSize in .streamlit/config.toml (MB)."""
    return float(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"])


def upload_location_body_limit() -> int:
    """client_max_body_size inside the upload location, in bytes."""
    text = SITE.read_text()
    block = text[text.index("location /_stcore/upload_file/"):]
    block = block[:block.index("}")]
    value = re.search(r"client_max_body_size\s+(\d+)([km]?);", block)
    return int(value.group(1)) * {"": 1, "k": 1024, "m": MB}[value.group(2)]


@pytest.fixture(scope="module")
def streamlit(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deploy-app")
    with StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": f"sqlite:///{tmp / 'zi.sqlite'}",
                                          "ZI_EDITORS": "uji:scrypt$16384$8$1$AAAA$AAAA"}) as server:
        yield server


@pytest.fixture
def proxy(streamlit, tmp_path):
    """A fresh nginx per test: its request-rate counters start at zero."""
    nginx_binary() or pytest.fail("nginx not found: install it (apt-get install nginx; tests/run.sh "
                                  "does); the deployment tests need it and are not skipped.")
    nginx = Nginx(tmp_path / "nginx", streamlit.port)
    yield nginx
    nginx.stop()


def multipart(size: int) -> tuple[bytes, dict[str, str]]:
    """A file-upload body as the browser sends it: one file part of `size` bytes."""
    boundary = "----zi-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"progres.xlsx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
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


def test_static_files_are_kept_and_compressed_by_nginx(proxy):
    status, page = proxy.request("GET", "/")
    script = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', page).group(1).decode()
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
    try:
        seen = []
        for _ in range(2):
            conn.request("GET", "/" + script, headers={"Accept-Encoding": "gzip"})
            r = conn.getresponse()
            body = r.read()
            seen.append((r.status, r.getheader("X-Cache-Status"), r.getheader("Content-Encoding"), len(body)))
    finally:
        conn.close()
    (s1, c1, e1, n1), (s2, c2, e2, n2) = seen
    assert (s1, s2) == (200, 200) and c1 == "MISS" and c2 == "HIT", seen
    assert e1 == e2 == "gzip" and n2 == n1, seen


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
    statuses = [proxy.request("PUT", UPLOAD.format(session="s", file=f"f{i}"), body, headers)[0]
                for i in range(15)]
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
                opened.append(await websockets.connect(proxy.url.replace("http", "ws") + "/_stcore/stream",
                                                       subprotocols=["streamlit"], open_timeout=30))
            except websockets.InvalidStatus as exc:
                assert exc.response.status_code == 429
                refused += 1
        for ws in opened:
            await ws.close()
        return len(opened), refused

    opened, refused = asyncio.run(hold_many())
    assert (opened, refused) == (limit, 5)


IP_APP = "import streamlit as st\nst.markdown('ip=' + str(st.context.ip_address))\n"


def test_the_app_sees_the_viewer_s_address_not_a_claimed_one(tmp_path):
    """A viewer at 127.0.0.2 (nginx sees it), claiming 203.0.113.9 in X-Forwarded-For: the app
    behind nginx gets 127.0.0.2 as st.context.ip_address."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "ip.py").write_text(IP_APP)

    async def seen(url: str) -> str:
        async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream",
                                      subprotocols=["streamlit"], local_addr=("127.0.0.2", 0),
                                      additional_headers={"X-Forwarded-For": "203.0.113.9"}) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_script_hash = ""
            await ws.send(msg.SerializeToString())
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
                if fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.WhichOneof("type") == "markdown":
                    return fwd.delta.new_element.markdown.body

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
