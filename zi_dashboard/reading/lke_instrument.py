"""The LKE instrument question by question (docs/lke.md): every answer line of the official
workbook's answer sheet ("Jawaban"), with its row, sub-area, letter, answer type, option values,
the formula of a percentage and its division-by-zero rule, all read from data files
(data/lke-YYYY-questions.csv beside data/lke-YYYY.csv), never written in code.

A plan of year Y uses the newest instrument whose year is not after Y.  No Streamlit, no database.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.lke import Lke, SubArea, parse_lke
from zi_dashboard.reading.plan import DATA_DIR

# answer types (column `jenis`)
YA_TIDAK, ABC, ABCD, ABCDE = "YA_TIDAK", "ABC", "ABCD", "ABCDE"
PERCENT, COUNT, INDEX = "PERSEN", "JUMLAH", "NILAI_0_4"
CHOICE_KINDS = (YA_TIDAK, ABC, ABCD, ABCDE)
KINDS = (*CHOICE_KINDS, PERCENT, COUNT, INDEX)
# division by zero (column `bagi_nol`, percentages only)
ZERO_FULL = "penuh"  # denominator 0: nothing was due, full value
ZERO_ALL_ZERO = "nol_semua"  # denominator 0: full value when every count of the formula is 0, else 0
ZERO_RULES = (ZERO_FULL, ZERO_ALL_ZERO)
# a count above its total (column `melebihi`, percentages with one count over another)
ABOVE_ERROR = "galat"  # filed > due: an input error
ABOVE_CLIP = "potong"  # a ratio that may pass 1 (changes per agent): counted 1
ABOVE_RULES = (ABOVE_ERROR, ABOVE_CLIP)
INDEX_MAX = 4.0

_FILE = re.compile(r"^lke-(\d{4})-questions\.csv$")
_COLUMNS = ("baris", "bagian", "kode", "huruf", "jenis", "pertanyaan", "kriteria", "pilihan", "induk", "rumus")
_TERM = re.compile(r"\s*([+\-/()])\s*|\s*(\d+)\s*")


class InstrumentError(ValueError):
    """An instrument file that cannot be used; str() is the Indonesian message."""


@dataclass(frozen=True)
class Formula:
    """num / den, each a signed sum of answer rows ('(152-153)/152'); a sub-total ('176+177+178')
    has no denominator."""

    num: tuple[tuple[int, int], ...]  # (sign, row)
    den: tuple[tuple[int, int], ...] = ()

    @property
    def rows(self) -> list[int]:
        return [r for _, r in (*self.num, *self.den)]


@dataclass(frozen=True)
class Question:
    row: int  # the line's row in the official answer sheet
    part: str  # pemenuhan | reform | hasil
    code: str  # sub-area code: 1.1 .. 6.5, R1.1 .. R6.2, H1 .. H3
    letter: str  # 'a', 'b' ...; '-' where the sheet has none
    kind: str
    text: str
    criteria: str
    options: tuple[tuple[str, float], ...] = ()  # ('A', 1.0), ('B', 0.5) ...; ('YA', 1.0), ('TIDAK', 0.0)
    parent: int | None = None  # a count: the row of the percentage it feeds
    formula: Formula | None = None
    zero_rule: str = ""
    above_rule: str = ""

    @property
    def scored(self) -> bool:
        """Has a value of its own (a count only feeds a percentage)."""
        return self.kind != COUNT

    @cached_property
    def _values(self) -> dict[str, float]:
        return dict(self.options)

    def option_value(self, option: str) -> float | None:
        return self._values.get(option)

    @property
    def label(self) -> str:
        return self.code if self.letter in ("", "-") else f"{self.code} {self.letter}"


@dataclass(frozen=True)
class Instrument:
    year: int
    questions: tuple[Question, ...]
    lke: Lke

    @cached_property
    def scored(self) -> list[Question]:
        return [q for q in self.questions if q.scored]

    @cached_property
    def _rows(self) -> dict[int, Question]:
        return {q.row: q for q in self.questions}

    @cached_property
    def _by_code(self) -> dict[str, list[Question]]:
        out: dict[str, list[Question]] = {}
        for q in self.questions:
            out.setdefault(q.code, []).append(q)
        return out

    @cached_property
    def _worth(self) -> dict[int, float]:
        out = {}
        for code, qs in self._by_code.items():
            n = sum(1 for q in qs if q.scored)
            w = self.lke.weight(code) / n if n else 0.0
            out.update({q.row: w for q in qs if q.scored})
        return out

    def by_row(self, row: int) -> Question:
        return self._rows[row]

    def has_row(self, row: int) -> bool:
        return row in self._rows

    def in_sub_area(self, code: str) -> list[Question]:
        return list(self._by_code.get(code, ()))

    def scored_count(self, code: str) -> int:
        return sum(1 for q in self._by_code.get(code, ()) if q.scored)

    def worth(self, q: Question) -> float:
        """Points a question is worth: its sub-area's weight / the number of scored questions of
        that sub-area (for a survey index or the kinerja item: the whole weight)."""
        return self._worth.get(q.row, 0.0)

    def sub_area(self, code: str) -> SubArea:
        return next(s for s in self.lke.sub_areas if s.code == code)


def _options(text: str, kind: str, where: str) -> tuple[tuple[str, float], ...]:
    out = []
    for part in filter(None, (p.strip() for p in str(text or "").split(";"))):
        name, sep, value = part.partition("=")
        try:
            out.append((name.strip().upper(), float(value)))
        except ValueError:
            raise InstrumentError(L.msg("lke_instr_bad_options", where=where, text=text)) from None
        if not sep:
            raise InstrumentError(L.msg("lke_instr_bad_options", where=where, text=text))
    if kind in CHOICE_KINDS and not out:
        raise InstrumentError(L.msg("lke_instr_bad_options", where=where, text=text))
    return tuple(out)


def parse_formula(text: str) -> Formula:
    """'127/126', '(152-153)/152', '176+177+178': rows with + and -, one '/', parentheses around
    a side.  ValueError for anything else (a formula is data, never evaluated as code)."""
    tokens = []
    pos = 0
    text = text.replace("\u2212", "-")
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(text)
        tokens.append(m.group(1) or int(m.group(2)))
        pos = m.end()
    sides: list[list[tuple[int, int]]] = [[]]
    sign, expect_row = 1, True
    for t in tokens:
        if isinstance(t, int):
            if not expect_row:
                raise ValueError(text)
            sides[-1].append((sign, t))
            sign, expect_row = 1, False
        elif t in "+-":
            if expect_row:
                raise ValueError(text)
            sign, expect_row = (1 if t == "+" else -1), True
        elif t == "/":
            if expect_row or len(sides) == 2:
                raise ValueError(text)
            sides.append([])
            sign, expect_row = 1, True
        # parentheses only group a whole side: nothing to do
    if expect_row or not sides[0] or (len(sides) == 2 and not sides[1]):
        raise ValueError(text)
    return Formula(tuple(sides[0]), tuple(sides[1]) if len(sides) == 2 else ())


def _question(r: dict[str, str], n: int) -> Question:
    where = L.msg("lke_instr_line", line=n)
    kind = (r.get("jenis") or "").strip().upper()
    if kind not in KINDS:
        raise InstrumentError(L.msg("lke_instr_bad_kind", where=where, kind=kind))
    try:
        row = int(str(r["baris"]).strip())
        parent = int(r["induk"]) if str(r.get("induk") or "").strip() else None
    except ValueError:
        raise InstrumentError(L.msg("lke_instr_bad_row", where=where)) from None
    formula_text = str(r.get("rumus") or "").strip()
    try:
        formula = parse_formula(formula_text) if formula_text else None
    except ValueError:
        raise InstrumentError(L.msg("lke_instr_bad_formula", where=where, text=formula_text)) from None
    if kind == PERCENT and (formula is None or not formula.den):
        raise InstrumentError(L.msg("lke_instr_bad_formula", where=where, text=formula_text))
    zero = str(r.get("bagi_nol") or "").strip().lower() or (ZERO_FULL if kind == PERCENT else "")
    if kind == PERCENT and zero not in ZERO_RULES:
        raise InstrumentError(L.msg("lke_instr_bad_zero", where=where, text=zero))
    above = str(r.get("melebihi") or "").strip().lower() or (ABOVE_ERROR if kind == PERCENT else "")
    if kind == PERCENT and above not in ABOVE_RULES:
        raise InstrumentError(L.msg("lke_instr_bad_above", where=where, text=above))
    return Question(
        row,
        r["bagian"].strip().lower(),
        r["kode"].strip(),
        (r.get("huruf") or "-").strip() or "-",
        kind,
        " ".join(str(r.get("pertanyaan") or "").split()),
        " ".join(str(r.get("kriteria") or "").split()),
        _options(r.get("pilihan") or "", kind, str(where)),
        parent,
        formula,
        zero,
        above,
    )


def parse_instrument(text: str, year: int, lke: Lke) -> Instrument:
    """An instrument from the text of a questions CSV.  InstrumentError naming the line for
    anything that cannot be used: unknown type or sub-area, bad options or formula, a formula
    or count pointing at a row that is not in the file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InstrumentError(L.msg("lke_instr_columns", columns=", ".join(missing)))
    codes = {s.code for s in lke.sub_areas}
    questions = []
    for n, r in enumerate(reader, start=2):
        q = _question(r, n)
        if q.code not in codes:
            raise InstrumentError(L.msg("lke_instr_bad_code", where=L.msg("lke_instr_line", line=n), code=q.code))
        questions.append(q)
    rows = {q.row for q in questions}
    if len(rows) != len(questions):
        raise InstrumentError(L.msg("lke_instr_duplicate_rows"))
    for q in questions:
        refs = (q.formula.rows if q.formula else []) + ([q.parent] if q.parent else [])
        bad = [x for x in refs if x not in rows]
        if bad:
            raise InstrumentError(L.msg("lke_instr_bad_ref", row=q.row, refs=", ".join(map(str, bad))))
    if not questions:
        raise InstrumentError(L.msg("lke_instr_empty"))
    return Instrument(year, tuple(sorted(questions, key=lambda q: q.row)), lke)


def bundled_years(folder: Path = DATA_DIR) -> list[int]:
    return sorted(int(m.group(1)) for p in folder.glob("lke-*-questions.csv") if (m := _FILE.match(p.name)))


def _structure(year: int, folder: Path) -> Lke:
    """The sub-areas and weights that go with an instrument: data/lke-YEAR.csv, else the newest
    structure file not after it."""
    years = sorted(int(m.group(1)) for p in folder.glob("lke-*.csv") if (m := re.match(r"^lke-(\d{4})\.csv$", p.name)))
    usable = [y for y in years if y <= year] or years
    return parse_lke((folder / f"lke-{usable[-1]}.csv").read_text(encoding="utf-8"))


@cached(maxsize=4)
def _load(year: int, folder: Path) -> Instrument:
    path = folder / f"lke-{year}-questions.csv"
    return parse_instrument(path.read_text(encoding="utf-8"), year, _structure(year, folder))


def load_instrument(plan_year: int | None = None, folder: Path = DATA_DIR) -> Instrument:
    """The newest bundled instrument not after `plan_year` (the oldest when all are after it;
    the newest when no year is given)."""
    years = bundled_years(folder)
    if not years:
        raise InstrumentError(L.msg("lke_instr_empty"))
    usable = [y for y in years if plan_year is None or y <= plan_year] or years[:1]
    return _load(usable[-1], folder)


def newest_for(plan_year: int, instruments: list[Instrument]) -> Instrument | None:
    """Of several instruments (bundled and added), the one a plan of `plan_year` uses."""
    usable = [i for i in instruments if i.year <= plan_year]
    return max(usable, key=lambda i: i.year) if usable else None
