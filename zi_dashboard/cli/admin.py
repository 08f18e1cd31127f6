"""The server's administration: serve (the dashboard), hash-password (a hash for the editors'
configuration), unlock (an editor's waits after wrong passwords), logout (an editor's sessions)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.cli.common import EXIT_INVALID, EXIT_UNREADABLE, EXIT_VALID
from zi_dashboard.reading.resources import APP
from zi_dashboard.storage import auth


def hash_password(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        first = getpass.getpass(L.CLI["password"])
        if getpass.getpass(L.CLI["password_again"]) != first:
            print(L.CLI["password_mismatch"], file=sys.stderr)
            return EXIT_INVALID
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    if len(first) < auth.MIN_PASSWORD:
        print(L.CLI["password_short"], file=sys.stderr)
        return EXIT_INVALID
    print(auth.hash_password(first))
    return EXIT_VALID


def name_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help=L.CLI_HELP["unlock_name"])


def unlock(args: argparse.Namespace) -> int:
    """An admin's unlock: the editor's waits after wrong passwords are gone, at every address."""
    count = auth.unlock(service.get_store(), args.name)
    print(L.CLI["unlocked" if count else "unlock_none"].format(name=args.name.strip(), count=count))
    return EXIT_VALID


def logout(args: argparse.Namespace) -> int:
    """An admin's revocation: every kept login of an editor ends (a reload is logged out)."""
    count = auth.end_editor_sessions(service.get_store(), args.name.strip())
    print(L.SESSIONS["ended"].format(name=args.name.strip(), count=count))
    return EXIT_VALID


def serve(args: argparse.Namespace) -> int:
    """The dashboard's server: the generated editor's password (first start, no editor
    configured) is printed now, before the server's own lines, then `streamlit run app.py`
    (with the arguments the command line gave that are not ours: args.streamlit_args)."""
    if not APP.exists():
        print(L.CLI["no_app"].format(path=APP), file=sys.stderr)
        return EXIT_UNREADABLE
    service.ensure_editor()
    sys.stdout.flush()  # the .streamlit/config.toml beside app.py applies (upload limit, no file watching)
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(APP), *args.streamlit_args])
    return EXIT_VALID  # not reached
