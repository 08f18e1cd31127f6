"""Benchmark: reading a progress spreadsheet, against the floor of a bare pandas read.

    python bench/bench_read.py

For 300, 10,000 and 25,000 data rows it makes a progress .xlsx the way office staff do (title
rows, a header row, sub-activity rows under the 25 plan indicators, progress as whole numbers
and as fractions in '0%' cells, some notes), then times in the same run, alternating:

  floor    pd.read_excel(io.BytesIO(data), engine="calamine") of the same bytes
  ours     read_progress(data, name, plan) + compute(plan, report.rows, 15 November 2025),
           in this process (every guard of reading/sheets.py included)
  sandbox  the same through the child-process reader the app and the CLI use
           (reading/sandbox.read_progress: a fork of the warm reader process, the request
           and the report pickled across) + compute

and prints the medians, the ratios ours/floor and sandbox/floor, the goals
(in-process ratio <= 1.25 at 25,000 rows; the 300-row file under 0.1 s end to end through the
child-process reader) and the peak Python memory (tracemalloc) of one pipeline run at 25,000
rows.
Every pipeline run is checked: the report is valid and holds exactly the rows generated, with
the progress values the file was made with.
"""

from __future__ import annotations

import datetime
import gc
import io
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402

from zi_dashboard.counting.metrics import compute  # noqa: E402
from zi_dashboard.reading import sandbox  # noqa: E402
from zi_dashboard.reading.plan import load_plan  # noqa: E402
from zi_dashboard.reading.progress import read_progress  # noqa: E402

AS_OF = datetime.date(2025, 11, 15)
SIZES = [(300, 20), (10_000, 5), (25_000, 5)]  # (data rows, repeats)
RATIO_GOAL_ROWS, RATIO_GOAL = 25_000, 1.25  # in-process, against the bare calamine read
ABS_GOAL_ROWS, ABS_GOAL_S = 300, 0.1  # end to end through the child-process reader
MEMORY_ROWS = 25_000

HEADERS = [
    "Kode",
    "Komponen",
    "Indikator/Program",
    "Kegiatan",
    "PIC",
    "Progres (%)",
    "Status",
    "Bukti Dukung",
    "Keterangan",
]
PROGRESS_COL = HEADERS.index("Progres (%)") + 1
PICS = [
    "Sekretaris",
    "Ketua Tim ZI",
    "Kasubbag Parmas & SDM",
    "Kasubbag Teknis & Hukum",
    "Kasubbag KUL",
    "Kasubbag Rendatin",
    "Operator SIMPEG",
    "Bendahara",
]
VERBS = [
    "Penyusunan",
    "Sosialisasi",
    "Reviu",
    "Monitoring",
    "Evaluasi",
    "Pelaporan",
    "Rapat koordinasi",
    "Pengumpulan bukti",
    "Penetapan",
    "Publikasi",
]
OBJECTS = [
    "dokumen",
    "SK",
    "SOP",
    "laporan bulanan",
    "notulen",
    "daftar hadir",
    "materi",
    "survei",
    "formulir",
    "tindak lanjut",
]
NOTES = [
    "Menunggu tanda tangan pimpinan",
    "Dijadwalkan minggu depan",
    "Bukti dukung sedang diunggah",
    "Kendala jaringan SIMPEG",
    "Perlu koordinasi dengan KPU Provinsi",
    "Sudah dilaporkan ke Tim Penilai Internal",
]


def make_sheet(n_rows: int, plan, path: Path, seed: int = 2025) -> list[float]:
    """Write a progress .xlsx with n_rows data rows; return the progress (percent) of each
    data row, in sheet order, as the reader should find it."""
    rnd = random.Random(seed + n_rows)
    codes = plan.codes
    names = dict(zip(plan.rows["code"], plan.rows["indicator"], strict=False))
    components = dict(zip(plan.rows["code"], plan.rows["component"], strict=False))
    per_code = [n_rows // len(codes) + (1 if i < n_rows % len(codes) else 0) for i in range(len(codes))]

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Progres ZI"
    ws.append(["LAPORAN PROGRES RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS KPU KOTA TASIKMALAYA"])
    ws.append(["Posisi: 15 November 2025"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)

    expected: list[float] = []
    last_component = None
    for code, count in zip(codes, per_code, strict=False):
        for k in range(count):
            comp = components[code]
            comp_cell = f"{code.split('.')[0]}. {comp}" if comp != last_component else None
            last_component = comp
            kind = rnd.random()
            pct_cell = False
            if kind < 0.70:  # whole number, as typed
                value = rnd.choice([0, 100, rnd.randint(0, 100)])
                pct = float(value)
            elif kind < 0.95:  # a fraction in a '0%' cell (typed as "35%")
                hundredths = rnd.randint(0, 100)
                value = hundredths / 100
                pct = float(hundredths)
                pct_cell = True
            else:  # a decimal percentage
                value = rnd.randint(0, 199) / 2
                pct = value
            status = "Selesai" if pct >= 100 else ("Belum mulai" if pct == 0 else "Proses")
            evidence = f"https://drive.google.com/drive/folders/zi-{code}-{k + 1}" if rnd.random() < 0.4 else None
            note = rnd.choice(NOTES) if rnd.random() < 0.3 else None
            activity = f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} {names[code].lower()} ({k + 1})"
            ws.append([code, comp_cell, names[code], activity, rnd.choice(PICS), value, status, evidence, note])
            if pct_cell:
                # the row just appended (ws.max_row would rescan every cell: quadratic)
                ws.cell(row=3 + len(expected) + 1, column=PROGRESS_COL).number_format = "0%"
            expected.append(pct)
    ws.append([])
    ws.append([None, None, None, None, "Tasikmalaya, 15 November 2025"])
    ws.append([None, None, None, None, "Ketua Tim ZI"])
    for col, width in zip("ABCDEFGHI", [7, 30, 38, 60, 24, 11, 12, 50, 40], strict=False):
        ws.column_dimensions[col].width = width
    wb.save(path)
    assert len(expected) == n_rows
    return expected


def floor_read(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), engine="calamine")


def pipeline(data: bytes, name: str, plan):
    report = read_progress(data, name, plan)
    result = compute(plan, report.rows, AS_OF)
    return report, result


def sandboxed(data: bytes, name: str, plan):
    report = sandbox.read_progress(data, name, plan)
    result = compute(plan, report.rows, AS_OF)
    return report, result


def check(report, result, expected: list[float], n_rows: int) -> None:
    """The benchmark must measure real work: a valid report with every generated row."""
    assert report.valid, [p.text() for p in report.errors][:5]
    assert len(report.rows) == n_rows, (len(report.rows), n_rows)
    got = report.rows["progress"].round(9).tolist()
    assert got == expected, "progress values differ from the generated ones"
    assert report.position_date == AS_OF, report.position_date
    assert len(result.indicators) == 25


CPU: dict[str, list[float]] = {"floor": [], "ours": []}  # this process's CPU time per run


def timed(fn, *args, cpu: str | None = None) -> tuple[float, object]:
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn(*args)
    took = time.perf_counter() - t0
    if cpu is not None:
        CPU[cpu].append(time.process_time() - c0)
    return took, out


def main() -> int:
    t_start = time.perf_counter()
    plan = load_plan()
    sandbox.warm()
    assert len(plan.codes) == 25
    results = []
    with tempfile.TemporaryDirectory(prefix="zi-bench-") as tmp:
        files = {}
        for n_rows, _ in SIZES:
            path = Path(tmp) / f"progres-{n_rows}.xlsx"
            t0 = time.perf_counter()
            expected = make_sheet(n_rows, plan, path)
            files[n_rows] = (path, expected)
            print(
                f"generated {path.name}: {n_rows:,} data rows, {path.stat().st_size / 1024:,.0f} KiB "
                f"in {time.perf_counter() - t0:.1f} s",
                flush=True,
            )
        print()

        for n_rows, repeats in SIZES:
            path, expected = files[n_rows]
            data = path.read_bytes()
            name = path.name
            # warm-up (untimed) of both, and the sanity checks
            floor_df = floor_read(data)
            # row 1 becomes pandas' header; then 'Posisi', our header, the data, blank + signature
            assert n_rows + 2 <= len(floor_df) <= n_rows + 5, len(floor_df)
            report, result = pipeline(data, name, plan)
            check(report, result, expected, n_rows)
            check(*sandboxed(data, name, plan), expected, n_rows)
            runs = {"floor": [], "ours": [], "sandbox": []}
            CPU["floor"].clear()
            CPU["ours"].clear()
            kinds = list(runs)
            for i in range(repeats):
                for which in kinds[i % 3 :] + kinds[: i % 3]:  # each goes first in turn
                    if which == "floor":
                        t, _ = timed(floor_read, data, cpu="floor")
                    else:
                        t, (report, result) = timed(
                            pipeline if which == "ours" else sandboxed,
                            data,
                            name,
                            plan,
                            cpu="ours" if which == "ours" else None,
                        )
                        check(report, result, expected, n_rows)
                    runs[which].append(t)
            f_med, o_med, s_med = (statistics.median(runs[k]) for k in kinds)
            cpu_ratio = statistics.median(CPU["ours"]) / statistics.median(CPU["floor"])
            results.append(
                (
                    n_rows,
                    repeats,
                    f_med,
                    o_med,
                    o_med / f_med,
                    s_med,
                    s_med / f_med,
                    len(report.rows),
                    len(report.warnings),
                    cpu_ratio,
                )
            )
            print(
                f"timed {n_rows:,} rows x {repeats}: floor {f_med:.3f} s, ours {o_med:.3f} s, sandboxed {s_med:.3f} s",
                flush=True,
            )

        # peak Python-heap memory of one pipeline run (calamine's own Rust allocations are not seen)
        path, expected = files[MEMORY_ROWS]
        data = path.read_bytes()
        gc.collect()
        tracemalloc.start()
        report, result = pipeline(data, path.name, plan)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        check(report, result, expected, MEMORY_ROWS)
        tracemalloc.start()
        floor_df = floor_read(data)
        _, floor_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del floor_df

    print()
    print(
        f"{'rows':>8} {'reps':>5} {'floor s':>9} {'ours s':>9} {'ours/floor':>11} "
        f"{'sandbox s':>10} {'sandbox/floor':>14} {'rows read':>10} {'warnings':>9} {'CPU ours/floor':>15}"
    )
    for n_rows, repeats, f_med, o_med, ratio, s_med, s_ratio, read, warns, cpu_ratio in results:
        print(
            f"{n_rows:>8,} {repeats:>5} {f_med:>9.3f} {o_med:>9.3f} {ratio:>11.2f} "
            f"{s_med:>10.3f} {s_ratio:>14.2f} {read:>10,} {warns:>9} {cpu_ratio:>15.2f}"
        )
    print("(wall-clock medians; the CPU column is this process's CPU time, steadier on a shared machine)")
    print()
    by_rows = {r[0]: r for r in results}
    ratio = by_rows[RATIO_GOAL_ROWS][4]
    abs_t = by_rows[ABS_GOAL_ROWS][5]
    print("Goals:")
    print(
        f"  in-process ours/floor <= {RATIO_GOAL:.2f} at {RATIO_GOAL_ROWS:,} rows: {ratio:.2f}  "
        f"{'OK' if ratio <= RATIO_GOAL else 'OVER'} (CPU time: {by_rows[RATIO_GOAL_ROWS][9]:.2f})"
    )
    print(
        f"  sandboxed (child-process reader), end to end, under {ABS_GOAL_S:g} s at {ABS_GOAL_ROWS:,} rows: "
        f"{abs_t:.3f} s  {'OK' if abs_t < ABS_GOAL_S else 'OVER'}"
    )
    print()
    print(
        f"Peak memory (tracemalloc, Python heap) of one pipeline run at {MEMORY_ROWS:,} rows: "
        f"{peak / 1e6:.1f} MB (floor read_excel: {floor_peak / 1e6:.1f} MB)"
    )
    print(f"\nTotal benchmark time: {time.perf_counter() - t_start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
