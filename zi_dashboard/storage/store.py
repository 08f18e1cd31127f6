"""The store: where accepted uploads, work plans, answers and editors' logins are kept, in a
database through SQLAlchemy.

SQLite in data/store/ is the embedded default; ZI_DATABASE_URL points the same code at another
database (PostgreSQL), so several copies of the dashboard can share one store.  Its operations
live by area, one class each, and Store is all of them:

    plans.py        work plans (unit, year) and their plan versions
    uploads.py      uploads (snapshots), events, position corrections, kept summaries
    assessments.py  self-assessments, PIC contact sheets, LKE answer sets and instruments
    lke_reviews.py  the TPI review's moves and deadlines; who may write which LKE level
    portfolio.py    many work plans at once (the province view)
    logins.py       the generated editor, wrong logins, logins kept across a reload

and stand on schema.py (the tables), records.py (what they hand out), engine.py (opening the
database) and migrations/ (the schema brought up to date with Alembic when a store is opened).
"""

from __future__ import annotations

from zi_dashboard.storage import migrations
from zi_dashboard.storage.assessments import AnswerStore
from zi_dashboard.storage.engine import private_files, sqlite_path
from zi_dashboard.storage.lke_reviews import ReviewStore
from zi_dashboard.storage.logins import LoginStore
from zi_dashboard.storage.portfolio import PortfolioStore


class Store(PortfolioStore, ReviewStore, AnswerStore, LoginStore):
    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        migrations.upgrade(self.engine)
        db = sqlite_path(self.url) if self.is_sqlite else None
        if db is not None:
            private_files(db)  # the -wal/-shm files now exist too

    def schema_revision(self) -> str | None:
        """The Alembic revision the store is at (migrations.head() once opened)."""
        return migrations.revision(self.engine)


def open_store(url: str | None = None) -> Store:
    return Store(url)
