"""Many units side by side: the province view (every unit of a year at an as-of date) and a
unit's years compared.  Counted by counting/portfolio.py and counting/readiness.estimate, as
each unit's own pages count; no Streamlit.  Used by the Semua Satker page, Riwayat and the CLI's
`portfolio`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.app.service.readiness import counted_assessment, lke
from zi_dashboard.app.service.store_access import get_store, pulse, store_at
from zi_dashboard.app.service.workplans import shown_workplan, unit_key, years
from zi_dashboard.counting import history
from zi_dashboard.counting import portfolio as portfolio_counting
from zi_dashboard.counting.readiness import estimate
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.plan import BUNDLED_YEAR
from zi_dashboard.storage import auth
from zi_dashboard.storage.records import Standing

# --- many units: the province view and the year comparison --------------------------------------
STALE_DAYS = 30  # a unit with no upload in this many days before the as-of date is flagged


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Every unit of a year at an as-of date (the province view; the CLI's `portfolio`)."""

    year: int
    as_of: date  # the one date given, else the newest of the units' dates (stale is counted from it)
    units: pd.DataFrame  # one row per unit, best first (see _portfolio); "as_of": the date it is counted at
    cells: pd.DataFrame  # unit x component: completion, planned, overdue, standing
    per_unit: bool = False  # no date given: each unit counted at the date its data describes


def portfolio(year: int | None = None, as_of: date | None = None) -> Portfolio:
    """Every unit's figures for a year (default: the year shown, service.shown_workplan) at
    `as_of`, or without one each unit at the date its data describes (its upload's position
    date; a unit without an upload at the newest of the others', or history.default_as_of):
    completion against planned per component, overdue rows, the standing, the rank, the last
    upload (stale after STALE_DAYS), and the readiness estimate of units with a
    self-assessment.  Units of the unit list without a plan for the year are listed too."""
    if year is None:
        shown = shown_workplan()
        year = shown.year if shown is not None else (years()[-1] if years() else BUNDLED_YEAR)
    return _portfolio(get_store().url, int(year), as_of, pulse(), tuple(auth.configured_units()), date.today())


def _unit_dates(standings: list[Standing], plans: dict, today: date) -> list[date]:
    """Each unit's date when none is given: its data's position date; without an upload, the
    newest of the other units' (the province's data date), else history.default_as_of."""
    known = [s.position_date for s in standings if s.snapshot_id is not None and s.position_date is not None]
    newest = max(known) if known else None
    return [
        s.position_date
        if s.snapshot_id is not None and s.position_date is not None
        else history.default_as_of(newest, plans[_plan_id(s)].span, today)
        for s in standings
    ]


def _plan_id(s: Standing) -> int:
    """The plan a unit's figures are counted with (every work plan is made with its plan)."""
    assert s.plan_id is not None
    return s.plan_id


@cached(maxsize=8, max_bytes=64 * 1024 * 1024)
def _portfolio(
    url: str, year: int, given: date | None, _pulse: tuple, listed: tuple[str, ...], today: date
) -> Portfolio:
    store = store_at(url)
    standings: list[Standing] = store.portfolio(year)
    plans = store.parsed_plans([_plan_id(s) for s in standings])
    dates = [given] * len(standings) if given is not None else _unit_dates(standings, plans, today)
    as_of = given or max(dates, default=None) or today
    counted = portfolio_counting.count_units(
        [(s.workplan.unit, plans[_plan_id(s)], s.progress) for s in standings], dates
    )
    units = counted.units.rename(columns={"key": "unit"})
    units.insert(1, "year", year)
    units["as_of"] = pd.Series(dates, dtype=object)
    units["has_plan"] = True
    units["last_upload"] = pd.Series([s.last_upload for s in standings], dtype=object)
    units["position_date"] = pd.Series([s.position_date for s in standings], dtype=object)
    units["uploads"] = [s.snapshot_id is not None for s in standings]
    ready = []
    for s in standings:
        if s.assessment is None:
            ready.append((np.nan, ""))
            continue
        # readiness.estimate: what readiness() says of the unit (its total and gates), without its tables
        total, wbk, wbbm = estimate(plans[_plan_id(s)], s.progress, counted_assessment(s.assessment), lke())
        ready.append((total, "WBBM" if wbbm else "WBK" if wbk else ""))  # the predicate's own name
    units["readiness"] = [r[0] for r in ready]
    units["predicate"] = [r[1] for r in ready]
    planned_units = {unit_key(s.workplan.unit) for s in standings}
    missing = [u for u in listed if unit_key(u) not in planned_units]
    if missing:
        units = pd.concat(
            [units, pd.DataFrame({"unit": missing, "year": year, "has_plan": False, "uploads": False})],
            ignore_index=True,
        )
    cutoff = as_of - timedelta(days=STALE_DAYS)
    units["stale"] = [t is None or t != t or t.astimezone().date() < cutoff for t in units["last_upload"]]
    units = units.sort_values(
        ["overall_completion", "unit"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    units["rank"] = np.where(units["has_plan"], np.arange(1, len(units) + 1), 0)
    return Portfolio(year, as_of, units, counted.cells.rename(columns={"key": "unit"}), per_unit=given is None)


def year_comparison(unit: str) -> pd.DataFrame:
    """A unit's years side by side: per year and component, the completion of the data in use
    for that year (its final figure once the year is over).  Columns year, component_code,
    component, completion; the overall figure as component_code "" ; and key and label: the
    components matched across years by name (portfolio.match_year_components), never by number."""
    return _year_comparison(get_store().url, unit_key(unit), pulse())


@cached(maxsize=16)
def _year_comparison(url: str, key: str, _pulse: tuple) -> pd.DataFrame:
    store = store_at(url)
    mine = [s for s in store.portfolio(None) if unit_key(s.workplan.unit) == key]
    plans = store.parsed_plans([_plan_id(s) for s in mine])
    records = []
    for s in sorted(mine, key=lambda s: s.workplan.year):
        plan = plans[_plan_id(s)]
        end = max(plan.span[1], date(s.workplan.year, 12, 31))
        counted = portfolio_counting.count_units([(s.workplan.year, plan, s.progress)], end)
        records.append(
            {
                "year": s.workplan.year,
                "component_code": "",
                "component": L.UNITS["overall"],
                "completion": float(counted.units["overall_completion"].iloc[0]),
            }
        )
        for c in counted.cells.itertuples(index=False):
            records.append(
                {
                    "year": s.workplan.year,
                    "component_code": c.component_code,
                    "component": c.component,
                    "completion": c.completion,
                }
            )
    frame = pd.DataFrame(records, columns=["year", "component_code", "component", "completion"])
    return portfolio_counting.match_year_components(frame)
