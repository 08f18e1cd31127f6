"""A hostile file cannot take the process down or freeze it.

- every file a user gives is read in a child process (zi_dashboard.reading.sandbox) with a memory
  ceiling and a time limit; past either, a clear Indonesian message (exit 2 in the CLI) and
  nothing changes, while the caller's process lives on;
- no parsing step is worse than linear: doubling a hostile input at most about doubles the
  work, counted as function calls (a quadratic step would quadruple it), and the doubled input
  read through the child comes back before the child's time limit.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import builders as B
import killers as K
import pytest
import work_count
from conftest import ROOT

from zi_dashboard import labels as L
from zi_dashboard.reading import limits, sandbox
from zi_dashboard.reading.plan import PlanError, load_plan, read_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.sheets import UnreadableFile

HEAVY = "terlalu berat untuk dibaca"
FORBIDDEN = ("Traceback", "Galat tak terduga", "panicked", "stack backtrace", "memory allocation of")


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture
def no_area_check(monkeypatch):
    """Let a file past the area check, so only the child process boundary stands between the
    native reader's 512 GiB allocation and this process."""
    monkeypatch.setattr(limits, "MAX_CELLS", 10**15)  # the child takes the caller's limits


# --- the child process boundary ----------------------------------------------------------------
def test_sandboxed_read_equals_in_process_read(plan):
    from zi_dashboard.reading.example import EXAMPLE_FILE

    data = EXAMPLE_FILE.read_bytes()
    inside = read_progress(data, EXAMPLE_FILE.name, plan)
    outside = sandbox.read_progress(data, EXAMPLE_FILE.name, plan)
    assert outside.valid and inside.valid
    assert outside.rows.to_dict("records") == inside.rows.to_dict("records")
    assert [p.text() for p in outside.problems] == [p.text() for p in inside.problems]
    assert outside.position_date == inside.position_date and outside.sheets == inside.sheets


def test_native_abort_only_kills_the_child(plan, no_area_check):
    """XFD1048576 inside row 6, with the area check off: calamine asks for 512 GiB and aborts;
    only the child dies, the message says why, and the next read works."""
    data = K.xfd_in_row_6()
    with pytest.raises(UnreadableFile) as exc:
        sandbox.read_progress(data, "progres.xlsx", plan)
    # stopped by the memory ceiling (the message names it), not left to run into the time limit
    assert HEAVY in str(exc.value) and L.msg("too_heavy_memory", mb="512") in str(exc.value)
    assert sandbox.read_progress(K.table(), "progres.xlsx", plan).valid


@pytest.mark.slow  # 239 MB of text, twice
def test_memory_ceiling_is_real_and_settable(plan, monkeypatch):
    """239 MB of text in 12 sheets reads within the default 512 MB; with a 100 MB ceiling the
    child is stopped and the caller gets the message naming that ceiling."""
    data = K.many_big_sheets()
    monkeypatch.setattr(limits, "READ_SECONDS", 120.0)  # a busy machine is slow; memory is the point here
    assert sandbox.read_progress(data, "progres.xlsx", plan).valid
    monkeypatch.setattr(limits, "READ_MEMORY_MB", 100.0)
    with pytest.raises(UnreadableFile) as exc:
        sandbox.read_progress(data, "progres.xlsx", plan)
    assert HEAVY in str(exc.value) and "100 MB memori" in str(exc.value)


@pytest.mark.slow  # 239 MB of text
def test_time_limit_kills_the_child(plan, monkeypatch):
    """A read that takes longer than the limit: stopped, with the message naming the limit (not
    waited for until it ends: with a whole minute it reads, test_memory_ceiling_is_real_and_settable)."""
    monkeypatch.setattr(limits, "READ_SECONDS", 1.0)
    data = K.many_big_sheets()
    with pytest.raises(UnreadableFile) as exc:
        sandbox.read_progress(data, "progres.xlsx", plan)
    assert HEAVY in str(exc.value) and "waktu 1 detik" in str(exc.value)
    assert sandbox.read_progress(K.table(), "progres.xlsx", plan).valid


def test_limits_of_the_caller_apply_in_the_child(plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    with pytest.raises(UnreadableFile) as exc:
        sandbox.read_progress(K.table(), "progres.xlsx", plan)
    assert "melebihi batas 10 baris" in str(exc.value)


def test_plan_errors_come_back_whole():
    bad = B.csv_bytes([["No", "Indikator", "Target"], ["1.1", "Penyusunan Tim Kerja", "kapan-kapan"]])
    with pytest.raises(PlanError) as inside:
        read_plan(bad, "rencana.csv")
    with pytest.raises(PlanError) as outside:
        sandbox.read_plan(bad, "rencana.csv")
    assert [p.text() for p in outside.value.problems] == [p.text() for p in inside.value.problems]
    good = (ROOT / "data" / "rencana-kerja-zi-2025.csv").read_bytes()
    assert sandbox.read_plan(good, "rencana.csv").codes == load_plan().codes


@pytest.mark.slow  # 239 MB of text
def test_concurrent_reads_do_not_wait_for_a_heavy_one(plan, monkeypatch):
    """A slow hostile read in one thread; once it runs, a normal read in another finishes
    while the heavy one is still running."""
    import threading

    monkeypatch.setattr(limits, "READ_SECONDS", 120.0)  # the heavy read ends by itself, later
    monkeypatch.setattr(limits, "READ_CONCURRENT", 2)
    data = K.many_big_sheets()
    heavy_done = threading.Event()

    def heavy():
        with contextlib.suppress(UnreadableFile):
            sandbox.read_progress(data, "progres.xlsx", plan)
        heavy_done.set()

    th = threading.Thread(target=heavy)
    th.start()
    with sandbox.TURNS.cond:  # the heavy read has its turn: its child is reading
        assert sandbox.TURNS.cond.wait_for(lambda: sandbox.TURNS.running == 1 or heavy_done.is_set(), timeout=60)
    assert not heavy_done.is_set()
    assert sandbox.read_progress(K.table(), "progres.xlsx", plan).valid
    assert not heavy_done.is_set(), "the light read waited for the heavy one"
    th.join()


def test_upload_check_goes_through_the_child(plan, temp_db, no_area_check):
    """The Unggah page's check: the killer file gives a message, this process lives on."""
    from zi_dashboard.app import service
    from zi_dashboard.app.service import uploads

    uploads.read_upload.cache_clear()
    check = service.check_upload(K.xfd_in_row_6(), "progres.xlsx")
    assert check.reading is None and HEAVY in check.message
    assert service.check_upload(K.table(), "progres.xlsx").valid


def _cli(*args, env=None, timeout=120):
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {})),
    )
    assert not any(f in p.stdout + p.stderr for f in FORBIDDEN), p.stdout + p.stderr
    return p


@pytest.mark.slow  # three CLI processes
def test_cli_survives_the_native_abort(tmp_path, temp_db):
    """The CLI died with exit 134 and a native stack trace; now: exit 2 and the message, for
    check and import alike, and the store unchanged."""
    from zi_dashboard.storage.store import open_store

    path = tmp_path / "progres.xlsx"
    path.write_bytes(K.xfd_in_row_6())
    huge = {"ZI_MAX_CELLS": str(10**15)}
    # the area check alone already refuses it
    p = _cli("check", str(path))
    assert p.returncode == 2 and "terlalu luas untuk dibaca" in p.stderr
    # past the area check (its limit set absurdly high), the child boundary holds
    p = _cli("check", str(path), env=huge)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith(L.CLI["cannot_read"] + ":") and HEAVY in p.stderr, p.stderr
    before = open_store(temp_db).count()
    p = _cli("import", str(path), "--by", "uji", env=huge)
    assert p.returncode == 2 and open_store(temp_db).count() == before


@pytest.mark.slow  # 239 MB of text, two CLI processes
def test_cli_time_limit_is_settable(tmp_path):
    path = tmp_path / "progres.xlsx"
    path.write_bytes(K.many_big_sheets())
    p = _cli("check", str(path), env={"ZI_READ_SECONDS": "1"})
    assert p.returncode == 2 and HEAVY in p.stderr and "waktu 1 detik" in p.stderr, p.stderr
    p = _cli("check", str(path), env={"ZI_READ_MEMORY_MB": "100"})
    assert p.returncode == 2 and HEAVY in p.stderr and "100 MB memori" in p.stderr, p.stderr


# --- linear time -----------------------------------------------------------------------------------
def _sheet(body: bytes) -> bytes:
    """The table's workbook with `body` added at the end of its sheet data."""
    return K.patch_sheet(K.table(), lambda xml: xml.replace(b"</sheetData>", body + b"</sheetData>", 1))


def _styles(body: bytes) -> bytes:
    return K.rezip(K.table(), {"xl/styles.xml": lambda xml: xml.replace(b"</styleSheet>", body + b"</styleSheet>")})


# each: n -> file bytes, filename; sized so that n takes a measurable time
GROWING = {
    "unclosed-row-tags": (lambda n: _sheet(b"<row>" * n), "progres.xlsx", 800_000),
    # small enough for a quadratic reader to finish: 5,000 -> 10,000 took 1.6 -> 6.5 s before
    "unclosed-row-tags-5000": (lambda n: _sheet(b"<row>" * n), "progres.xlsx", 5_000),
    "cell-tags-never-closed": (lambda n: _sheet(b'<row r="30"><c r="A30" s="1" ' * n), "progres.xlsx", 200_000),
    "rows-and-cells-without-r": (lambda n: _sheet(b"<row><c><v>1</v></c></row>" * n), "progres.xlsx", 40_000),
    "prefixed-cells-any-quoting": (
        lambda n: _sheet(b"".join(b"<x:row r='%d'><x:c r = 'B%d'/></x:row>" % (30 + i, 30 + i) for i in range(n))),
        "progres.xlsx",
        40_000,
    ),
    "r-inside-attribute-values": (
        lambda n: _sheet(b'<row r="30"><c r="A30" t="' + b' r="A1' * n + b'"/></row>'),
        "progres.xlsx",
        1_000_000,
    ),
    "nested-styles": (lambda n: _styles(b"<x>" * n + b"</x>" * n), "progres.xlsx", 1_000_000),
    "csv-separator-line": (lambda n: K.separator_line_csv(n / 1e6), "progres.csv", 2_000_000),
    "csv-quotes-never-closed": (lambda n: b"Kode;Progres\r\n" + b'1.1;"' + b'x;"";' * n, "progres.csv", 300_000),
}


def _calls(data: bytes, name: str, plan) -> int:
    """The work of one in-process read, counted as its function calls (tests/work_count.py)."""
    return work_count.calls(lambda: read_progress(data, name, plan))[0]


@pytest.mark.slow  # each size read under a profiler, and the larger read again in the child
@pytest.mark.parametrize("kind", list(GROWING))
def test_doubling_the_input_at_most_about_doubles_the_work(kind, plan):
    """The work of a read, counted as the Python and C function calls it makes (the same on an
    idle and on a busy machine), for inputs of size n and 2n: linear ~2, quadratic ~4; fixed
    costs (the table) only push the ratio towards 1.  The count cannot see work inside ONE C
    call (a regular expression backtracking over the text, calamine, expat): that is bounded
    by the child's time limit, so the 2n input is also read through the child here and must
    come back as a reading or as its refusal, never stopped by that limit
    (test_time_limit_kills_the_child shows the limit stops a read that runs past it)."""
    build, name, n = GROWING[kind]
    small, large = build(n), build(2 * n)
    _calls(small, name, plan)  # warm up: imports and caches filled once, not counted
    c1, c2 = _calls(small, name, plan), _calls(large, name, plan)
    assert c2 / c1 <= 2.5, f"{kind}: {c1} -> {c2} calls"
    try:
        sandbox.read_progress(large, name, plan)
    except UnreadableFile as exc:
        assert exc.code != "too_heavy", f"{kind}: {exc}"
