"""What every run of every session would otherwise build again from the same objects.

The service keeps the figures, tables and readiness it computes and hands the same objects to
every session (caching.cached).  What a page makes of them (a figure in its page form, a table
as Arrow, a chart built from a Readiness, an HTML block) is the same for the same objects, so it
is made once here and handed out again: a returning viewer's run does not rebuild it.  Keys are
the objects themselves (SameObject: by identity, holding them so that an id is not reused) and
the plain arguments; the values are shared, so callers never change them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa

from zi_dashboard.reading.caching import SameObject, cached

T = TypeVar("T")


def _part(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:  # a table, a list: by identity
        return SameObject(value)
    return value


@cached(maxsize=512)
def _once(fn: Callable[..., Any], *parts: Any) -> Any:
    return fn(*(p.obj if isinstance(p, SameObject) else p for p in parts))


def once(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args), made once for these very objects (and equal plain arguments) and then handed
    out as it is.  Only for objects the service keeps (a per-run object would never be met again)."""
    result: T = _once(fn, *map(_part, args))
    return result


def _arrow(table: pd.DataFrame) -> pa.Table | pd.DataFrame:
    try:
        return pa.Table.from_pandas(table)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError, TypeError):
        return table


def arrow(table: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """A table the service keeps, as st.dataframe sends it (Arrow: pyarrow's own conversion, as
    Streamlit makes it), made once; a table Arrow cannot take as it is goes as it is (Streamlit
    then fixes its column types itself)."""
    return once(_arrow, table)
