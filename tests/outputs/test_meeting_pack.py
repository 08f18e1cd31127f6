"""The meeting pack: the HTML report (numbers, offline, printing) and the Excel pack."""

import io
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pytest
from conftest import ROOT

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import compute
from zi_dashboard.outputs import meeting_pack
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress

AS_OF = date(2025, 11, 15)
SECTIONS = ["ringkasan", "komponen", "linimasa", "terlambat", "perubahan", "cara-menghitung"]


@pytest.fixture(scope="module")
def meeting():
    plan = load_plan()
    rows = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan).rows
    earlier = rows.assign(progress=rows["progress"] * 0.5)
    earlier.loc[earlier["code"] == "1.1", "progress"] = 100.0
    return meeting_pack.Meeting(
        compute(plan, rows, AS_OF),
        "contoh.xlsx",
        AS_OF,
        compute(plan, earlier, AS_OF),
        "Dibanding unggahan #1",
        unit=L.UNIT_NAME,
    )


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.kpis, self.sections, self.scripts, self.links, self._kpi, self._in_value = {}, [], [], [], None, False
        self.tables, self._cell, self._row = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        if tag == "script":
            self.scripts.append(a.get("src"))
        if tag in ("link", "img", "iframe"):
            self.links.append(a)
        if "data-kpi" in a:
            self._kpi = a["data-kpi"]
        if a.get("class") == "value" and self._kpi:
            self._in_value = True
            self.kpis[self._kpi] = ""
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self._row = []
            self.tables[-1].append(self._row)
        if tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        if tag == "div" and self._in_value:
            self._in_value = False
            self._kpi = None

    def handle_data(self, data):
        if self._in_value:
            self.kpis[self._kpi] += data
        if self._cell is not None:
            self._cell += data


def test_html_holds_the_cores_numbers_and_nothing_external(meeting):
    page = meeting_pack.build_html(meeting).decode("utf-8")
    p = _Collect()
    p.feed(page)
    assert p.sections == SECTIONS
    r = meeting.result
    assert p.kpis["overall"].split()[0] == L.fmt_pct(r.overall_completion)
    assert L.fmt_signed_pct(r.overall_completion - meeting.previous.overall_completion) in p.kpis["overall"]
    for status in L.STATUS_ORDER:
        assert p.kpis[status].split()[0] == str(r.status_counts[status])
    components = [t for t in p.tables if t and t[0][:2] == ["Kode", "Komponen"]][0]
    assert [row[2] for row in components[1:]] == [L.fmt_pct(v) for v in r.components["completion"]]
    overdue = [t for t in p.tables if t and "Hari Terlambat" in t[0]][0]
    assert [row[0] for row in overdue[1:]] == list(r.overdue["code"]) == ["1.2"]
    assert overdue[1][overdue[0].index("PIC")] == r.overdue["pic"].iloc[0]
    assert L.UNIT_NAME in page and "15 November 2025" in page.split("</title>")[0]
    # self-contained: plotly.js inside, no external script, stylesheet, font or image
    assert p.scripts and all(src is None for src in p.scripts)
    assert p.links == [] and "@import" not in page and "fonts.googleapis" not in page
    markup = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert not re.search(r"(src|href|url)\s*[=(]\s*[\x27\"]?https?:", markup)
    assert len(page) > 3_000_000  # the plotly.js bundle is inline


@pytest.mark.browser
def test_html_opens_offline_draws_every_chart_and_prints_to_a4_landscape(meeting, hostile, tmp_path):
    from playwright.sync_api import sync_playwright
    from streamlit_server import CHROMIUM, CHROMIUM_ARGS

    path = tmp_path / "laporan.html"
    path.write_bytes(meeting_pack.build_html(meeting))
    (tmp_path / "panjang.html").write_bytes(meeting_pack.build_html(hostile))
    asked = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ctx = browser.new_context()
        ctx.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (asked.append(route.request.url), route.abort())
            ),
        )
        page = ctx.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=30000)
        plots = page.evaluate("document.querySelectorAll('.js-plotly-plot').length")
        bars = page.evaluate("document.querySelectorAll('.js-plotly-plot .trace.bars').length")
        labels = page.evaluate("""[...document.querySelectorAll('#linimasa .ytick text')].map(t => {
            const b = t.getBoundingClientRect();
            return {text: t.textContent, top: b.top, bottom: b.bottom, lines: t.querySelectorAll('tspan.line').length,
                    size: parseFloat(getComputedStyle(t).fontSize)}; })""")
        pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
        # a name too long for one line is shortened; its full text, as typed, is the label's tooltip
        page.goto((tmp_path / "panjang.html").as_uri())
        page.wait_for_function("document.querySelectorAll('#linimasa .ytick text title').length >= 1", timeout=30000)
        tips = page.evaluate("""[...document.querySelectorAll('#linimasa .ytick text')].filter(t =>
            t.querySelector('title')).map(t => [[...t.childNodes].filter(n => n.nodeName !== 'title')
                .map(n => n.textContent).join(''), t.querySelector('title').textContent])""")
        links = page.evaluate("document.querySelectorAll('#linimasa a').length")
        browser.close()
    assert asked == []  # nothing reached for the network
    assert plots == 2 and bars >= 2
    # the timeline's row labels: one line each, 12 px, none overlapping the next (31 rows on one page)
    assert len(labels) == len(meeting.result.indicators) + len(meeting.result.components)
    assert all(lab["lines"] == 0 and lab["size"] >= 12 for lab in labels)
    labels.sort(key=lambda lab: lab["top"])
    assert all(a["bottom"] <= b["top"] + 0.5 for a, b in zip(labels, labels[1:], strict=False)), labels
    assert [full for short, full in tips if short.startswith("2. ")] == ["2. " + LINK_NAME], tips
    assert all(short.endswith("…") and len(short) <= 44 for short, full in tips) and links == 0
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape
    assert abs(float(boxes[0][0]) - 841.89) < 2 and abs(float(boxes[0][1]) - 595.28) < 2  # A4
    # every section starts a page and none is split: one page per section
    assert len(pages) == len(SECTIONS)


def test_excel_pack_sheets_rows_and_values(meeting):
    wb = openpyxl.load_workbook(io.BytesIO(meeting_pack.build_xlsx(meeting)))
    r = meeting.result
    comps = wb.sheetnames[1:-3]
    assert wb.sheetnames[0] == "Ringkasan" and wb.sheetnames[-3:] == ["Terlambat", "Semua Data", "Perubahan"]
    # short, whole names: the component's first words up to Excel's 31 characters, never a cut word
    assert "4 Penguatan Akuntabilitas" in comps and "6 Peningkatan Kualitas" in comps
    for sheet, c, n in zip(comps, r.components["code"], r.components["name"], strict=True):
        full = f"{c} {n}"
        assert len(sheet) <= 31 and full.startswith(sheet) and (sheet == full or full[len(sheet)] == " ")

    def table(ws):
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if row and row[0] in ("Kode", L.REPORT["figure"]):
                header = list(row)
                body = []
                for data in ws.iter_rows(min_row=i + 1, values_only=True):
                    if data[0] in (None, ""):
                        break
                    body.append(dict(zip(header, data, strict=False)))
                return header, body
        raise AssertionError(f"no table in {ws.title}")

    _, summary = table(wb["Ringkasan"])
    values = {row[L.REPORT["figure"]]: row[L.REPORT["value"]] for row in summary}
    # one convention on every sheet: a percentage is a fraction shown with a percent format
    assert values[L.UI["overall"]] == pytest.approx(round(r.overall_completion, 1) / 100)
    assert values[L.UI["planned"] + " (%)"] == pytest.approx(round(r.overall_planned, 1) / 100)
    percent_cells = [c for c in wb["Ringkasan"]["B"] if isinstance(c.value, float) and c.value <= 1]
    assert len(percent_cells) >= 2 and all(c.number_format == "0.0%" for c in percent_cells[:2])
    assert all(values[s] == r.status_counts[s] for s in L.STATUS_ORDER)
    assert "15 November 2025" in wb["Ringkasan"].oddHeader.center.text
    for sheet, code in zip(comps, r.components["code"], strict=False):
        _, body = table(wb[sheet])
        assert [row["Kode"] for row in body] == list(r.indicators.loc[r.indicators["component_code"] == code, "code"])
    _, all_rows = table(wb["Semua Data"])
    assert len(all_rows) == 25
    first = all_rows[0]
    assert first["Progres (%)"] == pytest.approx(r.indicators["progress"].iloc[0] / 100)
    ws = wb["Semua Data"]
    assert ws.freeze_panes and ws.page_setup.orientation == "landscape"
    status_col = [c.value for c in ws[ws.freeze_panes[1:] and int(ws.freeze_panes[1:]) - 1]].index("Status") + 1
    fills = {ws.cell(int(ws.freeze_panes[1:]) + i, status_col).fill.fgColor.rgb[-6:] for i in range(25)}
    assert fills <= {c.lstrip("#").upper() for c in L.STATUS_COLORS.values()}
    _, overdue = table(wb["Terlambat"])
    assert [row["Kode"] for row in overdue] == list(r.overdue["code"])
    _, changes = table(wb["Perubahan"])
    moved = {row["Kode"]: row for row in changes}
    assert "1.1" not in moved and moved["2.1"][L.DIFF["change"]] == pytest.approx(20.0)


@pytest.mark.slow  # CLI processes
def test_cli_report_writes_both_formats(temp_db, tmp_path):
    import os

    env = dict(os.environ, ZI_DATABASE_URL=temp_db)
    for name in ("laporan.html", "paket.xlsx"):
        out = tmp_path / name
        p = subprocess.run(
            [sys.executable, "-m", "zi_dashboard", "report", "--as-of", "2025-11-15", "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert p.returncode == 0, p.stderr
        assert out.stat().st_size > 5000
    assert "Data contoh" in (tmp_path / "laporan.html").read_text(encoding="utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", "report", "--out", str(tmp_path / "x.txt")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr


# --- text from a hostile plan or file -----------------------------------------------------
FORMULA_NAME = '=HYPERLINK("http://evil.example/x","klik")'
LINK_NAME = 'Tata/laksana: [uji]*? <a href="https://evil.example/c">tautan</a>'
LINK_PIC = '<a href="https://evil.example/p">PIC</a>'
STYLED = '<span style="color:red;font-size:40px">merah</span>'
SOURCE = "progres\x07\x1b[31m:*?[].xlsx"  # a stored file name from before names were cleaned


@pytest.fixture(scope="module")
def hostile():
    from zi_dashboard.reading.plan import BUNDLED_PLAN, read_plan

    text = BUNDLED_PLAN.read_bytes().decode("utf-8-sig")
    for old, new in (
        ("Manajemen Perubahan", FORMULA_NAME),
        ("Penataan Tatalaksana", LINK_NAME),
        ("Penguatan Pengawasan", STYLED),
    ):
        text = text.replace(f";{old};", ';"' + new.replace('"', '""') + '";')
    plan = read_plan(text.encode("utf-8"), "rencana.csv")
    assert FORMULA_NAME in set(plan.components["component"]) and LINK_NAME in set(plan.components["component"])
    rows = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan).rows.copy()
    rows["pic"] = LINK_PIC
    rows.loc[rows.index[:3], "pic"] = STYLED
    rows["activity"] = STYLED
    earlier = rows.assign(progress=rows["progress"] * 0.5)
    return meeting_pack.Meeting(
        compute(plan, rows, AS_OF),
        SOURCE,
        AS_OF,
        compute(plan, earlier, AS_OF),
        "Dibanding unggahan #1 " + SOURCE,
        unit=L.UNIT_NAME,
    )


def _no_markup_from_data(text: str) -> None:
    for raw in ("<a href", "<a ", "<span style"):
        assert raw not in text, raw


def test_chart_texts_from_data_are_text(hostile):
    import json

    from zi_dashboard.outputs import charts

    figs = [
        charts.component_chart(hostile.result),
        charts.status_chart(hostile.result),
        charts.timeline_chart(hostile.result),
        charts.timeline_chart(hostile.result, "2", compact=True),
    ]
    for fig in figs:
        _no_markup_from_data(fig.to_json())
    timeline = json.loads(figs[2].to_json())
    hover = " ".join(" ".join(t.get("hovertext") or []) for t in timeline["data"])
    assert 'PIC: &lt;a href="https://evil.example/p"&gt;PIC&lt;/a&gt;' in hover  # shown as typed
    assert "&lt;span style=" in hover
    ticks = " ".join(map(str, timeline["layout"]["yaxis"]["categoryarray"])).replace("<br>", " ")  # wrapped
    assert "&lt;a href=" in ticks and "<b>" in ticks  # our own bold headings stay
    assert any("tautan&lt;/a&gt;" in str(y) for y in json.loads(figs[0].to_json())["data"][0]["y"])


def test_report_html_shows_data_markup_as_text(hostile):
    page = meeting_pack.build_html(hostile).decode("utf-8")
    body = page.split("</head>", 1)[1]  # plotly.js itself (in the head) is full of markup
    # the figures' JSON escapes < and > as \u003c/\u003e: read it as the browser will
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), body).replace('\\"', '"')
    assert "Plotly.newPlot" in decoded
    _no_markup_from_data(decoded)
    assert 'PIC: &lt;a href="https://evil.example/p"&gt;' in decoded  # the PIC shows as typed, in the hover


def test_excel_pack_writes_data_as_text_with_valid_sheet_titles(hostile):
    wb = openpyxl.load_workbook(io.BytesIO(meeting_pack.build_xlsx(hostile)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    summary = [c for c in cells if c.parent.title == "Ringkasan" and c.value == FORMULA_NAME]
    assert summary and all(c.data_type == "s" for c in summary)
    titles = wb.sheetnames
    assert len(titles) == len({t.lower() for t in titles}) == 4 + len(hostile.result.components)
    for t in titles:
        assert 0 < len(t) <= 31 and not set(t) & set("[]:*?/\\") and t[0] != "'" and t[-1] != "'", t
        assert all(ord(ch) >= 32 for ch in t)
    assert any("HYPERLINK" in t for t in titles) and any("Tata" in t and "laksana" in t for t in titles)
    first = [c.value for c in wb["Ringkasan"]["A"][:3] if c.value]
    assert any("progres" in str(v) and "\x07" not in str(v) for v in first)  # control characters dropped


def test_sheet_titles_valid_and_unique():
    from zi_dashboard.outputs.exports import sheet_title

    taken = []
    for name in [
        "Ringkasan",
        "ringkasan",
        "a/b:c*d?e[f]g\\h",
        "'kutip'",
        "x" * 40,
        "x" * 40,
        "",
        "History",
        "\x01\x02",
    ]:
        taken.append(sheet_title(name, taken))
    assert taken == [
        "Ringkasan",
        "ringkasan (2)",
        "a b c d e f g h",
        "kutip",
        "x" * 31,
        "x" * 27 + " (2)",
        "Lembar",
        "History 1",
        "Lembar (2)",
    ]


def test_template_writes_plan_names_as_text(hostile):
    from zi_dashboard.outputs.template import build_template
    from zi_dashboard.reading.plan import BUNDLED_PLAN, BUNDLED_UNIT, read_plan

    quoted = ';"' + FORMULA_NAME.replace('"', '""') + '";'
    text = BUNDLED_PLAN.read_bytes().decode("utf-8-sig").replace(";Manajemen Perubahan;", quoted)
    wb = openpyxl.load_workbook(
        io.BytesIO(build_template(read_plan(text.encode("utf-8"), "rencana.csv"), BUNDLED_UNIT))
    )
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
