"""Python's cyclic garbage collector, paused while a spreadsheet is read.

A sheet of 25,000 rows is a quarter of a million young objects (calamine's rows and cells);
every collection the reader's own small objects set off would walk them all again, which was
about a fifth of a read.  The reader makes no reference cycles worth collecting early, so the
collector is paused for the read and resumes afterwards (it collects then, when due).  Reads in
several threads at once share one pause: the collector resumes when the last one ends, and only
if it was running when the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_readers = 0
_resume = False


@contextmanager
def paused() -> Iterator[None]:
    global _readers, _resume
    with _lock:
        if _readers == 0:
            _resume = gc.isenabled()
            gc.disable()
        _readers += 1
    try:
        yield
    finally:
        with _lock:
            _readers -= 1
            if _readers == 0 and _resume:
                gc.enable()
