"""A zip of many units' progress files, as people make them: Windows' compressed folders (DOS
code-page names, no UTF-8 flag), macOS' __MACOSX junk, folders inside, an .xlsx inside, an
archive inside, zip bombs, too many files, a password, names that climb out with '..'.

Archives are built here byte by byte (raw_zip) where zipfile cannot write what people's tools
write (code-page names, ZipCrypto passwords, sizes that lie), else with zipfile itself."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import builders as B
import pytest

from zi_dashboard.reading import limits, sandbox
from zi_dashboard.reading.bundle import Member, is_bundle, split_bundle
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.reading.units import match_unit

KNOWN = ["KPU Kota Tasikmalaya", "KPU Kabupaten Garut", "KPU Kabupaten Tasikmalaya", "KPU Provinsi Jawa Barat"]


# --- building archives ---------------------------------------------------------------------------
def _zipcrypto(password: bytes, crc: int, body: bytes) -> bytes:
    """Traditional PKWARE encryption (what Windows and 7-Zip write for 'ZipCrypto')."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(crc_value: int, b: int) -> int:
        return zlib.crc32(bytes([b]), crc_value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(b: int) -> None:
        keys[0] = crc_byte(keys[0], b)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    def stream_byte() -> int:
        t = (keys[2] | 2) & 0xFFFF
        return ((t * (t ^ 1)) >> 8) & 0xFF

    for b in password:
        update(b)
    out = bytearray()
    for p in bytes(range(11)) + bytes([crc >> 24 & 0xFF]) + body:
        out.append(p ^ stream_byte())
        update(p)
    return bytes(out)


def raw_zip(entries: list[dict]) -> bytes:
    """A zip written by hand.  Each entry: name (bytes, written as is), data; optional
    deflate (default True), utf8_flag, password, declared_size (a lie), method (the field)."""
    out, central = bytearray(), bytearray()
    for e in entries:
        name, data = e["name"], e.get("data", b"")
        crc = zlib.crc32(data)
        if e.get("deflate", True) and data:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            body, method = c.compress(data) + c.flush(), 8
        else:
            body, method = data, 0
        flags = 0x800 if e.get("utf8_flag") else 0
        if e.get("password"):
            body, flags = _zipcrypto(e["password"], crc, body), flags | 1
        method = e.get("method", method)
        size = e.get("declared_size", len(data))
        offset = len(out)
        out += (
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x21, crc, len(body), size, len(name), 0)
            + name
            + body
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                flags,
                method,
                0,
                0x21,
                crc,
                len(body),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


def zip_of(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in files.items():
            if name.endswith("/"):
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(name, data)
    return buf.getvalue()


def progress_xlsx(title: str, value: float = 50) -> bytes:
    return B.xlsx(
        [[title], ["Posisi: 15 November 2026"], [], *B.standard_rows(default=value)], merges=["A1:J1", "A2:J2"]
    )


def progress_csv(value: float = 40) -> bytes:
    return B.csv_bytes(B.standard_rows(default=value), sep=";")


def ok(members: list[Member]) -> dict[str, bytes]:
    return {m.name: m.data for m in members if m.ok}


def refused(members: list[Member]) -> dict[str, str]:
    return {m.name: m.problem.key for m in members if not m.ok}


@pytest.fixture(scope="module")
def plan():
    return load_plan()


# --- what people send ------------------------------------------------------------------------------
def test_windows_compressed_folder(plan):
    """Right-click a folder > Send to > Compressed folder: the folder is inside, names are in the
    DOS code page without the UTF-8 flag; an older tool wrote backslashes."""
    tasik, garut = progress_xlsx("LAPORAN PROGRES ZI KPU KOTA TASIKMALAYA TAHUN 2026"), progress_csv()
    data = raw_zip(
        [
            {"name": b"Progres Unit/", "deflate": False},
            {"name": b"Progres Unit/Laporan Tasik \x82.xlsx", "data": tasik},  # cp437 0x82 = e acute
            {"name": b"Progres Unit\\progres_kab_garut_2026.csv", "data": garut},
        ]
    )
    members = split_bundle(data, "Progres Unit.zip")
    assert ok(members) == {
        "Progres Unit/Laporan Tasik \u00e9.xlsx": tasik,
        "Progres Unit/progres_kab_garut_2026.csv": garut,
    }
    assert [m.basename for m in members] == ["Laporan Tasik \u00e9.xlsx", "progres_kab_garut_2026.csv"]
    # each member is then read like an upload, and matched to its unit by title or by name
    for m in members:
        report = sandbox.read_progress(m.data, m.basename, plan)
        assert report.valid, [p.text() for p in report.errors]
    first = sandbox.read_progress(members[0].data, members[0].basename, plan)
    assert match_unit(first.title, KNOWN) == "KPU Kota Tasikmalaya"
    assert match_unit(members[1].name, KNOWN) == "KPU Kabupaten Garut"


def test_utf8_names_without_the_flag_are_read_as_utf8():
    """Older macOS and 7-Zip write UTF-8 names without saying so."""
    data = raw_zip([{"name": "Kab. Garut \u2013 Progres.csv".encode(), "data": progress_csv()}])
    assert [m.name for m in split_bundle(data, "x.zip")] == ["Kab. Garut \u2013 Progres.csv"]
    flagged = raw_zip([{"name": "Kab. Garut \u2013 Progres.csv".encode(), "data": progress_csv(), "utf8_flag": True}])
    assert [m.name for m in split_bundle(flagged, "x.zip")] == ["Kab. Garut \u2013 Progres.csv"]


def test_macos_junk_lock_files_and_folders_are_skipped():
    csv = progress_csv()
    data = zip_of(
        {
            "Progres/": b"",
            "Progres/kota-tasikmalaya.csv": csv,
            "__MACOSX/": b"",
            "__MACOSX/Progres/._kota-tasikmalaya.csv": b"\x00\x05\x16\x07 Mac OS X resource fork",
            "Progres/.DS_Store": b"\x00\x00\x00\x01Bud1",
            ".hidden/notes.csv": b"a;b",
            "Progres/~$kota-tasikmalaya.xlsx": b"\x0bOwner lock",
            "Progres/Thumbs.db": b"\xd0\xcf\x11\xe0",
            "Progres/desktop.ini": b"[.ShellClassInfo]",
        }
    )
    members = split_bundle(data, "Archive.zip")
    assert [(m.name, m.data) for m in members] == [("Progres/kota-tasikmalaya.csv", csv)]
    assert match_unit(members[0].name, KNOWN) == "KPU Kota Tasikmalaya"


def test_an_xlsx_inside_is_fine_an_archive_inside_is_reported_not_opened():
    xlsx = progress_xlsx("KPU KABUPATEN GARUT")
    inner = zip_of({"kota-tasikmalaya.csv": progress_csv()})
    data = zip_of(
        {
            "garut.xlsx": xlsx,
            "lama/arsip lama.zip": inner,
            "tasik.bin": inner,
            "lain.rar": b"Rar!\x1a\x07\x00" + bytes(64),
            "stored.xlsx": xlsx,
        }
    )
    members = split_bundle(data, "bundle.zip")
    assert ok(members) == {"garut.xlsx": xlsx, "stored.xlsx": xlsx}
    assert refused(members) == {
        "lama/arsip lama.zip": "bundle_nested",
        "tasik.bin": "bundle_nested",
        "lain.rar": "bundle_nested",
    }
    nested = next(m for m in members if m.name == "lama/arsip lama.zip")
    assert nested.data == b"" and "arsip lama.zip" in nested.problem and "arsip di dalam arsip" in nested.problem


def test_an_xlsx_stored_uncompressed_in_the_zip_is_a_member_not_a_bundle():
    xlsx = progress_xlsx("KPU KOTA TASIKMALAYA")
    data = zip_of({"tasik.xlsx": xlsx}, compression=zipfile.ZIP_STORED)
    assert is_bundle(data, "bundle.zip")
    assert ok(split_bundle(data, "bundle.zip")) == {"tasik.xlsx": xlsx}


# --- is_bundle -------------------------------------------------------------------------------------
def test_is_bundle():
    xlsx = progress_xlsx("KPU KOTA TASIKMALAYA")
    bundle = zip_of({"a.csv": progress_csv()})
    assert is_bundle(bundle, "progres.zip")
    assert is_bundle(bundle, "progres")  # no suffix: by content
    assert not is_bundle(xlsx, "progres.xlsx")
    assert not is_bundle(xlsx, "progres.zip")  # an .xlsx renamed .zip is still a workbook
    assert not is_bundle(B.docx_like_bytes(), "laporan.zip")  # Office Open XML: a document, not a bundle
    assert not is_bundle(bundle, "progres.xlsx")  # named a workbook: its reader says what is wrong
    assert not is_bundle(progress_csv(), "progres.csv")
    assert not is_bundle(B.pdf_bytes(), "laporan.pdf")
    assert is_bundle(B.garbage_bytes(), "rusak.zip")  # damaged: split_bundle says so
    assert not is_bundle(b"", "kosong.zip")


# --- refusing the whole archive ----------------------------------------------------------------
@pytest.mark.parametrize(
    "data, key",
    [
        (B.garbage_bytes(), "bundle_not_zip"),
        (b"PK\x03\x04" + B.garbage_bytes(200), "bundle_not_zip"),
        (B.pdf_bytes(), "bundle_not_zip"),
        (b"", "empty_file"),
        (zip_of({}), "bundle_empty"),
        (zip_of({"Progres/": b"", "__MACOSX/._x.csv": b"x", ".DS_Store": b"x"}), "bundle_empty"),
    ],
)
def test_unusable_archives(data, key):
    with pytest.raises(UnreadableFile) as info:
        split_bundle(data, "progres.zip")
    assert info.value.code == key
    assert "Traceback" not in str(info.value)


def test_password_protected_zip_is_refused():
    secret = progress_csv()
    data = raw_zip(
        [
            {"name": b"kota-tasikmalaya.csv", "data": secret, "password": b"rahasia"},
            {"name": b"garut.csv", "data": secret, "password": b"rahasia"},
        ]
    )
    # a real ZipCrypto archive: it opens with its password
    assert zipfile.ZipFile(io.BytesIO(data)).read("garut.csv", pwd=b"rahasia") == secret
    for read in (split_bundle, sandbox.read_bundle):
        with pytest.raises(UnreadableFile) as info:
            read(data, "progres.zip")
        assert info.value.code == "bundle_encrypted"
        assert "kata sandi" in str(info.value)


def test_one_encrypted_member_refuses_the_archive():
    data = raw_zip(
        [{"name": b"a.csv", "data": progress_csv()}, {"name": b"b.csv", "data": progress_csv(), "password": b"x"}]
    )
    with pytest.raises(UnreadableFile, match="kata sandi"):
        split_bundle(data, "progres.zip")


def test_too_many_files():
    files = {f"unit-{i:03}/progres.csv": b"Kode;Progres\r\n1.1;50\r\n" for i in range(601)}
    with pytest.raises(UnreadableFile) as info:
        split_bundle(zip_of(files), "semua.zip")
    assert info.value.code == "bundle_too_many" and "601" in str(info.value) and "600" in str(info.value)
    del files["unit-600/progres.csv"]
    files.update({f"__MACOSX/unit-{i:03}/._progres.csv": b"junk" for i in range(600)})  # junk does not count
    assert len(split_bundle(zip_of(files), "semua.zip")) == 600


def test_expanded_total_limit(monkeypatch):
    """Three members of 0.6 MB each (incompressible) against a 1 MB total: refused before any
    member is expanded; the child process takes the caller's limits."""
    files = {f"{n}.csv": os.urandom(600_000) for n in "abc"}
    data = zip_of(files)
    assert len(split_bundle(data, "x.zip")) == 3
    monkeypatch.setattr(limits, "MAX_EXPANDED_MB", 1)
    for read in (split_bundle, sandbox.read_bundle):
        with pytest.raises(UnreadableFile) as info:
            read(data, "x.zip")
        assert info.value.code == "bundle_expanded"


def test_file_count_limit_from_the_environment(monkeypatch):
    monkeypatch.setattr(limits, "MAX_BUNDLE_FILES", 2)
    data = zip_of({f"{n}.csv": progress_csv() for n in "abc"})
    with pytest.raises(UnreadableFile, match="batas 2 berkas"):
        sandbox.read_bundle(data, "x.zip")


# --- refusing one member -------------------------------------------------------------------------
def test_zip_bomb_member_is_refused_without_expanding_it(monkeypatch):
    """200 MB of zeros in 200 KB: refused on the size the archive declares, at once (not one
    byte of it inflated: every read of a member is counted); the other member is taken."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("kota-tasikmalaya.csv", progress_csv())
        with zf.open("bom.csv", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                f.write(chunk)
    data = buf.getvalue()
    assert len(data) < 1_000_000
    inflated: dict[str, int] = {}
    real_read = zipfile.ZipExtFile.read

    def counted_read(self, n=-1):
        body = real_read(self, n)
        inflated[self.name] = inflated.get(self.name, 0) + len(body)
        return body

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted_read)
    inside = split_bundle(data, "bom.zip")
    assert [(m.name, m.ok) for m in inside] == [("kota-tasikmalaya.csv", True), ("bom.csv", False)]
    assert inflated.get("bom.csv", 0) == 0, inflated
    assert inflated["kota-tasikmalaya.csv"] == len(progress_csv())
    members = sandbox.read_bundle(data, "bom.zip")
    assert list(ok(members)) == ["kota-tasikmalaya.csv"]
    assert refused(members) == {"bom.csv": "bundle_member_too_big"}
    assert "200" in next(m.problem for m in members if not m.ok)


def test_highly_compressed_member_is_refused_by_its_ratio():
    """2 MB of zeros is within the size limit but compressed about 1000 times."""
    data = zip_of({"padat.csv": b"\0" * (2 << 20), "ok.csv": progress_csv()})
    members = split_bundle(data, "x.zip")
    assert refused(members) == {"padat.csv": "bundle_member_ratio"} and list(ok(members)) == ["ok.csv"]


def test_a_member_that_lies_about_its_size_is_never_read_past_it():
    """The archive declares 1 KB; the member expands to 10 MB: reading stops at 1 KB, the
    checksum fails, the member is reported damaged."""
    data = raw_zip(
        [
            {"name": b"bohong.csv", "data": b"\0" * (10 << 20), "declared_size": 1024},
            {"name": b"ok.csv", "data": progress_csv()},
        ]
    )
    members = sandbox.read_bundle(data, "x.zip")
    assert refused(members) == {"bohong.csv": "bundle_member_damaged"} and list(ok(members)) == ["ok.csv"]


def test_unknown_compression_method():
    data = raw_zip([{"name": b"aneh.csv", "data": progress_csv(), "method": 9}])  # Deflate64
    assert refused(split_bundle(data, "x.zip")) == {"aneh.csv": "bundle_member_method"}


# --- names -----------------------------------------------------------------------------------------
def test_names_that_climb_out_or_hide_things_are_reduced_to_their_base_name():
    csv = progress_csv()
    data = raw_zip(
        [
            {"name": b"../../etc/kota-tasikmalaya.csv", "data": csv},
            {"name": b"/var/www/garut.csv", "data": csv},
            {"name": b"C:\\Users\\Staf\\Desktop\\jabar.csv", "data": csv},
            {"name": b"folder/../../keluar.csv", "data": csv},
            {"name": b"Progres/kab\x07tasik.csv", "data": csv},
            {"name": "Progres/laporan\u202excs.exe".encode(), "data": csv, "utf8_flag": True},
            {"name": b"Progres/./biasa.csv", "data": csv},
        ]
    )
    names = [m.name for m in split_bundle(data, "x.zip")]
    assert names == [
        "kota-tasikmalaya.csv",
        "garut.csv",
        "jabar.csv",
        "keluar.csv",
        "kabtasik.csv",
        "laporanxcs.exe",
        "Progres/biasa.csv",
    ]
    assert all(".." not in n and not n.startswith("/") for n in names)


def test_members_cross_the_process_boundary_whole():
    xlsx = progress_xlsx("KPU KOTA TASIKMALAYA")
    data = zip_of({"Progres/tasik.xlsx": xlsx, "Progres/lama.zip": zip_of({"a.csv": b"a"})})
    inside, outside = split_bundle(data, "x.zip"), sandbox.read_bundle(data, "x.zip")
    assert inside == outside
    assert [m.problem.key for m in outside if m.problem] == ["bundle_nested"]
