"""What the browser sends from tables, checked before use: a table editor's state (a forged edit
is refused by its size before Streamlit applies it) and the one row picked in a table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L

# --- table editors: a forged edit is refused by its size before Streamlit applies it -------------
_EDITOR_ROUND = "_zi_editor_round"
EDITOR_MAX_CHARS = 200  # a cell as typed: far more than any value these tables take


def editor_state_problem(
    state: object, rows: int, editable: list[str], max_rows: int, max_chars: int = EDITOR_MAX_CHARS
) -> str | None:
    """What is wrong with a table editor's state as the browser sent it (None: fine).  Sizes are
    checked first, each in one pass: a state that would make the table longer than `max_rows`,
    edit a row that is not there, a column that may not be edited, or a cell longer than
    `max_chars` is refused whole.  (Streamlit adds rows one at a time at a cost that grows with
    the table: bounded here by `max_rows`.)"""
    if state is None:
        return None
    if not isinstance(state, dict):
        return L.msg("editor_forged", what=type(state).__name__)
    edited, added, deleted = (state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
    edited, added, deleted = edited or {}, added or [], deleted or []
    if not (isinstance(edited, dict) and isinstance(added, list) and isinstance(deleted, list)):
        return L.msg("editor_forged", what="type")
    if len(added) > max_rows - rows or len(deleted) > rows or len(edited) > max_rows:
        return L.msg("editor_too_big", added=len(added), edited=len(edited), deleted=len(deleted), limit=max_rows)
    if any(not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < rows for i in deleted):
        return L.msg("editor_forged", what="deleted_rows")
    cells = _edited_cells(edited, added, rows, editable)
    if isinstance(cells, str):
        return cells
    for value in cells:
        if not (value is None or isinstance(value, (str, int, float, bool))) or len(str(value)) > max_chars:
            return L.msg("editor_cell_too_long", limit=max_chars)
    return None


def _edited_cells(edited: dict, added: list, rows: int, editable: list[str]) -> list | str:
    """Every cell value an editor state sets, or what is forged about it."""
    cells: list = []
    for i, change in edited.items():
        if (
            not isinstance(i, int)
            or not 0 <= i < rows + len(added)
            or not isinstance(change, dict)
            or any(c not in editable for c in change)
        ):
            return L.msg("editor_forged", what="edited_rows")
        cells += change.values()
    for row in added:
        if not isinstance(row, dict) or len(row) > len(editable) + 1:
            return L.msg("editor_forged", what="added_rows")
        cells += row.values()
    return cells


def table_editor(
    frame: pd.DataFrame, key: str, editable: list[str], max_rows: int | None = None, **kwargs
) -> pd.DataFrame:
    """st.data_editor whose state is checked before Streamlit applies it (editor_state_problem;
    max_rows: the most rows the table may have, its own length when rows are fixed).  A refused
    state is dropped with a message, and the table is drawn afresh, as it was."""
    max_rows = len(frame) if max_rows is None else max_rows
    base = f"{key}-{st.session_state.get(_EDITOR_ROUND, 0)}"
    try:
        state = st.session_state.get(base)
    except Exception:  # noqa: BLE001 (a state that cannot even be read is refused like a forged one)
        state = object()
    problem = editor_state_problem(state, len(frame), editable, max_rows)
    if problem:
        st.error(problem)
        st.session_state[_EDITOR_ROUND] = st.session_state.get(_EDITOR_ROUND, 0) + 1
        base = f"{key}-{st.session_state[_EDITOR_ROUND]}"
    disabled = [c for c in frame.columns if c not in editable]
    return st.data_editor(
        frame, key=base, disabled=disabled, num_rows="fixed" if max_rows == len(frame) else "dynamic", **kwargs
    )


def picked_row(picked, n: int) -> int | None:
    """The one row chosen in a single-row table selection of `n` rows, as the browser sent it;
    None for no choice or a forged one (row 10**9, -1, a text, several rows)."""
    rows = picked.selection.rows if picked is not None else []
    if len(rows) != 1:
        return None
    row = rows[0]
    return row if isinstance(row, int) and not isinstance(row, bool) and 0 <= row < n else None
