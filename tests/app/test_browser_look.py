"""How the app looks in headless Chromium, measured at every size: no page wider than the screen
and no English left, headline cards that line up, whole timeline labels, Streamlit's own words in
Indonesian, the S-curve, Mode rapat's slides on a screen and on a phone, every column on a phone,
/provinsi with one unit.  Its own server, started the way tests/app/test_browser.py starts one
(the same fixtures and helpers).

    python -m pytest tests/app/test_browser_look.py -q
"""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
import test_browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from streamlit_server import NEXT_PAINT, eventually, settle
from test_browser import (
    ALL_SIZES,
    ENGLISH,
    IDLE,
    PAGES,
    PLOT,
    PLOT_DRAWN,
    SHOTS,
    SIZES,
    WIDE_ENOUGH,
    _english,
    _filled,
    _too_wide,
    _visible_text,
    filled_template,
    full_screenshot,
    log_in,
    open_page,
    sidebar,
    upload,
)

pytestmark = pytest.mark.browser
# the same server, database and page as test_browser.py, started again for this module
db_url = test_browser.db_url
server = test_browser.server
page = test_browser.page


def test_no_page_is_wider_than_the_screen_and_no_english_shows(server, browser):
    """Every page at the three sizes: nothing runs off the right edge (no sideways scrolling of
    the page), and none of Streamlit's English words shows; the screenshots for the record."""
    for width, height in ALL_SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        ctx.set_default_timeout(30_000)
        page = ctx.new_page()
        try:
            for stem, path, title in PAGES:
                where = f"{stem} at {width}x{height}"
                open_page(page, server, path, title)
                if stem in ("ringkasan", "riwayat") and page.locator(PLOT).count():
                    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
                wide = eventually(page, _too_wide)
                assert wide is None, f"{where}: too wide {wide}"
                found = eventually(page, _english)
                assert not found, f"{where}: English on the page: {found}"
                full_screenshot(page, SHOTS / f"{stem}-{width}x{height}.png")
        finally:
            ctx.close()


def _box(page, selector: str) -> list[dict]:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
        .map(e => { const r = e.getBoundingClientRect();
                    return {x: r.left, y: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height,
                            sw: e.scrollWidth, cw: e.clientWidth, text: e.textContent,
                            font: parseFloat(getComputedStyle(e).fontSize)}; })""",
        selector,
    )


def test_headline_cards_line_up_and_fit(server, browser):
    """The cards at each size: every label on one line and whole, the figures of one row of
    cards on one baseline, every card within the screen."""
    for width, height in ALL_SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        try:
            open_page(page, server, "/", "Ringkasan")
            page.locator(".zi-kpi-value").nth(5).wait_for()  # the heading can come a moment before the cards
            cards, labels, values = (_box(page, s) for s in (".zi-kpi", ".zi-kpi-label", ".zi-kpi-value"))
            assert len(cards) == 6 and len(labels) == 6 and len(values) == 6
            for c in cards:
                assert c["r"] <= width, f"{width}: a card runs off the screen: {c}"
            for lab in labels:
                assert lab["sw"] <= lab["cw"] + 1, f"{width}: label cut: {lab['text']!r}"
                assert lab["h"] < lab["font"] * 1.6, f"{width}: label on two lines: {lab['text']!r}"
            rows: dict[int, list[dict]] = {}
            for card, value in zip(cards, values, strict=True):
                rows.setdefault(round(card["y"]), []).append(value)
            for row in rows.values():
                tops = {round(v["y"]) for v in row}
                assert max(tops) - min(tops) <= 1, f"{width}: figures at different heights {tops}"
            if width == 1366:
                assert len(rows) == 2 and all(len(r) == 3 for r in rows.values())  # 3 + 3, even
        finally:
            ctx.close()


def test_readiness_cards_whole_at_every_size(server, browser):
    """Kesiapan's seven cards: every label and figure whole at 1920, 1366 (with the sidebar:
    the five figures in one row, the two predicates in the next), a 1280 laptop and a phone."""
    for width, height in [*ALL_SIZES, (1280, 800)]:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        try:
            open_page(page, server, "/kesiapan", "Kesiapan")
            page.locator(".zi-ready-kpis .zi-kpi-value").nth(6).wait_for()
            page.evaluate(NEXT_PAINT)
            cards = _box(page, ".zi-ready-kpis .zi-kpi")
            parts = _box(page, ".zi-ready-kpis .zi-kpi-label") + _box(page, ".zi-ready-kpis .zi-kpi-value")
            assert len(cards) == 7 and len(parts) == 14
            for p in parts:
                assert p["sw"] <= p["cw"] + 1, f"{width}: cut: {p['text']!r} ({p['sw']} > {p['cw']})"
            for c in cards:
                assert c["r"] <= width, f"{width}: a card runs off the screen: {c}"
            if width == 1366:
                rows = sorted({round(c["y"]) for c in cards})
                assert [sum(round(c["y"]) == y for c in cards) for y in rows] == [5, 2]
        finally:
            ctx.close()


def test_component_drilldown_is_drawn_when_opened(server, page):
    """Ringkasan's "look into one component": closed, no table is in the page (its code would load
    beside the charts); a click opens it with the first component's indicators."""
    open_page(page, server, "/", "Ringkasan")
    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
    table = page.locator('[data-testid="stDataFrame"]')
    assert table.count() == 0
    page.get_by_text("Lihat indikator satu komponen").click()
    table.first.wait_for(state="visible")
    first = page.locator('[data-testid="stExpander"] .zi-card-title').first.text_content()  # the rows (as cards too)
    assert first.startswith("1.1 "), first


AS_OF_LINE = """() => {
    // the dashed as-of line (the only dashed shape) and the texts it could run through
    const plot = document.querySelector('.js-plotly-plot');
    const line = [...plot.querySelectorAll('.shapelayer path')].find(p => (p.style.strokeDasharray || '') !== '');
    const lr = line.getBoundingClientRect();
    const texts = [...plot.querySelectorAll('.annotation-text, .bartext, .ytick text')].map(t => {
        const r = t.getBoundingClientRect(); return {x: r.left, r: r.right, y: r.top, b: r.bottom, t: t.textContent};
    });
    const svg = plot.querySelector('.main-svg').getBoundingClientRect();
    return {lineX: lr.left + lr.width / 2, top: lr.top, bottom: lr.bottom, texts: texts,
            svg: {x: svg.left, r: svg.right}};
}"""


def test_timeline_labels_are_whole_and_uncrossed(server, browser):
    """Linimasa at 1920 and 1366: no row name cut short, no % label crossed by the as-of
    line, nothing outside the chart; at 390 the Gantt gives way to a list within the screen."""
    for width, height in ALL_SIZES:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        try:
            open_page(page, server, "/linimasa", "Linimasa")
            if width < 700:
                assert not page.locator(".st-key-zi-gantt").is_visible()
                rows = _box(page, ".zi-tl-row")
                assert len(rows) == 25 and all(r["r"] <= width for r in rows)
                assert all(b["w"] > 150 for b in _box(page, ".zi-tl-bar")), "bars are slivers"
                continue
            assert not page.locator(".zi-tl-list").is_visible()
            page.locator(PLOT_DRAWN).first.wait_for(state="visible")
            m = page.evaluate(AS_OF_LINE)
            names = [t["t"] for t in m["texts"] if re.match(r"^\d\.\d", t["t"])]
            assert names and not any("…" in n for n in names), names
            assert any("Kompetensi" in t["t"] for t in m["texts"])  # 3.3's name in full (its 2nd line)
            for t in m["texts"]:
                assert t["x"] >= m["svg"]["x"] - 1 and t["r"] <= m["svg"]["r"] + 1, f"{width}: text outside: {t}"
                if t["t"].endswith("%") and t["b"] > m["top"] and t["y"] < m["bottom"]:
                    assert not (t["x"] - 2 <= m["lineX"] <= t["r"] + 2), f"{width}: the line crosses {t}"
        finally:
            ctx.close()


def test_date_picker_status_filter_and_chart_toolbar_speak_indonesian(server, page):
    open_page(page, server, "/tabel", "Tabel")
    cal = page.locator('[data-testid="stDateInputCalendar"]')
    for _ in range(3):  # on a busy machine a click as the field is drawn again may open nothing
        page.locator('[data-testid="stDateInputCalendarButton"]').first.click(force=True)
        try:
            cal.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            settle(page)
    cal.wait_for()
    found = eventually(page, _english)  # until the page has replaced Streamlit's words
    assert not found, found
    text = _visible_text(page)
    assert re.search(r"\bMin\s+Sen\s+Sel\s+Rab\s+Kam\s+Jum\s+Sab\b", cal.inner_text()), cal.inner_text()
    assert "Tombol panah" in text
    page.screenshot(path=str(SHOTS / "kalender-1366x768.png"))
    page.keyboard.press("Escape")
    page.locator('[data-testid="stMultiSelect"]').first.click()
    page.locator('[role="listbox"], [data-baseweb="menu"]').first.wait_for()
    listbox = page.locator('[role="listbox"]').first.inner_text()
    assert "Terlambat" in listbox and "Select all" not in listbox and "Pilih semua" not in listbox
    page.keyboard.press("Escape")
    open_page(page, server, "/", "Ringkasan")
    page.locator(PLOT_DRAWN).first.wait_for(state="visible")
    page.locator(".js-plotly-plot").first.hover()
    page.locator(".js-plotly-plot .modebar-btn").first.wait_for()
    tips = """() => [...document.querySelectorAll('.js-plotly-plot')[0]
        .querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))"""
    buttons = eventually(page, lambda pg: None if (b := pg.evaluate(tips)) == ["Unduh grafik (PNG)"] else b)
    assert buttons is None, buttons  # no zoom or pan, no English tip
    titles = _box(page, ".zi-chart-title")
    plot = _box(page, ".js-plotly-plot")[0]
    assert titles and titles[0]["b"] <= plot["y"] + 1  # the title above the chart, never under its toolbar


STREAMLIT_ENGLISH = (
    "Show/hide columns",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Help for",
    "file upload",
    "day, ",
    "month, ",
    "year, ",
    "dd",
    "mm",
    "yyyy",
    "Decrement",
    "Increment",
)


def _labels(page, selector: str, attribute: str = "aria-label") -> list[str]:
    return page.evaluate(
        "([sel, attr]) => [...document.querySelectorAll(sel)].map(e => e.getAttribute(attr))", [selector, attribute]
    )


def test_table_toolbar_help_labels_upload_and_empty_date_speak_indonesian(server, page, tmp_path):
    """The table toolbar and its tips, the screen-reader labels Streamlit builds
    ("Help for …", "file upload", "day, …") and an empty date field's dd / mm / yyyy."""
    open_page(page, server, "/tabel", "Tabel")
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.locator('[data-testid="stElementToolbar"] button').first.wait_for()
    tools = ["Tampilkan/sembunyikan kolom", "Unduh sebagai CSV", "Cari", "Layar penuh"]
    # the page's translator swaps the labels as the toolbar appears: asked again after each repaint
    toolbar = '[data-testid="stElementToolbar"] button'
    shown = eventually(page, lambda pg: None if (b := _labels(pg, toolbar)) == tools else b)
    assert shown is None, shown
    page.locator('[data-testid="stElementToolbar"] button').first.hover()
    page.get_by_text("Tampilkan/sembunyikan kolom", exact=True).wait_for()  # its tip
    helps = _labels(
        page, '[data-testid="stTooltipIcon"] [aria-label], [aria-label^="Help for"], [aria-label^="Bantuan untuk"]'
    )
    assert "Bantuan untuk Posisi per" in helps and not [h for h in helps if h.startswith("Help for")], helps
    every = _labels(page, "[aria-label]")
    assert not [a for a in every if a and a.startswith(STREAMLIT_ENGLISH)], every
    assert "hari, Posisi per" in every  # the date field's parts, as a screen reader says them
    # an empty date field (a file that states no position date) and the uploader's label
    log_in(page)
    open_page(page, server, "/unggah", "Unggah berkas progres")
    assert "unggah berkas" in _labels(page, '[data-testid="stFileUploaderDropzoneInput"]')
    wb = openpyxl.load_workbook(io.BytesIO(filled_template()))
    wb["Progres"]["C3"] = None
    undated = tmp_path / "progres-tanpa-tanggal.xlsx"
    wb.save(undated)
    upload(page, undated)
    field = page.locator('[data-testid="stDateInput"]').filter(has_text="Tanggal posisi data")
    field.wait_for()

    def date_parts(p) -> str | None:  # what is wrong with the empty field's dd / mm / yyyy, if anything
        text = re.sub(r"\s+", " ", field.inner_text())
        return None if "hh / bb / tttt" in text and "yyyy" not in text else text

    shown = eventually(page, date_parts)
    assert shown is None, shown
    full_screenshot(page, SHOTS / "unggah-tanpa-tanggal-1920x1080.png")


def test_uploader_speaks_indonesian(server, page):
    open_page(page, server, "/unggah", "Unggah berkas progres")
    log_in(page)
    box = page.locator('[data-testid="stFileUploader"]').first
    box.wait_for()
    wrong = eventually(
        page,
        lambda pg: (
            None if "Pilih berkas" in (t := box.inner_text()) and "per berkas" in t and not ENGLISH.findall(t) else t
        ),
    )  # until the page has replaced Streamlit's words
    assert wrong is None, wrong


def test_a_typed_search_box_hints_in_indonesian(server, page):
    """Outside a form, Streamlit hints under a typed field ("Press Enter to apply"): swapped."""
    open_page(page, server, "/tabel", "Tabel")
    page.get_by_role("textbox", name="Cari (kode, indikator, rencana aksi, PIC, keterangan)", exact=True).fill("SOP")
    hint = page.locator('[data-testid="InputInstructions"]').first
    hint.wait_for()
    wrong = eventually(page, lambda pg: None if "Tekan Enter untuk menerapkan" in (t := hint.inner_text()) else t)
    assert wrong is None and not ENGLISH.findall(hint.inner_text()), wrong


def test_s_curve_one_point_per_date_and_readable(server, page, tmp_path):
    """A third upload at the date of the last: one point for that date (the latest upload), the
    months horizontal, every label inside the chart at 1366 and 1920."""
    again = tmp_path / "rapat-kedua-ulang.xlsx"
    again.write_bytes(_filled({"1.1": 100, "2.1": 95}, 65, date(2025, 12, 5)))
    open_page(page, server, "/unggah", "Unggah berkas progres")
    log_in(page)
    upload(page, again)
    page.get_by_role("button", name="Simpan sebagai data yang dipakai").click()
    page.get_by_text("Tersimpan.", exact=False).first.wait_for()
    settle(page)
    for width, height in ALL_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, server, "/riwayat", "Riwayat")
        page.locator(PLOT_DRAWN).first.wait_for(state="visible")
        m = page.evaluate("""() => {
            const plot = document.querySelector('.js-plotly-plot');
            const svg = plot.querySelector('.main-svg').getBoundingClientRect();
            const pts = plot.querySelectorAll('.scatterlayer .trace:last-child .points path').length;
            const ticks = [...plot.querySelectorAll('.xtick text')].map(t => t.getAttribute('transform') || '');
            const labels = [...plot.querySelectorAll('.annotation')].map(a => a.getBoundingClientRect())
                .map(r => ({x: r.left, r: r.right}));
            return {pts, ticks, labels, svg: {x: svg.left, r: svg.right}};
        }""")
        dates = page.evaluate("""() => document.querySelector('.js-plotly-plot').data.at(-1).x.length""")
        assert m["pts"] == dates and dates == len(
            set(page.evaluate("() => document.querySelector('.js-plotly-plot').data.at(-1).x"))
        )
        assert not any("rotate" in t for t in m["ticks"]), m["ticks"]
        assert m["labels"] and all(a["x"] >= m["svg"]["x"] and a["r"] <= m["svg"]["r"] for a in m["labels"])
        full_screenshot(page, SHOTS / f"riwayat-satu-titik-per-tanggal-{width}x{height}.png")


MEETING_FIT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const next = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === %s);
    const r = next.getBoundingClientRect();
    return {scroll: main.scrollHeight, client: main.clientHeight, buttonBottom: r.bottom, buttonFont:
            parseFloat(getComputedStyle(next.querySelector('p') || next).fontSize), inner: window.innerHeight,
            modebar: [...document.querySelectorAll('.modebar')].filter(m => m.offsetParent !== null).length};
}"""


SMALL_TEXT = """() => {
    // every visible text of the page outside the charts (plotly draws in SVG): its size in px
    const w = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
    const out = [];
    while (w.nextNode()) {
        const el = w.currentNode.parentElement, text = w.currentNode.nodeValue.trim();
        if (!text || !el || el.closest('svg, style, script') || !el.getClientRects().length) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 20) out.push([text.slice(0, 40), size]);
    }
    return out;
}"""


def meeting_views(server, browser, width: int, height: int):
    """Mode rapat's six views in turn at this size: yields (view number, page), then moves on."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        page.goto(server + "/?mode=rapat")
        page.wait_for_selector(IDLE)
        settle(page)
        for i in range(1, 7):
            page.get_by_role("heading", level=2).first.wait_for()
            if i == 2:
                page.locator(PLOT_DRAWN).first.wait_for(state="visible")
            settle(page)
            page.evaluate(NEXT_PAINT)
            page.screenshot(path=str(SHOTS / f"rapat-{i}-{width}x{height}.png"))
            yield i, page
            page.get_by_role("button", name="berikutnya ▶").click()
            settle(page)
    finally:
        ctx.close()


def test_meeting_slides_fit_one_screen_with_large_type(server, browser):
    import json

    for width, height in SIZES[:2]:
        for i, page in meeting_views(server, browser, width, height):
            m = page.evaluate(MEETING_FIT % json.dumps("berikutnya ▶"))
            where = f"slide {i} at {width}x{height}: {m}"
            assert m["scroll"] <= m["client"] + 1 and m["buttonBottom"] <= m["inner"], where
            assert m["buttonFont"] >= 20 and m["modebar"] == 0, where
            # no text under 20 px: notes and captions (view 1's note of the change, view 5's
            # and 6's captions), the corner, the lists
            assert page.evaluate(SMALL_TEXT) == [], where
            if i == 1:
                assert min(v["font"] for v in _box(page, ".zi-kpi-value")) >= 56
            if i == 3:
                names = _box(page, ".zi-tl-meeting .zi-tl-name")
                assert len(names) == 25 and min(n["font"] for n in names) >= 20, where
                assert max(n["b"] for n in names) <= m["inner"], where


# --- a phone: every figure whole, every column there ------------------------------------------
PHONE = (390, 844)
CARDS = """() => [...document.querySelectorAll('.zi-cards')].filter(c => c.offsetParent !== null).map(c =>
    [...c.querySelectorAll('.zi-card')].map(k => ({text: k.innerText, right: k.getBoundingClientRect().right})))"""


def _cards_shown(page, check, tables: int = 0) -> list[list[dict]]:
    """The visible card lists once `check(cards)` holds (the page draws its parts in turn), and
    no more than `tables` tables in sight."""
    wrong = eventually(
        page,
        lambda p: (
            None if (g := p.evaluate(CARDS)) and check(g) and _visible_tables(p) <= tables else (g, _visible_tables(p))
        ),
    )
    assert wrong is None, wrong
    return page.evaluate(CARDS)


def _visible_tables(page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
        .filter(t => t.offsetParent !== null && t.getBoundingClientRect().width > 0).length""")


def test_meeting_slides_on_a_phone(server, browser):
    """Mode rapat at 390x844: the corner above the title (never over it), every card's figure
    and label whole, the overdue rows with their days late and PIC, nothing wider than the screen."""
    for i, page in meeting_views(server, browser, *PHONE):
        where = f"view {i} at 390x844"
        title = page.get_by_role("heading", level=2).first
        corner, head = page.locator(".zi-corner").bounding_box(), title.bounding_box()
        assert corner["y"] + corner["height"] <= head["y"] + 1, f"{where}: title under the corner {corner} {head}"
        w = page.evaluate(WIDE_ENOUGH)
        assert w["doc"] <= w["inner"] and w["main"] <= w["mainClient"] + 1, f"{where}: too wide {w}"
        if i == 1:
            for part in (".zi-kpi-value", ".zi-kpi-label"):
                for b in _box(page, part):
                    assert b["sw"] <= b["cw"] + 1 and b["r"] <= PHONE[0], f"{where}: cut {b['text']!r}"
        if i == 4:
            _cards_shown(page, lambda g: all("Hari Terlambat:" in k["text"] and "PIC:" in k["text"] for k in g[0]))


def test_pages_on_a_phone_show_every_column(server, browser):
    """Terlambat, Tabel and Kesiapan's gates at 390x844: each row a card holding every column
    (days late and PIC; the gate's value, thresholds and verdicts), not a table showing two
    columns; Ringkasan's axis title whole."""
    ctx = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]})
    page = ctx.new_page()
    try:
        open_page(page, server, "/terlambat", "Terlambat")
        groups = _cards_shown(page, lambda g: all("Hari Terlambat:" in k["text"] and "PIC:" in k["text"] for k in g[0]))
        assert all(k["right"] <= PHONE[0] for g in groups for k in g)
        full_screenshot(page, SHOTS / "terlambat-kartu-390x844.png")
        open_page(page, server, "/tabel", "Tabel")
        cards = _cards_shown(page, lambda g: len(g[0]) == 25)[0]
        assert all(f"{c}:" in cards[0]["text"] for c in ("Progres (%)", "Status", "PIC", "Batas Akhir")), cards[0]
        open_page(page, server, "/kesiapan", "Kesiapan")
        gates = [k["text"] for k in _cards_shown(page, lambda g: len(g[0]) >= 10, tables=99)[0]]
        assert any("Batas WBBM:" in g and "Kurang WBK:" in g and "WBK:" in g for g in gates), gates
        assert not any("≥ ya" in g for g in gates)
        open_page(page, server, "/", "Ringkasan")
        page.locator(PLOT_DRAWN).first.wait_for(state="visible")
        axis = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(p => {
            const t = p.querySelector('.xtitle'); if (!t) return null;
            const r = t.getBoundingClientRect(); return {text: t.textContent, x: r.left, r: r.right}; })
            .filter(Boolean)""")
        assert any("Jumlah" in a["text"] for a in axis)
        assert all(a["x"] >= 0 and a["r"] <= PHONE[0] for a in axis), axis
    finally:
        ctx.close()


def test_province_address_with_one_unit(server, page):
    """/provinsi with one unit is not Streamlit's English "Page not found"
    dialog but the page saying why (in Indonesian), not in the menu, with a way to Ringkasan."""
    open_page(page, server, "/provinsi", "Semua Satker")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("hanya ada satu", exact=False).wait_for()
    assert "Page not found" not in page.inner_text("body")
    assert not sidebar(page).get_by_role("link", name="Semua Satker").count()
    full_screenshot(page, SHOTS / "provinsi-satu-satker-1920x1080.png")
    main.get_by_role("link", name="Buka Ringkasan").click()
    page.get_by_role("heading", name="Ringkasan", level=1).wait_for()
