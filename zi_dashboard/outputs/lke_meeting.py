"""The score from LKE answers where a meeting looks (Mode rapat, the HTML report, the Excel pack):
beside the plan-based forecast, labelled, only when answers are saved.  The figures come from
counting.lke_score.score and counting.readiness (outputs.lke_view.compare_table); nothing is
counted here anew.  No Streamlit."""

from __future__ import annotations

import html

import pandas as pd

from zi_dashboard import labels as L
from zi_dashboard.counting.lke_score import LkeScore
from zi_dashboard.counting.readiness import PREDICATES, Readiness
from zi_dashboard.outputs.lke_view import compare_table
from zi_dashboard.outputs.readiness_out import n2


def _met(ok: bool) -> str:
    return L.LKE_MEETING["met"] if ok else L.LKE_MEETING["not_met"]


def answers_frame(result: LkeScore, r: Readiness) -> pd.DataFrame:
    """Total, Pengungkit, Pemenuhan, Reform, Hasil, each area, WBK and WBBM: from answers beside
    the forecast from the plan."""
    table = compare_table(result, r)
    cols = list(table.columns)
    preds = pd.DataFrame(
        [
            {
                cols[0]: L.READY["predicate"].format(name=p),
                cols[1]: _met(result.eligible(p)),
                cols[2]: _met(r.eligible(p)),
                cols[3]: "",
                cols[4]: "",
            }
            for p in PREDICATES
        ]
    )
    return pd.concat([table, preds], ignore_index=True)


def headline(result: LkeScore, source: str) -> str:
    """One line: the score from answers, its Pengungkit and predicates, and which answer set."""
    return L.LKE_MEETING["line"].format(
        total=n2(result.total),
        pengungkit=n2(result.pengungkit),
        wbk=_met(result.wbk),
        wbbm=_met(result.wbbm),
        source=source,
    )


def html_section(result: LkeScore, r: Readiness, source: str) -> str:
    K = L.LKE_MEETING
    frame = answers_frame(result, r)
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return (
        f"<section id='lke-jawaban'><h2>{e(K['title'])}</h2><p><b>{e(headline(result, source))}</b></p>"
        f"<p class='muted'>{e(L.LKE_PAGE['compare_caption'])}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>"
    )
