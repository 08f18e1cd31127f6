"""Editors: who may change the data.  Viewing needs no login.

Editors are configured with password hashes only (scrypt from the standard library):
- `.streamlit/secrets.toml`, table [editors], `name = "hash"`;
- or the environment variable ZI_EDITORS, `name:hash` pairs separated by commas.
With neither, the first start creates a random password for the editor "admin", prints it
once, and keeps only its hash (in the store), as notebook servers hand out a token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_review import roles_from_scopes
from zi_dashboard.reading.resources import LOCAL
from zi_dashboard.reading.units import unit_slug

SECRETS_FILE = LOCAL / ".streamlit" / "secrets.toml"
GENERATED_EDITOR = "admin"
MAX_TRIES = 5
LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 3600.0  # a lock never lasts longer than an hour
# scrypt: n=2**14, r=8, p=1 (~16 MB, tens of milliseconds): the standard interactive setting
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(dk).decode()}"


_DUMMY = hash_password("dummy-password-for-unknown-users", salt=b"\0" * 16)


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; any malformed hash is simply 'no'."""
    try:
        scheme, n, r, p, salt_b64, dk_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(dk_b64)
        dk = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=128 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(dk, expected)


def _secrets(secrets_file: Path) -> dict:
    if not secrets_file.exists():
        return {}
    try:
        return tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return {}


def configured_editors(secrets_file: Path = SECRETS_FILE, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """name -> hash, from ZI_EDITORS and .streamlit/secrets.toml ([editors])."""
    env = os.environ if env is None else env
    editors: dict[str, str] = {}
    for name, h in (_secrets(secrets_file).get("editors") or {}).items():
        if isinstance(h, str) and h.strip():
            editors[str(name).strip()] = h.strip()
    for pair in (env.get("ZI_EDITORS") or "").split(","):
        name, sep, h = pair.strip().partition(":")
        if sep and name.strip() and h.strip():
            editors[name.strip()] = h.strip()
    return editors


ALL_UNITS = "*"


def _names(value) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").split("|")
    return [" ".join(str(v).split()) for v in items if str(v).strip()]


def configured_units(secrets_file: Path = SECRETS_FILE, env: Mapping[str, str] | None = None) -> list[str]:
    """The unit list (satuan kerja), in order: `units = [...]` in .streamlit/secrets.toml, or
    ZI_UNITS (names separated by "|").  Empty: any unit a plan names is accepted."""
    env = os.environ if env is None else env
    if (env.get("ZI_UNITS") or "").strip():
        return list(dict.fromkeys(_names(env["ZI_UNITS"])))
    units = _secrets(secrets_file).get("units")
    return list(dict.fromkeys(_names(units))) if isinstance(units, list) else []


def _scopes(table: str, variable: str, secrets_file: Path, env: Mapping[str, str] | None) -> dict[str, list[str]]:
    env = os.environ if env is None else env
    scopes: dict[str, list[str]] = {}
    for editor, units in (_secrets(secrets_file).get(table) or {}).items():
        scopes[str(editor).strip()] = _names(units)
    for part in (env.get(variable) or "").split(";"):
        editor, sep, units = part.partition("=")
        if sep and editor.strip():
            scopes[editor.strip()] = _names(units)
    return scopes


def editor_units(name: str, secrets_file: Path = SECRETS_FILE, env: Mapping[str, str] | None = None) -> list[str]:
    """The units an editor may change: [editor_units] in secrets.toml (`name = ["KPU Kota X"]`
    or `name = "*"`), or ZI_EDITOR_UNITS (`name=KPU Kota X|KPU Kabupaten Y;other=*`).
    An editor not named there may change every unit (["*"]), as before units existed, unless
    the name is a reviewer (reviewer_units): a reviewer changes no unit's own data."""
    name = (name or "").strip()
    scopes = _scopes("editor_units", "ZI_EDITOR_UNITS", secrets_file, env)
    if name not in scopes and name in _scopes("reviewer_units", "ZI_REVIEWER_UNITS", secrets_file, env):
        return []
    return scopes.get(name, [ALL_UNITS])


def reviewer_units(name: str, secrets_file: Path = SECRETS_FILE, env: Mapping[str, str] | None = None) -> list[str]:
    """The units a reviewer (penilai TPI) reviews: [reviewer_units] in secrets.toml
    (`name = ["KPU Kota X", "KPU Kabupaten Y"]` or `name = "*"`), or ZI_REVIEWER_UNITS
    (`name=KPU Kota X|KPU Kabupaten Y;other=*`).  A name not named there reviews nothing.
    A reviewer logs in as an editor does (its hash in [editors] or ZI_EDITORS)."""
    return _scopes("reviewer_units", "ZI_REVIEWER_UNITS", secrets_file, env).get((name or "").strip(), [])


def unit_roles(name: str, unit: str) -> frozenset[str]:
    """The roles of a name for a unit (counting.lke_review: unit editor, reviewer, admin)."""
    return roles_from_scopes(
        unit_slug(unit),
        [u if u == ALL_UNITS else unit_slug(u) for u in editor_units(name)],
        [u if u == ALL_UNITS else unit_slug(u) for u in reviewer_units(name)],
    )


def may_edit(name: str, unit: str) -> bool:
    """Whether an editor's units include this one ("*": every unit)."""
    scope = editor_units(name)
    return ALL_UNITS in scope or unit_slug(unit) in {unit_slug(u) for u in scope}


def check_login(editors: dict[str, str], name: str, password: str) -> str | None:
    """The editor's name when name and password match, else None.  An unknown name costs the
    same time as a wrong password."""
    name = (name or "").strip()
    stored = editors.get(name)
    ok = verify_password(password or "", stored if stored is not None else _DUMMY)
    return name if ok and stored is not None else None


def lock_seconds(failures: int) -> float:
    """The wait after this many wrong tries in a row: none before MAX_TRIES, then LOCK_SECONDS,
    doubling with every further failure, never more than MAX_LOCK_SECONDS."""
    if failures < MAX_TRIES:
        return 0.0
    return min(LOCK_SECONDS * 2 ** min(failures - MAX_TRIES, 20), MAX_LOCK_SECONDS)


def address_key(address) -> str:
    """A client address as the throttle counts it: an IPv6 address by its /64 (one network,
    which hands its machines many addresses), anything else as given ("" for none, or for
    what is no text, such as the stand-in of a session without a browser)."""
    text = address.strip().replace("@", "")[:64] if isinstance(address, str) else ""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


class Throttle:
    """Wrong tries, kept in the store, so a new session, another process or another replica
    sees them too.  They are counted per editor name at a client address ("editor:NAME@ADDRESS")
    and per address ("ip:ADDRESS"): a crowd guessing a name from other addresses never makes
    the editor wait at their own address, and one address cannot try name after name."""

    def __init__(self, store, name: str, address: str | None = None, clock=time.time):
        self.store, self.clock = store, clock
        address = address_key(address)
        self.keys = [name_key(name) + "@" + address]
        if address:
            self.keys.append("ip:" + address)

    def wait(self) -> float:
        return self.store.login_wait(self.keys, self.clock())

    def attempt(self) -> tuple[bool, int, float]:
        """Count a try and check the wait in one step: (may check the password, wrong tries
        so far including this one, seconds to wait now).  A try refused by a wait is not
        counted."""
        return self.store.login_try(self.keys, self.clock(), lock_seconds, MAX_LOCK_SECONDS)

    def succeeded(self) -> None:
        self.store.login_succeeded(self.keys)


def name_key(name: str) -> str:
    return "editor:" + " ".join(str(name or "").split())[:120]


def login(
    store, editors: dict[str, str], name: str, password: str, address: str | None = None, clock=time.time
) -> tuple[str | None, int, float]:
    """A login try: (the editor's name when name and password match, wrong tries so far,
    seconds to wait).  The try is counted before the password is checked, so simultaneous
    tries cannot pass the wait."""
    throttle = Throttle(store, name, address, clock)
    allowed, failures, wait = throttle.attempt()
    if not allowed:
        return None, failures, wait
    found = check_login(editors, name, password)
    if found:
        throttle.succeeded()
        return found, 0, 0.0
    return None, failures, wait


def unlock(store, name: str) -> int:
    """An admin's unlock: forget the wrong tries kept for this editor name, at every address,
    and those of the addresses that tried it.  Returns how many were forgotten."""
    own = name_key(name)
    keys = [k for k in store.login_keys(own) if k == own or k.rpartition("@")[0] == own]
    addresses = {k.rpartition("@")[2] for k in keys if k != own}
    return store.login_succeeded(keys + ["ip:" + a for a in addresses if a])


# --- a login kept across a browser reload -------------------------------------------------------
# After a login the browser keeps a cookie "<token>.<signature>": the token is 32 random bytes, the
# signature an HMAC of it keyed with the editor's password hash in force (a server-side secret).  The
# store keeps only the token's SHA-256, with the editor and the expiry; a reload is logged in again
# when the row exists, is not ended (logout, revoked) nor expired, its editor is still an editor
# and the signature matches that editor's hash (a new password ends every session).  Nothing of it
# is in the address.
SESSION_HOURS = 12
SESSION_COOKIE = "zi_sesi"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _signature(token: str, key: str) -> str:
    return hmac.new(key.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def start_session(store, editor: str, key: str, clock=time.time) -> str:
    """Keep a new session of a logged-in editor (`key`: their hash in force); -> the cookie's value."""
    token = secrets.token_urlsafe(32)
    now = clock()
    store.start_session(_token_hash(token), editor, now, now + SESSION_HOURS * 3600)
    return f"{token}.{_signature(token, key)}"


def resume_session(store, editors: dict[str, str], cookie: str | None, clock=time.time) -> str | None:
    """The editor a session cookie logs in again, or None: unknown, tampered with, ended,
    expired, or its editor removed or given a new password since."""
    token, _, signature = str(cookie or "")[:200].partition(".")
    if not token or not signature:
        return None
    name = store.session_editor(_token_hash(token), clock())
    key = editors.get(name) if name else None
    if key is None or not hmac.compare_digest(signature, _signature(token, key)):
        return None
    return name


def end_session(store, cookie: str | None, clock=time.time) -> None:
    """A logout: the session's cookie no longer logs anyone in."""
    token = str(cookie or "")[:200].partition(".")[0]
    if token:
        store.end_sessions(clock(), token_hash=_token_hash(token))


def end_editor_sessions(store, name: str, clock=time.time) -> int:
    """Revoke every kept session of an editor (an admin's act); -> how many were still valid."""
    return store.end_sessions(clock(), editor=name)


MIN_PASSWORD = 12


def new_password() -> str:
    return secrets.token_urlsafe(12)


def editors_for(store) -> dict[str, str]:
    """The editors in force: those configured, else the generated one kept in the store."""
    return configured_editors() or store.stored_editors()


def ensure_editor(store, announce=print) -> str | None:
    """With no editor configured or stored, create one with a random password, announce the
    password once, and keep only its hash.  Returns the password when it was created here."""
    if configured_editors() or store.stored_editors():
        return None
    password = new_password()
    if store.create_editor(GENERATED_EDITOR, hash_password(password)):
        announce(L.STORAGE["editor_created"].format(name=GENERATED_EDITOR, password=password))
        return password
    return None
