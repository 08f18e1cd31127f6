"""A unit's Laporan monev templates in the store (issue 24 item 2), on SQLite and PostgreSQL: kept
append-only with who, when, size, bytes and sha256; the same file stored once per unit; every
choice of the template in use a row of its own, so the one in use at any moment is told again;
another unit's template cannot be chosen; the letter's details, newest in use, per unit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from zi_dashboard.storage import report_templates as rt
from zi_dashboard.storage.store import open_store

UNIT, OTHER = "KPU Kota Tasikmalaya", "KPU Kabupaten Garut"


def _add(engine, unit: str, content: bytes, name: str = "kop.docx"):
    return rt.add_template(engine, unit, name, hashlib.sha256(content).hexdigest(), content, "Sekretaris")


def test_templates_their_choices_and_the_one_in_use_at_a_moment(store_url):
    store = open_store(store_url)
    try:
        e = store.engine
        assert rt.in_use_at(e, UNIT) is None and rt.templates(e, UNIT) == []
        first = _add(e, UNIT, b"PK first \x00\xff", "kop-2025.docx")
        between = datetime.now(UTC)
        second = _add(e, UNIT, b"PK second", "kop-2026.docx")
        assert rt.template_content(e, first.id) == b"PK first \x00\xff"  # the bytes as given
        assert (first.size, first.sha256) == (11, hashlib.sha256(b"PK first \x00\xff").hexdigest())
        assert rt.in_use_at(e, UNIT).id == second.id
        assert rt.in_use_at(e, UNIT, between).id == first.id  # the one in use then
        assert rt.in_use_at(e, UNIT, first.at - timedelta(seconds=1)) is None  # before any: the default
        assert _add(e, UNIT, b"PK first \x00\xff", "lagi.docx").id == first.id  # stored once, put in use again
        assert [t.id for t in rt.templates(e, UNIT)] == [second.id, first.id]
        rt.use_template(e, UNIT, None, "Sekretaris")  # the default
        assert rt.in_use_at(e, UNIT) is None
        assert [u.template_id for u in rt.template_uses(e, UNIT)] == [None, first.id, second.id, first.id]
        assert rt.in_use_at(e, OTHER) is None and rt.templates(e, OTHER) == []  # per unit
        with pytest.raises(LookupError):
            rt.use_template(e, OTHER, first.id, "Operator Garut")  # not that unit's template
    finally:
        store.dispose()


def test_the_letters_details_newest_in_use_per_unit(store_url):
    store = open_store(store_url)
    try:
        e = store.engine
        assert rt.details(e, UNIT) == {}
        rt.save_details(e, UNIT, {"number": "001", "signer_name": "Siti Aminah"}, "Sekretaris")
        rt.save_details(e, UNIT, {"number": "002", "signer_name": "Siti Aminah"}, "Sekretaris")
        assert rt.details(e, UNIT) == {"number": "002", "signer_name": "Siti Aminah"}
        assert rt.details(e, OTHER) == {}
    finally:
        store.dispose()
