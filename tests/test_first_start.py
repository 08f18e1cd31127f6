"""First start: `python -m zi_dashboard serve` prints the generated editor's password before
the server's own lines (no browser needed), the package runs from any folder once installed
(here: put on the path, as `pip install -e .` does), and a closed pipe ends the CLI quietly."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading

import pytest
from conftest import ROOT


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ZI_EDITORS", "ZI_DATABASE_URL")}
    env.update(ZI_DATABASE_URL=f"sqlite:///{tmp_path / 'zi.sqlite'}", **extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # a server
def test_serve_prints_the_password_at_start_before_the_server_lines(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "zi_dashboard",
        "serve",
        "--server.port",
        str(_free_port()),
        "--server.address",
        "127.0.0.1",
    ]
    env = _env(tmp_path, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    lines: list[str] = []
    watchdog = threading.Timer(180, lambda: os.killpg(proc.pid, signal.SIGKILL))  # never hang the suite
    watchdog.start()
    try:
        for line in proc.stdout:  # blocking reads; the watchdog ends a server that never says its URL
            lines.append(line)
            if "URL:" in line:
                break
    finally:
        watchdog.cancel()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    text = "".join(lines)
    assert "kata sandi: " in text, text
    server_line = next((i for i, x in enumerate(lines) if "URL:" in x), None)
    assert server_line is not None, text
    password_line = next(i for i, x in enumerate(lines) if "kata sandi: " in x)
    assert password_line < server_line  # printed at start, not when a browser first opens


def test_the_cli_runs_outside_the_project_folder_when_installed(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "snapshots", "--json"],
        cwd=tmp_path,
        env=_env(tmp_path, PYTHONPATH=str(ROOT), ZI_EDITORS="x:y"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_a_closed_pipe_ends_the_cli_quietly(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "zi_dashboard", "check", "data/contoh-progres-zi-2025.xlsx", "--as-of", "2025-11-15"],
        cwd=ROOT,
        env=_env(tmp_path, ZI_EDITORS="x:y"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # like `| head -1` that has read its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert err == "" and proc.returncode == 141
