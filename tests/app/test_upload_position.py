"""Unggah and Riwayat through the router (AppTest): a file without a position date is not saved
as today; an editor picks the progress column when the file cannot tell; an editor corrects a
stored upload's position date in Riwayat, and the list shows the correction."""

from datetime import date

import builders as B
from builders import CODES, INDICATOR
from conftest import EDITOR, login
from test_history_page import store_two
from test_pages import all_text, app

from zi_dashboard import labels as L
from zi_dashboard.storage.store import open_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVE = "FormSubmitter:save-Simpan sebagai data yang dipakai"


def no_position_file() -> bytes:
    rows = [["LAPORAN PROGRES ZI"], [], ["Kode", "Indikator", "Progres (%)"]]
    rows += [[c, INDICATOR[c], 40] for c in CODES]
    return B.xlsx(rows)


def test_no_position_date_is_asked_for_never_today(temp_db):
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("tanpa-posisi.xlsx", no_position_file(), XLSX)).run()
    assert not at.exception
    field = [d for d in at.date_input if d.label == L.UI["file_position"]][0]
    assert field.value is None  # no default of today
    assert any("Berkas tidak menyebut tanggal posisi" in w.value for w in at.warning)
    at.form_submit_button(key=SAVE).click().run()
    assert L.UI["file_position_need"] in [e.value for e in at.error]
    assert open_store(temp_db).current() is None  # nothing stored
    [d for d in at.date_input if d.label == L.UI["file_position"]][0].set_value(date(2025, 10, 31))
    at.form_submit_button(key=SAVE).click().run()
    assert not at.exception
    snap = open_store(temp_db).current()
    assert snap is not None and snap.position_date == date(2025, 10, 31)


def test_editor_picks_the_progress_column_when_the_file_cannot_tell(temp_db):
    rows = [["Posisi: 15 November 2025"], ["Kode", "Indikator", "Progres (%)", "Capaian (%)"]]
    rows += [[c, INDICATOR[c], 10, 70] for c in CODES]
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("dua-kolom.xlsx", B.xlsx(rows), XLSX)).run()
    text = all_text(at)
    assert "Berkas tidak sah" in text
    problems = at.dataframe[0].value
    assert "'Progres (%)'" in problems["Masalah"].iloc[0] and "'Capaian (%)'" in problems["Masalah"].iloc[0]
    pick = at.selectbox(key="progress-column-uploader-0")
    assert pick.options == [L.UI["progress_column_auto"], "Progres (%)", "Capaian (%)"]
    pick.set_value("Capaian (%)").run()
    assert not at.exception and "Berkas sah" in all_text(at)
    at.form_submit_button(key=SAVE).click().run()
    store = open_store(temp_db)
    assert set(store.rows(store.current().id)["progress"]) == {70.0}


def test_monthly_sheet_upload_names_the_columns_used(temp_db):
    header = ["Kode", "Indikator", "Target (%)", "Realisasi Oktober (%)", "Realisasi November (%)"]
    rows = [["Posisi: 30 November 2025"], header]
    rows += [[c, INDICATOR[c], 100, 20, 50 if i % 2 else None] for i, c in enumerate(CODES)]
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("bulanan.xlsx", B.xlsx(rows), XLSX)).run()
    assert "Berkas sah" in all_text(at)
    warnings = " ".join(at.dataframe[0].value["Masalah"])
    assert "'Realisasi November (%)' (12 baris)" in warnings and "'Realisasi Oktober (%)' (13 baris)" in warnings


def test_editor_corrects_a_stored_position_date_in_history(temp_db):
    store, (first, second) = store_two(temp_db)
    at = app("pages/riwayat.py")
    assert not [d for d in at.date_input if d.key == f"correct-date-{second}"]  # viewers cannot
    login(at)
    at.selectbox(key="history_pick").set_value(second).run()
    at.date_input(key=f"correct-date-{second}").set_value(date(2025, 11, 30))
    at.form_submit_button(key=f"FormSubmitter:correct-{second}-{L.HISTORY['correct_save']}").click().run()
    assert not at.exception
    assert L.HISTORY["corrected"].format(id=second, date="30 November 2025") in [s.value for s in at.success]
    assert store.snapshot(second).position_date == date(2025, 11, 30)
    listing = at.dataframe[0].value
    assert listing[L.HISTORY["col_position"]].tolist() == ["30 November 2025", "25 Oktober 2025"]
    note = listing[L.HISTORY["col_corrected"]].tolist()[0]
    assert "15 November 2025 → 30 November 2025" in note and EDITOR in note
    assert [e.kind for e in store.events()] == ["upload", "upload"]  # the data in use did not change


def test_ringkasan_deltas_compare_each_upload_at_its_own_date(temp_db):
    import re

    from zi_dashboard.counting.metrics import compute

    store, (first, second) = store_two(temp_db)
    plan = store.parsed_plan(store.snapshot(first).plan_id)
    before = compute(plan, store.rows(first), date(2025, 10, 25))  # what the October meeting saw
    after = compute(plan, store.rows(second), date(2025, 11, 15))
    recounted = compute(plan, store.rows(first), date(2025, 11, 15))  # the old way: moved to the new date
    assert any(before.status_counts[s] != recounted.status_counts[s] for s in L.STATUS_ORDER)
    at = app()
    (block,) = [m.value for m in at.markdown if "<div class='zi-kpis'>" in m.value]
    shown = re.findall(r"class='zi-delta'[^>]*>([^<]*)<", block)
    want = []
    for s in L.STATUS_ORDER:
        d = int(after.status_counts[s] - before.status_counts[s])
        want.append(f"+{d}" if d > 0 else ("±0" if d == 0 else f"−{-d}"))
    assert shown[1:] == want
    note = L.SINCE_PREVIOUS["note"].format(id=first, file="rapat-1.xlsx", date="25 Oktober 2025")
    assert note in [c.value.replace("\\", "") for c in at.caption] and "tanggal posisinya sendiri" in note


def test_two_row_header_reads_physical_progress_and_offers_the_column_choice(temp_db):
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("realisasi-zi.xlsx", B.two_row_progress(), XLSX)).run()
    assert not at.exception and "Berkas sah" in all_text(at)
    pick = at.selectbox(key="progress-column-uploader-0")
    assert pick.options == [
        L.UI["progress_column_auto_one"].format(column="REALISASI FISIK (%)"),
        "REALISASI KEUANGAN (%)",
        "REALISASI FISIK (%)",
    ]
    at.form_submit_button(key=SAVE).click().run()
    store = open_store(temp_db)
    stored = dict(zip(store.rows(store.current().id)["code"], store.rows(store.current().id)["progress"], strict=True))
    assert stored == {c: float(f[2]) for c, f in B.TWO_ROW_FIGURES.items()}


def test_a_progress_column_holding_money_offers_every_column_on_unggah(temp_db):
    rows = [
        ["LAPORAN ZI 2025"],
        ["Posisi: 30 November 2025"],
        ["Kode", "Indikator", "Realisasi", "Penyelesaian Kegiatan (%)"],
    ]
    rows += [[c, INDICATOR[c], f[0], f[2]] for c, f in B.TWO_ROW_FIGURES.items()]
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("uang.xlsx", B.xlsx(rows), XLSX)).run()
    assert "Berkas tidak sah" in all_text(at)
    pick = at.selectbox(key="progress-column-uploader-0")
    assert pick.options[0] == L.UI["progress_column_choose"] and "Realisasi" in pick.options
    pick.set_value("Penyelesaian Kegiatan (%)").run()
    assert not at.exception and "Berkas sah" in all_text(at)


def test_an_older_file_is_said_before_saving_and_kept_without_replacing_newer_data(temp_db):
    """A file positioned 15 November uploaded after one positioned 30 November: Unggah says,
    before saving, that it is older and will not replace the data in use; saved, it is in
    history and Ringkasan still shows 30 November, with a rise since it (never a fake drop)."""
    import re

    from test_history_page import filled

    from zi_dashboard.app import service

    newer = service.save_upload(
        service.check_upload(filled({}, 40, date(2025, 11, 30)), "30-nov.xlsx"),
        "Operator",
        date(2025, 11, 30),
        rights=service.OPERATOR,
    ).snapshot
    at = login(app("pages/unggah.py"))
    at.file_uploader[0].set_value(("15-nov.xlsx", filled({}, 20, date(2025, 11, 15)), XLSX)).run()
    notice = L.OLDER["notice"].format(date="15 November 2025", id=newer.id, current_date="30 November 2025")
    assert notice in [w.value for w in at.warning]
    at.form_submit_button(key="FormSubmitter:save-" + L.OLDER["save"]).click().run()
    assert not at.exception
    store = open_store(temp_db)
    assert store.count() == 2 and store.current().id == newer.id
    kept = store.uploads()[0]
    assert kept.filename == "15-nov.xlsx" and kept.position_date == date(2025, 11, 15)
    assert f"Tersimpan sebagai unggahan #{kept.id} (posisi 15 November 2025) di riwayat" in all_text(at)
    overview = app()
    assert overview.sidebar.date_input[0].value == date(2025, 11, 30)
    (block,) = [m.value for m in overview.markdown if "<div class='zi-kpis'>" in m.value]
    shown = re.findall(r"class='zi-delta'[^>]*>([^<]*)<", block)
    assert shown[0].startswith("+") and "poin" in shown[0], shown
