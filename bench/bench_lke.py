"""Scoring a full LKE (every question answered, every percentage from its counts) against the
goal of at most 1 ms per score.  Run: python bench/bench_lke.py"""

from __future__ import annotations

import statistics
import time

from zi_dashboard.counting.lke_score import score
from zi_dashboard.reading.lke_answers import Answer
from zi_dashboard.reading.lke_instrument import load_instrument

GOAL_MS = 1.0


def full_answers(instrument):
    by_kind = {"YA_TIDAK": "YA", "ABC": "B", "ABCD": "B", "ABCDE": "B", "NILAI_0_4": 3.4, "JUMLAH": 7}
    return {q.row: Answer(q.row, by_kind[q.kind]) for q in instrument.questions if q.kind in by_kind}


def main() -> None:
    instrument = load_instrument(2026)
    answers = full_answers(instrument)
    score(instrument, answers)  # warm: the instrument's lookups are built once
    runs = []
    for _ in range(7):
        n = 500
        t = time.perf_counter()
        for _ in range(n):
            score(instrument, answers)
        runs.append((time.perf_counter() - t) / n * 1000)
    ms = statistics.median(runs)
    print(
        f"score a full LKE ({len(instrument.questions)} lines): {ms:.3f} ms median of 7 x 500 "
        f"(best {min(runs):.3f}); goal <= {GOAL_MS} ms: ratio {ms / GOAL_MS:.2f} "
        f"{'OK' if ms <= GOAL_MS else 'OVER'}"
    )


if __name__ == "__main__":
    main()
