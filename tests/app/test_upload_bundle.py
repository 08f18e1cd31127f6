"""Unggah with a zip of several units' progress files (AppTest, through the router): each file
matched to its unit by the title in it or its file name, checked against that unit's plan of the
year chosen in the sidebar, shown file by file before anything is saved; one button saves the
valid, matched, new files of the units the editor may change, and says what it did."""

from datetime import date

from bulk_builders import plan_file, progress_file, zip_of
from conftest import EDITOR, login
from test_pages import all_text, app
from test_units_pages import plain

from zi_dashboard import labels as L
from zi_dashboard.storage.store import open_store

ZIP = "application/zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GARUT, KAB_TASIK, KOTA = "KPU Kabupaten Garut", "KPU Kabupaten Tasikmalaya", "KPU Kota Tasikmalaya"
SAVE = f"FormSubmitter:bundle-save-{L.BULK['save']}"
SAVE_ONE = f"FormSubmitter:save-{L.UI['save']}"
B = L.BULK


def three_units(url):
    """Kota Tasikmalaya 2025 (the home unit) with one upload stored, Garut and Kabupaten
    Tasikmalaya 2025 with their plans; the stored upload's bytes."""
    from zi_dashboard.app import service

    for unit in (GARUT, KAB_TASIK):
        service.add_plan(plan_file(unit, 2025), "rk.csv", "Admin", unit, 2025, rights=service.OPERATOR)
    stored = progress_file("LAPORAN PROGRES ZI KPU KOTA TASIKMALAYA TAHUN 2025", "15 Oktober 2025", None, 30)
    check = service.check_upload(stored, "kota-oktober.xlsx", wp=service.workplan_of(KOTA, 2025))
    service.save_upload(check, "Admin", date(2025, 10, 15), rights=service.OPERATOR)
    return stored


def bundle(stored: bytes) -> bytes:
    return zip_of(
        {
            "ZI/garut.xlsx": progress_file(
                "LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2025", "31 Oktober 2025", {"1.1": 100}, 40
            ),
            "ZI/progres_kab_tasikmalaya.xlsx": progress_file("LAPORAN PROGRES ZI", None, None, 25),  # by its name
            "ZI/kota.xlsx": progress_file(
                "LAPORAN PROGRES KPU KOTA TASIKMALAYA TAHUN 2025", "31 Oktober 2025", None, 50, bad="3.2"
            ),  # invalid
            "ZI/laporan-oktober.xlsx": progress_file("LAPORAN PROGRES ZI", "31 Oktober 2025", None, 60),  # whose?
            "ZI/kota-lagi.xlsx": stored,  # a duplicate
        }
    )


def rows_of(at):
    table = [d.value for d in at.dataframe if B["col_save"] in d.value.columns][0]
    return {r[B["col_file"]]: r for r in table.to_dict("records")}


def test_zip_of_three_units_is_checked_per_file_then_saved(temp_db):
    stored = three_units(temp_db)
    store = open_store(temp_db)
    wps = {w.unit: w for w in store.workplans()}
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("oktober.zip", bundle(stored), ZIP)).run()
    assert not at.exception, [e.value for e in at.exception]
    rows = rows_of(at)
    assert list(rows) == [
        "ZI/garut.xlsx",
        "ZI/progres_kab_tasikmalaya.xlsx",
        "ZI/kota.xlsx",
        "ZI/laporan-oktober.xlsx",
        "ZI/kota-lagi.xlsx",
    ]
    garut, kab, kota, unknown, dup = rows.values()
    assert (garut[B["col_unit"]], garut[B["col_result"]], garut[B["col_position"]], garut[B["col_save"]]) == (
        f"{GARUT} (judul)",
        "Sah",
        "31 Oktober 2025",
        "Ya",
    )
    assert (kab[B["col_unit"]], kab[B["col_position"]]) == (f"{KAB_TASIK} (nama berkas)", "tidak disebut")
    assert kab[B["col_save"]] == B["save_no_position"]
    assert (kota[B["col_unit"]], kota[B["col_result"]], kota[B["col_save"]]) == (
        f"{KOTA} (judul)",
        "Tidak sah: 1 kesalahan",
        B["save_invalid"],
    )
    assert (unknown[B["col_unit"]], unknown[B["col_save"]]) == ("tidak dikenali", B["save_no_unit"])
    assert dup[B["col_duplicate"]] == "#1, KPU Kota Tasikmalaya Tahun 2025"
    assert dup[B["col_save"]] == B["save_duplicate"]
    text = all_text(at)
    assert "tahun 2025** (tahun yang dipilih di sidebar)" in text and "Belum ada yang disimpan" in text
    assert B["ready"].format(ok=2, n=5) in text
    asked = [w.value for w in at.warning if "tidak menyebut tanggal posisi" in w.value]
    assert len(asked) == 1 and "progres\\_kab\\_tasikmalaya" in asked[0]  # asked for the date it lacks
    problems = [d.value for d in at.dataframe if L.COL["message"] in d.value.columns]
    assert len(problems) == 1 and "seratus" in problems[0][L.COL["message"]].iloc[0]
    assert store.count() == 1  # nothing saved before the button

    at.form_submit_button(key=SAVE).click().run()  # no date for the file without one: nothing saved
    assert B["position_need"] in [e.value for e in at.error] and store.count() == 1
    [d for d in at.date_input if d.label == B["position_label"]][0].set_value(date(2025, 10, 31))
    at.form_submit_button(key=SAVE).click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = {(s.workplan_id, s.filename, s.position_date, s.uploaded_by) for s in store.uploads()}
    assert saved == {
        (wps[KOTA].id, "kota-oktober.xlsx", date(2025, 10, 15), "Admin"),
        (wps[GARUT].id, "garut.xlsx", date(2025, 10, 31), EDITOR),
        (wps[KAB_TASIK].id, "progres_kab_tasikmalaya.xlsx", date(2025, 10, 31), EDITOR),
    }
    ok = " ".join(s.value for s in at.success).replace("\\", "")  # as the page shows it (Markdown)
    assert "2 berkas dari oktober.zip disimpan" in ok and "KPU Kabupaten Garut Tahun 2025" in ok
    assert "Tidak disimpan: ZI/kota.xlsx; ZI/laporan-oktober.xlsx; ZI/kota-lagi.xlsx" in " ".join(
        i.value.replace("\\", "") for i in at.info
    )
    assert len(at.file_uploader) and at.file_uploader[0].value is None  # the uploader emptied


def test_an_editor_of_one_unit_gets_the_others_refused(temp_db, monkeypatch):
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}={KOTA}")
    three_units(temp_db)
    store = open_store(temp_db)
    mine = progress_file("LAPORAN PROGRES ZI KPU KOTA TASIKMALAYA TAHUN 2025", "31 Oktober 2025", None, 45)
    data = zip_of(
        {
            "kota.xlsx": mine,
            "garut.xlsx": progress_file(
                "LAPORAN PROGRES ZI KPU KABUPATEN GARUT TAHUN 2025", "31 Oktober 2025", None, 40
            ),
            "kab-tasikmalaya.xlsx": progress_file(
                "PROGRES ZI KPU KAB. TASIKMALAYA TAHUN 2025", "31 Oktober 2025", None, 20
            ),
        }
    )
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("satker.zip", data, ZIP)).run()
    assert not at.exception, [e.value for e in at.exception]
    rows = rows_of(at)
    assert [r[B["col_save"]] for r in rows.values()] == [
        "Ya",
        B["save_not_yours"].format(name=EDITOR),
        B["save_not_yours"].format(name=EDITOR),
    ]
    assert B["ready"].format(ok=1, n=3) in all_text(at) and store.count() == 1
    at.form_submit_button(key=SAVE).click().run()
    assert not at.exception
    kota = next(w for w in store.workplans() if w.unit == KOTA)
    assert [(s.filename, s.workplan_id) for s in store.uploads()] == [
        ("kota.xlsx", kota.id),
        ("kota-oktober.xlsx", kota.id),
    ]
    refused = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "bukan editor satkernya: garut.xlsx; kab-tasikmalaya.xlsx" in refused and EDITOR in refused
    assert "1 berkas dari satker.zip disimpan" in " ".join(s.value for s in at.success).replace("\\", "")


def test_each_file_is_read_against_its_own_units_plan(temp_db):
    """A unit whose plan differs (Garut's has no row 6.5) reads its file against that plan; a
    unit whose plan has the same rows as the first one read gets the same reading, with its
    own plan version named for saving."""
    from zi_dashboard.app import bundles, service

    short = b"\n".join(line for line in plan_file(GARUT, 2025).split(b"\n") if not line.startswith(b"6.5;"))
    service.add_plan(short, "rk-garut.csv", "Admin", GARUT, 2025, rights=service.OPERATOR)
    service.add_plan(plan_file(KAB_TASIK, 2025), "rk-kab.csv", "Admin", KAB_TASIK, 2025, rights=service.OPERATOR)
    data = zip_of(
        {
            "garut.xlsx": progress_file("PROGRES ZI KPU KABUPATEN GARUT TAHUN 2025", "31 Oktober 2025", None, 40),
            "kab.xlsx": progress_file("PROGRES ZI KPU KABUPATEN TASIKMALAYA TAHUN 2025", "31 Oktober 2025", None, 40),
            "kota.xlsx": progress_file("PROGRES ZI KPU KOTA TASIKMALAYA TAHUN 2025", "31 Oktober 2025", None, 40),
        }
    )
    garut, kab, kota = bundles.check_bundle(data, "oktober.zip", 2025)
    for it in (garut, kab, kota):
        assert it.check.plan_id == service.plan_in_use(it.workplan)[1] and it.check.workplan == it.workplan
    assert not garut.valid and any("6.5" in p.text() for p in garut.check.reading.errors)
    assert len(garut.check.plan.rows) == 24 and garut.reason == "save_invalid"
    assert kab.valid and kota.valid and kab.saveable and kota.saveable
    assert len(kab.check.reading.rows) == len(kota.check.reading.rows) == 25


def test_a_file_like_another_units_upload_is_saved_for_its_own_unit_with_a_date_given(temp_db):
    """A zip's file byte-identical to another unit's stored upload is not
    "sudah tersimpan" (a file is stored once per work plan); its files state no position date,
    so the date field is offered, and the file is saved for its own unit at that date."""
    from zi_dashboard.app import service

    three_units(temp_db)
    store = open_store(temp_db)
    wps = {w.unit: w for w in store.workplans()}
    untitled = progress_file("LAPORAN PROGRES ZI", None, None, 35)  # no unit, no date: matched by its name
    garut = service.check_upload(untitled, "garut.xlsx", wp=wps[GARUT])
    garut_saved = service.save_upload(garut, "Admin", date(2025, 10, 20), rights=service.OPERATOR).snapshot
    data = zip_of({"kab-tasikmalaya.xlsx": untitled, "garut.xlsx": untitled})
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("november.zip", data, ZIP)).run()
    assert not at.exception, [e.value for e in at.exception]
    kab, again = rows_of(at).values()
    assert kab[B["col_unit"]] == f"{KAB_TASIK} (nama berkas)" and kab[B["col_duplicate"]] == ""
    assert kab[B["col_save"]] == B["save_no_position"]  # not "sudah tersimpan": Garut's copy is Garut's
    assert again[B["col_save"]] == B["save_duplicate"]  # for Garut itself it is stored already
    assert again[B["col_duplicate"]] == f"#{garut_saved.id}, {GARUT} Tahun 2025"
    asked = [d for d in at.date_input if d.label == B["position_label"]]
    assert len(asked) == 1 and asked[0].value is None  # the date it lacks is asked, never guessed
    asked[0].set_value(date(2025, 11, 30))
    at.form_submit_button(key=SAVE).click().run()
    assert not at.exception, [e.value for e in at.exception]
    [kab_saved] = store.uploads(wps[KAB_TASIK].id)
    assert (kab_saved.filename, kab_saved.position_date, kab_saved.sha256) == (
        "kab-tasikmalaya.xlsx",
        date(2025, 11, 30),
        garut_saved.sha256,
    )
    assert [s.id for s in store.uploads(wps[GARUT].id)] == [garut_saved.id]  # Garut's untouched


def test_a_single_file_titled_for_another_unit_is_refused_and_stays_importable_for_its_own(temp_db):
    """ "PROGRES ZI KPU KABUPATEN GARUT TAHUN 2025" uploaded while Kota
    Tasikmalaya is chosen is not saved as Tasikmalaya's: the check says whose the file is and
    offers to switch; switched, the same bytes are checked against Garut's plan and saved there."""
    three_units(temp_db)
    store = open_store(temp_db)
    wps = {w.unit: w for w in store.workplans()}
    before = {u: [s.id for s in store.uploads(w.id)] for u, w in wps.items()}
    garut_file = progress_file("PROGRES ZI KPU KABUPATEN GARUT TAHUN 2025", "31 Oktober 2025", {"1.1": 100}, 40)
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("progres-oktober.xlsx", garut_file, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    refused = L.TITLE_UNIT["refused"].format(
        found="KPU Kabupaten Garut Tahun 2025", chosen="KPU Kota Tasikmalaya Tahun 2025"
    )
    assert refused.replace("**", "") in plain(all_text(at)).replace("**", "")
    assert not [b for b in at.get("form_submit_button") if b.proto.form_id == "save"]  # no Simpan
    assert {u: [s.id for s in store.uploads(w.id)] for u, w in wps.items()} == before
    # switch: the same file, checked against Garut's plan, saved as Garut's
    at.button(key="title-unit-switch").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["satker"] == "kabupaten-garut"
    assert L.TITLE_UNIT["refused"].split(":")[0] not in all_text(at)
    at.form_submit_button(key=SAVE_ONE).click().run()
    assert not at.exception, [e.value for e in at.exception]
    (saved,) = store.uploads(wps[GARUT].id)
    assert saved.filename == "progres-oktober.xlsx" and saved.position_date == date(2025, 10, 31)
    assert [s.id for s in store.uploads(wps[KOTA].id)] == before[KOTA]


def test_a_title_of_another_year_or_an_unknown_unit_is_refused_with_no_switch(temp_db):
    three_units(temp_db)
    store = open_store(temp_db)
    n = len(store.uploads(None))
    at = login(app("pages/unggah.py"))
    for title, what in [
        ("PROGRES ZI KPU KOTA TASIKMALAYA TAHUN 2026", L.TITLE_UNIT["no_plan"].split("{")[0]),
        ("PROGRES ZI KPU KABUPATEN ANTAH TAHUN 2025", L.TITLE_UNIT["no_plan"].split("{")[0]),
    ]:
        at.file_uploader[0].set_value(("progres.xlsx", progress_file(title, "31 Oktober 2025", None, 10), XLSX)).run()
        assert not at.exception, [e.value for e in at.exception]
        text = plain(all_text(at))
        assert L.TITLE_UNIT["refused"].split(":")[0] in text and what in text
        assert not [b for b in at.button if b.key == "title-unit-switch"]
    assert len(store.uploads(None)) == n
    # its own unit and year named in the title: checked as always
    own = progress_file("PROGRES ZI KPU KOTA TASIKMALAYA TAHUN 2025", "31 Oktober 2025", None, 10)
    at.file_uploader[0].set_value(("progres.xlsx", own, XLSX)).run()
    assert L.TITLE_UNIT["refused"].split(":")[0] not in plain(all_text(at))
    assert [b for b in at.get("form_submit_button") if b.proto.form_id == "save"]
