"""One kind of cache for the service layer, always bounded.

`@cached(maxsize)` keeps the answers of a function of hashable positional arguments, the least
recently used going first; `ttl=` makes answers expire (for what the store says, which another
process may change); `max_bytes=` also bounds the memory of large values (bytes of files).
Every cache registers itself, so tests and benchmarks can see and clear them all.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

REGISTRY: list = []


def _size(value) -> int:
    return len(value) if isinstance(value, (bytes, bytearray)) else 0


def cached(maxsize: int, *, ttl: float | None = None, max_bytes: int | None = None) -> Callable:
    def decorate(fn: Callable) -> Callable:
        entries: OrderedDict = OrderedDict()  # key -> (stored at, value, bytes)
        lock = threading.Lock()
        total = [0]

        def evict() -> None:
            while entries and (len(entries) > maxsize or (max_bytes is not None and total[0] > max_bytes)):
                _, (_, _, size) = entries.popitem(last=False)
                total[0] -= size

        @wraps(fn)
        def wrapper(*args):
            now = time.monotonic()
            with lock:
                hit = entries.get(args)
                if hit is not None and (ttl is None or now - hit[0] <= ttl):
                    entries.move_to_end(args)
                    return hit[1]
            value = fn(*args)  # outside the lock: another session may compute the same meanwhile
            size = _size(value)
            with lock:
                old = entries.pop(args, None)
                if old is not None:
                    total[0] -= old[2]
                if max_bytes is None or size <= max_bytes:
                    entries[args] = (now, value, size)
                    total[0] += size
                evict()
            return value

        def cache_clear() -> None:
            with lock:
                entries.clear()
                total[0] = 0

        def cache_info() -> dict:
            with lock:
                return {"entries": len(entries), "maxsize": maxsize, "bytes": total[0], "max_bytes": max_bytes}

        wrapper.cache_clear = cache_clear
        wrapper.cache_info = cache_info
        REGISTRY.append(wrapper)
        return wrapper

    return decorate


def clear_all() -> None:
    for fn in REGISTRY:
        fn.cache_clear()
