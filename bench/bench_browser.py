"""Benchmark: time to the first drawn chart in a real browser, against a hello-world Streamlit app.

    python bench/bench_browser.py

Starts two Streamlit servers on free ports, headless:

  ours   app.py from this repository, with a temporary database (ZI_DATABASE_URL), so it shows
         the bundled example data and never touches the real store
  hello  a one-chart app written to a temporary directory:
         st.plotly_chart(px.bar(x=[1, 2, 3], y=[1, 3, 2]))

then, in headless Chromium (/usr/bin/chromium), measures alternately (hello, ours, hello,
ours, ...) the wall time from `page.goto` to the first plotly chart being drawn
(`.js-plotly-plot .main-svg` visible) on Ringkasan for ours and on the only page for hello.
Every measurement uses a fresh browser context (a fresh Streamlit session, no cache of the
page's assets shared with the previous measurement's session state).  One unmeasured warm-up
load per server comes first.  Prints the medians, the ratio ours/hello and the goal: within
1.3x.  Both servers are always stopped at the end.
"""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
N = 7
GOAL = 1.3
VIEWPORT = {"width": 1920, "height": 1080}
DRAWN = ".js-plotly-plot .main-svg"
EXCEPTION = '[data-testid="stException"]'
HELLO_APP = (
    "import plotly.express as px\n"
    "import streamlit as st\n"
    "\n"
    "st.plotly_chart(px.bar(x=[1, 2, 3], y=[1, 3, 2]))\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` in CWD on a free port; stopped by stop()."""

    def __init__(self, name: str, script: str, cwd: Path, env: dict[str, str] | None = None):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=cwd, env=dict(os.environ, **(env or {})), stdout=self.log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{self.name}: streamlit exited with {self.proc.returncode}:\n"
                                   + self.log.read().decode(errors="replace"))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: no answer from /_stcore/health within {timeout:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def time_to_chart(browser, url: str) -> float:
    """Seconds from page.goto(url) to the first plotly chart drawn, in a fresh context."""
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(f"{DRAWN}, {EXCEPTION}", state="visible", timeout=60_000)
        elapsed = time.perf_counter() - t0
        if page.locator(EXCEPTION).count():
            raise RuntimeError(f"{url}: the app shows an exception:\n"
                               + "\n".join(page.locator(EXCEPTION).all_inner_texts()))
        return elapsed
    finally:
        ctx.close()


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install chromium).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-browser-"))
    (tmp / "hello").mkdir()
    (tmp / "hello" / "hello.py").write_text(HELLO_APP, encoding="utf-8")
    servers: list[Server] = []
    try:
        ours = Server("ours", "app.py", ROOT, {"ZI_DATABASE_URL": f"sqlite:///{tmp}/zi.sqlite"})
        servers.append(ours)
        hello = Server("hello", "hello.py", tmp / "hello")
        servers.append(hello)
        for s in servers:
            s.wait_healthy()

        times: dict[str, list[float]] = {"hello": [], "ours": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for s in (hello, ours):  # warm-up: first script run, imports, caches
                    time_to_chart(browser, s.url)
                for _ in range(N):
                    for s in (hello, ours):
                        times[s.name].append(time_to_chart(browser, s.url))
            finally:
                browser.close()
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["ours"] / med["hello"]
    print(f"Time from page.goto to the first plotly chart drawn ({DRAWN}), "
          f"{VIEWPORT['width']}x{VIEWPORT['height']}, fresh context each, N={N} alternating, after one warm-up")
    for name, label in (("hello", "hello-world (one px.bar)"), ("ours", "ZI Dashboard, Ringkasan")):
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"  {label:<26} median {med[name]:6.3f} s   runs: {runs}")
    verdict = "OK" if ratio <= GOAL else "OVER"
    print(f"  ratio ours/hello          {ratio:6.2f}x   goal: within {GOAL}x  -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
