"""The TPI review at the command line (issue 23): `lke score --level tpi --json` has the unit
level's shape; `lke review` stores a workbook's TPI columns for a reviewer of the unit in the
TPI's stage only (an editor, a reviewer of another unit, or the wrong stage: exit 1, the reason,
nothing stored); `lke import` refuses a reviewer at the unit's level; `lke state --json` says
where the unit's LKE stands."""

import json

import pytest
from conftest import EDITOR
from lke_builders import lke_workbook
from test_cli_store import cli

from zi_dashboard.app import lke as service_lke
from zi_dashboard.app import lke_review as review
from zi_dashboard.app.service import home
from zi_dashboard.counting import lke_review as rv
from zi_dashboard.reading.lke_answers import Answer

pytestmark = pytest.mark.slow  # every test runs the CLI as a process

REVIEWER, OTHER = "Inspektur Satu", "Penilai Garut"


@pytest.fixture
def roles(temp_db, monkeypatch):
    monkeypatch.setenv("ZI_EDITOR_UNITS", f"{EDITOR}=KPU Kota Tasikmalaya")
    monkeypatch.setenv("ZI_REVIEWER_UNITS", f"{REVIEWER}=KPU Kota Tasikmalaya;{OTHER}=KPU Kabupaten Garut")
    return temp_db


def shape(d):
    """The keys of a JSON answer, nested (lists by their first item)."""
    if isinstance(d, dict):
        return {k: shape(v) for k, v in d.items()}
    if isinstance(d, list):
        return [shape(d[0])] if d else []
    return type(d).__name__ if d is not None else "null"


def test_the_tpi_level_scores_with_the_unit_levels_shape(roles, tmp_path):
    path = tmp_path / "LKE.xlsx"
    path.write_bytes(lke_workbook({"6": "Ya", "7": "B"}, tpi={"6": "Ya", "7": "C"}))
    unit, tpi = (
        json.loads(cli("lke", "score", str(path), "--level", lv, "--json", env_url=roles).stdout)
        for lv in ("unit", "tpi")
    )
    assert (unit["level"], tpi["level"]) == ("unit", "tpi")
    assert shape({k: v for k, v in tpi.items() if k != "level"}) == shape(
        {k: v for k, v in unit.items() if k != "level"}
    )
    assert unit["pemenuhan"]["total"] == pytest.approx(0.375) and tpi["pemenuhan"]["total"] == pytest.approx(0.25)


def test_review_stores_the_tpi_columns_for_a_reviewer_in_the_tpis_stage_only(roles, tmp_path):
    path = tmp_path / "LKE TPI.xlsx"
    path.write_bytes(lke_workbook({"6": "Ya", "7": "B"}, tpi={"6": "Ya", "7": "C"}, tpi_notes={"7": "SK belum ada"}))
    service_lke.save_answers({6: Answer(6, "YA"), 7: Answer(7, "B")}, EDITOR, "aplikasi", home())
    early = cli("lke", "review", str(path), "--by", REVIEWER, env_url=roles)
    assert early.returncode == 1 and "«Penilaian mandiri»" in early.stderr
    review.move(home(), rv.DIAJUKAN, EDITOR)
    for name in (EDITOR, OTHER, "tamu"):
        refused = cli("lke", "review", str(path), "--by", name, env_url=roles)
        assert refused.returncode == 1 and "penilai TPI" in refused.stderr, name
    refused = cli("lke", "import", str(path), "--by", EDITOR, "--level", "tpi", env_url=roles)
    assert refused.returncode == 1 and "penilai TPI" in refused.stderr
    assert service_lke.answer_history(home(), "tpi") == []
    stored = cli("lke", "review", str(path), "--by", REVIEWER, "--unit", "KPU Kota Tasikmalaya", env_url=roles)
    assert stored.returncode == 0, stored.stderr
    assert "set #2" in stored.stdout and "0,25" in stored.stdout
    in_use = service_lke.answers_in_use(home(), "tpi")
    assert in_use.stored.by == REVIEWER and in_use.answers[7] == Answer(7, "C", "SK belum ada")
    assert service_lke.answers_in_use(home()).answers[7].value == "B"
    # a reviewer never writes the unit's level, even at the command line
    refused = cli("lke", "import", str(path), "--by", REVIEWER, env_url=roles)
    assert refused.returncode == 1 and "penilai TPI tidak dapat" in refused.stderr
    assert len(service_lke.answer_history(home())) == 1


def test_state_says_where_the_lke_stands(roles):
    wp = home()
    service_lke.save_answers({6: Answer(6, "YA"), 7: Answer(7, "B")}, EDITOR, "aplikasi", wp)
    empty = json.loads(cli("lke", "state", "--json", env_url=roles).stdout)
    assert empty["state"] == "mandiri" and empty["returned"] == [] and empty["deadline"] is None
    review.move(wp, rv.DIAJUKAN, EDITOR)
    review.save_review({7: {"verdict": rv.PERBAIKAN, "note": "SK belum ditandatangani"}}, REVIEWER, wp)
    review.move(wp, rv.DINILAI, REVIEWER)
    review.move(wp, rv.DIKEMBALIKAN, REVIEWER)
    from datetime import date

    review.set_deadline(wp, rv.DIKEMBALIKAN, date(2026, 4, 30), REVIEWER)
    p = cli("lke", "state", "--unit", "KPU Kota Tasikmalaya", "--year", "2025", "--json", env_url=roles)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert {"state", "deadline", "unit_total", "tpi_total", "returned"} <= set(d)
    assert (d["state"], d["deadline"], d["round"]) == ("dikembalikan", "2026-04-30", 2)
    assert d["unit_total"] == pytest.approx(0.375) and d["tpi_total"] == 0
    assert d["returned"] == [{"code": "1.1", "letter": "b", "note": "SK belum ditandatangani"}]
    text = cli("lke", "state", env_url=roles).stdout
    assert "Dikembalikan untuk perbaikan" in text and "SK belum ditandatangani" in text and "30 April 2026" in text
