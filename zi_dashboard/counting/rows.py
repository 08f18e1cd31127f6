"""The rows of the counting's tables, typed: what each column of a table holds.

`DataFrame.itertuples` yields rows whose fields a type checker cannot know (each could be any
pandas scalar).  Each function below walks one kind of table the counting builds and says which
columns its rows have, so the code that reads them is checked: `for c in component_rows(result.components)`.
The rows are still pandas' named tuples (numbers may be numpy scalars; the readers convert them).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Protocol, cast

import pandas as pd


class ComponentRow(Protocol):
    """A row of Result.components."""

    code: str
    name: str
    completion: float
    planned: float
    indicators: int
    done: int
    overdue: int


class IndicatorRow(Protocol):
    """A row of Result.indicators (and of its selections: overdue, behind)."""

    code: str
    component_code: str
    component: str
    indicator: str
    action: str
    target: str
    target_start: date | None
    target_end: date | None
    weight: float
    pic: str
    evidence: str
    notes: str
    progress: float
    planned: float
    status: str
    days_overdue: int


class ChangeRow(Protocol):
    """A row of the rows that moved since the previous upload (counting.history.moved)."""

    code: str
    indicator: str
    before: float
    after: float
    change: float
    status_before: str
    status_after: str


class AreaRow(Protocol):
    """A row of Readiness.areas."""

    code: str
    name: str
    pemenuhan: float
    pemenuhan_max: float
    reform: float
    reform_max: float
    points: float
    max: float
    pct: float


class ReadinessRow(Protocol):
    """A row of Readiness.rows (and of open_points)."""

    code: str
    status: str
    progress: float
    open: float
    evidence_links: int


class FollowUpRow(Protocol):
    """A row of FollowUp.rows."""

    code: str
    indicator: str
    status: str
    reason: str
    days_overdue: int
    days_left: int
    target_end: date | None
    progress: float
    open: float


class EvidenceShareRow(Protocol):
    """A row of Readiness.evidence_share()."""

    code: str
    name: str
    rows: int
    with_evidence: int
    share: float


class UnitRow(Protocol):
    """A row of the province view's units table (app.province)."""

    unit: str
    rank: int
    has_plan: bool
    stale: bool
    last_upload: object
    overall_completion: float
    overall_planned: float
    standing: str
    overdue: int


def component_rows(frame: pd.DataFrame) -> Iterator[ComponentRow]:
    return cast(Iterator[ComponentRow], frame.itertuples(index=False))


def indicator_rows(frame: pd.DataFrame) -> Iterator[IndicatorRow]:
    return cast(Iterator[IndicatorRow], frame.itertuples(index=False))


def change_rows(frame: pd.DataFrame) -> Iterator[ChangeRow]:
    return cast(Iterator[ChangeRow], frame.itertuples(index=False))


def area_rows(frame: pd.DataFrame) -> Iterator[AreaRow]:
    return cast(Iterator[AreaRow], frame.itertuples(index=False))


def readiness_rows(frame: pd.DataFrame) -> Iterator[ReadinessRow]:
    return cast(Iterator[ReadinessRow], frame.itertuples(index=False))


def follow_up_rows(frame: pd.DataFrame) -> Iterator[FollowUpRow]:
    return cast(Iterator[FollowUpRow], frame.itertuples(index=False))


def evidence_share_rows(frame: pd.DataFrame) -> Iterator[EvidenceShareRow]:
    return cast(Iterator[EvidenceShareRow], frame.itertuples(index=False))


def unit_rows(frame: pd.DataFrame) -> Iterator[UnitRow]:
    return cast(Iterator[UnitRow], frame.itertuples(index=False))
