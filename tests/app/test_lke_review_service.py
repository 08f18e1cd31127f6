"""The TPI review through the service and the store (app/lke_review.py, issue 23): a full round,
and every way a level is written (typed in the app, a workbook, a restore, the store itself)
refused to the wrong role, to a reviewer of another unit and outside the level's stages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import EDITOR
from lke_builders import lke_workbook

from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import lke_review as review
from zi_dashboard.app.service import OPERATOR, get_store, home
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.reading.lke_answers import Answer

REVIEWER, OTHER_REVIEWER, VIEWER = "Inspektur Satu", "Penilai Garut", "tamu"


@pytest.fixture
def roles(temp_db, monkeypatch):
    monkeypatch.setenv(
        "ZI_EDITOR_UNITS", f"{EDITOR}=KPU Kota Tasikmalaya;Admin Provinsi=*;Rina Garut=KPU Kabupaten Garut"
    )
    monkeypatch.setenv("ZI_REVIEWER_UNITS", f"{REVIEWER}=KPU Kota Tasikmalaya;{OTHER_REVIEWER}=KPU Kabupaten Garut")
    return temp_db


def _unit_answers(**rows):
    return {int(r): Answer(int(r), v) for r, v in rows.items()}


def test_roles_of_each_name(roles):
    wp = home()
    assert review.roles_of(EDITOR, wp) == {rv.UNIT_ROLE}
    assert review.roles_of(REVIEWER, wp) == {rv.REVIEWER}
    assert review.roles_of(OTHER_REVIEWER, wp) == set()
    assert review.roles_of("Admin Provinsi", wp) == {rv.UNIT_ROLE, rv.ADMIN}
    assert review.roles_of(None, wp) == set()


def test_a_full_round_keeps_the_units_answers_and_reads_like_a_conversation(roles):
    wp = home()
    service_lke.save_answers(_unit_answers(**{"6": "YA", "7": "B"}), EDITOR, "aplikasi", wp)
    assert review.review_in_use(wp).state == rv.MANDIRI
    review.move(wp, rv.DIAJUKAN, EDITOR, expect=rv.MANDIRI)
    saved, problems = review.save_review(
        {
            6: {"verdict": rv.SESUAI},
            7: {"value": "C", "verdict": rv.PERBAIKAN, "note": "SK belum ditandatangani"},
        },
        REVIEWER,
        wp,
    )
    assert not problems and saved.level == "tpi" and saved.by == REVIEWER
    now = review.review_in_use(wp)
    assert now.verdicts == {6: rv.SESUAI, 7: rv.PERBAIKAN}
    assert service_lke.answers_in_use(wp).answers[7].value == "B"  # the unit's answer stays
    assert now.unit.pemenuhan_total == pytest.approx(0.25 + 0.125)  # 1.1 has 4 questions of weight 1
    assert now.tpi.pemenuhan_total == pytest.approx(0.25)  # agreed Ya, C for b
    review.move(wp, rv.DINILAI, REVIEWER)
    review.move(wp, rv.DIKEMBALIKAN, REVIEWER)
    now = review.review_in_use(wp)
    assert (now.state, now.round) == (rv.DIKEMBALIKAN, 2)
    assert now.as_dict()["returned"] == [{"code": "1.1", "letter": "b", "note": "SK belum ditandatangani"}]
    with pytest.raises(rv.Refused, match="hanya dapat dilakukan oleh editor satker"):
        review.move(wp, rv.DIAJUKAN_ULANG, REVIEWER)  # the unit's move
    repaired = {**service_lke.answers_in_use(wp).answers, 7: Answer(7, "A", "", "", ("https://drive.example/sk.pdf",))}
    service_lke.save_answers(repaired, EDITOR, "aplikasi", wp)
    review.move(wp, rv.DIAJUKAN_ULANG, EDITOR)
    with pytest.raises(rv.Refused, match="1 pertanyaan"):
        review.move(wp, rv.DIUSULKAN, REVIEWER)
    review.save_review({7: {"verdict": rv.SESUAI}}, REVIEWER, wp)
    review.move(wp, rv.DIUSULKAN, REVIEWER)
    done = review.review_in_use(wp)
    assert done.state == rv.DIUSULKAN and done.returned == [] and done.unit.total == done.tpi.total
    lines = [review.step_line(done.unit.instrument, 7, s) for s in review.histories(wp)[7]]
    assert lines == [
        f"{EDITOR} (unit) menjawab B",
        f"{REVIEWER} (TPI): Perlu perbaikan, jawaban TPI C: «SK belum ditandatangani»",
        f"{EDITOR} (unit) menjawab A (+1 tautan)",
        f"{REVIEWER} (TPI): Sesuai, jawaban TPI A",
    ]
    assert [e.state for e in done.transitions] == [
        rv.DIAJUKAN,
        rv.DINILAI,
        rv.DIKEMBALIKAN,
        rv.DIAJUKAN_ULANG,
        rv.DIUSULKAN,
    ]
    with pytest.raises(rv.Refused, match="admin"):
        review.move(wp, rv.DINILAI, REVIEWER)  # only an admin reopens
    review.move(wp, rv.DINILAI, "Admin Provinsi")


def test_every_way_in_refuses_the_wrong_writer(roles):
    wp = home()
    unit_set = service_lke.save_answers(_unit_answers(**{"6": "YA"}), EDITOR, "aplikasi", wp)
    check = service_lke.check_workbook(lke_workbook({"6": "Tidak"}, tpi={"6": "Tidak"}), "LKE.xlsx", wp)
    # a reviewer never writes the unit's level, nor an editor of another unit: typed, a
    # workbook, a restore, even at the CLI (OPERATOR)
    for name in (REVIEWER, OTHER_REVIEWER, "Rina Garut"):
        with pytest.raises(PermissionError):
            service_lke.save_answers(_unit_answers(**{"6": "TIDAK"}), name, "aplikasi", wp)
        with pytest.raises(PermissionError):
            service_lke.save_workbook(check, name, wp, "unit", rights=OPERATOR)
        with pytest.raises(PermissionError):
            service_lke.restore_answers(unit_set.id, name, wp)
    review.move(wp, rv.DIAJUKAN, EDITOR)
    tpi_set, _ = review.save_review({6: {"verdict": rv.PERBAIKAN, "note": "kurang"}}, REVIEWER, wp)
    # an editor never writes the TPI's level; nor does a reviewer of another unit, or a viewer
    for name in (EDITOR, OTHER_REVIEWER, VIEWER, "Admin Provinsi"):
        with pytest.raises(rv.Refused):
            review.save_review({6: {"verdict": rv.SESUAI}}, name, wp)
        with pytest.raises(PermissionError):
            service_lke.save_workbook(check, name, wp, "tpi", rights=OPERATOR)
        with pytest.raises(PermissionError):
            service_lke.restore_answers(tpi_set.id, name, wp, level="tpi")
        with pytest.raises(rv.Refused):
            review.move(wp, rv.DINILAI, name)
    # while the TPI reviews, the unit's answers are frozen
    with pytest.raises(rv.Refused, match="«Diajukan ke TPI»"):
        service_lke.save_answers(_unit_answers(**{"6": "TIDAK"}), EDITOR, "aplikasi", wp)
    # the store refuses on its own, inside its write transaction
    for name, level in ((REVIEWER, "unit"), (EDITOR, "tpi"), (OTHER_REVIEWER, "tpi"), (EDITOR, "unit")):
        with pytest.raises(rv.Refused):
            get_store().save_lke_answers(wp.id, level, 2026, "[]", "langsung", name)
    assert [s.id for s in service_lke.answer_history(wp)] == [unit_set.id]
    assert [s.id for s in service_lke.answer_history(wp, "tpi")] == [tpi_set.id]
    # a reviewer's workbook: the TPI's answers and notes, its verdicts kept
    saved = service_lke.save_workbook(check, REVIEWER, wp, "tpi")
    assert review.review_in_use(wp).verdicts == {6: rv.PERBAIKAN} and saved.level == "tpi"
    assert service_lke.answers_in_use(wp, "tpi").answers[6].value == "TIDAK"
    with pytest.raises(rv.Refused, match="penilai TPI tidak dapat"):
        service_lke.save_workbook(check, OTHER_REVIEWER, wp, "unit")


def test_a_move_from_a_state_that_changed_meanwhile_is_refused(roles):
    wp = home()
    review.move(wp, rv.DIAJUKAN, EDITOR)
    with pytest.raises(rv.Refused, match="sudah berubah"):
        get_store().add_lke_review_event(
            wp.id, rv.Event(rv.STATE_EVENT, rv.DIAJUKAN, EDITOR, date.today()), expect=rv.MANDIRI
        )
    with pytest.raises(rv.Refused, match="tidak dapat dipindah"):
        review.move(wp, rv.DIAJUKAN, EDITOR)
    assert len(review.review_in_use(wp).transitions) == 1


def test_deadlines_are_set_by_a_reviewer_or_an_admin_and_flag_an_overdue_stage(roles):
    wp = home()
    today = date.today()
    with pytest.raises(rv.Refused, match="penilai TPI satker ini atau admin"):
        review.set_deadline(wp, rv.MANDIRI, today, EDITOR)
    with pytest.raises(rv.Refused):
        review.set_deadline(wp, rv.MANDIRI, today, OTHER_REVIEWER)
    review.set_deadline(wp, rv.MANDIRI, today - timedelta(days=1), REVIEWER)
    review.set_deadline(wp, rv.DIAJUKAN, today + timedelta(days=7), "Admin Provinsi")
    now = review.review_in_use(wp)
    assert now.deadline == today - timedelta(days=1) and now.overdue
    assert now.as_dict()["overdue"] is True and now.as_dict()["deadline"] == now.deadline.isoformat()
    review.move(wp, rv.DIAJUKAN, EDITOR)
    now = review.review_in_use(wp)
    assert now.deadline == today + timedelta(days=7) and not now.overdue


def test_our_export_with_both_levels_reads_back_to_the_same_two_scores(roles):
    wp = home()
    unit = {6: Answer(6, "YA"), 7: Answer(7, "B"), 169: Answer(169, 10), 171: Answer(171, 8), 8: Answer(8, "A")}
    service_lke.save_answers(unit, EDITOR, "aplikasi", wp)
    review.move(wp, rv.DIAJUKAN, EDITOR)
    review.save_review(
        {
            6: {"verdict": rv.SESUAI},
            7: {"value": "C", "verdict": rv.PERBAIKAN, "note": "SK belum ditandatangani"},
            168: {"verdict": rv.SESUAI},  # a percentage agreed: the unit's counts
        },
        REVIEWER,
        wp,
    )
    now = review.review_in_use(wp)
    assert now.tpi.total > 0 and now.tpi.total != now.unit.total
    assert next(s for s in now.tpi.questions if s.question.row == 168).value == pytest.approx(0.8)  # 8 of 10
    check = service_lke.check_workbook(service_lke.workbook_in_use(wp), "ekspor.xlsx", wp)
    assert check.valid
    assert check.scores["unit"].total == pytest.approx(now.unit.total)
    assert check.scores["tpi"].total == pytest.approx(now.tpi.total)
    assert check.sheet.answers["tpi"][7].note == "SK belum ditandatangani"
    # stored back by the reviewer: the same TPI score, the verdicts kept
    service_lke.save_workbook(check, REVIEWER, wp, "tpi")
    again = review.review_in_use(wp)
    assert again.tpi.total == pytest.approx(now.tpi.total) and again.verdicts == now.verdicts
