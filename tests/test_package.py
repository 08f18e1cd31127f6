"""The package as pip installs it, away from the checkout: a wheel built from a copy of the
checkout, installed (not editable) in a fresh venv, runs `check` on a progress file in another
folder and `serve` far enough to answer /_stcore/health, with its bundled plan, example data
and Streamlit app found inside the installed package.

The venv sees this interpreter's site-packages (the dependencies, already installed) but
neither the checkout nor PYTHONPATH: the test asserts that zi_dashboard comes from the venv."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import builders as B
import pytest
from conftest import ROOT, started
from streamlit_server import StreamlitServer

NOT_COPIED = shutil.ignore_patterns(
    ".git",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    "store",
    "artifacts",
    ".pytest_cache",
    ".ruff_cache",
    ".venv",
    "var",
)


def _run(cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{cmd}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> tuple[Path, Path]:
    """(the venv's python, an empty folder away from the checkout).  Slow (conftest)."""
    tmp = tmp_path_factory.mktemp("package")
    source = tmp / "checkout"  # a copy: building writes build/ and *.egg-info beside the sources
    shutil.copytree(ROOT, source, ignore=NOT_COPIED)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(source),
        ],
        tmp,
    )
    wheel = next((tmp / "dist").glob("zi_dashboard-*.whl"))
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(tmp / "venv")], tmp)
    python = tmp / "venv" / "bin" / "python"
    # --no-index: the dependencies pyproject.toml names must be met by what is installed already
    _run([str(python), "-m", "pip", "install", "-q", "--no-index", str(wheel)], tmp)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return python, elsewhere


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZI_", "PYTHON", "STREAMLIT_"))}
    return dict(env, HOME=str(tmp))


def test_the_installed_package_is_the_wheel_s_not_the_checkout(installed_wheel):
    python, elsewhere = installed_wheel
    done = _run(
        [
            str(python),
            "-c",
            "import sys, zi_dashboard.reading.resources as r; "
            "print(r.__file__); print(r.INSTALLED); print(r.APP.is_file()); print(sys.path)",
        ],
        elsewhere,
        _env(elsewhere),
    )
    where, installed, has_app, path = done.stdout.splitlines()
    assert Path(where).is_relative_to(python.parent.parent), where
    assert (installed, has_app) == ("True", "True")
    assert str(ROOT) not in path


def test_check_reads_a_progress_file_in_another_folder(installed_wheel):
    python, elsewhere = installed_wheel
    rows = B.TITLE_ROWS + B.standard_rows({"1.1": 100, "2.1": "75%"})
    (elsewhere / "progres november.xlsx").write_bytes(B.xlsx(rows))
    args = ["check", "progres november.xlsx", "--json"]
    installed = subprocess.run(
        [str(python), "-m", "zi_dashboard", *args],
        cwd=elsewhere,
        env=_env(elsewhere),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    out = json.loads(installed.stdout)
    assert out["valid"] is True and out["as_of"] == "2025-11-15"
    assert out["overall_completion"] == 7.0  # (100 + 75) / 25 rows of the bundled plan
    checkout = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args],
        cwd=elsewhere,
        env=dict(_env(elsewhere), PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(checkout.stdout) == out  # the same figures as the checkout's CLI
    assert sorted(p.name for p in elsewhere.iterdir()) == ["progres november.xlsx"]  # check stores nothing


def test_serve_answers_health_with_the_store_in_the_folder_it_starts_in(installed_wheel):
    python, elsewhere = installed_wheel
    server = StreamlitServer(
        "",
        elsewhere,
        _env(elsewhere),
        name="installed",
        inherit_env=False,
        command=[str(python), "-m", "zi_dashboard", "serve"],
    )
    try:
        started(server)
    finally:
        printed = server.stop()
    assert "kata sandi: " in printed, printed  # the first start's editor, made in the store here
    assert (elsewhere / "data" / "store" / "zi-dashboard.sqlite").is_file()


def test_the_package_names_the_requirements_the_readme_installs():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert listed == [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_a_checkout_reads_the_project_folder_itself():
    from zi_dashboard.reading import resources

    assert not resources.INSTALLED
    assert (resources.DATA_DIR, resources.APP, resources.LOCAL) == (ROOT / "data", ROOT / "app.py", ROOT)


def test_the_installed_package_upgrades_an_old_store_with_its_own_migrations(installed_wheel, tmp_path):
    """Alembic's revisions ship in the wheel: a store of schema version 11 opened by the installed
    package is upgraded to head from the installed migrations folder."""
    from tests.storage.test_migrations import load_legacy_store

    python, elsewhere = installed_wheel
    url = f"sqlite:///{tmp_path / 'lama.sqlite'}"
    load_legacy_store(url, 11)
    code = (
        "import sys; from zi_dashboard.storage import migrations; from zi_dashboard.storage.store import open_store; "
        "st = open_store(sys.argv[1]); print(st.schema_revision(), migrations.head(), len(st.uploads())); "
        "print(migrations.FOLDER)"
    )
    done = _run([str(python), "-c", code, url], elsewhere, _env(elsewhere))
    (revision, head, uploads), (folder,) = (line.split() for line in done.stdout.splitlines())
    assert revision == head and uploads == "3"
    assert Path(folder).is_relative_to(python.parent.parent), folder
