"""The office's LKE workbook (docs/lke.md, "Membaca lembar kerja"): the answer sheet ("Jawaban",
or whichever sheet holds its structure) and an evidence or action sheet that lists questions
by code.

The answer sheet: the columns are found by their headers ("Jawaban Unit", "Catatan", "Bukti
Dukung", "Tautan", "Jawaban TPI" ..., a group header over two rows included), each question by the
code hierarchy at the left ("A.", "I.", "1.", "i.", "a.") and its text, so inserted, deleted and
coloured rows and an extra column do not matter.  Read in a child process like every untrusted
file (reading.sandbox).  No Streamlit, no database.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from zi_dashboard import labels as L
from zi_dashboard.reading.header import cell_text, normalise_name
from zi_dashboard.reading.lke_answers import Answer, normalise_answer
from zi_dashboard.reading.lke_instrument import Instrument, Question
from zi_dashboard.reading.problems import Problem, error, warning
from zi_dashboard.reading.sheets import Grid, read_grids

UNIT, TPI = "unit", "tpi"
ANSWER, NOTE, EVIDENCE, LINK = "answer", "note", "evidence", "link"
HEADER_ROWS = 40  # the header is searched in the first rows
MIN_RATIO = 0.85  # a question text edited a little still matches
_CODE = re.compile(r"^\(?([A-Za-z]{1,5}|\d{1,2})[.)]$")
_TPI_WORDS = {"tpi", "penilai", "evaluator", "inspektorat", "reviu", "reviewer", "apip"}  # whole words
_LINK_SPLIT = re.compile(r"[\s,;]+")
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.I)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


@dataclass
class LkeSheet:
    """What was read: answers per level (instrument row -> Answer), where each question was found
    (instrument row -> sheet row), the problems, and the sheet's name."""

    sheet: str = ""
    answers: dict[str, dict[int, Answer]] = field(default_factory=lambda: {UNIT: {}, TPI: {}})
    sheet_rows: dict[int, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    levels: tuple[str, ...] = ()  # the levels whose answer column the sheet has
    answer_columns: dict[str, str] = field(default_factory=dict)  # level -> the letter of its answer column

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def links_in(*texts: str) -> tuple[str, ...]:
    """The distinct http(s) links in evidence cells (several per cell)."""
    out: list[str] = []
    for text in texts:
        for part in _LINK_SPLIT.split(str(text or "")):
            p = part.strip().rstrip(".,;)")
            if _URL.match(p) and p not in out:
                out.append(p)
    return tuple(out)


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _field(name: str) -> str | None:
    if "tautan" in name or "link" in name or "url" in name:
        return LINK
    if "bukti" in name:
        return EVIDENCE
    if "catatan" in name or "keterangan" in name:
        return NOTE
    if name.startswith("jawaban") or name in ("nilai jawaban",):
        return ANSWER
    return None


def _columns(grid: Grid) -> tuple[int, dict[tuple[str, str], int]] | None:
    """The header row (0-based) and (level, field) -> column, or None when the sheet has no
    answer column.  A group header in the row above ("Unit Kerja" | "TPI") names the level."""
    for i, row in enumerate(grid.rows[:HEADER_ROWS]):
        names = [normalise_name(v) for v in row]
        if not any(n.startswith("jawaban") for n in names):
            continue
        above = [normalise_name(v) for v in grid.rows[i - 1]] if i > 0 else []
        group, groups = "", []
        for c in range(len(names)):
            group = above[c] if c < len(above) and above[c] else group
            groups.append(group)
        found: dict[tuple[str, str], int] = {}
        for c, name in enumerate(names):
            kind = _field(name)
            if kind is None:
                continue
            words = set(name.split()) | set(groups[c].split())
            level = TPI if words & _TPI_WORDS else UNIT
            found.setdefault((level, kind), c)
        if (UNIT, ANSWER) in found or (TPI, ANSWER) in found:
            return i, found
    return None


def _codes(row: list, limit: int) -> list[tuple[int, str]]:
    """(column, code) of the hierarchy codes left of the answer columns."""
    out = []
    for c, v in enumerate(row[:limit]):
        t = cell_text(v).strip()
        m = _CODE.match(t)
        if m:
            out.append((c, m.group(1)))
    return out


def _text(row: list, limit: int, after: int) -> str:
    """The question text: the first text cell right of the codes (the criteria and options
    columns come after it), left of the answer columns."""
    for v in row[after + 1 : limit]:
        t = cell_text(v).strip()
        if t and not _CODE.match(t) and not re.fullmatch(r"[\d.,]+", t):
            return t
    return ""


class _Matcher:
    """Find the instrument question a sheet row holds: by sub-area (from the code hierarchy) and
    letter when they agree with the text, else by the text itself."""

    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        self.used: set[int] = set()
        self.norm = {q.row: normalise_name(q.text) for q in instrument.questions}

    def _by_text(self, text: str, pool: list[Question]) -> Question | None:
        t = normalise_name(text)
        if not t:
            return None
        pool = [q for q in pool if q.row not in self.used]
        exact = [q for q in pool if self.norm[q.row] == t]
        if exact:
            return exact[0]
        best, ratio = None, MIN_RATIO
        for q in pool:
            r = difflib.SequenceMatcher(None, self.norm[q.row], t, autojunk=False).ratio()
            if r >= ratio:
                best, ratio = q, r
        return best

    def match(self, sub_area: str | None, letter: str | None, text: str) -> Question | None:
        pool = self.instrument.in_sub_area(sub_area) if sub_area else []
        q = self._by_text(text, pool) if pool else None
        if q is None and pool and letter:
            same = [x for x in pool if x.letter == letter and x.row not in self.used]
            q = same[0] if len(same) == 1 else None
        if q is None:
            q = self._by_text(text, list(self.instrument.questions))
        if q is not None:
            self.used.add(q.row)
        return q


class _Context:
    """Where the walk is in the code hierarchy: top (A/B), part (I/II), area, sub-area, letter."""

    def __init__(self) -> None:
        self.levels: list[str | None] = [None] * 5
        self.depth_of: dict[int, int] = {}

    def update(self, codes: list[tuple[int, str]], depth_columns: list[int]) -> None:
        for col, code in codes:
            d = depth_columns.index(col) if col in depth_columns else None
            if d is None or d >= 5:
                continue
            self.levels[d] = code
            for deeper in range(d + 1, 5):
                self.levels[deeper] = None

    def sub_area(self) -> str | None:
        top, part, area, sub = (str(x).lower() if x else None for x in self.levels[:4])
        if top != "a" or not area or not sub or sub not in _ROMAN or not area.isdigit():
            return None
        prefix = "" if part == "i" else "R" if part == "ii" else None
        return None if prefix is None else f"{prefix}{area}.{_ROMAN[sub]}"

    def letter(self) -> str | None:
        x = self.levels[4]
        return str(x).lower() if x else None


def _hierarchy_columns(grid: Grid, start: int, limit: int) -> list[int]:
    """The columns that hold codes, left to right: their rank is the depth (A., I., 1., i., a.)."""
    counts: dict[int, int] = {}
    for row in grid.rows[start:]:
        for c, _ in _codes(row, limit):
            counts[c] = counts.get(c, 0) + 1
    return sorted(c for c, n in counts.items() if n >= 1)


def _cell(row: list, col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def _read_answer_sheet(grid: Grid, header: int, cols: dict[tuple[str, str], int], instrument: Instrument) -> LkeSheet:
    out = LkeSheet(sheet=grid.name, levels=tuple(lv for lv in (UNIT, TPI) if (lv, ANSWER) in cols))
    out.answer_columns = {lv: _col_letter(cols[(lv, ANSWER)]) for lv in out.levels}
    limit = min(cols.values())
    depth_columns = _hierarchy_columns(grid, header + 1, limit)
    ctx, matcher = _Context(), _Matcher(instrument)
    for i, row in enumerate(grid.rows[header + 1 :], start=header + 2):
        codes = _codes(row, limit)
        ctx.update(codes, depth_columns)
        text = _text(row, limit, max([c for c, _ in codes] + depth_columns[-1:], default=-1))
        has_answer = any(cell_text(_cell(row, cols.get((lv, ANSWER)))).strip() for lv in out.levels)
        if not text and not has_answer:
            continue
        q = matcher.match(ctx.sub_area(), ctx.letter(), text) if text else None
        if q is None:
            if has_answer:
                out.problems.append(warning(L.msg("lke_row_unknown", text=text[:60] or "-"), row=i))
            continue
        out.sheet_rows[q.row] = i
        for level in out.levels:
            col = cols[(level, ANSWER)]
            try:
                value = normalise_answer(q, _cell(row, col))
            except ValueError as exc:
                out.problems.append(
                    error(L.msg("lke_answer_bad", code=q.label, reason=str(exc)), row=i, column=_col_letter(col))
                )
                continue
            note = cell_text(_cell(row, cols.get((level, NOTE)))).strip()
            evidence = cell_text(_cell(row, cols.get((level, EVIDENCE)))).strip()
            link = cell_text(_cell(row, cols.get((level, LINK)))).strip()
            if value is not None or note or evidence or link:
                out.answers[level][q.row] = Answer(q.row, value, note, evidence, links_in(link, evidence))
    missing = [q for q in instrument.questions if q.row not in out.sheet_rows]
    if len(missing) == len(instrument.questions):
        out.problems.append(error(L.msg("lke_no_questions", sheet=grid.name)))
    elif missing:
        out.problems.append(
            warning(L.msg("lke_questions_missing", count=len(missing), codes=", ".join(q.label for q in missing[:8])))
        )
    return out


def _pick(grids: list[Grid]) -> tuple[Grid, int, dict] | None:
    named = sorted(grids, key=lambda g: normalise_name(g.name) != "jawaban")
    for g in named:
        found = _columns(g)
        if found is not None:
            return g, found[0], found[1]
    return None


def read_lke_workbook(data: bytes, filename: str, instrument: Instrument) -> LkeSheet:
    """The answers (both levels, where the sheet has them) of an LKE workbook.  Raises
    UnreadableFile for bytes that are no spreadsheet."""
    picked = _pick(read_grids(data, filename))
    if picked is None:
        return LkeSheet(problems=[error(L.msg("lke_no_answer_sheet"))])
    grid, header, cols = picked
    return _read_answer_sheet(grid, header, cols, instrument)


# --- an evidence or action sheet listing questions by code (as BPS offices keep them) ----------
_EVIDENCE_CODE = re.compile(r"^\s*A\.\s*([12])\.\s*([IVX]+)\.\s*([ivx]+)\.?\s*$")
_SUB_LETTER = re.compile(r"^\s*\(?([a-z])[.)]?\s*$")
_ROMAN_UPPER = {k.upper(): v for k, v in _ROMAN.items()}


def evidence_code(code: str, sub: str = "") -> tuple[str, str] | None:
    """'A.1.I.i.' with sub 'a' -> ('1.1', 'a') (Pemenuhan); 'A.2.III.iii.' -> ('R3.3', '-') (Reform)."""
    m = _EVIDENCE_CODE.match(str(code or ""))
    if not m or m.group(2) not in _ROMAN_UPPER or m.group(3) not in _ROMAN:
        return None
    prefix = "" if m.group(1) == "1" else "R"
    s = _SUB_LETTER.match(str(sub or ""))
    return f"{prefix}{_ROMAN_UPPER[m.group(2)]}.{_ROMAN[m.group(3)]}", (s.group(1) if s else "-")


@dataclass
class EvidenceSheet:
    links: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (sub-area, letter) -> links
    problems: list[Problem] = field(default_factory=list)


def read_evidence_sheet(data: bytes, filename: str, instrument: Instrument) -> EvidenceSheet:
    """Links per question from a sheet whose rows carry an LKE code ('A.1.I.i.') and, in the next
    column, the question's letter; every http(s) link in the row is evidence for that question."""
    out = EvidenceSheet()
    codes = {(q.code, q.letter) for q in instrument.questions}
    sub_areas = {q.code for q in instrument.questions}
    for grid in read_grids(data, filename):
        current: str | None = None
        for i, row in enumerate(grid.rows, start=1):
            texts = [cell_text(v) for v in row]
            found = None
            for c, t in enumerate(texts):
                if _EVIDENCE_CODE.match(t):
                    found = evidence_code(t, texts[c + 1] if c + 1 < len(texts) else "")
                    break
            if found is not None:
                current = found[0]
                key = found
            elif current and (letters := [m.group(1) for t in texts[:3] if t and (m := _SUB_LETTER.match(t))]):
                key = (current, letters[0])
            else:
                continue
            links = links_in(*texts)
            if key[0] not in sub_areas:
                out.problems.append(warning(L.msg("lke_evidence_unknown", code=f"{key[0]} {key[1]}"), row=i))
                continue
            scored = [q.letter for q in instrument.in_sub_area(key[0]) if q.scored]
            if key[1] == "-" and len(scored) == 1:  # no letter: the sub-area's only question
                key = (key[0], scored[0])
            elif key not in codes:
                out.problems.append(warning(L.msg("lke_evidence_unknown", code=f"{key[0]} {key[1]}"), row=i))
                continue
            if links:
                out.links[key] = tuple(dict.fromkeys((*out.links.get(key, ()), *links)))
    if not out.links:
        out.problems.append(error(L.msg("lke_evidence_none")))
    return out
