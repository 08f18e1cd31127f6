"""Kesiapan through the router (AppTest): the figures are the core's, the self-assessment is
saved by editors only and bad input changes nothing, the what-if changes nothing stored, the
follow-up gives WhatsApp links, and Mode rapat has the Kesiapan view."""

from __future__ import annotations

import io
import urllib.parse
from datetime import date

import openpyxl
from builders import csv_bytes
from conftest import EDITOR, ROOT, login, send_table_state
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.app.service import MEETING_SLIDES
from zi_dashboard.app.ui import md_escape
from zi_dashboard.counting.metrics import compute
from zi_dashboard.counting.readiness import readiness
from zi_dashboard.outputs.assessment_out import assessment_template
from zi_dashboard.outputs.readiness_out import gates_combined, gates_compact, n2, shortfall_lines
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.lke import load_lke
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.storage.store import open_store

AS_OF = date(2025, 11, 15)
PAGE = "pages/kesiapan.py"


def app(page: str = PAGE) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def core(assessment: Assessment | None = None, assume=()):
    plan = load_plan()
    rows = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan).rows
    return readiness(compute(plan, rows, AS_OF), assessment, assume_done=assume)


def text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [e.value for e in at.error] + [s.value for s in at.success] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def cards(at) -> str:
    (block,) = [m.value for m in at.markdown if "<div class='zi-ready-kpis'" in m.value]
    return block


def sheet(values: dict[str, object]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(assessment_template(load_lke())))
    for row in wb.active.iter_rows(min_row=5):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_page_shows_the_cores_figures(temp_db):
    at = app()
    r = core()
    block = cards(at)
    assert f">{n2(r.pemenuhan_total)}<" in block and f">{n2(r.total)}<" in block
    assert L.READY["card_no"] in block  # neither predicate is reached
    all_text = text(at)
    assert "PERKIRAAN" in all_text and L.READY["why_estimate"] in all_text
    for line in shortfall_lines(r, "WBK") + shortfall_lines(r, "WBBM"):
        assert md_escape(line) in all_text
    gates = at.dataframe[0].value
    assert gates.equals(gates_combined(r))
    opened = at.dataframe[1].value
    assert list(opened[L.COL["code"]]) == list(r.open_points["code"])
    assert len(at.get("plotly_chart")) == 1


def test_an_editor_saves_a_self_assessment_sheet_and_the_figures_follow(temp_db):
    at = login(app())
    at.file_uploader(key="assess_upload_0").set_value(
        ("penilaian.xlsx", sheet({"R1": 3, "R5": "6,5", "IPAK": "3,7", "IPKP": 3.4, "KINERJA": 4}), XLSX)
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    saved = open_store(temp_db).latest_assessment()
    assert saved is not None and saved.by == EDITOR and saved.source == "penilaian.xlsx"
    assert L.ASSESS["saved"].format(id=saved.id) in text(at)
    r = core(Assessment({"1": 3.0, "5": 6.5}, {}, 3.7, 3.4, 4.0))
    assert f">{n2(r.reform_total)}<" in cards(at) and f">{n2(r.total)}<" in cards(at)
    assert at.dataframe[0].value.equals(gates_combined(r))


def test_bad_self_assessment_is_refused_and_changes_nothing(temp_db):
    at = login(app())
    at.file_uploader(key="assess_upload_0").set_value(
        ("penilaian.xlsx", sheet({"R1": 3, "IPAK": "4,5", "R5": "banyak"}), XLSX)
    ).run()
    assert not at.exception
    assert L.ASSESS["invalid"].format(n=2) in text(at)
    problems = [d.value for d in at.dataframe if L.COL["message"] in d.value.columns]
    messages = " ".join(problems[0][L.COL["message"]])
    assert "IPAK" in messages and "Reform 5. Penguatan Pengawasan" in messages
    assert open_store(temp_db).latest_assessment() is None
    assert f">{n2(core().total)}<" in cards(at)


def test_a_viewer_cannot_save(temp_db):
    at = app()
    assert not [f for f in at.file_uploader if f.key and f.key.startswith("assess_upload")]
    assert not [b for b in at.button if b.key == "assess_save"]
    assert L.ASSESS["need_editor"] in text(at)


def test_what_if_moves_the_gates_and_stores_nothing(temp_db):
    at = app()
    store = open_store(temp_db)
    before = (store.count(), store.latest_assessment(), store.current_id())
    at.multiselect(key="whatif_rows").set_value(["5.2", "5.4", "4.2"]).run()
    at.text_input(key="whatif_ipak").set_value("3,6").run()
    at.text_input(key="whatif_ipkp").set_value("3.2").run()  # a point is taken too
    assert not at.exception
    sim = core(Assessment(ipak=3.6, ipkp=3.2), assume=("5.2", "5.4", "4.2"))
    info = [i.value for i in at.info if n2(sim.total) in i.value]
    assert info, text(at)
    (table,) = [d.value for d in at.dataframe if L.READY["col_whatif"] in d.value.columns]
    row = table.set_index(L.READY["col_gate"]).loc[L.READY["gate_ipak"]]
    assert row[L.READY["col_whatif"]] == "15,75" and row[f"WBK · {L.READY['col_whatif']}"] == L.READY["pass"]
    assert row[f"WBK · {L.READY['col_now']}"] == L.READY["fail"]
    # nothing stored, the page's own figures unchanged
    assert (store.count(), store.latest_assessment(), store.current_id()) == before
    assert f">{n2(core().total)}<" in cards(at)


def test_what_if_numbers_have_a_decimal_comma_and_bad_ones_are_said(temp_db):
    """The survey values read "3,70" (Streamlit's number box showed "3.70"),
    "3,6" is typed as an Indonesian writes it; text or a value over the maximum is said under
    the box, and the value in use counts meanwhile."""
    open_store(temp_db).save_assessment('{"IPAK": 3.7, "IPKP": 3.4}', "penilaian.xlsx", "Ketua")
    at = app()
    assert at.text_input(key="whatif_ipak").value == "3,70" and at.text_input(key="whatif_ipkp").value == "3,40"
    assert not [n for n in at.number_input if n.key and n.key.startswith("whatif_")]
    at.text_input(key="whatif_ipak").set_value("tiga").run()
    at.text_input(key="whatif_ipkp").set_value("4,5").run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert any("«tiga» bukan angka 0 sampai 4,00" in e and "tetap 3,70" in e for e in said), said
    assert any("«4,5» bukan angka 0 sampai 4,00" in e for e in said), said
    saved = core(Assessment(ipak=3.7, ipkp=3.4))
    assert [i.value for i in at.info if f"total {n2(saved.total)} (±" in i.value]  # the values in use count
    at.text_input(key="whatif_ipak").set_value("3,9").run()
    at.text_input(key="whatif_ipkp").set_value(" 3,5 ").run()
    assert not at.error
    moved = core(Assessment(ipak=3.9, ipkp=3.5))
    assert [i.value for i in at.info if f"total {n2(moved.total)} (" in i.value], text(at)


def test_follow_up_gives_whatsapp_links(temp_db):
    at = app()
    links = [b.proto.url for b in at.get("link_button")]
    assert links and all(u.startswith("https://wa.me/?text=") for u in links)
    first = urllib.parse.unquote(links[0].split("?text=", 1)[1])
    assert first.startswith("Yth. ") and "poin belum diraih" in first
    codes = [c.value for c in at.get("code")]
    assert first in codes  # the same message, copyable
    # a contacts sheet (kept by an editor: tests/app/test_contact_sheet.py) turns the link into one
    # to the PIC's number
    contacts = csv_bytes([["PIC", "No. HP"], ["Kasubbag Perencanaan", "0812-3456-7890"]])
    login(at)
    at.file_uploader(key="ready_contacts_0").set_value(("kontak.csv", contacts, "text/csv")).run()
    links = [b.proto.url for b in at.get("link_button")]
    assert any(u.startswith("https://wa.me/6281234567890?text=") for u in links)


def test_mode_rapat_has_the_kesiapan_view(temp_db):
    assert "readiness" in MEETING_SLIDES
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["mode"] = "rapat"
    at.query_params["tampilan"] = str(MEETING_SLIDES.index("readiness") + 1)
    at.run()
    assert not at.exception
    assert at.header[0].value == L.MEETING_VIEWS["readiness"]
    r = core()
    assert f">{n2(r.total)}<" in cards(at)
    table = at.table[0].value
    assert table.equals(gates_compact(r).set_index(L.READY["col_gate"]))
    assert table.loc["Nilai total", "WBK"] == f"✗ −{n2(75 - r.total)}"


def test_the_table_editor_path_checks_and_saves_through_the_service(temp_db):
    """What the page's table editor sends (field code -> text as typed) is checked and saved by
    the service; bad text changes nothing."""
    from zi_dashboard.app import service

    bad = service.check_assessment_values({"R1": "2,5", "IPAK": "4,5", "IPKP": "tiga"})
    assert not bad.valid and [p.code for p in bad.problems] == ["assess_out_of_range", "assess_not_number"]
    assert service.assessment_in_use().stored is None
    good = service.check_assessment_values({"R1": "2,5", "R2": "", "IPAK": "3,6", "IPKP": None, "KINERJA": "4"})
    saved = service.save_assessment(good, EDITOR, L.ASSESS["source_editor"])
    in_use = service.assessment_in_use()
    assert in_use.ident == saved.id and in_use.assessment.reform == {"1": 2.5} and in_use.assessment.ipak == 3.6
    # the template comes back filled with the values in use
    wb = openpyxl.load_workbook(io.BytesIO(service.assessment_template()))
    filled = {row[0].value: row[2].value for row in wb.active.iter_rows(min_row=5)}
    assert filled["R1"] == 2.5 and filled["IPAK"] == 3.6 and filled["KINERJA"] == 4 and filled["R2"] is None


def test_a_stored_value_over_its_maximum_shows_the_problem_and_the_way_to_fix_it(temp_db):
    """Stores made before the no-tolerance rule may hold IPAK 4,0000000000000009: Kesiapan does
    not raise (the what-if inputs are bounded by the maximum), says what is wrong and how to fix
    it, counts the maximum, and the self-assessment tab is drawn so that an editor can save a
    corrected one."""
    open_store(temp_db).save_assessment(
        '{"IPAK": 4.000000000000001, "KINERJA": 5.0000000001, "R1": 2}', "penilaian.xlsx", "Ketua"
    )
    at = app()
    assert L.ASSESS["stored_bad_short"].format(id=1, n=2) in text(at)
    assert at.text_input(key="whatif_ipak").value == "4,00" and at.text_input(key="whatif_kinerja").value == "5,00"
    r = core(Assessment({"1": 2.0}, {}, 4.0, None, 5.0))
    assert f">{n2(r.total)}<" in cards(at)
    # the self-assessment tab: the problems, and (for a viewer) the values in use
    frames = [d.value for d in at.dataframe]
    assert any(L.COL["message"] in f.columns and f[L.COL["message"]].str.contains("IPAK").any() for f in frames)
    assert any(L.ASSESS["col_code"] in f.columns for f in frames)
    # an editor sees the table editor and fixes it with a sheet at the maximum
    at = login(at)
    assert not at.exception, [e.value for e in at.exception]
    assert [b for b in at.button if b.key == "assess_save"]
    at.file_uploader(key="assess_upload_0").set_value(
        ("penilaian.xlsx", sheet({"R1": 2, "IPAK": 4, "KINERJA": 5}), XLSX)
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert open_store(temp_db).latest_assessment().id == 2
    assert L.ASSESS["stored_bad_short"].split("(")[0] not in text(at)


def test_a_sheet_a_hair_over_the_maximum_is_refused_on_the_page(temp_db):
    at = login(app())
    at.file_uploader(key="assess_upload_0").set_value(
        ("penilaian.xlsx", sheet({"IPAK": 4.0000000000000009}), XLSX)
    ).run()
    assert not at.exception
    assert L.ASSESS["invalid"].format(n=1) in text(at)
    assert open_store(temp_db).latest_assessment() is None


def test_what_if_starts_from_the_assessment_just_saved(temp_db):
    """The what-if drawn before a save (at 0) starts from the saved values in
    the same session, total unchanged (was 0,00 and "−35,50 poin" until a new session)."""
    at = login(app())
    assert at.text_input(key="whatif_ipak").value == "0,00"  # nothing saved yet
    at.text_input(key="whatif_kinerja").set_value("1").run()  # typed against the empty one
    at.file_uploader(key="assess_upload_0").set_value(
        ("penilaian.xlsx", sheet({"R1": 3, "R5": "6,5", "IPAK": "3,7", "IPKP": 3.4, "KINERJA": 4}), XLSX)
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert open_store(temp_db).latest_assessment() is not None
    shown = {k: at.text_input(key=f"whatif_{k}").value for k in ("ipak", "ipkp", "kinerja")}
    assert shown == {"ipak": "3,70", "ipkp": "3,40", "kinerja": "4,00"}  # a decimal comma (was "3.70")
    r = core(Assessment({"1": 3.0, "5": 6.5}, {}, 3.7, 3.4, 4.0))
    (info,) = [i.value for i in at.info if i.value.startswith(L.READY["whatif_result"].split("{")[0])]
    assert f"total {n2(r.total)} (±{n2(0)} poin)" in info


# --- the self-assessment table editor: what the browser sends is checked before it is applied ---
def _send_editor_state(at, state: dict) -> None:
    send_table_state(at, "assess_editor", state)


def test_an_edit_typed_in_the_table_is_checked_and_saved(temp_db):
    at = login(app())
    _send_editor_state(at, {"edited_rows": {"6": {L.ASSESS["col_value"]: "3,5"}}, "added_rows": [], "deleted_rows": []})
    at.button(key="assess_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert open_store(temp_db).latest_assessment().values == '{"IPAK": 3.5}'
    # a hair over the maximum, typed, is refused
    at = login(app())
    _send_editor_state(at, {"edited_rows": {"6": {L.ASSESS["col_value"]: "4,0000000001"}}})
    at.button(key="assess_save").click().run()
    assert L.ASSESS["invalid"].format(n=1) in text(at)
    assert [a.id for a in open_store(temp_db).assessments()] == [1]


def test_a_forged_table_edit_is_refused_by_its_size_and_changes_nothing(temp_db):
    """200,000 forged "added rows" (Streamlit adds them one at a time, at a cost growing with
    the table: hours) are refused before they are applied, with a message; nothing is stored and
    the table is drawn as it was (saving it then saves the values as they were)."""
    at = login(app())
    row = {L.ASSESS["col_code"]: "X", L.ASSESS["col_value"]: "1"}
    _send_editor_state(at, {"edited_rows": {}, "added_rows": [row] * 200_000, "deleted_rows": []})
    assert not at.exception, [e.value for e in at.exception]
    assert L.msg("editor_too_big", added=200_000, edited=0, deleted=0, limit=9) in text(at)
    assert open_store(temp_db).latest_assessment() is None
    # saving now saves the table as it was (nothing of the forged edit applied)
    at.button(key="assess_save").click().run()
    assert not at.exception and open_store(temp_db).latest_assessment().values == "{}"
    for forged in (
        {"edited_rows": {str(i): {L.ASSESS["col_value"]: "1"} for i in range(200_000)}},
        {"deleted_rows": list(range(200_000))},
        {"edited_rows": {"0": {L.ASSESS["col_code"]: "IPAK"}}},  # a column that is not to be edited
        {"edited_rows": {"6": {L.ASSESS["col_value"]: "4" * 10_000}}},
    ):
        at = login(app())
        _send_editor_state(at, forged)
        assert not at.exception, [e.value for e in at.exception]
        assert "Perubahan tabel ditolak" in text(at)
        at.button(key="assess_save").click().run()
        assert not at.exception and open_store(temp_db).latest_assessment().values == "{}"


def test_editor_state_limits_at_their_edges():
    from zi_dashboard.app.ui.table_input import editor_state_problem

    v = L.ASSESS["col_value"]
    assert editor_state_problem(None, 9, [v], 9) is None
    assert (
        editor_state_problem(
            {"edited_rows": {i: {v: "1"} for i in range(9)}, "added_rows": [], "deleted_rows": []}, 9, [v], 9
        )
        is None
    )
    assert editor_state_problem({"edited_rows": {9: {v: "1"}}}, 9, [v], 9)  # no row 10
    assert editor_state_problem({"added_rows": [{v: "1"}]}, 9, [v], 9)  # fixed rows
    assert editor_state_problem({"added_rows": [{v: "1"}]}, 9, [v], 10) is None  # room for one more
    assert editor_state_problem({"deleted_rows": [True]}, 9, [v], 9)
    assert editor_state_problem({"edited_rows": {0: {v: ["a"]}}}, 9, [v], 9)
    assert editor_state_problem("teks", 9, [v], 9)
