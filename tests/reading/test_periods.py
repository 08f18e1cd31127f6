from datetime import date, datetime

import pytest

from zi_dashboard.reading.periods import PeriodError, find_date, parse_period

D = date


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("Oktober 2025", D(2025, 10, 1), D(2025, 10, 31)),
        ("oktober 2025", D(2025, 10, 1), D(2025, 10, 31)),
        ("Okt. 2025", D(2025, 10, 1), D(2025, 10, 31)),
        ("Oktober s/d Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober s.d. Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Okt sd Des 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober sampai dengan Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober sampai Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober hingga Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober - Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober – Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Oktober 2025 s.d. Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Agustus s/d Desember 2025", D(2025, 8, 1), D(2025, 12, 31)),
        ("Agu s.d. Des 2025", D(2025, 8, 1), D(2025, 12, 31)),
        ("Agt 2025", D(2025, 8, 1), D(2025, 8, 31)),
        ("Ags 2025", D(2025, 8, 1), D(2025, 8, 31)),
        ("Peb 2024", D(2024, 2, 1), D(2024, 2, 29)),
        ("Pebruari 2025", D(2025, 2, 1), D(2025, 2, 28)),
        ("Nop 2025", D(2025, 11, 1), D(2025, 11, 30)),
        ("Nopember 2025", D(2025, 11, 1), D(2025, 11, 30)),
        ("Sept 2025", D(2025, 9, 1), D(2025, 9, 30)),
        ("November 2025 s.d. Februari 2026", D(2025, 11, 1), D(2026, 2, 28)),
        ("November s.d. Februari 2026", D(2025, 11, 1), D(2026, 2, 28)),
        ("Triwulan IV 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("TW IV 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("TW 4 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("Triwulan I 2026", D(2026, 1, 1), D(2026, 3, 31)),
        ("Semester II 2025", D(2025, 7, 1), D(2025, 12, 31)),
        ("Semester 1 2026", D(2026, 1, 1), D(2026, 6, 30)),
        ("31 Desember 2025", D(2025, 12, 31), D(2025, 12, 31)),
        ("31/12/2025", D(2025, 12, 31), D(2025, 12, 31)),
        ("1 Oktober 2025 s.d. 31 Desember 2025", D(2025, 10, 1), D(2025, 12, 31)),
        ("  OKTOBER   S/D   DESEMBER 2025 ", D(2025, 10, 1), D(2025, 12, 31)),
    ],
)
def test_periods_people_write(text, start, end):
    assert parse_period(text) == (start, end)


def test_real_date_cells():
    assert parse_period(date(2025, 12, 31)) == (D(2025, 12, 31), D(2025, 12, 31))
    assert parse_period(datetime(2025, 12, 31, 0, 0)) == (D(2025, 12, 31), D(2025, 12, 31))


@pytest.mark.parametrize("text", ["segera", "Oktober", "", "31 Februari 2025", "TW V 2025", "13/13/2025"])
def test_unreadable_periods_raise(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_find_position_date_in_free_text():
    assert find_date("Posisi: 15 November 2025") == D(2025, 11, 15)
    assert find_date("per tanggal 15/11/2025") == D(2025, 11, 15)
    assert find_date("Posisi per: 2025-11-15") == D(2025, 11, 15)
    assert find_date("Posisi per:") is None
