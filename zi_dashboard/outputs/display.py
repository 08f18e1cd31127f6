"""What pages show, derived from a Result: filters, display tables, the change between two
results.  Pure pandas, no Streamlit, no new definitions of any number."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.reading.header import normalise_name
from zi_dashboard.reading.limits import visitor_text

_SAFE_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.I)


def safe_link(value: str) -> str | None:
    """An evidence link is clickable only when it is http(s)."""
    v = (value or "").strip()
    return v if _SAFE_LINK.match(v) else None


def filter_indicators(
    ind: pd.DataFrame,
    component: str | None = None,
    statuses: list[str] | None = None,
    pics: list[str] | None = None,
    text: str = "",
) -> pd.DataFrame:
    """Rows of the indicator table that pass every filter given (None / empty = no filter)."""
    mask = pd.Series(True, index=ind.index)
    if component:
        mask &= ind["component_code"] == component
    if statuses:
        mask &= ind["status"].isin(statuses)
    if pics:
        wanted = set(pics)
        mask &= ind["pic"].map(lambda s: bool(wanted & {p.strip() for p in str(s).split(";")}))
    needle = normalise_name(visitor_text(text))  # a forged search of megabytes: cut before any work
    if needle:
        hay = (
            ind["code"]
            + " "
            + ind["component"]
            + " "
            + ind["indicator"]
            + " "
            + ind["action"]
            + " "
            + ind["pic"]
            + " "
            + ind["notes"]
        ).map(normalise_name)
        mask &= hay.str.contains(needle, regex=False)
    return ind[mask]


def pic_options(ind: pd.DataFrame) -> list[str]:
    names = {p.strip() for s in ind["pic"] for p in str(s).split(";") if p.strip()}
    return sorted(names, key=str.casefold)


def display_table(ind: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows as the page's table shows them: Indonesian headers, dates and
    percentages written the Indonesian way, a bar value and a safe link column."""
    return pd.DataFrame(
        {
            L.COL["code"]: ind["code"],
            L.COL["component"]: ind["component"],
            L.COL["indicator"]: ind["indicator"],
            L.COL["action"]: ind["action"],
            L.COL["target"]: ind["target"],
            L.COL["target_end"]: ind["target_end"].map(L.fmt_date),
            L.COL["pic"]: ind["pic"],
            L.COL["progress"]: ind["progress"].map(L.fmt_pct),
            "bar": ind["progress"].astype(float),
            L.COL["planned"]: ind["planned"].map(L.fmt_pct),
            L.COL["status"]: ind["status"],
            L.COL["days_overdue"]: ind["days_overdue"].astype(int),
            "link": ind["evidence"].map(safe_link),
            L.COL["evidence"]: ind["evidence"].map(lambda v: "" if safe_link(v) else v),
            L.COL["notes"]: ind["notes"],
        }
    )


OVERDUE_COLUMNS = ["code", "indicator", "component", "days_overdue", "progress", "target_end", "pic", "notes"]
BEHIND_COLUMNS = ["code", "indicator", "component", "progress", "planned", "target_end", "pic", "notes"]


def short_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = {}
    for c in columns:
        s = frame[c]
        if c in ("progress", "planned"):
            s = s.map(L.fmt_pct)
        elif c == "target_end":
            s = s.map(L.fmt_date)
        out[L.COL[c]] = s
    return pd.DataFrame(out)


def problems_table(problems) -> pd.DataFrame:
    return pd.DataFrame(
        {
            L.COL["row"]: [p.row if p.row is not None else "–" for p in problems],
            L.COL["column"]: [p.column or "–" for p in problems],
            L.COL["message"]: [p.message for p in problems],
        }
    )


def local_time(at: datetime) -> str:
    """A stored time as this machine's local time, as every page and the CLI write it: 15/11/2025 09:30."""
    return at.astimezone().strftime("%d/%m/%Y %H:%M")
