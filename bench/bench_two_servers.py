"""How fast an upload on one server shows on the other (goal: 2 s), two dashboard servers on one
PostgreSQL database as deploy/README.md runs them.

The set-up of tests/test_two_servers.py (which asserts THAT the figure arrives, not how fast):
a throwaway PostgreSQL cluster on --pgport, a fresh database with two units' plans, servers A
and B, headless Chromium.  Ani uploads a progress file for KPU Kota Banjar on A; from the save
confirmation on A, a viewer with Ringkasan for that unit open on B asks for it again (Streamlit's
"R") until its headline shows the new overall completion, while another viewer on B keeps asking
for the same unit (so B's cache is at its worst).  Printed per upload: seconds from the
confirmation on A to the figure on B, how many times B was asked, and seconds for a viewer
opening the link afresh on B; then the median and the slowest against the 2 s goal.

    python bench/bench_two_servers.py [--uploads 5] [--pgport 54346]
"""

from __future__ import annotations

import argparse
import asyncio
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

import test_two_servers as T  # noqa: E402
from bench_units import Postgres  # noqa: E402
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402

from zi_dashboard import labels as L  # noqa: E402

GOAL = 2.0  # seconds from the save confirmation on A to the figure on B


async def measure(server_a: StreamlitServer, server_b: StreamlitServer, files: list[tuple[Path, int]]) -> list[dict]:
    from playwright.async_api import async_playwright

    out = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ani_a, viewer_b, asker_b = await T.new_pages(browser, 3)
        await asyncio.gather(
            T.log_in_on_unggah(ani_a, server_a, T.BANJAR, T.ANI),
            T.headline(viewer_b, server_b, T.BANJAR),
            T.headline(asker_b, server_b, T.BANJAR),
        )
        for path, value in files:
            await asyncio.gather(T.watch_runs(viewer_b), T.watch_runs(asker_b))
            stop = asyncio.Event()
            asking = asyncio.create_task(T.keep_asking(asker_b, stop))
            await T.choose(ani_a, path)
            _, confirmed = await T.save(ani_a, path)
            shown = await T.asked_until(viewer_b, L.fmt_pct(value))
            propagation = time.monotonic() - confirmed
            stop.set()
            asked = await asking
            t = time.monotonic()
            fresh = await T.headline(viewer_b, server_b, T.BANJAR)
            out.append(
                {
                    "propagation": propagation,
                    "asked": len(shown),
                    "other": asked,
                    "fresh_open": time.monotonic() - t,
                    "fresh_ok": fresh == L.fmt_pct(value),
                }
            )
        await browser.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--uploads", type=int, default=5, help="uploads on A, one after another")
    ap.add_argument("--pgport", type=int, default=54346, help="the throwaway PostgreSQL's port")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-two-servers-"))
    tmp.chmod(0o755)  # the postgres user reaches its data directory inside
    pg = Postgres(args.pgport, tmp / "pg")
    try:
        db = pg.fresh_database("zi_bench_two_servers")
        T.store_plans(db)
        files = []
        for n in range(args.uploads):
            value = 20 + 7 * (n + 1) % 80
            path = tmp / f"progres-banjar-{n}.xlsx"
            path.write_bytes(T.progress_file(T.BANJAR, value))
            files.append((path, value))
        env = T.server_env(db)
        pair = [StreamlitServer("app.py", ROOT, env, name=name) for name in ("A", "B")]
        try:
            for server in pair:
                server.wait_healthy()
            rows = asyncio.run(measure(*pair, files))
        finally:
            for server in pair:
                server.stop()
    finally:
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nTWO SERVERS ON ONE POSTGRESQL: upload on A -> figure on B ({args.uploads} uploads)")
    for n, r in enumerate(rows, 1):
        print(
            f"  upload {n}: {r['propagation']:.2f} s (B asked {r['asked']} time(s); the other viewer on B "
            f"asked {r['other']} times meanwhile); opening the link afresh on B: {r['fresh_open']:.2f} s"
            + ("" if r["fresh_ok"] else "  (the fresh page showed another figure!)")
        )
    seconds = [r["propagation"] for r in rows]
    median, worst = statistics.median(seconds), max(seconds)
    print(
        f"  median {median:.2f} s, slowest {worst:.2f} s   "
        f"goal <= {GOAL:g} s -> {'OK' if worst <= GOAL else 'OVER'} (slowest)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
