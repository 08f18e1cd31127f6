"""Many units at once (the province view): every unit's figures at one as-of date, counted by
metrics.figures exactly as a unit's own pages count them (docs/counting.md, "Satker").

A unit is given as (its plan, its progress per plan row or None when nothing is uploaded);
units reading the same plan are counted in one pass.  A component's colour on the province
view is its *standing*, the row status rule applied to the component: the first that applies
of Selesai (completion >= 100), Terlambat (a row of it is Terlambat), Belum mulai (completion
0 and planned 0), Tertinggal (completion < planned - BEHIND_MARGIN), Sesuai jadwal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

import numpy as np
import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import BEHIND_MARGIN, DONE_, OVERDUE_, figures, plan_arrays
from zi_dashboard.reading.header import normalise_name
from zi_dashboard.reading.plan import Plan


def standing(completion: float, planned: float, overdue: int) -> str:
    """A component's (or a unit's) standing: the row status rule applied to it."""
    if completion >= 100:
        return L.DONE
    if overdue > 0:
        return L.OVERDUE
    if completion == 0 and planned == 0:
        return L.NOT_STARTED
    if completion < planned - BEHIND_MARGIN:
        return L.BEHIND
    return L.ON_TRACK


@dataclass(frozen=True)
class UnitFigures:
    """Per unit: overall figures; per unit and component: the cells of the province matrix."""

    units: pd.DataFrame  # key, overall_completion, overall_planned, done, overdue, rows, standing
    cells: pd.DataFrame  # key, component_code, component, completion, planned, overdue, standing


def count_units(items: list[tuple[object, Plan, np.ndarray | None]], as_of: date | list[date]) -> UnitFigures:
    """Every unit's figures at `as_of` (one date, or one per item: each unit at the date its
    data describes); `items` are (key, plan, progress per plan row or None)."""
    by_plan: dict[int, list[int]] = {}  # units whose plans count alike (plan_arrays shared): one pass
    held = []  # the arrays grouped by, held while grouping: an id is never reused by another's
    for n, (_, plan, _) in enumerate(items):
        held.append(plan_arrays(plan))
        by_plan.setdefault(id(held[-1]), []).append(n)
    unit_rows: list[dict | None] = [None] * len(items)
    cells: list[list[dict]] = [[] for _ in items]
    days = [d.toordinal() for d in as_of] if isinstance(as_of, list) else [as_of.toordinal()] * len(items)
    for members in by_plan.values():
        plan = items[members[0]][1]
        a = plan_arrays(plan)
        progress = np.zeros((len(members), len(a.codes)))
        for i, n in enumerate(members):
            p = items[n][2]
            if p is not None and len(p) == len(a.codes):
                progress[i] = p
        fig = figures(a, progress, np.array([days[n] for n in members], dtype=np.int64))
        done, overdue = (fig.status == DONE_), (fig.status == OVERDUE_)
        comp_overdue = overdue.astype(np.int64) @ a.membership
        for i, n in enumerate(members):
            key = items[n][0]
            total_overdue = int(overdue[i].sum())
            unit_rows[n] = {
                "key": key,
                "overall_completion": float(fig.overall_completion[i]),
                "overall_planned": float(fig.overall_planned[i]),
                "done": int(done[i].sum()),
                "overdue": total_overdue,
                "rows": len(a.codes),
                "standing": standing(float(fig.overall_completion[i]), float(fig.overall_planned[i]), total_overdue),
            }
            for k, code in enumerate(a.component_codes):
                c, pl, od = float(fig.completion[i, k]), float(fig.component_planned[i, k]), int(comp_overdue[i, k])
                cells[n].append(
                    {
                        "key": key,
                        "component_code": str(code),
                        "component": str(a.component_names[k]),
                        "completion": c,
                        "planned": pl,
                        "overdue": od,
                        "standing": standing(c, pl, od),
                    }
                )
    units = pd.DataFrame(
        unit_rows, columns=["key", "overall_completion", "overall_planned", "done", "overdue", "rows", "standing"]
    )
    flat = [c for unit in cells for c in unit]
    return UnitFigures(
        units,
        pd.DataFrame(
            flat, columns=["key", "component_code", "component", "completion", "planned", "overdue", "standing"]
        ),
    )


# --- a unit's years side by side: components matched by name -----------------------------------
SAME_CODE_SIMILARITY = 0.6  # a component under the same number whose name changed this little is the same
RENAMED_SIMILARITY = 0.8  # under another number, only a name this close


def match_year_components(comparison: pd.DataFrame) -> pd.DataFrame:
    """Components of several years' plans matched by what they are, never by their number: the
    same normalised name; else, under the same number, a slightly changed name; else a name
    nearly the same under another number.  The latest year is the reference.  Adds `key` (one
    per component across years; "" for the overall figure) and `label` (its latest year's
    "number. name"); rows come back in the latest year's order, components no longer planned
    after them."""
    out = comparison.copy()
    if out.empty:
        return out.assign(key=pd.Series(dtype=str), label=pd.Series(dtype=str))
    years = sorted(out["year"].unique(), reverse=True)
    names: dict[str, str] = {}  # key -> label
    order: list[str] = []
    keys: dict[tuple[int, str], str] = {}  # (year, component_code) -> key

    def similar(a: str, b: str) -> float:
        return SequenceMatcher(None, a, b).ratio()

    for y in years:
        mine = out[(out["year"] == y) & (out["component_code"] != "")]
        comps = [
            (code, normalise_name(name), name)
            for code, name in zip(mine["component_code"], mine["component"], strict=True)
        ]
        known = set(order)  # keys are normalised names
        code_of_key = {k: c for (yy, c), k in keys.items() if yy == years[0]}
        claimed: set[str] = set()
        pending = []
        for code, norm, name in comps:
            if norm in known and norm not in claimed:
                keys[(y, code)] = norm
                claimed.add(norm)
            else:
                pending.append((code, norm, name))
        rest = []
        for code, norm, name in pending:
            same_number = [k for k, c in code_of_key.items() if c == code and k not in claimed]
            if same_number and similar(norm, same_number[0]) >= SAME_CODE_SIMILARITY:
                keys[(y, code)] = same_number[0]
                claimed.add(same_number[0])
            else:
                rest.append((code, norm, name))
        for code, norm, name in rest:
            close = max(((similar(norm, k), k) for k in order if k not in claimed), default=(0.0, ""))
            if close[0] >= RENAMED_SIMILARITY:
                keys[(y, code)] = close[1]
                claimed.add(close[1])
                continue
            keys[(y, code)] = norm
            order.append(norm)
            names[norm] = f"{code}. {name}"
    out["key"] = [keys.get((y, code), "") for y, code in zip(out["year"], out["component_code"], strict=True)]
    out["label"] = [names.get(k, name) if k else name for k, name in zip(out["key"], out["component"], strict=True)]
    rank = {k: i for i, k in enumerate(order)}
    out["_rank"] = [-1 if k == "" else rank[k] for k in out["key"]]
    return out.sort_values(["_rank", "year"], kind="stable").drop(columns="_rank").reset_index(drop=True)
