"""The garbage collector is paused only while a sheet is read, and always resumes: after a good
read, after a file that is refused, and after reads overlapping in several threads."""

from __future__ import annotations

import gc
import threading

import builders as B
import pytest
from builders import CODES

from zi_dashboard.reading import collector
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.sheets import UnreadableFile


def test_a_read_pauses_the_collector_and_resumes_it():
    data = B.xlsx([["Laporan Progres ZI"], ["Kode", "Progres"], *[[c, 50] for c in CODES]], merges=["A1:B1"])
    assert gc.isenabled()
    report = read_progress(data, "progres.xlsx", load_plan())
    assert report.valid and len(report.rows) == len(CODES)
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_refused_file_leaves_the_collector_running():
    with pytest.raises(UnreadableFile):
        read_progress(b"PK\x03\x04 not really a workbook", "rusak.xlsx", load_plan())
    assert gc.isenabled()


def test_overlapping_reads_resume_the_collector_when_the_last_one_ends():
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    during: list[bool] = []

    def first() -> None:
        with collector.paused():
            first_in.set()
            second_in.wait(5)
        during.append(gc.isenabled())  # the second read is still going
        first_may_leave.set()

    def second() -> None:
        first_in.wait(5)
        with collector.paused():
            second_in.set()
            first_may_leave.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert during == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_program_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
