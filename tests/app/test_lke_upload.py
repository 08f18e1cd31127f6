"""Unggah's LKE section (AppTest): an editor's LKE workbook is read and scored per level before
anything is saved, every problem with its row, column and question, Simpan only for a valid file;
an evidence sheet adds its links to the answers in use as a new set; an instrument is added or
refused with a clear message.  A viewer sees no uploader."""

from conftest import EDITOR, login
from lke_builders import evidence_workbook, lke_workbook, official_lines
from test_pages import all_text, app

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.counting.lke_score import score
from zi_dashboard.reading.lke_instrument import load_instrument
from zi_dashboard.reading.lke_workbook import read_lke_workbook
from zi_dashboard.reading.plan import DATA_DIR
from zi_dashboard.storage.store import open_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
K = L.LKE_UPLOAD


def answers() -> dict[str, object]:
    typed = {"YA_TIDAK": "Ya", "ABC": "b. sebagian", "ABCD": "A", "ABCDE": "c", "JUMLAH": "12", "NILAI_0_4": "3,4"}
    return {r["baris"]: typed.get(r["jenis"]) for r in official_lines()} | {"10": None}


def uploader(at, label):
    return next(u for u in at.file_uploader if u.label == label)


def sets(url):
    store = open_store(url)
    return store.lke_answer_sets(store.workplans()[0].id, "unit")


def test_a_viewer_sees_no_lke_uploader(temp_db):
    at = app("pages/unggah.py")
    assert K["title"] in [s.value for s in at.subheader]
    labels = [u.label for u in at.file_uploader]
    assert not {K["workbook_upload"], K["evidence_upload"], K["instrument_upload"]} & set(labels)
    assert K["none_in_use"] in all_text(at)


def test_an_invalid_workbook_is_explained_and_nothing_is_saved(temp_db):
    at = login(app("pages/unggah.py"))
    bad = lke_workbook(answers() | {"7": "D. tidak ada", "171": 99, "169": 10})
    uploader(at, K["workbook_upload"]).set_value(("LKE ZI.xlsx", bad, XLSX)).run()
    assert not at.exception
    assert K["invalid"].format(n=2) in [e.value for e in at.error]
    problems = next(d.value for d in at.dataframe if L.COL["row"] in d.value.columns)
    assert list(problems.iloc[0][:2]) == [7, "K"] and "1.1 b" in problems.iloc[0, 2]
    assert [list(r[:2]) for r in problems.itertuples(index=False) if "R5.2" in r[2]] == [[171, "K"]]
    assert not [b for b in at.button if b.label.startswith("Simpan jawaban LKE")]
    assert sets(temp_db) == []


def test_a_valid_workbook_shows_its_score_and_is_saved(temp_db):
    at = login(app("pages/unggah.py"))
    data = lke_workbook(answers(), {"6": "Tidak", "7": "A"}, links={"6": "https://drive.example/sk.pdf"})
    uploader(at, K["workbook_upload"]).set_value(("LKE ZI.xlsx", data, XLSX)).run()
    assert not at.exception and not at.error
    instrument = load_instrument(2026)
    expected = score(instrument, read_lke_workbook(data, "x.xlsx", instrument).answers["unit"])
    table = next(d.value for d in at.dataframe if K["col_level"] in d.value.columns)
    assert list(table[K["col_level"]]) == [L.LKE["level_unit"], L.LKE["level_tpi"]]
    assert table[K["col_total"]].iloc[0] == L.fmt_number(expected.total, 2)
    assert table[K["col_answered"]].iloc[0] == f"{expected.answered_count} / 113"
    at.button(key="lke_save_0").click().run()
    assert not at.exception
    (saved,) = sets(temp_db)
    assert saved.by == EDITOR and saved.source == "LKE ZI.xlsx"
    assert service_lke.score_in_use(service_lke.home())[0].total == expected.total
    assert "set #1" in all_text(at) or any("set #1" in s.value for s in at.success)


def test_an_evidence_sheet_adds_links_as_a_new_set(temp_db):
    at = login(app("pages/unggah.py"))
    uploader(at, K["workbook_upload"]).set_value(("LKE ZI.xlsx", lke_workbook(answers()), XLSX)).run()
    at.button(key="lke_save_0").click().run()
    sheet = evidence_workbook(
        [
            ["A.1.I.i.", "a", "SK Tim ZI", "", "https://drive.example/sk-tim.pdf"],
            ["A.2.III.iii.", "", "Rekap pelanggaran", "", "https://drive.example/disiplin.xlsx"],
        ]
    )
    uploader(at, K["evidence_upload"]).set_value(("bukti.xlsx", sheet, XLSX)).run()
    assert not at.exception
    assert K["evidence_adds"].format(n=2, questions=2) in all_text(at)
    at.button(key="lke_evidence_save_1").click().run()
    assert not at.exception
    newest = service_lke.answers_in_use(service_lke.home())
    assert newest.ident == 2
    assert newest.answers[6].links == ("https://drive.example/sk-tim.pdf",) and newest.answers[6].value == "YA"
    assert newest.answers[151].links == ("https://drive.example/disiplin.xlsx",)


def test_an_instrument_is_added_or_refused(temp_db, tmp_path):
    at = login(app("pages/unggah.py"))
    text = (DATA_DIR / "lke-2026-questions.csv").read_text(encoding="utf-8")
    uploader(at, K["instrument_upload"]).set_value(
        ("lke-2027.csv", text.replace(",ABC,", ",ABX,", 1).encode(), "text/csv")
    ).run()
    at.button(key="lke_instrument_save_0").click().run()
    assert not at.exception
    assert any(e.value.startswith(K["instrument_refused"].split("{")[0]) and "ABX" in e.value for e in at.error)
    assert open_store(temp_db).lke_instruments() == []
    uploader(at, K["instrument_upload"]).set_value(("lke-2027.csv", text.encode(), "text/csv")).run()
    at.number_input(key="lke_instrument_year_0").set_value(2027).run()
    at.button(key="lke_instrument_save_0").click().run()
    assert not at.exception
    assert [y for y, _ in open_store(temp_db).lke_instruments()] == [2027]
