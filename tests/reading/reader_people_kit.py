"""What the tests of the progress reader against office-made spreadsheets share: the values,
the read and the checks (tests/reading/test_reader_people*.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import CODES

from zi_dashboard.counting.metrics import compute
from zi_dashboard.reading.progress import read_progress

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 11, 15)
# distinct progress per code (4, 8, ..., 100) so a row matched to the wrong code shows
DISTINCT = {c: float(4 * (i + 1)) for i, c in enumerate(CODES)}


def read(plan, data: bytes, name: str):
    return read_progress(data, name, plan)


def progress_by_code(report) -> dict[str, float]:
    return report.rows.groupby("code")["progress"].mean().to_dict()


def indicator_progress(plan, report, as_of: date = AS_OF) -> dict[str, float]:
    res = compute(plan, report.rows, as_of)
    return dict(zip(res.indicators["code"], res.indicators["progress"], strict=False))


def problems_text(report) -> str:
    return "\n".join(f"[{p.level}] {p.text()}" for p in report.problems)


def assert_clean(report):
    """Valid: no errors (warnings are checked by the tests that expect none)."""
    assert report.valid, problems_text(report)
    assert report.errors == [], problems_text(report)


def assert_all_distinct(report):
    got = progress_by_code(report)
    assert got == pytest.approx(DISTINCT), problems_text(report)


def the_error(report):
    assert len(report.errors) == 1, problems_text(report)
    return report.errors[0]
