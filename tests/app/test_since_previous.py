"""One rule for the change since the previous upload (each upload counted at its
own position date) and one sentence, on Ringkasan, Mode rapat (views 1 and 6), the HTML report and
the Excel pack; the figures do not move with the as-of date chosen."""

import io
import re
from datetime import date

import openpyxl
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_history_page import store_two

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute


def _expected(store, first, second):
    """What the October meeting saw (25 Oktober) against what the November one sees (15 November)."""
    plan = store.parsed_plan(store.snapshot(first).plan_id)
    before = compute(plan, store.rows(first), date(2025, 10, 25))
    after = compute(plan, store.rows(second), date(2025, 11, 15))
    want = [L.fmt_signed_pct(after.overall_completion - before.overall_completion)]
    want += [L.fmt_signed_count(after.status_counts[s] - before.status_counts[s]) for s in L.STATUS_ORDER]
    note = L.SINCE_PREVIOUS["note"].format(id=first, file="rapat-1.xlsx", date="25 Oktober 2025")
    return want, note, before, after


def _captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]  # as drawn: Markdown's escapes gone


def _card_deltas(markup: str) -> list[str]:
    return re.findall(r"class='zi-delta'[^>]*>([^<]*)<", markup)


def test_every_output_gives_the_same_change_and_sentence(temp_db):
    from zi_dashboard.app import service

    store, (first, second) = store_two(temp_db)
    want, note, before, after = _expected(store, first, second)
    assert want[1:] != ["±0"] * len(L.STATUS_ORDER)  # statuses moved between the two meetings
    # Ringkasan
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    (block,) = [m.value for m in at.markdown if "<div class='zi-kpis'>" in m.value]
    assert _card_deltas(block) == want
    assert note in _captions(at)
    # Mode rapat, view 1 (the cards) and view 6 (the rows that moved)
    at.switch_page("pages/rapat.py").run()
    (block,) = [m.value for m in at.markdown if "<div class='zi-kpis'>" in m.value]
    assert _card_deltas(block) == want and note in _captions(at)
    for _ in range(5):
        at.button(key="meeting-next").click().run()
    assert at.header[0].value == L.MEETING_VIEWS["changes"]
    assert note in _captions(at)
    table = at.table[0].value
    assert table.loc["2.1", L.DIFF["change"]] == L.fmt_signed_pct(45 - 20)
    status_after = after.indicators.set_index("code")["status"]
    assert all(table.loc[code, L.DIFF["status_after"]] == status_after[code] for code in table.index)
    # the HTML report and the Excel pack, at the as-of date of the data and at a later one: the
    # change since the previous upload does not depend on the date chosen
    for as_of in (date(2025, 11, 15), date(2025, 12, 20)):
        ctx = service.context_for(as_of)
        page = service.pack("html", ctx).decode("utf-8")
        report = re.findall(r"<span class='delta'[^>]*>([^<]*)</span>", page)
        assert [t.replace("&#x27;", "'") for t in report] == want, as_of
        assert page.count(note) == 2  # under the cards and above the rows that moved
        wb = openpyxl.load_workbook(io.BytesIO(service.pack("xlsx", ctx)))
        ws = wb[L.REPORT["sheet_summary"]]
        cells = [[c.value for c in row] for row in ws.iter_rows()]
        header = next(i for i, row in enumerate(cells) if row[0] == L.REPORT["figure"])
        col = cells[header].index(L.SINCE_PREVIOUS["column"])
        shown = [row[col] for row in cells[header + 1 : header + 3 + len(L.STATUS_ORDER)]]
        assert shown[:1] + shown[2:] == want and shown[1] in (None, "")
        assert note in [row[0] for row in cells[:header]]
        changes = [[c.value for c in row] for row in wb[L.REPORT["sheet_changes"]].iter_rows()]
        assert note in [row[0] for row in changes]


def test_previous_upload_is_the_one_before_by_position_date():
    from types import SimpleNamespace as S

    from zi_dashboard.counting.history import previous_upload

    at = date(2025, 12, 1)
    october, november, late_october = (
        S(id=1, position_date=date(2025, 10, 31), uploaded_at=at),
        S(id=2, position_date=date(2025, 11, 30), uploaded_at=at),
        S(id=3, position_date=date(2025, 10, 15), uploaded_at=at),
    )
    uploads = [october, november, late_october]
    assert previous_upload(uploads, november) is october  # not #3, stored later but describing earlier
    assert previous_upload(uploads, october) is late_october
    assert previous_upload(uploads, late_october) is None


def test_unggah_preview_shows_what_ringkasan_will_show_once_saved(temp_db):
    """The check screen's "what saving changes" follows the same rule: the data in use at its
    own date (25 Oktober) against the file at the date it states (15 November), whatever the
    as-of date chosen (here 20 Desember, when most rows are Terlambat)."""
    from test_history_page import filled

    from zi_dashboard.app import service

    first = filled({"1.1": 100, "1.2": 50}, 20, date(2025, 10, 25))
    second = filled({"1.1": 100, "1.2": 100, "2.1": 45}, 40, date(2025, 11, 15))
    service.save_upload(service.check_upload(first, "rapat-1.xlsx"), "Op", date(2025, 10, 25), rights=service.OPERATOR)
    ctx = service.context_for(date(2025, 12, 20))
    check = service.check_upload(second, "rapat-2.xlsx")
    preview, _ = service.upload_changes(ctx, check)
    service.save_upload(check, "Op", date(2025, 11, 15), rights=service.OPERATOR)
    found = service.since_previous(service.current_dataset())
    assert found is not None
    saved = found[0].moved()
    assert preview.reset_index(drop=True).equals(saved.reset_index(drop=True))
    assert (saved["status_before"] != saved["status_after"]).any()  # statuses moved with the dates
