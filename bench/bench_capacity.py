"""Capacity: many viewers at once on one Streamlit server.

    python bench/bench_capacity.py [--rows 49000] [--upload-db sqlite:///path] [--only-upload] [--nginx]
                                   [--browser-30] [--probe-only] [--rounds 7] [--app DIR]

One `streamlit run app.py` (tests/streamlit_server.py, with the repository's
.streamlit/config.toml) and a temporary SQLite store, first showing the bundled example data
(25 rows), then a stored upload of ROWS rows (default 49,000, sub-activities spread over the
plan's indicators, as bench_pages.py builds them; --upload-db reuses a store holding one).

Method.  A viewer is a client doing what the browser's page does: GET the page (and, for a
*fresh* viewer with an empty cache, every static file a headless Chromium fetched when it
opened Ringkasan, captured once per server, over six connections like a browser), then open
the websocket /_stcore/stream, ask for a script run (BackMsg rerun_script) and read the
ForwardMsgs (tests/streamlit_server.py first_chart).  Time to the first chart: from the first
GET to receiving Ringkasan's first plotly chart element.  A *returning* viewer has the static
files cached (Streamlit marks them immutable for a year).  Drawing the chart in the viewer's
own browser is not included: each viewer has their own machine, while here 30 Chromium pages
would share this machine's 2 cores with the server (a first try with 30 fresh contexts timed
out after 180 s).  Headless Chromium figures for one viewer alone (empty cache, and a
returning viewer: a new tab in a warm context) are printed for scale, and with --browser-30
also 30 returning tabs of one Chromium opened at once (rendering included, on these cores).

Headline: the browser probe (what a viewer sees).  One real headless Chromium viewer, a
returning viewer (one warm browser context, so the static files are cached; a fresh page, thus
a new session, each time), timed from page.goto to Ringkasan's first plotly chart drawn (its
svg visible):
  alone        ROUNDS times, one after the other: the median
  + 29 at once ROUNDS rounds: the browser navigates at the same moment as 29 websocket viewers
               (returning viewers, below) open Ringkasan: p50 and p95 of the browser's times,
               and p95 / alone (goal: under 3x)
  + 10 looping ROUNDS times while 10 websocket viewers reopen Ringkasan in a loop: p50, p95,
               p95 / alone
--probe-only prints only these.

Server side (websocket clients only, no browser).  For each data set and viewer kind:
  alone       one viewer at a time (5 in a row, after a warm-up): median time to the first chart
  30 at once  30 viewers at the same moment: p50 and p95 of the time to the first chart, and
              p95 / alone (goal: under 3x); meanwhile /_stcore/health is asked every 0.2 s and
              its slowest answer printed
then 10 returning viewers reopening Ringkasan in a loop and one more returning viewer opening
it 5 times among them: its median time to the first chart.  Bytes: all one viewer receives.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from streamlit_server import CHROMIUM, CHROMIUM_ARGS, Nginx, StreamlitServer, first_chart  # noqa: E402

CONCURRENT = 30
LOOPERS = 10
ALONE = 5
GOAL = 3.0


def pctl(values: list[float], p: float) -> float:
    """The p-th percentile, nearest rank (p95 of 30 values: the 29th smallest)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


STATIC: list[str] = []  # the paths a fresh browser fetches before the app runs (captured once)
_POOL = None


def capture_static(url: str) -> list[str]:
    """Every same-origin GET a fresh headless Chromium makes to show Ringkasan, websocket aside."""
    from playwright.sync_api import sync_playwright

    paths: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
            page.on(
                "requestfinished",
                lambda r: (
                    paths.append(r.url[len(url) :])
                    if r.url.startswith(url) and r.method == "GET" and "/_stcore/stream" not in r.url
                    else None
                ),
            )
            page.goto(url + "/")
            page.wait_for_selector(".js-plotly-plot .main-svg", state="visible", timeout=180_000)
            page.wait_for_timeout(1000)
        finally:
            browser.close()
    return paths


def _fetch_all(port: int, paths: list[str]) -> int:
    """GET every path over one keep-alive connection (a browser opens six); returns bytes."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    got = 0
    try:
        for path in paths:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
            r = conn.getresponse()
            got += len(r.read())
            if r.getheader("connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    finally:
        conn.close()
    return got


async def viewer(url: str, fresh: bool = False) -> tuple[float, float, int]:
    """One viewer opening Ringkasan: (seconds to the first chart, to the run's end, bytes).
    fresh: first fetch the page's static files as a browser with an empty cache does (six
    connections at once); otherwise only the page itself (a returning viewer: Streamlit marks
    its static files immutable for a year, so the browser keeps them)."""
    global _POOL
    t0 = time.perf_counter()
    port = int(url.rsplit(":", 1)[1])
    paths = STATIC if fresh else ["/"]
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=6 * (CONCURRENT + LOOPERS + 2))
    loop = asyncio.get_running_loop()
    parts = [paths[i::6] for i in range(6)]
    static = sum(await asyncio.gather(*(loop.run_in_executor(_POOL, _fetch_all, port, part) for part in parts if part)))
    first, end, received = await first_chart(url)
    setup = time.perf_counter() - t0 - end
    return setup + first, setup + end, received + static


async def health_watch(url: str, stop: asyncio.Event) -> float:
    """Slowest /_stcore/health answer while `stop` is not set (asked every 0.2 s)."""

    def ask() -> float:
        t = time.perf_counter()
        with urllib.request.urlopen(url + "/_stcore/health", timeout=120) as r:
            r.read()
        return time.perf_counter() - t

    worst = 0.0
    while not stop.is_set():
        worst = max(worst, await asyncio.to_thread(ask))
        await asyncio.sleep(0.2)
    return worst


async def alone(url: str, fresh: bool) -> list[float]:
    await viewer(url, fresh)  # warm-up
    return [(await viewer(url, fresh))[0] for _ in range(ALONE)]


async def at_once(url: str, fresh: bool) -> tuple[list[float], float]:
    stop = asyncio.Event()
    watch = asyncio.create_task(health_watch(url, stop))
    results = await asyncio.gather(*(viewer(url, fresh) for _ in range(CONCURRENT)))
    stop.set()
    return [r[0] for r in results], await watch


async def looping(url: str) -> tuple[list[float], int]:
    stop = asyncio.Event()
    loops = 0

    async def loop() -> None:
        nonlocal loops
        while not stop.is_set():
            await viewer(url)
            loops += 1

    tasks = [asyncio.create_task(loop()) for _ in range(LOOPERS)]
    await asyncio.sleep(2)  # the loopers are running
    times = []
    for _ in range(ALONE):
        times.append((await viewer(url))[0])
        await asyncio.sleep(0.3)
    stop.set()
    await asyncio.gather(*tasks)
    return times, loops


def browser_figures(url: str, many: bool) -> tuple[list[float], list[float], list[float]]:
    """Headless Chromium, seconds from page.goto to the first plotly chart drawn: (fresh context
    each time: empty cache; a new tab in one warm context each time: a returning viewer, a new
    session with the static files cached; with `many`, 30 such tabs opened at once, else [])."""
    from playwright.async_api import async_playwright

    async def one(ctx) -> float:
        page = await ctx.new_page()
        try:
            t0 = time.perf_counter()
            await page.goto(url + "/", timeout=300_000)
            await page.wait_for_selector(".js-plotly-plot .main-svg", state="visible", timeout=300_000)
            return time.perf_counter() - t0
        finally:
            await page.close()

    async def run():
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                viewport = {"width": 1920, "height": 1080}
                fresh = []
                for _ in range(ALONE + 1):
                    ctx = await browser.new_context(viewport=viewport)
                    fresh.append(await one(ctx))
                    await ctx.close()
                warm = await browser.new_context(viewport=viewport)
                await one(warm)
                returning = [await one(warm) for _ in range(ALONE)]
                at_once = list(await asyncio.gather(*(one(warm) for _ in range(CONCURRENT)))) if many else []
                return fresh[1:], returning, at_once
            finally:
                await browser.close()

    return asyncio.run(run())


def browser_probe(url: str, rounds: int) -> dict[str, list[float]]:
    """The headline: one returning Chromium viewer (warm context, a fresh page each time), seconds
    from page.goto to Ringkasan's first plotly chart drawn: alone, at the same moment as
    CONCURRENT - 1 websocket viewers, and among LOOPERS websocket viewers in a loop."""
    from playwright.async_api import async_playwright

    async def one(ctx) -> float:
        page = await ctx.new_page()
        try:
            t0 = time.perf_counter()
            await page.goto(url + "/", timeout=300_000)
            await page.wait_for_selector(
                '.js-plotly-plot .main-svg, [data-testid="stPlotlyChart"] svg', state="visible", timeout=300_000
            )
            return time.perf_counter() - t0
        finally:
            await page.close()

    async def run() -> dict[str, list[float]]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                ctx = await browser.new_context(viewport={"width": 1920, "height": 1080})
                await one(ctx)
                await one(ctx)  # warm: static files cached, the server's caches filled
                await viewer(url)
                alone_times = [await one(ctx) for _ in range(rounds)]
                crowd = []
                for _ in range(rounds):
                    await asyncio.sleep(0.5)
                    got = await asyncio.gather(one(ctx), *(viewer(url) for _ in range(CONCURRENT - 1)))
                    crowd.append(got[0])
                stop = asyncio.Event()

                async def loop() -> None:
                    while not stop.is_set():
                        await viewer(url)

                tasks = [asyncio.create_task(loop()) for _ in range(LOOPERS)]
                await asyncio.sleep(2)  # the loopers are running
                looped = []
                for _ in range(rounds):
                    looped.append(await one(ctx))
                    await asyncio.sleep(0.3)
                stop.set()
                await asyncio.gather(*tasks)
                return {"alone": alone_times, "crowd": crowd, "looping": looped}
            finally:
                await browser.close()

    return asyncio.run(run())


def report_probe(label: str, url: str, rounds: int) -> tuple[float, float, float]:
    """Print the browser probe's figures; returns (alone, p95 with 29 others, p95 among loopers)."""
    got = browser_probe(url, rounds)
    base = statistics.median(got["alone"])
    runs = lambda xs: ", ".join(f"{t:.2f}" for t in xs)  # noqa: E731
    print(f"\n{label}: BROWSER PROBE (headless Chromium, returning viewer, page.goto -> first chart drawn)")
    print(f"  alone: median of {rounds}  {base:5.2f} s   runs: {runs(got['alone'])}")
    out = [base]
    for key, name in (
        ("crowd", f"with {CONCURRENT - 1} websocket viewers opening at the same moment"),
        ("looping", f"among {LOOPERS} websocket viewers reopening in a loop"),
    ):
        xs = got[key]
        p50, p95 = pctl(xs, 50), pctl(xs, 95)
        print(
            f"  {name}: p50 {p50:5.2f} s, p95 {p95:5.2f} s   p95/alone {p95 / base:4.1f}x   "
            f"goal < {GOAL:.0f}x -> {'OK' if p95 / base < GOAL else 'OVER'}   runs: {runs(xs)}"
        )
        out.append(p95)
    return tuple(out)


def report(label: str, url: str, browser_many: bool = False) -> None:
    STATIC[:] = capture_static(url)
    print(f"\n{label}: SERVER SIDE (websocket clients, no browser)")
    for fresh in (False, True):
        name = "fresh viewer (empty cache)" if fresh else "returning viewer (static files cached)"
        single = asyncio.run(alone(url, fresh))
        _, _, size = asyncio.run(viewer(url, fresh))
        many, health = asyncio.run(at_once(url, fresh))
        base = statistics.median(single)
        p50, p95 = pctl(many, 50), pctl(many, 95)
        print(
            f"  {name}: {size / 1e6:.2f} MB sent to one viewer"
            + (f" ({len(STATIC)} requests and the websocket)" if fresh else " (the page and the websocket)")
        )
        print(
            f"    alone: time to first chart, median of {ALONE}  {base:6.3f} s   runs: "
            + ", ".join(f"{t:.2f}" for t in single)
        )
        print(
            f"    {CONCURRENT} at once: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(many):.2f} s   "
            f"p95/alone {p95 / base:.1f}x   goal < {GOAL:.0f}x -> {'OK' if p95 / base < GOAL else 'OVER'}"
        )
        print(f"    slowest /_stcore/health answer meanwhile  {health:6.2f} s")
    loop_times, loops = asyncio.run(looping(url))
    print(
        f"  {LOOPERS} returning viewers looping + one returning viewer: "
        f"its median {statistics.median(loop_times):.2f} s "
        f"(runs " + ", ".join(f"{t:.2f}" for t in loop_times) + f"; the loopers ran {loops} times)"
    )
    fresh, returning, many = browser_figures(url, browser_many)
    print(
        f"  headless Chromium, one viewer alone: empty cache median {statistics.median(fresh):.2f} s (runs "
        + ", ".join(f"{t:.2f}" for t in fresh)
        + f"); returning viewer median {statistics.median(returning):.2f} s "
        "(runs " + ", ".join(f"{t:.2f}" for t in returning) + ")"
    )
    if many:
        base = statistics.median(returning)
        print(
            f"  headless Chromium, {CONCURRENT} returning viewers at once (30 tabs of one browser on this "
            f"machine): p50 {pctl(many, 50):.2f} s, p95 {pctl(many, 95):.2f} s, p95/alone {pctl(many, 95) / base:.1f}x"
        )


def store_upload(db_url: str, rows: int) -> None:
    from bench_pages import progress_file

    from zi_dashboard.reading.plan import plan_from_bytes
    from zi_dashboard.reading.progress import read_progress
    from zi_dashboard.storage.store import open_store

    store = open_store(db_url)
    stored = store.latest_plan()
    data = progress_file(rows)
    name = f"progres-{rows}-baris.xlsx"
    rep = read_progress(data, name, plan_from_bytes(stored.content, stored.filename))
    assert rep.valid and len(rep.rows) == rows, rep.errors[:3]
    store.save(data, name, "bench", rep.position_date, rep.rows, stored.id)


@contextlib.contextmanager
def front(server: StreamlitServer, tmp: Path, nginx: bool):
    """The address viewers use: the server's own, or nginx's in front of it."""
    if not nginx:
        yield server.url
        return
    proxy = Nginx(tmp, server.port, {"limit_conn zi_conn 40;": "limit_conn zi_conn 60000;"})
    try:
        yield proxy.url
    finally:
        proxy.stop()


def show(args, label: str, url: str) -> None:
    report_probe(label, url, args.rounds)
    if not args.probe_only:
        report(label, url, args.browser_30)


def show_logged(server, args, label: str, url: str) -> None:
    """show(), printing the server's own traceback when a viewer meets an app exception (the page
    shows none: client.showErrorDetails is "none")."""
    try:
        show(args, label, url)
    except Exception:
        log = server.output()
        start = log.find("Traceback")
        print("--- server log ---\n" + (log[start : start + 6000] if start >= 0 else log[-3000:]))
        raise


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=49_000)
    ap.add_argument("--only-upload", action="store_true", help="skip the example data")
    ap.add_argument("--upload-db", help="a store already holding the upload (skips building one)")
    ap.add_argument(
        "--browser-30",
        action="store_true",
        help="also open 30 tabs at once in one headless Chromium (its rendering shares the cores)",
    )
    ap.add_argument(
        "--app",
        type=Path,
        default=ROOT,
        help="the checkout whose app.py is served (default: this one; another to compare, "
        "e.g. a worktree of main for the figures before a change)",
    )
    ap.add_argument("--probe-only", action="store_true", help="only the browser probe (the headline)")
    ap.add_argument("--rounds", type=int, default=7, help="browser probe: runs alone, and rounds with others")
    ap.add_argument(
        "--nginx",
        action="store_true",
        help="viewers go through nginx with deploy/nginx-zi-dashboard.conf (its per-address "
        "connection limit raised: every simulated viewer comes from 127.0.0.1)",
    )
    args = ap.parse_args()
    print(f"uptime: {os.popen('uptime').read().strip()}")
    print(f"app served from {args.app}")
    print(
        "viewers go through nginx (deploy/nginx-zi-dashboard.conf)"
        if args.nginx
        else "viewers connect to Streamlit directly"
    )
    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-capacity-"))
    env = {"ZI_EDITORS": "bench:scrypt$16384$8$1$AAAA$AAAA"}  # no generated editor to announce
    try:
        if not args.only_upload:
            db = f"sqlite:///{tmp / 'example.sqlite'}"
            with (
                StreamlitServer("app.py", args.app, dict(env, ZI_DATABASE_URL=db)) as server,
                front(server, tmp / "nginx-example", args.nginx) as url,
            ):
                show_logged(server, args, "Example data (25 rows)", url)
        db = args.upload_db or f"sqlite:///{tmp / 'upload.sqlite'}"
        if not args.upload_db:
            os.environ.update(env)
            t = time.perf_counter()
            store_upload(db, args.rows)
            print(f"\n(stored a {args.rows:,}-row upload in {time.perf_counter() - t:.0f} s)")
        with (
            StreamlitServer("app.py", args.app, dict(env, ZI_DATABASE_URL=db)) as server,
            front(server, tmp / "nginx-upload", args.nginx) as url,
        ):
            show_logged(server, args, f"A stored upload of {args.rows:,} rows", url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nuptime: {os.popen('uptime').read().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
