"""What every area of the store's operations stands on: its address, its engine and the write
transaction (engine.write)."""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlalchemy.engine import Connection

from zi_dashboard.storage.engine import UPLOADS_LOCK, database_url, open_engine, write


class StoreBase:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.is_sqlite = self.url.startswith("sqlite")
        self.engine = open_engine(self.url)

    def _write(self, lock: int = UPLOADS_LOCK) -> AbstractContextManager[Connection]:
        return write(self.engine, lock)

    def dispose(self) -> None:
        """Close the store's connections (the object is not used again)."""
        self.engine.dispose()
