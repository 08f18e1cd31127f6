"""Unggah: template, upload, validation report, what changes, and Simpan (editors only)."""

import streamlit as st

from zi_dashboard import labels as L
from zi_dashboard.app import bundles, service, ui
from zi_dashboard.app.ui.lke_review import reviews
from zi_dashboard.app.ui.lke_upload import lke_section
from zi_dashboard.app.ui.monev_upload import monev_section

ctx = ui.context()
ui.page_header(L.UI["upload_title"], ctx)
ui.flash()
ui.bundle_outcome()

st.write(L.UI["template_intro"].format(n=len(ctx.plan.rows)))
st.download_button(
    L.UI["download_template"],
    data=service.template_bytes(ctx.workplan),
    file_name=service.template_name(ctx.workplan),
    icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

if not ui.editor():
    st.info(L.AUTH["need_editor"])
elif reviews(ctx.workplan):  # a reviewer (penilai TPI) stores the LKE's TPI columns only, below
    st.info(L.LKE_REVIEW_PAGE["reviewer_upload"])
elif not service.may_add_plans(ui.editor()):  # a reviewer of other units: it only looks here
    st.info(L.LKE_REVIEW_PAGE["reviewer_elsewhere"].format(unit=ctx.workplan.unit))
elif not ui.editor_of(ctx.workplan):
    st.warning(L.UNITS["not_your_unit"].format(name=ui.editor(), unit=ctx.workplan.unit))
    ui.plan_replacement(ctx.workplan)
else:
    service.prepare_reader()
    uploaded = st.file_uploader(
        L.UI["uploader"], type=["xlsx", "xlsm", "csv", "zip"], key=ui.uploader_key(), help=L.BULK["zip_help"]
    )
    if uploaded is not None and bundles.is_bundle(uploaded.getvalue(), uploaded.name):
        ui.bundle_upload(uploaded, ctx.workplan.year)  # many units' files, matched by title or name
    elif uploaded is not None:
        check = ui.checked_upload(uploaded, ctx.workplan)
        if not ui.named_elsewhere(check):  # a title naming another unit or year: refused (or switch)
            ui.problems_panel(check)
            if check.valid:
                ui.older_notice(check)
                ui.changes_against_current(ctx, check)
                ui.save_form(check)
    ui.plan_replacement(ctx.workplan)
monev_section(ctx)  # the Laporan monev: the unit's Word template, the letter's details, the downloads
lke_section(ctx)  # the LKE workbook, evidence sheet and instrument (uploaders for the unit's editors)
