"""`python -m zi_dashboard.storage.migrations <alembic command>`: Alembic's command line on the
store's migrations, e.g. `revision -m "what it adds"`, `upgrade head`, `current`, `history`
(the database: ZI_DATABASE_URL, else the SQLite default)."""

from __future__ import annotations

import sys

from alembic.config import CommandLine

from zi_dashboard.storage.migrations import FOLDER


def main(argv: list[str]) -> None:
    CommandLine(prog="python -m zi_dashboard.storage.migrations").main(["-c", str(FOLDER / "alembic.ini"), *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
