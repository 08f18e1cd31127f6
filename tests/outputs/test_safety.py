"""What the dashboard shows and exports of hostile text: links only when http(s), names and
notes as text (never HTML or Markdown), exports with formulas neutralised."""

import io
from datetime import date

import openpyxl
import pandas as pd
from conftest import ROOT, login
from streamlit.testing.v1 import AppTest

from zi_dashboard import labels as L
from zi_dashboard.outputs.display import display_table, safe_link
from zi_dashboard.outputs.exports import indicator_table, to_csv_bytes, to_xlsx_bytes
from zi_dashboard.storage.store import open_store

HOSTILE_NAME = "[klik](javascript:alert(1)) **tebal** <b>x</b>.csv"
NOTE = '<img src=x onerror=alert(1)> **tebal** =HYPERLINK("http://x")'


def test_only_http_links_are_links():
    assert safe_link("https://kota-tasikmalaya.kpu.go.id/zi") == "https://kota-tasikmalaya.kpu.go.id/zi"
    assert safe_link(" http://contoh.go.id/a?b=1 ") == "http://contoh.go.id/a?b=1"
    for bad in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "C:\\\\dokumen\\\\bukti.pdf",
        "\\\\\\\\server\\\\share",
        "https://a b",
        'https://x"onmouseover=1',
        "",
    ]:
        assert safe_link(bad) is None, bad


def _hostile_csv() -> bytes:
    lines = ["Kode;Progres (%);Bukti Dukung;Keterangan;PIC"]
    lines.append('1.1;100;javascript:alert(1);"' + NOTE.replace('"', '""') + '";<script>alert(1)</script>')
    lines.append("1.2;50;https://contoh.go.id/bukti;=1+1;@SUM(A1)")
    return "\n".join(lines).encode("utf-8")


def test_hostile_text_is_shown_as_text_and_exported_safely(temp_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/unggah.py").run()
    login(at)
    at.file_uploader[0].set_value((HOSTILE_NAME, _hostile_csv(), "text/csv")).run()
    assert not at.exception
    # the file states no position date: the editor gives it (never today by default)
    [d for d in at.date_input if d.label == L.UI["file_position"]][0].set_value(date(2025, 11, 15))
    at.form_submit_button(key="FormSubmitter:save-Simpan sebagai data yang dipakai").click().run()
    assert not at.exception
    assert open_store(temp_db).current().filename == HOSTILE_NAME.replace("/", "")  # no path separators
    # the flash message shows the name escaped for Markdown: no link, no bold
    (saved,) = [s.value for s in at.success if s.value.startswith("Tersimpan")]
    assert "\\[klik\\]" in saved and "\\*\\*tebal\\*\\*" in saved and "](javascript" not in saved
    # the sidebar and the page header show it escaped for HTML
    html_blocks = [m.value for m in at.markdown if "zi-source" in m.value] + [m.value for m in at.sidebar.markdown]
    assert any("&lt;b&gt;x&lt;b&gt;" in b for b in html_blocks)
    assert not any("<b>x" in b for b in html_blocks)
    # Tabel: the javascript: evidence is not a link; notes are plain cell text
    at.switch_page("pages/tabel.py").run()
    table = at.dataframe[0].value.set_index(L.COL["code"])
    assert pd.isna(table.loc["1.1", "link"]) and table.loc["1.1", L.COL["evidence"]] == "javascript:alert(1)"
    assert table.loc["1.2", "link"] == "https://contoh.go.id/bukti"
    assert table.loc["1.1", L.COL["notes"]] == NOTE


def test_exports_neutralise_formulas_from_files():
    from datetime import date

    from zi_dashboard.counting.metrics import compute
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.progress import read_progress

    plan = load_plan()
    rep = read_progress(_hostile_csv(), "x.csv", plan)
    ind = compute(plan, rep.rows, date(2025, 11, 15)).indicators
    csv_text = to_csv_bytes(indicator_table(ind)).decode("utf-8-sig")
    assert ";'=1+1;" in csv_text or ";'=1+1\r\n" in csv_text
    assert "'@SUM(A1)" in csv_text
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(indicator_table(ind), "T")))
    cells = [c for row in wb.active.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=@+-"]
    assert cells and all(c.data_type == "s" for c in cells)  # stored as text, never as formulas
    assert pd.isna(display_table(ind)["link"].iloc[0])


def test_a_lone_dash_is_no_formula_and_filtered_downloads_say_what_they_hold():
    frame = pd.DataFrame({"Keterangan": ["-", "--", "+", "-1+2", "=A1", "- belum"], "n": [1, 2, 3, 4, 5, 6]})
    lines = (
        to_csv_bytes(frame, ["Tabel", "Filter: Status = Terlambat", "Posisi data: 15 November 2025"])
        .decode("utf-8-sig")
        .split("\r\n")
    )
    assert lines[:4] == ["Tabel", "Filter: Status = Terlambat", "Posisi data: 15 November 2025", ""]
    assert lines[5:11] == ["-;1", "--;2", "+;3", "'-1+2;4", "'=A1;5", "'- belum;6"]
