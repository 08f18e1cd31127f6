"""The data in use: a work plan's upload named by its newest event (or the bundled example
data, or no progress yet), and its figures at an as-of date (counting.metrics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app.service.store_access import get_store, store_at, store_says
from zi_dashboard.app.service.workplans import home, shows_example
from zi_dashboard.counting import history
from zi_dashboard.counting.metrics import Result, compute
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.plan import Plan
from zi_dashboard.reading.progress import no_rows, read_progress
from zi_dashboard.storage.records import Snapshot, Workplan


@dataclass(frozen=True, eq=False)
class Dataset:
    """Progress rows read against a plan: an upload, the bundled example data, or a file."""

    plan: Plan
    rows: pd.DataFrame  # parsed progress rows (as read_progress returns them)
    snapshot: Snapshot | None  # the stored upload, if it is one
    key: str  # identity: the store and the event that made it the data in use
    filename: str
    file_position: date | None  # the position date the file states
    example: bool = False  # the bundled example data
    workplan: Workplan | None = None  # the unit and year it belongs to

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dataset) and other.key == self.key

    @property
    def is_example(self) -> bool:
        return self.example

    @property
    def position_date(self) -> date | None:
        return self.snapshot.position_date if self.snapshot is not None else self.file_position

    @property
    def source_label(self) -> str:
        return L.UI["example_badge"] if self.is_example else self.filename

    @property
    def empty(self) -> bool:
        """A work plan with nothing uploaded yet (every row at 0%)."""
        return self.snapshot is None and not self.example


@dataclass(frozen=True)
class Context:
    """The data in use, the as-of date and the component chosen, with the figures."""

    data: Dataset
    as_of: date
    component: str | None
    result: Result

    @property
    def plan(self) -> Plan:
        return self.data.plan

    @property
    def workplan(self) -> Workplan:
        wp = self.data.workplan
        assert wp is not None  # the data counted on a page is a work plan's
        return wp

    def indicators(self) -> pd.DataFrame:
        """The indicator rows, narrowed to the chosen component."""
        ind = self.result.indicators
        return ind[ind["component_code"] == self.component] if self.component else ind

    def source_label(self) -> str:
        return self.data.source_label


def plan_in_use(wp: Workplan | None = None) -> tuple[Plan, int]:
    """The plan new uploads of a work plan are read against (its newest plan), and its id."""
    wp = wp or home()
    plan_id = store_says(get_store().url, "plan_id_of", wp.id)
    return get_store().parsed_plan(plan_id), plan_id


@cached(maxsize=32)
def _dataset(url: str, wp: Workplan, ident: tuple[int, int] | None, plan_id: int, example_mtime: int) -> Dataset:
    store = store_at(url)
    if ident is None:
        plan = store.parsed_plan(plan_id)
        if example_mtime:
            reading = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan)  # our own file
            return Dataset(
                plan,
                reading.rows,
                None,
                f"example:{url}:{plan_id}:{example_mtime}",
                EXAMPLE_FILE.name,
                reading.position_date,
                example=True,
                workplan=wp,
            )
        return Dataset(plan, no_rows(), None, f"empty:{url}:{wp.id}:{plan_id}", "", None, workplan=wp)
    snap = store.snapshot(ident[1])
    return Dataset(
        store.parsed_plan(snap.plan_id),
        store.rows(snap.id),
        snap,
        f"{url}#{ident[0]}",
        snap.filename,
        snap.position_date,
        workplan=wp,
    )


def current_dataset(wp: Workplan | None = None) -> Dataset:
    """A work plan's data in use (by default the home work plan's): the upload named by its
    newest event; before any upload, the example data (bundled unit and year) or no progress."""
    store = get_store()
    wp = wp or home()
    ident = store_says(store.url, "current_id", wp.id)
    if ident is None:
        example = EXAMPLE_FILE.stat().st_mtime_ns if shows_example(wp) else 0
        return _dataset(store.url, wp, None, plan_in_use(wp)[1], example)
    return _dataset(store.url, wp, tuple(ident), 0, 0)


def starting_as_of(data: Dataset) -> date:
    """The as-of date the data is shown at unless one is chosen (history.default_as_of)."""
    return history.default_as_of(data.position_date, data.plan.span, date.today())


@cached(maxsize=128)
def result_for(data: Dataset, as_of: date) -> Result:
    """Every figure of the data at the as-of date (counting.metrics.compute)."""
    return compute(data.plan, data.rows, as_of)


def context_for(
    as_of: date, component: str | None = None, data: Dataset | None = None, wp: Workplan | None = None
) -> Context:
    """The Context of a work plan's data in use (or `data`) at a date: what the CLI builds, as
    pages do."""
    data = data or current_dataset(wp)
    return Context(data, as_of, component, result_for(data, as_of))
