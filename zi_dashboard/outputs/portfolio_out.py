"""The province view's tables (Semua Satker): every unit of a year at an as-of date, filtered,
as a table for the page and its files, and as a units x components matrix (HTML, every text
from a file escaped); and a unit's years side by side (Riwayat).  Pure pandas, no Streamlit,
no number counted here: the figures come from province.portfolio / province.year_comparison."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any, Protocol
from urllib.parse import urlencode

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.metrics import round1
from zi_dashboard.counting.rows import unit_rows
from zi_dashboard.outputs.display import local_time
from zi_dashboard.reading.header import normalise_name
from zi_dashboard.reading.limits import visitor_text
from zi_dashboard.reading.units import unit_slug

P = L.PROVINCE
MARKS = dict(L.STANDING_MARKS)
STANDINGS = [*L.STATUS_ORDER, L.NO_PLAN]  # what the standing filter offers
TEXT_ON = {
    L.DONE: "#ffffff",
    L.ON_TRACK: "#ffffff",
    L.OVERDUE: "#ffffff",
    L.BEHIND: "#111827",
    L.NOT_STARTED: "#111827",
}  # readable text on each standing's colour
MATRIX_ROWS = 30  # units per page of the matrix (the table below always holds every filtered unit)


def _esc(value) -> str:
    return escape(str(value), quote=True)


def standings(units: pd.DataFrame) -> pd.Series:
    """Each unit's standing; a listed unit without a plan for the year: L.NO_PLAN."""
    has = units["has_plan"].fillna(False).astype(bool)
    return units["standing"].where(has, L.NO_PLAN).fillna(L.NO_PLAN)


def upload_day(value) -> date | None:
    """The local day of a unit's last upload (None: never)."""
    if value is None or value != value:
        return None
    return pd.Timestamp(value).to_pydatetime().astimezone().date()


def filter_units(
    units: pd.DataFrame, text: str = "", chosen: list[str] | None = None, stale_only: bool = False
) -> pd.DataFrame:
    """The units that pass every filter given (None / empty = no filter), in the given order."""
    mask = pd.Series(True, index=units.index)
    needle = normalise_name(visitor_text(text))  # a forged search of megabytes: cut before any work
    if needle:
        mask &= units["unit"].map(normalise_name).str.contains(needle, regex=False)
    if chosen:
        mask &= standings(units).isin(chosen)
    if stale_only:
        mask &= units["stale"].astype(bool)
    return units[mask]


def filter_note(text: str = "", chosen: list[str] | None = None, stale_only: bool = False) -> list[str]:
    """The filters in force, as a line for the files (none: no line)."""
    parts = []
    text = visitor_text(text)
    if text.strip():
        parts.append(f"{P['filter_text']}: {text.strip()}")
    if chosen:
        parts.append(f"{P['filter_standing']}: {', '.join(chosen)}")
    if stale_only:
        parts.append(P["filter_stale"])
    return [P["file_filters"].format(filters="; ".join(parts))] if parts else []


def _count(value):
    return None if value is None or value != value else int(value)


def units_table(units: pd.DataFrame) -> pd.DataFrame:
    """The units as the files hold them (one row per unit, in the given order): numbers as
    numbers, dates as dates, Indonesian headers."""
    has = units["has_plan"].fillna(False).astype(bool)
    return pd.DataFrame(
        {
            P["col_rank"]: [int(r) if h else None for r, h in zip(units["rank"], has, strict=True)],
            P["col_unit"]: units["unit"].astype(str),
            L.COL["completion"]: units["overall_completion"].astype(float).round(1),
            L.COL["planned"]: units["overall_planned"].astype(float).round(1),
            P["col_standing"]: standings(units),
            P["col_overdue"]: units["overdue"].map(_count),
            P["col_stale"]: units["stale"].map(lambda s: P["yes"] if s else ""),
            P["col_last_upload"]: units["last_upload"].map(upload_day),
            P["col_readiness"]: units["readiness"].astype(float).round(1),
            P["col_predicate"]: units["predicate"].fillna("").astype(str),
            P["col_done"]: units["done"].map(_count),
            P["col_rows"]: units["rows"].map(_count),
            P["col_position"]: units["position_date"].map(lambda d: None if d is None or d != d else d),
        },
        index=units.index,
    ).reset_index(drop=True)


def unit_link(unit: str, year: int) -> str:
    """A unit's Ringkasan for a year, relative to the app's address (?satker=…&tahun=…)."""
    return "./?" + urlencode({"satker": unit_slug(unit), "tahun": str(year)})


def display_units(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The files' table as the page shows it: percentages written the Indonesian way, a bar to
    sort by, a link to each unit's Ringkasan."""
    out = table.copy()
    for col in (L.COL["completion"], L.COL["planned"]):
        out[col] = [L.fmt_pct(v) if v == v else "–" for v in table[col]]
    # a blank says why: no upload yet, no self-assessment saved (so no readiness estimate), not eligible
    F = L.FIGURES
    for col in (P["col_last_upload"], P["col_position"]):
        out[col] = [d.strftime("%d/%m/%Y") if isinstance(d, date) else F["no_upload"] for d in table[col]]
    out[P["col_readiness"]] = [L.fmt_number(v) if v == v else F["no_assessment"] for v in table[P["col_readiness"]]]
    out[P["col_predicate"]] = [
        p or (F["not_eligible"] if v == v else F["no_assessment"])
        for p, v in zip(table[P["col_predicate"]], table[P["col_readiness"]], strict=True)
    ]
    out.insert(3, "bar", table[L.COL["completion"]].astype(float))
    out.insert(8, "link", [unit_link(u, year) for u in table[P["col_unit"]]])
    return out


# --- the matrix --------------------------------------------------------------------------------
MATRIX_CSS = """
<style>
.zi-matrix-wrap { overflow-x: auto; max-width: 100%; border: 1px solid #e5e7eb; border-radius: 6px; }
.zi-matrix { border-collapse: separate; border-spacing: 2px; font-size: 1rem; width: 100%; }
.zi-matrix th { font-size: 0.95rem; font-weight: 700; color: #111827; padding: 4px 6px; text-align: center;
                background: #f3f4f6; white-space: nowrap; }
.zi-matrix th.zi-m-unit, .zi-matrix td.zi-m-unit { position: sticky; left: 0; z-index: 1; text-align: left;
                background: #ffffff; min-width: 11rem; max-width: 16rem; white-space: normal; }
.zi-matrix th.zi-m-unit { background: #f3f4f6; }
.zi-matrix td { padding: 3px 6px; text-align: center; border-radius: 4px; min-width: 3.6rem; line-height: 1.15; }
.zi-m-name { font-weight: 600; overflow-wrap: anywhere; }
.zi-m-meta { font-size: 0.8rem; color: #4b5563; }
.zi-m-stale { font-size: 0.8rem; font-weight: 700; color: #B34700; }
.zi-m-big { font-size: 1.1rem; font-weight: 700; white-space: nowrap; }
.zi-m-small { font-size: 0.8rem; white-space: nowrap; }
.zi-m-none { background: #f9fafb; color: #6b7280; }
.zi-matrix td.zi-m-total { box-shadow: inset 0 0 0 2px #111827; }
@media (max-width: 700px) {
  .zi-matrix { font-size: 0.9rem; }
  .zi-matrix th.zi-m-unit, .zi-matrix td.zi-m-unit { min-width: 8rem; max-width: 9.5rem; }
  .zi-matrix td { min-width: 3rem; padding: 2px 3px; }
  .zi-m-big { font-size: 1rem; }
}
</style>
"""


def short_date(d: date) -> str:
    """'29 Nov 2026': a matrix row's last upload in one short line."""
    return f"{d.day} {L.MONTHS_SHORT[d.month - 1]} {d.year}"


def legend() -> str:
    return " · ".join(f"{MARKS[s]} {s}" for s in STANDINGS)


def _cell(
    unit: str, component: str, completion: float, planned: float, standing: str, overdue: int, total: bool = False
) -> str:
    color, ink = L.STATUS_COLORS[standing], TEXT_ON[standing]
    late = P["cell_overdue"].format(n=overdue) if overdue else ""
    title = P["cell_title"].format(
        unit=unit,
        component=component,
        completion=L.fmt_pct(completion),
        planned=L.fmt_pct(planned),
        standing=standing,
        overdue=late,
    )
    css = " class='zi-m-total'" if total else ""
    return (
        f"<td{css} style='background:{color};color:{ink}' title='{_esc(title)}'>"
        f"<div class='zi-m-big'>{_esc(L.fmt_pct(completion, 0))}</div>"
        f"<div class='zi-m-small'>{_esc(MARKS[standing])} {_esc(L.fmt_pct(planned, 0))}</div></td>"
    )


def components_of(cells: pd.DataFrame) -> dict[str, str]:
    """code -> name of every component in the cells, in plan order (first seen)."""
    first = cells.drop_duplicates("component_code")
    return dict(zip(first["component_code"].astype(str), first["component"].astype(str), strict=True))


def matrix_html(units: pd.DataFrame, cells: pd.DataFrame, comps: dict[str, str]) -> str:
    """The units (rows, in the given order) x the components (columns, after the overall
    figure): completion large, the planned share small, the cell in its standing's colour
    with its mark (not by colour alone); the name cell says the last upload and flags a unit
    not updated.  Every text from a file is escaped."""
    by_unit = {
        u: grp.set_index("component_code")
        for u, grp in cells[cells["unit"].isin(units["unit"])].groupby("unit", sort=False)
    }
    head = [f"<th class='zi-m-unit'>{_esc(P['col_unit'])}</th>", f"<th>{_esc(P['overall_short'])}</th>"]
    head += [f"<th title='{_esc(f'{c}. {n}')}'>{_esc(c)}</th>" for c, n in comps.items()]
    rows = []
    for u in unit_rows(units):
        day = upload_day(u.last_upload)
        when = P["last_upload_short"].format(date=short_date(day) if day else P["never"])
        rank = f"{int(u.rank)}. " if u.has_plan else ""
        name = (
            f"<td class='zi-m-unit'><div class='zi-m-name'>{_esc(rank)}{_esc(u.unit)}</div>"
            f"<div class='zi-m-meta'>{_esc(when)}</div>"
            + (f"<div class='zi-m-stale'>{_esc(P['stale_mark'])}</div>" if u.stale else "")
            + "</td>"
        )
        if not u.has_plan:
            blank = f"<td class='zi-m-none'>{_esc(MARKS[L.NO_PLAN])}</td>"
            rows.append(
                f"<tr>{name}<td class='zi-m-none' colspan='{len(comps) + 1}'>{_esc(L.NO_PLAN)}</td></tr>"
                if comps
                else f"<tr>{name}{blank}</tr>"
            )
            continue
        tds = [
            _cell(
                u.unit,
                L.UNITS["overall"],
                u.overall_completion,
                u.overall_planned,
                u.standing,
                int(u.overdue),
                total=True,
            )
        ]
        mine = by_unit.get(u.unit)
        for code, comp in comps.items():
            if mine is None or code not in mine.index:
                tds.append(f"<td class='zi-m-none'>{_esc(MARKS[L.NO_PLAN])}</td>")
                continue
            c = mine.loc[code]
            assert isinstance(c, pd.Series)  # one row per unit and component
            tds.append(
                _cell(
                    u.unit,
                    f"{code}. {comp}",
                    float(c["completion"]),
                    float(c["planned"]),
                    str(c["standing"]),
                    int(c["overdue"]),
                )
            )
        rows.append(f"<tr>{name}{''.join(tds)}</tr>")
    return (
        f"<div class='zi-matrix-wrap'><table class='zi-matrix'><thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def components_line(comps: dict[str, str]) -> str:
    return P["matrix_components"].format(names=" · ".join(f"{c}. {n}" for c, n in comps.items()))


def names_line(names: list[str], most: int = 20) -> str:
    """A list of names for one sentence: the first `most`, then how many more."""
    if len(names) <= most:
        return ", ".join(names)
    return P["and_more"].format(names=", ".join(names[:most]), n=len(names) - most)


# --- Riwayat: a unit's years side by side ------------------------------------------------------
def year_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Component (the overall figure first) x year: the final completion, Indonesian percentages;
    each component once, matched across years by name (province.year_comparison)."""
    c = comparison  # components matched across years by name (key), in the latest year's order
    order = list(dict.fromkeys(c["key"]))
    wide = c.pivot_table(index="key", columns="year", values="completion", aggfunc="first").reindex(order)
    label = dict(zip(c["key"], c["label"], strict=True))
    out = pd.DataFrame({P["years_component"]: [label[k] for k in wide.index]})
    for y in wide.columns:
        out[str(y)] = [L.fmt_pct(v) if v == v else "–" for v in wide[y]]
    return out


# --- the CLI's `portfolio`: the province figures as JSON and as a text table --------------------
class Figures(Protocol):
    """The province figures of a year (app.province.Portfolio; read only)."""

    @property
    def year(self) -> int: ...
    @property
    def as_of(self) -> date: ...
    @property
    def units(self) -> pd.DataFrame: ...
    @property
    def cells(self) -> pd.DataFrame: ...
    @property
    def per_unit(self) -> bool: ...


def _r1(x: Any) -> float | None:
    """round1, with null for a missing figure (a listed unit without a plan)."""
    return None if x is None or x != x else round1(x)


def _last_upload(u: Any) -> datetime | None:
    """A unit's last upload time, None when it has none (NaN or NaT in the table)."""
    last = getattr(u, "last_upload", None)
    return last if last is not None and last == last else None


def portfolio_dict(pf: Figures) -> dict:
    """The province figures as the CLI's JSON: units best first, each with its components."""
    out: list[dict[str, Any]] = []
    u: Any
    for u in pf.units.itertuples(index=False):
        cells = pf.cells[pf.cells["unit"] == u.unit]
        last = _last_upload(u)
        out.append(
            {
                "unit": u.unit,
                "overall_completion": _r1(u.overall_completion),
                "overall_planned": _r1(u.overall_planned),
                "components": [
                    {"name": c.component, "completion": _r1(c.completion), "planned": _r1(c.planned)}
                    for c in cells.itertuples(index=False)
                ],
                "overdue": None if not u.has_plan else int(u.overdue),
                "last_upload": last.isoformat() if last is not None else None,
            }
        )
    if pf.per_unit:  # no --as-of: each unit at the date its data describes
        for unit, when in zip(out, pf.units["as_of"], strict=True):
            unit["as_of"] = when.isoformat() if isinstance(when, date) else None
        return {"as_of": None, "year": int(pf.year), "units": out}
    return {"as_of": pf.as_of.isoformat(), "year": int(pf.year), "units": out}


def portfolio_text(pf: Figures, stale_days: int) -> str:
    """The province figures as the CLI prints them: a title, then one aligned line per unit
    (rank, unit, completion, planned, overdue rows, last upload; stale after `stale_days`)."""
    C = L.CLI
    title = C["portfolio_title_each" if pf.per_unit else "portfolio_title"].format(
        year=pf.year, date=L.fmt_date(pf.as_of), n=len(pf.units)
    )
    head = L.CLI_PORTFOLIO_HEAD
    rows: list[list[str]] = []
    u: Any
    for u in pf.units.itertuples(index=False):
        if not u.has_plan:
            rows.append(["–", u.unit, C["portfolio_no_plan"], "", "", ""])
            continue
        last = _last_upload(u)
        when = local_time(last) if last is not None else C["portfolio_never"]
        if u.stale:
            when += " " + C["portfolio_stale"].format(days=stale_days)
        rows.append(
            [
                str(u.rank),
                u.unit,
                L.fmt_pct(u.overall_completion),
                L.fmt_pct(u.overall_planned),
                str(int(u.overdue)),
                when,
            ]
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.ljust(w) if i in (1, 5) else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in [head, *rows]
    ]
    return "\n".join([title, *lines])
