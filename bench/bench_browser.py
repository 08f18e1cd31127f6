"""Benchmark: every page of the navigation drawn in a real browser, against a hello-world app.

    python bench/bench_browser.py [--n 3] [--app DIR] [--shots DIR] [--pages ringkasan,kesiapan]

Starts two Streamlit servers on free ports, headless:

  ours   app.py from this repository (or --app DIR), with a temporary database (ZI_DATABASE_URL)
         showing the bundled example data for the home unit, and eight more units with their
         plans and uploads (so Semua Satker lists units); it never touches the real store
  hello  a one-chart app written to a temporary directory:
         st.plotly_chart(px.bar(x=[1, 2, 3], y=[1, 3, 2]))

then, in headless Chromium (/usr/bin/chromium), at 1920x1080 and at 390x844 (a phone),
measures alternately (hello, then each page of ours, N rounds) in a fresh browser context each
time (a new session, nothing cached):

  hello first chart   page.goto -> the first plotly chart drawn (`.js-plotly-plot .main-svg`)
  Ringkasan first chart   the same on Ringkasan
  each page, full draw    page.goto -> the script run answered and finished (the page's own
                          websocket traffic, tests/streamlit_server.RUN_TRACKER), no element
                          still loading its code (stSkeleton), every plotly chart on the page
                          drawn, and the next paint

and prints the medians: Ringkasan's first chart / hello's first chart (goal 1.3x) and each
page's full draw / hello's first chart (goal 2x), with what the page sent (elements, charts,
style blocks, bytes over the websocket).  One unmeasured warm-up load of every page first.
--shots DIR saves a full-page screenshot of every page at both sizes (after the run, settled).
Both servers are always stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from streamlit_server import CHROMIUM, CHROMIUM_ARGS, NEXT_PAINT, RUN_TRACKER, SETTLED, StreamlitServer  # noqa: E402

GOAL_FIRST = 1.3  # Ringkasan's first chart within 1.3x the hello app's
GOAL_PAGE = 2.0  # every page fully drawn within 2x the hello app's first chart
SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "390x844": {"width": 390, "height": 844}}
PAGES = {  # name -> url path
    "Ringkasan": "",
    "Linimasa": "linimasa",
    "Terlambat": "terlambat",
    "Tabel": "tabel",
    "Riwayat": "riwayat",
    "Kesiapan": "kesiapan",
    "Semua Satker": "provinsi",
    "Mode rapat": "rapat",
}
DRAWN = ".js-plotly-plot .main-svg"
EXCEPTION = '[data-testid="stException"]'
HELLO_APP = "import plotly.express as px\nimport streamlit as st\n\nst.plotly_chart(px.bar(x=[1, 2, 3], y=[1, 3, 2]))\n"
ALL_CHARTS_DRAWN = """() => {  // no element still loading its code (a grey skeleton), every chart drawn
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    return [...charts].every(c => c.querySelector('.main-svg'));
}"""
WHAT_WAS_SENT = """() => ({
    elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
    charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
    tables: document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]').length,
    styles: [...document.querySelectorAll('[data-testid="stMarkdownContainer"] style')].length,
})"""


def _goto(browser, url: str, viewport: dict, first_chart: bool) -> tuple[float, dict, int]:
    """Seconds from page.goto(url) to the first chart drawn (first_chart) or to the full draw,
    in a fresh context; what the page shows (counts) and the websocket bytes it received."""
    ctx = browser.new_context(viewport=viewport)
    try:
        ctx.add_init_script(RUN_TRACKER)
        page = ctx.new_page()
        received = [0]
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda f: received.__setitem__(0, received[0] + len(f))),
        )
        t0 = time.perf_counter()
        page.goto(url)
        if first_chart:
            page.wait_for_selector(f"{DRAWN}, {EXCEPTION}", state="visible", timeout=120_000)
        else:
            page.wait_for_function(SETTLED, timeout=120_000, polling="raf")
            page.wait_for_function(ALL_CHARTS_DRAWN, timeout=120_000, polling="raf")
            page.evaluate(NEXT_PAINT)
        elapsed = time.perf_counter() - t0
        if page.locator(EXCEPTION).count():
            raise RuntimeError(
                f"{url}: the app shows an exception:\n" + "\n".join(page.locator(EXCEPTION).all_inner_texts())
            )
        return elapsed, page.evaluate(WHAT_WAS_SENT), received[0]
    finally:
        ctx.close()


def screenshots(browser, base: str, pages: dict[str, str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        for name, path in pages.items():
            ctx = browser.new_context(viewport=viewport)
            try:
                ctx.add_init_script(RUN_TRACKER)
                page = ctx.new_page()
                page.goto(f"{base}/{path}")
                page.wait_for_function(SETTLED, timeout=120_000)
                page.wait_for_function(ALL_CHARTS_DRAWN, timeout=120_000)
                page.evaluate(NEXT_PAINT)
                slug = name.lower().replace(" ", "-")
                page.screenshot(path=str(folder / f"{slug}-{size}.png"), full_page=True)
            finally:
                ctx.close()


Times = dict[tuple[str, str], list[float]]
Sent = dict[tuple[str, str], tuple[dict, int]]


def measure(browser, hello: str, ours: str, pages: dict[str, str], n: int) -> tuple[Times, Sent]:
    """Per size: warm-up loads, then n rounds of hello's first chart, Ringkasan's first chart
    and every page's full draw, alternating."""
    times: Times = {}
    sent: Sent = {}
    for size, viewport in SIZES.items():
        _goto(browser, hello + "/", viewport, True)  # warm-up: first runs, imports, caches
        for path in pages.values():
            _goto(browser, f"{ours}/{path}", viewport, False)
        for _ in range(n):
            times.setdefault((size, "hello"), []).append(_goto(browser, hello + "/", viewport, True)[0])
            if "Ringkasan" in pages:
                times.setdefault((size, "first"), []).append(_goto(browser, ours + "/", viewport, True)[0])
            for name, path in pages.items():
                t, counts, got = _goto(browser, f"{ours}/{path}", viewport, False)
                times.setdefault((size, name), []).append(t)
                sent[(size, name)] = (counts, got)
    return times, sent


def report(times: Times, sent: Sent, pages: dict[str, str]) -> None:
    for size in SIZES:
        hello_t = statistics.median(times[(size, "hello")])
        print(f"\n{size}: hello-world first chart median {hello_t:.2f} s")
        if (size, "first") in times:
            first = statistics.median(times[(size, "first")])
            ok = "OK" if first / hello_t <= GOAL_FIRST else "OVER"
            ratio = first / hello_t
            print(f"  Ringkasan      first chart {first:6.2f} s  {ratio:5.2f}x   goal <= {GOAL_FIRST}x -> {ok}")
        for name in pages:
            m = statistics.median(times[(size, name)])
            counts, got = sent[(size, name)]
            ok = "OK" if m / hello_t <= GOAL_PAGE else "OVER"
            print(
                f"  {name:<14} full draw   {m:6.2f} s  {m / hello_t:5.2f}x   goal <= {GOAL_PAGE}x -> {ok}   "
                f"({counts['elements']} elements, {counts['charts']} charts, {counts['tables']} tables, "
                f"{counts['styles']} style blocks, {got / 1000:.0f} kB over the websocket)"
            )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3, help="rounds per page and size (alternating with hello)")
    ap.add_argument("--app", type=Path, default=ROOT, help="the checkout whose app.py is served")
    ap.add_argument("--shots", type=Path, help="save a screenshot of every page at both sizes here")
    ap.add_argument("--pages", help="comma-separated url paths (ringkasan for '') instead of every page")
    ap.add_argument("--shots-only", action="store_true", help="only the screenshots")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install chromium).", file=sys.stderr)
        return 2
    from bench_capacity import add_units
    from playwright.sync_api import sync_playwright

    pages = PAGES
    if args.pages:
        wanted = {("" if p == "ringkasan" else p) for p in args.pages.split(",")}
        pages = {k: v for k, v in PAGES.items() if v in wanted}
    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-browser-"))
    (tmp / "hello").mkdir()
    (tmp / "hello" / "hello.py").write_text(HELLO_APP, encoding="utf-8")
    env = {"ZI_DATABASE_URL": f"sqlite:///{tmp}/zi.sqlite", "ZI_EDITORS": "bench:scrypt$16384$8$1$AAAA$AAAA"}
    os.environ.update(env)
    add_units(env["ZI_DATABASE_URL"])
    servers: list[StreamlitServer] = []
    times: Times = {}
    sent: Sent = {}
    try:
        ours = StreamlitServer("app.py", args.app, env, name="ours")
        hello = StreamlitServer("hello.py", tmp / "hello", name="hello")
        servers += [ours, hello]
        for s in servers:
            s.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                if not args.shots_only:
                    times, sent = measure(browser, hello.url, ours.url, pages, args.n)
                if args.shots:
                    screenshots(browser, ours.url, pages, args.shots)
            finally:
                browser.close()
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if not args.shots_only:
        print(f"app served from {args.app}; a fresh browser context each load; N={args.n} rounds alternating")
        report(times, sent, pages)
    if args.shots:
        print(f"screenshots in {args.shots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
