"""The shared sidebar (as-of date, component, Mode rapat, login, where the data comes from)
and the Context every page draws from."""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import province, service
from zi_dashboard.app.service import Context, Dataset, Workplan
from zi_dashboard.app.ui import upload_gate
from zi_dashboard.app.ui.common import esc, form, md_escape
from zi_dashboard.app.ui.page_head import page_style
from zi_dashboard.storage import auth

CTX_KEY = "_zi_context"
_EDITOR = "_zi_editor"
_EDITOR_HASH = "_zi_editor_hash"
_LOGIN_OPEN = "_zi_login_open"
_SESSION = "_zi_session"  # this login's session cookie (kept by the browser for a reload)
_COOKIE_OUT = "_zi_cookie_out"  # the cookie the browser is to get on the next drawing ("": none)
_RESUME_TRIED = "_zi_resume_tried"
_KEPT = {"as_of": "_zi_as_of", "component": "_zi_component"}  # widget key -> copy kept across pages
_WORKPLAN = "_zi_workplan"  # the unit and year chosen, kept across pages
UNIT_PARAM, YEAR_PARAM = "satker", "tahun"  # the choice in the address: ?satker=kota-tasikmalaya&tahun=2026


# --- who may change the data -------------------------------------------------------------------
def editor_of(wp: Workplan) -> str | None:
    """The logged-in editor if they may change this work plan's data (their unit, or '*')."""
    name = editor()
    return name if name and service.may_edit(name, wp) else None


def editor() -> str | None:
    """The name of the logged-in editor, or None for a viewer.  Checked against the editors in
    force on every call: an editor removed (or given a new password) since logging in is a
    viewer again at once; so is a session ended elsewhere (revoked).  A browser reload comes
    back logged in while the session kept in the store lasts (its cookie; auth.SESSION_HOURS)."""
    name = st.session_state.get(_EDITOR)
    if name is None and not st.session_state.get(_RESUME_TRIED):
        st.session_state[_RESUME_TRIED] = True  # once per browser session: the cookie it came with
        cookie = _browser_cookie()
        outcome = service.resumed(cookie)
        if outcome.editor:
            st.session_state[_EDITOR], st.session_state[_EDITOR_HASH] = outcome.editor, outcome.key
            st.session_state[_SESSION] = cookie
            name = outcome.editor
    session = st.session_state.get(_SESSION)
    if name is not None and (
        service.editor_key(name) != st.session_state.get(_EDITOR_HASH)
        or (session and service.resumed(session).editor != name)
    ):
        _log_out()
        name = None
    upload_gate.mark(name is not None)  # only an editor's session may put files on the server
    return name


def _log_out() -> None:
    """Forget this session's login; the browser forgets its cookie on the next drawing."""
    st.session_state.pop(_EDITOR, None)
    st.session_state.pop(_EDITOR_HASH, None)
    if st.session_state.pop(_SESSION, None):
        st.session_state[_COOKIE_OUT] = ""


def _browser_cookie() -> str | None:
    try:
        return st.context.cookies.get(auth.SESSION_COOKIE)
    except Exception:  # no browser session (AppTest) or an older Streamlit
        return None


def _write_cookie() -> None:
    """Give the browser the session cookie after a login (or take it back after a logout): a
    small script, as Streamlit sets no cookies of its own.  SameSite=Strict, Secure over https."""
    value = st.session_state.pop(_COOKIE_OUT, None)
    if value is None:
        return
    age = auth.SESSION_HOURS * 3600 if value else 0
    cookie = json.dumps(f"{auth.SESSION_COOKIE}={value}; Path=/; Max-Age={age}; SameSite=Strict")
    st.html(
        f"<script>(() => {{ const d = window.parent.document;"
        f" d.cookie = {cookie} + (d.location.protocol === 'https:' ? '; Secure' : ''); }})();</script>",
        unsafe_allow_javascript=True,
    )


def client_address() -> str | None:
    try:
        return st.context.ip_address
    except Exception:  # no browser session (AppTest) or an older Streamlit
        return None


def login_box() -> None:
    """Log in as an editor (5 wrong tries, then a wait, counted in the store per name and per
    client address), or log out."""
    A = L.AUTH
    name = editor()
    _write_cookie()
    if name:
        st.markdown(A["logged_in"].format(name=md_escape(name)))
        if st.button(A["logout"], key="logout", icon=":material/logout:"):
            service.end_session(st.session_state.get(_SESSION))
            _log_out()
            st.rerun()
        return
    if not st.session_state.get(_LOGIN_OPEN):
        if st.button(A["login_title"], key="login_open", icon=":material/lock:"):
            st.session_state[_LOGIN_OPEN] = True
            st.rerun()
        return
    with form("login", clear_on_submit=True, enter_to_submit=True):  # name, password, Enter
        st.markdown(f"**{A['login_title']}**")
        who = st.text_input(A["name"], max_chars=120, key="login_name")
        password = st.text_input(A["password"], type="password", max_chars=256, key="login_password")
        submitted = st.form_submit_button(A["login"])
    if submitted:
        outcome = service.login(who, password, client_address())
        if outcome.editor and outcome.key is not None:  # a login that passed has the editor's hash
            st.session_state[_EDITOR], st.session_state[_EDITOR_HASH] = outcome.editor, outcome.key
            st.session_state[_SESSION] = st.session_state[_COOKIE_OUT] = service.start_session(
                outcome.editor, outcome.key
            )
            st.session_state.pop(_LOGIN_OPEN, None)
            st.rerun()
        if outcome.wait > 0:
            st.error(
                A["locked"].format(seconds=int(outcome.wait) + 1)
                if outcome.wait < 120
                else A["locked_minutes"].format(minutes=int(outcome.wait // 60) + 1)
            )
        else:
            st.error(A["wrong"].format(tries=outcome.failures, max=auth.MAX_TRIES))


# --- the unit and year ---------------------------------------------------------------------------
def chosen_workplan() -> Workplan:
    """The unit and year shown: from the address (?satker=…&tahun=…) when it names one, else
    the choice kept in this session, else the home unit at its year with data
    (service.shown_workplan; a unit named without a year too).  The address is kept
    in step with the choice, so a copied link opens the same view."""
    asked_unit, asked_year = st.query_params.get(UNIT_PARAM), st.query_params.get(YEAR_PARAM)
    wp = None
    if asked_unit or asked_year:
        wp = service.workplan_of(asked_unit, asked_year) if asked_year else service.shown_workplan(asked_unit)
    kept = st.session_state.get(_WORKPLAN)
    if wp is None:
        known = service.workplans()
        wp = kept if kept in known else service.shown_workplan() or service.home()
        if asked_unit or asked_year:
            st.warning(
                L.UNITS["url_unknown"].format(
                    unit=md_escape(asked_unit or "–"), year=md_escape(asked_year or "–"), shown=md_escape(_label(wp))
                )
            )
    st.session_state[_WORKPLAN] = wp
    return wp


def show_workplan(wp: Workplan) -> None:
    """Make this unit and year the one shown from the next run on (after adding its plan)."""
    st.session_state[_WORKPLAN] = wp
    st.query_params.update(_address(wp))


def _label(wp: Workplan) -> str:
    return L.UNITS["unit_year"].format(unit=wp.unit, year=wp.year)


def _in_address(wp: Workplan) -> None:
    """Put the choice in the address (only when there is a choice to make)."""
    if len(service.workplans()) < 2:
        return
    want = _address(wp)
    if any(st.query_params.get(k) != v for k, v in want.items()):
        st.query_params.update(want)


def _address(wp: Workplan) -> dict[str, str]:
    return {UNIT_PARAM: service.unit_key(wp.unit), YEAR_PARAM: str(wp.year)}


_UNIT_BOX, _YEAR_BOX = "_zi_unit_box", "_zi_year_box"


def _chosen_in_boxes() -> None:
    """A box changed: the new unit (at its latest year, or the same year) or year is the one
    shown from this run on, address included (so the page's own title follows at once)."""
    wp = st.session_state.get(_WORKPLAN)
    unit = st.session_state.get(_UNIT_BOX, wp.unit if wp else None)
    year = st.session_state.get(_YEAR_BOX)
    if wp is not None and unit != wp.unit:
        year = wp.year if wp.year in service.years_of(unit) else None
    chosen = service.workplan_of(unit, year) or service.shown_workplan(unit)
    if chosen is not None:
        show_workplan(chosen)


def workplan_choice(wp: Workplan) -> Workplan:
    """Unit and year boxes in the sidebar, each only when there is more than one to choose."""
    U = L.UNITS
    with_plans = [u for u in service.units() if service.years_of(u)]
    if len(with_plans) > 1:
        st.session_state[_UNIT_BOX] = wp.unit  # the box shows what the address chose
        st.selectbox(U["unit"], with_plans, key=_UNIT_BOX, on_change=_chosen_in_boxes)
    years = service.years_of(wp.unit)
    if len(years) > 1:
        st.session_state[_YEAR_BOX] = wp.year
        st.selectbox(U["year"], years, key=_YEAR_BOX, on_change=_chosen_in_boxes)
    st.session_state[_WORKPLAN] = wp
    _in_address(wp)
    return wp


# --- the shared choices ------------------------------------------------------------------------
def _shared_choices(ds: Dataset) -> None:
    """Start the as-of date at the data's position date (again when the data changes), and
    give back the choices a page without the sidebar (Mode rapat) could not keep."""
    if st.session_state.get("_zi_data_key") != ds.key:
        st.session_state["as_of"] = service.starting_as_of(ds)
        st.session_state["_zi_data_key"] = ds.key
    for key, kept in _KEPT.items():
        if key not in st.session_state and kept in st.session_state:
            st.session_state[key] = st.session_state[kept]


def shared_sidebar(wp: Workplan | None = None) -> Context:
    """The controls every page shares (unit and year, as-of date, component) and where the
    data comes from."""
    wp = wp or chosen_workplan()
    with st.sidebar:
        page_style()
        st.markdown(f"**{L.APP_TITLE}**  \n{md_escape(_label(wp))}")
        wp = workplan_choice(wp)
    ds = service.current_dataset(wp)
    _shared_choices(ds)
    comps = ds.plan.components
    names = dict(zip(comps["component_code"], comps["component"], strict=True))
    with st.sidebar:
        as_of = st.date_input(L.UI["as_of"], key="as_of", format="DD/MM/YYYY", help=L.UI["as_of_help"])
        component = st.selectbox(
            L.UI["component_filter"],
            [None, *names],
            format_func=lambda c: L.UI["all_components"] if c is None else f"{c}. {names[c]}",
            key="component",
        )
        st.page_link("pages/rapat.py", label=L.MEETING["enter"], icon=":material/co_present:")
        login_box()
        source_badge(ds)
    st.session_state[_KEPT["as_of"]], st.session_state[_KEPT["component"]] = as_of, component
    return service.context_for(as_of, component, ds)


def meeting_context(wp: Workplan | None = None) -> Context:
    """The shared choices without drawing any control: for Mode rapat."""
    wp = wp or chosen_workplan()
    _in_address(wp)
    ds = service.current_dataset(wp)
    _shared_choices(ds)
    as_of = st.session_state.get(_KEPT["as_of"]) or st.session_state.get("as_of") or service.starting_as_of(ds)
    return service.context_for(as_of, None, ds)


def hand_to_page(ctx: Context) -> None:
    """app.py: leave the Context drawn in this run for the page that runs next."""
    st.session_state[CTX_KEY] = ctx


def left_context() -> Context | None:
    """The Context the router (ui.router) left for the page of this run, taken once."""
    return st.session_state.pop(CTX_KEY, None)


def source_badge(ds: Dataset) -> None:
    """Where the numbers come from; names from files are shown as text, never as markup."""
    lines = [f"<div style='font-size:0.85rem;color:#6b7280'>{esc(L.UI['source'])}</div>"]
    if ds.empty:
        wp = ds.workplan
        assert wp is not None  # an empty data set is a work plan's with nothing uploaded yet
        lines.append(
            f"<div style='background:#EEF2F7;border-left:6px solid #8C8C8C;padding:8px 10px;"
            f"border-radius:4px;margin:4px 0'><b>{esc(L.UNITS['empty_badge'])}</b><br>"
            f"{esc(L.UNITS['empty_note'].format(unit=wp.unit, year=wp.year))}</div>"
        )
    elif ds.is_example:
        lines.append(
            f"<div style='background:#FFF4D6;border-left:6px solid #E69F00;padding:8px 10px;"
            f"border-radius:4px;margin:4px 0'><b>{esc(L.UI['example_badge'])}</b><br>"
            f"{esc(L.UI['example_note'])}</div>"
        )
        lines.append(f"<div style='word-break:break-all'>{esc(ds.filename)}</div>")
    else:
        s = ds.snapshot
        assert s is not None  # neither empty nor the example: an upload
        when = service.local_time(s.uploaded_at)
        lines.append(f"<div style='word-break:break-all;font-weight:600'>{esc(ds.filename)}</div>")
        uploaded = L.UI["uploaded"].format(when=when, who=s.uploaded_by)
        lines.append(f"<div style='font-size:0.85rem'>{esc(uploaded)}</div>")
    pos = ds.position_date
    lines.append(
        f"<div style='font-size:0.85rem'>"
        f"{esc(L.UI['position'].format(date=L.fmt_date(pos)) if pos else L.UI['no_position'])}</div>"
    )
    st.markdown("".join(lines), unsafe_allow_html=True)


# --- the province page (Semua Satker): the year across every unit and the as-of date ------------
# The unit box means nothing there; the year box offers every year any unit has a plan for.
_PROVINCE_YEAR, _PROVINCE_AS_OF = "_zi_province_year", "_zi_province_as_of"  # widget keys
_PROVINCE_KEPT = {_PROVINCE_YEAR: "_zi_province_year_kept", _PROVINCE_AS_OF: "_zi_province_as_of_kept"}


def _each_unit_own_date() -> None:
    st.session_state[_PROVINCE_AS_OF] = None


def province_sidebar(wp: Workplan) -> tuple[int, date | None]:
    """The province page's sidebar: its year (the shown unit's year to start with) and as-of
    date (none to start with: each unit at the date its data describes), both kept across
    pages; login.  -> (year, as_of or None)."""
    years = service.years() or [wp.year]
    for key, kept in _PROVINCE_KEPT.items():  # a widget's state is dropped on a page without it
        if key not in st.session_state and kept in st.session_state:
            st.session_state[key] = st.session_state[kept]
    asked = st.query_params.get(YEAR_PARAM)
    if asked and asked != st.session_state.get("_zi_province_asked") and service.year_of(asked) in years:
        st.session_state[_PROVINCE_YEAR] = service.year_of(asked)  # a link to the province page of a year
    st.session_state["_zi_province_asked"] = asked
    if st.session_state.get(_PROVINCE_YEAR) not in years:
        st.session_state[_PROVINCE_YEAR] = wp.year if wp.year in years else years[-1]
    st.session_state.setdefault(_PROVINCE_AS_OF, None)
    with st.sidebar:
        page_style()
        st.markdown(f"**{L.APP_TITLE}**  \n{md_escape(L.PROVINCE['sidebar_line'])}")
        year = years[0]
        if len(years) > 1:
            year = st.selectbox(L.PROVINCE["year"], years, key=_PROVINCE_YEAR, help=L.PROVINCE["year_help"])
        as_of = st.date_input(
            L.UI["as_of"],
            key=_PROVINCE_AS_OF,
            format="DD/MM/YYYY",
            help=L.PROVINCE["as_of_help"].format(days=province.STALE_DAYS),
        )
        if as_of is None:
            st.caption(L.PROVINCE["as_of_each"])
        else:
            st.button(
                L.PROVINCE["as_of_each_button"],
                key="province_own_dates",
                on_click=_each_unit_own_date,
                icon=":material/event_repeat:",
            )
        login_box()
    st.session_state[_PROVINCE_KEPT[_PROVINCE_YEAR]] = year
    st.session_state[_PROVINCE_KEPT[_PROVINCE_AS_OF]] = as_of
    if st.query_params.get(YEAR_PARAM) != str(year) or UNIT_PARAM in st.query_params:
        st.query_params.clear()  # the address names the year shown: ?tahun=2026
        st.query_params[YEAR_PARAM] = str(year)
        st.session_state["_zi_province_asked"] = str(year)
    return int(year), as_of
