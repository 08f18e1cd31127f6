"""Progress spreadsheets as office staff make them -> tidy rows matched to the plan.

`read_progress(bytes, filename, plan)` returns a ProgressReading: one row per data row of the
file (sub-activities included), each matched to a plan code, with every problem found.  A
report with errors is invalid and none of its rows may be used or stored.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate, compress
from operator import itemgetter

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading import collector, limits
from zi_dashboard.reading.cell_values import (
    ProgressValueError,
    clean_text,
    code_kind,
    each,
    each_distinct,
    parse_progress,
    text_of,
)
from zi_dashboard.reading.header import Table, cell_text, find_header, normalise_name, seen_headers
from zi_dashboard.reading.plan import Plan, code_text, strip_numbering
from zi_dashboard.reading.plan_match import PlanMatcher
from zi_dashboard.reading.problems import Problem, error, warning
from zi_dashboard.reading.progress_columns import Source, column_choices, filled, progress_sources
from zi_dashboard.reading.sheets import Grid, UnreadableFile, read_grids

ROW_COLUMNS = ["row", "code", "activity", "pic", "progress", "status_reported", "evidence", "notes"]
TEXT_FIELDS = {
    "action": "activity",
    "pic": "pic",
    "status": "status_reported",
    "evidence": "evidence",
    "notes": "notes",
}
_SUMMARY_RE = re.compile(r"^(jumlah|total|rata rata|rerata|capaian (keseluruhan|total|rata rata))\b")


_FAILED = "\x00failed"


@dataclass
class ProgressReading:
    rows: pd.DataFrame
    problems: list[Problem]
    filename: str = ""
    sheet: str = ""
    position_date: date | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    sheets: list[str] = field(default_factory=list)  # sheets that hold a progress table
    progress_columns: list[str] = field(default_factory=list)  # every column that may hold progress
    progress_sources: dict[str, int] = field(default_factory=dict)  # column read -> rows taken from it
    column_choices: list[str] = field(default_factory=list)  # columns Unggah offers as "Kolom progres"
    title: str = ""  # the title lines above the table, joined by " "
    title_lines: list[str] = field(default_factory=list)  # the rows above the table, one text each

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors


def _code_column_holds_codes(table: Table) -> bool:
    c = table.columns.get("code")
    if c is None:
        return False
    kinds = each(code_kind, [cells[c] for _, cells in table.body if c < len(cells)])
    codes, plain = kinds.count(1), kinds.count(2)
    return codes > 0 and codes >= plain


def _looks_like_data(progress: object, code: object, name: object, matcher: PlanMatcher) -> bool:
    """A row that belongs to the table: a number in the progress column, a plan-style code, or
    the name of a plan indicator.  Signature blocks and notes below the table have none."""
    if isinstance(progress, (int, float)) and not isinstance(progress, bool):
        return True
    if isinstance(progress, str) and progress.strip():
        try:
            if parse_progress(progress, False) is not None:
                return True
        except ProgressValueError:
            pass
    if code is not None and code_text(code):
        return True
    return bool(name) and normalise_name(cell_text(name)) in matcher.by_name


def _last_identified(last: str | None, code: str | None) -> str | None:
    return last if code is None else code


class _ProgressTable:
    """One progress table read row by row: where the table ends, each row matched to a plan
    code (merged indicator cells carry down to sub-activities), its progress parsed, its texts
    cleaned; every problem with its sheet row and column."""

    def __init__(self, table: Table, grid: Grid, plan: Plan, sources: list[Source], position: date | None):
        cols, heads = table.columns, table.headers
        self.table, self.grid = table, grid
        self.matcher = PlanMatcher(plan)
        self.problems: list[Problem] = []
        self.code_col = cols.get("code") if _code_column_holds_codes(table) else None
        self.name_col = cols.get("indicator")
        self.sources = sources
        self.prog_head = sources[-1].head
        self.position = position
        self.derived_position: Source | None = None
        self.used: Counter[str] = Counter()  # column read -> rows taken from it
        self.id_head = heads.get("code") if self.code_col is not None else heads.get("indicator")
        self.text_cols = [(cols[f], out) for f, out in TEXT_FIELDS.items() if f in cols]
        self.cells = list(map(itemgetter(1), table.body))
        self.width = max(map(len, self.cells), default=0)
        self.full_width = min(map(len, self.cells), default=0)  # every row has cells up to here
        self._columns: dict[int, list] = {}

    def column(self, c: int | None, n: int) -> list:
        """The first n cells of column c (None where the column does not exist)."""
        if c is None or c >= self.width:
            return [None] * n
        if c not in self._columns:
            self._columns[c] = (
                list(map(itemgetter(c), self.cells))
                if c < self.full_width
                else [cells[c] if c < len(cells) else None for cells in self.cells]
            )
        column = self._columns[c]
        return column if n == len(column) else column[:n]  # read, never changed, by the callers

    def data_length(self) -> int:
        """How many body rows belong to the table: it ends at its last row with a progress value,
        a plan-style code or a plan indicator's name; what follows (signatures, notes,
        "Mengetahui,") is not data."""
        n = len(self.table.body)
        progs, codes, names = (
            self.progress_cells(n)[0],
            self.column(self.code_col, n),
            self.column(self.name_col, n),
        )
        for i in range(n - 1, -1, -1):
            if _looks_like_data(progs[i], codes[i] if self.code_col is not None else None, names[i], self.matcher):
                return i + 1
        return 0

    def periodic(self) -> bool:
        return len(self.sources) > 1

    def position_from_columns(self) -> None:
        """No position date in the file: the end of the latest period filled in any row."""
        if self.position is not None or not self.periodic():
            return
        n = len(self.table.body)
        for s in reversed(self.sources):
            if any(filled(v) for v in self.column(s.col, n)):
                self.position, self.derived_position = s.end, s
                return

    def progress_cells(self, n: int) -> tuple[list, list[Source]]:
        """Each row's progress cell and the column it came from: with one column, that column;
        with columns per period, the latest period filled for that row that does not start
        after the position date."""
        if not self.periodic():
            return self.column(self.sources[0].col, n), [self.sources[0]] * n
        usable = [s for s in self.sources if self.position is None or s.start <= self.position]
        cells = [(s, self.column(s.col, n)) for s in reversed(usable)]
        fallback = usable[-1] if usable else self.sources[0]
        values, chosen = [], []
        for i in range(n):
            for s, col in cells:
                if filled(col[i]):
                    values.append(col[i])
                    chosen.append(s)
                    break
            else:
                values.append(None)
                chosen.append(fallback)
        return values, chosen

    def read(self) -> tuple[pd.DataFrame, list[Problem], set[str]]:
        self.position_from_columns()
        n = self.data_length()
        rows = self.table.body[:n]
        (progs, chosen), raw_codes, names = (
            self.progress_cells(n),
            self.column(self.code_col, n),
            self.column(self.name_col, n),
        )
        texts = {out_name: self.column(c, n) for c, out_name in self.text_cols}
        percent = (
            {s.col: self.grid.percent_rows(s.col) for s in self.sources}
            if any(isinstance(v, float) for v in progs)
            else {}
        )
        # what each row says, worked out once per distinct value (a column repeats a few dozen)
        codes = each(code_text, raw_codes) if self.code_col is not None else [None] * n
        name_texts = each(cell_text, names)
        has_progress = [v is not None and v != "" for v in progs]
        sheet_rows = list(map(itemgetter(0), rows))
        row_codes, events = self.row_codes(codes, name_texts, has_progress, list(texts.values()), sheet_rows)
        mentioned = {c for c in dict.fromkeys(row_codes) if c is not None and c != _FAILED}
        candidates = [i for i, c in enumerate(row_codes) if c in mentioned]
        heads = [chosen[i].head for i in candidates]
        pct = [sheet_rows[i] in percent.get(chosen[i].col, ()) for i in candidates]
        raws = [progs[i] for i in candidates]
        keys = list(zip(map(type, raws), raws, pct, heads, strict=True))
        outcomes = {k: self.progress(k[1], k[2], k[3]) for k in dict.fromkeys(keys)}
        results = list(map(outcomes.__getitem__, keys))
        values = [v for v, _ in results]
        events += [(sheet_rows[i], 1, f) for i, (_, f) in zip(candidates, results, strict=True) if f is not None]
        events.sort(key=itemgetter(0, 1))
        self.problems += [f(row) for row, _, f in events]
        kept_at = [j for j, v in enumerate(values) if v is not None]
        progress: list[float] = [v for v in values if v is not None]
        kept = [candidates[j] for j in kept_at]
        self.used.update(map(heads.__getitem__, kept_at))
        positive = [(j, v) for j, v in zip(kept_at, progress, strict=True) if v > 0]
        non_zero = len(positive)
        fractions = sum(not pct[j] and v <= 1 and isinstance(raws[j], (int, float)) for j, v in positive)
        out: dict[str, list] = {
            "row": [sheet_rows[i] for i in kept],
            "code": [row_codes[i] for i in kept],
            "progress": progress,
        }
        out.update(self.texts(texts, rows, kept))
        if non_zero and fractions == non_zero:
            self.problems.append(warning(L.msg("progress_fraction_hint"), None, self.prog_head))
        self.problems[:0] = self.column_notes()
        return _rows_frame(out), self.problems, mentioned

    def row_codes(
        self, codes: list, name_texts: list[str], has_progress: list[bool], texts: list[list], sheet_rows: list[int]
    ) -> tuple[list[str | None], list[tuple[int, int, Callable]]]:
        """Each row's plan code (None: the row counts nothing; _FAILED: an error), and the
        problems found, as (sheet row, 0, problem as a function of the row).

        A row with a code or a name is identified once per distinct (code, name, has progress).
        A row with neither is an empty row, or a merged or continued indicator cell: when it
        holds anything to count (progress or a text) it is another sub-activity of the last row
        above that was identified (or failed), and an error when there is none above."""
        keys = list(zip(codes, name_texts, has_progress, strict=True))
        named = [c is not None or bool(t) for c, t in zip(codes, name_texts, strict=True)]
        found = {k: self.identify(*k) for k in dict.fromkeys(compress(keys, named))}
        row_codes = [found[k][0] if is_named else None for k, is_named in zip(keys, named, strict=True)]
        events = [
            (row, 0, problem)
            for row, k in compress(zip(sheet_rows, keys, strict=True), named)
            if (problem := found[k][1]) is not None
        ]
        unnamed = [i for i, is_named in enumerate(named) if not is_named]
        if unnamed:
            above = list(accumulate(row_codes, _last_identified))
            message, column = L.msg("no_identifier"), self.id_head
            for i in unnamed:
                if has_progress[i] or any(col[i] is not None and col[i] != "" for col in texts):
                    row_codes[i] = above[i]
                    if above[i] is None:
                        events.append((sheet_rows[i], 0, lambda r: error(message, r, column)))
        return row_codes, events

    def identify(self, code: str | None, name: str, has_progress: bool) -> tuple[str | None, Callable | None]:
        """The plan code of a row with a code or a name (the same for every row saying the same):
        None for a row that counts nothing, _FAILED for a row with an error (its continuation
        rows are skipped too); and its problem, as a function of the sheet row, or None."""
        key = normalise_name(strip_numbering(name)) if name else ""
        if key and code is None and (_SUMMARY_RE.match(key) or key in self.matcher.component_names):
            if has_progress:  # a total or a component's subtotal: not an indicator's progress
                message, column = L.msg("summary_row", text=name[:60]), self.table.headers.get("indicator")
                return None, lambda row: warning(message, row, column)
            return None, None
        if code is None and not has_progress and key not in self.matcher.by_name:
            return None, None  # a component heading, section heading or note: contributes nothing
        resolved, problem = self.matcher.resolve(code, name)
        if problem:
            return _FAILED, lambda row: error(problem, row, self.id_head)
        return resolved, None

    @staticmethod
    def progress(raw: object, percent_format: bool, head: str) -> tuple[float | None, Callable | None]:
        """A progress cell's value, a blank counting 0 (with a warning), None after an error;
        and its problem, as a function of the sheet row, or None."""
        try:
            value = parse_progress(raw, percent_format)
        except ProgressValueError as exc:
            message = exc.args[0]
            return None, lambda row: error(message, row, head)
        if value is None:
            return 0.0, lambda row: warning(L.msg("progress_blank"), row, head)
        return value, None

    def column_notes(self) -> list[Problem]:
        """With columns per period: which columns the figures came from, which were left out
        (after the position date), and a position date taken from the columns."""
        if not self.periodic():
            return []
        notes = []
        if self.derived_position is not None:
            notes.append(
                warning(
                    L.msg("position_from_columns", date=L.fmt_date(self.position), column=self.derived_position.head)
                )
            )
        row_counts = sorted(self.used.items(), key=lambda kv: -self.column_index(kv[0]))
        used = ", ".join(L.MSG["progress_column_rows"].format(column=h, n=n) for h, n in row_counts)
        later = [s.head for s in self.sources if self.position is not None and s.start > self.position]
        skipped = L.msg("progress_columns_skipped", columns=", ".join(map(repr, later))) if later else ""
        notes.append(warning(L.msg("progress_columns_used", used=used or "–", skipped=skipped)))
        return notes

    def column_index(self, head: str) -> int:
        return next(s.col for s in self.sources if s.head == head)

    def texts(self, texts: dict[str, list], rows: list, kept: list[int]) -> dict[str, list]:
        """The text columns of the kept rows, cleaned and cut to the cell limit."""
        out: dict[str, list] = {}
        headers = self.table.headers_by_col
        for c, k in self.text_cols:
            values = texts[k]
            column_out, distinct = each_distinct(
                text_of, values if len(kept) == len(values) else [values[i] for i in kept]
            )
            if "".join(distinct).isprintable() and max(map(len, distinct), default=0) <= limits.MAX_CELL_CHARS:
                out[k] = column_out
                continue  # nothing invisible, nothing too long (checked in C over each distinct text)
            # only cells with something invisible or too long need a closer look
            for j in [j for j, t in enumerate(column_out) if len(t) > limits.MAX_CELL_CHARS or not t.isprintable()]:
                t, sheet_row = column_out[j], rows[kept[j]][0]
                if t and not t.isprintable():
                    t, removed = clean_text(t)
                    if removed:
                        self.problems.append(warning(L.msg("control_chars"), sheet_row, headers.get(c)))
                if len(t) > limits.MAX_CELL_CHARS:
                    self.problems.append(
                        warning(
                            L.msg(
                                "cell_truncated",
                                length=L.fmt_number(len(t), 0),
                                limit=L.fmt_number(limits.MAX_CELL_CHARS, 0),
                            ),
                            sheet_row,
                            headers.get(c),
                        )
                    )
                    t = t[: limits.MAX_CELL_CHARS - 1] + "…"
                column_out[j] = t
            out[k] = column_out
        for k in ("activity", "pic", "status_reported", "evidence", "notes"):
            out.setdefault(k, [""] * len(kept))
        return out


def not_reported(plan: Plan, reported: set[str]) -> list[Problem]:
    return [
        warning(L.msg("not_reported", code=c, name=plan.indicator_name(c))) for c in plan.codes if c not in reported
    ]


def _rows_frame(out: dict[str, list]) -> pd.DataFrame:
    """The rows read, as a table: sheet rows as integers, progress as floats, texts as strings
    (typed up front: nothing for pandas to infer)."""
    if not out["row"]:
        return no_rows()
    typed = {"row": np.array(out["row"], np.int64), "progress": np.array(out["progress"], float)}
    return pd.DataFrame({k: typed[k] if k in typed else pd.array(out[k], dtype="str") for k in ROW_COLUMNS})


def no_rows() -> pd.DataFrame:
    """Progress rows of a work plan with nothing uploaded yet: none (every plan row counts 0%)."""
    frame = pd.DataFrame({k: pd.Series([], dtype=object) for k in ROW_COLUMNS})
    frame["progress"] = frame["progress"].astype(float)
    frame["row"] = frame["row"].astype(int)
    return frame


def read_progress(
    data: bytes, filename: str, plan: Plan, sheet: str | None = None, progress_column: str | None = None
) -> ProgressReading:
    """Read, match and validate a progress file.  Raises UnreadableFile when the bytes are no
    spreadsheet at all; everything else comes back as problems in the report.

    In a workbook, the sheet read is `sheet` when given, else the first that holds a progress
    table; `report.sheets` names every sheet that holds one, so a user can choose another.
    Progress is read from `progress_column` when given, else as progress_sources decides;
    `report.progress_columns` names every column that may hold it."""
    with collector.paused():
        return _read_progress(data, filename, plan, sheet, progress_column)


def _read_progress(
    data: bytes, filename: str, plan: Plan, sheet: str | None, progress_column: str | None
) -> ProgressReading:
    grids = read_grids(data, filename)
    found = [(g, t) for g in grids if (t := find_header(g, [("code", "indicator"), ("progress",)])) is not None]
    names = [g.name for g, _ in found]
    empty = pd.DataFrame({k: [] for k in ROW_COLUMNS})
    if not found:
        return ProgressReading(
            rows=empty,
            problems=[error(L.msg("no_header", seen=seen_headers(grids[0])))],
            filename=filename,
            sheet=grids[0].name,
        )
    if sheet is not None:
        chosen = [(g, t) for g, t in found if g.name == sheet]
        if not chosen:
            return ProgressReading(
                rows=empty,
                problems=[error(L.msg("sheet_not_found", sheet=sheet, sheets=", ".join(map(repr, names))))],
                filename=filename,
                sheet=sheet,
                sheets=names,
            )
        grid, table = chosen[0]
    else:
        grid, table = found[0]
    candidates = [h for _, h in table.progress_columns]
    sources, problem = progress_sources(table, plan, progress_column)
    position = table.position_date()
    if problem is not None and problem.is_error:
        return ProgressReading(
            rows=empty,
            problems=[warning(n) for n in grid.notes] + [problem],
            filename=filename,
            sheet=grid.name,
            position_date=position,
            columns=dict(table.headers),
            sheets=names,
            progress_columns=candidates,
            column_choices=column_choices(table, len(candidates) < 2),
            title=" ".join(table.title_lines),
            title_lines=list(table.title_lines),
        )
    reader = _ProgressTable(table, grid, plan, sources, position)
    rows, problems, mentioned = reader.read()
    notes = [warning(n) for n in grid.notes] + ([problem] if problem is not None else [])
    if len(found) > 1:
        notes.append(
            warning(L.msg("sheet_choice", count=len(found), sheets=", ".join(map(repr, names)), sheet=grid.name))
        )
    problems = notes + problems
    if rows.empty and not any(p.is_error for p in problems):
        problems.append(error(L.msg("no_rows"), table.header_row))
    problems.extend(not_reported(plan, mentioned))
    return ProgressReading(
        rows=rows,
        problems=problems,
        filename=filename,
        sheet=grid.name,
        position_date=reader.position,
        columns={**table.headers, **({"progress": sources[0].head} if len(sources) == 1 else {})},
        sheets=names,
        progress_columns=candidates,
        column_choices=column_choices(
            table,
            progress_column is not None or any(p.is_error and p.column in {s.head for s in sources} for p in problems),
        ),
        progress_sources=dict(reader.used),
        title=" ".join(table.title_lines),
        title_lines=list(table.title_lines),
    )


__all__ = ["ProgressReading", "read_progress", "parse_progress", "UnreadableFile", "ROW_COLUMNS"]
