"""Password guesses per minute by reconnecting: every try is a fresh session (a new AppTest of
the real app, as a browser that reconnects), all on one store, for one minute.

    python bench/bench_login.py [--seconds 60]

Prints how many tries were made, how many were actually checked against the password (the
rest were refused by the lock kept in the store), and the checked tries per minute.  When
the lock lived in the session, so every reconnect got 5 fresh tries (117 a minute
were measured then).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from streamlit.testing.v1 import AppTest  # noqa: E402

from zi_dashboard.storage.auth import hash_password  # noqa: E402


def one_try(name: str, password: str) -> None:
    """A fresh session opens the dashboard and tries once."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.sidebar.button(key="login_open").click().run()
    at.sidebar.text_input(key="login_name").set_value(name)
    at.sidebar.text_input(key="login_password").set_value(password)
    at.form_submit_button(key="FormSubmitter:login-Masuk").click().run()


def checked_so_far(url: str, name: str) -> int:
    """Wrong guesses the store counted (checked against the password, not refused by the lock)."""
    from sqlalchemy import select

    from zi_dashboard.storage import store as zs
    from zi_dashboard.storage.schema import login_attempts

    st = zs.open_store(url)
    with st.engine.connect() as conn:
        column = login_attempts.c
        n = conn.execute(select(column.failures).where(column.key == f"editor:{name}@")).scalar()  # no address
    st.dispose()
    return int(n or 0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["ZI_DATABASE_URL"] = f"sqlite:///{tmp / 'zi.sqlite'}"
    os.environ["ZI_EDITORS"] = "Sekretaris:" + hash_password("kata-sandi-yang-benar-123")
    tries = 0
    start = time.monotonic()
    while time.monotonic() - start < args.seconds:
        one_try("Sekretaris", f"tebakan-{tries}")
        tries += 1
    checked = checked_so_far(os.environ["ZI_DATABASE_URL"], "Sekretaris")
    minutes = (time.monotonic() - start) / 60
    print(
        f"{tries} tries from fresh sessions in {minutes * 60:.0f} s; {checked} checked against the password, "
        f"{tries - checked} refused by the lock"
    )
    print(f"checked guesses per minute: {checked / minutes:.1f} (lock kept in the session: 117, by reconnecting)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
