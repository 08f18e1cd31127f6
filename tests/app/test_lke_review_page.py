"""Penilaian TPI through the pages (AppTest): a reviewer stores a workbook's TPI columns on Unggah
only in the TPI's stage, an editor's upload never stores them, a reviewer of another unit gets no
input, no move and no uploader, and an editor whose LKE is with the TPI cannot save or restore
the unit's answers (the reason is shown, nothing is stored)."""

from __future__ import annotations

import pytest
from conftest import EDITOR, editor_hash, login
from lke_builders import lke_workbook
from test_lke_page import app, text
from test_units_pages import PLAN_2026

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import lke_review as review
from zi_dashboard.app import service
from zi_dashboard.app.service import home
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.reading.lke_answers import Answer

REVIEWER, OTHER = "Inspektur Satu", "Penilai Garut"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
P, U = L.LKE_REVIEW_PAGE, L.LKE_UPLOAD


@pytest.fixture
def roles(temp_db, monkeypatch):
    h = editor_hash()
    monkeypatch.setenv("ZI_EDITORS", f"{EDITOR}:{h},{REVIEWER}:{h},{OTHER}:{h}")
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}=KPU Kota Tasikmalaya")
    monkeypatch.setenv("ZI_REVIEWER_UNITS", f"{REVIEWER}=KPU Kota Tasikmalaya;{OTHER}=KPU Kabupaten Garut")
    service_lke.save_answers({6: Answer(6, "YA"), 7: Answer(7, "B")}, EDITOR, "aplikasi", home())
    return temp_db


def upload(at, data: bytes):
    next(u for u in at.file_uploader if u.label == U["workbook_upload"]).set_value(("LKE TPI.xlsx", data, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_reviewer_stores_the_tpi_columns_only_in_the_tpis_stage(roles):
    workbook = lke_workbook({"6": "Ya", "7": "B"}, tpi={"6": "Ya", "7": "C"})
    at = login(app("pages/unggah.py"), REVIEWER)
    assert P["reviewer_upload"] in [i.value for i in at.info]
    assert not [u for u in at.file_uploader if u.label == L.UI["uploader"]]  # no progress upload
    at = upload(at, workbook)
    at.button(key="lke_save_0").click().run()
    assert L.LKE_REVIEW["closed_tpi"].format(state=rv.state_label(rv.MANDIRI)) in text(at)
    assert service_lke.answer_history(home(), "tpi") == []
    review.move(home(), rv.DIAJUKAN, EDITOR)
    at = upload(login(app("pages/unggah.py"), REVIEWER), workbook)
    at.button(key="lke_save_0").click().run()
    (saved,) = service_lke.answer_history(home(), "tpi")
    assert saved.by == REVIEWER and service_lke.answers_in_use(home(), "tpi").answers[7].value == "C"
    assert service_lke.answers_in_use(home()).answers[7].value == "B"  # the unit's stays
    # no evidence sheet or instrument uploader for a reviewer
    labels = [u.label for u in at.file_uploader]
    assert U["workbook_upload"] in labels and not {U["evidence_upload"], U["instrument_upload"]} & set(labels)


def test_an_editors_upload_never_stores_the_tpi_columns(roles):
    at = upload(login(app("pages/unggah.py")), lke_workbook({"6": "Tidak"}, tpi={"6": "Ya"}))
    assert not [r for r in at.radio if r.key and r.key.startswith("lke_level")]
    at.button(key="lke_save_0").click().run()
    assert service_lke.answer_history(home(), "tpi") == []
    assert service_lke.answers_in_use(home()).answers[6].value == "TIDAK"


def test_a_reviewer_of_another_unit_gets_no_input_move_or_uploader(roles):
    review.move(home(), rv.DIAJUKAN, EDITOR)
    at = login(app(), OTHER)
    assert not [b for b in at.button if b.label in (P["move_dinilai"], P["move_diajukan"])]
    assert not [s for s in at.selectbox if s.label.startswith("Penilaian TPI")]
    assert not at.get("form_submit_button") or not [
        b for b in at.button if b.label.startswith(P["save_area"].split("{")[0])
    ]
    at = login(app("pages/unggah.py"), OTHER)
    assert U["workbook_upload"] not in [u.label for u in at.file_uploader]


def test_an_editor_cannot_change_the_units_answers_while_the_tpi_reviews(roles):
    first = service_lke.answer_history(home())[0]
    service_lke.save_answers({6: Answer(6, "TIDAK")}, EDITOR, "aplikasi", home())
    review.move(home(), rv.DIAJUKAN, EDITOR)
    at = login(app())
    assert L.LKE_REVIEW["closed_unit"].format(state=rv.state_label(rv.DIAJUKAN)) in text(at)
    assert not [s for s in at.selectbox if s.label == "Jawaban 1.1 a"]  # read only
    at.selectbox(key="lke_restore_pick").set_value(first.id).run()
    at.button(key="lke_restore").click().run()
    assert L.LKE_REVIEW["closed_unit"].format(state=rv.state_label(rv.DIAJUKAN)) in text(at)
    assert len(service_lke.answer_history(home())) == 2
    # the reviewer's side: inputs and the moves of its stage
    at = login(app(), REVIEWER)
    assert [b.label for b in at.button if b.label == P["move_dinilai"]] == [P["move_dinilai"]]
    assert [s for s in at.selectbox if s.label == "Penilaian TPI 1.1 a"]


def test_a_reviewer_sets_a_deadline_and_the_stage_shows_overdue(roles):
    from datetime import date, timedelta

    at = login(app(), REVIEWER)
    (stage,) = [s for s in at.selectbox if s.label == P["deadline_stage"]]
    stage.set_value(rv.MANDIRI)
    (day,) = [d for d in at.date_input if d.label == P["deadline_date"]]
    day.set_value(date.today() - timedelta(days=2))
    (ok,) = [b for b in at.button if b.label == P["deadline_save"]]
    ok.click().run()
    assert not at.exception
    badge = next(m.value for m in at.markdown if "zi-review-state" in m.value)
    assert P["overdue"] in badge and L.fmt_date(date.today() - timedelta(days=2)) in badge
    assert review.review_in_use(home()).overdue
    # an editor of the unit sees it, but has no deadline form
    at = login(app())
    assert P["overdue"] in next(m.value for m in at.markdown if "zi-review-state" in m.value)
    assert not [b for b in at.button if b.label == P["deadline_save"]]
    # left empty, the stage's deadline is removed, and said so (not "disimpan")
    at = login(app(), REVIEWER)
    [s for s in at.selectbox if s.label == P["deadline_stage"]][0].set_value(rv.MANDIRI)
    [b for b in at.button if b.label == P["deadline_save"]][0].click().run()
    assert P["deadline_cleared"].format(state=rv.state_label(rv.MANDIRI)) in [s.value for s in at.success]
    assert review.review_in_use(home()).deadline is None and not review.review_in_use(home()).overdue


PLAN_UPLOADER = L.PLAN_UI["uploader"]
ROLES = {  # name, configured as in `roles` (plus an editor of Garut): may it add a plan, and where
    EDITOR: True,  # the unit's editor
    "Editor Garut": True,  # an editor of another unit: its own unit's plans, from any page
    REVIEWER: False,  # the unit's penilai TPI
    OTHER: False,  # a penilai TPI of another unit
}


@pytest.mark.parametrize(
    "name", [*ROLES, None], ids=["editor", "editor-elsewhere", "reviewer", "reviewer-elsewhere", "viewer"]
)
def test_unggah_shows_the_plan_uploader_only_to_whom_the_service_lets_add_a_plan(roles, monkeypatch, name):
    monkeypatch.setenv(
        "ZI_EDITORS",
        f"{EDITOR}:{editor_hash()},{REVIEWER}:{editor_hash()},{OTHER}:{editor_hash()},Editor Garut:{editor_hash()}",
    )
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}=KPU Kota Tasikmalaya;Editor Garut=KPU Kabupaten Garut")
    may = ROLES.get(name, False)
    assert service.may_add_plans(name) is may  # the one rule the page asks
    at = app("pages/unggah.py")
    if name:
        at = login(at, name)
    assert (PLAN_UPLOADER in [u.label for u in at.file_uploader]) is may
    if name == OTHER:  # said what it may do here instead of "not allowed to change"
        assert P["reviewer_elsewhere"].format(unit=home().unit) in [i.value for i in at.info]
        assert not at.warning
    if not may and name:  # and the service refuses what the page no longer offers
        with pytest.raises(service.NotAllowed):
            service.add_plan(PLAN_2026, "rencana-2026.csv", name, home().unit, 2026)
    elif may:
        unit = home().unit if name == EDITOR else "KPU Kabupaten Garut"
        added, _ = service.add_plan(PLAN_2026, "rencana-2026.csv", name, unit, 2026)
        assert (added.unit, added.year) == (unit, 2026)


def test_saving_an_area_untouched_keeps_nothing_when_the_tpi_typed_a_number(roles):
    """A number the TPI typed (IPAK 3,5) is shown as "3,50" and is the same answer as the
    stored 3.5: saving the area without a change keeps no new set and counts no question."""
    review.move(home(), rv.DIAJUKAN, EDITOR)
    saved, problems = review.save_review({199: {"value": "3,5", "verdict": rv.SESUAI, "note": ""}}, REVIEWER)
    assert saved is not None and not problems
    at = login(app(), REVIEWER)
    (hasil,) = [b for b in at.get("form_submit_button") if b.proto.form_id.startswith("lke_form_hasil_")]
    assert at.text_input(key=[t.key for t in at.text_input if t.key and t.key.endswith("_199_v")][0]).value == "3,50"
    at.button(key=hasil.key).click().run()  # nothing changed
    assert not at.exception
    assert P["nothing_changed"] in [i.value for i in at.info]
    assert [s.id for s in service_lke.answer_history(home(), "tpi")] == [saved.id]  # no new set
