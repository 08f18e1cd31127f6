"""Untrusted reads queue for a server-wide cap: at most limits.READ_CONCURRENT
child processes read at once, whichever sessions ask; a read that waits longer than
limits.READ_WAIT_SECONDS is told "sedang sibuk, coba lagi" and starts nothing."""

from __future__ import annotations

import threading

import pytest
from builders import csv_bytes

from zi_dashboard.reading import limits, sandbox
from zi_dashboard.reading.sheets import UnreadableFile

SHEET = csv_bytes([["PIC", "No. HP"], ["PPID", "0812-3456-7890"], ["Sekretaris", "0813-1111-2222"]])


def test_reads_queue_for_the_cap(monkeypatch):
    monkeypatch.setattr(limits, "READ_CONCURRENT", 2)
    monkeypatch.setattr(limits, "READ_WAIT_SECONDS", 600)
    sandbox.TURNS.most = 0
    results, errors = [], []
    start = threading.Barrier(8)

    def one(i: int) -> None:
        start.wait()
        try:
            results.append(sandbox.read_contacts(SHEET, f"kontak-{i}.csv", "phone"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 8
    assert all(r == {"PPID": "0812-3456-7890", "Sekretaris": "0813-1111-2222"} for r in results)
    assert 1 <= sandbox.TURNS.most <= 2
    assert sandbox.TURNS.running == 0 and sandbox.TURNS.queue == []


def test_a_read_that_waits_too_long_is_told_the_server_is_busy(monkeypatch):
    monkeypatch.setattr(limits, "READ_CONCURRENT", 1)
    monkeypatch.setattr(limits, "READ_WAIT_SECONDS", 0.05)
    forked = []
    real_fork = sandbox._fork_child
    monkeypatch.setattr(sandbox, "_fork_child", lambda: forked.append(1) or real_fork())
    # another session's read holds the only turn
    with sandbox.TURNS.turn("lain.xlsx"), pytest.raises(UnreadableFile) as exc:
        sandbox.read_contacts(SHEET, "kontak.csv", "phone")
    message = str(exc.value)
    assert "sedang sibuk" in message and "Coba lagi" in message and "'kontak.csv'" in message
    assert forked == []  # nothing was started for it
    # the turn is free again: the next read goes through
    assert sandbox.read_contacts(SHEET, "kontak.csv", "phone")["PPID"] == "0812-3456-7890"
    assert forked == [1] and sandbox.TURNS.running == 0


def test_a_busy_answer_is_not_kept_as_the_files_outcome(monkeypatch, temp_db):
    """The upload check says "sedang sibuk" when it had no turn, and the next try reads the file."""
    from zi_dashboard.app import service
    from zi_dashboard.reading.example import EXAMPLE_FILE

    monkeypatch.setattr(limits, "READ_CONCURRENT", 1)
    monkeypatch.setattr(limits, "READ_WAIT_SECONDS", 0.05)
    data = EXAMPLE_FILE.read_bytes()
    with sandbox.TURNS.turn("lain.xlsx"):
        busy = service.check_upload(data, "progres.xlsx")
    assert busy.reading is None and "sedang sibuk" in busy.message
    again = service.check_upload(data, "progres.xlsx")
    assert again.valid
