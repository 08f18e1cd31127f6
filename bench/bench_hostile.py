"""Benchmark: the hostile files of tests/killers.py, read as the app and the CLI read
them, in the child process of zi_dashboard.reading.sandbox; and the example file's read time in-process
against sandboxed.

    python bench/bench_hostile.py                 # sandboxed, this code
    python bench/bench_hostile.py --in-process    # each file in a fresh process, no sandbox
    python bench/bench_hostile.py --in-process --root /path/to/other/checkout   # e.g. main

Per file: the outcome (valid / refused with which message / too heavy), the wall time, and the
memory of the process that read it: for the sandbox, the child's peak resident memory and how
much of it came on top of what the child started with (the ceiling, ZI_READ_MEMORY_MB, applies
to that part); in-process, the reading process's peak resident memory (ru_maxrss) and its
increase over the process before reading.  The floors the issue names: every read well inside
the limits (512 MB, 20 s), the server never down; the example file not much slower sandboxed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import killers as K  # noqa: E402

IN_PROCESS = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
try:
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.progress import read_progress
    from zi_dashboard.reading.sheets import UnreadableFile
except ImportError:  # the layout before the layers
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.progress import read_progress
    from zi_dashboard.reading.sheets import UnreadableFile
plan = load_plan()
data = open(sys.argv[2], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
try:
    r = read_progress(data, sys.argv[3], plan)
    out = "valid" if r.valid else "invalid: " + r.errors[0].message
except UnreadableFile as exc:
    out = "refused: " + str(exc)
took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": out, "seconds": took, "peak_mb": peak, "added_mb": peak - base}))
"""


def short(text: str) -> str:
    for key, label in (
        ("terlalu berat", "TOO HEAVY"),
        ("terlalu luas", "area refused"),
        ("bukan buku kerja", "not a workbook"),
        ("melebihi batas", "over a limit"),
    ):
        if key in text:
            return f"{text.split(':')[0]}: {label}" if text.startswith("refused") else label
    return text[:40]


def sandboxed(files) -> None:
    from zi_dashboard.reading import limits, sandbox
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.sheets import UnreadableFile

    plan = load_plan()
    sandbox.run("progress", K.table(), "warm.xlsx", plan, None)  # the reader process is up
    print(f"sandboxed (limits: {limits.READ_MEMORY_MB:.0f} MB, {limits.READ_SECONDS:.0f} s)")
    print(f"{'file':34} {'size':>9} {'outcome':32} {'time':>7} {'child peak':>11} {'above start':>12}")
    for name, filename, build in files:
        data = build()
        stats: dict = {}
        t = time.perf_counter()
        try:
            rep = sandbox.run("progress", data, filename, plan, None, filename=filename, stats=stats)
            outcome = "valid" if rep.valid else "invalid"
        except UnreadableFile as exc:
            outcome = "refused: " + str(exc)
        took = time.perf_counter() - t
        peak = f"{stats['peak_mb']:.0f} MB" if stats else "killed"
        above = f"{stats['peak_mb'] - stats['start_mb']:.0f} MB" if stats else "-"
        print(f"{name:34} {len(data) / 1024:7.0f} KB {short(outcome):32} {took:6.2f}s {peak:>11} {above:>12}")


def in_process(files, root: Path) -> None:
    import tempfile

    print(f"in-process, code at {root}")
    print(f"{'file':34} {'size':>9} {'outcome':32} {'time':>7} {'peak RSS':>10} {'added':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, filename, build in files:
            data = build()
            path = Path(tmp) / filename
            path.write_bytes(data)
            t = time.perf_counter()
            try:
                p = subprocess.run(
                    [sys.executable, "-c", IN_PROCESS, str(root), str(path), filename],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    cwd=tmp,
                )
            except subprocess.TimeoutExpired:
                print(f"{name:34} {len(data) / 1024:7.0f} KB {'still reading after 300 s':32}")
                continue
            if p.returncode != 0:
                last = p.stderr.strip().splitlines()[-1][:60] if p.stderr.strip() else ""
                print(
                    f"{name:34} {len(data) / 1024:7.0f} KB {'PROCESS DIED, exit ' + str(p.returncode):32} "
                    f"{time.perf_counter() - t:6.2f}s   ({last})"
                )
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            print(
                f"{name:34} {len(data) / 1024:7.0f} KB {short(r['outcome']):32} {r['seconds']:6.2f}s "
                f"{r['peak_mb']:7.0f} MB {r['added_mb']:6.0f} MB"
            )


def example_file(repeats: int = 15) -> None:
    from zi_dashboard.reading import sandbox
    from zi_dashboard.reading.example import EXAMPLE_FILE
    from zi_dashboard.reading.plan import load_plan
    from zi_dashboard.reading.progress import read_progress

    plan, data = load_plan(), EXAMPLE_FILE.read_bytes()
    read_progress(data, EXAMPLE_FILE.name, plan)
    sandbox.read_progress(data, EXAMPLE_FILE.name, plan)
    inside, outside = [], []
    for _ in range(repeats):  # alternating, so load on the machine hits both alike
        t = time.perf_counter()
        read_progress(data, EXAMPLE_FILE.name, plan)
        inside.append(time.perf_counter() - t)
        t = time.perf_counter()
        sandbox.read_progress(data, EXAMPLE_FILE.name, plan)
        outside.append(time.perf_counter() - t)
    a, b = statistics.median(inside), statistics.median(outside)
    print(
        f"\nexample file {EXAMPLE_FILE.name}: in-process {a * 1000:.0f} ms, sandboxed {b * 1000:.0f} ms "
        f"(median of {repeats}; +{(b - a) * 1000:.0f} ms, ratio {b / a:.1f})"
    )
    t = time.perf_counter()
    sandbox._zygote().close()
    sandbox._ZYGOTE = None
    sandbox._zygote()
    print(f"starting the reader process (once per server or CLI run): {(time.perf_counter() - t) * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--in-process", action="store_true")
    ap.add_argument("--root", default=str(ROOT), help="code tree to read with (in-process mode)")
    ap.add_argument("--only", help="only files whose name contains this")
    args = ap.parse_args()
    files = [f for f in K.KILLERS if not args.only or args.only in f[0]]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    if args.in_process:
        in_process(files, Path(args.root))
    else:
        sandboxed(files)
        example_file()


if __name__ == "__main__":
    main()
