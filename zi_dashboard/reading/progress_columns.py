"""Which column of a progress table holds the progress: the one chosen by the editor, the only
one, columns for successive periods (Okt, Nov, Des), or the one ZI monitoring counts (the
physical progress rather than money); otherwise an error naming the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading.header import Table, normalise_header
from zi_dashboard.reading.periods import header_period, month_end
from zi_dashboard.reading.plan import Plan
from zi_dashboard.reading.problems import Problem, error, warning


def filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Source:
    """A column progress is read from; with columns per period, the period it reports."""

    col: int
    head: str
    start: date = date.min
    end: date = date.max


def _period_sources(candidates: list[tuple[int, str]], first_year: int) -> list[Source] | None:
    """Candidate columns as successive periods (left to right, a year added where the months
    wrap), or None when one names no period or they do not follow each other."""
    out: list[Source] = []
    year = None
    for col, head in candidates:
        period = header_period(head)
        if period is None:
            return None
        first, last, written_year = period
        if written_year is not None:
            year = written_year
        elif year is None:
            year = first_year
        elif out and first < out[-1].start.month:
            year += 1
        start, end = date(year, first, 1), month_end(year, last)
        if out and (start <= out[-1].start or end <= out[-1].end):
            return None
        out.append(Source(col, head, start, end))
    return out


# a column about money ("Realisasi Keuangan (%)") gives way to one about the work itself
_MONEY_WORDS = {"keuangan", "anggaran", "biaya", "dana", "serapan"}


def _preferred(candidates: list[tuple[int, str]]) -> tuple[tuple[int, str], str] | None:
    """Of several progress-like columns, the one ZI monitoring counts: the only physical one
    ("REALISASI FISIK (%)"), else the only one not about money; None when that does not decide.
    -> (column, why)."""
    words = [(ch, set(normalise_header(ch[1]).split())) for ch in candidates]
    physical = [ch for ch, w in words if "fisik" in w]
    if len(physical) == 1:
        return physical[0], L.msg("progress_why_physical")
    if physical:
        return None
    not_money = [ch for ch, w in words if not _MONEY_WORDS & w]
    if len(not_money) == 1 and len(candidates) > 1:
        return not_money[0], L.msg("progress_why_not_money")
    return None


def progress_sources(table: Table, plan: Plan, choice: str | None) -> tuple[list[Source], Problem | None]:
    """The column(s) progress is read from: the one chosen (any named column of the table); the
    only one; columns for successive periods; or the preferred one (_preferred, with a note
    naming it).  Otherwise an error naming the candidates (the file is not used)."""
    candidates = table.progress_columns or [(table.columns["progress"], table.headers["progress"])]
    names = ", ".join(repr(h) for _, h in candidates)
    if choice is not None:
        picked = [Source(c, h) for c, h in [*candidates, *table.all_columns] if h == choice]
        if not picked:
            return [], error(L.msg("progress_column_not_found", column=choice, columns=names), table.header_row)
        return picked[:1], None
    if len(candidates) == 1:
        return [Source(*candidates[0])], None
    lo = plan.span[0]
    first_year = lo.year if isinstance(lo, (date, pd.Timestamp)) and not pd.isna(lo) else 2000
    periods = _period_sources(candidates, first_year)
    if periods is not None:
        return periods, None
    preferred = _preferred(candidates)
    if preferred is None:
        return [], error(L.msg("progress_columns_ambiguous", columns=names), table.header_row)
    (col, head), why = preferred
    others = ", ".join(repr(h) for c, h in candidates if c != col)
    return [Source(col, head)], warning(L.msg("progress_column_preferred", column=head, why=why, others=others))


def column_choices(table: Table, undecided: bool) -> list[str]:
    """The columns an editor may read progress from: the progress-like ones when there are
    several; every named column when the reader could not use the one it took (`undecided`)."""
    candidates = [h for _, h in table.progress_columns]
    if undecided:
        return list(dict.fromkeys([*candidates, *(h for _, h in table.all_columns)]))
    return candidates if len(candidates) > 1 else []
