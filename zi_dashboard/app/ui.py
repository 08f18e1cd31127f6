"""The Streamlit glue shared by pages: the shared sidebar and the widgets pages draw.

The only module of the package that imports Streamlit; what it shows comes from service.py.
"""
from __future__ import annotations

import html
from datetime import date
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from zi_dashboard.storage import auth

from zi_dashboard.outputs import charts

from zi_dashboard.counting import history
from zi_dashboard import labels as L
from zi_dashboard.outputs.exports import export_name, to_csv_bytes, to_xlsx_bytes
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.counting.metrics import compute
from zi_dashboard.storage.store import Snapshot
from zi_dashboard.app.service import (  # noqa: F401  (pages reach some of these through ui)
    MEETING_SLIDES,
    Context,
    Dataset,
    UploadCheck,
    chart_config,
    chart_file,
    check_upload,
    component_view,
    current_dataset,
    figure,
    filtered_tables,
    forget,
    get_store,
    local_time,
    meeting,
    pack,
    plan_in_use,
    previous_snapshot,
    result_for,
    s_curve_figure,
    save_upload,
    snapshot_changes,
    snapshot_label,
    snapshot_result,
    snapshot_table,
    snapshots,
    template_bytes,
    view,
)

CTX_KEY = "_zi_context"


# --- who may change the data ---------------------------------------------------------------
_EDITOR = "_zi_editor"
_THROTTLE = "_zi_throttle"
_LOGIN_OPEN = "_zi_login_open"


def editor() -> str | None:
    """The name of the logged-in editor, or None for a viewer."""
    return st.session_state.get(_EDITOR)


def login_box() -> None:
    """Sidebar: log in as an editor (5 wrong tries, then a wait), or log out."""
    A = L.AUTH
    name = editor()
    if name:
        st.markdown(A["logged_in"].format(name=md_escape(name)))
        if st.button(A["logout"], key="logout", icon=":material/logout:"):
            st.session_state.pop(_EDITOR, None)
            st.rerun()
        return
    throttle = st.session_state.setdefault(_THROTTLE, auth.Throttle())
    if not st.session_state.get(_LOGIN_OPEN):
        if st.button(A["login_title"], key="login_open", icon=":material/lock:"):
            st.session_state[_LOGIN_OPEN] = True
            st.rerun()
        return
    with st.form("login", clear_on_submit=True):
        st.markdown(f"**{A['login_title']}**")
        who = st.text_input(A["name"], max_chars=120, key="login_name")
        password = st.text_input(A["password"], type="password", max_chars=256, key="login_password")
        submitted = st.form_submit_button(A["login"])
    if submitted:
        wait = throttle.wait()
        if wait > 0:
            st.error(A["locked"].format(seconds=int(wait) + 1))
            return
        found = auth.check_login(auth.editors_for(get_store()), who, password)
        if found:
            throttle.succeeded()
            st.session_state[_EDITOR] = found
            st.session_state.pop(_LOGIN_OPEN, None)
            st.rerun()
        throttle.failed()
        if throttle.wait() > 0:
            st.error(A["locked"].format(seconds=int(throttle.wait()) + 1))
        else:
            st.error(A["wrong"].format(tries=throttle.failures, max=auth.MAX_TRIES))


def md_escape(text: str) -> str:
    """Text from a file or a user, safe inside Markdown: shown as typed, never as markup."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$:=" else ch for ch in str(text))


_KEPT = {"as_of": "_zi_as_of", "component": "_zi_component"}  # widget key -> copy kept across pages


def _shared_choices(ds: Dataset) -> None:
    """Start the as-of date at the data's position date (again when the data changes), and
    give back the choices a page without the sidebar (Mode rapat) could not keep."""
    if st.session_state.get("_zi_data_key") != ds.key:
        st.session_state["as_of"] = ds.position_date or date.today()
        st.session_state["_zi_data_key"] = ds.key
    for key, kept in _KEPT.items():
        if key not in st.session_state and kept in st.session_state:
            st.session_state[key] = st.session_state[kept]


def shared_sidebar() -> Context:
    """The controls every page shares (as-of date, component) and where the data comes from."""
    ds = current_dataset()
    _shared_choices(ds)
    comps = ds.plan.components
    names = dict(zip(comps["component_code"], comps["component"]))
    with st.sidebar:
        st.markdown(f"**{L.APP_TITLE}**  \n{L.UNIT_NAME}")
        as_of = st.date_input(L.UI["as_of"], key="as_of", format="DD/MM/YYYY", help=L.UI["as_of_help"])
        component = st.selectbox(L.UI["component_filter"], [None, *names],
                                 format_func=lambda c: L.UI["all_components"] if c is None else f"{c}. {names[c]}",
                                 key="component")
        st.page_link("pages/rapat.py", label=L.MEETING["enter"], icon=":material/co_present:")
        login_box()
        source_badge(ds)
    st.session_state[_KEPT["as_of"]], st.session_state[_KEPT["component"]] = as_of, component
    return Context(ds, as_of, component, result_for(ds, as_of))


def meeting_context() -> Context:
    """The shared choices without drawing any control: for Mode rapat."""
    ds = current_dataset()
    _shared_choices(ds)
    as_of = st.session_state.get(_KEPT["as_of"]) or st.session_state.get("as_of") or ds.position_date or date.today()
    return Context(ds, as_of, None, result_for(ds, as_of))


def hand_to_page(ctx: Context) -> None:
    """app.py: leave the Context drawn in this run for the page that runs next."""
    st.session_state[CTX_KEY] = ctx


@lru_cache(maxsize=2)
def _router_code(path: str):
    with open(path, encoding="utf-8") as f:
        return compile(f.read(), path, "exec")


def context() -> Context:
    """The shared state for the page being drawn.  app.py draws the sidebar before the page and
    leaves its Context here for this one run.

    Streamlit keeps a relic of its first multipage design: while no session has yet run
    st.navigation, an app with a `pages/` folder runs a deep-linked page file on its own (a fresh
    server opened at /linimasa, and every AppTest.switch_page run).  Such a page runs the router
    (app.py) in its place, which draws the sidebar and this page; only if that is not possible
    does the page draw the shared sidebar itself."""
    ctx = st.session_state.pop(CTX_KEY, None)
    if ctx is not None:
        return ctx
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    run = get_script_run_ctx()
    if PagesManager.uses_pages_directory and run is not None:
        # run the router now, in this same run (so clicks and uploads of this run are kept);
        # it draws the sidebar and runs this page again, which then finds its Context
        path = str(run.pages_manager.main_script_path)
        exec(_router_code(path), {"__name__": "__main__", "__file__": path})
        st.stop()
    return shared_sidebar()


def source_badge(ds: Dataset) -> None:
    """Where the numbers come from; names from files are shown as text, never as markup."""
    lines = [f"<div style='font-size:0.85rem;color:#6b7280'>{_esc(L.UI['source'])}</div>"]
    if ds.is_example:
        lines.append(f"<div style='background:#FFF4D6;border-left:6px solid #E69F00;padding:8px 10px;"
                     f"border-radius:4px;margin:4px 0'><b>{_esc(L.UI['example_badge'])}</b><br>"
                     f"{_esc(L.UI['example_note'])}</div>")
        lines.append(f"<div style='word-break:break-all'>{_esc(ds.filename)}</div>")
    else:
        s = ds.snapshot
        when = local_time(s.uploaded_at)
        lines.append(f"<div style='word-break:break-all;font-weight:600'>{_esc(ds.filename)}</div>")
        lines.append(f"<div style='font-size:0.85rem'>{_esc(L.UI['uploaded'].format(when=when, who=s.uploaded_by))}</div>")
    pos = ds.position_date
    lines.append(f"<div style='font-size:0.85rem'>"
                 f"{_esc(L.UI['position'].format(date=L.fmt_date(pos)) if pos else L.UI['no_position'])}</div>")
    st.markdown("".join(lines), unsafe_allow_html=True)


def page_header(title: str, ctx: Context) -> None:
    """The page title, and on one line: the as-of date, the data source, the component."""
    st.title(title)
    if ctx.data.is_example:
        badge = (f"<span style='background:#FFF4D6;color:#8a5a00;padding:1px 8px;border-radius:6px'>"
                 f"{_esc(L.UI['example_badge'])}</span>")
    else:
        badge = (f"<span style='background:#E6F0FA;color:#0b4f8a;padding:1px 8px;border-radius:6px'>"
                 f"{_esc(ctx.data.filename)}</span>")
    comp = ""
    if ctx.component:
        comp = " · " + _esc(ctx.indicators()["component"].iloc[0])
    st.markdown(f"<div class='zi-source'><b>{_esc(L.UI['as_of'])} {_esc(L.fmt_date(ctx.as_of))}</b> · "
                f"{badge}{comp}</div>", unsafe_allow_html=True)


def download_buttons(frame: pd.DataFrame, stem: str, as_of: date, key: str, title: str) -> None:
    """CSV and XLSX of exactly this frame, built only when clicked; file names carry the date."""
    titles = [title, f"{L.UNIT_NAME} · {L.UI['as_of']} {L.fmt_date(as_of)}"]
    row = st.container(horizontal=True)
    row.download_button(L.UI["download_csv"], data=lambda: to_csv_bytes(frame),
                       file_name=export_name(stem, as_of, "csv"), mime="text/csv", key=f"{key}-csv",
                       icon=":material/download:", on_click="ignore")
    row.download_button(L.UI["download_xlsx"], data=lambda: to_xlsx_bytes(frame, title[:31], titles),
                       file_name=export_name(stem, as_of, "xlsx"), key=f"{key}-xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore")




_LISTS = {  # kind -> (title, message when empty, message with the count, message style, file stem)
    "overdue": ("overdue_title", "overdue_none", "overdue_count", "error", "terlambat-zi"),
    "behind": ("behind_title", "behind_none", "behind_count", "warning", "tertinggal-zi"),
}


def status_list(kind: str, ctx: Context) -> None:
    """The overdue or the behind-schedule rows, with a sentence for the date and downloads."""
    title, none, count, style, stem = _LISTS[kind]
    when = L.fmt_date(ctx.as_of)
    st.subheader(L.UI[title])
    frame = view(kind, ctx)
    if frame.empty:
        st.success(L.UI[none].format(date=when))
        return
    getattr(st, style)(L.UI[count].format(n=len(frame), date=when))
    st.dataframe(frame, hide_index=True, width="stretch")
    download_buttons(frame, stem, ctx.as_of, kind, L.UI[title])


def component_drilldown(ctx: Context) -> None:
    """A way into one component: pick it, see its indicators (opened on demand)."""
    comps = ctx.result.components
    names = dict(zip(comps["code"], comps["name"]))
    with st.expander(L.UI["look_into"], icon=":material/list:", expanded=bool(ctx.component)):
        chosen = st.selectbox(L.UI["choose_component"], list(names), format_func=lambda c: f"{c}. {names[c]}",
                              index=list(names).index(ctx.component) if ctx.component else 0)
        component_table(ctx, chosen)


def component_table(ctx: Context, component: str) -> None:
    """The indicator table of one component (built once per data, date and component)."""
    indicator_dataframe(component_view(ctx, component))


def chart(kind: str, ctx: Context, component: str | None = None) -> None:
    """One of the dashboard's charts for this data and date (built once, then cached), with our
    own styling rather than Streamlit's theme, and PNG download at twice the resolution."""
    st.plotly_chart(figure(kind, ctx, component), width="stretch", theme=None,
                    config=chart_config(chart_file(kind), ctx.as_of))


def headline(ctx: Context) -> None:
    """Overall completion against planned, and how many rows are in each status, with the
    change since the previous snapshot: one row of large cards, readable from the back of a
    meeting room."""
    result = ctx.result
    counts = result.status_counts
    n = len(result.indicators)
    prev = previous_snapshot(ctx)
    deltas = history.headline_deltas(result, snapshot_result(prev, ctx.as_of)) if prev else {}

    def delta(key: str, unit: str = "") -> str:
        if key not in deltas:
            return ""
        v = deltas[key]
        text = L.fmt_signed_pct(v) if unit == "pct" else (f"+{v}" if v > 0 else ("±0" if v == 0 else f"−{-v}"))
        return f"<span class='zi-delta' style='font-size:1.1rem;font-weight:600;margin-left:8px'>{_esc(text)}</span>"

    cards = [_card(L.UI["overall"], L.fmt_pct(result.overall_completion),
                   L.UI["overall_planned"].format(value=L.fmt_pct(result.overall_planned)), "#111827",
                   delta("overall", "pct"))]
    cards += [_card(s, str(counts[s]), L.UI["of_rows"].format(n=n), L.STATUS_COLORS[s], delta(s))
              for s in L.STATUS_ORDER]
    st.markdown("<div class='zi-kpis' style='display:grid;grid-template-columns:1.6fr repeat(5,1fr);gap:12px;"
                "margin-bottom:8px'>" + "".join(cards) + "</div>", unsafe_allow_html=True)
    if prev:
        st.caption(L.HISTORY["delta_note"].format(id=prev.id, date=L.fmt_date(prev.position_date)))


def _card(label: str, value: str, note: str, color: str, delta: str = "") -> str:
    return (f"<div class='zi-kpi' style='border-left:8px solid {color};padding:6px 14px;background:#f9fafb;"
            f"border-radius:6px'><div style='font-size:1.15rem;font-weight:600;color:#374151'>{_esc(label)}</div>"
            f"<div class='zi-kpi-value' style='font-size:clamp(1.9rem, 2.6vw, 2.9rem);font-weight:700;line-height:1.1;color:{color}'>"
            f"{_esc(value)}{delta}</div><div style='font-size:1rem;color:#4b5563'>{_esc(note)}</div></div>")


def _esc(text: str) -> str:
    return html.escape(str(text))


def indicator_dataframe(table: pd.DataFrame) -> None:
    order = [L.COL[k] for k in ("code", "indicator", "progress")] + ["bar", L.COL["status"]] + [
        L.COL[k] for k in ("planned", "target_end", "days_overdue", "pic", "action", "component", "target")
    ] + ["link", L.COL["evidence"], L.COL["notes"]]
    if not table[L.COL["evidence"]].astype(bool).any():
        order.remove(L.COL["evidence"])
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 938),
        column_order=[c for c in order if c in table.columns],
        column_config={
            "bar": st.column_config.ProgressColumn(L.UI["bar"], min_value=0, max_value=100,
                                                   format="%.0f%%", width="small"),
            "link": st.column_config.LinkColumn(L.UI["link"], display_text=L.UI["open_link"]),
            L.COL["action"]: st.column_config.TextColumn(width="large"),
            L.COL["indicator"]: st.column_config.TextColumn(width="medium"),
        })


_UPLOADER = "_zi_uploader_n"
_FLASH = "_zi_flash"


def uploader_key() -> str:
    return f"uploader-{st.session_state.get(_UPLOADER, 0)}"


def flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def checked_upload(uploaded) -> UploadCheck:
    """Read an uploaded file; where several sheets hold a progress table, let the user choose."""
    content, name = uploaded.getvalue(), uploaded.name
    check = check_upload(content, name)
    if check.report is not None and len(check.report.sheets) > 1:
        sheet = st.selectbox(L.UI["sheet"], check.report.sheets, key=f"sheet-{uploader_key()}")
        if sheet != check.report.sheet:
            check = check_upload(content, name, sheet)
    return check


def problems_panel(check: UploadCheck) -> None:
    from zi_dashboard.outputs.display import problems_table
    st.subheader(L.UI["report_title"])
    if check.report is None:
        st.error(L.UI["unreadable"].format(message=md_escape(check.message)))
        return
    rep = check.report
    if rep.valid:
        st.success(L.UI["valid"].format(rows=len(rep.rows), warnings=len(rep.warnings)))
    else:
        st.error(L.UI["invalid"].format(errors=len(rep.errors)))
        st.markdown(f"**{L.UI['errors']}**")
        st.dataframe(problems_table(rep.errors), hide_index=True, width="stretch")
    if rep.warnings:
        with st.expander(f"{L.UI['warnings']} ({len(rep.warnings)})", expanded=rep.valid and len(rep.warnings) < 6):
            st.dataframe(problems_table(rep.warnings), hide_index=True, width="stretch")


def changes_against_current(ctx: Context, check: UploadCheck) -> None:
    """What saving this file would change, against the data in use, at the as-of date."""
    st.subheader(L.UI["changes_title"])
    new = compute(plan_in_use()[0], check.report.rows, ctx.as_of)
    diff = history.moved(history.changes(ctx.result, new))
    if diff.empty:
        st.info(L.UI["changes_none"])
        return
    st.write(L.UI["changes_summary"].format(
        n=len(diff), before=L.fmt_pct(ctx.result.overall_completion), after=L.fmt_pct(new.overall_completion),
        delta=L.fmt_signed_pct(new.overall_completion - ctx.result.overall_completion)))
    st.dataframe(history.changes_table(diff, for_display=True), hide_index=True, width="stretch")


def save_form(check: UploadCheck) -> None:
    if check.duplicate_of is not None:
        d = check.duplicate_of
        st.info(L.UI["duplicate"].format(id=d.id, when=local_time(d.uploaded_at), who=md_escape(d.uploaded_by)))
        return
    with st.form("save"):
        pos = st.date_input(L.UI["file_position"], value=check.report.position_date or date.today(),
                            format="DD/MM/YYYY", help=L.UI["file_position_help"])
        if st.form_submit_button(L.UI["save"], type="primary", icon=":material/save:"):
            who = editor()
            if not who:
                st.error(L.AUTH["need_editor"])
                return
            saved = save_upload(check, who, pos)
            st.session_state[_FLASH] = (L.UI["saved"].format(name=md_escape(check.filename)) if not saved.duplicate else
                                        L.UI["duplicate"].format(id=saved.snapshot.id, when=local_time(saved.snapshot.uploaded_at),
                                                                 who=md_escape(saved.snapshot.uploaded_by)))
            st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1
            st.rerun()


def s_curve(ctx: Context, snaps: list[Snapshot]) -> None:
    """Overall (or the sidebar's component) completion of every snapshot against the plan."""
    st.plotly_chart(s_curve_figure(ctx, snaps), width="stretch", theme=None,
                    config=chart_config("kurva-s", ctx.as_of))


def snapshot_actions(ctx: Context, snaps: list[Snapshot]) -> None:
    """Pick a snapshot: download its original file, or restore it as the data in use."""
    H = L.HISTORY
    by_id = {s.id: s for s in snaps}
    chosen = st.selectbox(H["pick"], list(by_id), format_func=lambda i: snapshot_label(by_id[i]), key="history_pick")
    snap = by_id[chosen]
    c1, c2 = st.columns([1, 2])
    c1.download_button(H["download_original"], data=lambda: get_store().snapshot(snap.id, content=True).content,
                       file_name=snap.filename, key="history_download", icon=":material/download:",
                       on_click="ignore")
    with c2:
        if ctx.data.snapshot is not None and ctx.data.snapshot.id == snap.id:
            st.caption(H["already_in_use"])
        elif not editor():
            st.caption(L.AUTH["need_editor"])
        elif st.button(H["restore"], icon=":material/restore:", key="history_restore"):
            get_store().restore(snap.id, editor())
            forget(get_store())
            st.session_state[_FLASH] = H["restored"].format(id=snap.id)
            st.rerun()


def compare_snapshots(snaps: list[Snapshot]) -> None:
    """The changes between two snapshots, latest against the one before by default."""
    H = L.HISTORY
    if len(snaps) < 2:
        st.info(H["need_two"])
        return
    by_id = {s.id: s for s in snaps}
    ids = list(by_id)  # newest first
    c1, c2 = st.columns(2)
    old = c1.selectbox(H["from"], ids, index=1, format_func=lambda i: snapshot_label(by_id[i]), key="history_from")
    new = c2.selectbox(H["to"], ids, index=0, format_func=lambda i: snapshot_label(by_id[i]), key="history_to")
    before, after = snapshot_result(by_id[old]), snapshot_result(by_id[new])
    diff, shown = snapshot_changes(old, new)
    if shown.empty:
        st.info(H["no_change"])
        return
    st.write(H["summary"].format(n=int((shown["change"].abs() > 1e-9).sum()), done=int(diff["became_done"].sum()),
                                 overdue=int(diff["became_overdue"].sum()),
                                 before=L.fmt_pct(before.overall_completion), after=L.fmt_pct(after.overall_completion),
                                 delta=L.fmt_signed_pct(after.overall_completion - before.overall_completion)))
    table = history.changes_table(shown)
    st.dataframe(history.changes_table(shown, for_display=True), hide_index=True, width="stretch")
    title = H["changes_file_title"].format(old=old, new=new)
    st.download_button(H["download_changes"],
                       data=lambda: to_xlsx_bytes(table, H["changes_sheet"], [title, L.UNIT_NAME]),
                       file_name=H["changes_file"].format(old=old, new=new), key="history_changes_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore")


def plan_replacement() -> None:
    """Editors: replace the work plan (a new version; the old ones stay stored)."""
    from zi_dashboard.reading.plan import PlanError, read_plan
    P = L.PLAN_UI
    with st.expander(P["title"], icon=":material/edit_document:"):
        st.caption(P["intro"])
        up = st.file_uploader(P["uploader"], type=["csv", "xlsx"], key=f"plan-{uploader_key()}")
        if up is None:
            return
        content = up.getvalue()
        try:
            plan = read_plan(content, up.name)
        except UnreadableFile as exc:
            st.error(L.UI["unreadable"].format(message=md_escape(str(exc))))
            return
        except PlanError as exc:
            from zi_dashboard.outputs.display import problems_table
            st.error(P["invalid"].format(n=len(exc.problems)))
            st.dataframe(problems_table(exc.problems), hide_index=True, width="stretch")
            return
        lo, hi = plan.span
        st.success(P["valid"].format(rows=len(plan.rows), components=len(plan.components),
                                     start=L.fmt_date(lo), end=L.fmt_date(hi)))
        st.dataframe(plan.rows[["code", "component", "indicator", "target"]].rename(columns=L.COL),
                     hide_index=True, width="stretch")
        if st.button(P["save"], type="primary", key="plan-save"):
            stored = get_store().save_plan(content, up.name, editor() or "")
            forget(get_store())
            st.session_state[_FLASH] = P["saved"].format(name=md_escape(up.name), id=stored.id)
            st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1
            st.rerun()


# --- meetings ------------------------------------------------------------------------------
def meeting_downloads(ctx: Context) -> None:
    """The one-click meeting pack: the HTML report and the Excel pack (built when clicked)."""
    R = L.REPORT
    st.subheader(L.MEETING["pack"])
    st.caption(L.MEETING["pack_intro"])
    row = st.container(horizontal=True)
    row.download_button(R["download_html"], data=lambda: pack("html", ctx), file_name=R["html_file"].format(date=ctx.as_of.isoformat()),
                        mime="text/html", key="pack-html", icon=":material/description:", on_click="ignore")
    row.download_button(R["download_xlsx"], data=lambda: pack("xlsx", ctx), file_name=R["xlsx_file"].format(date=ctx.as_of.isoformat()),
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="pack-xlsx",
                        icon=":material/table_view:", on_click="ignore")
    row.page_link("pages/rapat.py", label=L.MEETING["enter"], icon=":material/co_present:")


_VIEW = "_zi_meeting_view"

_MEETING_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSidebarNav"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 1.2rem 2.2rem 0.5rem 2.2rem !important; max-width: 100% !important; }
h2 { font-size: 2.6rem !important; }
[data-testid="stTable"] table { font-size: 1.45rem !important; }
[data-testid="stTable"] th { font-size: 1.3rem !important; }
.zi-corner { position: fixed; top: 10px; right: 18px; z-index: 1000; background: #111827; color: #fff;
             padding: 6px 14px; border-radius: 8px; font-size: 1.05rem; }
.zi-kpis .zi-kpi-value { font-size: 4.6rem !important; }
.zi-kpis { grid-template-columns: 1fr 1fr 1fr !important; gap: 22px !important; }
.zi-kpi div { font-size: 1.5rem !important; }
[data-testid="stButton"] button, [data-testid="stPageLink"] a { font-size: 1.25rem !important; padding: 0.5rem 1.2rem !important; }
</style>
"""

_KEYS_JS = """
<script>
const doc = window.parent.document;
if (!doc.ziMeetingKeys) {
  doc.ziMeetingKeys = true;
  doc.addEventListener("keydown", (e) => {
    const tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA") return;
    const want = e.key === "ArrowRight" || e.key === "PageDown" ? "NEXT" : (e.key === "ArrowLeft" || e.key === "PageUp" ? "PREV" : null);
    if (!want) return;
    const label = want === "NEXT" ? %(next)s : %(prev)s;
    for (const b of doc.querySelectorAll("button")) {
      if (b.innerText.trim() === label) { b.click(); e.preventDefault(); break; }
    }
  });
}
</script>
"""


def meeting_slide_index() -> int:
    """The view shown: from the link (?tampilan=N, 1-based) or the last one chosen."""
    if _VIEW not in st.session_state:
        try:
            n = int(st.query_params.get("tampilan", "1"))
        except ValueError:
            n = 1
        st.session_state[_VIEW] = min(max(n, 1), len(MEETING_SLIDES)) - 1
    return st.session_state[_VIEW]


def _go(step: int) -> None:
    st.session_state[_VIEW] = (st.session_state.get(_VIEW, 0) + step) % len(MEETING_SLIDES)
    st.query_params["tampilan"] = str(st.session_state[_VIEW] + 1)


def meeting_frame(ctx: Context) -> None:
    """No sidebar or controls, large type, the as-of date and the source in a corner, arrow keys."""
    import json
    st.markdown(_MEETING_CSS, unsafe_allow_html=True)
    corner = L.MEETING["corner"].format(as_of_label=L.UI["as_of"], date=L.fmt_date(ctx.as_of), source=ctx.source_label())
    st.markdown(f"<div class='zi-corner'>{_esc(corner)}</div>", unsafe_allow_html=True)
    st.html(_KEYS_JS % {"next": json.dumps(L.MEETING["next"]), "prev": json.dumps(L.MEETING["previous"])},
            unsafe_allow_javascript=True)


def meeting_slide(ctx: Context, index: int) -> None:
    """One view per screen, sized for 1920x1080."""
    kind = MEETING_SLIDES[index]
    st.header(L.MEETING["views"][kind])
    if kind == "headline":
        headline(ctx)
    elif kind == "components":
        fig = go.Figure(figure("components", ctx))
        st.plotly_chart(charts.resize(fig, 820, title=False), width="stretch", theme=None,
                        config=chart_config("komponen", ctx.as_of))
    elif kind == "timeline":
        fig = go.Figure(figure("timeline", ctx))
        st.plotly_chart(charts.resize(fig, 830, legend_below=True, title=False), width="stretch", theme=None,
                        config=chart_config("linimasa", ctx.as_of))
    elif kind == "readiness":
        from zi_dashboard.app import ui_readiness
        ui_readiness.meeting_view(ctx)
    elif kind == "overdue":
        frame = view("overdue", ctx)
        if frame.empty:
            st.success(L.UI["overdue_none"].format(date=L.fmt_date(ctx.as_of)))
        else:
            st.table(frame[[L.COL[c] for c in ("code", "indicator", "days_overdue", "progress", "target_end", "pic")]]
                     .set_index(L.COL["code"]))
    else:
        m = meeting(ctx)
        changes = m.changes()
        if changes is None:
            st.info(L.REPORT["no_previous"])
        elif changes.empty:
            st.info(L.REPORT["no_changes"])
        else:
            st.caption(md_escape(m.previous_label))
            t = history.changes_table(changes, for_display=True)
            st.table(t[[L.COL["code"], L.COL["indicator"], L.DIFF["before"], L.DIFF["after"], L.DIFF["change"],
                        L.DIFF["status_after"]]].head(12).set_index(L.COL["code"]))


def meeting_controls(index: int) -> None:
    M = L.MEETING
    row = st.container(horizontal=True, horizontal_alignment="center")
    row.button(M["previous"], key="meeting-prev", on_click=_go, args=(-1,))
    row.markdown(f"**{M['position'].format(n=index + 1, total=len(MEETING_SLIDES))}**")
    row.button(M["next"], key="meeting-next", on_click=_go, args=(1,), type="primary")
    row.page_link("pages/ringkasan.py", label=M["exit"], icon=":material/close:")

