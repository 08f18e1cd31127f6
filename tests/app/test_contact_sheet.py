"""Kesiapan's PIC contact sheet: only editors get the uploader; the sheet is
read once per content and kept in the store per work plan, so every session and viewer uses it
without anything being read for them."""

from __future__ import annotations

from builders import csv_bytes
from conftest import ROOT, login
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.reading import sandbox
from zi_dashboard.storage.store import open_store

PAGE = "pages/kesiapan.py"
NUMBER = "https://wa.me/6281234567890?text="


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _uploaders(at) -> list[str]:
    return [u.key for u in at.get("file_uploader") if u.key and u.key.startswith("ready_contacts")]


def _links(at) -> list[str]:
    return [b.proto.url for b in at.get("link_button")]


def _counting_reads(monkeypatch) -> list[str]:
    from zi_dashboard.reading.caching import clear_all

    clear_all()  # a sheet read by an earlier test is not read again (the cache is by content)
    reads: list[str] = []
    real = sandbox.read_contacts

    def counted(data, filename, kind):
        reads.append(filename)
        return real(data, filename, kind)

    monkeypatch.setattr(sandbox, "read_contacts", counted)
    return reads


def test_an_editor_keeps_the_sheet_and_every_viewer_uses_it(temp_db, monkeypatch):
    reads = _counting_reads(monkeypatch)
    viewer = _page()
    assert _uploaders(viewer) == []  # a viewer cannot make the server read a file
    assert L.READY["contacts_none"] in [c.value for c in viewer.caption]
    assert not any(u.startswith(NUMBER) for u in _links(viewer))

    editor = login(_page())
    contacts = csv_bytes([["PIC", "No. HP"], ["Kasubbag Perencanaan", "0812-3456-7890"]])
    editor.file_uploader(key="ready_contacts_0").set_value(("kontak.csv", contacts, "text/csv")).run()
    assert not editor.exception
    assert L.READY["contacts_saved"].format(n=1) in [s.value for s in editor.success]
    assert any(u.startswith(NUMBER) for u in _links(editor))
    editor.run()
    editor.run()
    assert reads == ["kontak.csv"]  # read once, not on every rerun

    # kept per work plan in the store: a new session (not logged in) uses it, reading nothing
    store = open_store(temp_db)
    wp = store.home()
    assert store.latest_contacts_id(wp.id) is not None
    again = _page()
    assert _uploaders(again) == []
    assert any(u.startswith(NUMBER) for u in _links(again))
    assert any("kontak.csv" in c.value.replace("\\", "") and "1 nomor" in c.value for c in again.caption)
    assert reads == ["kontak.csv"]
    viewer.run()  # the first viewer, still open, gets it at its next run
    assert any(u.startswith(NUMBER) for u in _links(viewer))


def test_a_sheet_is_read_once_per_content_and_a_bad_one_keeps_nothing(temp_db, monkeypatch):
    reads = _counting_reads(monkeypatch)
    wp = service.home()
    from conftest import EDITOR

    good = csv_bytes([["No", "PIC", "No. WA"], [1, "PPID", "+62 811 222 333"]])
    for _ in range(3):
        kept = service.save_contact_sheet(good, "kontak.csv", EDITOR, wp)
    assert kept.phones == {"PPID": "+62 811 222 333"} and len(reads) == 1
    assert service.contacts_from(good, "kontak.csv", "phone") == kept.phones and len(reads) == 1
    bad = csv_bytes([["Nama", "Alamat"], ["PPID", "Jl. Sutisna Senjaya"]])
    for _ in range(2):
        try:
            service.save_contact_sheet(bad, "salah.csv", EDITOR, wp)
        except service.UnreadableFile as exc:
            assert "kolom PIC" in str(exc)
        else:
            raise AssertionError("a sheet without a PIC column was kept")
    assert len(reads) == 2  # the bad one read once too
    assert service.contact_sheet(wp).phones == kept.phones  # nothing changed
    # an editor of another unit may not replace it
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}=KPU Kabupaten Garut")
    try:
        service.save_contact_sheet(csv_bytes([["PIC", "HP"], ["X", "0812"]]), "lain.csv", EDITOR, wp)
    except service.NotAllowed:
        pass
    else:
        raise AssertionError("an editor of another unit replaced the sheet")
    assert service.contact_sheet(wp).phones == kept.phones


def test_a_viewer_on_every_page_starts_no_reader(temp_db, monkeypatch):
    """Nothing a viewer does starts a child process or reads an uploaded file."""

    def never():
        raise AssertionError("a viewer's page started the file reader")

    monkeypatch.setattr(sandbox, "_zygote", never)
    monkeypatch.setattr(sandbox, "warm", never)
    at = _page()
    for page in (
        "pages/ringkasan.py",
        "pages/linimasa.py",
        "pages/terlambat.py",
        "pages/tabel.py",
        "pages/riwayat.py",
        "pages/unggah.py",
        "pages/kesiapan.py",
        "pages/rapat.py",
    ):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_a_store_of_the_previous_schema_gets_the_contact_sheets(store_url):
    """A store left at schema 8 (no contact sheets yet) gets the table when opened, and keeps a sheet."""
    from tests.storage.test_migrations import load_legacy_store
    from zi_dashboard.storage import migrations
    from zi_dashboard.storage import store as zs

    load_legacy_store(store_url, 8)
    st = zs.open_store(store_url)
    wp = st.home()
    assert st.schema_revision() == migrations.head() and st.latest_contacts_id(wp.id) is None
    kept = st.save_contacts(wp.id, "kontak.csv", "ab" * 32, '{"PPID": "0812"}', "Rina")
    assert st.latest_contacts_id(wp.id) == kept.id and st.contacts(kept.id).contacts == '{"PPID": "0812"}'
    st.dispose()
