"""Benchmark: time to the first drawn chart in a real browser, against a hello-world Streamlit app.

    python bench/bench_browser.py

Starts two Streamlit servers on free ports, headless:

  ours   app.py from this repository, with a temporary database (ZI_DATABASE_URL), so it shows
         the bundled example data and never touches the real store
  hello  a one-chart app written to a temporary directory:
         st.plotly_chart(px.bar(x=[1, 2, 3], y=[1, 3, 2]))

then, in headless Chromium (/usr/bin/chromium), measures alternately (hello, ours, hello,
ours, ...) the wall time from `page.goto` to the first plotly chart being drawn
(`.js-plotly-plot .main-svg` visible) on Ringkasan for ours and on the only page for hello.
Every measurement uses a fresh browser context (a fresh Streamlit session, no cache of the
page's assets shared with the previous measurement's session state).  One unmeasured warm-up
load per server comes first.  Prints the medians, the ratio ours/hello and the goal: within
1.3x.  Both servers are always stopped at the end.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402

N = 7
GOAL = 1.3
VIEWPORT = {"width": 1920, "height": 1080}
DRAWN = ".js-plotly-plot .main-svg"
EXCEPTION = '[data-testid="stException"]'
HELLO_APP = "import plotly.express as px\nimport streamlit as st\n\nst.plotly_chart(px.bar(x=[1, 2, 3], y=[1, 3, 2]))\n"


def time_to_chart(browser, url: str) -> float:
    """Seconds from page.goto(url) to the first plotly chart drawn, in a fresh context."""
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(f"{DRAWN}, {EXCEPTION}", state="visible", timeout=60_000)
        elapsed = time.perf_counter() - t0
        if page.locator(EXCEPTION).count():
            raise RuntimeError(
                f"{url}: the app shows an exception:\n" + "\n".join(page.locator(EXCEPTION).all_inner_texts())
            )
        return elapsed
    finally:
        ctx.close()


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install chromium).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-browser-"))
    (tmp / "hello").mkdir()
    (tmp / "hello" / "hello.py").write_text(HELLO_APP, encoding="utf-8")
    servers: list[StreamlitServer] = []
    try:
        ours = StreamlitServer("app.py", ROOT, {"ZI_DATABASE_URL": f"sqlite:///{tmp}/zi.sqlite"}, name="ours")
        servers.append(ours)
        hello = StreamlitServer("hello.py", tmp / "hello", name="hello")
        servers.append(hello)
        for s in servers:
            s.wait_healthy()

        times: dict[str, list[float]] = {"hello": [], "ours": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for s in (hello, ours):  # warm-up: first script run, imports, caches
                    time_to_chart(browser, s.url + "/")
                for _ in range(N):
                    for s in (hello, ours):
                        times[s.name].append(time_to_chart(browser, s.url + "/"))
            finally:
                browser.close()
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["ours"] / med["hello"]
    print(
        f"Time from page.goto to the first plotly chart drawn ({DRAWN}), "
        f"{VIEWPORT['width']}x{VIEWPORT['height']}, fresh context each, N={N} alternating, after one warm-up"
    )
    for name, label in (("hello", "hello-world (one px.bar)"), ("ours", "ZI Dashboard, Ringkasan")):
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"  {label:<26} median {med[name]:6.3f} s   runs: {runs}")
    verdict = "OK" if ratio <= GOAL else "OVER"
    print(f"  ratio ours/hello          {ratio:6.2f}x   goal: within {GOAL}x  -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
