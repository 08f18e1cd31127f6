"""A Streamlit server for browser tests and benchmarks: `streamlit run` headless on a free
loopback port, waited for on /_stcore/health, always stopped; and the Chromium to drive it.

    with StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": url}) as server:
        page.goto(server.url)
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# Debian's chromium (CI installs it); Playwright cannot download its own browsers here
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """`streamlit run SCRIPT` in CWD on a free port, its output kept; stop() ends it."""

    def __init__(self, script: str, cwd: Path, env: dict[str, str] | None = None, name: str = "streamlit",
                 inherit_env: bool = True):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        base = dict(os.environ) if inherit_env else {}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=cwd, env=dict(base, **(env or {})), stdout=self.log, stderr=subprocess.STDOUT)

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
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
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
