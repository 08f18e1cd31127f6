"""Progress spreadsheets as office staff make them -> tidy rows matched to the plan.

`read_progress(bytes, filename, plan)` returns a ProgressReading: one row per data row of the
file (sub-activities included), each matched to a plan code, with every problem found.  A
report with errors is invalid and none of its rows may be used or stored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading import limits
from zi_dashboard.reading.cell_values import ProgressValueError, clean_text, code_kind, each, parse_progress, text_of
from zi_dashboard.reading.header import Table, cell_text, find_header, normalise_name, seen_headers
from zi_dashboard.reading.plan import Plan, code_text, strip_numbering
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
SUGGEST_CUTOFF = 0.8  # difflib ratio a name must reach to be offered as "maybe ...?"


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


class _Matcher:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.codes = set(plan.codes)
        self.by_name = plan.by_name
        self.names = list(plan.by_name)
        self.component_names = {normalise_name(c) for c in plan.rows["component"]}

    def suggestion(self, name: str) -> str:
        if not name:
            return ""
        # only a close match: a loose one ("7.1 Inovasi" -> "3.3 Pengembangan Pegawai") misleads
        close = difflib.get_close_matches(normalise_name(name), self.names, n=1, cutoff=SUGGEST_CUTOFF)
        if not close:
            return ""
        code = self.by_name[close[0]]
        return L.msg("did_you_mean", code=code, name=self.plan.indicator_name(code))

    def resolve(self, code: str | None, name: str) -> tuple[str | None, str | None]:
        """-> (plan code, None) or (None, error message)."""
        key = normalise_name(name) if name else ""
        if code is not None:
            if code not in self.codes:
                return None, L.msg("unknown_code", code=code, hint=self.suggestion(name))
            other = self.by_name.get(key)
            if other is not None and other != code:
                return None, L.msg(
                    "code_name_conflict",
                    code=code,
                    plan_name=self.plan.indicator_name(code),
                    name=name,
                    other_code=other,
                )
            return code, None
        if key in self.by_name:
            return self.by_name[key], None
        return None, L.msg("unknown_indicator", name=name[:120], hint=self.suggestion(name))


def _code_column_holds_codes(table: Table) -> bool:
    c = table.columns.get("code")
    if c is None:
        return False
    kinds = each(code_kind, [cells[c] for _, cells in table.body if c < len(cells)])
    codes, plain = kinds.count(1), kinds.count(2)
    return codes > 0 and codes >= plain


def _looks_like_data(progress: object, code: object, name: object, matcher: _Matcher) -> bool:
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


class _ProgressTable:
    """One progress table read row by row: where the table ends, each row matched to a plan
    code (merged indicator cells carry down to sub-activities), its progress parsed, its texts
    cleaned; every problem with its sheet row and column."""

    def __init__(self, table: Table, grid: Grid, plan: Plan, sources: list[Source], position: date | None):
        cols, heads = table.columns, table.headers
        self.table, self.grid = table, grid
        self.matcher = _Matcher(plan)
        self.problems: list[Problem] = []
        self.code_col = cols.get("code") if _code_column_holds_codes(table) else None
        self.name_col = cols.get("indicator")
        self.sources = sources
        self.prog_head = sources[-1].head
        self.position = position
        self.derived_position: Source | None = None
        self.used: dict[str, int] = {}
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
        return self._columns[c][:n]

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
        kept: list[int] = []
        mentioned: set[str] = set()
        out: dict[str, list] = {"row": [], "code": [], "progress": []}
        previous_code: str | None = None
        fractions = non_zero = 0
        # what each row says, worked out once per distinct value (a column repeats a few dozen)
        codes = each(code_text, raw_codes) if self.code_col is not None else [None] * n
        name_texts = each(cell_text, names)
        has_progress = [v is not None and v != "" for v in progs]
        has_text = [False] * n
        for values in texts.values():
            has_text = [h or (v is not None and v != "") for h, v in zip(has_text, values, strict=True)]
        named: dict[tuple, tuple] = {}  # (code, name, has progress) -> (code, problem at a row)
        outcomes: dict[tuple, tuple] = {}  # (type, cell, %-formatted, column) -> (value, problem at a row)
        for i, (sheet_row, _) in enumerate(rows):
            code = codes[i]
            if code is None and not name_texts[i]:
                # an empty row, one with nothing to count, or a merged or continued indicator
                # cell: another sub-activity of the row above (or _FAILED)
                code = self.continued(sheet_row, has_progress[i] or has_text[i], previous_code)
            else:
                key = (code, name_texts[i], has_progress[i])
                if key not in named:
                    named[key] = self.identify(*key)
                code, problem = named[key]
                if problem is not None:
                    self.problems.append(problem(sheet_row))
            if code is None or code == _FAILED:
                previous_code = code if code == _FAILED else previous_code
                continue
            previous_code = code
            mentioned.add(code)
            source, raw = chosen[i], progs[i]
            pct = sheet_row in percent.get(source.col, ())
            outcome_key = (type(raw), raw, pct, source.head)
            if outcome_key not in outcomes:
                outcomes[outcome_key] = self.progress(raw, pct, source.head)
            value, problem = outcomes[outcome_key]
            if problem is not None:
                self.problems.append(problem(sheet_row))
            if value is None:
                continue
            if value > 0:
                non_zero += 1
                fractions += not pct and value <= 1 and isinstance(raw, (int, float))
            kept.append(i)
            self.used[source.head] = self.used.get(source.head, 0) + 1
            out["row"].append(sheet_row)
            out["code"].append(code)
            out["progress"].append(value)
        out.update(self.texts(texts, rows, kept))
        if non_zero and fractions == non_zero:
            self.problems.append(warning(L.msg("progress_fraction_hint"), None, self.prog_head))
        self.problems[:0] = self.column_notes()
        frame = pd.DataFrame(out, columns=ROW_COLUMNS)
        frame["progress"] = frame["progress"].astype(float)
        frame["row"] = frame["row"].astype(int)
        return frame, self.problems, mentioned

    def continued(self, sheet_row: int, counts: bool, previous_code: str | None) -> str | None:
        """A row with neither code nor name: the code of the row above when it holds anything
        to count (an error when there is none above), else None."""
        if not counts:
            return None
        if previous_code is None:
            self.problems.append(error(L.msg("no_identifier"), sheet_row, self.id_head))
        return previous_code

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
            column_out = each(text_of, [values[i] for i in kept])
            if "".join(column_out).isprintable() and max(map(len, column_out), default=0) <= limits.MAX_CELL_CHARS:
                out[k] = column_out
                continue  # nothing invisible, nothing too long (checked in C over the column)
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
