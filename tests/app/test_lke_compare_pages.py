"""Mandiri vs TPI on the pages: Kesiapan and Mode rapat's view say plainly that
there is no TPI assessment until TPI answers are saved, then show both totals, the difference, the
gates and the questions that differ, with the figures of counting.lke_compare (worked by hand in
tests/counting/test_lke_compare.py)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from tpi_builders import REVIEWERS, save_both, save_unit

from zi_dashboard import labels as L
from zi_dashboard.app import lke_compare, service
from zi_dashboard.app.service import MEETING_SLIDES

C = L.LKE_COMPARE


@pytest.fixture(autouse=True)
def reviewer(monkeypatch):
    monkeypatch.setenv("ZI_REVIEWER_UNITS", REVIEWERS)


def kesiapan() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/kesiapan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def slide() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["mode"] = "rapat"
    at.query_params["tampilan"] = str(MEETING_SLIDES.index("tpi") + 1)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_without_tpi_answers_the_pages_say_so(temp_db):
    save_unit(service.home())  # the unit's own answers alone: still nothing to compare
    assert lke_compare.in_use() is None
    at = kesiapan()
    assert C["title"] in [h.value for h in at.subheader]
    assert C["none"] in [c.value for c in at.caption]
    assert not any("class='zi-tpi-kpis'" in m.value for m in at.markdown)
    at = slide()
    assert at.header[0].value == L.MEETING_VIEWS["tpi"]
    assert [i.value for i in at.info] == [C["none"]]


def test_kesiapan_and_the_slide_show_both_scores(temp_db):
    save_both(service.home())
    found = lke_compare.in_use()
    assert found is not None and round(found.comparison.difference, 4) == -2.625
    at = kesiapan()
    cards = next(m.value for m in at.markdown if "class='zi-tpi-kpis'" in m.value)
    for text in ("21,67", "19,04", "−2,63", "2,96 poin dipertaruhkan", "✗ / ✗"):
        assert text in cards, text
    tables = [t.value for t in at.dataframe]
    differing = next(t for t in tables if C["col_stake"] in t.columns and C["col_answer_tpi"] in t.columns)
    assert differing[C["col_code"]].tolist() == ["H1", "R1.2", "1.2", "1.1", "1.1"]
    gates = next(t for t in tables if C["col_verdict"].format(name="WBK") in t.columns)
    ipak = gates.set_index(C["col_gate"]).loc[L.READY["gate_ipak"]]
    assert (ipak[C["col_unit"]], ipak[C["col_tpi"]], ipak[C["col_verdict"].format(name="WBK")]) == (
        "15,75",
        "14,00",
        "✓ / ✗",
    )
    assert any(C["sets"].split(":")[0] in c.value and "#2" in c.value for c in at.caption)
    at = slide()
    cards = next(m.value for m in at.markdown if "class='zi-tpi-kpis'" in m.value)
    assert "21,67" in cards and "19,04" in cards
    table = at.table[1].value  # the questions that differ, the most points at stake first
    assert table.index.tolist()[:2] == ["H1", "R1.2"]


def test_returned_questions_join_the_follow_up_per_pic_and_remind(temp_db, capsys):
    from zi_dashboard import cli

    save_both(service.home())  # rows 6 (1.1 a), 11 (1.2 c) and 132 (R1.2) returned with a note
    line_11 = (
        "- 1.1 a Unit kerja telah membentuk tim untuk melakukan pembangunan Zona Integritas: "
        "SK belum ditandatangani (jawaban unit Ya, TPI Tidak)"
    )
    assert cli.main(["remind", "--as-of", "2025-11-15"]) == 0
    messages = capsys.readouterr().out.split(L.READY_CLI["separator"])
    # plan row 1.2's PIC has rows to chase too: the returned question joins that message
    kasubbag = next(m for m in messages if "Yth. Kasubbag Parmas & SDM," in m).strip().split("\n")
    assert "- 1.2 Rencana Pembangunan ZI: terlambat 15 hari" in "\n".join(kasubbag)
    assert kasubbag[-3:-1] == [C["message_title"], next(x for x in kasubbag if x.startswith("- 1.2 c "))]
    assert "Media sosialisasi belum ada (jawaban unit –, TPI A)" in kasubbag[-2]
    assert kasubbag[-1] == L.READY["message_close"]
    # plan row 1.1's PIC has only the returned question: a message of its own
    sekretaris = next(m for m in messages if "Yth. Sekretaris," in m)
    assert line_11 in sekretaris and sekretaris.strip().endswith(C["message_close"])
    no_pic = next(m for m in messages if m.strip().startswith(f"Yth. {L.READY['no_pic']},") and "R1.2" in m)
    assert "Target RB belum ada (jawaban unit A, TPI C)" in no_pic
    at = kesiapan()
    texts = [c.value for c in at.code]
    assert any("Yth. Sekretaris," in t and line_11 in t for t in texts)
    assert any("Target RB belum ada" in t for t in texts)


def test_kesiapan_flags_a_review_stage_past_its_deadline(temp_db):
    from datetime import date

    from tpi_builders import REVIEWER

    from zi_dashboard.app import lke_review as review
    from zi_dashboard.counting import lke_review as rv

    save_both(service.home(), {})
    review.set_deadline(service.home(), rv.DIAJUKAN, date(2025, 11, 30), REVIEWER)
    at = kesiapan()
    assert [w.value.replace("\\", "") for w in at.warning if C["stage_line"].split(":")[0] in w.value] == [
        "Tahap penilaian TPI: Diajukan ke TPI · ⚠ lewat tenggat 30/11/2025"
    ]


def test_a_save_shows_at_once_on_an_open_kesiapan(temp_db):
    """The LKE figures are kept between runs (read once until an LKE answer set or review event
    is kept): a save made meanwhile shows on the next run of a page already open."""
    at = kesiapan()
    assert C["none"] in [c.value for c in at.caption]
    save_both(service.home())
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cards = next(m.value for m in at.markdown if "class='zi-tpi-kpis'" in m.value)
    assert "21,67" in cards and "19,04" in cards
    from datetime import date

    from tpi_builders import REVIEWER

    from zi_dashboard.app import lke_review as review
    from zi_dashboard.counting import lke_review as rv

    review.set_deadline(service.home(), rv.DIAJUKAN, date(2025, 11, 30), REVIEWER)  # a review event alone
    at.run()
    assert any("lewat tenggat 30/11/2025" in w.value for w in at.warning)
