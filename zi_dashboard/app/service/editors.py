"""Who may act: logins, sessions kept across reloads, and the rights of an editor (their units)
or of the server's operator at its command line."""

from __future__ import annotations

from dataclasses import dataclass

from zi_dashboard import labels as L
from zi_dashboard.app.service.store_access import STORE_MAX_AGE, get_store, store_at
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.limits import too_long
from zi_dashboard.storage import auth
from zi_dashboard.storage.records import Workplan


@dataclass(frozen=True)
class Login:
    """The outcome of a login attempt."""

    editor: str | None  # the editor's name when name and password match
    key: str | None  # the editor's hash in force: a later change of it ends the session
    failures: int = 0  # wrong tries so far (per name and per address, in the store)
    wait: float = 0.0  # seconds before the next try is accepted


def login(name: str, password: str, address: str | None) -> Login:
    """Check a login against the editors in force; tries are counted in the store per editor
    name at the client address and per address, before the password is checked, with a
    growing wait (at most an hour) after auth.MAX_TRIES."""
    if too_long(name, password):  # no name or password is this long: refused before any work
        return Login(None, None)
    store = get_store()
    editors = auth.editors_for(store)
    found, failures, wait = auth.login(store, editors, name, password, address)
    return Login(found, editors[found]) if found else Login(None, None, failures, wait)


def start_session(name: str, key: str) -> str:
    """After a login: a session kept in the store for auth.SESSION_HOURS; -> the browser cookie's value."""
    return auth.start_session(get_store(), name, key)


def resumed(cookie: str | None) -> Login:
    """The login a browser's session cookie still stands for (after a reload), else no editor.
    Asked of the store at most every STORE_MAX_AGE seconds per cookie."""
    if not cookie or too_long(cookie):
        return Login(None, None)
    name = _session_of(get_store().url, cookie)
    return Login(name, editor_key(name)) if name else Login(None, None)


@cached(maxsize=256, ttl=STORE_MAX_AGE)
def _session_of(url: str, cookie: str) -> str | None:
    store = store_at(url)
    return auth.resume_session(store, auth.editors_for(store), cookie)


def end_session(cookie: str | None) -> None:
    """A logout: the session's cookie logs no one in again."""
    auth.end_session(get_store(), cookie)
    _session_of.cache_clear()


def editor_key(name: str) -> str | None:
    """The hash in force for an editor (None when the name is no editor now)."""
    return auth.editors_for(get_store()).get(name)


def may_edit(name: str | None, wp: Workplan) -> bool:
    """Whether an editor may change a work plan's data (upload, restore, correct, assess, add
    or replace its plan): an editor of its unit, or of every unit ('*')."""
    return may_add_plan(name, wp.unit)


def may_add_plan(name: str | None, unit: str) -> bool:
    """Whether an editor may add or replace a plan of this unit."""
    if not name:
        return False
    return editor_key(name) is not None and auth.may_edit(name, unit)


def may_add_plans(name: str | None) -> bool:
    """Whether a logged-in name may add or replace a plan of some unit (may_add_plan says which):
    an editor of at least one unit.  A reviewer (penilai TPI) only reviews, so never."""
    if not name:
        return False
    return editor_key(name) is not None and bool(auth.editor_units(name))


class NotAllowed(PermissionError):
    """An editor acting on a unit that is not theirs."""


# Who acts: an editor logged in on a page (checked against their units), or the operator of the
# server at its command line (OPERATOR: the `--by` name is recorded, the shell's rights decide).
OPERATOR = object()


def ensure_allowed(by: str, wp: Workplan, rights=None) -> None:
    """NotAllowed unless `by` edits the unit of `wp` (or the operator acts at the command line)."""
    if rights is not OPERATOR and not may_edit(by, wp):
        raise NotAllowed(L.UNITS["not_your_unit"].format(name=by, unit=wp.unit))
