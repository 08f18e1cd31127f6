"""One kind of cache for the whole package, bounded in entries AND in the bytes it holds.

`@cached(maxsize)` keeps the answers of a function of hashable positional arguments, the least
recently used going first.  Options:
  ttl=         answers expire after so many seconds (what the store says, which another
               process may change)
  max_bytes=   the bytes the cache may hold, keys and values together (DEFAULT_MAX_BYTES unless
               given); an answer larger than that by itself is returned but not kept
  count_only=  the reason why measuring is wrong for this cache (a store handle: its bytes are
               an engine and a connection pool, not data): bounded by maxsize alone
  typed=True   keeps 1, 1.0 and True apart (as functools.lru_cache(typed=True))
  key=         makes the key of the arguments (e.g. a file's SHA-256 instead of its bytes)
  on_evict=    called with each value the cache lets go of (evicted, expired, replaced or
               cleared), outside the cache's lock: a store handle is disposed

Bytes (size_of).  A value is measured through everything it holds, whatever its type: texts,
bytes, numbers, dates, tuples, lists, sets and dicts; pandas tables (memory_usage, deep) and
numpy arrays (nbytes); plotly figures through their dict form; dataclasses, named tuples and
the package's own objects through their attributes.  Another library's object (a database
engine, a lock) counts its own size only: walking into it could run its code.  Every object
is counted once per measurement; classes, modules and functions are not counted (the cache
does not hold them).  A key is measured the same way for texts, bytes, numbers and containers
of them (a key is often a text a visitor sent: a search box), while any other object in a key
(a Dataset, a Snapshot, a Plan) is an input the caller holds and hands in, counted at its
shallow size: its data is counted by the cache that made it (a Dataset by the dataset cache),
and what a value shares with its key is not counted again in the value.

A value that fills itself in after it is kept (a cached_property of a Result) is measured again
at its 1st, 8th, 64th, 512th and 4096th hit, so what it grew to counts (and may evict others).

Single flight.  Callers asking at the same time for a key that is not kept yet do not all
compute it: the first computes, the others wait for it and get the same answer (30 viewers
opening the same page on a fresh server compute its figures once).  If that computation
raises, one waiting caller computes again in its place (a failure is not shared).  A thread
asking again for the key it is computing (recursion) computes it.

Every cache registers itself, so tests and benchmarks can see its cache_info() (entries,
bytes, hits, misses, waits) and clear them all (clear_all()).  `fn.cache_forget(*args)` drops
one key's answer.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from functools import wraps
from typing import Any, Generic, Protocol, TypeVar, cast

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class CachedFunction(Protocol, Generic[R_co]):
    """What @cached returns: the function, called with positional arguments only, and its cache."""

    cache_clear: Callable[[], None]
    cache_info: Callable[[], dict[str, Any]]
    cache_forget: Callable[..., None]
    count_only: str | None

    def __call__(self, *args: Any) -> R_co: ...


REGISTRY: list[CachedFunction[Any]] = []
DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # per cache, keys and values together
_MEASURED_AGAIN_AT = frozenset({1, 8, 64, 512, 4096})  # hits at which a value that may grow is measured again
MAX_OBJECTS = 200_000  # objects visited in one measurement; past that the rest counts nothing

_PLAIN = (str, bytes, bytearray, int, float, complex, bool, type(None), date, datetime, clock_time, timedelta, Decimal)
_CONTAINERS = (tuple, list, set, frozenset)
_NOT_HELD = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def _parts(value: Any) -> tuple[int, list[Any]]:
    """The bytes `value` holds by itself, and the objects it refers to (measured in turn)."""
    size = sys.getsizeof(value)
    if isinstance(value, _CONTAINERS):
        return size, list(value)
    if isinstance(value, dict):
        return size, [*value.keys(), *value.values()]
    if callable(getattr(value, "memory_usage", None)) and hasattr(value, "index"):
        return size, []  # a pandas table or series: its getsizeof is its memory_usage(deep=True)
    nbytes = getattr(value, "nbytes", None)  # a numpy array (sys.getsizeof misses a view's data)
    if isinstance(nbytes, int):  # a numpy array or an Arrow table (getsizeof misses a numpy view's data)
        return max(size, nbytes), []
    to_plotly_json = getattr(value, "to_plotly_json", None)  # a plotly figure or trace: its dict form
    if callable(to_plotly_json) and not isinstance(value, type):
        return size, [to_plotly_json()]
    if not (dataclasses.is_dataclass(value) or _ours(type(value))):
        return size, []  # another library's object (a database engine, a lock): its own bytes only
    inside: list[Any] = []
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict):
        inside += [*attributes.keys(), *attributes.values()]
    for cls in type(value).__mro__:
        for slot in cls.__dict__.get("__slots__", ()):
            if slot not in ("__dict__", "__weakref__"):
                inside.append(getattr(value, slot, None))
    return size, inside


def _ours(cls: type) -> bool:
    return cls.__module__.split(".", 1)[0] == "zi_dashboard" or (issubclass(cls, tuple) and hasattr(cls, "_fields"))


def size_of(value: Any, seen: set[int] | None = None) -> int:
    """Bytes `value` holds, through everything it refers to (see the module's note); objects
    whose id is in `seen` are not counted (and `seen` gets every object counted)."""
    if isinstance(value, _PLAIN) and seen is None:
        return sys.getsizeof(value)  # the common case, made cheap
    seen = set() if seen is None else seen
    total, stack = 0, [value]
    while stack and len(seen) < MAX_OBJECTS:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _NOT_HELD):
            continue
        seen.add(id(obj))
        if isinstance(obj, _PLAIN):
            total += sys.getsizeof(obj)
            continue
        size, inside = _parts(obj)
        total += size
        stack.extend(inside)
    return total


def _key_size(key: Any, seen: set[int]) -> int:
    """A key: texts, bytes, numbers and containers of them through and through; any other
    object shallow (an input the caller holds), remembered in `seen` with what it holds one
    level down, so a value that refers to it does not count it again."""
    if isinstance(key, _PLAIN):
        return size_of(key, seen)
    if isinstance(key, (*_CONTAINERS, dict)):
        if id(key) in seen:
            return 0
        seen.add(id(key))
        items = [*key.keys(), *key.values()] if isinstance(key, dict) else list(key)
        return sys.getsizeof(key) + sum(_key_size(k, seen) for k in items)
    if id(key) in seen:
        return 0
    seen.add(id(key))
    _, inside = _parts(key) if dataclasses.is_dataclass(key) or hasattr(key, "__dict__") else (0, [])
    seen.update(id(o) for o in inside if not isinstance(o, _PLAIN))
    return sys.getsizeof(key)


class _Flight:
    """One computation in progress, that other callers of the same key wait for."""

    __slots__ = ("done", "failed", "owner", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.owner = threading.get_ident()
        self.value: Any = None
        self.failed = False


class _Entry:
    __slots__ = ("args", "at", "grows", "hits", "size", "value")

    def __init__(self, value: Any, args: tuple, size: int) -> None:
        self.value, self.args, self.size = value, args, size
        self.at, self.hits = time.monotonic(), 0
        # an object of ours with attributes may fill them in later (a cached_property)
        self.grows = isinstance(getattr(value, "__dict__", None), dict) and _ours(type(value))


class Cache:
    """The entries of one cached function, its bounds and the computations in progress."""

    def __init__(
        self,
        fn: Callable[..., Any],
        maxsize: int,
        ttl: float | None,
        limit: int | None,
        make_key: Callable[..., Hashable] | None,
        typed: bool,
        on_evict: Callable[[Any], None] | None,
    ) -> None:
        self.fn, self.maxsize, self.ttl, self.limit = fn, maxsize, ttl, limit
        self.make_key, self.typed, self.on_evict = make_key, typed, on_evict
        self.entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self.flights: dict[Hashable, _Flight] = {}
        self.lock = threading.Lock()
        self.stats = {"bytes": 0, "hits": 0, "misses": 0, "waits": 0}

    def key(self, args: tuple) -> Hashable:
        if self.make_key is not None:
            return self.make_key(*args)
        return args + tuple(type(a) for a in args) if self.typed else args

    def call(self, args: tuple) -> Any:
        k = self.key(args)
        while True:
            again = False
            with self.lock:
                hit = self.entries.get(k)
                if hit is not None and (self.ttl is None or time.monotonic() - hit.at <= self.ttl):
                    self.entries.move_to_end(k)
                    self.stats["hits"] += 1
                    hit.hits += 1
                    again = hit.grows and self.limit is not None and hit.hits in _MEASURED_AGAIN_AT
                else:
                    hit = None
                    flight = self.flights.get(k)
                    leader = flight is None or flight.owner == threading.get_ident()
                    if leader:
                        flight = self.flights[k] = _Flight()
                        self.stats["misses"] += 1
                    else:
                        self.stats["waits"] += 1
            if hit is not None:
                if again:  # the 1st, 8th, 64th... hit: measured again (see the module's note)
                    self.store(k, hit.args, hit.value, hit)
                return hit.value
            assert flight is not None
            if leader:
                return self.compute(k, args, flight)
            flight.done.wait()
            if not flight.failed:
                return flight.value
            # that computation failed: try again (one of the callers waiting becomes the leader)

    def compute(self, k: Hashable, args: tuple, flight: _Flight) -> Any:
        try:
            value = self.fn(*args)
        except BaseException:
            flight.failed = True
            raise
        else:
            flight.value = value
            self.store(k, args, value)
            return value
        finally:
            with self.lock:
                if self.flights.get(k) is flight:
                    del self.flights[k]
            flight.done.set()

    def measure(self, k: Hashable, args: tuple, value: Any) -> int:
        if self.limit is None:
            return 0
        seen: set[int] = set()
        return _key_size(args if self.make_key is None else k, seen) + size_of(value, seen)

    def store(self, k: Hashable, args: tuple, value: Any, entry: _Entry | None = None) -> None:
        """Keep `value` (or, given its `entry`, measure that entry again), then evict down to the
        bounds."""
        size = self.measure(k, args, value)
        gone = []
        with self.lock:
            if entry is None:
                entry = _Entry(value, args, 0)
                old = self.entries.pop(k, None)
                if old is not None:
                    self.stats["bytes"] -= old.size
                    if old.value is not value:
                        gone.append(old.value)
            elif self.entries.get(k) is entry:
                del self.entries[k]
                self.stats["bytes"] -= entry.size
            else:
                return  # evicted or replaced meanwhile
            entry.size = size
            if self.limit is None or size <= self.limit:
                self.entries[k] = entry
                self.stats["bytes"] += size
            elif entry.hits:  # measured again and now too large by itself
                gone.append(entry.value)
            while self.entries and (
                len(self.entries) > self.maxsize or (self.limit is not None and self.stats["bytes"] > self.limit)
            ):
                _, evicted = self.entries.popitem(last=False)
                self.stats["bytes"] -= evicted.size
                gone.append(evicted.value)
        self.let_go(gone)

    def let_go(self, values: list[Any]) -> None:
        if self.on_evict is not None:
            for v in values:
                self.on_evict(v)

    def clear(self) -> None:
        with self.lock:
            gone = [e.value for e in self.entries.values()]
            self.entries.clear()
            self.stats["bytes"] = 0
        self.let_go(gone)

    def forget(self, args: tuple) -> None:
        with self.lock:
            old = self.entries.pop(self.key(args), None)
            if old is not None:
                self.stats["bytes"] -= old.size
        if old is not None:
            self.let_go([old.value])

    def info(self) -> dict[str, Any]:
        with self.lock:
            return {"entries": len(self.entries), "maxsize": self.maxsize, "max_bytes": self.limit, **self.stats}


class SameObject:
    """A key that is this very object: equal to nothing else, and holding the object, so its id
    is not given to another meanwhile."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameObject) and other.obj is self.obj


def cached(
    maxsize: int,
    *,
    ttl: float | None = None,
    max_bytes: int | None = None,
    typed: bool = False,
    key: Callable[..., Hashable] | None = None,
    count_only: str | None = None,
    on_evict: Callable[[Any], None] | None = None,
) -> Callable[[Callable[..., R]], CachedFunction[R]]:
    """A bounded cache around a function (see the module's note)."""
    if count_only is not None and max_bytes is not None:
        raise ValueError("count_only= and max_bytes= exclude each other")
    limit = None if count_only is not None else DEFAULT_MAX_BYTES if max_bytes is None else max_bytes

    def decorate(fn: Callable[..., R]) -> CachedFunction[R]:
        cache = Cache(fn, maxsize, ttl, limit, key, typed, on_evict)

        @wraps(fn)
        def wrapper(*args: Any) -> R:
            return cast(R, cache.call(args))

        out = cast(CachedFunction[R], wrapper)
        out.cache_clear = cache.clear
        out.cache_info = cache.info
        out.cache_forget = lambda *args: cache.forget(args)
        out.count_only = count_only
        REGISTRY.append(out)
        return out

    return decorate


def clear_all() -> None:
    """Empty every cache of the package (tests, benchmarks)."""
    for fn in REGISTRY:
        fn.cache_clear()
