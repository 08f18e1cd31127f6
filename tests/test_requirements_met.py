"""tests/run.sh runs pip only when tests/requirements_met.py finds something missing."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from conftest import ROOT

SCRIPT = ROOT / "tests" / "requirements_met.py"


def _met(tmp_path, *lines: str) -> subprocess.CompletedProcess:
    (tmp_path / "base.txt").write_text("\n".join(lines) + "\n")
    (tmp_path / "dev.txt").write_text("-r base.txt  # as requirements-dev.txt includes requirements.txt\n")
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "dev.txt")], capture_output=True, text=True, timeout=60
    )


def test_the_project_s_requirements_are_met_here():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(ROOT / "requirements-dev.txt")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_installed_packages_are_met(tmp_path):
    pytest_version = metadata.version("pytest")
    done = _met(tmp_path, f"pytest=={pytest_version}", "# a comment", "", "SQLAlchemy>=2.0  # why")
    assert (done.returncode, done.stdout) == (0, "")


def test_a_missing_package_a_too_old_version_and_a_missing_extra_are_said(tmp_path):
    done = _met(tmp_path, "zi-no-such-package-anywhere", "pytest>=999", "streamlit[snowflake]")
    assert done.returncode == 1
    said = done.stdout.splitlines()
    assert said[0] == "missing: zi-no-such-package-anywhere"
    assert said[1].startswith("missing: pytest>=999 (") and "installed)" in said[1]
    assert any("snowflake" in line for line in said[2:]), said
