"""Target periods as people write them -> (start, end) dates, both inclusive.

See docs/counting.md, "Target periods, as people write them".  A period runs from the first day of
its first month to the last day of its last month; an explicit date is that one day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime


class PeriodError(ValueError):
    """The text cannot be read as a period."""


_MONTH_WORDS = {
    1: ["januari", "jan"],
    2: ["februari", "feb", "pebruari", "peb"],
    3: ["maret", "mar"],
    4: ["april", "apr"],
    5: ["mei"],
    6: ["juni", "jun"],
    7: ["juli", "jul"],
    8: ["agustus", "agu", "agt", "ags", "agst"],
    9: ["september", "sep", "sept"],
    10: ["oktober", "okt"],
    11: ["november", "nov", "nopember", "nop"],
    12: ["desember", "des"],
}
MONTH_BY_WORD = {w: m for m, words in _MONTH_WORDS.items() for w in words}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class _Point:
    """One side of a range: a span of days, possibly missing its year (or month)."""

    first_month: int | None
    last_month: int | None
    year: int | None
    day: int | None = None  # an explicit day (first_month == last_month)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _parse_point(text: str) -> _Point | None:
    t = text.strip().strip(",").strip()
    if not t:
        return None
    # numeric dates: 31/12/2025, 31-12-2025, 31.12.2025, 2025-12-31
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return _Point(mo, mo, y, d)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})", t)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        if y < 100:
            y += 2000
        return _Point(mo, mo, y, d)
    # quarters and halves
    m = re.fullmatch(r"(?:triwulan|tw|kuartal|q)\s*\.?\s*(iv|iii|ii|i|[1-4])(?:\s+(?:tahun\s+)?(\d{4}))?", t)
    if m:
        q = _ROMAN.get(m[1]) or int(m[1])
        return _Point(3 * q - 2, 3 * q, int(m[2]) if m[2] else None)
    m = re.fullmatch(r"(?:semester|smt|sem)\s*\.?\s*(ii|i|[12])(?:\s+(?:tahun\s+)?(\d{4}))?", t)
    if m:
        h = _ROMAN.get(m[1]) or int(m[1])
        return _Point(6 * h - 5, 6 * h, int(m[2]) if m[2] else None)
    # [day] month [year]
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\.?(?:\s+(\d{4}))?", t)
    if m and m[2] in MONTH_BY_WORD:
        mo = MONTH_BY_WORD[m[2]]
        return _Point(mo, mo, int(m[3]) if m[3] else None, int(m[1]) if m[1] else None)
    # a whole year
    m = re.fullmatch(r"(?:tahun\s+)?(\d{4})", t)
    if m:
        return _Point(1, 12, int(m[1]))
    # a bare day ("1 - 31 Oktober 2025": the left side)
    m = re.fullmatch(r"(\d{1,2})", t)
    if m:
        return _Point(None, None, None, int(m[1]))
    return None


_SEPARATORS = [
    r"\s*\bsampai\s+dengan\b\s*",
    r"\s*\bs\s*\.\s*d\s*\.?\s*",
    r"\s*\bs\s*/\s*d\b\.?\s*",
    r"\s*\bsd\b\.?\s*",
    r"\s*\bsampai\b\s*",
    r"\s*\bhingga\b\s*",
    r"\s+-\s+",
    r"\s*-\s*",
]


def _normalise(text: str) -> str:
    t = str(text).replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    t = re.sub(r"\s+", " ", t.lower()).strip()
    return t


def _day_of(y: int, mo: int, d: int, original: str) -> date:
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise PeriodError(original) from exc


def _resolve(left: _Point, right: _Point, original: str) -> tuple[date, date]:
    # fill what the left side leaves out from the right side
    r_year = right.year
    if r_year is None:
        raise PeriodError(original)
    r_first, r_last = right.first_month, right.last_month
    if r_first is None or r_last is None:
        raise PeriodError(original)
    l_first = left.first_month if left.first_month is not None else r_first
    l_year = left.year
    if l_year is None:
        l_year = r_year if l_first <= r_first else r_year - 1
    start = _day_of(l_year, l_first, left.day, original) if left.day else date(l_year, l_first, 1)
    end = _day_of(r_year, r_last, right.day, original) if right.day else _month_end(r_year, r_last)
    if end < start:
        raise PeriodError(original)
    return start, end


def parse_period(value: object) -> tuple[date, date]:
    """Read a target period; raise PeriodError naming the text when it cannot be read."""
    if isinstance(value, datetime):
        return value.date(), value.date()
    if isinstance(value, date):
        return value, value
    if value is None:
        raise PeriodError("")
    original = str(value)
    t = _normalise(original)
    if not t:
        raise PeriodError(original)
    whole = _parse_point(t)
    if whole is not None and whole.year is not None and whole.first_month is not None:
        return _resolve(whole, whole, original)
    for sep in _SEPARATORS:
        parts = re.split(sep, t)
        if len(parts) != 2:
            continue
        left, right = _parse_point(parts[0]), _parse_point(parts[1])
        if left is None or right is None:
            continue
        if right.first_month is None:
            continue
        return _resolve(left, right, original)
    raise PeriodError(original)


def find_date(text: str) -> date | None:
    """The first '15 November 2025' / '15/11/2025' / '2025-11-15' found in free text."""
    t = _normalise(text)
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.search(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", t)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    for m in re.finditer(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", t):
        if m[2] in MONTH_BY_WORD:
            try:
                return date(int(m[3]), MONTH_BY_WORD[m[2]], int(m[1]))
            except ValueError:
                return None
    return None


_HEADER_PERIOD_RE = re.compile(
    r"\b(?:(?:triwulan|tw|kuartal|q)\s*\.?\s*(iv|iii|ii|i|[1-4])"
    r"|(?:semester|smt|sem)\s*\.?\s*(ii|i|[12])"
    r"|(" + "|".join(sorted(MONTH_BY_WORD, key=len, reverse=True)) + r"))\b\.?(?:\s+(\d{4}))?"
)


def header_period(text: object) -> tuple[int, int, int | None] | None:
    """The period a column header names, the last one written: 'Realisasi November (%)' ->
    (11, 11, None); 'Progres s.d. TW III 2025' -> (7, 9, 2025); None when it names none.
    -> (first month, last month, year or None)."""
    t = re.sub(r"[^\w.]+", " ", _normalise(str(text or "")))
    found = None
    for m in _HEADER_PERIOD_RE.finditer(t):
        year = int(m[4]) if m[4] else None
        if m[1]:
            q = _ROMAN.get(m[1]) or int(m[1])
            found = (3 * q - 2, 3 * q, year)
        elif m[2]:
            h = _ROMAN.get(m[2]) or int(m[2])
            found = (6 * h - 5, 6 * h, year)
        else:
            mo = MONTH_BY_WORD[m[3]]
            found = (mo, mo, year)
    return found


def month_end(year: int, month: int) -> date:
    return _month_end(year, month)
