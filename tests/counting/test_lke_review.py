"""The TPI review's pure rules: who may move a unit's LKE where, who writes which level when,
verdicts in the TPI's answer set, deadlines and overdue stages, a question's conversation."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from zi_dashboard.counting import lke_review as rv
from zi_dashboard.reading.lke_answers import Answer, answers_from_json, answers_to_json

ALL_ROLES = (rv.UNIT_ROLE, rv.REVIEWER, rv.ADMIN)


def test_every_move_of_the_table_is_allowed_to_its_roles_only_and_nothing_else_is_a_move():
    for current, target in itertools.product(rv.STATES, rv.STATES):
        for role in ALL_ROLES:
            # guards satisfied: one open return when returning, none when proposing, a verdict given
            returns = 1 if target == rv.DIKEMBALIKAN else 0
            refused = rv.check_move({role}, current, target, open_returns=returns, verdicts_given=1)
            allowed = role in rv.TRANSITIONS.get((current, target), ())
            assert (refused is None) == allowed, (current, target, role, refused)
    assert rv.check_move({rv.UNIT_ROLE}, rv.MANDIRI, rv.DIAJUKAN) is None
    assert "tidak dapat dipindah" in rv.check_move({rv.UNIT_ROLE}, rv.MANDIRI, rv.DIUSULKAN)
    assert "penilai TPI" in rv.check_move({rv.UNIT_ROLE}, rv.DINILAI, rv.DIKEMBALIKAN, open_returns=1)
    assert "tidak dikenal" in rv.check_move({rv.ADMIN}, rv.MANDIRI, "selesai")


def test_the_guards_of_returning_proposing_and_judging():
    assert "tidak ada yang dikembalikan" in rv.check_move({rv.REVIEWER}, rv.DINILAI, rv.DIKEMBALIKAN, 0)
    assert "2 pertanyaan" in rv.check_move({rv.REVIEWER}, rv.DINILAI, rv.DIUSULKAN, open_returns=2)
    assert rv.check_move({rv.REVIEWER}, rv.DINILAI, rv.PEMBINAAN, open_returns=2) is None  # not proposed anyway
    assert "Belum ada pertanyaan yang dinilai" in rv.check_move({rv.REVIEWER}, rv.DIAJUKAN, rv.DINILAI)
    assert rv.moves_for({rv.REVIEWER}, rv.DINILAI) == [rv.DIKEMBALIKAN, rv.DIUSULKAN, rv.PEMBINAAN]
    assert rv.moves_for({rv.UNIT_ROLE}, rv.DINILAI) == []
    assert rv.moves_for({rv.ADMIN}, rv.DIUSULKAN) == [rv.DINILAI]


def test_each_level_is_written_by_its_own_role_in_its_own_stages_only():
    for level, state in itertools.product((rv.UNIT_LEVEL, rv.TPI_LEVEL), rv.STATES):
        for roles in ({rv.UNIT_ROLE}, {rv.REVIEWER}, {rv.ADMIN}, {rv.UNIT_ROLE, rv.ADMIN}, set()):
            ok = rv.check_write(roles, level, state) is None
            assert ok == (rv.WRITER[level] in roles and state in rv.WRITABLE[level]), (level, state, roles)
    assert "penilai TPI tidak dapat" in rv.check_write({rv.REVIEWER}, rv.UNIT_LEVEL, rv.MANDIRI)
    assert "«Diajukan ke TPI»" in rv.check_write({rv.UNIT_ROLE}, rv.UNIT_LEVEL, rv.DIAJUKAN)
    assert rv.check_write({rv.REVIEWER}, rv.TPI_LEVEL, rv.DIAJUKAN_ULANG) is None


def test_roles_come_from_the_configured_scopes():
    assert rv.roles_from_scopes("kota-x", ["kota-x"], []) == {rv.UNIT_ROLE}
    assert rv.roles_from_scopes("kota-x", ["*"], []) == {rv.UNIT_ROLE, rv.ADMIN}
    assert rv.roles_from_scopes("kota-x", [], ["kota-x", "kab-y"]) == {rv.REVIEWER}
    assert rv.roles_from_scopes("kota-z", [], ["kota-x", "kab-y"]) == set()  # a reviewer of other units
    assert rv.roles_from_scopes("kota-z", [], ["*"]) == {rv.REVIEWER}


def test_the_tpi_set_keeps_verdicts_and_reads_back_as_plain_answers_too():
    answers = {6: Answer(6, "B", "SK belum ditandatangani"), 7: Answer(7, "A")}
    text = rv.review_json(answers, {6: rv.PERBAIKAN, 7: rv.SESUAI, 9: rv.SESUAI})
    assert rv.verdicts_from_json(text) == {6: rv.PERBAIKAN, 7: rv.SESUAI, 9: rv.SESUAI}
    back = answers_from_json(text)  # what the export and the score read
    assert back[6] == answers[6] and back[7] == answers[7] and back[9].value is None
    assert rv.verdicts_from_json(answers_to_json(answers)) == {}


def test_agreeing_takes_the_units_answer_and_clearing_a_review_removes_it():
    unit = {6: Answer(6, "A"), 7: Answer(7, "B")}
    answers, verdicts = rv.merge_reviews(
        {},
        {},
        {6: rv.TpiReview(6, None, rv.SESUAI), 7: rv.TpiReview(7, "C", rv.PERBAIKAN, "Bukti tidak ada")},
        unit,
    )
    assert answers[6].value == "A" and answers[7] == Answer(7, "C", "Bukti tidak ada")
    assert verdicts == {6: rv.SESUAI, 7: rv.PERBAIKAN}
    answers, verdicts = rv.merge_reviews(answers, verdicts, {7: rv.TpiReview(7)}, unit)
    assert 7 not in answers and 7 not in verdicts and answers[6].value == "A"


def _event(kind, state, minutes, deadline=None):
    return rv.Event(kind, state, "x", datetime(2026, 3, 1, 8) + timedelta(minutes=minutes), deadline)


def test_state_round_deadlines_and_overdue_from_the_events():
    assert rv.RoundState.from_events([]).state == rv.MANDIRI
    events = [
        _event(rv.DEADLINE_EVENT, rv.MANDIRI, 0, date(2026, 3, 10)),
        _event(rv.DEADLINE_EVENT, rv.DIKEMBALIKAN, 1, date(2026, 4, 1)),
        _event(rv.STATE_EVENT, rv.DIAJUKAN, 2),
        _event(rv.STATE_EVENT, rv.DINILAI, 3),
        _event(rv.STATE_EVENT, rv.DIKEMBALIKAN, 4),
    ]
    now = rv.RoundState.from_events(events)
    assert (now.state, now.round, now.deadline) == (rv.DIKEMBALIKAN, 2, date(2026, 4, 1))
    assert not now.overdue(date(2026, 4, 1)) and now.overdue(date(2026, 4, 2))
    assert [e.state for e in now.transitions] == [rv.DIAJUKAN, rv.DINILAI, rv.DIKEMBALIKAN]
    cleared = rv.RoundState.from_events([*events, _event(rv.DEADLINE_EVENT, rv.DIKEMBALIKAN, 5)])
    assert cleared.deadline is None and not cleared.overdue(date(2027, 1, 1))
    done = rv.RoundState.from_events(
        [*events, _event(rv.STATE_EVENT, rv.DIAJUKAN_ULANG, 6), _event(rv.STATE_EVENT, rv.DIUSULKAN, 7)]
    )
    assert done.deadline is None and not done.overdue(date(2027, 1, 1))  # a finished LKE is never late
    assert "penilai TPI satker ini atau admin" in rv.check_deadline({rv.UNIT_ROLE}, rv.MANDIRI)
    assert rv.check_deadline({rv.ADMIN}, rv.DINILAI) is None
    assert "tidak memiliki tenggat" in rv.check_deadline({rv.REVIEWER}, rv.DIUSULKAN)


def test_a_question_history_reads_like_a_conversation():
    """Unit answered B; TPI: Perlu perbaikan, "SK belum ditandatangani"; the unit answered A with
    a new link; the TPI agreed.  Sets that do not touch the question add no step."""
    t = datetime(2026, 3, 1, 8)
    sets = [
        rv.SetRecord(1, "unit", "budi", t, answers_to_json({6: Answer(6, "B")})),
        rv.SetRecord(
            2, "unit", "budi", t + timedelta(hours=1), answers_to_json({6: Answer(6, "B"), 7: Answer(7, "A")})
        ),
        rv.SetRecord(
            3,
            "tpi",
            "inspektur",
            t + timedelta(hours=2),
            rv.review_json({6: Answer(6, "B", "SK belum ditandatangani")}, {6: rv.PERBAIKAN}),
        ),
        rv.SetRecord(
            4,
            "unit",
            "budi",
            t + timedelta(hours=3),
            answers_to_json({6: Answer(6, "A", "", "", ("https://drive.example/sk.pdf",))}),
        ),
        rv.SetRecord(
            5, "tpi", "inspektur", t + timedelta(hours=4), rv.review_json({6: Answer(6, "A")}, {6: rv.SESUAI})
        ),
    ]
    steps = rv.conversation(6, reversed(sets))
    assert [(s.level, s.value, s.verdict, s.set_id) for s in steps] == [
        ("unit", "B", None, 1),
        ("tpi", "B", rv.PERBAIKAN, 3),
        ("unit", "A", None, 4),
        ("tpi", "A", rv.SESUAI, 5),
    ]
    texts = [rv.step_text(s, s.value) for s in steps]
    assert texts == [
        "budi (unit) menjawab B",
        "inspektur (TPI): Perlu perbaikan, jawaban TPI B: «SK belum ditandatangani»",
        "budi (unit) menjawab A (+1 tautan)",
        "inspektur (TPI): Sesuai, jawaban TPI A",
    ]
    assert rv.conversation(8, sets) == []


def test_the_state_summary_has_the_cli_shape():
    s = rv.Summary(
        rv.DIKEMBALIKAN,
        date(2026, 4, 1),
        61.123456,
        55.5,
        [rv.Returned(6, "1.1", "a", "1.1 a", "SK belum ada")],
        2,
        True,
    )
    d = s.as_dict()
    assert {"state", "deadline", "unit_total", "tpi_total", "returned"} <= set(d)
    assert d["state"] == "dikembalikan" and d["deadline"] == "2026-04-01" and d["unit_total"] == 61.1235
    assert d["returned"] == [{"code": "1.1", "letter": "a", "note": "SK belum ada"}]


@pytest.mark.parametrize("state", rv.STATES)
def test_every_state_and_verdict_has_an_indonesian_name(state):
    assert rv.state_label(state)
    assert rv.verdict_label(rv.SESUAI) == "Sesuai" and rv.verdict_label(None) == "Belum dinilai"


def test_reviewers_are_configured_per_unit_and_edit_no_units_own_data(monkeypatch, tmp_path):
    from zi_dashboard.storage import auth

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[reviewer_units]\n"Inspektur Satu" = ["KPU Kota Tasikmalaya", "KPU Kabupaten Garut"]\n')
    env = {"ZI_REVIEWER_UNITS": "Tim Provinsi=*", "ZI_EDITOR_UNITS": "Rina=KPU Kota Tasikmalaya;Tim Provinsi=*"}
    assert auth.reviewer_units("Inspektur Satu", secrets, env) == ["KPU Kota Tasikmalaya", "KPU Kabupaten Garut"]
    assert auth.editor_units("Inspektur Satu", secrets, env) == []  # not "*" as an unnamed editor
    assert auth.editor_units("Tim Provinsi", secrets, env) == ["*"]  # named as both: both
    assert auth.reviewer_units("Rina", secrets, env) == [] and auth.editor_units("budi", secrets, env) == ["*"]
    monkeypatch.setenv("ZI_REVIEWER_UNITS", "Inspektur Satu=KPU Kota Tasikmalaya|KPU Kabupaten Garut")
    monkeypatch.setenv("ZI_EDITOR_UNITS", "Rina=KPU Kota Tasikmalaya")
    assert auth.unit_roles("Inspektur Satu", "KPU  kota tasikmalaya") == {rv.REVIEWER}
    assert auth.unit_roles("Inspektur Satu", "KPU Kabupaten Ciamis") == set()
    assert auth.unit_roles("Rina", "KPU Kota Tasikmalaya") == {rv.UNIT_ROLE}
    assert auth.unit_roles("Rina", "KPU Kabupaten Garut") == set()
    assert auth.unit_roles("admin", "KPU Kabupaten Garut") == {rv.UNIT_ROLE, rv.ADMIN}
    assert not auth.may_edit("Inspektur Satu", "KPU Kota Tasikmalaya")
