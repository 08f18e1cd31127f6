"""One kind of cache for the whole package, always bounded in entries AND in bytes.

`@cached(maxsize)` keeps the answers of a function of hashable positional arguments, the least
recently used going first; `ttl=` makes answers expire (for what the store says, which another
process may change); `max_bytes=` bounds the memory the cache holds (DEFAULT_MAX_BYTES unless
given); `typed=True` keeps 1, 1.0 and True apart (as functools.lru_cache(typed=True)); `key=`
makes the key of the arguments (e.g. a file's SHA-256 instead of its bytes).

The bytes counted are the key's AND the value's (`size_of`): a key is often a text a visitor
sent (a search box), so a cache counting entries only could be made to hold 128 texts of 10 MB
each.  Texts, bytes, numbers, tables (pandas, numpy) and tuples, lists and dicts of them are
measured; any other object counts its own shallow size (its number is bounded by maxsize).
An answer larger than max_bytes by itself is returned but not kept.  Every cache registers
itself, so tests and benchmarks can see (cache_info: entries, bytes) and clear them all.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, Generic, Protocol, TypeVar, cast

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class CachedFunction(Protocol, Generic[R_co]):
    """What @cached returns: the function, called with positional arguments only, and its cache."""

    cache_clear: Callable[[], None]
    cache_info: Callable[[], dict[str, int | None]]

    def __call__(self, *args: Any) -> R_co: ...


REGISTRY: list[CachedFunction[Any]] = []
DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # per cache, keys and values together
_DEPTH = 4  # how deep nested tuples/lists/dicts are measured


def size_of(value, depth: int = _DEPTH) -> int:
    """Bytes `value` holds, as far as cheaply known (see the module's note)."""
    size = sys.getsizeof(value)
    if isinstance(value, (str, bytes, bytearray, int, float, type(None))):
        return size
    if depth and isinstance(value, (tuple, list, frozenset, set)):
        return size + sum(size_of(v, depth - 1) for v in value)
    if depth and isinstance(value, dict):
        return size + sum(size_of(k, depth - 1) + size_of(v, depth - 1) for k, v in value.items())
    memory_usage = getattr(value, "memory_usage", None)  # a pandas DataFrame or Series
    if callable(memory_usage) and hasattr(value, "index"):
        try:
            used = memory_usage(index=True, deep=True)
            return size + int(getattr(used, "sum", lambda: used)())
        except (TypeError, ValueError):
            return size
    nbytes = getattr(value, "nbytes", None)  # a numpy array
    return size + nbytes if isinstance(nbytes, int) else size


def cached(
    maxsize: int,
    *,
    ttl: float | None = None,
    max_bytes: int | None = None,
    typed: bool = False,
    key: Callable[..., Any] | None = None,
) -> Callable[[Callable[..., R]], CachedFunction[R]]:
    make_key = key
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes

    def decorate(fn: Callable[..., R]) -> CachedFunction[R]:
        # key -> (stored at, value, bytes of key and value)
        entries: OrderedDict[Any, tuple[float, R, int]] = OrderedDict()
        lock = threading.Lock()
        total = [0]

        def evict() -> None:
            while entries and (len(entries) > maxsize or total[0] > limit):
                _, (_, _, size) = entries.popitem(last=False)
                total[0] -= size

        @wraps(fn)
        def wrapper(*args: Any) -> R:
            key = make_key(*args) if make_key else args + tuple(type(a) for a in args) if typed else args
            hit = entries.get(key)  # reading without the lock: a dict lookup is atomic
            if hit is not None and (ttl is None or time.monotonic() - hit[0] <= ttl):
                try:  # noqa: SIM105 - a try is cheaper than contextlib.suppress on this hot path
                    entries.move_to_end(key)
                except KeyError:  # evicted meanwhile by another thread
                    pass
                return hit[1]
            now = time.monotonic()
            value = fn(*args)  # outside the lock: another session may compute the same meanwhile
            size = size_of(key if make_key else args) + size_of(value)  # the types of a typed key are shared
            with lock:
                old = entries.pop(key, None)
                if old is not None:
                    total[0] -= old[2]
                if size <= limit:
                    entries[key] = (now, value, size)
                    total[0] += size
                evict()
            return value

        def cache_clear() -> None:
            with lock:
                entries.clear()
                total[0] = 0

        def cache_info() -> dict[str, int | None]:
            with lock:
                return {"entries": len(entries), "maxsize": maxsize, "bytes": total[0], "max_bytes": limit}

        out = cast(CachedFunction[R], wrapper)
        out.cache_clear = cache_clear
        out.cache_info = cache_info
        REGISTRY.append(out)
        return out

    return decorate


def clear_all() -> None:
    for fn in REGISTRY:
        fn.cache_clear()
