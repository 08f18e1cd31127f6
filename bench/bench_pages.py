"""Time to run each page with AppTest (one run after the first), against a hello-world page.

    python bench/bench_pages.py

Two data sets: the bundled example (25 plan rows, one row each) and a generated 2,500-row
progress file (sub-activities across the 25 indicators) stored as the data in use.  The
hello-world AppTest run is timed in the same process, alternating with the pages.
Goal: every page under 3x the hello-world run at 2,500 rows.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from zi_dashboard.reading.caching import clear_all  # noqa: E402
from zi_dashboard.reading.plan import load_plan  # noqa: E402

PAGES = [
    "pages/ringkasan.py",
    "pages/linimasa.py",
    "pages/terlambat.py",
    "pages/tabel.py",
    "pages/riwayat.py",
    "pages/unggah.py",
    "pages/rapat.py",
]
REPEATS = 7
GOAL = 3.0
HELLO = "import streamlit as st\nst.title('Halo')\nst.write('Dashboard')\n"


def progress_file(n_rows: int) -> bytes:
    plan = load_plan()
    rnd = random.Random(n_rows)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["LAPORAN PROGRES ZI"])
    ws.append(["Posisi: 15 November 2025"])
    ws.append(["Kode", "Indikator/Program", "Kegiatan", "PIC", "Progres (%)", "Keterangan"])
    codes = plan.codes
    for i in range(n_rows):
        code = codes[i * len(codes) // n_rows]
        ws.append(
            [
                code,
                None,
                f"Kegiatan {i + 1}",
                f"PIC {i % 17}",
                rnd.choice([0, 25, 50, 75, 100, 40, 60]),
                "catatan" if i % 9 == 0 else None,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def timed_run(at: AppTest) -> float:
    t = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def page_app(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()  # the first run of the page: caches warm
    return at


def measure(label: str) -> dict[str, float]:
    hello = AppTest.from_string(HELLO, default_timeout=60)
    hello.run()
    apps = {p: page_app(p) for p in PAGES}
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    hello_times: list[float] = []
    for _ in range(REPEATS):
        for p in PAGES:
            hello_times.append(timed_run(hello))
            times[p].append(timed_run(apps[p]))
    base = statistics.median(hello_times)
    print(f"\n{label}: hello-world AppTest run {base * 1000:.1f} ms (median of {len(hello_times)})")
    print(f"  {'page':<22}{'median ms':>10}{'ratio':>8}  goal <= {GOAL:.0f}x")
    print("  (AppTest runs a switched-to page directly; the page then runs the router in its")
    print("   place, as on a fresh server: these runs include that extra step)")
    out = {}
    for p in PAGES:
        m = statistics.median(times[p])
        out[p] = m / base
        print(f"  {p:<22}{m * 1000:>10.1f}{m / base:>8.2f}  {'OK' if m / base <= GOAL else 'OVER'}")
    return out


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    os.environ["ZI_EDITORS"] = "bench:scrypt$16384$8$1$AAAA$AAAA"  # no generated editor to announce
    os.environ["ZI_DATABASE_URL"] = f"sqlite:///{tmp / 'example.sqlite'}"
    clear_all()  # every service cache: each data set starts cold
    measure("Bundled plan, example data (25 rows)")

    os.environ["ZI_DATABASE_URL"] = f"sqlite:///{tmp / 'big.sqlite'}"
    clear_all()  # every service cache: each data set starts cold
    from zi_dashboard.reading.plan import plan_from_bytes
    from zi_dashboard.reading.progress import read_progress
    from zi_dashboard.storage.store import open_store

    store = open_store()
    stored = store.latest_plan()
    data = progress_file(2500)
    report = read_progress(data, "progres-2500-baris.xlsx", plan_from_bytes(stored.content, stored.filename))
    assert report.valid and len(report.rows) == 2500
    store.save(data, "progres-2500-baris.xlsx", "bench", report.position_date, report.rows, stored.id)
    ratios = measure("2,500-row progress file")
    worst = max(ratios.values())
    print(f"\nWorst page at 2,500 rows: {worst:.2f}x the hello-world run: {'OK' if worst <= GOAL else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
