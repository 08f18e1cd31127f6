"""Without nginx, the app's own limits hold on a real server: an upload PUT over
server.maxUploadSize is refused (413), a file for a session that is not an editor's is refused
(403) and never kept, and a websocket message over server.maxWidgetStateSize closes the
connection (1009) before anything is done with it; through nginx the same."""

from __future__ import annotations

import asyncio
import http.client
import tomllib

import pytest
from conftest import ROOT
from streamlit_server import Nginx, StreamlitServer, nginx_binary

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
MB = 1024 * 1024
GATE_APP = """import streamlit as st
from zi_dashboard.app.ui import upload_gate
upload_gate.install()
upload_gate.mark(st.query_params.get("ed") == "1")   # an editor's session, as sidebar.editor() marks it
st.markdown("siap")
"""

pytestmark = pytest.mark.slow


def multipart(size: int) -> tuple[bytes, dict[str, str]]:
    boundary = "----zi-gate-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="progres.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + b"\0" * size + f"\r\n--{boundary}--\r\n".encode(), {
        "Content-Type": f"multipart/form-data; boundary={boundary}"
    }


def _request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read(), r
    finally:
        conn.close()


def _xsrf(port: int) -> dict[str, str]:
    """The XSRF cookie the page's health check sets, and the header a browser's upload carries with it."""
    _, _, r = _request(port, "GET", "/_stcore/health")
    cookie = next(c for c in r.headers.get_all("Set-Cookie") if c.startswith("_streamlit_xsrf="))
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    return {"Cookie": f"_streamlit_xsrf={value}", "X-Xsrftoken": value}


async def _with_session(url: str, query: str, action):
    """Open a viewer's session (its websocket stays open: the session is live), then run
    action(session_id) in a thread and return what it returns."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=60
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_script_hash = ""
        await ws.send(msg.SerializeToString())
        session_id, finished = None, False
        while not (session_id and finished):
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                session_id = fwd.new_session.initialize.session_id
            finished = finished or kind == "script_finished"
        return await asyncio.to_thread(action, session_id)


def _put(port: int, session_id: str, size: int, file_id: str = "f1") -> int:
    body, headers = multipart(size)
    return _request(port, "PUT", f"/_stcore/upload_file/{session_id}/{file_id}", body, {**headers, **_xsrf(port)})[0]


async def _too_big_message(url: str) -> int | None:
    """Send a websocket message 1 MB over server.maxWidgetStateSize (a forged widget value) and
    return the close code."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg

    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=60
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = "satker=" + "x" * ((CONFIG["maxWidgetStateSize"] + 1) * MB)
        await ws.send(msg.SerializeToString())
        try:
            while True:
                await asyncio.wait_for(ws.recv(), timeout=60)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gate-app")
    with StreamlitServer(
        "app.py",
        ROOT,
        {
            "ZI_DATABASE_URL": f"sqlite:///{tmp / 'zi.sqlite'}",
            "ZI_EDITORS": "uji:scrypt$16384$8$1$AAAA$AAAA",
            "PYTHONPATH": str(ROOT),
        },
    ) as server:
        yield server


def test_the_config_states_the_app_s_limits():
    assert CONFIG["maxUploadSize"] == 3 and 1 <= CONFIG["maxWidgetStateSize"] <= 8
    assert 1 <= CONFIG["maxMessageSize"] <= 64  # not Streamlit's 200 MB default


def test_a_viewer_session_cannot_put_files_on_the_server(app_server):
    statuses = asyncio.run(
        _with_session(
            app_server.url,
            "",
            lambda sid: (
                [_put(app_server.port, sid, 10 * 1024, f"f{i}") for i in range(3)]
                + [_put(app_server.port, sid, 4 * MB, "big")]
            ),
        )
    )
    # small files: refused, not kept (403); over server.maxUploadSize: refused before reading (413)
    assert statuses == [403, 403, 403, 413], statuses


def test_a_websocket_message_over_the_limit_closes_the_connection(app_server):
    assert asyncio.run(_too_big_message(app_server.url)) == 1009
    status, body, _ = _request(app_server.port, "GET", "/_stcore/health")
    assert (status, body.strip()) == (200, b"ok")


def test_an_editor_session_may_upload_and_a_viewer_s_may_not(tmp_path):
    (tmp_path / "gate.py").write_text(GATE_APP)
    with StreamlitServer("gate.py", tmp_path, {"PYTHONPATH": str(ROOT)}, name="gate") as server:
        editor = asyncio.run(_with_session(server.url, "ed=1", lambda sid: _put(server.port, sid, 10 * 1024)))
        viewer = asyncio.run(_with_session(server.url, "", lambda sid: _put(server.port, sid, 10 * 1024)))
    assert (editor, viewer) == (204, 403)


def test_through_nginx_the_same_limits_hold(app_server, tmp_path):
    nginx_binary() or pytest.fail("nginx not found: install it (apt-get install nginx)")
    proxy = Nginx(tmp_path / "nginx", app_server.port)
    try:
        assert asyncio.run(_too_big_message(proxy.url)) == 1009
        statuses = asyncio.run(
            _with_session(
                proxy.url, "", lambda sid: [_put(proxy.port, sid, 10 * 1024), _put(proxy.port, sid, 4 * MB, "big")]
            )
        )
        assert statuses == [403, 413], statuses
    finally:
        proxy.stop()
