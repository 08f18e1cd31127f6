"""The store the service asks: opened once per process per URL, and what it says kept for
STORE_MAX_AGE seconds (another process's change shows within that time, this process's own at
once after forget())."""

from __future__ import annotations

from zi_dashboard.reading.caching import cached
from zi_dashboard.storage import auth
from zi_dashboard.storage.engine import database_url
from zi_dashboard.storage.store import Store, open_store

# seconds a page may show what the store said before asking again: another server's change
# (two servers on one PostgreSQL) must reach a viewer within 2 s, drawing the page included
# (tests/test_two_servers.py: at 1 s, 2.1 s was measured on a busy 2-core machine)
STORE_MAX_AGE = 0.5


@cached(
    maxsize=4,
    count_only="a store's bytes are its engine and connection pool, not data",
    on_evict=lambda store: store.dispose(),  # a store let go closes its connections
)
def store_at(url: str) -> Store:
    """The store at a database URL, opened once per process (get_store: the one in force)."""
    return open_store(url)


def get_store() -> Store:
    """The store named by ZI_DATABASE_URL (or the SQLite default), opened once per process."""
    return store_at(database_url())


@cached(maxsize=4)
def _editor_ready(url: str) -> bool:
    auth.ensure_editor(store_at(url))  # no editor yet: one is made and its password printed, once
    return True


def ensure_editor() -> None:
    """The dashboard's first start: with no editor configured, make one (auth.ensure_editor)."""
    _editor_ready(get_store().url)


@cached(maxsize=256, ttl=STORE_MAX_AGE)
def store_says(url: str, question: str, *args):
    """What the store answers (`Store.<question>(*args)`), asked at most every STORE_MAX_AGE
    seconds per process: another process's change shows within that time, this process's own
    change at once (forget())."""
    return getattr(store_at(url), question)(*args)


def pulse() -> tuple:
    """What changes whenever any unit's data does (asked of the store twice a second)."""
    return store_says(get_store().url, "pulse")


def lke_pulse() -> tuple:
    """What changes whenever any LKE answer set, review event or instrument is kept (asked of
    the store twice a second, at once after this process's own save: forget())."""
    return store_says(get_store().url, "lke_pulse")


def forget() -> None:
    """After this process changed the store: ask it again at the next question."""
    store_says.cache_clear()
