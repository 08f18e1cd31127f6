"""LKE answers kept per work plan (app/lke.py, store schema 8): an uploaded workbook is checked
before anything is saved, saved sets are kept with who and when, the newest is in use, restore
adds a set (nothing lost), only the unit's editors write, a file or typed answers with errors
change nothing, and an added instrument is used by later plan years."""

from __future__ import annotations

import pytest
from conftest import EDITOR
from lke_builders import evidence_workbook, lke_workbook

from zi_dashboard.app import lke as service_lke
from zi_dashboard.app.service import OPERATOR, NotAllowed, home
from zi_dashboard.reading.lke_instrument import InstrumentError
from zi_dashboard.reading.plan import DATA_DIR
from zi_dashboard.storage.store import open_store


def test_a_workbook_is_checked_saved_and_in_use(temp_db):
    assert service_lke.answers_in_use().stored is None
    assert service_lke.score_in_use()[0].total == 0.0
    check = service_lke.check_workbook(
        lke_workbook({"6": "ya", "7": "B. sebagian"}, tpi={"6": "Tidak"}), "LKE ZI 2026.xlsx"
    )
    assert check.valid and set(check.scores) == {"unit", "tpi"}
    assert check.scores["unit"].pemenuhan_total == pytest.approx(0.25 + 0.125)
    saved = service_lke.save_workbook(check, EDITOR)
    in_use = service_lke.answers_in_use()
    assert in_use.ident == saved.id and in_use.answers[7].value == "B"
    assert (saved.by, saved.source, saved.level) == (EDITOR, "LKE ZI 2026.xlsx", "unit")
    assert service_lke.score_in_use()[0].pemenuhan_total == pytest.approx(0.375)
    # the TPI level is its own set and was not saved with the unit's
    assert service_lke.answers_in_use(level="tpi").stored is None


def test_a_workbook_with_errors_changes_nothing(temp_db):
    first = service_lke.save_workbook(service_lke.check_workbook(lke_workbook({"6": "Ya"}), "a.xlsx"), EDITOR)
    bad = service_lke.check_workbook(lke_workbook({"6": "Tidak", "7": "Z"}), "b.xlsx")
    assert not bad.valid
    (problem,) = [p for p in bad.problems if p.is_error]
    assert problem.row == 7 and problem.column == "K"
    with pytest.raises(ValueError):
        service_lke.save_workbook(bad, EDITOR)
    assert service_lke.answers_in_use().ident == first.id
    assert len(service_lke.answer_history()) == 1


def test_typed_answers_are_validated_like_a_workbook(temp_db):
    instrument = service_lke.instrument_for()
    answers, problems = service_lke.validate_answers(
        instrument,
        {
            6: {"value": "ya", "note": "SK ditandatangani", "links": ["https://drive.example/sk.pdf"]},
            169: {"value": "10"},
            171: {"value": "1.250"},
        },
    )  # settled 1.250 of 10 complaints
    assert [p.code for p in problems] == ["lke_count_above_total"]
    answers, problems = service_lke.validate_answers(instrument, {6: {"value": "ya"}, 7: {"value": "c"}})
    assert not problems and answers[6].value == "YA" and answers[7].value == "C"
    with pytest.raises(ValueError):
        service_lke.save_answers({169: service_lke.Answer(169, 10), 171: service_lke.Answer(171, 11)}, EDITOR, "x")
    assert service_lke.answers_in_use().stored is None


def test_history_and_restore_lose_nothing(temp_db):
    a = service_lke.save_answers({6: service_lke.Answer(6, "YA")}, EDITOR, "aplikasi")
    b = service_lke.save_answers({6: service_lke.Answer(6, "TIDAK")}, EDITOR, "aplikasi")
    assert service_lke.answers_in_use().ident == b.id
    restored = service_lke.restore_answers(a.id, EDITOR)
    assert service_lke.answers_in_use().ident == restored.id
    assert service_lke.answers_in_use().answers[6].value == "YA"
    assert [s.id for s in service_lke.answer_history()] == [restored.id, b.id, a.id]
    assert restored.source == f"pulihkan #{a.id}"


def add_workplan(url: str, unit: str, year: int):
    plan = (DATA_DIR / "rencana-kerja-zi-2025.csv").read_bytes()
    return open_store(url).add_plan(unit, year, plan, "rencana.csv", "admin")[0]


def test_only_the_units_editors_write(temp_db):
    tasikmalaya = home()
    other = add_workplan(temp_db, "KPU Kabupaten Garut", 2025)
    with pytest.raises(NotAllowed):
        service_lke.save_answers({6: service_lke.Answer(6, "YA")}, "Bukan Editor", "aplikasi")
    with pytest.raises(NotAllowed):
        service_lke.save_answers({6: service_lke.Answer(6, "YA")}, "Bukan Editor", "aplikasi", wp=other)
    assert service_lke.answers_in_use().stored is None
    # the operator at the command line acts for any unit
    saved = service_lke.save_answers({6: service_lke.Answer(6, "YA")}, "Operator", "cli", wp=other, rights=OPERATOR)
    assert service_lke.answers_in_use(other).ident == saved.id
    assert service_lke.answers_in_use(tasikmalaya).stored is None


def test_an_evidence_sheet_adds_links_and_keeps_the_answers(temp_db):
    instrument = service_lke.instrument_for()
    evidence = service_lke.check_evidence(
        evidence_workbook([["A.1.I.i.", "a", "Tim", "SK", "https://drive.example/sk.pdf"]]), "bukti.xlsx"
    )
    merged = service_lke.with_evidence(
        {6: service_lke.Answer(6, "YA", links=("https://a.example/x",))}, evidence, instrument
    )
    assert merged[6].value == "YA"
    assert merged[6].links == ("https://a.example/x", "https://drive.example/sk.pdf")


def test_an_added_instrument_is_used_from_its_year_on(temp_db):
    home()
    text = (DATA_DIR / "lke-2026-questions.csv").read_bytes().replace(b"Ya=1;Tidak=0", b"Ya=1;Tidak=0.2")
    later = add_workplan(temp_db, "KPU Kota Tasikmalaya", 2027)
    service_lke.add_instrument(text, "lke-2027.csv", 2027, EDITOR)
    assert service_lke.instrument_for(home()).year == 2026  # the 2025 plan: the oldest, 2026
    used = service_lke.instrument_for(later)
    assert used.year == 2027 and used.by_row(6).option_value("TIDAK") == 0.2
    with pytest.raises(InstrumentError):
        service_lke.add_instrument(text.replace(b"127/126", b"127/"), "rusak.csv", 2028, EDITOR)
    with pytest.raises(InstrumentError):
        service_lke.add_instrument(b"\xff\xfe bukan teks", "biner.csv", 2028, EDITOR)
    assert service_lke.instrument_years() == [2026, 2027]


def test_what_is_kept_follows_every_lke_save_at_once(temp_db):
    """The answers, scores and instrument in use are read once and kept until any LKE answer set,
    review event or instrument is kept (the store's lke_pulse): each save shows at once."""
    from datetime import date

    from zi_dashboard.app import lke_review
    from zi_dashboard.counting import lke_review as rv

    store = open_store(temp_db)
    later = add_workplan(temp_db, "KPU Kota Tasikmalaya", 2027)
    stamps = [store.lke_pulse()]
    assert service_lke.instrument_for(later).year == 2026
    assert service_lke.answers_in_use() is service_lke.answers_in_use()  # kept between calls
    text = (DATA_DIR / "lke-2026-questions.csv").read_bytes()
    service_lke.add_instrument(text, "lke-2027.csv", 2027, EDITOR)
    stamps.append(store.lke_pulse())
    assert service_lke.instrument_for(later).year == 2027
    saved = service_lke.save_workbook(service_lke.check_workbook(lke_workbook({"6": "ya"}), "a.xlsx"), EDITOR)
    stamps.append(store.lke_pulse())
    assert service_lke.answers_in_use().ident == saved.id
    assert service_lke.score_in_use()[0].pemenuhan_total == pytest.approx(0.25)
    assert lke_review.review_in_use().deadline is None
    lke_review.set_deadline(home(), rv.MANDIRI, date(2099, 1, 31), EDITOR)
    stamps.append(store.lke_pulse())
    assert lke_review.review_in_use().deadline == date(2099, 1, 31)
    assert len(set(stamps)) == 4
    store.dispose()
