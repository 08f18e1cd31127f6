"""Unggah, Laporan monev (issue 24 item 2): the unit's own Word template (uploaded, checked and
filled once in a child process before anything is stored; its history with who, when, size and
sha256; the one in use chosen or the default restored), the report's details (number, place,
signer) remembered per unit, and the report downloaded with them.  Everyone sees which template
is in use and downloads the report and the default template; only the unit's editors upload,
choose and save."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import monev, service
from zi_dashboard.app.service import Context, NotAllowed, Workplan
from zi_dashboard.app.ui.common import done, md_escape, upload_round
from zi_dashboard.app.ui.meeting import DOCX_MIME, monev_downloads
from zi_dashboard.app.ui.sidebar import editor_of
from zi_dashboard.outputs import monev as out
from zi_dashboard.reading import limits
from zi_dashboard.reading.word_template import MAX_TEMPLATE_BYTES, PLACEHOLDERS

_CHECKED = "_zi_monev_template_checked"  # (sha256, unit, as_of), the TemplateCheck of the last file
_FIELDS = (  # DocInfo field, label key, the widest a value may be
    ("number", "f_number", 120),
    ("place", "f_place", 80),
    ("signer_name", "f_signer_name", 120),
    ("signer_nip", "f_signer_nip", 30),
    ("signer_position", "f_signer_position", 120),
    ("address", "f_address", 200),
)


def _size(n: int) -> str:
    return f"{L.fmt_number(n / 1024, 0)} KB"


def _template_line(t) -> str:
    return L.MONEV_UP["stored_line"].format(
        id=t.id, name=t.filename, size=_size(t.size), by=t.by, at=service.local_time(t.at)
    )


def history_table(stored: list, uses: list) -> pd.DataFrame:
    """The unit's stored templates, newest first: number, file, size, sha256, who, when, in use."""
    U = L.MONEV_UP
    in_use = uses[0].template_id if uses else None
    return pd.DataFrame(
        [
            {
                U["col_id"]: f"#{t.id}",
                U["col_file"]: t.filename,
                U["col_size"]: _size(t.size),
                U["col_sha"]: t.sha256[:12],
                U["col_by"]: t.by,
                U["col_at"]: service.local_time(t.at),
                U["col_in_use"]: U["yes"] if t.id == in_use else "",
            }
            for t in stored
        ],
        columns=[U[k] for k in ("col_id", "col_file", "col_size", "col_sha", "col_by", "col_at", "col_in_use")],
    )


def _details(wp: Workplan, n: int) -> out.DocInfo:
    """The report's details as typed (the unit's saved ones to start with)."""
    U = L.MONEV_UP
    saved = monev.saved_info(wp)
    st.markdown(f"#### {U['details_title']}")
    st.caption(U["details_intro"])
    typed: dict[str, str] = {}
    cols = st.columns(2)
    for i, (field, label, width) in enumerate(_FIELDS):
        typed[field] = cols[i % 2].text_input(
            U[label], value=getattr(saved, field), max_chars=width, key=f"monev_{field}_{wp.id}_{n}"
        )
    return monev.info_of(typed)


def _downloads(ctx: Context, info: out.DocInfo) -> None:
    """The report of what the page shows, with the details typed, as .docx (the template in
    use) and .pdf, and the default template to edit; built when clicked."""
    U = L.MONEV_UP
    row = st.container(horizontal=True)
    monev_downloads(ctx, row, info, key="monev-upload", help_text=U["download_help"])
    row.download_button(
        U["download_default"],
        data=out.default_template,
        file_name=U["default_file"],
        mime=DOCX_MIME,
        key="monev-default-template",
        icon=":material/download:",
        on_click="ignore",
    )


def _in_use(wp: Workplan) -> None:
    U = L.MONEV_UP
    stored = monev.template_in_use(wp)
    if stored is None:
        st.markdown(U["in_use_default"])
    else:
        st.markdown(U["in_use"].format(line=md_escape(_template_line(stored))))


def _checked(up, ctx: Context) -> monev.TemplateCheck:
    """The uploaded template, checked once per content, unit and date shown in this session."""
    content = up.getvalue()
    key = (hashlib.sha256(content).hexdigest(), ctx.workplan.unit, ctx.as_of)
    kept = st.session_state.get(_CHECKED)
    if kept is not None and kept[0] == key:
        return kept[1]
    with st.spinner(L.MONEV_UP["checking"]):
        check = monev.check_template_upload(content, up.name, ctx)
    st.session_state[_CHECKED] = (key, check)
    return check


def _upload(ctx: Context, who: str, n: int) -> None:
    U = L.MONEV_UP
    wp = ctx.workplan
    up = st.file_uploader(
        U["uploader"],
        type=["docx", "docm", "dotx", "dotm"],
        key=f"monev_template_{n}",
        help=U["uploader_help"].format(limit=L.fmt_number(min(MAX_TEMPLATE_BYTES / 2**20, limits.MAX_FILE_MB), 0)),
    )
    if up is None:
        return
    check = _checked(up, ctx)
    if not check.valid:
        st.error(md_escape(check.problem))
        st.caption(U["nothing_saved"])
        return
    st.success(U["valid"].format(name=md_escape(check.filename)))
    row = st.container(horizontal=True)
    row.download_button(
        U["preview"],
        data=check.preview or b"",
        file_name=out.file_name(service.unit_line(wp), ctx.as_of, "docx").replace(".docx", "-contoh.docx"),
        mime=DOCX_MIME,
        key=f"monev-preview-{n}",
        icon=":material/visibility:",
        on_click="ignore",
    )
    if row.button(U["save"], type="primary", key=f"monev-template-save-{n}", icon=":material/save:"):
        if editor_of(wp) != who:  # checked again at the moment of saving
            st.error(L.AUTH["need_editor"])
            return
        try:
            stored = monev.save_template(check, who, wp)
        except NotAllowed as exc:
            st.error(md_escape(str(exc)))
            return
        done(U["saved"].format(name=md_escape(stored.filename), id=stored.id, unit=md_escape(wp.unit)))


def _history(ctx: Context, who: str | None) -> None:
    U = L.MONEV_UP
    wp = ctx.workplan
    stored = monev.templates(wp)
    if not stored:
        return
    uses = monev.template_uses(wp)
    with st.expander(U["history"].format(n=len(stored)), icon=":material/history:"):
        st.dataframe(history_table(stored, uses), hide_index=True, width="stretch")
        in_use = uses[0].template_id if uses else None
        st.caption(
            "  \n".join(
                U["use_line"].format(
                    at=service.local_time(u.at),
                    by=md_escape(u.by),
                    what=f"#{u.template_id}" if u.template_id is not None else U["default"],
                )
                for u in uses[:10]
            )
        )
        if not who:
            return
        options: list[int | None] = [None, *(t.id for t in stored)]
        names = {t.id: f"#{t.id} {t.filename}" for t in stored}
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        chosen = c1.selectbox(
            U["choose"],
            options,
            index=options.index(in_use) if in_use in options else 0,
            format_func=lambda i: U["default"] if i is None else names[i],
            key=f"monev_template_choose_{wp.id}",
        )
        if c2.button(U["use"], key=f"monev-template-use-{wp.id}", disabled=chosen == in_use, icon=":material/restore:"):
            if editor_of(wp) != who:
                st.error(L.AUTH["need_editor"])
                return
            try:
                with st.spinner(U["checking"]):  # an older template is filled first: one that cannot be is refused
                    monev.use_template(chosen, who, wp, ctx=ctx)
            except out.TemplateProblem as exc:
                st.error(md_escape(str(exc)))
                return
            done(U["used"].format(what=U["default"] if chosen is None else names[chosen]))


def _save_details(info: out.DocInfo, wp: Workplan, who: str, n: int) -> None:
    U = L.MONEV_UP
    if st.button(U["details_save"], key=f"monev-details-save-{n}", icon=":material/bookmark:"):
        if editor_of(wp) != who:
            st.error(L.AUTH["need_editor"])
            return
        monev.save_info(info, who, wp)
        done(U["details_saved"].format(unit=md_escape(wp.unit)))


def _placeholders() -> None:
    U = L.MONEV_UP
    with st.expander(U["placeholders"], icon=":material/data_object:"):
        st.caption(U["placeholders_intro"])
        st.dataframe(
            pd.DataFrame(
                {
                    U["col_placeholder"]: [f"{{{{ {p} }}}}" for p in PLACEHOLDERS],
                    U["col_meaning"]: [L.MONEV_PLACEHOLDERS.get(p, "") for p in PLACEHOLDERS],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def monev_section(ctx: Context) -> None:
    """Unggah's Laporan monev section: the template in use, the details and the downloads for
    everyone; the upload, the history's choice and saving the details for the unit's editors."""
    U = L.MONEV_UP
    wp = ctx.workplan
    st.divider()
    st.subheader(U["title"])
    st.caption(U["intro"].format(date=L.fmt_date(ctx.as_of)))
    _in_use(wp)
    n = upload_round()
    info = _details(wp, n)
    _downloads(ctx, info)
    who = editor_of(wp)
    if who:
        _save_details(info, wp, who, n)
        st.markdown(f"#### {U['upload_title']}")
        _upload(ctx, who, n)
    _history(ctx, who)
    _placeholders()
