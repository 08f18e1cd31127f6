"""Outside the browser: the CLI's own argparse words (usage, options, help,
errors) and the server's start lines speak no English of Streamlit's or argparse's where
configuration or a small translation can say it (the browser side: tests/app/test_browser.py)."""

import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from streamlit_server import StreamlitServer

from zi_dashboard import labels as L


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=120,
    )


@pytest.mark.slow  # CLI processes
def test_cli_help_and_errors_are_indonesian():
    top = _cli("--help")
    assert top.returncode == 0
    assert top.stdout.startswith("penggunaan: python -m zi_dashboard")
    assert "\nargumen:\n" in top.stdout and "\npilihan:\n" in top.stdout
    assert "-h, --help            tampilkan bantuan ini lalu keluar" in top.stdout
    sub = _cli("check", "--help")
    assert sub.stdout.startswith("penggunaan: python -m zi_dashboard check") and "--as-of" in sub.stdout
    missing = _cli("check")
    assert missing.returncode == 2
    assert "python -m zi_dashboard check: galat: argumen berikut wajib diisi: file" in missing.stderr
    wrong = _cli("cek")
    assert "galat: argumen command: pilihan 'cek' tidak ada (pilih salah satu: 'check'," in wrong.stderr
    for out in (top.stdout, sub.stdout, missing.stderr, wrong.stderr):
        for english in (
            "usage:",
            "options:",
            "positional arguments",
            "show this help message",
            "error:",
            "the following arguments",
            "invalid choice",
        ):
            assert english not in out, (english, out)


def test_every_argparse_word_has_its_translation_and_keeps_its_placeholders():
    import re

    for en, ind in L.ARGPARSE.items():
        assert sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", en)) == sorted(re.findall(r"%\(\w+\)[sr]|%[sr]", ind)), en
        assert en.endswith("\n") == ind.endswith("\n")


def test_the_server_prints_its_address_without_streamlits_external_ip_hint(tmp_path):
    """.streamlit/config.toml names the address (browser.serverAddress): the start lines give it,
    and no outside service is asked for a public IP (offline: Streamlit's English "Did not auto
    detect external IP" hint)."""
    srv = StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": f"sqlite:///{tmp_path / 'zi.sqlite'}"})
    try:
        srv.wait_healthy()
        deadline = time.monotonic() + 30
        while f"localhost:{srv.port}" not in srv.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        out = srv.output()
    finally:
        srv.stop()
    assert f"URL: http://localhost:{srv.port}" in out, out
    for english in ("Did not auto detect", "External URL", "Network URL", "debugging hints"):
        assert english not in out, out


def test_every_commands_help_is_shown_in_indonesian(capsys):
    """Every subcommand's --help (a '%' in a help text once made `check --help` fail)."""
    import pytest

    from zi_dashboard import cli

    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert len(commands) > 10
    for name in commands:
        with pytest.raises(SystemExit) as ended:
            parser.parse_args([name, "--help"])
        out = capsys.readouterr().out
        assert ended.value.code == 0 and out.startswith(f"penggunaan: python -m zi_dashboard {name}"), name
        assert "tampilkan bantuan ini lalu keluar" in out and "usage:" not in out, name
