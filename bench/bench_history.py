"""Benchmark: counting, the planned curve, and Riwayat at 10, 100 and 1,000 stored uploads.

    python bench/bench_history.py                      # SQLite only
    python bench/bench_history.py --pgport 54334       # and a throwaway PostgreSQL on that port
    python bench/bench_history.py --sizes 10,100       # fewer stores

1. `compute` micro-benchmark: the bundled plan (25 rows) and the example data at 15 November
   2025, the median of single calls (goal: <= 1 ms); for reference also 2,500 and 25,000
   progress rows.
2. The planned curve over a two-year span (1 August 2025 .. 31 July 2027), median of
   single calls (goal: <= 20 ms).
3. History: for each database and size, a fresh store filled with that many uploads (25 rows
   each, a position date every 730/n days from 1 October 2025, progress rising with time), then
   in a fresh Python process per measurement (modules imported and Streamlit warmed on a
   separate empty store first, so only the data's own work is timed):
     Ringkasan cold  the first AppTest run of app.py (the default page) on that store
     Riwayat cold    the first AppTest run of app.py switched to pages/riwayat.py
     Riwayat warm    the median of the next five runs of that same AppTest session
   each cold figure the median of three fresh processes (Ringkasan's and Riwayat's alternating),
   and the ratio Riwayat cold / Ringkasan
   cold (goal at 1,000 uploads: <= 2), also net of what the first run of any new AppTest costs
   (a hello-world page's, timed in the same processes).  PostgreSQL stores are VACUUM ANALYZEd
   after the fill.
   Every run is checked: no exception, and Riwayat lists every upload.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COMPUTE_GOAL_MS, CURVE_GOAL_MS, RATIO_GOAL = 1.0, 20.0, 2.0
COLD_PROCESSES = 3  # each cold figure: the median of this many fresh processes
AS_OF = date(2025, 11, 15)
CURVE_SPAN = (date(2025, 8, 1), date(2027, 7, 31))
HELLO = "import streamlit as st\nst.title('Halo')\n"
EDITORS = "bench:scrypt$16384$8$1$AAAA$AAAA"  # an editor is configured: nothing generated


# --- 1 and 2: in this process -----------------------------------------------------------
def median_ms(fn, repeats: int, budget_s: float = 5.0) -> float:
    """Median of `repeats` single calls (fewer, at least 5, when they exceed the budget)."""
    fn()  # the first call may fill caches of the plan
    times = []
    start = time.perf_counter()
    while len(times) < repeats and (len(times) < 5 or time.perf_counter() - start < budget_s):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def many_rows(plan, n: int):
    import pandas as pd

    rnd = random.Random(n)
    codes = plan.codes
    return pd.DataFrame(
        {
            "row": range(7, 7 + n),
            "code": [codes[i * len(codes) // n] for i in range(n)],
            "activity": [f"Kegiatan {i}" for i in range(n)],
            "pic": [f"PIC {i % 13}" for i in range(n)],
            "progress": [float(rnd.choice([0, 25, 40, 50, 60, 75, 100])) for i in range(n)],
            "status_reported": "",
            "evidence": "",
            "notes": ["catatan" if i % 9 == 0 else "" for i in range(n)],
        }
    )


def counting() -> None:
    from zi_dashboard.counting import history
    from zi_dashboard.counting.metrics import compute
    from zi_dashboard.reading.example import EXAMPLE_FILE
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.progress import read_progress

    plan = load_plan()
    rows = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan).rows
    print("compute (median of single calls)")
    m = median_ms(lambda: compute(plan, rows, AS_OF), 2000)
    print(
        f"  25-row plan, example data     {m:8.3f} ms   goal <= {COMPUTE_GOAL_MS:.0f} ms  "
        f"{'OK' if m <= COMPUTE_GOAL_MS else 'OVER'}"
    )
    for n, reps in ((2_500, 50), (25_000, 20)):
        big = many_rows(plan, n)
        print(f"  {n:>6,} progress rows           {median_ms(lambda big=big: compute(plan, big, AS_OF), reps):8.3f} ms")
    m = median_ms(lambda: compute(plan, rows, AS_OF).indicators, 500)
    print(f"  25 rows, and the indicator table built   {m:8.3f} ms")

    days = (CURVE_SPAN[1] - CURVE_SPAN[0]).days + 1
    m = median_ms(lambda: history.planned_curve(plan, *CURVE_SPAN), 20)
    print(
        f"planned curve, {days} days ({CURVE_SPAN[0]} .. {CURVE_SPAN[1]})  {m:8.2f} ms   "
        f"goal <= {CURVE_GOAL_MS:.0f} ms  {'OK' if m <= CURVE_GOAL_MS else 'OVER'}"
    )


# --- 3: stores and pages -------------------------------------------------------------------
def fill(url: str, n: int) -> None:
    """n uploads of the 25-row plan, saved through Store.save as the upload page does."""
    import pandas as pd

    from zi_dashboard.storage.store import open_store

    store = open_store(url)
    plan_row = store.latest_plan()
    from zi_dashboard.reading.plan import plan_from_bytes

    codes = plan_from_bytes(plan_row.content, plan_row.filename).codes
    rnd = random.Random(n)
    level = {c: 0.0 for c in codes}
    for i in range(n):
        for c in codes:
            if rnd.random() < 0.4:
                level[c] = min(100.0, level[c] + rnd.choice([2.5, 5, 10, 12.5]))
        rows = pd.DataFrame(
            {
                "row": range(6, 6 + len(codes)),
                "code": codes,
                "activity": [f"Kegiatan {c}" for c in codes],
                "pic": [f"PIC {j % 7}" for j in range(len(codes))],
                "progress": [level[c] for c in codes],
                "status_reported": "",
                "evidence": "",
                "notes": [f"catatan unggahan {i}" if rnd.random() < 0.2 else "" for _ in codes],
            }
        )
        position = date(2025, 10, 1) + timedelta(days=i * 730 // n)
        content = (f"Posisi: {position.isoformat()} (unggahan {i + 1})\n" + rows.to_csv(index=False)).encode()
        store.save(content, f"progres-{i + 1:04d}.csv", "Sekretaris", position, rows, plan_row.id)
    assert store.count() == n
    store.dispose()


def worker(page: str, url: str, warm_url: str) -> None:
    """One measurement in a fresh process; prints JSON."""
    os.environ["ZI_EDITORS"] = EDITORS
    from streamlit.testing.v1 import AppTest

    import zi_dashboard.app.ui  # noqa: F401  (imports, not data)

    AppTest.from_string(HELLO, default_timeout=60).run()
    os.environ["ZI_DATABASE_URL"] = warm_url  # Streamlit and plotly warmed on another store
    warm = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    warm.run()
    assert not warm.exception, [e.value for e in warm.exception]

    t = time.perf_counter()  # what any first run of a new AppTest costs, with no data work
    AppTest.from_string(HELLO, default_timeout=60).run()
    fresh = time.perf_counter() - t

    os.environ["ZI_DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page != "pages/ringkasan.py":
        at.switch_page(page)
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    assert not at.exception, [e.value for e in at.exception]
    warm_times = []
    for _ in range(5):
        t = time.perf_counter()
        at.run()
        warm_times.append(time.perf_counter() - t)
        assert not at.exception, [e.value for e in at.exception]
    listed = len(at.dataframe[0].value) if page == "pages/riwayat.py" else None
    print(json.dumps({"cold": cold, "warm": statistics.median(warm_times), "listed": listed, "fresh": fresh}))


def worker_run(page: str, url: str, warm_url: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", page, url, warm_url], capture_output=True, text=True, cwd=ROOT
    )
    if out.returncode != 0:
        raise SystemExit(f"worker failed ({page}, {url}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(pages: list[str], url: str, warm_url: str) -> dict[str, dict]:
    """Per page, medians of COLD_PROCESSES fresh processes, the pages' processes alternating
    (so a change in the machine's load falls on both alike)."""
    runs: dict[str, list[dict]] = {p: [] for p in pages}
    for _ in range(COLD_PROCESSES):
        for p in pages:
            runs[p].append(worker_run(p, url, warm_url))
    return {
        p: {k: (statistics.median(r[k] for r in rs) if k != "listed" else rs[0][k]) for k in rs[0]}
        for p, rs in runs.items()
    }


class Postgres:
    """A throwaway cluster on 127.0.0.1:port, as tests/run.sh starts one."""

    def __init__(self, port: int):
        self.port = port
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="zi-bench-pg."))
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._pg(f"'{self.bin}/initdb' -D '{self.dir}/data' -U postgres -A trust >/dev/null")
        self._pg(
            f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -l '{self.dir}/log' "
            f'-o "-c listen_addresses=127.0.0.1 -p {port} -k {self.dir}" -w start >/dev/null'
        )

    @staticmethod
    def _pg(cmd: str) -> None:
        args = ["su", "postgres", "-s", "/bin/sh", "-c", cmd] if os.getuid() == 0 else ["sh", "-c", cmd]
        subprocess.run(args, check=True)

    def settle(self, name: str) -> None:
        """VACUUM ANALYZE after the fill, so no autovacuum of the fill runs during a measurement."""
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                name,
                "-c",
                "VACUUM ANALYZE",
            ],
            check=True,
        )

    def database(self, name: str) -> str:
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._pg(f"'{self.bin}/pg_ctl' -D '{self.dir}/data' -m fast -w stop >/dev/null")
        shutil.rmtree(self.dir, ignore_errors=True)


def pages(sizes: list[int], pgport: int | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="zi-bench-history."))
    pg = Postgres(pgport) if pgport else None
    try:
        warm_url = f"sqlite:///{tmp / 'warm.sqlite'}"
        backends = [("SQLite", lambda n: f"sqlite:///{tmp / f'h{n}.sqlite'}")]
        if pg:
            backends.append(("PostgreSQL", lambda n: pg.database(f"zi_bench_{n}")))
        print(
            "\nRiwayat against Ringkasan, first (cold) run of a fresh process (median of "
            f"{COLD_PROCESSES} processes); warm: median of 5 runs after"
        )
        print("  net: less the first run of a new hello-world AppTest (Streamlit's own start, no data work)")
        print(
            f"  {'store':<12}{'uploads':>8}{'fill s':>8}{'Ringkasan cold':>16}{'Riwayat cold':>14}"
            f"{'Riwayat warm':>14}{'ratio':>7}{'net ratio':>10}  goal at 1,000: <= {RATIO_GOAL:.0f}x"
        )
        for name, make in backends:
            for n in sizes:
                url = make(n)
                t = time.perf_counter()
                fill(url, n)
                filled = time.perf_counter() - t
                if url.startswith("postgresql"):
                    pg.settle(f"zi_bench_{n}")
                both = measure(["pages/ringkasan.py", "pages/riwayat.py"], url, warm_url)
                ring, riw = both["pages/ringkasan.py"], both["pages/riwayat.py"]
                assert riw["listed"] == n, (riw["listed"], n)
                ratio = riw["cold"] / ring["cold"]
                fresh = statistics.median([ring["fresh"], riw["fresh"]])
                net = max(riw["cold"] - fresh, 0) / max(ring["cold"] - fresh, 1e-3)
                verdict = ("OK" if max(ratio, net) <= RATIO_GOAL else "OVER") if n >= 1000 else ""
                print(
                    f"  {name:<12}{n:>8,}{filled:>8.1f}{ring['cold'] * 1000:>13.0f} ms{riw['cold'] * 1000:>11.0f} ms"
                    f"{riw['warm'] * 1000:>11.0f} ms{ratio:>7.2f}{net:>10.2f}  {verdict}",
                    flush=True,
                )
        print(f"  (a new hello-world AppTest's first run: {fresh * 1000:.0f} ms in the last pair of processes)")
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:5])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--pgport", type=int, default=None)
    ap.add_argument("--no-pages", action="store_true", help="only the compute and curve figures")
    args = ap.parse_args()
    counting()
    if not args.no_pages:
        pages([int(s) for s in args.sizes.split(",")], args.pgport)
    return 0


if __name__ == "__main__":
    sys.exit(main())
