"""Jawaban LKE through the router (AppTest): viewers read the answers and the score from answers
beside the plan-based forecast; an editor of the unit saves an area's answers as a new set and the
score moves; a wrong answer is refused naming the question, nothing saved; an older set is
restored; what to improve next and the what-if come from the same score; Kesiapan shows a plan
row's LKE points from answers."""

from __future__ import annotations

from conftest import EDITOR, ROOT, login
from streamlit.testing.v1 import AppTest
from test_readiness_page import core

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.counting.lke_score import score
from zi_dashboard.outputs import lke_view as lv
from zi_dashboard.outputs.readiness_out import n2
from zi_dashboard.reading.lke_answers import Answer
from zi_dashboard.reading.lke_instrument import load_instrument

K = L.LKE_PAGE
PAGE = "pages/jawaban_lke.py"
INSTRUMENT = load_instrument(2026)


def app(page: str = PAGE) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [e.value for e in at.error] + [s.value for s in at.success] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # as read: without Markdown's escapes


def total_card(at) -> str:
    (block,) = [m.value for m in at.markdown if "<div class='zi-lke-kpis'" in m.value]
    first = block.split("zi-kpi-value", 1)[1]
    return first.split(">", 1)[1].split("<", 1)[0]


def row_of(code: str, letter: str) -> int:
    (q,) = [q for q in INSTRUMENT.in_sub_area(code) if q.letter == letter]
    return q.row


def save_button(at, area: str):
    (button,) = [b for b in at.button if b.label == K["save_area"].format(name=K["area_tab"].format(code=area))]
    return button


def test_a_viewer_reads_answers_and_both_scores(temp_db):
    service_lke.save_answers(
        {
            6: Answer(6, "YA", "SK Tim ZI ditandatangani", "", ("https://drive.example/sk.pdf",)),
            7: Answer(7, "B"),
            169: Answer(169, 10),
            171: Answer(171, 8),
        },
        EDITOR,
        "LKE ZI 2026.xlsx",
    )
    at = app()
    assert total_card(at) == "2,78"  # 1.1: (1 + 0,5) / 2 x 0,5; R5.2: 8 of 10 settled x 3
    shown = text(at)
    assert K["need_editor"] in shown
    assert "Jawaban unit: Ya" in shown and "SK Tim ZI ditandatangani" in shown
    assert "href='https://drive.example/sk.pdf'" in shown
    assert not [b for b in at.button if b.label.startswith("Simpan jawaban")]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("lke_v_")]
    # the forecast beside it, labelled as one, with the difference per area
    compare = at.dataframe[0].value.set_index(K["col_item"])
    forecast = core()
    assert compare.loc[K["row_total"], K["col_forecast"]] == n2(forecast.total)
    assert compare.loc[K["row_total"], K["col_answers"]] == "2,78"
    area1 = K["row_area"].format(code="1", name=L.lke_area_name("1"))
    assert compare.loc[area1, K["col_diff"]] == "−" + n2(forecast.areas.set_index("code").loc["1", "points"] - 0.375)
    assert "PERKIRAAN" in shown
    # a percentage: its counts and the resulting %
    assert "Jumlah pengaduan masyarakat yang selesai ditindaklanjuti = 8" in shown and "→ hasilnya 80,0%" in shown
    assert "Jumlah pengaduan masyarakat yang sedang diproses = –" in shown
    # the plan row of a Pemenuhan sub-area: progress, status, PIC
    line = lv.plan_row_line("1.1", forecast.rows, 0.375, 0.5)
    assert line.startswith("Rencana kerja baris 1.1: progres 100,0%") and line in shown


def test_an_editor_saves_an_area_and_the_score_moves(temp_db):
    at = login(app())
    assert total_card(at) == "0,00"
    at.selectbox(key="lke_v_0_6").set_value("YA")
    at.selectbox(key="lke_v_0_7").set_value("A")
    at.text_input(key="lke_n_0_6").set_value("SK nomor 12")
    at.text_area(key="lke_l_0_6").set_value("https://drive.example/sk.pdf\nbukan tautan")
    save_button(at, "1").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (saved,) = service_lke.answer_history()
    assert saved.by == EDITOR and saved.source == K["source_app"]
    in_use = service_lke.answers_in_use()
    assert in_use.answers[6] == Answer(6, "YA", "SK nomor 12", "", ("https://drive.example/sk.pdf",))
    assert total_card(at) == "0,50"
    assert K["saved"].format(id=saved.id) in text(at)
    # a second save keeps the first set and adds one, the other areas' answers kept
    at.selectbox(key=f"lke_v_{saved.id}_{row_of('2.2', 'a')}").set_value("B")
    save_button(at, "2").click().run()
    history = service_lke.answer_history()
    assert len(history) == 2 and set(service_lke.answers_in_use().answers) == {6, 7, row_of("2.2", "a")}
    assert total_card(at) == n2(score(INSTRUMENT, service_lke.answers_in_use().answers).total)


def test_a_wrong_answer_is_refused_and_nothing_is_saved(temp_db):
    at = login(app())
    due, settled = 169, 171  # R5.2: complaints to be settled, complaints settled
    at.text_input(key=f"lke_v_0_{due}").set_value("10")
    at.text_input(key=f"lke_v_0_{settled}").set_value("1.250")  # settled more than were filed
    save_button(at, "5").click().run()
    assert not at.exception
    shown = text(at)
    assert K["invalid"].format(n=1) in shown and "Pertanyaan R5.2" in shown
    assert service_lke.answer_history() == []
    at.text_input(key=f"lke_v_0_{settled}").set_value("banyak")
    save_button(at, "5").click().run()
    assert (
        "Pertanyaan R5.2 (Jumlah pengaduan masyarakat yang selesai ditindaklanjuti): jumlah 'banyak' bukan bilangan"
    ) in text(at)
    assert service_lke.answer_history() == [] and total_card(at) == "0,00"


def test_an_editor_restores_an_older_set(temp_db):
    first = service_lke.save_answers({6: Answer(6, "YA")}, EDITOR, "aplikasi")
    second = service_lke.save_answers({6: Answer(6, "TIDAK")}, EDITOR, "aplikasi")
    at = app()
    assert total_card(at) == "0,00"
    assert not [b for b in at.button if b.key == "lke_restore"]  # viewers only read the history
    login(at)
    at.selectbox(key="lke_restore_pick").set_value(first.id)
    at.button(key="lke_restore").click().run()
    assert not at.exception
    in_use = service_lke.answers_in_use()
    assert in_use.ident not in (first.id, second.id) and in_use.answers[6].value == "YA"
    assert len(service_lke.answer_history()) == 3
    assert total_card(at) == "0,25"
    assert K["restored"].format(old=first.id, id=in_use.ident) in text(at)


def test_improve_next_and_what_if_come_from_the_score(temp_db):
    service_lke.save_answers(
        {6: Answer(6, "TIDAK"), 7: Answer(7, "B", links=("https://x.example/a",))}, EDITOR, "aplikasi"
    )
    at = app()
    result = service_lke.score_in_use()[0]
    tables = [d.value for d in at.dataframe]
    (opened,) = [t for t in tables if K["col_open"] in t.columns]
    assert list(opened[K["col_code"]])[:3] == [s.question.code for s in result.ranked_open()[:3]]
    (steps,) = [t for t in tables if K["col_step"] in t.columns]
    first = steps.iloc[0]
    assert first[K["col_adds"]] == "+" + n2(max(lv.one_up(s)[1] for s in result.questions if lv.one_up(s)))
    unanswered, no_link = [
        t for t in tables if list(t.columns) == [K["col_code"], K["col_letter"], K["col_question"], K["col_worth"]]
    ]
    assert len(unanswered) == len(result.unanswered) == 111
    assert list(no_link[K["col_code"]] + " " + no_link[K["col_letter"]]) == ["1.1 a"]
    # what-if: 1.1 a answered Ya, nothing saved
    (box,) = [m for m in at.multiselect if m.key.startswith("lke_whatif_")]
    box.set_value(["6:YA"]).run()
    assert not at.exception
    assert any("total **0,38**" in i.value and "+0,25" in i.value for i in at.info), text(at)
    assert len(service_lke.answer_history()) == 1 and total_card(at) == "0,13"


def test_kesiapan_shows_a_rows_lke_points_from_answers(temp_db):
    at = app("pages/kesiapan.py")
    assert K["col_lke_points"] not in at.dataframe[1].value.columns  # no answers saved: no column
    service_lke.save_answers({row_of("5.2", "a"): Answer(row_of("5.2", "a"), "A")}, EDITOR, "aplikasi")
    at = app("pages/kesiapan.py")
    opened = at.dataframe[1].value.set_index(L.COL["code"])
    assert opened.loc["5.2", K["col_lke_points"]] == "0,38 / 1,50"
    assert opened.loc["5.3", K["col_lke_points"]] == "0,00 / 1,50"
