"""Editors in the store: the generated editor's hash, wrong logins counted per key (shared by every
session, process and replica) and logins kept across a browser reload.  auth.py decides; this
keeps.  Logins write under their own lock, so they never queue behind an upload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from zi_dashboard.storage.base import StoreBase
from zi_dashboard.storage.engine import LOGINS_LOCK
from zi_dashboard.storage.schema import credentials, editor_sessions, login_attempts

# the attempts table stays small: rows idle this long (and no longer locked) are forgotten,
# and beyond MAX_ATTEMPT_ROWS the rows idle longest go first
ATTEMPT_IDLE_SECONDS = 24 * 3600
MAX_ATTEMPT_ROWS = 5000


class LoginStore(StoreBase):
    # --- the generated editor ------------------------------------------------------------
    def stored_editors(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {r.name: r.hash for r in conn.execute(select(credentials)).all()}

    def create_editor(self, name: str, password_hash: str) -> bool:
        """Store an editor's hash unless one of that name exists; True when this call stored it."""
        try:
            with self._write() as conn:
                if conn.execute(select(credentials.c.name).where(credentials.c.name == name)).first():
                    return False
                conn.execute(insert(credentials).values(name=name, hash=password_hash, created_at=datetime.now(UTC)))
            return True
        except IntegrityError:
            return False

    # --- wrong logins, shared by every session, process and replica ---------------------
    def login_wait(self, keys: list[str], now: float) -> float:
        """Seconds until any of these keys (editor name and address, address) may try again."""
        with self.engine.connect() as conn:
            until = conn.execute(
                select(func.max(login_attempts.c.locked_until)).where(login_attempts.c.key.in_([k[:200] for k in keys]))
            ).scalar()
        return max(0.0, (until or 0.0) - now)

    def login_try(
        self, keys: list[str], now: float, lock_seconds: Callable[[int], float], max_wait: float
    ) -> tuple[bool, int, float]:
        """One login try, in one transaction under the write lock (so simultaneous tries, from
        any process or replica, queue here): while a key waits, the try is refused and not
        counted; else it is counted against every key before the password is checked, and
        lock_seconds(failures) says how long a key then waits (0: not yet).  No lock lasts
        longer than max_wait after its last try (also locks written before that cap).
        Returns (may check the password, the highest failure count, the wait over the keys)."""
        keys = list(dict.fromkeys(k[:200] for k in keys))
        c = login_attempts.c
        with self._write(lock=LOGINS_LOCK) as conn:
            conn.execute(
                update(login_attempts)
                .where(c.locked_until > c.updated_at + max_wait)
                .values(locked_until=c.updated_at + max_wait)
            )
            conn.execute(delete(login_attempts).where(c.updated_at < now - ATTEMPT_IDLE_SECONDS, c.locked_until < now))
            rows = {r.key: r for r in conn.execute(select(login_attempts).where(c.key.in_(keys)))}
            wait = max([r.locked_until - now for r in rows.values()] + [0.0])
            if wait > 0:
                return False, max(r.failures for r in rows.values()), wait
            most = 0
            for key in keys:
                failures = (rows[key].failures if key in rows else 0) + 1
                seconds = min(lock_seconds(failures), max_wait)
                values = dict(failures=failures, locked_until=now + seconds if seconds > 0 else 0.0, updated_at=now)
                if key in rows:
                    conn.execute(update(login_attempts).where(c.key == key).values(**values))
                else:
                    conn.execute(insert(login_attempts).values(key=key, **values))
                most, wait = max(most, failures), max(wait, seconds)
            n = conn.execute(select(func.count()).select_from(login_attempts)).scalar_one()
            if n > MAX_ATTEMPT_ROWS:  # the rows idle longest go first, never a lock still running
                oldest = (
                    select(c.key)
                    .where(c.locked_until <= now, c.key.not_in(keys))
                    .order_by(c.updated_at)
                    .limit(n - MAX_ATTEMPT_ROWS)
                    .scalar_subquery()
                )
                conn.execute(delete(login_attempts).where(c.key.in_(oldest)))
        return True, most, wait

    def login_keys(self, prefix: str) -> list[str]:
        """The keys with wrong tries kept that start with this prefix."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(login_attempts.c.key).where(login_attempts.c.key.startswith(prefix[:200], autoescape=True))
                ).scalars()
            )

    def login_succeeded(self, keys: list[str]) -> int:
        """Forget the wrong tries of these keys (a right password, or an admin's unlock)."""
        with self._write(lock=LOGINS_LOCK) as conn:
            forget = delete(login_attempts).where(login_attempts.c.key.in_([k[:200] for k in keys]))
            return conn.execute(forget).rowcount

    # --- editors' logins kept across a reload  ---------------------------
    def start_session(self, token_hash: str, editor: str, now: float, expires_at: float) -> None:
        """Keep a new login session (its token's hash only); sessions ended or expired more than a
        day ago are forgotten meanwhile."""
        c = editor_sessions.c
        with self._write(lock=LOGINS_LOCK) as conn:
            conn.execute(delete(editor_sessions).where(c.expires_at < now - ATTEMPT_IDLE_SECONDS))
            conn.execute(delete(editor_sessions).where(c.ended_at < now - ATTEMPT_IDLE_SECONDS))
            conn.execute(
                insert(editor_sessions).values(
                    token_hash=token_hash, editor=editor[:120], created_at=now, expires_at=expires_at
                )
            )

    def session_editor(self, token_hash: str, now: float) -> str | None:
        """The editor of a session that is neither ended nor expired (else None)."""
        c = editor_sessions.c
        with self.engine.connect() as conn:
            return conn.execute(
                select(c.editor).where(c.token_hash == token_hash, c.ended_at.is_(None), c.expires_at > now)
            ).scalar()

    def end_sessions(self, now: float, token_hash: str | None = None, editor: str | None = None) -> int:
        """End one session (a logout) or every session of an editor (revoked); -> how many."""
        c = editor_sessions.c
        which = c.token_hash == token_hash if token_hash is not None else c.editor == (editor or "")[:120]
        with self._write(lock=LOGINS_LOCK) as conn:
            return conn.execute(
                update(editor_sessions).where(which, c.ended_at.is_(None)).values(ended_at=now)
            ).rowcount

    def login_attempt_rows(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(login_attempts)).scalar_one()
