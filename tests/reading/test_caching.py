"""caching.py itself: bounds in entries and in the bytes really held, eviction, keys, expiry,
thread safety and single flight (callers of the same key at once compute it once)."""

import threading
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from zi_dashboard.reading import caching

MB = 1024 * 1024


def wait_until(condition, what: str, timeout: float = 30.0) -> None:
    """Wait for a state (not a fixed time)."""
    deadline = time.monotonic() + timeout
    ready = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        ready.wait(0.005)


def at_once(n: int, target, cached_fn, release: threading.Event) -> None:
    """n threads run `target` at the same moment; once n - 1 of them wait for the first one's
    computation of `cached_fn`, `release` lets it finish."""
    threads = [threading.Thread(target=target) for _ in range(n)]
    for t in threads:
        t.start()
    wait_until(lambda: cached_fn.cache_info()["waits"] == n - 1, f"{n - 1} callers waiting for the first")
    release.set()
    for t in threads:
        t.join(30)


@dataclass(frozen=True)
class Figures:
    table: pd.DataFrame
    values: np.ndarray
    note: str


class Holder:
    """An object of the package's own kind would be measured through its attributes; this test
    class stands for one (its module is the test's, so it is marked as ours below)."""

    def __init__(self, payload: bytes) -> None:
        self.payload = payload


def test_size_of_measures_what_a_value_holds_whatever_its_type():
    frame = pd.DataFrame({"name": [f"indikator {i}" * 10 for i in range(2000)], "x": np.arange(2000.0)})
    assert caching.size_of(frame) >= frame.memory_usage(deep=True).sum()
    array = np.zeros(500_000)
    assert 4_000_000 <= caching.size_of(array) < 4_100_000  # its data, once
    assert caching.size_of(array[::2]) >= 2_000_000  # a view: its data counts too
    record = Figures(frame, array, "catatan")
    assert caching.size_of(record) >= caching.size_of(frame) + 4_000_000
    nested = {"a": [(b"x" * MB,)], "b": {"c": ["y" * MB]}}
    assert caching.size_of(nested) >= 2 * MB  # any depth
    fig = go.Figure(go.Bar(x=list(range(50_000)), y=list(range(50_000))))
    assert caching.size_of(fig) >= 50_000 * 2 * 28  # the figure's data, through its dict form
    shared = "z" * MB
    assert caching.size_of([shared, shared, shared]) < 2 * MB  # one object counted once


def test_a_value_of_another_library_counts_its_own_size_only():
    lock = threading.Lock()
    assert caching.size_of(lock) == caching.sys.getsizeof(lock)
    assert caching.size_of(caching.size_of) == 0  # a function is not held
    assert caching.size_of(pd) == 0  # nor a module


def test_the_bytes_bound_holds_for_tables_and_records_not_only_bytes():
    @caching.cached(maxsize=100, max_bytes=10 * MB)
    def table(i: int) -> pd.DataFrame:
        return pd.DataFrame({"v": np.full(250_000, float(i))})  # 2 MB each

    for i in range(20):
        table(i)
    info = table.cache_info()
    assert info["bytes"] <= 10 * MB and 3 <= info["entries"] <= 5

    @caching.cached(maxsize=100, max_bytes=10 * MB)
    def record(i: int) -> Figures:
        return Figures(pd.DataFrame({"v": np.arange(1000)}), np.full(250_000, i), "x")

    for i in range(20):
        record(i)
    assert record.cache_info()["bytes"] <= 10 * MB and record.cache_info()["entries"] <= 5


def test_an_answer_larger_than_the_bound_is_returned_but_not_kept():
    calls = []

    @caching.cached(maxsize=4, max_bytes=MB)
    def big(n: int) -> bytes:
        calls.append(n)
        return b"x" * n

    assert len(big(2 * MB)) == 2 * MB
    assert big.cache_info()["entries"] == 0
    big(2 * MB)
    assert calls == [2 * MB, 2 * MB]


def test_the_least_recently_used_goes_first_and_evicted_values_are_let_go():
    gone = []

    @caching.cached(maxsize=2, on_evict=gone.append)
    def square(n: int) -> list[int]:
        return [n * n]

    square(1), square(2)
    square(1)  # 1 used again: 2 is now the oldest
    square(3)
    assert gone == [[4]]
    square.cache_forget(1)
    assert gone == [[4], [1]]
    square.cache_clear()
    assert gone == [[4], [1], [9]] and square.cache_info()["entries"] == 0 and square.cache_info()["bytes"] == 0


def test_a_count_only_cache_is_bounded_by_entries_and_says_why():
    opened = []

    @caching.cached(maxsize=2, count_only="a handle: its bytes are a connection, not data", on_evict=opened.remove)
    def handle(name: str) -> threading.Lock:
        lock = threading.Lock()
        opened.append(lock)
        return lock

    for name in "abcd":
        handle(name)
    info = handle.cache_info()
    assert info["entries"] == 2 and info["max_bytes"] is None and info["bytes"] == 0
    assert len(opened) == 2  # the evicted ones were disposed
    assert handle.count_only
    with pytest.raises(ValueError):
        caching.cached(maxsize=2, count_only="x", max_bytes=MB)


def test_keys_are_the_arguments_typed_or_made():
    @caching.cached(maxsize=8, typed=True)
    def show(v) -> str:
        return repr(v)

    assert [show(1), show(1.0), show(True)] == ["1", "1.0", "True"]

    calls = []

    @caching.cached(maxsize=8, key=lambda data, name: (len(data), name))
    def read(data: bytes, name: str) -> str:
        calls.append(name)
        return name

    read(b"abc", "a.xlsx"), read(b"xyz", "a.xlsx"), read(b"abc", "b.xlsx")
    assert calls == ["a.xlsx", "b.xlsx"]


def test_a_key_counts_its_texts_not_the_inputs_the_caller_holds():
    big_input = Holder(b"p" * (8 * MB))

    @caching.cached(maxsize=8, max_bytes=MB)
    def about(holder: Holder, text: str) -> int:
        return len(holder.payload) + len(text)

    about(big_input, "cari")
    assert about.cache_info()["entries"] == 1  # the caller's input is not the cache's 8 MB
    about(big_input, "k" * (2 * MB))
    assert about.cache_info()["bytes"] <= MB  # a 2 MB text sent as a key is counted (and not kept)


def test_a_value_that_grows_after_it_is_kept_is_measured_again():
    class Lazy:
        __module__ = "zi_dashboard.counting.test_stand_in"  # measured as the package's own objects

        def __init__(self) -> None:
            self.filled: bytes = b""

    @caching.cached(maxsize=8, max_bytes=100 * MB)
    def lazy(i: int) -> Lazy:
        return Lazy()

    value = lazy(1)
    small = lazy.cache_info()["bytes"]
    value.filled = b"f" * (3 * MB)  # as a cached_property fills itself in on first use
    lazy(1)  # the first hit measures it again
    assert lazy.cache_info()["bytes"] >= small + 3 * MB


def test_answers_expire_after_their_time():
    now = [100.0]
    calls = []

    @caching.cached(maxsize=8, ttl=0.5)
    def ask(q: str) -> int:
        calls.append(q)
        return len(calls)

    real = caching.time.monotonic
    caching.time.monotonic = lambda: now[0]
    try:
        assert ask("x") == 1 and ask("x") == 1
        now[0] += 1.0
        assert ask("x") == 2
    finally:
        caching.time.monotonic = real


def test_concurrent_first_requests_compute_once_and_share_the_answer():
    release = threading.Event()
    calls = []

    @caching.cached(maxsize=8)
    def figures(key: str) -> dict:
        calls.append(key)
        release.wait(30)
        return {"key": key}

    results: list = []
    at_once(30, lambda: results.append(figures("ringkasan")), figures, release)
    assert calls == ["ringkasan"]
    assert len(results) == 30 and all(r is results[0] for r in results)


def test_a_failed_computation_is_not_shared_one_waiting_caller_computes_again():
    release = threading.Event()
    calls = []

    @caching.cached(maxsize=8)
    def flaky(key: str) -> str:
        calls.append(key)
        if len(calls) == 1:
            release.wait(30)
            raise OSError("the store went away")
        return "ok"

    outcome: list = []

    def ask() -> None:
        try:
            outcome.append(flaky("k"))
        except OSError as exc:
            outcome.append(exc)

    at_once(5, ask, flaky, release)
    assert len(calls) == 2  # the leader's failure, then one computation for all the others
    assert sum(isinstance(o, OSError) for o in outcome) == 1 and outcome.count("ok") == 4


def test_a_recursive_call_for_the_same_key_does_not_wait_for_itself():
    @caching.cached(maxsize=8)
    def countdown(n: int, again: bool) -> int:
        return countdown(n, False) + 1 if again else n

    assert countdown(3, True) == 4


def test_many_threads_keep_the_counts_and_bytes_consistent():
    @caching.cached(maxsize=16, max_bytes=64 * 1024)
    def text(i: int) -> str:
        return "t" * (1000 + i)

    errors = []

    def hammer(seed: int) -> None:
        try:
            for j in range(2000):
                i = (seed * 7919 + j * 104729) % 64
                assert text(i) == "t" * (1000 + i)
                if j % 97 == 0:
                    text.cache_forget(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    info = text.cache_info()
    assert info["entries"] <= 16 and info["bytes"] <= 64 * 1024
    kept = caching.REGISTRY[caching.REGISTRY.index(text)]
    assert kept is text
    text.cache_clear()
    assert text.cache_info()["bytes"] == 0


def test_clear_all_empties_every_registered_cache():
    @caching.cached(maxsize=4)
    def one(i: int) -> int:
        return i

    one(1)
    assert one in caching.REGISTRY and one.cache_info()["entries"] == 1
    caching.clear_all()
    assert one.cache_info()["entries"] == 0
