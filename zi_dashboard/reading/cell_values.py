"""A progress sheet's cells -> values: a progress number (75, '75%', '75,5', 0.755 in a '0%'
cell), a text as it may be shown (no control characters or invisible direction marks), what
kind of code a cell holds; and `each`, which calls a function once per distinct value of a
column (the per-row part runs in C).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from zi_dashboard import labels as L
from zi_dashboard.reading.header import cell_text
from zi_dashboard.reading.plan import code_text

_NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_PLAIN_NUMBERING_RE = re.compile(r"^\(?\d+\)?\.?$|^[IVXivx]+\.?$|^[A-Za-z]\.$")


class ProgressValueError(ValueError):
    pass


def each(fn, values: list) -> list:
    """[fn(v) for v in values], with fn called once per distinct value (and type: 1, 1.0 and
    True stay apart); the per-row part runs in C (map over a dict), so a column of 25,000 cells
    with a few hundred distinct values costs a few hundred calls."""
    return each_distinct(fn, values)[0]


def each_distinct(fn, values: list) -> tuple[list, list]:
    """each(fn, values), and fn's results for the distinct values only (for checks that need
    to see every result once, not every row)."""
    if len(set(map(type, values)) & _EQUAL_ACROSS_TYPES) <= 1:  # no 1 == 1.0 == True to keep apart
        results = {v: fn(v) for v in dict.fromkeys(values)}
        return list(map(results.__getitem__, values)), list(results.values())
    keys = list(zip(map(type, values), values, strict=True))
    by_key = {k: fn(k[1]) for k in dict.fromkeys(keys)}
    return list(map(by_key.__getitem__, keys)), list(by_key.values())


_EQUAL_ACROSS_TYPES = {bool, int, float}


def parse_progress(value: object, percent_format: bool) -> float | None:
    """75 / '75' / '75%' / '75,5' / 0.755 in a %-formatted cell -> percent; None if blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bool, date, datetime)):
        raise ProgressValueError(L.msg("progress_not_number", value=cell_text(value)))
    if isinstance(value, (int, float)):
        try:
            number = float(value) * (100.0 if percent_format else 1.0)
        except OverflowError:
            raise ProgressValueError(L.msg("progress_not_number", value=str(value)[:40])) from None
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        is_pct = text.endswith("%")
        core = text[:-1] if is_pct else text
        if not _NUMBER_RE.match(core):
            raise ProgressValueError(L.msg("progress_not_number", value=str(value).strip()[:60]))
        number = float(core.replace(",", "."))
    if math.isnan(number) or math.isinf(number):
        raise ProgressValueError(L.msg("progress_not_number", value=cell_text(value)[:40]))
    # 100.0000001 from 1.000000001 * 100 is still 100; -0 is 0
    number = round(number, 9) + 0.0
    if number < 0 or number > 100:
        shown = str(value).strip()[:40] if isinstance(value, str) else L.fmt_number(number, 6).rstrip("0").rstrip(",")
        raise ProgressValueError(L.msg("progress_out_of_range", value=shown))
    return number


def code_kind(v: object) -> int:
    """1: a plan-style code; 2: plain numbering (1, 'a.', 'IV'); 0: anything else."""
    if code_text(v) is not None:
        return 1
    return 2 if _PLAIN_NUMBERING_RE.match(cell_text(v)) else 0


# control characters and invisible direction marks; the zero-width joiners (U+200C, U+200D)
# stay: emoji sequences and some scripts need them
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def text_of(value: object) -> str:
    return value.strip() if type(value) is str else cell_text(value)


def clean_text(text: str) -> tuple[str, bool]:
    """Text from a file as it may be shown: no control characters or invisible direction
    marks; line breaks kept as spaces.  -> (text, whether anything was removed)."""
    if not text.isprintable():
        spaced = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
        cleaned = _INVISIBLE.sub("", spaced)
        return cleaned.strip(), cleaned != spaced
    return text, False
