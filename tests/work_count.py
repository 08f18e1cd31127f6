"""The work a read does, counted the same on an idle and on a busy machine: the Python and C
function calls it makes (sys.setprofile's 'call' and 'c_call' events in this thread).

A step that loops in Python over rows, cells or tags makes calls in proportion to its work, so
a quadratic step shows as a quadratic count.  What the count cannot see is work inside ONE C
call (a regular expression over the whole text, calamine parsing a sheet, zlib inflating a
member): that counts as one call however long it runs.  The bound for that is the product's
own, the child process's CPU and memory limits (zi_dashboard/reading/sandbox.py), tested in
tests/reading/test_sandbox.py (test_time_limit_kills_the_child) and by every hostile file read
through the child (tests/reading/test_hostile.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def calls(action: Callable[[], Any]) -> tuple[int, Any]:
    """(Python and C function calls made by action(), what it returned or raised)."""
    n = 0

    def profile(frame, event, arg) -> None:
        nonlocal n
        if event in ("call", "c_call"):
            n += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result: Any = action()
    except Exception as exc:  # the read's refusal is an answer too; the count is what matters
        result = exc
    finally:
        sys.setprofile(previous)
    return n, result
