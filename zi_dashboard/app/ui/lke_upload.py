"""Unggah LKE: the office's LKE workbook (checked in the child process: the score per level found
and every problem with its row, column and question, before anything is saved), an evidence sheet
listing LKE codes (its links added to the answers in use as a new answer set), a newer LKE
instrument (year + CSV), and the workbook of the answers in use to download.  Only the unit's
editors see the uploaders; a viewer gets the download."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import lke as service_lke
from zi_dashboard.app.lke_review import roles_of
from zi_dashboard.app.service import Context, UnreadableFile, Workplan
from zi_dashboard.app.ui.common import done, md_escape, upload_round
from zi_dashboard.app.ui.sidebar import editor, editor_of
from zi_dashboard.app.ui.upload import full_messages
from zi_dashboard.counting.lke_review import REVIEWER
from zi_dashboard.counting.lke_score import TPI, UNIT, LkeScore
from zi_dashboard.outputs.display import problems_table
from zi_dashboard.outputs.lke_export import export_name
from zi_dashboard.reading.lke_instrument import InstrumentError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHECKED = "_zi_lke_checked"  # per kind, the last file read: ((content digest, work plan, kind), what was read)


def _level_name(level: str) -> str:
    return L.LKE["level_tpi"] if level == TPI else L.LKE["level_unit"]


def _uploaded(kind: str, label: str, help_text: str, wp: Workplan, n: int, read):
    """An uploader and the file it holds, read once per content and work plan in this session
    (each rerun would read it again in a child process otherwise): `read(content, name)`; None
    when no file is given or it cannot be read (said)."""
    up = st.file_uploader(label, type=["xlsx", "xlsm", "csv"], key=f"lke_{kind}_{n}", help=help_text)
    if up is None:
        return None, None
    content = up.getvalue()
    key = (hashlib.sha256(content).hexdigest(), wp.id, kind)
    kept = st.session_state.setdefault(_CHECKED, {}).get(kind)
    if kept is not None and kept[0] == key:
        return kept[1], up.name
    try:
        found = read(content, up.name)
    except UnreadableFile as exc:
        st.error(L.UI["unreadable"].format(message=md_escape(str(exc))))
        return None, up.name
    st.session_state[_CHECKED][kind] = (key, found)
    return found, up.name


def scores_table(scores: dict[str, LkeScore]) -> pd.DataFrame:
    """The score per level found in a workbook: Pemenuhan, Reform, Pengungkit, Hasil, total,
    questions answered, WBK, WBBM."""
    K, f = L.LKE_UPLOAD, L.fmt_number
    yes = lambda ok: K["yes"] if ok else K["no"]  # noqa: E731
    return pd.DataFrame(
        [
            {
                K["col_level"]: _level_name(lv),
                K["col_pemenuhan"]: f(s.pemenuhan_total, 2),
                K["col_reform"]: f(s.reform_total, 2),
                K["col_pengungkit"]: f(s.pengungkit, 2),
                K["col_hasil"]: f(s.hasil["total"], 2),
                K["col_total"]: f(s.total, 2),
                K["col_answered"]: f"{s.answered_count} / {len(s.questions)}",
                "WBK": yes(s.wbk),
                "WBBM": yes(s.wbbm),
            }
            for lv, s in scores.items()
        ]
    )


def _problems(problems) -> None:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if errors:
        st.error(L.LKE_UPLOAD["invalid"].format(n=len(errors)))
        st.dataframe(problems_table(errors), hide_index=True, width="stretch")
        full_messages(errors)
    if warnings:
        with st.expander(f"{L.UI['warnings']} ({len(warnings)})", expanded=not errors and len(warnings) < 6):
            st.dataframe(problems_table(warnings), hide_index=True, width="stretch")


def _actor(wp: Workplan) -> tuple[str | None, str]:
    """Who may save a workbook here and which level: the unit's editor the unit's answers, a
    reviewer (penilai TPI) of the unit the TPI's; (None, UNIT) for anyone else."""
    who = editor_of(wp)
    if who:
        return who, UNIT
    name = editor()
    if name and REVIEWER in roles_of(name, wp):
        return name, TPI
    return None, UNIT


def _workbook(wp: Workplan, who: str, n: int) -> None:
    K = L.LKE_UPLOAD
    check, _ = _uploaded(
        "workbook",
        K["workbook_upload"],
        K["workbook_help"],
        wp,
        n,
        lambda content, name: service_lke.check_workbook(content, name, wp),
    )
    if check is None:
        return
    if check.sheet.sheet_rows:
        st.markdown(
            K["found"].format(
                sheet=md_escape(check.sheet.sheet), n=len(check.sheet.sheet_rows), year=check.instrument.year
            )
        )
        shown = {lv: s for lv, s in check.scores.items() if lv == UNIT or check.sheet.answers.get(lv)}
        st.dataframe(scores_table(shown), hide_index=True, width="stretch")
    _problems(check.problems)
    if not check.valid:
        st.caption(K["nothing_saved"])
        return
    own = _actor(wp)[1]  # an editor saves the unit's level, a reviewer the TPI's (issue 23)
    levels = [lv for lv in check.scores if check.sheet.answers.get(lv) and lv == own] or ([UNIT] if own == UNIT else [])
    if not levels:
        st.warning(L.LKE_REVIEW["no_tpi_columns"])
        return
    level = levels[0]
    if st.button(
        K["save"].format(level=_level_name(level)), type="primary", key=f"lke_save_{n}", icon=":material/save:"
    ):
        if _actor(wp)[0] != who:  # checked again at the moment of saving
            st.error(L.AUTH["need_editor"])
            return
        try:
            saved = service_lke.save_workbook(check, who, wp, level)
        except PermissionError as exc:  # NotAllowed, or the review's rules (not this level's stage)
            st.error(md_escape(str(exc)))
            return
        s = check.scores[level]
        done(
            K["saved"].format(
                id=saved.id,
                level=_level_name(level),
                total=L.fmt_number(s.total, 2),
                answered=s.answered_count,
                questions=len(s.questions),
            )
        )


def _evidence(wp: Workplan, who: str, n: int) -> None:
    K = L.LKE_UPLOAD
    sheet, name = _uploaded(
        "evidence",
        K["evidence_upload"],
        K["evidence_help"],
        wp,
        n,
        lambda content, name: service_lke.check_evidence(content, name, wp),
    )
    if sheet is None:
        return
    in_use = service_lke.answers_in_use(wp)
    merged = service_lke.with_evidence(in_use.answers, sheet, in_use.instrument)
    added = sum(len(merged[r].links) - len(in_use.answers[r].links if r in in_use.answers else ()) for r in merged)
    if sheet.links:
        st.dataframe(
            pd.DataFrame(
                {
                    K["col_question"]: [f"{c} {x}" if x != "-" else c for c, x in sheet.links],
                    K["col_links"]: ["\n".join(v) for v in sheet.links.values()],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    _problems(sheet.problems)
    if any(p.is_error for p in sheet.problems):
        st.caption(K["nothing_saved"])
        return
    if not added:
        st.info(K["evidence_nothing_new"])
        return
    st.markdown(K["evidence_adds"].format(n=added, questions=len(sheet.links)))
    if st.button(
        K["evidence_save"].format(n=added), type="primary", key=f"lke_evidence_save_{n}", icon=":material/link:"
    ):
        if editor_of(wp) != who:
            st.error(L.AUTH["need_editor"])
            return
        try:
            saved = service_lke.save_answers(merged, who, name, wp)
        except PermissionError as exc:  # the unit's answers are with the TPI (the review)
            st.error(md_escape(str(exc)))
            return
        done(K["evidence_saved"].format(id=saved.id, n=added))


def _instrument(wp: Workplan, who: str, n: int) -> None:
    K = L.LKE_UPLOAD
    st.caption(K["instrument_intro"].format(years=", ".join(map(str, service_lke.instrument_years()))))
    year = st.number_input(
        K["instrument_year"], min_value=2000, max_value=2100, value=wp.year + 1, step=1, key=f"lke_instrument_year_{n}"
    )
    up = st.file_uploader(K["instrument_upload"], type=["csv"], key=f"lke_instrument_{n}")
    if up is None:
        return
    if st.button(
        K["instrument_save"].format(year=int(year)),
        type="primary",
        key=f"lke_instrument_save_{n}",
        icon=":material/add:",
    ):
        if editor_of(wp) != who:
            st.error(L.AUTH["need_editor"])
            return
        try:
            instrument = service_lke.add_instrument(up.getvalue(), up.name, int(year), who, wp)
        except InstrumentError as exc:
            st.error(K["instrument_refused"].format(reason=md_escape(str(exc))))
            return
        done(K["instrument_saved"].format(year=instrument.year, n=len(instrument.scored)))


def lke_section(ctx: Context) -> None:
    """Unggah's LKE section: the download for everyone, the three uploaders for the unit's editors."""
    K = L.LKE_UPLOAD
    wp = ctx.workplan
    st.divider()
    st.subheader(K["title"])
    result, found = service_lke.score_in_use(wp)
    if found.stored is None:
        st.caption(K["none_in_use"])
    else:
        st.caption(
            md_escape(
                K["in_use"].format(label=service_lke.set_label(found.stored), total=L.fmt_number(result.total, 2))
            )
        )
    st.download_button(
        K["download"],
        data=lambda: service_lke.workbook_in_use(wp),
        mime=XLSX,
        file_name=export_name(wp.unit, wp.year),
        key="lke_download",
        icon=":material/download:",
        on_click="ignore",
    )
    who, level = _actor(wp)
    if not who:
        return
    n = upload_round()
    st.markdown(f"#### {K['workbook_title']}")
    _workbook(wp, who, n)
    if level == TPI:
        return  # a reviewer stores the TPI's columns only
    st.markdown(f"#### {K['evidence_title']}")
    _evidence(wp, who, n)
    st.markdown(f"#### {K['instrument_title']}")
    _instrument(wp, who, n)
