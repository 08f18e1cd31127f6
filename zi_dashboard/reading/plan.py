"""The work plan (rencana kerja): components, indicator rows, actions and target periods."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.header import Table, cell_text, find_header, normalise_name, parse_number, seen_headers
from zi_dashboard.reading.periods import PeriodError, parse_period
from zi_dashboard.reading.problems import Problem, error
from zi_dashboard.reading.resources import DATA_DIR
from zi_dashboard.reading.sheets import UnreadableFile, read_grids

BUNDLED_PLAN = DATA_DIR / "rencana-kerja-zi-2025.csv"
# the unit and year of the bundled plan (Keputusan KPU Kota Tasikmalaya Nomor 15 Tahun 2025); a
# store made before plans had a unit and a year holds this work plan
BUNDLED_UNIT = "KPU Kota Tasikmalaya"
BUNDLED_YEAR = 2025

PLAN_COLUMNS = [
    "code",
    "component_code",
    "component",
    "indicator",
    "action",
    "target",
    "target_start",
    "target_end",
    "weight",
]  # weight: the LKE weight (Bobot), NaN when absent


class PlanError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.text() for p in problems))
        self.problems = problems


@dataclass(eq=False)
class Plan:
    rows: pd.DataFrame  # PLAN_COLUMNS, in plan order, index = code
    source: str = ""
    title: str = ""
    by_name: dict[str, str] = field(default_factory=dict)  # normalised indicator -> code
    key: str = ""  # SHA-256 of the file it was read from: its identity
    title_lines: list[str] = field(default_factory=list)  # the rows above the table, one text each

    def __hash__(self) -> int:
        return hash(self.key) if self.key else id(self)

    def __eq__(self, other: object) -> bool:
        """Two plans read from the same bytes are the same plan (so caches can take plans)."""
        return self is other or (isinstance(other, Plan) and bool(self.key) and self.key == other.key)

    @cached_property
    def components(self) -> pd.DataFrame:
        c = self.rows[["component_code", "component"]].drop_duplicates("component_code")
        return c.reset_index(drop=True)

    @property
    def codes(self) -> list[str]:
        return list(self.rows["code"])

    def indicator_name(self, code: str) -> str:
        return str(self.rows.loc[code, "indicator"])

    @property
    def has_weights(self) -> bool:
        """True when every row carries an LKE weight (a "Bobot" column)."""
        return bool(len(self.rows)) and bool(self.rows["weight"].notna().all())

    @cached_property
    def span(self) -> tuple:
        """The first target start and the last target end (worked out once: every run asks)."""
        return self.rows["target_start"].min(), self.rows["target_end"].max()


_CODE_RE = re.compile(r"^\s*(\d+)\s*[.,]\s*(\d+)\s*\.?\s*$")
_COMPONENT_NUMBER_RE = re.compile(r"^\s*(?:[IVX]+|\d+|[A-Za-z])\s*[.)]\s+")


@cached(maxsize=8192, typed=True)
def code_text(value: object) -> str | None:
    """'1.4', 1.4, ' 1.4. ' -> '1.4'; anything else -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value != value or value.is_integer():
            return None  # 1.0 is a numbering "1", not a code
        text = repr(value)
    else:
        text = cell_text(value)
    m = _CODE_RE.match(text)
    return f"{int(m.group(1))}.{int(m.group(2))}" if m else None


@cached(maxsize=4096)
def strip_numbering(text: str) -> str:
    """'3. Penataan Sistem Manajemen SDM' -> 'Penataan Sistem Manajemen SDM'."""
    return _COMPONENT_NUMBER_RE.sub("", text).strip()


class _PlanRows:
    """Walks a plan table row by row: carries the component down merged cells, gives codes to
    rows without one, and collects every problem with its sheet row and column."""

    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []
        self.records: list[dict] = []
        self.component = ""
        self.component_order: list[str] = []
        self.seen_codes: set[str] = set()

    def get(self, cells: list, f: str) -> object:
        c = self.table.columns.get(f)
        return cells[c] if c is not None and c < len(cells) else None

    def problem(
        self, message: str, sheet_row: int | None, field: str | None = None, default_head: str | None = None
    ) -> None:
        self.problems.append(error(message, sheet_row, self.table.headers.get(field, default_head) if field else None))

    def read(self) -> None:
        for sheet_row, cells in self.table.body:
            self.read_row(sheet_row, cells)
        if not self.records and not self.problems:
            self.problems.append(error(L.msg("no_rows")))

    def read_row(self, sheet_row: int, cells: list) -> None:
        comp_text = strip_numbering(cell_text(self.get(cells, "component")))
        if comp_text:
            self.component = comp_text
        indicator = cell_text(self.get(cells, "indicator"))
        if not indicator:
            return  # blank line, signature block, note
        if not self.component:
            self.problem(L.msg("plan_no_component"), sheet_row, "component", L.COL["component"])
            return
        if self.component not in self.component_order:
            self.component_order.append(self.component)
        code = code_text(self.get(cells, "code")) or self.next_code()
        if code in self.seen_codes:
            self.problem(L.msg("plan_duplicate_code", code=code), sheet_row, "code")
            return
        self.seen_codes.add(code)
        target_raw = self.get(cells, "target")
        start, end = self.period(target_raw, sheet_row)
        self.records.append(
            {
                "code": code,
                "component_code": code.split(".")[0],
                "component": self.component,
                "indicator": indicator,
                "action": cell_text(self.get(cells, "action")),
                "target": cell_text(target_raw),
                "target_start": start,
                "target_end": end,
                "weight": self.weight(self.get(cells, "weight"), sheet_row),
            }
        )

    def weight(self, raw: object, sheet_row: int) -> float:
        """The row's LKE weight (Bobot): a number >= 0, '0,5' or 0.5; NaN when the cell is empty."""
        if cell_text(raw) == "":
            return float("nan")
        try:
            value = parse_number(raw)
        except ValueError:
            value = -1.0
        if value < 0:
            self.problem(L.msg("plan_bad_weight", value=cell_text(raw)[:40]), sheet_row, "weight")
            return float("nan")
        return value

    def next_code(self) -> str:
        """K.N in the decree's order, for a plan written without codes."""
        k = self.component_order.index(self.component) + 1
        n = sum(1 for r in self.records if r["component"] == self.component) + 1
        return f"{k}.{n}"

    def period(self, target_raw: object, sheet_row: int) -> tuple[date | None, date | None]:
        target_text = cell_text(target_raw)
        if not target_text:
            self.problem(L.msg("plan_no_target"), sheet_row, "target")
            return None, None
        try:
            return parse_period(target_raw)
        except PeriodError:
            self.problem(L.msg("plan_bad_period", value=target_text), sheet_row, "target")
            return None, None


def _plan_from_table(table: Table, source: str) -> Plan:
    walker = _PlanRows(table)
    walker.read()
    if walker.problems:
        raise PlanError(walker.problems)
    rows = pd.DataFrame.from_records(walker.records, columns=PLAN_COLUMNS)
    # a component's name is the one written on its first row
    first_name = rows.drop_duplicates("component_code").set_index("component_code")["component"]
    rows["component"] = rows["component_code"].map(first_name)
    rows.index = pd.Index(rows["code"], name=None)
    by_name: dict[str, str] = {}
    for code, name in zip(rows["code"], rows["indicator"], strict=True):
        by_name.setdefault(normalise_name(name), code)
    title = " ".join(table.title_lines)  # every line: the unit or the year may stand on the third
    return Plan(rows=rows, source=source, title=title, by_name=by_name, title_lines=list(table.title_lines))


def read_plan(data: bytes, filename: str) -> Plan:
    """Read a plan file (.csv or .xlsx with the decree's columns).

    Raises UnreadableFile for bytes that are no spreadsheet, PlanError with every problem
    for a plan that was read but is not usable."""
    grids = read_grids(data, filename)
    for grid in grids:
        table = find_header(grid, [("indicator",), ("target",)])
        if table is not None:
            plan = _plan_from_table(table, filename)
            plan.key = hashlib.sha256(data).hexdigest()
            return plan
    raise PlanError([error(L.msg("no_header_plan", seen=seen_headers(grids[0])))])


def plan_to_json(plan: Plan) -> str:
    """A read plan as JSON (what the store keeps beside the file, so a stored plan is not read
    again): its rows, title, source and key."""
    rows = plan.rows.copy()
    for c in ("target_start", "target_end"):
        rows[c] = [d.isoformat() for d in rows[c]]
    rows["weight"] = [None if w != w else float(w) for w in rows["weight"]]
    return json.dumps(
        {
            "rows": rows[PLAN_COLUMNS].values.tolist(),
            "title": plan.title,
            "source": plan.source,
            "by_name": plan.by_name,
            "key": plan.key,
        },
        ensure_ascii=False,
    )


def plan_from_json(text: str, rows_read: dict[str, pd.DataFrame] | None = None) -> Plan:
    """The plan plan_to_json wrote (trusted: the store wrote it from a plan that was read).
    `rows_read`: rows already read, by their JSON; plans with the same rows (units given one
    template, their titles differing) then share them (a plan is not changed after it is read)."""
    data = json.loads(text)
    same = json.dumps(data["rows"]) if rows_read is not None else ""
    rows = rows_read.get(same) if rows_read is not None else None
    if rows is None:
        # column by column, then one frame (the province view reads hundreds of plans at once)
        columns: dict[str, list[Any] | np.ndarray] = {
            c: [r[k] for r in data["rows"]] for k, c in enumerate(PLAN_COLUMNS)
        }
        for c in ("target_start", "target_end"):
            columns[c] = [date.fromisoformat(d) for d in columns[c]]
        columns["weight"] = np.array([np.nan if w is None else w for w in columns["weight"]], dtype=float)
        rows = pd.DataFrame(columns, columns=PLAN_COLUMNS, index=pd.Index(columns["code"], name="code", dtype="str"))
        if rows_read is not None:
            rows_read[same] = rows
    return Plan(rows=rows, source=data["source"], title=data["title"], by_name=data["by_name"], key=data["key"])


def load_plan(path: str | Path | None = None) -> Plan:
    path = Path(path) if path else BUNDLED_PLAN
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(L.msg("missing", name=str(path))) from exc
    return _load_plan_cached(data, path.name)


@cached(maxsize=8, max_bytes=64 * 1024 * 1024)
def _load_plan_cached(data: bytes, name: str) -> Plan:
    return read_plan(data, name)


def plan_from_bytes(data: bytes, name: str) -> Plan:
    """A stored plan file (cached: a plan is read once per content)."""
    return _load_plan_cached(data, name)
