"""A Streamlit server for browser tests and benchmarks: `streamlit run` headless on a free
loopback port, waited for on /_stcore/health, always stopped; and the Chromium to drive it.

    with StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": url}) as server:
        page.goto(server.url)
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# Debian's chromium (CI installs it); Playwright cannot download its own browsers here
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


NGINX_SITE = Path(__file__).resolve().parent.parent / "deploy" / "nginx-zi-dashboard.conf"


def end_process(proc: subprocess.Popen) -> None:
    """Ask a process to end, and make it end within 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` in CWD on a free port, its output kept; stop() ends it.  `command`
    starts it another way (the same server options follow): `python -m zi_dashboard serve`."""

    def __init__(
        self,
        script: str,
        cwd: Path,
        env: dict[str, str] | None = None,
        name: str = "streamlit",
        inherit_env: bool = True,
        command: list[str] | None = None,
    ):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while the server runs; stop() closes it)
        base = dict(os.environ) if inherit_env else {}
        self.proc = subprocess.Popen(
            [
                *(command or [sys.executable, "-m", "streamlit", "run", script]),
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=cwd,
            env=dict(base, **(env or {})),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 60) -> StreamlitServer:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: streamlit exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: no answer from /_stcore/health within {timeout:.0f} s")
            time.sleep(0.2)

    def output(self) -> str:
        """Everything the server printed so far (its terminal)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> str:
        """End the server; returns what it printed."""
        end_process(self.proc)
        out = self.output()
        self.log.close()
        return out

    def __enter__(self) -> StreamlitServer:
        try:
            return self.wait_healthy()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        if not self.log.closed:
            self.stop()


async def first_chart(
    url: str, *, headers: dict[str, str] | None = None, timeout: float = 180
) -> tuple[float, float, int]:
    """One viewer opening the app's default page over Streamlit's own websocket protocol, as the
    browser's page does after loading its static files: connect to /_stcore/stream, ask for a
    script run, read the ForwardMsgs.  Returns (seconds to the first plotly chart element,
    seconds to the end of the run, bytes received).  Raises if the app shows an exception."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    first = None
    received = 0
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=timeout,
        additional_headers=headers,
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        await ws.send(msg.SerializeToString())
        while True:
            data = await asyncio.wait_for(ws.recv(), timeout=timeout)
            received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            element = fwd.delta.new_element.WhichOneof("type") if kind == "delta" else None
            if element == "plotly_chart" and first is None:
                first = time.perf_counter() - t0
            elif element == "exception":
                raise RuntimeError(f"the app shows an exception: {fwd.delta.new_element.exception.message}")
            elif kind == "script_finished" and first is not None:
                return first, time.perf_counter() - t0, received


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


NGINX_STATIC = Path(__file__).resolve().parent.parent / "deploy" / "nginx-static.sh"


def static_copy(folder: Path) -> Path:
    """deploy/nginx-static.sh run as deploy/README.md says, with the Python that runs the app:
    Streamlit's static files copied to `folder`/static (scripts and styles compressed beside),
    and the line for /etc/nginx/zi-dashboard-static.conf in `folder`/static-root.conf."""
    copy, conf = folder / "static", folder / "static-root.conf"
    subprocess.run(["sh", str(NGINX_STATIC), sys.executable, str(copy), str(conf)], check=True)
    return copy


class Nginx:
    """nginx with the repository's site configuration (or `site`), listening on a free loopback
    port and passing to `upstream_port` (a second upstream server: `replace` its line); in the
    foreground, one process, everything under `tmp`."""

    def __init__(
        self,
        tmp: Path,
        upstream_port: int,
        replace: dict[str, str] | None = None,
        site: Path = NGINX_SITE,
        upstream_alive: bool = True,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site_file, site = site, site.read_text()
        for old, new in (
            ("listen 80;", f"listen 127.0.0.1:{self.port};"),
            ("server 127.0.0.1:8501;", f"server 127.0.0.1:{upstream_port};"),
            ("/etc/nginx/zi-dashboard-static.conf", str(tmp / "static-root.conf")),
            *(replace or {}).items(),
        ):
            assert site.count(old) == 1, f"{site_file.name}: expected one '{old}'"
            site = site.replace(old, new)
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / "site.conf").write_text(site)
        self.static = static_copy(tmp)  # deploy/README.md's install step
        temps = "\n".join(
            f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (tmp / "nginx.conf").write_text(f"""
daemon off;
master_process off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    access_log {tmp / "access.log"};
{temps}
    include {tmp / "site.conf"};
}}
""")
        binary = nginx_binary()
        assert binary, "nginx not found (apt-get install nginx)"
        check = subprocess.run(
            [binary, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        self.tmp = tmp
        self.proc = subprocess.Popen(
            [binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.request("GET", "/_stcore/health")[0] == (200 if upstream_alive else 502):
                    break  # (nothing behind it: nginx answers by itself)
            except OSError:
                pass
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not answer within 20 s"
            time.sleep(0.1)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def stop(self) -> None:
        end_process(self.proc)


# --- waiting for the page's state, never for a fixed time ----------------------------------------
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# In every page, on its websocket: the reruns the page asked for (BackMsg.rerun_script, field 11)
# and the ones a script run answered: a run answers every ask sent before the client heard it
# start (ForwardMsg.new_session, field 4) once it finishes (script_finished, field 6) other than
# stopped early for a rerun (2: an ask came while it ran, and the server runs the script again).
RUN_TRACKER = """(() => {
    if (window.__ziTrack) return;
    const z = window.__ziTrack = {asked: 0, started: 0, answered: 0};
    const fields = data => {  // the top-level fields of a protobuf message: number -> varint or true
        const b = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : new Uint8Array(data), out = {};
        let i = 0;
        const varint = () => {
            let v = 0, m = 1, c;
            do { c = b[i++]; v += (c & 0x7f) * m; m *= 128; } while (c & 0x80);
            return v;
        };
        while (i < b.length) {
            const tag = varint(), n = Math.floor(tag / 8), wire = tag & 7;
            if (wire === 0) out[n] = varint();
            else if (wire === 2) { const len = varint(); i += len; out[n] = true; }
            else if (wire === 1) i += 8; else if (wire === 5) i += 4; else break;
        }
        return out;
    };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', e => {
                if (!(e.data instanceof ArrayBuffer)) return;
                const f = fields(e.data);
                if (4 in f) z.started = z.asked;
                if (6 in f && f[6] !== 2) z.answered = Math.max(z.answered, z.started);
            });
        }
        send(data) {
            if ((data instanceof ArrayBuffer || ArrayBuffer.isView(data)) && 11 in fields(data)) z.asked += 1;
            return super.send(data);
        }
    };
})()"""
SETTLED = """() => {
    const z = window.__ziTrack, app = document.querySelector('[data-testid="stApp"]');
    return !!z && !!app && app.getAttribute('data-test-script-state') === 'notRunning' && z.answered >= z.asked;
}"""
NEXT_PAINT = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def track_runs(target) -> None:
    """Put RUN_TRACKER in every page a browser context (or one page) opens from now on."""
    target.add_init_script(RUN_TRACKER)


def settle(page, timeout_ms: int = 30_000) -> None:
    """Wait until every rerun the page asked for (a click, a typed value, an upload) has been
    answered by a finished script run, and none runs.  A page opened without the tracker gets
    it now (the reruns it asked for before are not known: then only the idle state counts)."""
    if not page.evaluate("() => !!window.__ziTrack"):
        page.evaluate(RUN_TRACKER)
        track_runs(page)
    page.evaluate(NEXT_PAINT)  # the page has handled the input event and sent what it asks
    page.wait_for_function(SETTLED, timeout=timeout_ms)


def eventually(page, check, timeout: float = 10.0):
    """`check(page)` returns what is wrong, or None; asked again after each repaint of the page
    until it returns None or `timeout` seconds have passed.  Returns its last answer."""
    deadline = time.monotonic() + timeout
    while (wrong := check(page)) is not None and time.monotonic() < deadline:
        page.evaluate(NEXT_PAINT)
    return wrong
