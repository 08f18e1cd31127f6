"""Capacity: many viewers at once on one Streamlit server.

    python bench/bench_capacity.py [--rows 49000] [--upload-db sqlite:///path] [--only-upload] [--nginx]
                                   [--browser-30] [--probe-only] [--rounds 7] [--app DIR] [--no-floor]

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

Floor (unless --no-floor): the same crowds (returning viewers alone and 60 at once, fresh viewers
alone and 30 at once) against a one-chart hello app (bench_browser's, its figure made once per
process as ours are: FLOOR_APP) served the same way (the
repository's .streamlit/config.toml; through nginx with --nginx), printed beside ours: ours/hello
says what is the app's and what is Streamlit's own on this machine, and a NOTE says when the
hello app alone is already over a goal.
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

NGINX_TWO = ROOT / "deploy" / "nginx-zi-dashboard-two-servers.conf"

CONCURRENT = 30  # the browser probe's crowd, and fresh viewers at once
CROWD = 60  # returning viewers at once (server side)
LOOPERS = 10
ALONE = 5
GOAL = 3.0  # the browser probe: p95 within 3x alone
GOAL_CROWD = 15.0  # 60 returning viewers at once: p95 within 15x one alone
GOAL_FRESH = 4.0  # 30 fresh viewers at once: p95 within 4x one fresh viewer alone
GOAL_HEALTH = 1.0  # seconds: /_stcore/health answers within this throughout
GOAL_MEMORY = 1.5  # the server's memory after the run within 1.5x its memory after one viewer
RUNS = 15  # returning viewers' runs per page for the server's CPU time per run
PAGES = {"Ringkasan": "", "Kesiapan": "kesiapan", "Semua Satker": "provinsi"}
UNITS = ["KPU Kabupaten Uji " + str(i) for i in range(1, 9)]  # added for Semua Satker (with the home unit)


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

        _POOL = ThreadPoolExecutor(max_workers=6 * (max(CONCURRENT, CROWD) + LOOPERS + 2))
    loop = asyncio.get_running_loop()
    parts = [paths[i::6] for i in range(6)]
    static = sum(await asyncio.gather(*(loop.run_in_executor(_POOL, _fetch_all, port, part) for part in parts if part)))
    first, end, received = await first_chart(url)
    setup = time.perf_counter() - t0 - end
    return setup + first, setup + end, received + static


async def page_view(url: str, page: str) -> int:
    """One returning viewer opening `page` (its url path; "" is Ringkasan) over the websocket,
    until the run has finished; returns the bytes received."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    received = 0
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            data = await asyncio.wait_for(ws.recv(), timeout=180)
            received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(f"{page or 'Ringkasan'}: {fwd.delta.new_element.exception.message}")
            if kind == "script_finished":
                return received


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """The process's resident memory (/proc/PID/status VmRSS), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def page_costs(url: str, pids: list[int], pages: dict[str, str] = PAGES) -> None:
    """The server's CPU time per returning viewer's run of each page (after 3 unmeasured runs):
    RUNS runs one after the other, the CPU seconds the server processes used meanwhile / RUNS."""
    print(f"  server CPU time per returning viewer's run ({RUNS} runs one after the other, after 3 unmeasured):")
    for name, path in pages.items():
        for _ in range(3):
            asyncio.run(page_view(url, path))
        before = sum(cpu_seconds(p) for p in pids)
        t = time.perf_counter()
        for _ in range(RUNS):
            size = asyncio.run(page_view(url, path))
        cpu = (sum(cpu_seconds(p) for p in pids) - before) / RUNS
        wall = (time.perf_counter() - t) / RUNS
        print(
            f"    {name:<13} CPU {cpu * 1000:6.1f} ms/run   wall {wall * 1000:6.1f} ms/run   {size / 1000:6.1f} kB sent"
        )


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


async def at_once(url: str, fresh: bool, n: int = CONCURRENT) -> tuple[list[float], float]:
    stop = asyncio.Event()
    watch = asyncio.create_task(health_watch(url, stop))
    results = await asyncio.gather(*(viewer(url, fresh) for _ in range(n)))
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


def verdict(value: float, goal: float, unit: str = "x") -> str:
    return f"goal <= {goal:g}{unit} -> {'OK' if value <= goal else 'OVER'}"


def report(label: str, url: str, pids: list[int], browser_many: bool = False) -> dict[str, float]:
    """The server side: returning and fresh viewers alone and at once, health, memory, CPU per
    page run; returns the crowds' figures as crowds() does (for the floor)."""
    STATIC[:] = capture_static(url)
    print(f"\n{label}: SERVER SIDE (websocket clients, no browser)")
    out: dict[str, float] = {}
    memory_one = None
    for fresh in (False, True):
        name = "fresh viewer (empty cache)" if fresh else "returning viewer (static files cached)"
        n, goal = (CONCURRENT, GOAL_FRESH) if fresh else (CROWD, GOAL_CROWD)
        single = asyncio.run(alone(url, fresh))
        if memory_one is None:
            memory_one = sum(rss_mb(p) for p in pids)
        _, _, size = asyncio.run(viewer(url, fresh))
        many, health = asyncio.run(at_once(url, fresh, n))
        base = statistics.median(single)
        p50, p95 = pctl(many, 50), pctl(many, 95)
        kind = "fresh" if fresh else "returning"
        out[kind], out[kind + " alone"], out[kind + " health"] = p95, base, health
        print(
            f"  {name}: {size / 1e6:.2f} MB sent to one viewer"
            + (f" ({len(STATIC)} requests and the websocket)" if fresh else " (the page and the websocket)")
        )
        print(
            f"    alone: time to first chart, median of {ALONE}  {base:6.3f} s   runs: "
            + ", ".join(f"{t:.2f}" for t in single)
        )
        print(
            f"    {n} at once: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(many):.2f} s   "
            f"p95/alone {p95 / base:.1f}x   {verdict(p95 / base, goal)}"
        )
        print(f"    slowest /_stcore/health answer meanwhile  {health:6.2f} s   {verdict(health, GOAL_HEALTH, ' s')}")
    loop_times, loops = asyncio.run(looping(url))
    print(
        f"  {LOOPERS} returning viewers looping + one returning viewer: "
        f"its median {statistics.median(loop_times):.2f} s "
        f"(runs " + ", ".join(f"{t:.2f}" for t in loop_times) + f"; the loopers ran {loops} times)"
    )
    page_costs(url, pids)
    memory_after = sum(rss_mb(p) for p in pids)
    assert memory_one is not None
    print(
        f"  server memory: {memory_one:.0f} MB after one viewer, {memory_after:.0f} MB after the run   "
        f"{memory_after / memory_one:.2f}x   {verdict(memory_after / memory_one, GOAL_MEMORY)}"
    )
    fresh_b, returning, many_b = browser_figures(url, browser_many)
    print(
        f"  headless Chromium, one viewer alone: empty cache median {statistics.median(fresh_b):.2f} s (runs "
        + ", ".join(f"{t:.2f}" for t in fresh_b)
        + f"); returning viewer median {statistics.median(returning):.2f} s "
        "(runs " + ", ".join(f"{t:.2f}" for t in returning) + ")"
    )
    if many_b:
        base = statistics.median(returning)
        print(
            f"  headless Chromium, {CONCURRENT} returning viewers at once (30 tabs of one browser on this "
            f"machine): p50 {pctl(many_b, 50):.2f} s, p95 {pctl(many_b, 95):.2f} s, "
            f"p95/alone {pctl(many_b, 95) / base:.1f}x"
        )
    return out


def add_units(db_url: str) -> None:
    """UNITS beside the home unit, each with its plan and an upload (Semua Satker lists them)."""
    os.environ["ZI_DATABASE_URL"] = db_url
    from datetime import date

    from zi_dashboard.app import service
    from zi_dashboard.reading.plan import BUNDLED_PLAN

    service.home()
    for i, unit in enumerate(UNITS):
        wp, _ = service.add_plan(
            BUNDLED_PLAN.read_bytes(), BUNDLED_PLAN.name, "bench", unit, 2025, rights=service.OPERATOR
        )
        from bench_pages import progress_file

        data = progress_file(25 + 40 * i)
        check = service.check_upload(data, f"progres-{service.unit_key(unit)}.xlsx", wp=wp)
        assert check.valid, check.message
        service.save_upload(check, "bench", date(2025, 11, 1 + i), rights=service.OPERATOR)


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


def show(args, label: str, url: str, pids: list[int]) -> dict[str, float]:
    report_probe(label, url, args.rounds)
    return {} if args.probe_only else report(label, url, pids, args.browser_30)


def show_logged(server, args, label: str, url: str) -> dict[str, float]:
    """show(), printing the server's own traceback when a viewer meets an app exception (the page
    shows none: client.showErrorDetails is "none")."""
    try:
        return show(args, label, url, [server.proc.pid])
    except Exception:
        log = server.output()
        start = log.find("Traceback")
        print("--- server log ---\n" + (log[start : start + 6000] if start >= 0 else log[-3000:]))
        raise


def crowds(url: str) -> dict[str, float]:
    """Returning viewers alone and CROWD at once, fresh viewers alone and CONCURRENT at once:
    the medians alone and the p95s at once."""
    STATIC[:] = capture_static(url)
    got: dict[str, float] = {}
    for fresh in (False, True):
        kind = "fresh" if fresh else "returning"
        got[kind + " alone"] = statistics.median(asyncio.run(alone(url, fresh)))
        many, got[kind + " health"] = asyncio.run(at_once(url, fresh, CONCURRENT if fresh else CROWD))
        got[kind] = pctl(many, 95)
    return got


# bench_browser's one-chart hello app, its figure made once per process as ours are (building a
# plotly express figure on every run costs about 25 ms of CPU, more than a whole run of Ringkasan)
FLOOR_APP = """import plotly.express as px
import streamlit as st


@st.cache_resource
def figure():
    return px.bar(x=[1, 2, 3], y=[1, 3, 2])


st.plotly_chart(figure())
"""


def hello_server(tmp: Path) -> StreamlitServer:
    """The one-chart hello app (FLOOR_APP), served as ours is: `streamlit run` with the
    repository's .streamlit/config.toml (no file watcher, no garbage collection after each run)."""
    folder = tmp / "hello"
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    (folder / "hello.py").write_text(FLOOR_APP, encoding="utf-8")
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    return StreamlitServer("hello.py", folder, name="hello")


def floor(args, tmp: Path, ours: dict[str, float]) -> None:
    """What Streamlit itself allows on this machine: the same crowds against the hello app
    served the same way (directly, or through nginx with --nginx), ours/hello beside the goals."""
    with hello_server(tmp) as hello, front(hello, tmp / "nginx-hello", args.nginx) as url:
        got = crowds(url)
        print("\nThe hello app (its one page): what a run costs Streamlit itself")
        page_costs(url, [hello.proc.pid], {"hello": ""})
    print("\nFLOOR: the same crowds against a one-chart hello app (FLOOR_APP) served the same way")
    print(f"  {'':<40}{'ours':>24}{'hello':>24}{'ours/hello':>12}   goal for ours")
    for kind, n, goal in (("returning", CROWD, GOAL_CROWD), ("fresh", CONCURRENT, GOAL_FRESH)):
        if kind not in ours:
            continue
        alone_ours, alone_hello = ours[kind + " alone"], got[kind + " alone"]
        mine, base = ours[kind] / alone_ours, got[kind] / alone_hello
        what = f"{n} {kind} viewers at once, p95/alone"
        mine_text = f"{mine:.1f}x ({ours[kind]:.2f}/{alone_ours:.3f} s)"
        base_text = f"{base:.1f}x ({got[kind]:.2f}/{alone_hello:.3f} s)"
        print(f"  {what:<40}{mine_text:>24}{base_text:>24}{mine / base:11.2f}x   {verdict(mine, goal)}")
        print(
            f"  {'   slowest health answer meanwhile':<40}{ours[kind + ' health']:>22.2f} s"
            f"{got[kind + ' health']:>22.2f} s{'':>12}   {verdict(ours[kind + ' health'], GOAL_HEALTH, ' s')}"
        )
        if base > goal:
            print(
                f"  NOTE: the hello app alone is already over the {goal:g}x goal for {n} {kind} viewers at once "
                f"({base:.1f}x): on this machine Streamlit itself does not allow it, whatever the app does"
            )


def two_servers(args, tmp: Path, env: dict[str, str]) -> None:
    """deploy/'s two-server set-up on this machine: nginx (the two-server site) in front of two
    Streamlit servers on one PostgreSQL database, against nginx in front of one; the crowds'
    p95 for each.  Every simulated viewer comes from 127.0.0.1, so nginx's sticky hash on the
    client address would send them all to one server: here the upstream takes turns instead
    (many offices' addresses spread the same way)."""
    from bench_units import Postgres

    pg_dir = Path(tempfile.mkdtemp(prefix="zi-bench-capacity-pg-"))
    pg_dir.chmod(0o755)  # the postgres user reaches its data directory inside
    pg = Postgres(args.pgport, pg_dir / "pg")
    try:
        db = pg.fresh_database("zi_bench_capacity")
        add_units(db)
        print(f"\nTWO SERVERS (deploy/nginx-zi-dashboard-two-servers.conf), PostgreSQL on port {args.pgport}")
        results: dict[int, dict[str, float]] = {}
        for n in (1, 2):
            servers = [StreamlitServer("app.py", args.app, dict(env, ZI_DATABASE_URL=db)) for _ in range(n)]
            try:
                for s in servers:
                    s.wait_healthy()
                second = servers[-1].port
                replace = {
                    "limit_conn zi_conn 40;": "limit_conn zi_conn 60000;",
                    "hash $remote_addr consistent;": "",
                    "server 127.0.0.1:8502;": f"server 127.0.0.1:{second};" if n == 2 else "",
                }
                proxy = Nginx(tmp / f"nginx-{n}", servers[0].port, replace, site=NGINX_TWO)
                try:
                    results[n] = crowds(proxy.url)
                finally:
                    proxy.stop()
            finally:
                for s in servers:
                    s.stop()
        for kind, many in (("returning", CROWD), ("fresh", CONCURRENT)):
            one, two = results[1], results[2]
            alone_1, alone_2 = one[kind + " alone"], two[kind + " alone"]
            print(
                f"  {kind} viewers, {many} at once: p95 {one[kind]:.2f} s with one server, {two[kind]:.2f} s with two "
                f"({one[kind] / two[kind]:.2f}x); alone {alone_1:.3f} s / {alone_2:.3f} s; "
                f"slowest health {one[kind + ' health']:.2f} s / {two[kind + ' health']:.2f} s"
            )
    finally:
        pg.stop()
        shutil.rmtree(pg_dir, ignore_errors=True)


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
    ap.add_argument(
        "--two-servers",
        action="store_true",
        help="also deploy/'s two-server set-up: nginx in front of one and of two servers on one PostgreSQL",
    )
    ap.add_argument("--pgport", type=int, default=54345, help="--two-servers: the throwaway PostgreSQL's port")
    ap.add_argument("--only-two-servers", action="store_true", help="only the one- vs two-server comparison")
    ap.add_argument("--no-upload", action="store_true", help="skip the stored upload of --rows rows")
    ap.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the floor: the same crowds against a one-chart hello app served the same way",
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
        if args.two_servers or args.only_two_servers:
            two_servers(args, tmp, env)
            if args.only_two_servers:
                return 0
        if not args.only_upload:
            db = f"sqlite:///{tmp / 'example.sqlite'}"
            os.environ.update(env)
            add_units(db)  # Semua Satker lists them
            with (
                StreamlitServer("app.py", args.app, dict(env, ZI_DATABASE_URL=db)) as server,
                front(server, tmp / "nginx-example", args.nginx) as url,
            ):
                ours = show_logged(server, args, "Example data (25 rows)", url)
            if ours and not args.no_floor:
                floor(args, tmp, ours)
        if args.no_upload:
            return 0
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
