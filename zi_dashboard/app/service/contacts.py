"""The PIC contact sheet: phone numbers (or e-mail addresses) per PIC, read once per content
and kept per work plan for every viewer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from zi_dashboard.app.service.editors import ensure_allowed
from zi_dashboard.app.service.store_access import forget, get_store, store_at, store_says
from zi_dashboard.reading import sandbox
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.records import Workplan


def contacts_from(data: bytes, filename: str, kind: str) -> dict[str, str]:
    """PIC -> phone ('phone') or e-mail address ('email') from a contacts sheet, read in a child
    process once per content (a page rerun with the same file reads nothing)."""
    found = _contacts_read(data, filename, kind)
    if isinstance(found, UnreadableFile):
        raise found
    return found


@cached(maxsize=32, key=lambda data, filename, kind: (hashlib.sha256(data).hexdigest(), filename, kind))
def _contacts_read(data: bytes, filename: str, kind: str) -> dict[str, str] | UnreadableFile:
    try:
        return sandbox.read_contacts(data, filename, kind)
    except sandbox.Busy:
        raise
    except UnreadableFile as exc:
        return exc


@dataclass(frozen=True)
class ContactSheet:
    """A work plan's PIC contact sheet in use: PIC -> phone number, where it came from."""

    phones: dict[str, str]
    filename: str
    by: str
    at: datetime
    sha256: str


def contact_sheet(wp: Workplan) -> ContactSheet | None:
    """The contact sheet kept for a work plan (the newest saved), as stored: nothing is read."""
    url = get_store().url
    found = store_says(url, "latest_contacts_id", wp.id)
    return None if found is None else _contact_sheet(url, found)


@cached(maxsize=64)
def _contact_sheet(url: str, contacts_id: int) -> ContactSheet:
    kept = store_at(url).contacts(contacts_id)
    return ContactSheet(json.loads(kept.contacts), kept.filename, kept.by, kept.at, kept.sha256)


def save_contact_sheet(data: bytes, filename: str, by: str, wp: Workplan, rights=None) -> ContactSheet:
    """Read a PIC contact sheet (once per content) and keep it as the work plan's, for every
    viewer and session from now on.  NotAllowed: not an editor of its unit; UnreadableFile: no
    PIC and phone columns (nothing stored)."""
    ensure_allowed(by, wp, rights)
    phones = contacts_from(data, filename, "phone")
    sha = hashlib.sha256(data).hexdigest()
    kept = contact_sheet(wp)
    if kept is None or kept.sha256 != sha or kept.phones != phones:
        get_store().save_contacts(wp.id, filename, sha, json.dumps(phones, ensure_ascii=False), by)
        forget()
    saved = contact_sheet(wp)
    assert saved is not None  # kept just now, or already
    return saved
